"""The local web page: serves the host page and the views on loopback, behind a per-launch key.

Who may drive it: the same rules as the HTTP transports (a non-loopback bind needs JOBSEARCH_AUTH_TOKEN;
Host and Origin are checked against DNS rebinding), and on top of that a key made at every launch. The
printed URL carries it once (`/?key=...`; the token, when one is set, opens it too); the page trades it
for an HttpOnly, SameSite=Strict session cookie and drops it from the address bar, so other local pages
and users cannot call the tools. The views run in an iframe sandboxed without same-origin, under a CSP that
allows no network: they reach the tools only through the page's allow-listed bridge.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import secrets
import signal
import socket
import sys
import webbrowser
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any
from urllib.parse import quote

import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecurityMiddleware
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..config import Settings
from ..errors import JobsearchError
from ..transports import check_bind, transport_security
from .bridge import Bridge

log = logging.getLogger(__name__)

STATIC = files(__package__) / "static"
ASSETS = {"host.js": "text/javascript", "host.css": "text/css"}
MAX_BODY_BYTES = 1_000_000
# The page loads only its own script and style, frames only its own views, and talks only to its bridge.
HOST_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
NO_STORE = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# A CSP source from a view's `_meta.ui.csp` (an origin, maybe with a wildcard): anything else is dropped.
NONE = "'none'"
CSP_SOURCE = re.compile(r"(https?|wss?)://[A-Za-z0-9.*-]+(:[0-9]+)?")


def view_csp(meta: dict[str, Any]) -> str:
    """The view's CSP: inline code only, no network, except the origins its `_meta.ui.csp` declares
    (the spec's secure default); `sandbox` keeps it sandboxed even if opened outside the page."""
    declared = meta.get("csp") or {}

    def sources(key: str, default: str) -> str:
        values = [v for v in declared.get(key) or [] if isinstance(v, str) and CSP_SOURCE.fullmatch(v)]
        return " ".join(values) or default

    resources = sources("resourceDomains", "")
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'unsafe-inline' {resources}".strip(),
            f"style-src 'unsafe-inline' {resources}".strip(),
            f"img-src data: {resources}".strip(),
            f"font-src data: {resources}".strip(),
            f"media-src data: {resources}".strip(),
            f"connect-src {sources('connectDomains', NONE)}",
            f"frame-src {sources('frameDomains', NONE)}",
            f"base-uri {sources('baseUriDomains', NONE)}",
            "form-action 'none'",
            "frame-ancestors 'self'",
            "sandbox allow-scripts",
        ]
    )


class Access:
    """The per-launch key, the session cookie it buys, and the Host/Origin checks."""

    def __init__(self, settings: Settings, port: int) -> None:
        self.key = secrets.token_urlsafe(32)
        # with a token (needed off loopback), `?key=<token>` opens the page too, for whoever lacks the console
        self.token = settings.auth_token.get_secret_value() if settings.auth_token else None
        self.session = secrets.token_urlsafe(32)
        self.cookie = f"jobsearch_ui_{port}"  # one per port: cookies ignore ports, two pages must not clash
        self.headers = TransportSecurityMiddleware(transport_security(settings))

    def key_matches(self, given: str) -> bool:
        keys = [self.key] if self.token is None else [self.key, self.token]
        return any(hmac.compare_digest(given.encode(), key.encode()) for key in keys)

    def has_session(self, request: Request) -> bool:
        return hmac.compare_digest(request.cookies.get(self.cookie, "").encode(), self.session.encode())

    async def refused(self, request: Request, *, post: bool = False) -> Response | None:
        """Why `request` is not served (421/403 for a foreign Host/Origin, 401 without the session)."""
        wrong_headers = await self.headers.validate_request(request, is_post=post)
        if wrong_headers is not None:
            return wrong_headers
        if post and not request.headers.get("origin"):
            return PlainTextResponse("the page's own requests carry an Origin header", status_code=403)
        if not self.has_session(request):
            return PlainTextResponse(
                "open the address jobsearch-mcp ui printed (it carries this launch's key)", status_code=401
            )
        return None


Handler = Callable[[Request], Awaitable[Response]]


