"""No tool waits for the database on the event loop.

A query can wait: for the write lock another client's write holds (SQLite), for a round trip (PostgreSQL).
On the event loop every other client's call waits with it, `list_sources` included; in a worker thread only
the caller waits. So every async tool hands its queries to a thread, and this test runs each of them (and
the sync ones, which the SDK runs in threads) with a guard that records any query made on the loop.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
import traceback
from pathlib import Path

import pytest
from mcp.client import Client

import jobsearch_mcp_server
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server
from jobsearch_mcp_server.store import engine

pytestmark = pytest.mark.anyio

PACKAGE = Path(jobsearch_mcp_server.__file__).parent
JOBS = PACKAGE / "demo" / "samples" / "file" / "jobs.csv"  # the demo's sample postings
RESUME = PACKAGE / "demo" / "resume" / "data_scientist.txt"


def on_the_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def queries_on_the_loop(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Where each query made on an event loop's thread came from (the innermost frames of the package)."""
    found: list[str] = []
    loop_threads: set[int] = set()

    def guarded(method):
        def query(self, *args, **kwargs):
            if on_the_loop():
                loop_threads.add(threading.get_ident())
                frames = [f for f in traceback.extract_stack()[:-1] if "jobsearch_mcp_server" in f.filename]
                innermost = frames[::-1][:4]
                found.append(" <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in innermost))
            return method(self, *args, **kwargs)

        return query

    for name in ("execute", "executemany"):
        monkeypatch.setattr(engine.Database, name, guarded(getattr(engine.Database, name)))
    return found


async def call(client: Client, tool: str, arguments: dict) -> dict:
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, f"{tool}: {result.content[0].text}"
    return result.structured_content


async def test_no_tool_queries_the_database_on_the_event_loop(
    settings: Settings, runtime: Runtime, queries_on_the_loop: list[str]
):
    jobs_file = Path(shutil.copy(JOBS, settings.allowed_dirs[0]))
    async with Client(build_server(runtime)) as client:  # the runtime (and its migrations) was built before
        resume = await call(client, "parse_resume", {"text": RESUME.read_text(encoding="utf-8")})
        found = await call(client, "search_jobs", {"query": "", "sources": [f"file:{jobs_file}"], "limit": 5})
        await call(client, "search_jobs", {"query": "", "search_id": found["search_id"], "offset": 2})
        job_id = found["jobs"][0]["job_id"]
        await call(client, "get_job_details", {"job_id": job_id})
        await call(client, "import_jobs", {"path": str(jobs_file)})
        matched = await call(client, "match_jobs", {"resume_id": resume["resume_id"], "top_k": 5})
        page = {"resume_id": resume["resume_id"], "match_id": matched["match_id"], "offset": 2}
        await call(client, "match_jobs", page)
        await call(client, "job_search_advice", {"resume_id": resume["resume_id"]})
        await call(client, "track_application", {"job_id": job_id, "status": "applied"})
        await call(client, "list_applications", {})
        await call(client, "save_search", {"name": "data", "query": "data", "sources": [f"file:{jobs_file}"]})
        await call(client, "run_saved_search", {"name": "data", "resume_id": resume["resume_id"]})
        await call(client, "hide_job", {"job_id": found["jobs"][1]["job_id"]})
        export = str(Path(settings.allowed_dirs[0]) / "jobs.md")
        await call(client, "export_jobs", {"what": found["search_id"], "format": "markdown", "path": export})
        await call(client, "list_sources", {})
        await call(client, "list_resumes", {})
        for uri in (f"resume://{resume['resume_id']}", f"job://{job_id}", "applications://all"):
            await client.read_resource(uri)
    listed = "\n".join(sorted(set(queries_on_the_loop)))
    assert not queries_on_the_loop, "database queries on the event loop:\n" + listed
