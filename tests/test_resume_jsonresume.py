"""JSON Resume and rendercv YAML as exact input of parse_resume, and resume://{id}/jsonresume, through
real MCP sessions."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest
from mcp.client import Client

from conftest import FIXTURES
from jobsearch_mcp_server.config import Settings

pytestmark = pytest.mark.anyio
RESUMES = FIXTURES / "resumes"
KIM = RESUMES / "jsonresume_kim.json"
EMILY_YAML = RESUMES / "layouts" / "emily_carter__rendercv-classic.yaml"
EMILY_PDF = RESUMES / "layouts" / "emily_carter__rendercv-classic.pdf"


@pytest.fixture
def allowed(settings: Settings) -> Path:
    return settings.allowed_folders()[0]


async def parse(client: Client, arguments: dict) -> dict:
    result = await client.call_tool("parse_resume", arguments)
    assert not result.is_error, result.content[0].text
    return result.structured_content


async def read(client: Client, uri: str) -> str:
    return (await client.read_resource(uri)).contents[0].text


async def assert_spans_hold(client: Client, profile: dict) -> None:
    text = await read(client, f"resume://{profile['resume_id']}/text")
    for field in ("name", "email", "phone", "location", "headline", "summary"):
        span = profile["evidence"][field]
        assert text[span["start"] : span["end"]] == profile[field]
    for skill in profile["skills"]:
        span = profile["evidence"][f"skills.{skill}"]
        assert text[span["start"] : span["end"]]


async def test_a_json_resume_file_is_taken_exactly_and_given_back(client, allowed):
    shutil.copy(KIM, allowed / KIM.name)
    profile = await parse(client, {"path": KIM.name})
    assert profile["format"] == "jsonresume" and profile["parsed_with"] == ["jsonresume"]
    assert (profile["name"], profile["email"], profile["phone"]) == (
        "Hana Kim",
        "hana.kim@mail.example",
        "+82 10-2345-6789",
    )
    assert profile["location"] == "Seoul, KR"
    assert profile["links"] == {
        "github": "https://github.com/hanakim-sre",
        "linkedin": "https://www.linkedin.com/in/hana-kim-sre",
        "website": "https://hanakim.example",
    }
    assert [(e["title"], e["company"], e["start"], e["end"]) for e in profile["experience"]] == [
        ("Site Reliability Engineer", "Hangang Pay", "2021-09", "present"),
        ("Systems Engineer", "Namsan Games", "2017-03", "2021-08"),
    ]
    assert [(e["degree"], e["school"], e["field"]) for e in profile["education"]] == [
        ("Bachelor", "Korea University", "Computer Science")
    ]
    assert {"Kubernetes", "Terraform", "Docker", "Prometheus", "Go"} <= set(profile["skills"])
    assert profile["languages"] == ["Korean", "English"]
    await assert_spans_hold(client, profile)

    exported = json.loads(await read(client, f"resume://{profile['resume_id']}/jsonresume"))
    original = json.loads(KIM.read_text(encoding="utf-8"))
    assert exported["basics"]["name"] == original["basics"]["name"]
    assert exported["basics"]["email"] == original["basics"]["email"]
    assert {p["url"] for p in exported["basics"]["profiles"]} == {
        p["url"] for p in original["basics"]["profiles"]
    }
    assert [(w["name"], w["position"], w["highlights"]) for w in exported["work"]] == [
        (w["name"], w["position"], w["highlights"]) for w in original["work"]
    ]
    assert "endDate" not in exported["work"][0] and exported["work"][1]["endDate"] == "2021-08"
    assert exported["education"][0]["institution"] == "Korea University"


async def test_pasted_json_resume_text_is_taken_exactly_too(client):
    profile = await parse(client, {"text": KIM.read_text(encoding="utf-8")})
    assert profile["format"] == "jsonresume" and profile["name"] == "Hana Kim"


async def test_a_rendercv_yaml_upload_is_taken_exactly(client):
    content = base64.b64encode(EMILY_YAML.read_bytes()).decode()
    profile = await parse(client, {"content_base64": content, "filename": "cv.yaml"})
    assert profile["format"] == "rendercv"
    assert (profile["name"], profile["location"]) == ("Emily Carter", "Jersey City, NJ")
    assert profile["links"]["linkedin"] == "https://linkedin.com/in/emily-carter-data"
    assert [(e["title"], e["company"], e["start"], e["end"]) for e in profile["experience"]] == [
        ("Senior Data Engineer", "Harborline Analytics", "2021-03", "present"),
        ("Data Engineer", "Bluefin Insurance Group", "2017-06", "2021-02"),
    ]
    await assert_spans_hold(client, profile)


async def test_the_pdf_rendercv_made_from_that_yaml_exports_the_same_jobs(client, allowed):
    shutil.copy(EMILY_PDF, allowed / EMILY_PDF.name)
    from_yaml = await parse(client, {"text": EMILY_YAML.read_text(encoding="utf-8"), "filename": "cv.yaml"})
    from_pdf = await parse(client, {"path": EMILY_PDF.name})
    assert from_pdf["format"] == "pdf"
    exports = [
        json.loads(await read(client, f"resume://{profile['resume_id']}/jsonresume"))
        for profile in (from_yaml, from_pdf)
    ]
    jobs = [
        [(w["name"], w["position"], w["startDate"], w.get("endDate")) for w in e["work"]] for e in exports
    ]
    assert jobs[0] == jobs[1]
    assert (
        exports[0]["basics"]["location"]
        == exports[1]["basics"]["location"]
        == {"city": "Jersey City", "countryCode": "US"}
    )


async def test_a_json_file_that_is_no_resume_is_read_as_text(client):
    profile = await parse(client, {"text": '{"basics": "not an object"}\n'})
    assert profile["format"] == "text" and profile["name"] is None
