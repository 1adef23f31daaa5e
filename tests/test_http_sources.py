"""HTTP job boards: the parsers on saved real responses, then each adapter end to end through the
polite HTTP client against a local 127.0.0.1 server that serves those responses on the boards' real
URL paths (base URLs overridden with JOBSEARCH_<NAME>_BASE_URL)."""

from __future__ import annotations

import copy
import json
import threading
from datetime import date
from urllib.parse import parse_qs

import anyio
import pytest

from conftest import SHARED_DATA, SHARED_FIXTURES, pointed, require, shared
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.errors import SourceError
from jobsearch_mcp_server.jobs.models import SearchQuery, SourceStatus
from jobsearch_mcp_server.sources import remoteok
from jobsearch_mcp_server.sources.arbeitnow import ArbeitnowSource, parse_arbeitnow
from jobsearch_mcp_server.sources.ashby import AshbySource, parse_ashby
from jobsearch_mcp_server.sources.base import Source, SourceContext
from jobsearch_mcp_server.sources.filtering import filter_jobs, query_words
from jobsearch_mcp_server.sources.greenhouse import GreenhouseSource, parse_greenhouse
from jobsearch_mcp_server.sources.hackernews import HackerNewsSource, latest_thread_id, parse_hackernews
from jobsearch_mcp_server.sources.lever import LeverSource, parse_lever
from jobsearch_mcp_server.sources.remoteok import RemoteOKSource, parse_remoteok
from jobsearch_mcp_server.sources.remotive import RemotiveSource, parse_remotive
from scripted_site import Reply, scripted_site

SOURCES = SHARED_FIXTURES / "sources"  # real saved answers, read in place
REMOTEOK_2026 = SHARED_DATA / "remoteok_api_2026" / "remoteok.json"  # the whole real answer: 97 jobs


def load(relative: str) -> object:
    return json.loads(shared(SOURCES / relative).read_text(encoding="utf-8"))


def by_title(jobs):
    return {job.title: job for job in jobs}


# ---------------------------------------------------------------- parsers on saved responses


def test_greenhouse_board_with_content() -> None:
    jobs = by_title(parse_greenhouse(load("greenhouse/jobs_content.json"), company="robinhood"))
    assert len(jobs) == 5
    tradedesk = jobs["Senior Software Engineer"]
    assert (tradedesk.company, tradedesk.location, tradedesk.source_id) == (
        "The Trade Desk",
        "Bellevue",
        "5001698007",
    )
    assert tradedesk.description.startswith("Job Title: Senior Software Engineer")
    assert "&lt;" not in tradedesk.description and "<p>" not in tradedesk.description  # escaped HTML decoded
    assert (tradedesk.employment_type, tradedesk.seniority, tradedesk.tags) == (
        "full-time",
        "senior",
        ["Software Engineering"],
    )
    datadog = jobs["Premier Support Engineer 2"]
    assert datadog.salary.model_dump(include={"min", "max", "currency", "period"}) == {
        "min": 81000,
        "max": 118000,
        "currency": "USD",
        "period": "year",
    }
    intern = jobs["Brokerage Operations Intern (Summer 2026)"]
    assert (intern.company, intern.employment_type, intern.seniority) == ("Robinhood", "internship", "intern")
    assert intern.posted_at == date(2025, 11, 3)
    assert (
        intern.url
        == intern.apply_url
        == "https://boards.greenhouse.io/robinhood/jobs/7158345?t=gh_src=&gh_jid=7158345"
    )
    assert len({job.job_id for job in jobs.values()}) == 5


def test_greenhouse_old_embed_response_keeps_its_shape() -> None:
    jobs = parse_greenhouse(load("greenhouse/generalassembly_embed_2013.json"), company="generalassembly")
    assert [job.title for job in jobs] == ["Application developer", "Finance Analyst"]
    assert jobs[0].company == "generalassembly" and jobs[1].tags == ["Finance"]
    assert jobs[0].description.startswith("### Who this job is right for\n\nAnim wes anderson")
    assert "\n- Bespoke exercitation viral typewriter.\n" in jobs[0].description
    assert "Required skills & experience" in jobs[0].description and jobs[0].posted_at == date(2013, 9, 12)


