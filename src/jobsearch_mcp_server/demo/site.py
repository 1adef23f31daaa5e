"""A local job-board site: saved pages of real boards, served on the boards' own URL paths.

One 127.0.0.1 server (a free port, a daemon thread) answers LinkedIn's guest API paths, Indeed's
`/jobs` and `/viewjob`, BOSS直聘's `/web/geek/job` and `/job_detail/<id>.html`, a careers page
with schema.org JSON-LD, and the JSON APIs of RemoteOK, Remotive, Arbeitnow, Hacker News (Algolia),
Ashby (Ramp's board) and Greenhouse (Robinhood's board), so the real sources run unchanged against
it once `JOBSEARCH_<SOURCE>_BASE_URL` points here (`BoardSite.env()`). Tests, the browser benchmark
and `jobsearch-mcp demo` use it.

Routes match a path (exact, or a prefix ending in `*`), optional query values, and optionally a
cookie; the first match wins. Two paths serve what tests need: `/__slow?s=<seconds>` answers late,
and `/__login?to=<path>` sets a long-lived `session` cookie (a stand-in for logging in).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http import cookies
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, urlsplit

PAGES_DIR = Path(__file__).resolve().parent / "pages"
SESSION_COOKIE = "session"
BOARDS = (
    *("linkedin", "indeed", "zhipin", "generic"),  # browser boards
    *("remoteok", "remotive", "arbeitnow", "hackernews", "ashby", "greenhouse"),  # JSON APIs
)
JSON = "application/json"


@dataclass(frozen=True)
class Route:
    """Serve `file` (relative to the site's pages folder, or absolute) for matching requests."""

    path: str  # "/jobs" exactly, or "/job_detail/*" for a prefix
    file: str | Path
    query: Mapping[str, str] = field(
        default_factory=dict
    )  # name -> required value; "" matches absent or empty
    cookie: str | None = None  # matches only when the request carries this cookie
    status: int = 200
    content_type: str = "text/html; charset=utf-8"

    def matches(self, path: str, query: Mapping[str, list[str]], cookie_names: set[str]) -> bool:
        if self.path.endswith("*"):
            if not path.startswith(self.path[:-1]):
                return False
        elif path != self.path:
            return False
        if self.cookie is not None and self.cookie not in cookie_names:
            return False
        return all((query.get(name) or [""])[0] == value for name, value in self.query.items())


# The demo: every board's saved pages on its real paths. A BOSS直聘 search without the session cookie
# gets the login wall, as the real site does; after `/__login` it gets the result list. Another company's
# board (Ashby, Greenhouse) is a 404, which the sources report as an unknown board.
DEMO_ROUTES: tuple[Route, ...] = (
    Route("/jobs-guest/jobs/api/seeMoreJobPostings/search", "linkedin/search.html", {"start": ""}),
    Route("/jobs-guest/jobs/api/seeMoreJobPostings/search", "linkedin/search.html", {"start": "0"}),
    Route("/jobs-guest/jobs/api/seeMoreJobPostings/search", "empty.html"),  # past the last page
    Route("/jobs-guest/jobs/api/jobPosting/*", "linkedin/job.html"),
    Route("/jobs/view/*", "linkedin/job.html"),
    Route("/jobs", "indeed/search.html", {"start": ""}),
    Route("/jobs", "indeed/search.html", {"start": "0"}),
    Route("/jobs", "indeed/search-empty.html"),
    Route("/viewjob", "indeed/job.html"),
    Route("/web/geek/job", "zhipin/search.html", cookie=SESSION_COOKIE),
    Route("/web/geek/job", "zhipin/login.html"),
    Route("/web/user/*", "zhipin/login.html"),
    Route("/job_detail/*", "zhipin/job.html", cookie=SESSION_COOKIE),
    Route("/job_detail/*", "zhipin/login.html"),
    Route("/careers/*", "generic/job.html"),
    # The HTTP boards: one saved answer each, whatever the search words (the sources match them).
    Route("/api", "remoteok/api.json", content_type=JSON),
    Route("/api/remote-jobs", "remotive/remote-jobs.json", content_type=JSON),
    Route("/api/job-board-api", "arbeitnow/job-board-api.json", {"page": "1"}, content_type=JSON),
    Route("/api/v1/search_by_date", "hackernews/search_by_date.json", content_type=JSON),
    Route("/api/v1/items/44159528", "hackernews/items_44159528.json", content_type=JSON),
    Route("/posting-api/job-board/ramp", "ashby/ramp.json", content_type=JSON),
    Route("/v1/boards/robinhood/jobs", "greenhouse/robinhood.json", content_type=JSON),
    Route("/", "index.html"),
)


class BoardSite:
    """The site, as a context manager: `with BoardSite() as site: ... site.url ...`."""

    def __init__(self, routes: Sequence[Route] = DEMO_ROUTES, pages_dir: Path = PAGES_DIR) -> None:
        self.routes = list(routes)
        self.pages_dir = pages_dir
        self.requests: list[str] = []  # every path + query asked for, in order (tests read it)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the board site is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def env(self, boards: Sequence[str] = BOARDS) -> dict[str, str]:
        """`JOBSEARCH_<BOARD>_BASE_URL` for each board, all pointing at this site."""
        return {f"JOBSEARCH_{board.upper()}_BASE_URL": self.url for board in boards}

    def start(self) -> Self:
        handler = type("Handler", (_Handler,), {"site": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True  # a slow request never holds up stop()
        self._thread = threading.Thread(target=self._server.serve_forever, name="board-site", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def page(self, path: str, query: Mapping[str, list[str]], cookie_names: set[str]) -> Route | None:
        return next((route for route in self.routes if route.matches(path, query, cookie_names)), None)


class _Handler(BaseHTTPRequestHandler):
    site: BoardSite

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        self.site.requests.append(self.path)
        if parts.path == "/__slow":
            time.sleep(float((query.get("s") or ["5"])[0]))
            self._send(
                200,
                "text/html; charset=utf-8",
                b"<html><head><title>slow</title></head><body>late</body></html>",
            )
            return
        if parts.path == "/__login":
            self.send_response(302)
            self.send_header("Set-Cookie", f"{SESSION_COOKIE}=demo; Path=/; Max-Age=31536000")
            self.send_header("Location", (query.get("to") or ["/"])[0])
            self.end_headers()
            return
        jar = cookies.SimpleCookie(self.headers.get("Cookie") or "")
        route = self.site.page(parts.path, query, set(jar))
        if route is None:
            self._send(404, "text/html; charset=utf-8", b"<html><head><title>Not found</title></head></html>")
            return
        file = Path(route.file)
        body = (file if file.is_absolute() else self.site.pages_dir / file).read_bytes()
        self._send(route.status, route.content_type, body)

    do_POST = do_GET  # Workday's job search is a POST; the samples answer it like a GET

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: in stdio mode stdout and stderr belong to the MCP protocol and the server's log."""
