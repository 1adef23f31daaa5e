"""A stdio server builds its tools on first use (start-up waits for nothing the client does not ask for);
what the client sees of the tools is the same as when they are built at once."""

from __future__ import annotations

import pytest
from mcp.client import Client

from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import DeferredToolManager, build_server

pytestmark = pytest.mark.anyio


async def test_tools_list_is_the_same_built_on_first_use_or_at_once(runtime: Runtime):
    deferred_server = build_server(runtime, defer_tools=True)
    assert isinstance(deferred_server._tool_manager, DeferredToolManager)
    async with Client(deferred_server) as client:
        deferred = (await client.list_tools()).tools
    async with Client(build_server(runtime, defer_tools=False)) as client:
        at_once = (await client.list_tools()).tools

    assert {"parse_resume", "search_jobs", "match_jobs", "list_sources"} <= {tool.name for tool in deferred}
    assert [tool.model_dump(mode="json") for tool in deferred] == [
        tool.model_dump(mode="json") for tool in at_once
    ]
    assert all(tool.input_schema["type"] == "object" and tool.description for tool in deferred)


async def test_a_call_before_any_listing_finds_its_tool(runtime: Runtime):
    async with Client(build_server(runtime, defer_tools=True)) as client:
        listed = await client.call_tool("list_sources", {})
        wrong = await client.call_tool("search_jobs", {"query": "x", "limit": "many"})

    assert not listed.is_error and listed.structured_content["sources"]
    assert wrong.is_error and "limit" in wrong.content[0].text  # its argument schema is there too


def test_the_server_defers_its_tools_on_stdio_only(runtime: Runtime):
    assert isinstance(build_server(runtime)._tool_manager, DeferredToolManager)  # the runtime's stdio
    http = Runtime(runtime.settings.model_copy(update={"transport": "streamable-http"}))
    try:
        assert not isinstance(build_server(http)._tool_manager, DeferredToolManager)
    finally:
        http.close()