def test_lever_postings() -> None:
    jobs = parse_lever(load("lever/palantir.json"), company="palantir")
    assert [job.title for job in jobs] == [
        "Administrative Business Partner",
        "Administrative Business Partner - Security",
        "Deployment Strategist",
        "Deployment Strategist",
    ]
    first = jobs[0]
    assert (first.location, first.remote, first.employment_type) == (
        "London, United Kingdom",
        False,
        "full-time",
    )
    assert first.posted_at == date(2024, 3, 25) and first.tags == ["Administrative"]
    assert first.description.startswith("A World-Changing Company\n\nPalantir builds")
    assert first.url == "https://jobs.lever.co/palantir/ac978161-6f46-4f6b-ad9e-a258e642751c"
    apollo = parse_lever(load("lever/apolloresearch.json"), company="apolloresearch")[0]
    assert apollo.description.startswith(
        "### ABOUT APOLLO RESEARCH\n\n[Apollo Research](https://www.apolloresearch.ai/)"
    )
    assert "### THE OPPORTUNITY" in apollo.description and "### RESPONSIBILITIES" in apollo.description
    assert "- Prepare supplier payments" in apollo.description
    assert "**Equality Statement:**" in apollo.description


def test_lever_salary_range_is_read() -> None:
    posting = copy.deepcopy(load("lever/palantir.json")[0])
    posting["salaryRange"] = {"min": 90000, "max": 120000, "currency": "GBP", "interval": "per-year-salary"}
    salary = parse_lever([posting], company="palantir")[0].salary
    assert (salary.min, salary.max, salary.currency, salary.period, salary.annual_max) == (
        90000,
        120000,
        "GBP",
        "year",
        120000,
    )


def test_ashby_board() -> None:
    ramp = by_title(parse_ashby(load("ashby/ramp.json"), company="ramp"))
    fraud = ramp["Fraud Risk Associate"]
    assert (
        fraud.remote is True
        and "Remote (US)" in fraud.location
        and fraud.location.startswith("New York, NY (HQ)")
    )
    assert fraud.apply_url.endswith("/application") and fraud.url != fraud.apply_url
    assert (
        fraud.employment_type == "full-time"
        and fraud.posted_at == date(2025, 4, 2)
        and fraud.tags == ["Risk"]
    )
    assert "the pay range for this role is $102,300 - $165,450" in fraud.description
    assert ramp["Software Engineer, Backend, Senior & Staff"].seniority == "senior"
    dallas = parse_ashby(load("ashby/lambda.json"), company="lambda")[0]
    assert (dallas.title, dallas.remote, dallas.location) == (
        "Technical Program Manager - Dallas",
        False,
        "Dallas, TX - Data Center",
    )


def test_ashby_skips_unlisted_and_reads_shown_pay() -> None:
    board = copy.deepcopy(load("ashby/ramp.json"))
    board["jobs"][0]["isListed"] = False
    board["jobs"][1]["compensation"] = {
        "scrapeableCompensationSalarySummary": "$102.3K - $165.45K",
        "summaryComponents": [
            {
                "compensationType": "Salary",
                "interval": "1 YEAR",
                "currencyCode": "USD",
                "minValue": 102300,
                "maxValue": 165450,
            }
        ],
    }
    (job,) = parse_ashby(board, company="ramp")
    assert (job.salary.min, job.salary.max, job.salary.period, job.salary.text) == (
        102300,
        165450,
        "year",
        "$102.3K - $165.45K",
    )
    board["jobs"][1]["shouldDisplayCompensationOnJobPostings"] = False
    assert parse_ashby(board, company="ramp")[0].salary is None


def test_remoteok_api() -> None:
    jobs = by_title(parse_remoteok(load("remoteok/api.json")))
    assert len(jobs) == 5  # element 0, the legal notice, is not a job
    assert all(job.remote for job in jobs.values())
    fisher = jobs["Benefits Advisor Leadership Training Program"]
    assert fisher.salary is None  # 0/0 means unknown
    assert "REFORMS" not in fisher.description and "RMjcu" not in fisher.description  # anti-spam line gone
    assert "What You\u2019ll Do" in fisher.description and "\u00e2\u0080" not in fisher.description
    assert fisher.posted_at == date(2026, 3, 16) and fisher.tags == [
        "training",
        "support",
        "growth",
        "management",
    ]
    recruiter = jobs["Recruiting Coordinator"].salary
    assert (recruiter.min, recruiter.max, recruiter.period, recruiter.annual_max) == (25, 27, "hour", 56160)
    vp = jobs["VP Corporate Marketing Brand & Communications"]
    assert (vp.salary.annual_min, vp.salary.annual_max, vp.seniority) == (180000, 210000, "executive")
    assert jobs["Engineering Manager Workload Management"].location == "Gdańsk"