def create_ui_app(mcp: MCPServer, access: Access) -> Starlette:
    """The page, its assets, its bridge (`/api/...`) and the views (`/view?uri=ui://...`)."""
    bridge = Bridge(mcp)

    def guarded(handler: Handler, *, post: bool = False) -> Handler:
        async def endpoint(request: Request) -> Response:
            refusal = await access.refused(request, post=post)
            return refusal if refusal is not None else await handler(request)

        return endpoint

    async def page(request: Request) -> Response:
        given = request.query_params.get("key")
        if given is not None:
            wrong_headers = await access.headers.validate_request(request)
            if wrong_headers is not None:
                return wrong_headers
            if not access.key_matches(given):
                return PlainTextResponse(
                    "wrong key: open the address jobsearch-mcp ui printed", status_code=401
                )
            response = RedirectResponse("/", status_code=303, headers=NO_STORE)
            response.set_cookie(access.cookie, access.session, httponly=True, samesite="strict", path="/")
            return response
        refusal = await access.refused(request)
        if refusal is not None:
            return refusal
        html = (STATIC / "index.html").read_text(encoding="utf-8")
        return HTMLResponse(html, headers={**NO_STORE, "Content-Security-Policy": HOST_CSP})

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return PlainTextResponse("not found", status_code=404)
        text = (STATIC / name).read_text(encoding="utf-8")
        return Response(text, media_type=ASSETS[name], headers=NO_STORE)

    async def body(request: Request) -> dict[str, Any]:
        raw = await request.body()
        if len(raw) > MAX_BODY_BYTES:
            raise JobsearchError(f"the request is {len(raw)} bytes; at most {MAX_BODY_BYTES}")
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            raise JobsearchError("the request body is not JSON") from None
        if not isinstance(data, dict):
            raise JobsearchError("the request body is not a JSON object")
        return data

    async def list_tools(request: Request) -> Response:
        return JSONResponse({"tools": await bridge.tools()}, headers=NO_STORE)

    async def call_tool(request: Request) -> Response:
        try:
            data = await body(request)
        except JobsearchError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        name, arguments = data.get("name"), data.get("arguments")
        if not isinstance(name, str) or not isinstance(arguments, dict | None):
            return JSONResponse({"error": "send {name: string, arguments: object}"}, status_code=400)
        return JSONResponse(await bridge.call_tool(name, arguments), headers=NO_STORE)

    async def read_resource(request: Request) -> Response:
        try:
            data = await body(request)
            uri = data.get("uri")
            if not isinstance(uri, str):
                raise JobsearchError("send {uri: string}")
            return JSONResponse(await bridge.read_resource(uri), headers=NO_STORE)
        except JobsearchError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)

    async def view(request: Request) -> Response:
        uri = request.query_params.get("uri", "")
        try:
            html, meta = await bridge.read_view(uri)
        except JobsearchError as exc:
            return PlainTextResponse(str(exc), status_code=404)
        return HTMLResponse(html, headers={**NO_STORE, "Content-Security-Policy": view_csp(meta)})

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await bridge.start()
        try:
            yield
        finally:
            await bridge.close()

    return Starlette(
        routes=[
            Route("/", page, methods=["GET"]),
            Route("/static/{name}", guarded(asset), methods=["GET"]),
            Route("/view", guarded(view), methods=["GET"]),
            Route("/api/tools", guarded(list_tools, post=True), methods=["POST"]),
            Route("/api/call", guarded(call_tool, post=True), methods=["POST"]),
            Route("/api/read", guarded(read_resource, post=True), methods=["POST"]),
        ],
        lifespan=lifespan,
    )


def page_url(host: str, port: int, key: str) -> str:
    """The address to open; for a bind to every interface, its loopback one (the Host this machine sends)."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?key={quote(key)}"


def run_ui(mcp: MCPServer, settings: Settings, *, port: int = 0, open_browser: bool = False) -> None:
    """Serves the page until Ctrl-C or SIGTERM, on `settings.host` and `port` (0: a free one), and
    prints its address, with the launch key, on stdout."""
    check_bind(settings)
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((settings.host, port))
    except OSError as exc:
        sock.close()
        raise JobsearchError(f"cannot listen on {settings.host}:{port}: {exc.strerror}") from None
    sock.listen(128)  # connections wait in the backlog until the bridge's session is open
    port = sock.getsockname()[1]
    access = Access(settings, port)
    app = create_ui_app(mcp, access)
    url = page_url(settings.host, port, access.key)
    print(f"jobsearch-mcp ui: {url}", flush=True)
    print("Press Ctrl-C to stop.", file=sys.stderr, flush=True)
    if open_browser and not webbrowser.open(url):
        print("found no browser to open: open the address above yourself", file=sys.stderr, flush=True)
    config = uvicorn.Config(
        app,
        log_level=settings.log_level.lower(),
        log_config=None,  # keep our stderr logging
        access_log=False,  # an access log would write the launch key of the first request
        timeout_graceful_shutdown=5,
    )
    # uvicorn stops gracefully on SIGTERM, then raises it again: as SIGINT, it ends the caller's `try`, so
    # the runtime is closed (browsers quit) instead of the process dying in the signal's default action
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
