"""Serving many clients (SSE, streamable HTTP), the pure CPU steps run in worker processes, off the
server's interpreter lock: the same flow gives the same answers as with the threads stdio uses."""

from __future__ import annotations

import multiprocessing
import shutil
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


async def whole_flow(settings: Settings) -> tuple[list[Any], set[int]]:
    """Each tool's answer to parse_resume, search_jobs over a file, import_jobs, match_jobs and the pids of
    this process's children while the server runs."""
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
    finally:
        runtime.close()
    return steady(answers), children


async def test_worker_processes_answer_like_threads(settings: Settings, tmp_path: Path):
    in_threads, children_of_stdio = await whole_flow(settings)
    http = settings.model_copy(update={"transport": "streamable-http", "data_dir": tmp_path / "http-data"})
    in_processes, children_of_http = await whole_flow(http)

    assert in_threads[1]["jobs"] and in_threads[3]["matches"]  # the flow found and ranked jobs
    assert in_processes == in_threads
    assert not children_of_stdio  # stdio starts no process for a pasted resume and a file
    assert children_of_http  # the pure steps ran in worker processes
    assert not multiprocessing.active_children()  # and the runtime's close stopped them
