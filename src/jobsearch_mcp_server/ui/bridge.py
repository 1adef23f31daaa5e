"""The local bridge: the page's tool calls and view reads, answered by an in-process MCP client session
against the very server `serve` runs, so the page gets exactly what an MCP Apps host would get."""

from __future__ import annotations

import re
from contextlib import AsyncExitStack
from typing import Any

from mcp.client import Client
from mcp.client.extension import advertise
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID
from mcp.server.mcpserver import MCPServer
from mcp.shared.exceptions import MCPError

from ..errors import JobsearchError

# What the views and the page's navigation call, and nothing else: the page is driven from a browser, so
# tools that read the user's files (parse_resume, import_jobs) or write them (export_jobs) stay out of it.
UI_TOOLS = frozenset(
    {
        "list_saved_searches",
        "run_saved_search",
        "list_resumes",
        "match_jobs",
        "search_jobs",
        "get_job_details",
        "analyze_fit",
        "hide_job",
        "track_application",
        "list_applications",
    }
)
VIEW_SCHEME = "ui://"
# What the views read besides themselves: a resume's profile (Matches follows a Chinese resume's language);
# not its text or other resources.
UI_RESOURCES = re.compile(r"ui://.+|resume://[A-Za-z0-9_.-]+")


def wire(model: Any) -> dict[str, Any]:
    """A protocol object as it travels in JSON-RPC (camelCase, no nulls)."""
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def error_result(message: str) -> dict[str, Any]:
    """A failure as a tool result (isError with the message), the shape a view shows its errors from."""
    return {"content": [{"type": "text", "text": message}], "isError": True}


class Bridge:
    """One MCP client session for the page, open from `start()` to `close()`. It advertises MCP Apps
    support, so the tools answer as they answer Claude or VS Code."""

    def __init__(self, mcp: MCPServer) -> None:
        self._mcp = mcp
        self._stack = AsyncExitStack()
        self._client: Client | None = None

    async def start(self) -> None:
        apps = advertise(EXTENSION_ID, {"mimeTypes": [APP_MIME_TYPE]})
        self._client = await self._stack.enter_async_context(Client(self._mcp, extensions=[apps]))

    async def close(self) -> None:
        await self._stack.aclose()

    @property
    def client(self) -> Client:
        if self._client is None:
            raise RuntimeError("the bridge is not started")
        return self._client

    async def tools(self) -> list[dict[str, Any]]:
        """The tools the page may call, with their `_meta.ui` (which view renders each)."""
        listing = await self.client.list_tools()
        return [wire(tool) for tool in listing.tools if tool.name in UI_TOOLS]

    async def call_tool(self, name: str, arguments: dict[str, Any] | None) -> dict[str, Any]:
        """The tool's result; a refused name or a protocol error comes back as an isError result."""
        if name not in UI_TOOLS:
            return error_result(
                f"{name} cannot be called from the jobsearch-mcp ui page; it calls only "
                + ", ".join(sorted(UI_TOOLS))
            )
        try:
            return wire(await self.client.call_tool(name, arguments or {}))
        except MCPError as exc:
            return error_result(f"{name}: {exc}")

    async def read_resource(self, uri: str) -> dict[str, Any]:
        """A resource a view reads (`UI_RESOURCES`), as resources/read answers it."""
        if not UI_RESOURCES.fullmatch(uri):
            raise JobsearchError(f"{uri} cannot be read from the jobsearch-mcp ui page")
        try:
            return wire(await self.client.read_resource(uri))
        except MCPError as exc:
            raise JobsearchError(f"{uri}: {exc}") from None

    async def read_view(self, uri: str) -> tuple[str, dict[str, Any]]:
        """The HTML of the `ui://` view at `uri` and its `_meta.ui` (csp, permissions)."""
        if not uri.startswith(VIEW_SCHEME):
            raise JobsearchError(f"only {VIEW_SCHEME} views are read through the ui page, not {uri!r}")
        try:
            result = await self.client.read_resource(uri)
        except MCPError as exc:
            raise JobsearchError(f"{uri}: {exc}") from None
        for content in result.contents:
            text = getattr(content, "text", None)
            if content.mime_type == APP_MIME_TYPE and text is not None:
                meta = wire(content).get("_meta") or {}
                return text, meta.get("ui") or {}
        raise JobsearchError(f"{uri} is not an MCP Apps view ({APP_MIME_TYPE})")
