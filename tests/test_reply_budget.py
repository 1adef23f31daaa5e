"""The reply budget (jobs/paging.py, tools/budget.py) through real in-memory MCP sessions: bounded
arguments, pages that fill the budget and page on by handle, and long texts cut with a note."""

from __future__ import annotations

import shutil

import pytest

from conftest import SHARED_DATA, SHARED_FIXTURES, require, shared
from jobsearch_mcp_server.jobs.models import Job
from jobsearch_mcp_server.jobs.paging import REPLY_BUDGET_CHARS
from jobsearch_mcp_server.tools.budget import MAX_CHARS, fit_reply

pytestmark = pytest.mark.anyio

GLASSDOOR = SHARED_DATA / "glassdoor_jobs_2020" / "glassdoor_jobs.csv"


def sent_chars(result) -> int:
    """What the reply carries: every text block plus the structured content as JSON."""
    import pydantic_core

    structured = len(pydantic_core.to_json(result.structured_content).decode()) if result.structured_content else 0
    return sum(len(block.text) for block in result.content) + structured


@pytest.mark.parametrize(
    ("tool", "arguments", "limit"),
    [
        ("search_jobs", {"query": "data engineer " * 10_000}, MAX_CHARS["query"]),
        ("search_jobs", {"query": "data", "location": "Berlin" * 1000}, MAX_CHARS["location"]),
        ("get_job_details", {"job_id": "j" * 100_000}, 1_000),
        ("match_jobs", {"resume_id": "r", "job_ids": ["a"] * 5_000}, 1_000),
        ("parse_resume", {"text": "Python developer. " * 20_000}, MAX_CHARS["text"]),
    ],
)
async def test_an_argument_over_its_limit_is_refused_saying_the_limit_without_echoing_it(
    client, tool, arguments, limit
):
    result = await client.call_tool(tool, arguments)
    assert result.is_error
    message = result.content[0].text
    assert f"the limit is {limit:,}" in message
    assert len(message) < 300  # the value itself is never echoed back


async def test_match_jobs_pages_its_largest_ranking_within_the_budget_by_match_id(client, settings):
    require(GLASSDOOR.exists(), f"needs the shared Glassdoor data at {GLASSDOOR}")
    folder = settings.allowed_folders()[0]
    shutil.copy(GLASSDOOR, folder / "glassdoor.csv")
    assert not (await client.call_tool("import_jobs", {"path": str(folder / "glassdoor.csv")})).is_error
    resume = await client.call_tool(
        "parse_resume", {"text": (shared(SHARED_FIXTURES / "matching" / "resume_data_science.txt")).read_text()}
    )
    resume_id = resume.structured_content["resume_id"]

    page = await client.call_tool("match_jobs", {"resume_id": resume_id, "top_k": 100})
    match_id, ranks, pages = page.structured_content["match_id"], [], 0
    assert page.structured_content["total"] == 100
    while True:
        assert not page.is_error, page.content[0].text
        assert sent_chars(page) <= REPLY_BUDGET_CHARS
        body = page.structured_content
        assert body["offset"] == len(ranks)
        ranks += [match["rank"] for match in body["matches"]]
        pages += 1
        if body["next_offset"] is None:
            break
        page = await client.call_tool(
            "match_jobs", {"resume_id": resume_id, "match_id": match_id, "offset": body["next_offset"]}
        )
    assert ranks == list(range(1, 101)) and pages > 2

    unknown = await client.call_tool("match_jobs", {"resume_id": resume_id, "match_id": "nope"})
    assert unknown.is_error and "call match_jobs again" in unknown.content[0].text


async def test_a_posting_too_long_for_one_reply_is_cut_with_a_note_saying_where_the_whole_is(client, runtime):
    description = "## Responsibilities\n" + "Build data pipelines in Python and SQL on AWS. " * 8_000
    job = Job(job_id="file-long", source="file", source_id="1", title="Data Engineer", description=description)
    runtime.store.save_jobs([job])

    result = await client.call_tool("get_job_details", {"job_id": "file-long"})
    assert not result.is_error
    assert sent_chars(result) <= REPLY_BUDGET_CHARS
    body = result.structured_content["job"]
    assert body["title"] == "Data Engineer" and body["description"].startswith("## Responsibilities")
    assert body["description"].endswith("[cut to fit the reply]")
    note = result.content[-1].text
    assert "job.description" in note and "job://file-long" in note


def test_many_short_entries_are_shortened_as_lists_once_texts_cannot_shrink():
    from jobsearch_mcp_server.resume.models import ResumeList, ResumeSummary

    listing = ResumeList(
        resumes=[ResumeSummary(resume_id=f"r{i:05}", name=f"Person {i}", skills=3) for i in range(2_000)]
    )
    reply = fit_reply(listing, "list_resumes")
    assert sum(len(block.text) for block in reply.content) < REPLY_BUDGET_CHARS
    assert 0 < len(reply.structured_content["resumes"]) < 2_000
    assert "resumes (first" in reply.content[-1].text
    assert fit_reply(ResumeList(resumes=listing.resumes[:3]), "list_resumes") == ResumeList(
        resumes=listing.resumes[:3]
    )
