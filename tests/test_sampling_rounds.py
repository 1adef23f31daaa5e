"""Every tool that can ask the MCP client's model (LLM_BACKEND=sampling), on both protocol eras: mid-call
requests (2025-11-25) and input-required round trips that re-run the call (2026-07-28). The work done
before the questions is kept between rounds, and independent questions share one round, so a re-rank of
20 jobs fits the SDK client's default limit of 10 rounds."""

from __future__ import annotations

import json
import shutil
import zlib

import pytest
from mcp.client import Client
from mcp_types import CreateMessageResult, TextContent

from conftest import SHARED_FIXTURES, shared
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server

pytestmark = pytest.mark.anyio

ERAS = pytest.mark.parametrize("mode", ["legacy", "auto"], ids=["2025-11-25", "2026-07-28"])
MATCHING = SHARED_FIXTURES / "matching"
REASONING = "SECRET-REASONING: the user cannot see this line"


@pytest.fixture
def sampling_runtime(settings):
    runtime = Runtime(settings.model_copy(update={"llm_backend": "sampling"}))
    shutil.copy(shared(MATCHING / "jobs.jsonl"), settings.allowed_folders()[0] / "jobs.jsonl")
    yield runtime
    runtime.close()


async def loaded(client: Client, runtime: Runtime) -> tuple[str, str, str]:
    """A resume parsed and the twenty postings imported (no model needed): resume_id, a job_id, the file."""
    resume = await client.call_tool("parse_resume", {"text": (shared(MATCHING / "resume_data_science.txt")).read_text()})
    path = str(runtime.settings.allowed_folders()[0] / "jobs.jsonl")
    imported = await client.call_tool("import_jobs", {"path": path})
    return resume.structured_content["resume_id"], imported.structured_content["page"]["jobs"][0]["job_id"], path


def verdict_for(prompt: str) -> str:
    """A fit report whose score depends on the posting asked about, with R1's reasoning in front."""
    score = zlib.crc32(prompt.encode()) % 101
    report = {"fit_score": score, "summary": f"fit {score}", "strengths": [], "gaps": []}
    return f"<think>{REASONING}</think>\n{json.dumps(report)}"


@ERAS
async def test_match_jobs_with_the_clients_model_searches_once_and_judges_20_jobs(
    sampling_runtime, monkeypatch, mode
):
    asked: list[str] = []

    async def sample(context, params):
        asked.append(params.messages[0].content.text)
        text = TextContent(type="text", text=verdict_for(asked[-1]))
        return CreateMessageResult(role="assistant", content=text, model="host-model")

    searches = []
    search_all = sampling_runtime.search.search_all

    async def counted(*args, **kwargs):
        searches.append(args)
        return await search_all(*args, **kwargs)

    monkeypatch.setattr(sampling_runtime.search, "search_all", counted)
    async with Client(build_server(sampling_runtime), sampling_callback=sample, mode=mode) as client:
        resume_id, _, path = await loaded(client, sampling_runtime)
        arguments = {"resume_id": resume_id, "query": "and", "sources": [f"file:{path}"], "top_k": 20}
        result = await client.call_tool("match_jobs", arguments | {"use_llm": True})
    assert not result.is_error, result.content[0].text
    out = result.structured_content
    assert out["methods"][-1] == "llm" and out["notes"] == [], out["notes"]
    assert len(searches) == 1  # not once per round
    assert len(asked) == 20  # one verdict per job, none asked twice
    assert all(match["parts"]["llm"] is not None for match in out["matches"])
    assert REASONING not in json.dumps(out)


TOOLS = [
    ("parse_resume", lambda ids: {"text": (shared(MATCHING / "resume_data_science.txt")).read_text(), "use_llm": True}),
    ("match_jobs", lambda ids: {"resume_id": ids[0], "top_k": 20, "use_llm": True}),
    ("analyze_fit", lambda ids: {"resume_id": ids[0], "job_id": ids[1], "include_reasoning": False}),
    ("draft_cover_letter", lambda ids: {"resume_id": ids[0], "job_id": ids[1]}),
    ("tailor_resume", lambda ids: {"resume_id": ids[0], "job_id": ids[1]}),
    ("job_search_advice", lambda ids: {"resume_id": ids[0]}),
]


@ERAS
@pytest.mark.parametrize(("tool", "arguments"), TOOLS, ids=[tool for tool, _ in TOOLS])
async def test_a_model_that_answers_badly_gives_a_result_or_a_clear_error(sampling_runtime, mode, tool, arguments):
    """The client's model reasons and then answers no JSON at all (twice, for the repair too): every tool
    still finishes within the round limit with a usable result or an error that says what happened."""

    async def sample(context, params):
        text = TextContent(type="text", text=f"<think>{REASONING}</think>\nI would rather not say.")
        return CreateMessageResult(role="assistant", content=text, model="host-model")

    async with Client(build_server(sampling_runtime), sampling_callback=sample, mode=mode) as client:
        resume_id, job_id, _ = await loaded(client, sampling_runtime)
        result = await client.call_tool(tool, arguments((resume_id, job_id)))
        assert (await client.call_tool("list_sources", {})).structured_content  # the session goes on
    text = " ".join(block.text for block in result.content)
    assert REASONING not in text and "Traceback" not in text
    if result.is_error:
        assert "not a valid" in text and "repair" in text, text
    elif tool == "draft_cover_letter":  # free text: the model's words are the letter, its reasoning is not
        assert result.structured_content["text"] == "I would rather not say."
    else:
        out = result.structured_content
        said = json.dumps(out.get("notes", [])) + json.dumps(out.get("warnings", []))
        assert "model" in said or "LLM" in said, out  # the fallback says the model failed
