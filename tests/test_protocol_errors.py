"""A client's mistakes in prompts/get, resources/read and completion/complete get the protocol's error code
(-32602, invalid params) and a message saying what to send, on both protocol eras, and are not logged as
server failures."""

from __future__ import annotations

import logging

import pytest
from mcp.client import Client
from mcp.shared.exceptions import MCPError
from mcp.types import PromptReference, ResourceTemplateReference
from mcp_types import INVALID_PARAMS

from jobsearch_mcp_server.server import build_server

pytestmark = pytest.mark.anyio

ERAS = pytest.mark.parametrize("mode", ["legacy", "auto"], ids=["2025-11-25", "2026-07-28"])
PROMPT = PromptReference(type="ref/prompt", name="job_search_assistant")

MISTAKES = [
    ("unknown prompt", lambda c: c.get_prompt("no_such_prompt", {}), "the prompts are cover_letter"),
    (
        "missing argument",
        lambda c: c.get_prompt("match_report", {"resume": "Data engineer, Python."}),
        "needs the argument(s) job",
    ),
    (
        "unknown argument",
        lambda c: c.get_prompt("job_search_assistant", {"goal": "x", "colour": "blue"}),
        "its arguments are goal",
    ),
    (
        "language it lacks",
        lambda c: c.get_prompt("job_search_assistant", {"goal": "x", "language": "fr"}),
        "the languages are en, zh",
    ),
    ("unknown resource", lambda c: c.read_resource("job://no-such-job"), "run search_jobs first"),
    ("unknown resource scheme", lambda c: c.read_resource("nowhere://x"), "Unknown resource"),
    (
        "completion of an unknown prompt",
        lambda c: c.complete(PromptReference(type="ref/prompt", name="nope"), {"name": "language", "value": ""}),
        "the prompts are",
    ),
    (
        "completion of an unknown template",
        lambda c: c.complete(
            ResourceTemplateReference(type="ref/resource", uri="nope://{x}"), {"name": "x", "value": ""}
        ),
        "the templates are",
    ),
    (
        "completion of an argument the prompt lacks",
        lambda c: c.complete(PROMPT, {"name": "colour", "value": "b"}),
        "the arguments are goal",
    ),
]


@ERAS
@pytest.mark.parametrize(("mistake", "call", "expected"), MISTAKES, ids=[m[0] for m in MISTAKES])
async def test_a_clients_mistake_is_invalid_params_with_a_message(runtime, caplog, mode, mistake, call, expected):
    caplog.set_level(logging.INFO)
    async with Client(build_server(runtime), mode=mode) as client:
        with pytest.raises(MCPError) as raised:
            await call(client)
        assert raised.value.error.code == INVALID_PARAMS
        assert expected in raised.value.error.message
        # the session goes on: the next request works
        assert (await client.get_prompt("job_search_assistant", {"goal": "data engineer"})).messages
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not failures, [r.getMessage() for r in failures]


@ERAS
async def test_a_language_code_with_a_region_is_served(runtime, mode):
    async with Client(build_server(runtime), mode=mode) as client:
        zh = await client.get_prompt("job_search_assistant", {"goal": "数据工程师", "language": "zh-CN"})
    assert "求职助手" in zh.messages[0].content.text


async def test_a_huge_prompt_name_is_not_echoed_whole(client):
    with pytest.raises(MCPError) as raised:
        await client.get_prompt("x" * 100_000, {})
    assert len(raised.value.error.message) < 1_000
