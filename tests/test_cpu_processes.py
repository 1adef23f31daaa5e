"""Serving many clients (SSE, streamable HTTP), the pure CPU steps run in worker processes, off the
server's interpreter lock: the same flow gives the same answers as with the threads stdio uses."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp.client import Client

import jobsearch_mcp_server
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server

pytestmark = pytest.mark.anyio

PACKAGE = Path(jobsearch_mcp_server.__file__).parent
JOBS = PACKAGE / "demo" / "samples" / "file" / "jobs.csv"  # the demo's sample postings
RESUME = PACKAGE / "demo" / "resume" / "data_scientist.txt"
VARYING = {"search_id", "match_id", "elapsed_s"}  # new ids and timings on every run


def steady(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: steady(item) for key, item in value.items() if key not in VARYING}
    if isinstance(value, list):
        return [steady(item) for item in value]
    return value


async def whole_flow(settings: Settings) -> tuple[list[Any], set[int], set[int]]:
    """Each tool's answer to parse_resume, search_jobs over a file, import_jobs, match_jobs, and the pids
    and the priorities (nice) of this process's children while the server runs."""
    jobs = Path(shutil.copy(JOBS, settings.allowed_dirs[0]))
    runtime = Runtime(settings)
    try:
        async with Client(build_server(runtime)) as client:
            answers = []
            for tool, arguments in (
                ("parse_resume", {"text": RESUME.read_text(encoding="utf-8")}),
                ("search_jobs", {"query": "data", "sources": [f"file:{jobs}"], "limit": 50}),
                ("import_jobs", {"path": str(jobs)}),
            ):
                result = await client.call_tool(tool, arguments)
                assert not result.is_error, result.content[0].text
                answers.append(result.structured_content)
            job_ids = [job["job_id"] for job in answers[1]["jobs"]]
            matching = {"resume_id": answers[0]["resume_id"], "job_ids": job_ids}
            matched = await client.call_tool("match_jobs", matching)
            assert not matched.is_error, matched.content[0].text
            answers.append(matched.structured_content)
            children = {child.pid for child in multiprocessing.active_children()}
            priorities = {os.getpriority(os.PRIO_PROCESS, pid) for pid in children}
    finally:
        runtime.close()
    return steady(answers), children, priorities


async def test_worker_processes_answer_like_threads(settings: Settings, tmp_path: Path):
    in_threads, children_of_stdio, _ = await whole_flow(settings)
    http = settings.model_copy(
        update={"transport": "streamable-http", "data_dir": tmp_path / "http-data", "cpu_workers_nice": 7}
    )
    in_processes, children_of_http, priorities = await whole_flow(http)

    assert in_threads[1]["jobs"] and in_threads[3]["matches"]  # the flow found and ranked jobs
    assert in_processes == in_threads
    assert not children_of_stdio  # stdio starts no process for a pasted resume and a file
    assert children_of_http  # the pure steps ran in worker processes
    # at a lower priority than the server's, so the server answering calls gets a core first
    assert priorities == {min(19, os.getpriority(os.PRIO_PROCESS, 0) + 7)}  # 19 is the lowest there is
    assert not multiprocessing.active_children()  # and the runtime's close stopped them


WARM_AND_RUN = """
import gc, sys, shutil, tempfile
from pathlib import Path
import anyio
from mcp.client import Client
from jobsearch_mcp_server.config import load_settings
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server

async def flow(runtime, jobs, resume):
    async with Client(build_server(runtime)) as client:
        await client.call_tool("list_sources", {})  # the client's own first imports
        before = set(sys.modules)
        parsed = await client.call_tool("parse_resume", {"text": resume})
        found = await client.call_tool("search_jobs", {"query": "", "sources": [f"file:{jobs}"], "limit": 20})
        ids = [job["job_id"] for job in found.structured_content["jobs"]]
        await client.call_tool("match_jobs", {"resume_id": parsed.structured_content["resume_id"], "job_ids": ids})
        return sorted(name for name in set(sys.modules) - before if name.startswith("jobsearch_mcp_server"))

if __name__ == "__main__":
    folder = Path(tempfile.mkdtemp())
    jobs = shutil.copy(sys.argv[1], folder)
    settings = load_settings(None, data_dir=folder / "data", allowed_dirs=[folder], transport="sse", llm_backend="none")
    runtime = Runtime(settings)
    runtime.warm()
    print(gc.get_freeze_count() > 10_000)
    try:
        print(anyio.run(flow, runtime, jobs, Path(sys.argv[2]).read_text(encoding="utf-8")))
    finally:
        runtime.close()
"""


def test_a_warmed_server_imports_nothing_of_its_own_on_the_first_calls(tmp_path: Path):
    """`serve` over SSE / streamable HTTP warms the runtime before its first client: the first calls of a
    flow import none of the package's modules (each import would hold up every client's call), and the
    long-lived objects it built are frozen out of the garbage collector's full collections."""
    script = tmp_path / "warm_and_run.py"  # a file: the worker processes (spawn) import the main module
    script.write_text(WARM_AND_RUN, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(JOBS), str(RESUME)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    frozen, imported = done.stdout.split("\n")[:2]
    assert frozen == "True"
    assert imported == "[]"
