"""The application pipeline through MCP: history, follow-ups that come due, jobs from outside any search."""

import json
from datetime import date, timedelta

import pytest
from mcp.client import Client

from jobsearch_mcp_server.jobs.models import Job
from jobsearch_mcp_server.server import build_server
from jobsearch_mcp_server.services.hunt.tracker import Tracker

pytestmark = [pytest.mark.anyio, pytest.mark.both_databases]


@pytest.fixture
def cached_job(runtime) -> Job:
    job = Job(
        job_id="greenhouse-abc123",
        source="greenhouse",
        source_id="77",
        title="Platform Engineer",
        company="Fictional Cloud",
        url="https://boards.example/77",
    )
    runtime.store.save_jobs([job])
    return job


async def test_every_change_is_kept_in_the_history(client, cached_job):
    first = await client.call_tool("track_application", {"job_id": cached_job.job_id, "status": "saved"})
    assert not first.is_error
    applied = await client.call_tool(
        "track_application",
        {
            "job_id": cached_job.job_id,
            "status": "applied",
            "notes": "sent resume v2",
            "contact": "Jane <jane@x.example>",
        },
    )
    later = (date.today() + timedelta(days=7)).isoformat()
    third = await client.call_tool(
        "track_application", {"job_id": cached_job.job_id, "status": "interviewing", "follow_up_on": later}
    )
    app = third.structured_content
    assert app["application_id"] == first.structured_content["application_id"]
    assert [h["status"] for h in app["history"]] == ["saved", "applied", "interviewing"]
    assert [h["note"] for h in app["history"]] == [
        None,
        "sent resume v2",
        f"applied -> interviewing; follow up on {later}",
    ]
    assert app["applied_on"] == date.today().isoformat()  # applied without a date: today
    assert app["contact"] == "Jane <jane@x.example>" and app["notes"] == "sent resume v2"
    assert (app["title"], app["company"]) == ("Platform Engineer", "Fictional Cloud")
    assert applied.structured_content["history"][-1]["status"] == "applied"

    one = json.loads((await client.read_resource(f"application://{app['application_id']}")).contents[0].text)
    assert [h["status"] for h in one["history"]] == ["saved", "applied", "interviewing"]
    every = json.loads((await client.read_resource("applications://all")).contents[0].text)
    assert [h["status"] for h in every["applications"][0]["history"]] == ["saved", "applied", "interviewing"]


async def test_statuses_include_closed_and_filter_the_list(client, cached_job):
    await client.call_tool("track_application", {"job_id": cached_job.job_id, "status": "closed"})
    await client.call_tool(
        "track_application", {"job_id": "own-1", "status": "offer", "url": "https://careers.example/9"}
    )
    closed = await client.call_tool("list_applications", {"status": "closed"})
    assert [a["job_id"] for a in closed.structured_content["applications"]] == [cached_job.job_id]
    everything = await client.call_tool("list_applications", {})
    assert {a["job_id"] for a in everything.structured_content["applications"]} == {
        cached_job.job_id,
        "own-1",
    }


async def test_an_unknown_job_id_is_refused_unless_the_job_is_described(client, runtime):
    refused = await client.call_tool("track_application", {"job_id": "nowhere-1", "status": "applied"})
    assert refused.is_error
    assert "url" in refused.content[0].text and "title and company" in refused.content[0].text
    only_title = await client.call_tool("track_application", {"job_id": "nowhere-1", "title": "Engineer"})
    assert only_title.is_error
    assert runtime.store.list_applications() == []

    by_name = await client.call_tool(
        "track_application",
        {"job_id": "acme-backend", "status": "applied", "title": "Backend Engineer", "company": "Acme"},
    )
    assert not by_name.is_error
    assert (by_name.structured_content["title"], by_name.structured_content["company"]) == (
        "Backend Engineer",
        "Acme",
    )
    # The job is recorded: the next call needs no description, and the job outlives the cache.
    again = await client.call_tool("track_application", {"job_id": "acme-backend", "status": "interviewing"})
    assert not again.is_error and len(again.structured_content["history"]) == 2
    assert runtime.store.get_job("acme-backend").company == "Acme"
    bad_url = await client.call_tool("track_application", {"job_id": "x-2", "url": "ftp://files.example/job"})
    assert bad_url.is_error and "http(s)" in bad_url.content[0].text


@pytest.mark.parametrize(
    ("value", "expected"),
    [("next tuesday", "not a date"), ((date.today() - timedelta(days=1)).isoformat(), "in the past")],
)
async def test_a_bad_follow_up_date_is_a_clear_error_and_changes_nothing(
    client, cached_job, runtime, value, expected
):
    result = await client.call_tool(
        "track_application", {"job_id": cached_job.job_id, "status": "applied", "follow_up_on": value}
    )
    assert result.is_error and expected in result.content[0].text
    assert runtime.store.list_applications() == []


async def test_due_lists_passed_follow_ups_and_applications_quiet_for_n_days(runtime, cached_job):
    days = runtime.settings.follow_up_days
    start = date.today()  # the store stamps changes with the real clock; the tracker's days move on from it
    clock = {"today": start}
    tracker = Tracker(runtime.store, days, today=lambda: clock["today"])
    applied_quietly = tracker.track(cached_job.job_id, "applied", applied_on=start.isoformat())
    tracker.track(
        "own-2",
        "interviewing",
        url="https://careers.example/2",
        follow_up_on=(start + timedelta(days=3)).isoformat(),
    )
    tracker.track("own-3", "rejected", url="https://careers.example/3")
    assert tracker.list(due=True).applications == []

    # The store's clock is real time: move the quiet application's last change back by N days.
    runtime.store._execute(
        "UPDATE applications SET updated_at = updated_at - ? WHERE application_id = ?",
        (days * 86400, applied_quietly.application_id),
    )
    clock["today"] = start + timedelta(days=3)
    due = tracker.list(due=True)
    assert {a.job_id for a in due.applications} == {cached_job.job_id, "own-2"}
    assert "JOBSEARCH_FOLLOW_UP_DAYS" in due.due_rule
    # A change resets the quiet clock.
    tracker.track(cached_job.job_id, "applied", notes="wrote to the recruiter")
    assert {a.job_id for a in tracker.list(due=True).applications} == {"own-2"}


async def test_due_through_mcp(client, runtime, cached_job):
    today = date.today().isoformat()
    await client.call_tool(
        "track_application", {"job_id": cached_job.job_id, "status": "applied", "follow_up_on": today}
    )
    due = await client.call_tool("list_applications", {"due": True})
    assert [a["job_id"] for a in due.structured_content["applications"]] == [cached_job.job_id]


async def test_applications_survive_a_restart(settings, cached_job):
    from jobsearch_mcp_server.runtime import Runtime

    first = Runtime(settings)
    async with Client(build_server(first)) as client:
        await client.call_tool(
            "track_application", {"job_id": "own-9", "status": "applied", "url": "https://c.example/9"}
        )
    first.close()
    second = Runtime(settings)
    try:
        async with Client(build_server(second)) as client:
            listing = await client.call_tool("list_applications", {})
        assert [a["job_id"] for a in listing.structured_content["applications"]] == ["own-9"]
    finally:
        second.close()
