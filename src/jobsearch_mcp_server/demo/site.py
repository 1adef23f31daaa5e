"""A local job-board site: the project's sample answers of each board, served on the board's own URL paths.

Every board has a sample folder, `samples/<board>/`, written by the project in the board's real format
(fictional companies and postings) with a `routes.json` saying which request gets which file:

    {"company": "tidewater", "demo": true, "postings": 3,
     "routes": [{"path": "/posting-api/job-board/tidewater", "file": "tidewater.json", "query": {},
                 "cookie": null, "status": 200, "content_type": "application/json"}]}

One 127.0.0.1 server (a free port, a daemon thread) serves board X's routes under `/X` (or
`/X/<company>` for a board whose base URL holds `{company}`), and `base_urls()` points each board there,
so the real sources run unchanged against it. `jobsearch-mcp demo`, the browser benchmark and the tests
(the board contract test among them) serve the same folders.

`company` names the company whose board a company-board sample holds, `demo` puts the board in
`jobsearch-mcp demo`, and `postings` says how many postings the sample holds (the contract test checks the
board reads them all). A route matches a path (exact, or a prefix ending in `*`), query values (`""` matches
absent or empty) and optionally a cookie; the first match wins.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from http import cookies
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar, Self
from urllib.parse import parse_qs, urlsplit

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
ROUTES_FILE = "routes.json"


@dataclass(frozen=True)
class Route:
    """Serve `file` for matching requests."""

    path: str  # "/jobs" exactly, or "/job_detail/*" for a prefix
    file: Path
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


@dataclass(frozen=True)
class BoardSample:
    """One board's sample folder: its routes (paths as they follow the board's base URL) and what it holds."""

    board: str
    folder: Path
    routes: tuple[Route, ...]
    company: str | None = None  # the company whose board it is (company boards)
    demo: bool = False  # searched by `jobsearch-mcp demo`
    postings: int | None = None

    @classmethod
    def load(cls, folder: Path) -> BoardSample:
        spec = json.loads((folder / ROUTES_FILE).read_text(encoding="utf-8"))
        routes = tuple(
            Route(
                path=route["path"],
                file=folder / route["file"],
                query=route.get("query") or {},
                cookie=route.get("cookie"),
                status=route.get("status", 200),
                content_type=route.get("content_type") or "text/html; charset=utf-8",
            )
            for route in spec["routes"]
        )
        return cls(
            folder.name, folder, routes, spec.get("company"), bool(spec.get("demo")), spec.get("postings")
        )

    @property
    def label(self) -> str:
        """How a search names this sample's board: "remoteok", "ashby:tidewater"."""
        return f"{self.board}:{self.company}" if self.company else self.board

    @property
    def files(self) -> list[Path]:
        """The sample's answer files (for a file board, the files to import)."""
        return sorted(path for path in self.folder.iterdir() if path.is_file() and path.name != ROUTES_FILE)


@cache
def board_samples(samples_dir: Path = SAMPLES_DIR) -> tuple[BoardSample, ...]:
    """Every sample folder (one with a routes.json), by board name."""
    return tuple(
        BoardSample.load(folder)
        for folder in sorted(samples_dir.iterdir())
        if (folder / ROUTES_FILE).is_file()
    )


def demo_samples() -> list[BoardSample]:
    """The boards `jobsearch-mcp demo` searches: the samples marked `demo`."""
    return [sample for sample in board_samples() if sample.demo]


def _takes_company(board: str) -> bool:
    """True for a board whose base URL holds `{company}` (each company on its own host)."""
    from ..sources.registry import REGISTRY

    return board in REGISTRY.names() and "{company}" in REGISTRY.get(board).default_base_url


class BoardHandler(BaseHTTPRequestHandler):
    """Answers from the site's routes; a 404 page for anything else."""

    site: BoardSite

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        self.site.requests.append(self.path)
        jar = cookies.SimpleCookie(self.headers.get("Cookie") or "")
        if parts.path == "/":
            self.send_body(200, "text/html; charset=utf-8", self.site.front_page().encode())
            return
        route = self.site.page(parts.path, query, set(jar))
        if route is None:
            self.send_body(
                404, "text/html; charset=utf-8", b"<html><head><title>Not found</title></head></html>"
            )
            return
        self.send_body(route.status, route.content_type, route.file.read_bytes())

    do_POST = do_GET  # Workday's job search is a POST; the samples answer it like a GET

    def send_body(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: in stdio mode stdout and stderr belong to the MCP protocol and the server's log."""


class BoardSite:
    """The site, as a context manager: `with BoardSite() as site: ... site.base_urls() ...`.

    `samples` are the boards served (every sample folder by default); `routes` are extra routes, at the
    site's root, tried first.
    """

    handler: ClassVar[type[BoardHandler]] = BoardHandler

    def __init__(self, samples: Sequence[BoardSample] | None = None, routes: Sequence[Route] = ()) -> None:
        self.samples = list(board_samples() if samples is None else samples)
        self.routes = [*routes] + [
            Route(
                self.prefix(sample) + route.path,
                route.file,
                route.query,
                route.cookie,
                route.status,
                route.content_type,
            )
            for sample in self.samples
            for route in sample.routes
        ]
        self.requests: list[str] = []  # every path + query asked for, in order (tests read it)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @staticmethod
    def prefix(sample: BoardSample) -> str:
        """Where the site serves a board: `/X`. A board with a `{company}` host is pointed at `/X/{company}`
        (`base_urls`), so its routes begin with the company's host part: `/kestrel/api/offers/`."""
        return f"/{sample.board}"

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the board site is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def base_urls(self) -> dict[str, str]:
        """Board name -> its base URL on this site (for `Settings.board_base_urls`)."""
        return {
            sample.board: f"{self.url}/{sample.board}"
            + ("/{company}" if _takes_company(sample.board) else "")
            for sample in self.samples
        }

    def start(self) -> Self:
        handler = type("Handler", (self.handler,), {"site": self})
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

    def front_page(self) -> str:
        """`/`: the boards served, each linked to its first answer."""
        links = "".join(
            f'<li><a href="{html.escape(self.prefix(sample) + sample.routes[0].path.rstrip("*"))}">'
            f"{sample.label}</a></li>"
            for sample in self.samples
            if sample.routes
        )
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            "<title>jobsearch-mcp demo boards</title></head><body><h1>jobsearch-mcp demo boards</h1>"
            "<p>Sample answers written by the project in each board's real format, on the board's own paths "
            f"under /&lt;board&gt;.</p><ul>{links}</ul></body></html>"
        )

    def page(self, path: str, query: Mapping[str, list[str]], cookie_names: set[str]) -> Route | None:
        return next((route for route in self.routes if route.matches(path, query, cookie_names)), None)
