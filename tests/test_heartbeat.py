"""Long tool calls keep reporting progress (tools/progress.py), so clients' ~60 s tool timeouts do not end
them: a slow local board and a slow local LLM, with a heartbeat interval of 50 ms instead of 10 s."""

from __future__ import annotations

import json

import pytest
from mcp.client import Client
from pydantic import SecretStr

from conftest import SHARED_FIXTURES, shared
from fake_llm import Reply
from jobsearch_mcp_server.llm import OpenAICompatibleLLM
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server
from scripted_site import Reply as SiteReply
from scripted_site import scripted_site
from test_llm_tools import FIT, JOB_ID, RESUME_ID, store_fixtures

pytestmark = pytest.mark.anyio

INTERVAL_S = 0.05


def recorder() -> tuple[list[tuple[float, float | None, str | None]], object]:
    updates: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress, total, message):
        updates.append((progress, total, message))

    return updates, on_progress


def assert_kept_alive(updates) -> None:
    beats = [message for _, _, message in updates if "still working" in (message or "")]
    assert len(beats) >= 3, updates  # the slow part lasted many intervals and each one was reported
    values = [value for value, _, _ in updates]
    assert values == sorted(values) and len(set(values)) == len(values)  # strictly increasing, as required


async def test_a_slow_board_keeps_the_search_call_alive(settings, monkeypatch):
    runtime = Runtime(settings.model_copy(update={"progress_interval_s": INTERVAL_S, "min_request_interval_s": 0}))
    with scripted_site() as remoteok:
        remoteok.route("/api", SiteReply.file(shared(SHARED_FIXTURES / "sources/remoteok/api.json"), delay_s=1.0))
        monkeypatch.setenv("JOBSEARCH_REMOTEOK_BASE_URL", remoteok.base_url)
        updates, on_progress = recorder()
        async with Client(build_server(runtime)) as client:
            result = await client.call_tool(
                "search_jobs", {"query": "engineer", "sources": ["remoteok"]}, progress_callback=on_progress
            )
    runtime.close()
    assert not result.is_error, result.content[0].text
    assert_kept_alive(updates)
    assert any("asking remoteok — still working" in (m or "") for _, _, m in updates)


async def test_a_slow_model_keeps_the_llm_tool_call_alive(settings, fake_llm):
    runtime = Runtime(
        fake_llm.endpoint_settings(
            settings, llm_api_key=SecretStr("sk-heartbeat-test"), progress_interval_s=INTERVAL_S
        )
    )
    runtime.llm_endpoint = OpenAICompatibleLLM(runtime.settings, backoff_s=0.01)
    store_fixtures(runtime)
    fake_llm.queue(Reply(answer=json.dumps(FIT), delay_s=1.0))  # the model thinks before its first token
    updates, on_progress = recorder()
    async with Client(build_server(runtime)) as client:
        result = await client.call_tool(
            "analyze_fit", {"resume_id": RESUME_ID, "job_id": JOB_ID}, progress_callback=on_progress
        )
    await runtime.llm_endpoint.aclose()
    runtime.close()
    assert not result.is_error, result.content
    assert_kept_alive(updates)
