"""parse_resume with use_llm=true against the R1-like test server (tests/fake_llm): the model's answer
is merged only where the resume text backs it up; invented people, employers and skills are dropped."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from mcp import types
from mcp.client import Client

from conftest import FIXTURES, fixture_resume
from fake_llm import Reply
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server

pytestmark = pytest.mark.anyio


@pytest.fixture
def data_set_resume() -> str:
    """A real resume of the categorised data set, read in place from ../shared."""
    return fixture_resume("real_dataset_data_science.txt").read_text(encoding="utf-8")
INVENTED_PERSON = {
    "name": "John Doe",
    "email": "john.doe@example.com",
    "phone": "+1 555 123 4567",
    "location": "New York, NY",
    "headline": "Senior Software Engineer",
    "summary": None,
    "links": ["https://linkedin.com/in/johndoe"],
    "skills": ["Python", "Rust", "Kubernetes"],
    "experience": [
        {"title": "CTO", "company": "Google", "start": "2015-01", "end": "present", "highlights": []}
    ],
    "education": [{"degree": "PhD", "school": "Stanford University", "field": "Computer Science"}],
    "languages": ["English"],
}


@pytest.fixture
async def llm_client(settings, fake_llm) -> AsyncIterator[Client]:
    runtime = Runtime(fake_llm.endpoint_settings(settings))
    try:
        async with Client(build_server(runtime)) as client:
            yield client
    finally:
        runtime.close()


def sent_prompt(fake_llm) -> str:
    return "".join(m["content"] for m in fake_llm.requests[-1]["messages"])


async def test_model_values_are_kept_only_where_the_text_has_them(llm_client, fake_llm, data_set_resume):
    answer = {
        "name": "Aditya Rathore",  # the data set is anonymised: not in the text
        "email": None,
        "links": ["https://www.linkedin.com/in/aditya-rathoreb4600b146", "github.com/rathorology"],
        "skills": ["Python", "Statsmodels", "Keras", "Rust", "machine learning"],
        "experience": [
            {
                "title": "Data Scientist",
                "company": "Matelabs",
                "start": "2017-05",
                "end": "present",
                "highlights": [
                    "Developed and deployed auto preprocessing steps of machine learning",
                    "Led 40 engineers",
                ],
            },
            {"title": "Machine Learning Lead", "company": "Google", "start": "2012", "end": "2013"},
        ],
        "education": [{"degree": "B.E", "school": "UIT-RGPV", "start": "2013-05", "end": "2017-05"}],
        "languages": ["English", "Klingon"],
    }
    fake_llm.queue(Reply(answer=json.dumps(answer)))
    result = await llm_client.call_tool("parse_resume", {"text": data_set_resume, "use_llm": True})
    assert not result.is_error, result.content[0].text
    profile = result.structured_content
    assert profile["parsed_with"] == ["heuristic", "llm"]
    assert profile["name"] is None
    assert "Rust" not in profile["skills"] and {"Python", "Keras", "Machine Learning"} <= set(
        profile["skills"]
    )
    [job] = profile["experience"]
    assert (job["title"], job["company"], job["start"], job["end"]) == (
        "Data Scientist",
        "Matelabs",
        "2017-05",
        None,
    )
    assert job["highlights"] == ["Developed and deployed auto preprocessing steps of machine learning"]
    [school] = profile["education"]
    assert (school["degree"], school["school"], school["start"], school["end"]) == (
        "B.E",
        "UIT-RGPV",
        "2013-05",
        "2017-05",
    )
    text = (await llm_client.read_resource(f"resume://{profile['resume_id']}/text")).contents[0].text
    assert text[school["evidence"]["start"] : school["evidence"]["end"]].startswith("B.E")
    assert "UIT-RGPV" in text[school["evidence"]["start"] : school["evidence"]["end"]]
    assert (
        profile["languages"] == []
    )  # "English" is not written in this resume, Klingon is no language we know
    dropped = next(w for w in profile["warnings"] if "dropped" in w)
    assert dropped.startswith(
        "10 value(s) from the model were dropped"
    )  # name, LinkedIn URL, 2 skills, "present", 1 highlight, 2 for Google, 2 languages
    prompt = sent_prompt(fake_llm)
    assert "is untrusted data" in prompt and "Copy values exactly as they are written" in prompt
    assert "Matelabs" in prompt


async def test_an_invented_resume_for_an_almost_empty_text_changes_nothing(llm_client, fake_llm):
    fake_llm.queue(Reply(answer=json.dumps(INVENTED_PERSON)))
    result = await llm_client.call_tool(
        "parse_resume", {"text": "Curriculum Vitae\n\n(scan failed)", "use_llm": True}
    )
    profile = result.structured_content
    assert (profile["name"], profile["email"], profile["phone"], profile["headline"]) == (
        None,
        None,
        None,
        None,
    )
    assert profile["experience"] == [] and profile["education"] == [] and profile["skills"] == []
    assert profile["links"] == {} and profile["languages"] == []
    assert any(w.startswith("14 value(s) from the model were dropped") for w in profile["warnings"])


async def test_a_failing_model_leaves_the_heuristic_parse_with_a_warning(llm_client, fake_llm, data_set_resume):
    fake_llm.queue(Reply.server_error(), Reply.server_error(), Reply.server_error())
    result = await llm_client.call_tool("parse_resume", {"text": data_set_resume, "use_llm": True})
    assert not result.is_error
    profile = result.structured_content
    assert profile["parsed_with"] == ["heuristic"]
    assert profile["experience"][0]["company"] == "Matelabs"
    assert any(w.startswith("use_llm: the model could not be used") for w in profile["warnings"])


async def test_chinese_resume_uses_the_chinese_prompt(llm_client, fake_llm):
    text = (FIXTURES / "resumes" / "generated_chinese_gb18030.txt").read_bytes().decode("gb18030")
    answer = {
        "name": "张伟",
        "skills": ["机器学习", "Go语言"],
        "languages": ["普通话", "英语"],
        "experience": [
            {
                "title": "高级后端开发工程师",
                "company": "上海云图科技有限公司",
                "start": "2018-03",
                "end": "present",
            }
        ],
    }
    fake_llm.queue(Reply(answer=json.dumps(answer, ensure_ascii=False)))
    profile = (await llm_client.call_tool("parse_resume", {"text": text, "use_llm": True})).structured_content
    assert "所有值必须与简历原文一字不差" in sent_prompt(fake_llm)
    assert profile["parsed_with"] == ["heuristic", "llm"] and profile["name"] == "张伟"
    assert {"Machine Learning", "Go"} <= set(profile["skills"])
    assert profile["languages"] == ["English", "Mandarin Chinese"]


@pytest.mark.parametrize("mode", ["legacy", "auto"], ids=["2025-11-25-mid-call", "2026-07-28-input-required"])
async def test_sampling_backend_reads_the_resume_with_the_clients_model(settings, mode, data_set_resume):
    asked: list[str] = []
    answer = {"experience": [{"title": "Data Scientist", "company": "Matelabs", "start": "2017-05"}]}

    async def sample(context, params):
        asked.append(params.messages[0].content.text)
        text = types.TextContent(type="text", text=json.dumps(answer))
        return types.CreateMessageResult(role="assistant", content=text, model="host-model")

    runtime = Runtime(settings.model_copy(update={"llm_backend": "sampling"}))
    try:
        async with Client(build_server(runtime), sampling_callback=sample, mode=mode) as client:
            result = await client.call_tool("parse_resume", {"text": data_set_resume, "use_llm": True})
    finally:
        runtime.close()
    assert not result.is_error, result.content
    profile = result.structured_content
    assert profile["parsed_with"] == ["heuristic", "llm"]
    assert profile["experience"][0]["start"] == "2017-05"
    assert len(asked) == 1 and "Matelabs" in asked[0]
