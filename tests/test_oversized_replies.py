"""Every tool, called with oversized inputs and the largest limits, answers within the reply budget over
stdio (with the FastMCP client, an independent implementation) and over SSE (with the SDK's client), and
the session survives: before the budget a 1 MB query came back as ~2 MB, beyond the Python client's 1 MiB
SSE event limit, which ended the session."""

from __future__ import annotations

import base64
import json

import pydantic_core
import pytest
from fastmcp import Client as FastMCPClient
from fastmcp.client.transports import StdioTransport
from mcp.client import Client
from mcp.client.sse import sse_client

from conftest import SHARED_FIXTURES, shared
from jobsearch_mcp_server.jobs.paging import REPLY_BUDGET_CHARS
from servers import cli_command, http_server, server_env

pytestmark = pytest.mark.anyio

HUGE = "data engineer python spark " * 40_000  # ~1 MB
POSTING = (
    "## About the role\nWe build data pipelines in Python, SQL and Spark on AWS, and ship them with Docker "
    "and Kubernetes. You will own ingestion, modelling and quality checks end to end.\n"
    "## Requirements\n- 3+ years of Python and SQL\n- Spark or Flink\n- Airflow\n## Nice to have\n- Terraform\n"
)


def jobs_file(folder) -> str:
    """300 postings (written here, fictional) with long descriptions: more than any one reply holds."""
    path = folder / "jobs.jsonl"
    rows = [
        {
            "title": f"Senior Data Engineer {n}",
            "company": f"Example Company {n}",
            "location": "Berlin, Germany",
            "description": POSTING * 8,
            "job_url": f"https://jobs.example.org/{n}",
        }
        for n in range(300)
    ]
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    return str(path)


def calls(path: str, resume_id: str, job_id: str) -> list[tuple[str, dict]]:
    return [
        ("search_jobs", {"query": HUGE}),
        ("search_jobs", {"query": "engineer", "location": HUGE}),
        ("search_jobs", {"query": "engineer", "sources": [f"file:{path}"], "limit": 100}),
        ("search_jobs", {"query": "engineer", "sources": [HUGE]}),
        ("get_job_details", {"job_id": HUGE}),
        ("get_job_details", {"url": "https://jobs.example.org/" + HUGE}),
        ("get_job_details", {"job_id": job_id}),
        ("import_jobs", {"path": path}),
        ("import_jobs", {"path": HUGE}),
        ("list_sources", {}),
        ("match_jobs", {"resume_id": resume_id, "top_k": 100}),
        ("match_jobs", {"resume_id": resume_id, "query": HUGE}),
        ("match_jobs", {"resume_id": HUGE}),
        ("job_search_advice", {"resume_id": resume_id, "target_role": HUGE}),
        ("job_search_advice", {"resume_id": resume_id}),
        ("analyze_fit", {"resume_id": HUGE, "job_id": HUGE}),
        ("draft_cover_letter", {"resume_id": resume_id, "job_id": HUGE}),
        ("tailor_resume", {"resume_id": HUGE, "job_id": job_id}),
        ("llm_status", {}),
        ("parse_resume", {"text": HUGE}),
        ("parse_resume", {"text": (shared(SHARED_FIXTURES / "matching" / "resume_data_science.txt")).read_text() * 40}),
        ("parse_resume", {"content_base64": base64.b64encode(b"%PDF-1.7 " * 100_000).decode(), "filename": "x.pdf"}),
        ("list_resumes", {}),
        ("delete_resume", {"resume_id": HUGE}),
        ("track_application", {"job_id": HUGE, "notes": HUGE}),
        ("list_applications", {}),
        ("save_search", {"name": HUGE, "query": "data scientist"}),
        ("save_search", {"name": "oversized", "query": HUGE}),
        ("list_saved_searches", {}),
        ("run_saved_search", {"name": HUGE}),
        ("delete_saved_search", {"name": HUGE}),
        ("hide_job", {"job_id": HUGE}),
        ("hide_job", {"job_id": job_id, "saved_search": HUGE}),
        ("check_jobs", {"job_ids": [HUGE]}),
        ("export_jobs", {"what": HUGE, "format": "csv", "path": "oversized.csv"}),
        ("find_company_board", {"name_or_url": HUGE}),
    ]


def sent_chars(result) -> int:
    structured = result.structured_content
    extra = len(pydantic_core.to_json(structured).decode()) if structured else 0
    return sum(len(getattr(block, "text", "")) for block in result.content) + extra


async def run_all(call, path: str) -> set[str]:
    """Sets up a resume and jobs, then makes every call through `call(name, arguments)`; returns the tools
    that were called (every tool the server lists must be among them)."""
    imported = await call("import_jobs", {"path": path})
    job_id = imported.structured_content["page"]["jobs"][0]["job_id"]
    resume = await call("parse_resume", {"text": (shared(SHARED_FIXTURES / "matching" / "resume_data_science.txt")).read_text()})
    resume_id = resume.structured_content["resume_id"]
    called = set()
    for name, arguments in calls(path, resume_id, job_id):
        result = await call(name, arguments)
        called.add(name)
        assert sent_chars(result) <= REPLY_BUDGET_CHARS, (name, sent_chars(result))
        if any(value is HUGE for value in arguments.values()):
            assert result.is_error and "the limit is" in result.content[0].text, (name, result.content[0].text[:200])
    return called


@pytest.fixture
def imports(tmp_path):
    folder = tmp_path / "imports"
    folder.mkdir()
    jobs_file(folder)
    return folder


async def test_every_tool_stays_within_the_budget_over_stdio_with_the_fastmcp_client(data_dir, imports):
    env = server_env(data_dir, JOBSEARCH_ALLOWED_DIRS=str(imports))
    command = cli_command("serve")
    transport = StdioTransport(command=command[0], args=command[1:], env=env)
    async with FastMCPClient(transport, timeout=120) as client:
        listed = {tool.name for tool in await client.list_tools()}
        called = await run_all(
            lambda name, arguments: client.call_tool(name, arguments, raise_on_error=False),
            str(imports / "jobs.jsonl"),
        )
        assert listed <= called, listed - called
        assert (await client.call_tool("list_sources", {})).structured_content["sources"]  # still alive


async def test_every_tool_stays_within_the_budget_over_sse(data_dir, imports):
    with http_server(data_dir, "sse", JOBSEARCH_ALLOWED_DIRS=str(imports)) as base:
        async with Client(sse_client(f"{base}/sse")) as client:
            called = await run_all(client.call_tool, str(imports / "jobs.jsonl"))
            listed = {tool.name for tool in (await client.list_tools()).tools}
            assert listed <= called, listed - called
            assert (await client.call_tool("list_sources", {})).structured_content["sources"]  # still alive
