"""The demo's board site with two test-only paths: `/__slow?s=<seconds>` answers late, and
`/__login?to=<path>` sets a long-lived `session` cookie (a stand-in for signing in to a board)."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qs, urlsplit

from conftest import pointed
from jobsearch_mcp_server.browser.pool import BrowserPool
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.demo.site import BoardHandler, BoardSample, BoardSite, Route
from jobsearch_mcp_server.jobs.models import Job
from jobsearch_mcp_server.sources.base import SearchQuery, SourceContext
from jobsearch_mcp_server.sources.registry import REGISTRY

SESSION_COOKIE = "session"  # the cookie the samples' signed-in routes ask for


class _HandlerForTests(BoardHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path == "/__slow":
            self.site.requests.append(self.path)
            time.sleep(float((query.get("s") or ["5"])[0]))
            self.send_body(
                200,
                "text/html; charset=utf-8",
                b"<html><head><title>slow</title></head><body>late</body></html>",
            )
        elif parts.path == "/__login":
            self.site.requests.append(self.path)
            self.send_response(302)
            self.send_header("Set-Cookie", f"{SESSION_COOKIE}=test; Path=/; Max-Age=31536000")
            self.send_header("Location", (query.get("to") or ["/"])[0])
            self.end_headers()
        else:
            super().do_GET()


class BoardSiteForTests(BoardSite):
    """`signed_in=True` answers every request as if it carried the session cookie."""

    handler = _HandlerForTests

    def __init__(
        self,
        samples: Sequence[BoardSample] | None = None,
        routes: Sequence[Route] = (),
        *,
        signed_in: bool = False,
    ) -> None:
        super().__init__(samples, routes)
        self.signed_in = signed_in

    def page(self, path: str, query: Mapping[str, list[str]], cookie_names: set[str]) -> Route | None:
        return super().page(path, query, cookie_names | {SESSION_COOKIE} if self.signed_in else cookie_names)


async def search_sample(
    sample: BoardSample, settings: Settings, pool: BrowserPool | None = None, query: str = ""
) -> list[Job]:
    """Every posting the board reads from its sample folder: its real source searched, with no search words,
    against a site serving that folder alone (signed in, for a board behind a login)."""
    with BoardSiteForTests([sample], signed_in=True) as site:
        context = SourceContext(pointed(settings, site.base_urls()), browser_factory=lambda: pool)
        try:
            source = REGISTRY.get(sample.board)()
            return await source.search(SearchQuery(query=query, company=sample.company, limit=100), context)
        finally:
            await context.http.aclose()
