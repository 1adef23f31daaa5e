"""check_jobs through MCP: a posting whose page turns 404, one whose page says it is closed, a board API
that drops a job, and one that cannot be asked."""

from __future__ import annotations

import pytest

from hunt_boards import Posting, serve
from scripted_site import Reply

pytestmark = [pytest.mark.anyio, pytest.mark.both_databases]

KEPT = Posting("201", "Robotics Engineer", "Fictional Arms", "grasping arms for parcel sorting")
DROPPED = Posting("202", "Robotics Engineer", "Imaginary Vision", "camera calibration for drones")


async def test_closed_postings_are_found_and_their_applications_marked(hunt_site, hunt_server):
    page = "<html><body><h1>Robot Technician</h1><p>Apply below.</p></body></html>"
    hunt_site.route("/careers/tech", Reply(body=page), Reply(404, "gone", content_type="text/plain"))
    hunt_site.route("/careers/lead", Reply(body=page), Reply(body="<p>This position has been filled.</p>"))
    hunt_site.route("/careers/steady", Reply(body=page))
    applications = {}
    for name in ("tech", "lead", "steady"):
        tracked = await hunt_server.call(
            "track_application",
            {"job_id": f"own-{name}", "status": "applied", "url": f"{hunt_site.base_url}/careers/{name}"},
        )
        applications[name] = tracked.structured_content["application_id"]
    # An address nobody answers on: port 9 of 127.0.0.1 (discard) refuses connections.
    await hunt_server.call("track_application", {"job_id": "own-away", "url": "http://127.0.0.1:9/job"})

    serve(hunt_site, [KEPT, DROPPED], None)
    await hunt_server.call(
        "save_search", {"name": "robots", "query": "robotics engineer", "sources": ["remotive"]}
    )
    run = await hunt_server.call("run_saved_search", {"name": "robots"})
    assert run.structured_content["total"] == 2

    first = (
        await hunt_server.call("check_jobs", {"job_ids": ["own-tech", "own-lead", "own-steady"]})
    ).structured_content
    assert (first["open"], first["closed"]) == (3, 0)

    serve(hunt_site, [KEPT], None)  # the board no longer lists DROPPED; the pages answer their second reply
    checks = await hunt_server.call("check_jobs", {})
    assert not checks.is_error, checks.content
    result = checks.structured_content
    by_id = {c["job_id"]: c for c in result["jobs"]}
    assert by_id["own-tech"]["state"] == "closed" and "404" in by_id["own-tech"]["reason"]
    assert by_id["own-lead"]["state"] == "closed" and "filled" in by_id["own-lead"]["reason"]
    assert by_id["own-steady"]["state"] == "open"
    assert by_id["own-away"]["state"] == "unknown"
    board = {c["company"]: c["state"] for c in result["jobs"] if c["company"]}  # the saved search's last run
    assert board == {"Fictional Arms": "open", "Imaginary Vision": "closed"}
    assert (result["checked"], result["open"], result["closed"], result["unknown"]) == (6, 2, 3, 1)
    assert result["jobs"][0]["state"] == "closed"  # closed first

    # Closed applications are marked, with a history entry, not deleted.
    listing = (await hunt_server.call("list_applications", {})).structured_content["applications"]
    by_job = {a["job_id"]: a for a in listing}
    assert len(listing) == 4
    assert by_job["own-tech"]["status"] == "closed"
    assert by_job["own-tech"]["history"][-1]["note"].startswith("check_jobs: its page answers HTTP 404")
    assert by_job["own-lead"]["status"] == "closed" and by_job["own-steady"]["status"] == "applied"
    assert by_id["own-tech"]["marked_closed"] and not by_id["own-steady"]["marked_closed"]


async def test_an_empty_list_is_an_error(hunt_server):
    result = await hunt_server.call("check_jobs", {"job_ids": []})
    assert result.is_error and "job_ids is empty" in result.content[0].text
