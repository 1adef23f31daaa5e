"""The demo's board site with two test-only paths: `/__slow?s=<seconds>` answers late, and
`/__login?to=<path>` sets a long-lived `session` cookie (a stand-in for signing in to a board)."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from jobsearch_mcp_server.demo.site import BoardHandler, BoardSite

SESSION_COOKIE = "session"  # the cookie the samples' signed-in routes ask for


class _HandlerForTests(BoardHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path == "/__slow":
            self.site.requests.append(self.path)
            time.sleep(float((query.get("s") or ["5"])[0]))
            self.send_body(200, "text/html; charset=utf-8", b"<html><head><title>slow</title></head><body>late</body></html>")
        elif parts.path == "/__login":
            self.site.requests.append(self.path)
            self.send_response(302)
            self.send_header("Set-Cookie", f"{SESSION_COOKIE}=test; Path=/; Max-Age=31536000")
            self.send_header("Location", (query.get("to") or ["/"])[0])
            self.end_headers()
        else:
            super().do_GET()


class BoardSiteForTests(BoardSite):
    handler = _HandlerForTests