def test_remotive_api() -> None:
    jobs = by_title(parse_remotive(load("remotive/remote_jobs.json")))
    assert len(jobs) == 5 and all(job.remote for job in jobs.values())
    contract = jobs["Senior Independent Software Developer"]
    assert (contract.employment_type, contract.location) == ("contract", "Americas, Europe, Israel")
    assert (contract.salary.min, contract.salary.max, contract.salary.period) == (90, 150, "hour")
    assert contract.tags[0] == "Software Development" and contract.posted_at == date(2026, 7, 16)
    office = jobs["Remote Office Assistant"].salary
    assert (office.min, office.max, office.text) == (31200, 52000, "$31,2k- $52k")
    assert jobs["Senior DevOps Engineer"].salary is None
    assert "<img" not in jobs["Patient Care Specialist"].description
    assert jobs["Tech Lead Full-Stack Rails Engineer"].seniority == "lead"


def test_arbeitnow_pages() -> None:
    first = parse_arbeitnow(load("arbeitnow/page1.json"))
    assert [job.title for job in first] == [
        "Information Technology Team Lead",
        "Technical Account Manager - DACH",
        "Softwareentwickler Testautomatisierung (m/w/d) Embedded",
    ]
    assert [job.remote for job in first] == [True, True, False]
    assert first[0].employment_type == "full-time" and first[0].posted_at == date(2026, 2, 15)
    assert first[2].location == "Memmingen" and "berufserfahren" in first[2].tags
    assert (
        first[0].url
        == "https://www.arbeitnow.com/jobs/companies/paymentology/remote-information-technology-team-lead-berlin-495324"
    )


def test_hackernews_thread() -> None:
    assert latest_thread_id(load("hackernews/search_by_date.json")) == 44159528
    jobs = {job.company: job for job in parse_hackernews(load("hackernews/items_44159528.json"))}
    assert set(jobs) == {"Snout", "Neon Health", "SmarterDx", "Goody", "Galaxy"}
    neon = jobs["Neon Health"]
    assert (neon.title, neon.location, neon.remote) == (
        "Founding Sr Backend Engineer",
        "SF, Remote (North America)",
        True,
    )
    assert (neon.salary.min, neon.salary.max, neon.salary.currency) == (170000, 225000, "USD")
    assert (
        neon.url == "https://news.ycombinator.com/item?id=44159535"
        and neon.apply_url == "https://neonhealth.com"
    )
    assert neon.posted_at == date(2025, 6, 2) and neon.employment_type == "full-time"
    assert (jobs["Snout"].title, jobs["Snout"].location) == ("Principal Software Engineer", "Remote US")
    assert jobs["Galaxy"].title == "Founding Frontend Engineer" and jobs["Galaxy"].remote is None
    assert jobs["Goody"].title == "Senior Software Engineer"  # named in the text, not the header
    assert (jobs["SmarterDx"].salary.min, jobs["SmarterDx"].salary.max) == (150000, 250000)


def test_hackernews_skips_deleted_and_headerless_comments() -> None:
    thread = copy.deepcopy(load("hackernews/items_44159528.json"))
    thread["children"] += [
        {"id": 1, "text": None, "author": None, "children": []},  # how Algolia shows a deleted comment
        {"id": 2, "text": "Is anyone hiring in Lisbon?<p>Asking for a friend.", "children": []},
    ]
    assert len(parse_hackernews(thread)) == 5


def test_a_changed_api_shape_is_an_error_not_an_empty_result() -> None:
    for parse, payload in [
        (parse_greenhouse, []),
        (parse_lever, {"ok": False}),
        (parse_remotive, []),
        (parse_ashby, {"jobs": None}),
        (parse_arbeitnow, []),
        (parse_remoteok, {}),
        (parse_hackernews, {"hits": []}),
    ]:
        with pytest.raises(SourceError, match="may have changed"):
            parse(payload)


def test_filtering_by_words_then_the_search_rules() -> None:
    jobs = parse_arbeitnow(load("arbeitnow/page1.json")) + parse_arbeitnow(load("arbeitnow/page2.json"))
    assert query_words("C++ Node.js developer") == ["c++", "node.js", "developer"]
    assert [j.title for j in filter_jobs(jobs, SearchQuery(query="account manager"))] == [
        "Technical Account Manager - DACH"
    ]
    assert {j.location for j in filter_jobs(jobs, SearchQuery(query="", location="Munich"))} == {
        "Munich",
        "Munich, Bavaria, Germany",
    }
    assert all(j.remote for j in filter_jobs(jobs, SearchQuery(query="", remote_only=True)))
    assert len(filter_jobs(jobs, SearchQuery(query="", location="remote"))) == 2
    today = date(2026, 2, 20)
    assert filter_jobs(jobs, SearchQuery(query="", posted_within_days=3), today=today) == []
    assert len(filter_jobs(jobs, SearchQuery(query="", posted_within_days=7), today=today)) == 5
    assert len(filter_jobs(jobs, SearchQuery(query="", limit=2))) == 2
    # The rules are the search's: a posting silent about remote, place and date is not dropped for it.
    silent = jobs[2].model_copy(update={"remote": None, "location": None, "posted_at": None})
    strict = SearchQuery(query="embedded", remote_only=True, location="Munich", posted_within_days=3)
    assert filter_jobs([silent], strict, today=today) == [silent]
    assert filter_jobs([jobs[2]], strict, today=today) == []  # on-site in Memmingen, 5 days old


