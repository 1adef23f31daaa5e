"""search_jobs end to end: real MCP sessions, the real board adapters, local servers standing in for the
boards (JOBSEARCH_<SOURCE>_BASE_URL), serving saved real responses, failures, slowness and a captcha."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date

import anyio
import pytest

from conftest import SHARED_DATA, SHARED_FIXTURES, pointed, require, shared
from jobsearch_mcp_server.config import load_settings
from jobsearch_mcp_server.errors import JobsearchError
from jobsearch_mcp_server.jobs.filters import keep
from jobsearch_mcp_server.jobs.models import Job, SearchQuery, SourceStatus
from jobsearch_mcp_server.services.pages import PAGE_BUDGET_CHARS
from jobsearch_mcp_server.services.search import SearchService
from jobsearch_mcp_server.sources.remoteok import parse_remoteok
from jobsearch_mcp_server.store import Store
from scripted_site import Reply, ScriptedSite, scripted_site

pytestmark = [pytest.mark.anyio, pytest.mark.both_databases]

REMOTEOK_2026 = SHARED_DATA / "remoteok_api_2026" / "remoteok.json"
GLASSDOOR = SHARED_DATA / "glassdoor_jobs_2020" / "glassdoor_jobs.csv"
CAPTCHA_PAGE = SHARED_FIXTURES / "walls" / "cloudflare_managed_challenge_2021.html"
# The board time limit, and the slow board's delay far beyond it: a busy machine parsing the other boards'
# answers must never reach the limit, and the slow board must always pass it.
SOURCE_TIMEOUT_S = 15.0  # 5 s was reached once by the 956-row file board at load average 12
SLOW_BOARD_S = 60.0
BOARDS = ("remoteok", "remotive", "arbeitnow", "greenhouse")


@pytest.fixture
def board_sites() -> Iterator[dict[str, ScriptedSite]]:
    """One local server per board (each its own host, as in real life); each test scripts its answers."""
    with ExitStack() as stack:
        yield {name: stack.enter_context(scripted_site()) for name in BOARDS}


@pytest.fixture
def settings(data_dir, tmp_path, board_sites, database_url):
    """Short time limits so failures show quickly, no spacing between requests, an import folder, and the
    boards pointed at the local servers (on each database engine)."""
    imports = tmp_path / "imports"
    imports.mkdir()
    local = load_settings(
        env_file=None,
        data_dir=str(data_dir),
        allowed_dirs=str(imports),
        llm_backend="none",
        source_timeout_s=SOURCE_TIMEOUT_S,
        progress_interval_s=30,  # beyond the board time limit: progress here counts boards, no heartbeats
        page_timeout_s=5,
        min_request_interval_s=0,
        database_url=database_url,
    )
    return pointed(local, {name: site.base_url for name, site in board_sites.items()})


@pytest.fixture
def boards(board_sites, runtime) -> dict[str, ScriptedSite]:
    """The local boards answering with saved real responses, failures, slowness and a captcha."""
    require(REMOTEOK_2026.exists(), f"needs the shared RemoteOK data at {REMOTEOK_2026}")
    sources = SHARED_FIXTURES / "sources"
    board_sites["remoteok"].route("/api", Reply.file(REMOTEOK_2026))
    board_sites["remotive"].route("/api/remote-jobs", Reply(500, "Internal Server Error"))
    board_sites["arbeitnow"].route(
        "/api/job-board-api", Reply.file(shared(sources / "arbeitnow/page1.json"), delay_s=SLOW_BOARD_S)
    )
    board_sites["greenhouse"].route("/v1/boards/acme/jobs", Reply.file(shared(CAPTCHA_PAGE), status=503))
    board_sites["greenhouse"].route("/v1/boards/stripe/jobs", Reply.file(shared(sources / "greenhouse/jobs_content.json")))
    runtime.search.context.http.retry_base_s = 0.01  # retries of the 500 stay inside the time limit
    return board_sites


def reports_of(result) -> dict[str, dict]:
    return {report["source"]: report for report in result.structured_content["sources"]}


async def test_every_board_reports_and_failures_do_not_spoil_the_rest(client, boards):
    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    started = time.monotonic()
    result = await client.call_tool(
        "search_jobs",
        {
            "query": "engineer",
            "sources": ["remoteok", "remotive", "arbeitnow", "greenhouse:acme", "greenhouse:stripe"],
            "limit": 50,
        },
        progress_callback=on_progress,
    )
    elapsed = time.monotonic() - started
    assert not result.is_error, result.content[0].text
    reports = reports_of(result)
    assert list(reports) == ["remoteok", "remotive", "arbeitnow", "greenhouse:acme", "greenhouse:stripe"]
    assert reports["remoteok"]["status"] == "ok" and reports["remoteok"]["count"] > 5
    assert reports["greenhouse:stripe"]["status"] == "ok"
    assert reports["remotive"]["status"] == "error" and "500" in reports["remotive"]["message"]
    assert (
        reports["arbeitnow"]["status"] == "timeout"
        and "JOBSEARCH_SOURCE_TIMEOUT" in reports["arbeitnow"]["message"]
    )
    assert (
        reports["greenhouse:acme"]["status"] == "blocked"
        and "Cloudflare" in reports["greenhouse:acme"]["message"]
    )
    assert len(boards["remotive"].hits) == 3  # the 500 was retried twice, then reported

    jobs = result.structured_content["jobs"]
    assert {job["source"] for job in jobs} == {"remoteok", "greenhouse"}
    assert (
        result.structured_content["total"]
        == reports["remoteok"]["count"] + reports["greenhouse:stripe"]["count"]
    )
    assert elapsed < SLOW_BOARD_S  # the slow board cost its time limit, not its delay

    assert progress[-1][:2] == (5, 5)
    search_id = result.structured_content["search_id"]  # named first, so a call cut short can pick it up
    assert progress[0] == (
        0, 5, f"search {search_id}: asking remoteok, remotive, arbeitnow, greenhouse:acme, greenhouse:stripe"
    )
    assert sorted(done for done, _, _ in progress) == [0, 1, 2, 3, 4, 5]
    assert any("arbeitnow: timeout" in (message or "") for _, _, message in progress)


async def test_a_board_that_keeps_failing_is_paused(client, boards):
    for _ in range(3):
        result = await client.call_tool("search_jobs", {"query": "python", "sources": ["remotive"]})
        assert reports_of(result)["remotive"]["status"] == "error"
    hits_before = len(boards["remotive"].hits)
    paused = reports_of(await client.call_tool("search_jobs", {"query": "python", "sources": ["remotive"]}))
    assert paused["remotive"]["status"] == "paused"
    assert "3 failures in a row" in paused["remotive"]["message"]
    assert len(boards["remotive"].hits) == hits_before  # a paused board is not asked at all

    listing = (await client.call_tool("list_sources", {})).structured_content["sources"]
    health = {source["name"]: source["health"] for source in listing}
    assert health["remotive"]["state"] == "open" and health["remotive"]["paused_until"]
    assert health["remoteok"]["state"] == "closed"


async def test_company_boards_are_tracked_one_by_one(client, boards):
    await client.call_tool(
        "search_jobs", {"query": "engineer", "sources": ["greenhouse:acme", "greenhouse:stripe"]}
    )
    listing = (await client.call_tool("list_sources", {})).structured_content["sources"]
    greenhouse = next(source for source in listing if source["name"] == "greenhouse")
    assert greenhouse["needs_company"] and not greenhouse["default"]
    assert greenhouse["base_url"] == boards["greenhouse"].base_url
    assert greenhouse["boards"]["greenhouse:acme"]["consecutive_failures"] == 1
    assert greenhouse["boards"]["greenhouse:stripe"]["consecutive_failures"] == 0


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["greenhouse"], "greenhouse:<company slug>"),
        (["remoteok:acme"], "not a company board"),
        (["monster"], "valid sources: "),
        (["file"], "file:<path>"),
    ],
)
async def test_badly_named_sources_are_explained(client, sources, expected):
    result = await client.call_tool("search_jobs", {"query": "python", "sources": sources})
    assert result.is_error
    assert expected in result.content[0].text


@pytest.mark.parametrize("outside_file", ["tmp", "/etc/passwd"])
async def test_a_file_outside_the_allowed_folders_is_the_callers_error_and_no_search_is_kept(
    client, runtime, boards, tmp_path, outside_file
):
    outside = tmp_path / "jobs.csv" if outside_file == "tmp" else outside_file
    if outside_file == "tmp":
        outside.write_text("title,company\nData Engineer,Acme\n", encoding="utf-8")
    result = await client.call_tool(
        "search_jobs", {"query": "data", "sources": [f"file:{outside}", "remoteok"]}
    )
    assert result.is_error  # as import_jobs of the same path: the argument is wrong, not the board
    assert f"file:{outside}" in result.content[0].text
    assert "JOBSEARCH_ALLOWED_DIRS" in result.content[0].text
    assert runtime.store.list_jobs(limit=10) == []
    assert runtime.search.breaker.status(f"file:{outside}").consecutive_failures == 0


async def test_an_empty_sources_list_is_refused_with_what_to_pass(client, runtime, boards):
    result = await client.call_tool("search_jobs", {"query": "data", "sources": []})
    assert result.is_error
    assert "leave it out" in result.content[0].text and "remoteok" in result.content[0].text
    assert boards["remoteok"].hits_of("/api") == []
    assert runtime.store.list_jobs(limit=10) == []


async def test_importing_a_file_without_data_rows_is_an_error_and_stores_nothing(client, runtime, settings):
    folder = settings.allowed_dirs[0]
    (folder / "header.csv").write_text("title,company,location\n", encoding="utf-8")
    (folder / "untitled.csv").write_text("title,company\n,Acme\n,Globex\n", encoding="utf-8")
    header_only = await client.call_tool("import_jobs", {"path": str(folder / "header.csv")})
    assert header_only.is_error and "no job rows" in header_only.content[0].text
    untitled = await client.call_tool("import_jobs", {"path": str(folder / "untitled.csv")})
    assert untitled.is_error and "none of the 2 rows" in untitled.content[0].text
    assert "row 1" in untitled.content[0].text
    assert runtime.store.list_jobs(limit=10) == []
    assert runtime.store._execute("SELECT count(*) FROM searches") == [(0,)]


async def test_paging_through_a_large_result_set(client, boards, settings):
    require(GLASSDOOR.exists(), f"needs the shared Glassdoor data at {GLASSDOOR}")
    export = settings.allowed_dirs[0] / "glassdoor.csv"
    shutil.copy(GLASSDOOR, export)
    first = await client.call_tool(
        "search_jobs", {"query": "data", "sources": ["remoteok", f"file:{export}"], "limit": 100}
    )
    assert not first.is_error, first.content[0].text
    total = first.structured_content["total"]
    search_id = first.structured_content["search_id"]
    assert total > 60, first.structured_content["sources"]

    seen: list[str] = []
    page = first
    pages = 0
    while True:
        body = page.structured_content
        assert len(page.content[0].text) <= PAGE_BUDGET_CHARS  # what the client's model reads
        assert body["offset"] == len(seen) and body["total"] == total
        seen += [job["job_id"] for job in body["jobs"]]
        pages += 1
        if body["next_offset"] is None:
            break
        page = await client.call_tool(
            "search_jobs", {"query": "data", "search_id": search_id, "offset": body["next_offset"]}
        )
    assert pages >= 3
    assert len(seen) == len(set(seen)) == total

    resource = await client.read_resource(f"job://{seen[-1]}")
    assert Job.model_validate_json(resource.contents[0].text).job_id == seen[-1]

    past_end = await client.call_tool(
        "search_jobs", {"query": "data", "search_id": search_id, "offset": total}
    )
    assert past_end.is_error and "outside" in past_end.content[0].text
    unknown = await client.call_tool("search_jobs", {"query": "data", "search_id": "nope", "offset": 0})
    assert unknown.is_error and "search_jobs again" in unknown.content[0].text


async def test_imported_reposts_are_merged_and_pageable(client, settings, tmp_path):
    require(GLASSDOOR.exists(), f"needs the shared Glassdoor data at {GLASSDOOR}")
    export = settings.allowed_dirs[0] / "glassdoor.csv"
    shutil.copy(GLASSDOOR, export)
    result = await client.call_tool("import_jobs", {"path": str(export)})
    assert not result.is_error, result.content[0].text
    body = result.structured_content
    # 956 rows: verbatim repeats are skipped by the reader, near-identical reposts merged here.
    assert body["skipped"] + body["imported"] + body["merged"] == 956
    assert body["merged"] >= 5
    page = body["page"]
    assert page["total"] == body["imported"] and page["next_offset"] is not None
    more = await client.call_tool(
        "search_jobs", {"query": "data", "search_id": page["search_id"], "offset": page["next_offset"]}
    )
    assert more.structured_content["offset"] == page["next_offset"]

    outside = tmp_path / "elsewhere.csv"
    shutil.copy(export, outside)
    refused = await client.call_tool("import_jobs", {"path": str(outside)})
    assert refused.is_error and "JOBSEARCH_ALLOWED_DIRS" in refused.content[0].text


async def test_job_details_by_id_come_from_the_cache(client, boards):
    found = await client.call_tool("search_jobs", {"query": "engineer", "sources": ["greenhouse:stripe"]})
    job_id = found.structured_content["jobs"][0]["job_id"]
    details = await client.call_tool("get_job_details", {"job_id": job_id})
    assert not details.is_error, details.content[0].text
    job = details.structured_content["job"]
    assert job["job_id"] == job_id and len(job["description"]) > 200
    assert details.structured_content["note"] is None
    hits = len(boards["greenhouse"].hits)
    await client.call_tool("get_job_details", {"job_id": job_id})
    assert len(boards["greenhouse"].hits) == hits


async def test_cancelling_a_search_stops_every_board_promptly(runtime, boards, settings):
    boards["arbeitnow"].route("/api/job-board-api", Reply.json("{}", delay_s=5))
    service = SearchService(settings.model_copy(update={"source_timeout_s": 30.0}), runtime.store)
    started = time.monotonic()
    with anyio.move_on_after(0.3):
        await service.search(SearchQuery(query="engineer"), ["arbeitnow", "greenhouse:stripe"])
    assert time.monotonic() - started < 1.0
    assert service.breaker.status("arbeitnow").consecutive_failures == 0  # a cancel is not a failure
    await service.aclose()


async def test_a_search_that_outlives_its_call_is_picked_up_by_its_search_id(client, runtime, boards):
    # A client's tool timeout (or a cancel) ends the call; the boards' answers are not thrown away.
    runtime.search.settings = runtime.search.settings.model_copy(update={"source_timeout_s": 60})
    page = shared(SHARED_FIXTURES / "sources/arbeitnow/page1.json")
    boards["arbeitnow"].route("/api/job-board-api", Reply.file(page, delay_s=0.5), Reply.file(page))
    named: list[str] = []
    with anyio.CancelScope() as call:

        async def on_progress(done, total, message):
            named.append(message.split(":")[0].removeprefix("search "))
            call.cancel()  # the client gives up as soon as it knows the search_id

        await client.call_tool(
            "search_jobs", {"query": "engineer", "sources": ["arbeitnow"]}, progress_callback=on_progress
        )
    assert call.cancelled_caught and named
    picked_up = await client.call_tool(
        "search_jobs", {"query": "engineer", "search_id": named[0]}
    )  # waits for the search still running, then pages it
    assert not picked_up.is_error, picked_up.content[0].text
    assert reports_of(picked_up)["arbeitnow"]["status"] == "ok"
    assert picked_up.structured_content["total"] > 0
    first_pages = [hit for hit in boards["arbeitnow"].hits_of("/api/job-board-api") if hit.query == "page=1"]
    assert len(first_pages) == 1  # the board was asked once, not again


async def test_a_search_running_in_another_process_is_waited_for_by_its_search_id(runtime, boards, settings):
    """Another server process on the same database (its own store and search service, nothing shared in
    memory) asked for a page of a search this one is still running: it waits for the results."""
    page = shared(SHARED_FIXTURES / "sources/arbeitnow/page1.json")
    boards["arbeitnow"].route("/api/job-board-api", Reply.file(page, delay_s=1.0), Reply.file(page))
    runtime.search.settings = runtime.search.settings.model_copy(update={"source_timeout_s": 60})
    named = anyio.Event()
    search_ids: list[str] = []

    async def on_progress(done, total, message):
        if not search_ids:
            search_ids.append(message.split(":")[0].removeprefix("search "))
            named.set()

    other_store = Store(settings.database)
    other = SearchService(settings, other_store)
    try:
        async with anyio.create_task_group() as group:
            results = []

            async def run_here():
                results.append(await runtime.search.search(SearchQuery(query="engineer"), ["arbeitnow"], on_progress))

            group.start_soon(run_here)
            await named.wait()
            assert not results  # still asking the board
            elsewhere = await other.page(search_ids[0])
        assert elsewhere.search_id == results[0].search_id and elsewhere.total == results[0].total > 0
        assert [job.job_id for job in elsewhere.jobs] == [job.job_id for job in results[0].jobs]
    finally:
        await other.aclose()
        other_store.close()


async def test_a_search_whose_process_stopped_is_reported_not_waited_for_forever(runtime, settings):
    runtime.store.start_search("stopped01", "engineer", None)
    long_ago = time.time() - settings.source_timeout_s - 3600
    runtime.store._execute("UPDATE searches SET running_since = ? WHERE search_id = ?", (long_ago, "stopped01"))
    with pytest.raises(JobsearchError, match="did not finish.*search_jobs again"):
        await runtime.search.page("stopped01")


async def test_a_search_that_fails_leaves_no_search_id_behind(runtime, boards, settings):
    outside = settings.data_dir / "jobs.csv"  # not in the import folder: the request itself is refused
    outside.write_text("title\nEngineer\n", encoding="utf-8")
    with pytest.raises(JobsearchError):
        await runtime.search.search(SearchQuery(query="engineer"), [f"file:{outside}"])
    assert runtime.store._execute("SELECT count(*) FROM searches") == [(0,)]


def test_filters_keep_unknowns_and_drop_what_the_user_excluded():
    require(REMOTEOK_2026.exists(), f"needs the shared RemoteOK data at {REMOTEOK_2026}")
    jobs = parse_remoteok(json.loads(REMOTEOK_2026.read_text(encoding="utf-8")))
    today = max(job.posted_at for job in jobs if job.posted_at)
    recent = [j for j in jobs if keep(j, remote_only=True, posted_within_days=3, location=None, today=today)]
    assert recent and len(recent) < len(jobs)
    assert all(job.posted_at is None or (today - job.posted_at).days <= 3 for job in recent)
    onsite = Job(job_id="x-1", source="x", source_id="1", title="Nurse", location="Boston, MA", remote=False)
    undated = Job(job_id="x-2", source="x", source_id="2", title="Engineer", location="Remote", remote=True)
    assert not keep(onsite, remote_only=True, posted_within_days=None, location=None, today=date(2026, 3, 16))
    assert keep(
        undated, remote_only=True, posted_within_days=1, location="Berlin, Germany", today=date(2026, 3, 16)
    )
    assert not keep(
        onsite, remote_only=False, posted_within_days=None, location="Berlin", today=date(2026, 3, 16)
    )
    assert keep(
        onsite, remote_only=False, posted_within_days=None, location="Boston", today=date(2026, 3, 16)
    )
    silent = Job(job_id="x-3", source="x", source_id="3", title="Data Engineer", location="United States")
    hybrid = silent.model_copy(update={"job_id": "x-4", "location": "Austin, TX (Hybrid)"})
    assert keep(silent, remote_only=True, posted_within_days=None, location=None, today=date(2026, 3, 16))
    assert not keep(hybrid, remote_only=True, posted_within_days=None, location=None, today=date(2026, 3, 16))


async def test_a_source_that_is_empty_says_so(client, boards):
    result = await client.call_tool(
        "search_jobs", {"query": "zzqx-no-such-skill", "sources": ["remoteok", "greenhouse:stripe"]}
    )
    reports = reports_of(result)
    assert {report["status"] for report in reports.values()} == {SourceStatus.EMPTY.value}
    assert result.structured_content["total"] == 0 and result.structured_content["next_offset"] is None
