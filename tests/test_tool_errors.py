"""Every tool gets the same error handling from the one registration hook (`JobsearchServer.add_tool`):
a `JobsearchError` reaches the client as isError with its own message, anything else as isError with a
message naming the tool, while its traceback goes to the server log. Through real in-memory MCP sessions."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mcp.client import Client

from jobsearch_mcp_server.llm import LLMUnavailable
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import JobsearchServer, build_server
from jobsearch_mcp_server.store import Store
from jobsearch_mcp_server.tools import llm_tools

pytestmark = pytest.mark.anyio


def _text(result) -> str:
    return " ".join(part.text for part in result.content if getattr(part, "text", None))


async def test_a_tool_raising_store_error_returns_is_error_with_its_message(tmp_path: Path):
    mcp = JobsearchServer(name="t")

    @mcp.tool()
    def open_store() -> str:
        """Opens a database where a folder stands: sqlite cannot, and the store says so."""
        Store(tmp_path)
        return "opened"

    async with Client(mcp) as client:
        result = await client.call_tool("open_store", {})

    assert result.is_error
    assert f"cannot open the database {tmp_path}" in _text(result)


async def test_an_unexpected_failure_is_logged_and_named_to_the_client(caplog: pytest.LogCaptureFixture):
    mcp = JobsearchServer(name="t")

    @mcp.tool()
    async def divide(a: int, b: int) -> float:
        """a / b"""
        return a / b

    with caplog.at_level(logging.ERROR, logger="jobsearch_mcp_server.server"):
        async with Client(mcp) as client:
            result = await client.call_tool("divide", {"a": 1, "b": 0})

    assert result.is_error
    text = _text(result)
    assert "divide failed on an internal error (ZeroDivisionError)" in text
    assert "the server log has the details" in text
    assert "division by zero" not in text  # the exception's own text stays on the server
    logged = [r for r in caplog.records if r.getMessage() == "tool divide failed"]
    assert logged and logged[0].exc_info and logged[0].exc_info[0] is ZeroDivisionError


async def test_tools_that_once_lacked_error_handling_answer_is_error_with_a_message(runtime: Runtime):
    mcp = build_server(runtime)
    runtime.store.close()  # every store call now fails inside the tool, not in the SDK
    async with Client(mcp) as client:
        calls = {
            "track_application": {"job_id": "nowhere-1"},
            "list_resumes": {},
            "delete_resume": {"resume_id": "r1"},
        }
        for tool, arguments in calls.items():
            result = await client.call_tool(tool, arguments)
            assert result.is_error, tool
            assert f"{tool} failed on an internal error (ProgrammingError)" in _text(result)


async def test_llm_status_failure_reaches_the_client_with_its_message(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
):
    async def unreachable(*args: object, **kwargs: object) -> None:
        raise LLMUnavailable("the endpoint http://127.0.0.1:9/v1 refused the connection: start the server")

    monkeypatch.setattr(llm_tools, "check_setup", unreachable)
    async with Client(build_server(runtime)) as client:
        result = await client.call_tool("llm_status", {})

    assert result.is_error
    assert "refused the connection: start the server" in _text(result)


def test_every_registered_tool_goes_through_the_hook(runtime: Runtime):
    tools = build_server(runtime)._tool_manager.list_tools()
    assert tools
    for tool in tools:
        # functools.wraps copies the tool's names onto each wrapper and links the one it wraps; the hook's
        # own error translation is one of the layers
        layers, fn = [], tool.fn
        while fn is not None:
            layers.append(fn.__code__.co_qualname)
            fn = getattr(fn, "__wrapped__", None)
        assert any(layer.startswith("with_errors.") for layer in layers), (tool.name, layers)
