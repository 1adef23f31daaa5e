"""Saved searches through real MCP sessions: each run returns only what no earlier run returned."""

from __future__ import annotations

import json

import pytest

from hunt_boards import Posting, serve

pytestmark = [pytest.mark.anyio, pytest.mark.both_databases]

ARM = Posting("101", "Robotics Engineer", "Fictional Arms", "grasping arms for parcel sorting")
VISION = Posting("102", "Robotics Engineer", "Imaginary Vision", "camera calibration for drones")
GONE = Posting("103", "Robotics Engineer", "Pretend Motors", "motor controllers for carts")
ARM_REPOST = Posting("111", "Robotics Engineer (m/w/d)", "Fictional Arms", "grasping arms for parcel sorting")
FRESH = Posting("104", "Robotics Engineer", "Invented Farms", "harvesting robots for orchards")
REMOTE_ONE = Posting("ok-7", "Senior Robotics Engineer", "Madeup Marine", "underwater drones for hull checks")


SAVED = {"name": "robots", "query": "robotics engineer", "sources": ["remotive", "remoteok"]}


def titles(result) -> set[tuple[str, str]]:
    return {(job["title"], job["company"]) for job in result.structured_content["jobs"]}


async def test_the_second_run_returns_exactly_the_new_postings(hunt_site, hunt_server):
    serve(hunt_site, [ARM, VISION, GONE], None)  # day one: RemoteOK blocks
    saved = await hunt_server.call("save_search", SAVED)
    assert not saved.is_error, saved.content
    first = await hunt_server.call("run_saved_search", {"name": "robots"})
    assert not first.is_error, first.content
    run = first.structured_content
    assert titles(first) == {(p.title, p.company) for p in (ARM, VISION, GONE)}
    assert run["total"] == 3 and run["already_seen"] == 0
    assert [(b["source"], b["status"]) for b in run["unavailable"]] == [("remoteok", "blocked")]

    # Day two: one posting gone, one reposted under a new id (near-identical text), one new, and RemoteOK
    # answers again with a posting it could not give yesterday. The hunt_server restarts in between.
    serve(hunt_site, [ARM_REPOST, VISION, FRESH], [REMOTE_ONE])
    await hunt_server.restart()
    second = await hunt_server.call("run_saved_search", {"name": "robots"})
    assert not second.is_error, second.content
    assert titles(second) == {(FRESH.title, FRESH.company), (REMOTE_ONE.title, REMOTE_ONE.company)}
    assert second.structured_content["already_seen"] == 2  # the repost and the unchanged one
    assert second.structured_content["unavailable"] == []

    # The new postings page like any search; a third run finds nothing new.
    paged = await hunt_server.call(
        "search_jobs", {"query": "robotics engineer", "search_id": second.structured_content["search_id"]}
    )
    assert titles(paged) == titles(second)
    third = await hunt_server.call("run_saved_search", {"name": "robots"})
    assert third.structured_content["jobs"] == [] and third.structured_content["total"] == 0
    listed = await hunt_server.call("list_saved_searches", {})
    (entry,) = listed.structured_content["saved_searches"]
    assert entry["seen"] == 5 and entry["last_search_id"] == third.structured_content["search_id"]


async def test_a_failed_board_marks_nothing_seen(hunt_site, hunt_server):
    serve(hunt_site, [VISION], [REMOTE_ONE])
    await hunt_server.call("save_search", SAVED)
    serve(hunt_site, [VISION], None)
    first = await hunt_server.call("run_saved_search", {"name": "robots"})
    assert titles(first) == {(VISION.title, VISION.company)}
    serve(hunt_site, [VISION], [REMOTE_ONE])
    second = await hunt_server.call("run_saved_search", {"name": "robots"})
    assert titles(second) == {(REMOTE_ONE.title, REMOTE_ONE.company)}


async def test_a_run_that_fails_midway_marks_nothing_seen(hunt_site, hunt_server, monkeypatch):
    from jobsearch_mcp_server.services.hunt import saved as saved_module

    serve(hunt_site, [ARM, VISION], None)
    await hunt_server.call("save_search", SAVED)

    def broken_page(*args, **kwargs):
        raise RuntimeError("the reply could not be built")

    with monkeypatch.context() as patch:
        patch.setattr(saved_module, "build_page", broken_page)
        failed = await hunt_server.call("run_saved_search", {"name": "robots"})
    assert failed.is_error
    again = await hunt_server.call("run_saved_search", {"name": "robots"})
    assert titles(again) == {(ARM.title, ARM.company), (VISION.title, VISION.company)}