# ---------------------------------------------------------------- adapters end to end


@pytest.fixture
def site():
    with scripted_site() as running:
        yield running


@pytest.fixture
async def context(settings: Settings):
    ctx = SourceContext(settings.model_copy(update={"min_request_interval_s": 0.0}))
    yield ctx
    await ctx.http.aclose()


def point(context: SourceContext, source: type[Source], site) -> None:
    """The board's base URL set to the local site, as JOBSEARCH_<NAME>_BASE_URL would."""
    context.settings = pointed(context.settings, {source.name: site.base_url})


def serve(site, context: SourceContext, source: type[Source], routes: dict[str, list[str]]) -> None:
    point(context, source, site)
    for path, files in routes.items():
        site.route(path, *(Reply.file(shared(SOURCES / name)) for name in files))


def query_of(site, path: str) -> dict[str, list[str]]:
    return parse_qs(site.hits_of(path)[-1].query)


@pytest.mark.anyio
async def test_greenhouse_end_to_end(site, monkeypatch, context) -> None:
    serve(
        site, context, GreenhouseSource, {"/v1/boards/robinhood/jobs": ["greenhouse/jobs_content.json"]}
    )
    jobs = await GreenhouseSource().search(SearchQuery(query="android", company="robinhood"), context)
    assert [job.title for job in jobs] == ["Android Developer"]
    assert query_of(site, "/v1/boards/robinhood/jobs") == {"content": ["true"]}


@pytest.mark.anyio
async def test_company_board_errors_say_what_to_fix(site, monkeypatch, context) -> None:
    serve(site, context, GreenhouseSource, {})
    with pytest.raises(SourceError, match="no job board called 'no-such-company'"):
        await GreenhouseSource().search(SearchQuery(query="", company="no-such-company"), context)
    with pytest.raises(SourceError, match="give the company's lever slug") as missing:
        await LeverSource().search(SearchQuery(query="engineer"), context)
    assert missing.value.status is SourceStatus.SKIPPED
    with pytest.raises(SourceError, match="not a ashby board slug"):
        await AshbySource().search(SearchQuery(query="", company="../etc"), context)


@pytest.mark.anyio
async def test_lever_end_to_end(site, monkeypatch, context) -> None:
    serve(site, context, LeverSource, {"/v0/postings/palantir": ["lever/palantir.json"]})
    jobs = await LeverSource().search(
        SearchQuery(query="deployment strategist", location="Sydney", company="palantir"), context
    )
    assert [(job.title, job.location) for job in jobs] == [("Deployment Strategist", "Sydney, Australia")]
    assert query_of(site, "/v0/postings/palantir") == {"mode": ["json"]}


@pytest.mark.anyio
async def test_ashby_end_to_end(site, monkeypatch, context) -> None:
    serve(site, context, AshbySource, {"/posting-api/job-board/ramp": ["ashby/ramp.json"]})
    jobs = await AshbySource().search(SearchQuery(query="backend", remote_only=True, company="ramp"), context)
    assert [job.title for job in jobs] == ["Software Engineer, Backend, Senior & Staff"]
    assert query_of(site, "/posting-api/job-board/ramp") == {"includeCompensation": ["true"]}


@pytest.mark.anyio
async def test_remoteok_end_to_end(site, monkeypatch, context) -> None:
    serve(site, context, RemoteOKSource, {"/api": ["remoteok/api.json"]})
    jobs = await RemoteOKSource().search(SearchQuery(query="AI trainer"), context)
    assert [job.title for job in jobs] == ["AI Trainer"]
    assert query_of(site, "/api") == {"tag": ["ai"]}


@pytest.mark.anyio
async def test_remotive_end_to_end(site, monkeypatch, context) -> None:
    serve(site, context, RemotiveSource, {"/api/remote-jobs": ["remotive/remote_jobs.json"]})
    jobs = await RemotiveSource().search(SearchQuery(query="engineer", location="USA", limit=10), context)
    assert [job.title for job in jobs] == ["Tech Lead Full-Stack Rails Engineer"]
    assert query_of(site, "/api/remote-jobs") == {"search": ["engineer"], "limit": ["50"]}


