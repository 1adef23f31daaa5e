"""A real HTTP server on 127.0.0.1 that answers each path with a script of responses.

Each path (GET or POST) has a list of `Reply`s served in order (the last one repeats), so a test can say
"429 with Retry-After, then 200" and see what a client really does. Every request is logged with
its time, for checking the spacing between requests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    content_type: str = "text/html; charset=utf-8"

    @classmethod
    def json(cls, data: bytes | str, status: int = 200, **kwargs) -> Reply:
        return cls(status=status, body=data, content_type="application/json", **kwargs)

    @classmethod
    def file(cls, path: Path, **kwargs) -> Reply:
        kind = "application/json" if path.suffix == ".json" else "text/html; charset=utf-8"
        return cls(body=path.read_bytes(), content_type=kind, **kwargs)


@dataclass
class Hit:
    path: str
    query: str
    at: float
    headers: dict[str, str]
    body: bytes = b""


class ScriptedSite:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.hits: list[Hit] = []
        self.base_url = ""
        self._lock = threading.Lock()

    def route(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self.routes[path] = list(replies)

    def hits_of(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    def _next(self, path: str) -> Reply:
        with self._lock:
            script = self.routes.get(path)
            if not script:
                return Reply(404, "not found", content_type="text/plain")
            return script.pop(0) if len(script) > 1 else script[0]


def _handler(site: ScriptedSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parts = urlsplit(self.path)
            sent = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            site.hits.append(Hit(parts.path, parts.query, time.monotonic(), dict(self.headers), sent))
            reply = site._next(parts.path)
            if reply.delay_s:
                time.sleep(reply.delay_s)
            body = reply.body.encode() if isinstance(reply.body, str) else reply.body
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting: expected in timeout tests
                pass

        do_POST = do_GET  # a POST (Workday's search) is answered from the same script

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def scripted_site() -> Iterator[ScriptedSite]:
    """Serves a `ScriptedSite` on a free 127.0.0.1 port until the block ends."""
    site = ScriptedSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
