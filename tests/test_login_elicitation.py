"""A search that meets a login wall asks the person, through MCP elicitation, to sign in and retry.

Real MCP client sessions on both protocol eras, the server's real headless Chromium, and the local board
site, whose BOSS直聘 search shows the login wall until `/__login` sets its session cookie. The client's
elicitation callback does what the person does: runs `jobsearch-mcp login zhipin` (its browser, the
same profile, signing in), then answers Retry.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import anyio
import pytest
from mcp.client import Client
from mcp_types import ElicitResult
from selenium.webdriver.remote.webdriver import WebDriver

from board_site import BoardSiteForTests
from conftest import pointed
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.demo.site import BoardSite, board_samples
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server
from jobsearch_mcp_server.sources.login import run_login

pytestmark = [pytest.mark.anyio, pytest.mark.browser]

ERAS = pytest.mark.parametrize(
    "mode", ["legacy", "auto"], ids=["2025-11-25-mid-call", "2026-07-28-input-required"]
)
SEARCH = {"query": "fraud", "sources": ["greenhouse:brightwave", "zhipin"]}
ZHIPIN_COMPANIES = {"星澜数智", "禾丰零售"}  # the sample BOSS直聘 result page, shown once signed in
GREENHOUSE_FRAUD_JOB = "Data Scientist, Claims"  # the sample Greenhouse board's one job that mentions fraud
GREENHOUSE_BOARD = "/greenhouse/v1/boards/brightwave/jobs"
ZHIPIN_SEARCH = (
    "/zhipin/web/geek/job?query="  # the source's search (the login page redirects to a bare /web/geek/job)
)


@pytest.fixture(scope="module")
def site() -> Iterator[BoardSite]:
    with BoardSiteForTests([sample for sample in board_samples() if sample.board in ("zhipin", "greenhouse")]) as board_site:
        yield board_site


@pytest.fixture
def login_settings(browser_settings: Settings, data_dir: Path, site: BoardSite) -> Settings:
    """Real headless Chromium and a data folder of the test's own, so a signed-out BOSS直聘 profile."""
    return pointed(browser_settings, site.base_urls()).model_copy(update={"data_dir": data_dir})


@pytest.fixture
def runtime(login_settings: Settings) -> Iterator[Runtime]:
    runtime = Runtime(login_settings)
    yield runtime
    runtime.close()


def asked_of(site: BoardSite, path: str, since: int) -> list[str]:
    return [request for request in site.requests[since:] if request.startswith(path)]


def statuses(result) -> dict[str, str]:
    return {report["source"]: report["status"] for report in result.structured_content["sources"]}


@ERAS
async def test_signing_in_and_retrying_adds_the_boards_jobs_to_the_same_search(
    runtime, login_settings, site, mode
):
    start = len(site.requests)
    questions: list[str] = []
    zhipin_asked_before_answer: list[int] = []

    def sign_in(browser: WebDriver) -> None:  # what the person does in the login window
        browser.get(f"{site.url}/__login?to=/zhipin/web/geek/job")

    async def person(context, params) -> ElicitResult:
        questions.append(params.message)
        zhipin_asked_before_answer.append(len(asked_of(site, ZHIPIN_SEARCH, start)))
        # `jobsearch-mcp login zhipin` runs while the server is up: the profile must be free for it.
        await anyio.to_thread.run_sync(
            partial(run_login, login_settings, "zhipin", headless=True, wait_for_person=sign_in)
        )
        return ElicitResult(action="accept", content={"retry": True})

    async with Client(build_server(runtime), elicitation_callback=person, mode=mode) as client:
        result = await client.call_tool("search_jobs", SEARCH)
        assert not result.is_error, result.content[0].text
        found = result.structured_content
        again = await client.call_tool("search_jobs", {**SEARCH, "search_id": found["search_id"]})

    assert len(questions) == 1 and zhipin_asked_before_answer == [1]  # asked after the walled attempt
    assert "zhipin: BOSS直聘 shows its results only to signed-in visitors" in questions[0]
    assert "Run `jobsearch-mcp login zhipin` in a terminal" in questions[0]
    assert statuses(result) == {"greenhouse:brightwave": "ok", "zhipin": "ok"}
    companies = {job["company"] for job in found["jobs"]}
    assert ZHIPIN_COMPANIES <= companies
    assert GREENHOUSE_FRAUD_JOB in {job["title"] for job in found["jobs"]}
    assert found["total"] == 3
    assert len(asked_of(site, ZHIPIN_SEARCH, start)) == 2  # the wall, then the signed-in result list
    assert len(asked_of(site, GREENHOUSE_BOARD, start)) == 1  # only the walled board asked again
    with sqlite3.connect(login_settings.db_path) as db:  # one search, merged in place
        assert db.execute("SELECT search_id FROM searches").fetchall() == [(found["search_id"],)]
    assert [job["job_id"] for job in again.structured_content["jobs"]] == [
        job["job_id"] for job in found["jobs"]
    ]


@ERAS
async def test_declining_keeps_the_login_status_and_asks_no_board_again(runtime, site, mode):
    start = len(site.requests)
    questions: list[str] = []

    async def person(context, params) -> ElicitResult:
        questions.append(params.message)
        return ElicitResult(action="decline")

    async with Client(build_server(runtime), elicitation_callback=person, mode=mode) as client:
        result = await client.call_tool("search_jobs", SEARCH)

    assert not result.is_error, result.content[0].text
    assert len(questions) == 1
    assert statuses(result) == {"greenhouse:brightwave": "ok", "zhipin": "login_required"}
    walled = next(report for report in result.structured_content["sources"] if report["source"] == "zhipin")
    assert "jobsearch-mcp login zhipin" in walled["message"]
    assert [job["title"] for job in result.structured_content["jobs"]] == [GREENHOUSE_FRAUD_JOB]
    assert len(asked_of(site, ZHIPIN_SEARCH, start)) == 1  # no second attempt


@ERAS
async def test_a_client_without_elicitation_gets_the_status_and_no_question(runtime, site, mode, caplog):
    start = len(site.requests)
    caplog.set_level(logging.INFO, logger="jobsearch_mcp_server.tools.login_retry")

    async with Client(build_server(runtime), mode=mode) as client:  # no elicitation capability declared
        result = await client.call_tool("search_jobs", SEARCH)

    assert not result.is_error, result.content[0].text
    assert statuses(result)["zhipin"] == "login_required"
    assert len(asked_of(site, ZHIPIN_SEARCH, start)) == 1
    assert "sign-in question" not in caplog.text  # the server never tried to ask