@pytest.mark.anyio
async def test_arbeitnow_end_to_end_reads_pages_until_the_last(site, monkeypatch, context) -> None:
    serve(
        site,
        context,
        ArbeitnowSource,
        {"/api/job-board-api": ["arbeitnow/page1.json", "arbeitnow/page2.json"]},
    )
    jobs = await ArbeitnowSource().search(SearchQuery(query="", location="Munich"), context)
    assert [job.title for job in jobs] == ["Technical Account Manager - DACH", "Account Executive - DACH"]
    assert [hit.query for hit in site.hits_of("/api/job-board-api")] == ["page=1", "page=2"]


@pytest.mark.anyio
async def test_hackernews_end_to_end(site, monkeypatch, context) -> None:
    serve(
        site,
        context,
        HackerNewsSource,
        {
            "/api/v1/search_by_date": ["hackernews/search_by_date.json"],
            "/api/v1/items/44159528": ["hackernews/items_44159528.json"],
        },
    )
    jobs = await HackerNewsSource().search(SearchQuery(query="engineer", remote_only=True), context)
    # Galaxy's post does not say whether it is remote: unknowns pass the remote-only filter.
    assert {job.company for job in jobs} == {"Snout", "Neon Health", "Goody", "SmarterDx", "Galaxy"}
    assert query_of(site, "/api/v1/search_by_date") == {
        "tags": ["story,author_whoishiring"],
        "query": ["who is hiring"],
    }


@pytest.mark.anyio
async def test_blocked_board_is_reported_as_blocked(site, monkeypatch, context) -> None:
    point(context, RemoteOKSource, site)
    site.route("/api", Reply(403, "Forbidden", content_type="text/plain"))
    with pytest.raises(SourceError) as blocked:
        await RemoteOKSource().search(SearchQuery(query="python"), context)
    assert blocked.value.status is SourceStatus.BLOCKED


async def until(flag: threading.Event) -> None:
    """Returns once a worker thread has set `flag`, letting the event loop run meanwhile."""
    while not flag.is_set():
        await anyio.sleep(0.005)


@pytest.fixture
def whole_remoteok(site, context) -> None:
    """The local RemoteOK answers with the whole real 97-job payload (about half a second of parsing)."""
    require(REMOTEOK_2026.exists(), f"needs the shared RemoteOK data at {REMOTEOK_2026}")
    point(context, RemoteOKSource, site)
    site.route("/api", Reply.file(REMOTEOK_2026))


@pytest.mark.anyio
async def test_the_event_loop_runs_while_a_board_answer_is_parsed(
    whole_remoteok, monkeypatch, context
) -> None:
    loop_thread = threading.get_ident()
    events: list[str] = []
    parsing, ticked = threading.Event(), threading.Event()

    def watched_parse(payload):
        events.append(
            "parse started" if threading.get_ident() != loop_thread else "parse started on the loop"
        )
        parsing.set()
        # Goes on only once the loop has run another coroutine; a parse on the loop would wait here in vain.
        ticked.wait(timeout=30)
        jobs = parse_remoteok(payload)
        events.append("parse done")
        return jobs

    async def ticker() -> None:
        await until(parsing)
        events.append("tick")
        ticked.set()

    monkeypatch.setattr(remoteok, "parse_remoteok", watched_parse)
    async with anyio.create_task_group() as group:
        group.start_soon(ticker)
        jobs = await RemoteOKSource().search(SearchQuery(query="engineer", limit=100), context)
    assert events == ["parse started", "tick", "parse done"]
    words = [f"{job.title} {job.company} {' '.join(job.tags)} {job.description}".lower() for job in jobs]
    assert len(jobs) > 20 and all("engineer" in text for text in words)


@pytest.mark.anyio
async def test_a_cancelled_search_does_not_wait_for_its_parse(whole_remoteok, monkeypatch, context) -> None:
    events: list[str] = []
    parsing, release, finished = threading.Event(), threading.Event(), threading.Event()

    def stuck_parse(payload):
        parsing.set()
        release.wait(timeout=30)
        events.append("parse finished")
        finished.set()
        return parse_remoteok(payload)

    monkeypatch.setattr(remoteok, "parse_remoteok", stuck_parse)
    async with anyio.create_task_group() as group:
        group.start_soon(RemoteOKSource().search, SearchQuery(query="engineer"), context)
        await until(parsing)
        group.cancel_scope.cancel()
    events.append("search cancelled")
    release.set()
    await until(finished)
    assert events == ["search cancelled", "parse finished"]
