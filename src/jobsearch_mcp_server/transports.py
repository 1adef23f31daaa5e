"""Runs the server on stdio, SSE or streamable HTTP, with bearer-token auth and a health check.

HTTP modes bind 127.0.0.1 by default. Binding anything else needs `JOBSEARCH_AUTH_TOKEN` or
`JOBSEARCH_TOKENS_FILE`: a job assistant holds a person's resume, so it never listens on a network
unauthenticated. The auth layer is where a request's tenant comes from (see tenants.py).
"""

from __future__ import annotations

import logging

import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from . import __version__
from .config import Settings
from .errors import JobsearchError
from .tenants import TokenBook, mark_scope

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
SSE_PATH = "/sse"
SSE_MESSAGE_PATH = "/messages/"
STREAMABLE_HTTP_PATH = "/mcp"


class BearerTokenMiddleware:
    """Answers 401 unless the request carries `Authorization: Bearer <token>` with a token of `book`
    (compared in constant time); otherwise serves it as the token's tenant."""

    def __init__(self, app: ASGIApp, book: TokenBook, open_paths: frozenset[str] = frozenset({HEALTH_PATH})) -> None:
        self.app = app
        self.book = book
        self.open_paths = open_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.open_paths:
            await self.app(scope, receive, send)
            return
        scheme, _, token = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1").partition(" ")
        tenant = self.book.tenant_for(token.strip()) if scheme.lower() == "bearer" else None
        if tenant is not None:
            mark_scope(scope, tenant)  # each MCP message it carries is handled as this tenant
            await self.app(scope, receive, send)
            return
        response = JSONResponse(
            {"error": "unauthorized", "error_description": "send Authorization: Bearer <your token>"},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="jobsearch"'},
        )
        await response(scope, receive, send)


def check_bind(settings: Settings) -> None:
    """Refuses to serve a non-loopback address without a token."""
    if not settings.is_local_bind and settings.auth_token is None and settings.tokens_file is None:
        raise JobsearchError(
            f"refusing to listen on {settings.host} without authentication: set JOBSEARCH_AUTH_TOKEN or "
            "JOBSEARCH_TOKENS_FILE (clients then send 'Authorization: Bearer <token>'), or bind 127.0.0.1"
        )


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """DNS-rebinding protection: only the configured Host / Origin values (plus loopback) are served."""
    hosts = ["127.0.0.1:*", "localhost:*", "[::1]:*"]
    origins = ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"]
    if not settings.is_local_bind and settings.host not in ("0.0.0.0", "::"):
        hosts.append(f"{settings.host}:*")
    hosts += settings.allowed_hosts
    origins += settings.allowed_origins
    return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins)


def create_http_app(mcp: MCPServer, settings: Settings, transport: str) -> ASGIApp:
    """The ASGI app for `transport` ('sse' or 'streamable-http'), with /healthz and auth applied."""

    @mcp.custom_route(HEALTH_PATH, methods=["GET"])
    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "server": "jobsearch", "version": __version__, "transport": transport})

    security = transport_security(settings)
    app: Starlette
    if transport == "sse":
        app = mcp.sse_app(
            sse_path=SSE_PATH, message_path=SSE_MESSAGE_PATH, transport_security=security, host=settings.host
        )
    else:
        # Stateless (JOBSEARCH_STATELESS_HTTP, on with a shared database): no session lives in this process,
        # so replicas behind a load balancer answer any request; the handles a client pages with are in
        # the database. Sessions of the 2026-07-28 protocol are per request either way.
        app = mcp.streamable_http_app(
            streamable_http_path=STREAMABLE_HTTP_PATH,
            transport_security=security,
            host=settings.host,
            stateless_http=settings.stateless,
        )
    token = settings.auth_token.get_secret_value() if settings.auth_token is not None else None
    book = TokenBook(token, settings.tokens_file)  # a malformed tokens file stops the start here
    return app if book.empty else BearerTokenMiddleware(app, book)


def run(mcp: MCPServer, settings: Settings) -> None:
    """Serves until interrupted, on the transport `settings` names."""
    if settings.transport == "stdio":
        log.info("serving MCP on stdio")
        mcp.run("stdio")
        return
    check_bind(settings)
    app = create_http_app(mcp, settings, settings.transport)
    path = SSE_PATH if settings.transport == "sse" else STREAMABLE_HTTP_PATH
    stateless = " (stateless)" if settings.transport == "streamable-http" and settings.stateless else ""
    log.info(
        "serving MCP (%s%s) at http://%s:%d%s", settings.transport, stateless, settings.host, settings.port, path
    )
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        log_config=None,  # keep our stderr logging; uvicorn's default config would add its own handlers
        timeout_graceful_shutdown=5,
    )
