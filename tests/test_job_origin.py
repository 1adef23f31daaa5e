"""A job's origin is kept apart from the board that loads its details: a JobSpy row whose site is
linkedin keeps its LinkedIn URL, and get_job_details reads that URL with the page reader instead of
asking LinkedIn for the row's own id ("li-<n>"), which LinkedIn never issued."""

from __future__ import annotations

import json

import pytest
from mcp.client import Client

from conftest import chrome_paths
from jobsearch_mcp_server.jobs.build import build_job
from jobsearch_mcp_server.jobs.models import Job
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server
from scripted_site import Reply, scripted_site

pytestmark = pytest.mark.anyio

POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Senior Data Engineer",
    "hiringOrganization": {"@type": "Organization", "name": "Fjordline Analytics"},
    "jobLocation": {"@type": "Place", "address": {"addressLocality": "Oslo", "addressCountry": "NO"}},
    "datePosted": "2026-11-20",
    "description": "<p>Own the Spark pipelines that feed our route planning, with Python and Airflow.</p>",
}
PAGE = (
    "<html><head><title>Senior Data Engineer - Fjordline Analytics</title>"
    f'<script type="application/ld+json">{json.dumps(POSTING)}</script></head>'
    "<body><h1>Senior Data Engineer</h1><p>Own the Spark pipelines that feed our route planning.</p></body></html>"
)


def jobspy_csv(job_url: str) -> str:
    """A JobSpy export row (its own columns, its own "li-" id) for a LinkedIn posting."""
    header = "id,site,job_url,job_url_direct,title,company,location,date_posted,job_type,description"
    row = f"li-4087123456,linkedin,{job_url},,Senior Data Engineer,Fjordline Analytics,Oslo,2026-11-20,fulltime,"
    return f"{header}\n{row}\n"


def test_board_records_load_from_their_board_and_file_records_by_url():
    board = build_job(source="greenhouse", source_id="42", title="Data Engineer")
    imported = build_job(source="linkedin", source_id="li-1", title="Data Engineer", details_by_url=True)
    assert board.details_from == "greenhouse"
    assert (imported.source, imported.details_from) == ("linkedin", None)
    # a record cached before the field existed came from its board
    stored = board.model_dump(mode="json")
    del stored["details_from"]
    assert Job.model_validate(stored).details_from == "greenhouse"


@pytest.mark.browser
async def test_an_imported_linkedin_row_gets_its_details_by_url(settings, monkeypatch):
    chrome, driver = chrome_paths()
    runtime = Runtime(
        settings.model_copy(
            update={
                "chrome_binary": chrome,
                "chromedriver": driver,
                "min_request_interval_s": 0.0,
                "page_timeout_s": 10.0,
                "source_timeout_s": 30.0,
                "allow_private_urls": ["127.0.0.1"],
            }
        )
    )
    try:
        with scripted_site() as site:
            # LinkedIn itself is this site too: asking it for the row's id would show in the hits
            monkeypatch.setenv("JOBSEARCH_LINKEDIN_BASE_URL", site.base_url)
            site.route("/jobs/view/senior-data-engineer-at-fjordline-4087123456", Reply(body=PAGE))
            job_url = f"{site.base_url}/jobs/view/senior-data-engineer-at-fjordline-4087123456"
            export = settings.allowed_folders()[0] / "jobspy.csv"
            export.write_text(jobspy_csv(job_url), encoding="utf-8")
            async with Client(build_server(runtime)) as client:
                imported = await client.call_tool("import_jobs", {"path": str(export)})
                assert not imported.is_error, imported.content[0].text
                listed = imported.structured_content["page"]["jobs"][0]
                details = await client.call_tool("get_job_details", {"job_id": listed["job_id"]})
        assert not details.is_error, details.content[0].text
        job = details.structured_content["job"]
        assert details.structured_content["note"] is None
        assert (job["source"], job["source_id"], job["details_from"]) == ("linkedin", "li-4087123456", None)
        assert job["url"] == job_url
        assert "Spark pipelines that feed our route planning" in job["description"]
        assert [hit.path for hit in site.hits if hit.path != "/favicon.ico"] == [
            "/jobs/view/senior-data-engineer-at-fjordline-4087123456"
        ]
        assert not any("li-4087123456" in hit.path for hit in site.hits)
    finally:
        runtime.close()