async def test_with_a_resume_new_jobs_come_ranked_and_min_score_drops_weak_ones(hunt_site, hunt_server):
    serve(hunt_site, [ARM, VISION, GONE, FRESH], None)
    resume = hunt_server.runtime.resumes.save(
        hunt_server.runtime.resumes.parse(
            text="Robin Example\nRobotics Engineer\n\nExperience\nRobotics Engineer, Fictional Labs, 2019 - 2025\n"
            "Built grasping arms and parcel sorting cells in Python and C++ with ROS.\n\nSkills\nPython, C++, ROS",
            filename="robin.txt",
        )
    )
    await hunt_server.call("save_search", {**SAVED, "resume_id": resume.resume_id})
    ranked = (await hunt_server.call("run_saved_search", {"name": "robots"})).structured_content
    scores = [r["score"] for r in ranked["ranked"]]
    assert len(scores) == 4 and scores == sorted(scores, reverse=True)
    assert [job["job_id"] for job in ranked["jobs"]] == [r["job_id"] for r in ranked["ranked"]]
    assert all(r["reason"] for r in ranked["ranked"])

    cut = scores[1]
    await hunt_server.call(
        "save_search", {**SAVED, "name": "strict", "resume_id": resume.resume_id, "min_score": cut}
    )
    strict = (await hunt_server.call("run_saved_search", {"name": "strict"})).structured_content
    assert all(r["score"] >= cut for r in strict["ranked"]) and strict["total"] == len(strict["ranked"]) >= 2
    assert strict["dropped_below_min_score"] == 4 - strict["total"]


@pytest.mark.parametrize(
    ("tool", "arguments", "expected"),
    [
        ("run_saved_search", {"name": "nope"}, "the saved ones are 'robots'"),
        ("run_saved_search", {"name": "  "}, "name is empty"),
        ("delete_saved_search", {"name": "x" * 81}, "at most 80"),
        ("save_search", {"name": "", "query": "robotics"}, "name is empty"),
        ("save_search", {"name": "a", "query": "robotics", "sources": []}, "sources is empty"),
        ("save_search", {"name": "a", "query": "robotics", "min_score": 0.5}, "min_score needs resume_id"),
        ("save_search", {"name": "a", "query": "robotics", "sources": ["no-such-board"]}, "no-such-board"),
    ],
)
async def test_bad_names_and_arguments_are_clear_errors(hunt_site, hunt_server, tool, arguments, expected):
    serve(hunt_site, [ARM], None)
    await hunt_server.call("save_search", SAVED)
    result = await hunt_server.call(tool, arguments)
    assert result.is_error and expected in result.content[0].text, result.content[0].text


async def test_replace_and_delete(hunt_site, hunt_server):
    await hunt_server.call("save_search", SAVED)
    replaced = await hunt_server.call("save_search", {**SAVED, "location": "Remote", "limit": 5})
    assert (replaced.structured_content["location"], replaced.structured_content["limit"]) == ("Remote", 5)
    deleted = await hunt_server.call("delete_saved_search", {"name": "robots"})
    assert deleted.structured_content == {"name": "robots", "deleted": True}
    gone = await hunt_server.call("run_saved_search", {"name": "robots"})
    assert gone.is_error and "none is saved yet" in gone.content[0].text


async def test_a_big_ranked_run_pages_within_the_reply_budget(hunt_site, hunt_server):
    from jobsearch_mcp_server.services.pages import PAGE_BUDGET_CHARS

    many = [
        Posting(str(500 + n), f"Robotics Engineer {n}", f"Company {n}", f"robot topic number {n} " * 3)
        for n in range(60)
    ]
    serve(hunt_site, many, None)
    resume = hunt_server.runtime.resumes.save(
        hunt_server.runtime.resumes.parse(
            text="Robin Example\nRobotics Engineer\n\nSkills\nPython, ROS", filename="r.txt"
        )
    )
    await hunt_server.call("save_search", {**SAVED, "resume_id": resume.resume_id, "limit": 100})
    run = await hunt_server.call("run_saved_search", {"name": "robots"})
    result = run.structured_content
    assert result["total"] == 60 and result["next_offset"] == len(result["jobs"]) < 60
    assert len(result["ranked"]) == len(result["jobs"])
    assert len(json.dumps(result, indent=2)) <= PAGE_BUDGET_CHARS
