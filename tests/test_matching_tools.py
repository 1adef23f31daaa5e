"""match_jobs and job_search_advice through a real MCP session: a real resume, twenty real postings."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator, Iterator

import pytest
from mcp.client import Client

from conftest import SHARED_FIXTURES, pointed, shared
from fake_llm import Reply
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.llm import OpenAICompatibleLLM
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server
from scripted_site import Reply as SiteReply
from scripted_site import ScriptedSite, scripted_site

pytestmark = pytest.mark.anyio

MATCHING = SHARED_FIXTURES / "matching"  # real resumes and postings, read in place
REMOTEOK_API = SHARED_FIXTURES / "sources" / "remoteok" / "api.json"  # a real RemoteOK /api response (5 jobs)
DATA_JOBS = {
    "Data Scientist",
    "Senior Data Scientist",
    "Data Scientist IV",
    "Machine Learning Engineer",
    "Data Analyst",
    "Data Engineer",
}
UNRELATED = {
    "Journeyperson Electrician",
    "Payroll Analyst",
    "Human Resources Engagement Partner",
    "Lead 3D Environment Artist",
    "Vice President of Sales",
    "Customer Support Specialist",
}


@pytest.fixture
def remoteok_board() -> Iterator[ScriptedSite]:
    """A local RemoteOK (each test routes what it answers), where the settings point the board."""
    with scripted_site() as board:
        yield board


@pytest.fixture
def settings(settings: Settings, remoteok_board: ScriptedSite) -> Settings:
    return pointed(settings, {"remoteok": remoteok_board.base_url})


async def load(client: Client, settings: Settings) -> dict:
    """The data-science resume parsed and the twenty postings imported, both through the tools."""
    parsed = await client.call_tool(
        "parse_resume", {"text": shared(MATCHING / "resume_data_science.txt").read_text()}
    )
    assert not parsed.is_error, parsed.content[0].text
    folder = settings.allowed_folders()[0]
    shutil.copy(shared(MATCHING / "jobs.jsonl"), folder / "jobs.jsonl")
    imported = await client.call_tool("import_jobs", {"path": str(folder / "jobs.jsonl")})
    assert not imported.is_error, imported.content[0].text
    assert imported.structured_content["imported"] == 20
    return {
        "resume_id": parsed.structured_content["resume_id"],
        "skills": parsed.structured_content["skills"],
    }


async def every_match(client: Client, result) -> dict:
    """The ranking of a match_jobs result with the matches of all its pages (each page fits one reply)."""
    assert not result.is_error, result.content[0].text
    out = dict(result.structured_content)
    page = out
    while page["next_offset"] is not None:
        more = await client.call_tool(
            "match_jobs",
            {"resume_id": out["resume_id"], "match_id": out["match_id"], "offset": page["next_offset"]},
        )
        assert not more.is_error, more.content[0].text
        page = more.structured_content
        out["matches"] = out["matches"] + page["matches"]
    assert len(out["matches"]) == out["total"]
    return out


@pytest.fixture
async def loaded(client, settings) -> dict:
    return await load(client, settings)


@pytest.fixture
async def llm_client(settings, fake_llm) -> AsyncIterator[tuple[Client, dict]]:
    """A session whose server uses the fake R1 endpoint (chat and embeddings), with the same data loaded."""
    runtime = Runtime(fake_llm.endpoint_settings(settings, llm_embedding_model="nomic-embed-text"))
    runtime.llm_endpoint = OpenAICompatibleLLM(runtime.settings, backoff_s=0.01)
    async with Client(build_server(runtime)) as client:
        yield client, await load(client, runtime.settings)
    await runtime.llm_endpoint.aclose()
    runtime.close()


def verdict(score: int) -> Reply:
    """A match_report answer, with the reasoning R1 sends first."""
    report = {
        "fit_score": score,
        "summary": f"fit {score}: judged from the requirements",
        "strengths": [],
        "gaps": [],
    }
    return Reply(
        answer=json.dumps(report), reasoning="The posting asks for Python and SQL; the resume has both."
    )


async def test_match_jobs_ranks_data_jobs_first_with_reasons(client, loaded):
    result = await client.call_tool("match_jobs", {"resume_id": loaded["resume_id"], "top_k": 20})
    out = await every_match(client, result)
    assert out["ranked"] == 20 and out["methods"] == ["lexical"]
    titles = [m["title"] for m in out["matches"]]
    assert set(titles[:5]) <= DATA_JOBS
    assert set(titles[-6:]) & UNRELATED and not set(titles[:8]) & UNRELATED
    scores = [m["score"] for m in out["matches"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    best = out["matches"][0]
    # the reasons name skills the resume really has and the posting really asks for
    assert {"Python", "SQL", "Tableau", "Machine Learning"} & set(best["matched_skills"])
    assert set(best["matched_skills"]) <= set(loaded["skills"])
    assert best["missing_skills"] and not set(best["missing_skills"]) & set(loaded["skills"])
    assert best["reason"].startswith(("strong match", "good match"))
    assert any(skill in best["reason"] for skill in best["matched_skills"])
    electrician = next(m for m in out["matches"] if m["title"] == "Journeyperson Electrician")
    assert (
        electrician["reason"].startswith("weak match")
        and "Electrical Engineering" in electrician["missing_skills"]
    )
    assert electrician["parts"]["location"] is None  # the resume names no location


async def test_match_jobs_ranks_only_the_given_ids(client, loaded):
    ranked = await every_match(
        client, await client.call_tool("match_jobs", {"resume_id": loaded["resume_id"], "top_k": 20})
    )
    ids = {m["title"]: m["job_id"] for m in ranked["matches"]}
    chosen = [ids["Payroll Analyst"], ids["Data Engineer"], "no-such-job"]
    result = await client.call_tool("match_jobs", {"resume_id": loaded["resume_id"], "job_ids": chosen})
    out = result.structured_content
    assert [m["title"] for m in out["matches"]] == ["Data Engineer", "Payroll Analyst"]
    assert "1 of the job_ids are unknown" in out["notes"][0]


async def test_match_jobs_searches_first_when_given_a_query(client, loaded, remoteok_board):
    remoteok_board.route("/api", SiteReply.file(shared(REMOTEOK_API)))
    result = await client.call_tool(
        "match_jobs", {"resume_id": loaded["resume_id"], "query": "recruiting", "sources": ["remoteok"]}
    )
    assert not result.is_error, result.content[0].text
    out = result.structured_content
    assert out["search_id"] and out["query"] == "recruiting" and out["notes"] == []
    assert out["ranked"] >= 1 and {m["source"] for m in out["matches"]} == {"remoteok"}
    assert "Recruiting Coordinator" in [m["title"] for m in out["matches"]]


async def test_without_jobs_or_query_it_searches_the_resumes_latest_title(client, remoteok_board):
    parsed = await client.call_tool(
        "parse_resume", {"text": shared(MATCHING / "resume_data_science.txt").read_text()}
    )
    # none of its five jobs is a data science job
    remoteok_board.route("/api", SiteReply.file(shared(REMOTEOK_API)))
    result = await client.call_tool(
        "match_jobs", {"resume_id": parsed.structured_content["resume_id"], "sources": ["remoteok"]}
    )
    assert result.is_error
    assert "searching 'Data Science Assurance Associate' found no jobs" in result.content[0].text


async def test_use_llm_without_a_model_falls_back_and_says_so(client, loaded):
    result = await client.call_tool(
        "match_jobs", {"resume_id": loaded["resume_id"], "top_k": 3, "use_llm": True}
    )
    out = result.structured_content
    assert out["methods"] == ["lexical"] and len(out["matches"]) == 3
    assert "deterministic ranking is shown" in out["notes"][-1] and "LLM_BACKEND=none" in out["notes"][-1]


async def test_llm_re_ranks_the_top_jobs_and_embeddings_blend_in(llm_client, fake_llm):
    client, loaded = llm_client
    fake_llm.queue(verdict(20), verdict(95), verdict(60))
    result = await client.call_tool(
        "match_jobs", {"resume_id": loaded["resume_id"], "top_k": 3, "use_llm": True}
    )
    assert not result.is_error, result.content[0].text
    out = result.structured_content
    assert out["methods"] == ["lexical", "semantic", "llm"] and out["notes"] == []
    matches = out["matches"]
    assert sorted(m["parts"]["llm"] for m in matches) == [0.2, 0.6, 0.95]
    for match in matches:  # each job carries its own verdict, and the verdict moved its score
        assert (
            match["llm_verdict"] == f"fit {round(match['parts']['llm'] * 100)}: judged from the requirements"
        )
        assert 0 <= match["parts"]["semantic"] <= 1
    assert [m["parts"]["llm"] for m in matches] == sorted((m["parts"]["llm"] for m in matches), reverse=True)
    asked = [r["messages"][0]["content"] for r in fake_llm.requests]
    assert len(asked) == 3 and all(any(m["title"] in prompt for prompt in asked) for m in matches)
    assert all("untrusted data" in prompt for prompt in asked)  # the postings are fenced


async def test_llm_failure_keeps_the_deterministic_ranking_and_says_so(llm_client, fake_llm):
    client, loaded = llm_client
    plain = await client.call_tool("match_jobs", {"resume_id": loaded["resume_id"], "top_k": 3})
    fake_llm.default = Reply.server_error()
    result = await client.call_tool(
        "match_jobs", {"resume_id": loaded["resume_id"], "top_k": 3, "use_llm": True}
    )
    out = result.structured_content
    assert not result.is_error and out["methods"] == ["lexical", "semantic"]
    assert "LLM re-ranking failed" in out["notes"][0] and "deterministic ranking is shown" in out["notes"][0]
    assert [m["job_id"] for m in out["matches"]] == [m["job_id"] for m in plain.structured_content["matches"]]
    assert all(m["parts"]["llm"] is None for m in out["matches"])


async def test_one_failed_verdict_is_noted_and_the_others_count(llm_client, fake_llm):
    client, loaded = llm_client
    fake_llm.default = verdict(80)
    # one job's request overflows a context far too small to retry in (vLLM's wording); the others answer
    fake_llm.queue(
        Reply(
            status=400,
            error="This model's maximum context length is 64 tokens. However, you "
            "requested 3000 tokens (1000 in the messages, 2000 in the completion).",
        )
    )
    result = await client.call_tool(
        "match_jobs", {"resume_id": loaded["resume_id"], "top_k": 3, "use_llm": True}
    )
    out = result.structured_content
    assert out["methods"][-1] == "llm" and "the LLM judged 2 of 3 top jobs" in out["notes"][0]
    assert sorted(m["parts"]["llm"] for m in out["matches"] if m["parts"]["llm"] is not None) == [0.8, 0.8]


async def test_bad_input_is_a_tool_error(client, loaded):
    unknown = await client.call_tool("match_jobs", {"resume_id": "nope"})
    assert unknown.is_error and "parse_resume" in unknown.content[0].text
    no_jobs = await client.call_tool("match_jobs", {"resume_id": loaded["resume_id"], "job_ids": ["x", "y"]})
    assert no_jobs.is_error and "search_jobs" in no_jobs.content[0].text
    too_many = await client.call_tool("match_jobs", {"resume_id": loaded["resume_id"], "top_k": 1000})
    assert too_many.is_error


async def test_job_search_advice_from_the_gap_analysis(client, loaded):
    result = await client.call_tool("job_search_advice", {"resume_id": loaded["resume_id"]})
    assert not result.is_error, result.content[0].text
    advice = result.structured_content
    assert advice["method"] == "gap-analysis" and advice["jobs_analysed"] >= 3
    assert set(advice["titles_to_search"][:2]) <= DATA_JOBS
    skills = [s["skill"] for s in advice["skills_to_learn"]]
    assert skills and not set(skills) & set(loaded["skills"])
    assert all(s["jobs_asking"] >= 1 and "of the" in s["why"] for s in advice["skills_to_learn"])
    assert any("email" in fix for fix in advice["resume_fixes"])  # the resume has no contact details

    targeted = await client.call_tool(
        "job_search_advice", {"resume_id": loaded["resume_id"], "target_role": "machine learning engineer"}
    )
    advice = targeted.structured_content
    assert advice["jobs_analysed"] == 1 and advice["titles_to_search"] == ["Machine Learning Engineer"]
    assert any("machine learning engineer" in fix for fix in advice["resume_fixes"])


async def test_advice_needs_cached_jobs(client):
    parsed = await client.call_tool(
        "parse_resume", {"text": shared(MATCHING / "resume_data_science.txt").read_text()}
    )
    result = await client.call_tool(
        "job_search_advice", {"resume_id": parsed.structured_content["resume_id"]}
    )
    assert result.is_error and "search_jobs" in result.content[0].text


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [({"job_ids": []}, "job_ids is empty"), ({"query": "data scientist", "sources": []}, "sources is empty")],
)
async def test_an_empty_list_is_refused_with_what_to_pass_never_read_as_everything(
    client, loaded, arguments, expected
):
    result = await client.call_tool("match_jobs", {"resume_id": loaded["resume_id"], **arguments})
    assert result.is_error
    assert expected in result.content[0].text and "leave" in result.content[0].text
