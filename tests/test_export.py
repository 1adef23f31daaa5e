"""export_jobs through MCP: files read back with the csv module (JobSpy's columns), JSON Lines and Markdown;
paths outside the allowed folders, existing files and failed writes."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from hunt_boards import Posting, serve
from jobsearch_mcp_server.services.hunt import export as export_module

pytestmark = [pytest.mark.anyio, pytest.mark.both_databases]

ARM = Posting("301", "Robotics Engineer", "Fictional Arms", "grasping arms for parcel sorting")
VISION = Posting("302", "Robotics Engineer", "Imaginary Vision", "camera calibration for drones")
JOBSPY = ["site", "job_url", "title", "company", "location", "date_posted", "job_type", "min_amount",
          "max_amount", "currency", "interval", "is_remote", "description"]  # fmt: skip


@pytest.fixture
async def searched(hunt_site, hunt_server):
    serve(hunt_site, [ARM, VISION], None)
    await hunt_server.call(
        "save_search", {"name": "robots", "query": "robotics engineer", "sources": ["remotive"]}
    )
    return (await hunt_server.call("run_saved_search", {"name": "robots"})).structured_content


@pytest.fixture
def folder(hunt_settings):
    return hunt_settings.allowed_dirs[0]


async def test_csv_has_jobspy_columns_and_imports_back_as_the_same_jobs(hunt_server, searched, folder):
    result = await hunt_server.call(
        "export_jobs", {"what": searched["search_id"], "format": "csv", "path": "jobs.csv"}
    )
    assert not result.is_error, result.content
    assert result.structured_content["rows"] == 2
    reader = csv.DictReader(io.StringIO((folder / "jobs.csv").read_text(encoding="utf-8"), newline=""))
    rows = list(reader)
    assert set(JOBSPY) <= set(reader.fieldnames)
    assert {(r["title"], r["company"], r["site"]) for r in rows} == {
        (ARM.title, ARM.company, "remotive"), (VISION.title, VISION.company, "remotive"),
    }  # fmt: skip
    assert all(
        r["is_remote"] == "True" and r["job_url"].startswith("https://remotive.example/") for r in rows
    )
    assert "parcel sorting" in next(r["description"] for r in rows if r["company"] == ARM.company)

    imported = await hunt_server.call("import_jobs", {"path": str(folder / "jobs.csv")})
    ids = {job["job_id"] for job in imported.structured_content["page"]["jobs"]}
    assert ids == {job["job_id"] for job in searched["jobs"]}


async def test_a_saved_search_name_exports_its_last_run_as_jsonl(hunt_server, searched, folder):
    result = await hunt_server.call(
        "export_jobs", {"what": "robots", "format": "jsonl", "path": str(folder / "r.jsonl")}
    )
    assert not result.is_error, result.content
    lines = [json.loads(line) for line in (folder / "r.jsonl").read_text().splitlines()]
    assert sorted(line["company"] for line in lines) == sorted([ARM.company, VISION.company])
    assert {line["job_id"] for line in lines} == {job["job_id"] for job in searched["jobs"]}


async def test_applications_export_with_status_and_history(hunt_server, folder):
    await hunt_server.call(
        "track_application", {"job_id": "own-1", "status": "saved", "title": "Welder", "company": "Acme"}
    )
    await hunt_server.call(
        "track_application", {"job_id": "own-1", "status": "applied", "notes": "sent", "contact": "Jo"}
    )
    csv_result = await hunt_server.call(
        "export_jobs", {"what": "applications", "format": "csv", "path": "apps.csv"}
    )
    assert not csv_result.is_error, csv_result.content
    (row,) = list(csv.DictReader(io.StringIO((folder / "apps.csv").read_text(encoding="utf-8"), newline="")))
    assert (row["title"], row["company"], row["status"], row["contact"], row["notes"]) == (
        "Welder", "Acme", "applied", "Jo", "sent",
    )  # fmt: skip
    assert " saved" in row["history"] and " applied: sent" in row["history"]
    await hunt_server.call("export_jobs", {"what": "applications", "format": "markdown", "path": "apps.md"})
    text = (folder / "apps.md").read_text()
    assert "| title | company | status |" in text and "| Welder | Acme | applied |" in text


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"what": "applications", "format": "csv", "path": "/etc/jobs.csv"}, "outside the allowed folders"),
        ({"what": "applications", "format": "csv", "path": "../escape.csv"}, "outside the allowed folders"),
        ({"what": "applications", "format": "xlsx", "path": "a.xlsx"}, "format"),
        ({"what": "nothing-like-this", "format": "csv", "path": "a.csv"}, "neither 'applications'"),
        ({"what": "applications", "format": "csv", "path": "no-such-dir/a.csv"}, "does not exist"),
    ],
)
async def test_bad_exports_are_clear_errors(hunt_server, folder, arguments, expected):
    result = await hunt_server.call("export_jobs", arguments)
    assert result.is_error and expected in result.content[0].text, result.content[0].text
    assert os.listdir(folder) == []


async def test_an_existing_file_is_kept_unless_overwrite(hunt_server, folder):
    (folder / "apps.csv").write_text("mine\n")
    refused = await hunt_server.call(
        "export_jobs", {"what": "applications", "format": "csv", "path": "apps.csv"}
    )
    assert refused.is_error and "overwrite=true" in refused.content[0].text
    assert (folder / "apps.csv").read_text() == "mine\n"
    replaced = await hunt_server.call(
        "export_jobs", {"what": "applications", "format": "csv", "path": "apps.csv", "overwrite": True}
    )
    assert not replaced.is_error and (folder / "apps.csv").read_text().startswith("id,site,job_url")


async def test_a_failed_export_leaves_no_partial_file(hunt_server, folder, monkeypatch):
    (folder / "apps.csv").write_text("mine\n")

    def failing_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module.os, "replace", failing_replace)
    result = await hunt_server.call(
        "export_jobs", {"what": "applications", "format": "csv", "path": "apps.csv", "overwrite": True}
    )
    assert result.is_error and "No space left on device; nothing was written" in result.content[0].text
    assert os.listdir(folder) == ["apps.csv"] and (folder / "apps.csv").read_text() == "mine\n"
