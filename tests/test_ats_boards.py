"""The applicant-tracking-system boards (Workday, SmartRecruiters, Recruitee, Workable, Personio, Teamtailor,
BambooHR) on real saved answers of real companies, read in place from ../shared/data/boards (see its
SOURCES.md) and served by a local 127.0.0.1 site on each board's real API path. The expected values are
read from the same files, so every posting and field is checked against what the board said."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from xml.etree import ElementTree

import pytest
from mcp.client import Client

from conftest import SHARED_DATA, SHARED_FIXTURES, pointed, require
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.jobs.dates import parse_posted
from jobsearch_mcp_server.jobs.models import SourceStatus
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server
from jobsearch_mcp_server.sources import personio
from jobsearch_mcp_server.sources.bamboohr import BambooHRSource
from jobsearch_mcp_server.sources.base import SearchQuery, Source, SourceContext, SourceError
from jobsearch_mcp_server.sources.personio import PersonioSource
from jobsearch_mcp_server.sources.recruitee import RecruiteeSource
from jobsearch_mcp_server.sources.smartrecruiters import SmartRecruitersSource
from jobsearch_mcp_server.sources.teamtailor import TeamtailorSource
from jobsearch_mcp_server.sources.workable import WorkableSource
from jobsearch_mcp_server.sources.workday import WorkdaySource
from scripted_site import Reply, scripted_site

BOARDS = SHARED_DATA / "boards"
SAMPLES = Path(__file__).resolve().parents[1] / "src" / "jobsearch_mcp_server" / "demo" / "samples"
CAPTCHA_PAGE = SHARED_FIXTURES / "walls" / "cloudflare_managed_challenge_2021.html"  # a real Cloudflare page
ALL = SearchQuery(query="", limit=100)

pytestmark = pytest.mark.anyio


def shared(relative: str) -> Path:
    path = BOARDS / relative
    require(path.exists(), f"needs the shared board answers at {path} (../shared/data/boards)")
    return path


def load(relative: str) -> Any:
    return json.loads(shared(relative).read_text(encoding="utf-8"))


def answer(relative: str) -> Reply:
    path = shared(relative)
    kind = "application/json" if path.suffix == ".json" else "application/xml; charset=utf-8"
    return Reply(body=path.read_bytes(), content_type=kind)


@pytest.fixture
def site():
    with scripted_site() as running:
        yield running


@pytest.fixture
async def context(settings: Settings):
    ctx = SourceContext(settings.model_copy(update={"min_request_interval_s": 0.0}))
    ctx.http.retry_base_s = 0.01
    yield ctx
    await ctx.http.aclose()


def local_base_url(site, source: type[Source]) -> dict[str, str]:
    """The board's base URL on the local site: `http://127.0.0.1:PORT/{company}` for subdomain boards."""
    suffix = "/{company}" if "{company}" in source.default_base_url else ""
    return {source.name: site.base_url + suffix}


def point(site, context: SourceContext, source: type[Source]) -> None:
    """`context`'s settings with the board pointed at the local site (Settings.board_base_urls)."""
    context.settings = pointed(context.settings, local_base_url(site, source))


def search(source: type[Source], company: str, context, **query) -> Any:
    return source().search((ALL.model_copy(update={"company": company, **query})), context)


def squash(text: str) -> str:
    """A title as jobs keep it: runs of spaces made one."""
    return " ".join(text.split())


def query_of(site, path: str) -> dict[str, list[str]]:
    return parse_qs(site.hits_of(path)[-1].query)


# ---------------------------------------------------------------- Workday

NVIDIA = "nvidia.wd5/NVIDIAExternalCareerSite"
NVIDIA_JOBS = "/nvidia.wd5/wday/cxs/nvidia/NVIDIAExternalCareerSite/jobs"
WORKDAY = "workday.wd5/Workday"
WORKDAY_JOBS = "/workday.wd5/wday/cxs/workday/Workday/jobs"


async def test_workday_reads_every_posting_of_a_real_page(site, monkeypatch, context) -> None:
    point(site, context, WorkdaySource)
    site.route(NVIDIA_JOBS, answer("workday/workday_nvidia.json"))
    raw = load("workday/workday_nvidia.json")["jobPostings"]
    jobs = await search(WorkdaySource, NVIDIA, context)
    assert [job.title for job in jobs] == [squash(posting["title"]) for posting in raw]
    for job, posting in zip(jobs, raw, strict=True):
        assert job.url == f"{site.base_url}/nvidia.wd5/NVIDIAExternalCareerSite{posting['externalPath']}"
        several = posting["locationsText"].endswith(
            "Locations"
        )  # "3 Locations": the offices are in the details
        assert job.location == (None if several else posting["locationsText"])
        assert job.posted_at == parse_posted(posting["postedOn"]) and job.posted_at is not None
        assert job.tags == posting["bulletFields"] and job.company == "nvidia"
    sent = json.loads(site.hits_of(NVIDIA_JOBS)[0].body)
    assert sent == {"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": ""}
    assert len(site.hits_of(NVIDIA_JOBS)) == 1  # 10 postings on a page of 20: the last page


async def test_workday_remote_type_and_server_side_search(site, monkeypatch, context) -> None:
    point(site, context, WorkdaySource)
    site.route(WORKDAY_JOBS, answer("workday/workday_jobs.json"))
    raw = load("workday/workday_jobs.json")["jobPostings"]
    jobs = await search(WorkdaySource, WORKDAY, context, query="reliability engineer")
    assert [job.remote for job in jobs] == [posting["remoteType"] == "Remote" for posting in raw]
    assert json.loads(site.hits_of(WORKDAY_JOBS)[0].body)["searchText"] == "reliability engineer"
    assert [job.posted_at for job in jobs] == [parse_posted(posting["postedOn"]) for posting in raw]


async def test_workday_details_add_pay_offices_and_description(site, monkeypatch, context) -> None:
    point(site, context, WorkdaySource)
    site.route(WORKDAY_JOBS, answer("workday/workday_jobs.json"))
    detail = load("workday/workday_detail.json")["jobPostingInfo"]
    job = next(job for job in await search(WorkdaySource, WORKDAY, context) if job.title == detail["title"])
    site.route(
        f"/workday.wd5/wday/cxs/workday/Workday{job.url.split('/Workday', 2)[-1]}",
        answer("workday/workday_detail.json"),
    )
    full = await WorkdaySource().details(job, context)
    assert full.company == "Workday Government, LLC" and full.location == detail["location"]
    assert (full.salary.min, full.salary.max, full.salary.currency) == (151500, 227300, "USD")
    assert full.employment_type == "full-time" and full.posted_at == date.fromisoformat(detail["startDate"])
    assert full.apply_url == detail["externalUrl"] + "/apply"
    assert "Your work days are brighter here." in full.description


async def test_workday_pages_until_the_limit_or_the_last_page(site, monkeypatch, context) -> None:
    point(site, context, WorkdaySource)
    monkeypatch.setattr(WorkdaySource, "page_size", 10)
    site.route(NVIDIA_JOBS, answer("workday/workday_nvidia.json"), answer("workday/workday_jobs.json"))
    jobs = await search(WorkdaySource, NVIDIA, context)
    assert len(jobs) == 14  # 10, then a page of 4 (shorter than 10: the last)
    assert [json.loads(hit.body)["offset"] for hit in site.hits_of(NVIDIA_JOBS)] == [0, 10]
    site.hits.clear()
    site.route(NVIDIA_JOBS, answer("workday/workday_nvidia.json"))
    assert len(await search(WorkdaySource, NVIDIA, context, limit=5)) == 5
    assert len(site.hits_of(NVIDIA_JOBS)) == 1


async def test_workday_board_form_is_checked(context) -> None:
    with pytest.raises(SourceError, match=r"https://<tenant>\.<wdN>\.myworkdayjobs\.com/<site>"):
        await search(WorkdaySource, "nvidia", context)


# ---------------------------------------------------------------- SmartRecruiters

WD_POSTINGS = "/v1/companies/WesternDigital/postings"


async def test_smartrecruiters_reads_every_posting(site, monkeypatch, context) -> None:
    point(site, context, SmartRecruitersSource)
    site.route(WD_POSTINGS, answer("smartrecruiters/smartrecruiters_wd.json"))
    raw = load("smartrecruiters/smartrecruiters_wd.json")["content"]
    jobs = await search(SmartRecruitersSource, "WesternDigital", context)
    assert [job.title for job in jobs] == [squash(posting["name"]) for posting in raw]
    for job, posting in zip(jobs, raw, strict=True):
        assert job.location == posting["location"]["fullLocation"]
        assert job.company == posting["company"]["name"]
        assert job.posted_at == date.fromisoformat(posting["releasedDate"][:10])
        assert job.url == f"https://jobs.smartrecruiters.com/WesternDigital/{posting['id']}"
        assert job.remote is (
            True if posting["location"]["remote"] else False if posting["location"]["hybrid"] else None
        )
    assert query_of(site, WD_POSTINGS) == {"limit": ["100"], "offset": ["0"]}
    await search(SmartRecruitersSource, "WesternDigital", context, query="firmware")
    assert query_of(site, WD_POSTINGS)["q"] == ["firmware"]


async def test_smartrecruiters_pages_by_offset(site, monkeypatch, context) -> None:
    point(site, context, SmartRecruitersSource)
    monkeypatch.setattr(SmartRecruitersSource, "page_size", 10)
    site.route(
        WD_POSTINGS,
        answer("smartrecruiters/smartrecruiters_wd.json"),
        answer("smartrecruiters/smartrecruiters_sample.json"),
    )
    jobs = await search(SmartRecruitersSource, "WesternDigital", context)
    assert len(jobs) == 12
    assert [parse_qs(hit.query)["offset"] for hit in site.hits_of(WD_POSTINGS)] == [["0"], ["10"]]


async def test_smartrecruiters_details_add_sections_pay_and_apply_link(site, monkeypatch, context) -> None:
    point(site, context, SmartRecruitersSource)
    detail = load("smartrecruiters/jd_smartrecruiters_posting.json")
    site.route(f"{WD_POSTINGS}/{detail['id']}", answer("smartrecruiters/jd_smartrecruiters_posting.json"))
    site.route(WD_POSTINGS, answer("smartrecruiters/smartrecruiters_wd.json"))
    listed = (await search(SmartRecruitersSource, "WesternDigital", context))[0]
    job = listed.model_copy(update={"source_id": f"WesternDigital/{detail['id']}"})
    full = await SmartRecruitersSource().details(job, context)
    pay = detail["compensation"]
    assert (full.salary.min, full.salary.max, full.salary.currency, full.salary.period) == (
        pay["min"],
        pay["max"],
        pay["currency"],
        "hour",
    )
    assert full.apply_url == detail["applyUrl"] and full.title == detail["name"]
    for section in detail["jobAd"]["sections"].values():
        if section.get("text"):
            assert section["title"] in full.description


# ---------------------------------------------------------------- Recruitee


@pytest.mark.parametrize(
    ("company", "relative"),
    [
        ("aikidosecurity", "recruitee/recruitee.json"),
        ("germanzeroev", "recruitee/recruitee_germanzeroev_offers.json"),
        ("channable", "recruitee/recruitee_sample.json"),
    ],
)
async def test_recruitee_reads_every_offer(site, monkeypatch, context, company, relative) -> None:
    point(site, context, RecruiteeSource)
    site.route(f"/{company}/api/offers/", answer(relative))
    raw = load(relative)["offers"]
    jobs = await search(RecruiteeSource, company, context)
    assert [job.title for job in jobs] == [squash(offer["title"]) for offer in raw]
    for job, offer in zip(jobs, raw, strict=True):
        assert job.url == offer["careers_url"] and job.apply_url == offer["careers_apply_url"]
        assert job.company == offer["company_name"]
        assert job.posted_at == date.fromisoformat(offer["published_at"][:10])
        cities = [place["city"] for place in offer.get("locations") or []]
        assert all(city in job.location for city in cities) and job.location
        pay = offer["salary"]
        if pay["min"] or pay["max"]:
            assert (job.salary.min, job.salary.max, job.salary.currency, job.salary.period) == (
                float(pay["min"]) if pay["min"] else None, float(pay["max"]) if pay["max"] else None,
                pay["currency"], pay["period"],
            )  # fmt: skip
        else:
            assert job.salary is None
        if offer["remote"]:
            assert job.remote is True
        elif offer["hybrid"] or offer["on_site"]:
            assert job.remote is False


# ---------------------------------------------------------------- Workable


@pytest.mark.parametrize(
    ("account", "relative"),
    [("crewai", "workable/workable_account.json"), ("zego", "workable/workable_sample.json")],
)
async def test_workable_reads_every_job(site, monkeypatch, context, account, relative) -> None:
    point(site, context, WorkableSource)
    path = f"/api/v1/widget/accounts/{account}"
    site.route(path, answer(relative))
    payload = load(relative)
    jobs = await search(WorkableSource, account, context)
    assert [job.title for job in jobs] == [squash(raw["title"]) for raw in payload["jobs"]]
    for job, raw in zip(jobs, payload["jobs"], strict=True):
        assert (
            job.company == payload["name"]
            and job.url == raw["url"]
            and job.apply_url == raw["application_url"]
        )
        assert job.posted_at == date.fromisoformat(raw["published_on"])
        assert all(place["city"] in job.location for place in raw["locations"] if place["city"])
        if raw["telecommuting"]:
            assert job.remote is True
    assert query_of(site, path) == {"details": ["true"]}


# ---------------------------------------------------------------- Personio


@pytest.mark.parametrize(
    ("company", "relative"),
    [
        ("rtc-rath", "personio/personio_rtc_rath_positions.xml"),
        ("personio", "personio/personio_live.xml"),
        ("demo", "personio/positions.xml"),
    ],
)
async def test_personio_reads_every_position(site, monkeypatch, context, company, relative) -> None:
    point(site, context, PersonioSource)
    site.route(f"/{company}/xml", answer(relative))
    positions = ElementTree.fromstring(shared(relative).read_bytes()).findall("position")
    jobs = await search(PersonioSource, company, context)
    assert [job.title for job in jobs] == [squash(p.findtext("name")) for p in positions]
    for job, position in zip(jobs, positions, strict=True):
        offices = [
            position.findtext("office"),
            *(o.text for o in position.iterfind("additionalOffices/office")),
        ]
        assert job.location == "; ".join(dict.fromkeys(office.strip() for office in offices if office))
        assert job.url == f"{site.base_url}/{company}/job/{position.findtext('id').strip()}"
        assert job.posted_at == date.fromisoformat(position.findtext("createdAt").strip()[:10])
        pay = position.find("salaryInformation")
        if pay is not None:
            assert job.salary.min == float(pay.findtext("min")) and job.salary.currency == pay.findtext(
                "currencyCode"
            )
        for section in position.iterfind("jobDescriptions/jobDescription"):
            assert section.findtext("name").strip() in job.description


async def test_personio_reads_the_com_feed_when_the_de_one_is_missing(site, monkeypatch, context) -> None:
    monkeypatch.setattr(PersonioSource, "default_base_url", site.base_url + "/de/{company}")
    monkeypatch.setattr(personio, "COM_BASE_URL", site.base_url + "/com/{company}")
    site.route("/com/personio/xml", answer("personio/personio_live.xml"))
    jobs = await search(PersonioSource, "personio", context)
    assert [job.title for job in jobs] == ["Staff Software Engineer, Data Platform"]
    assert len(site.hits_of("/de/personio/xml")) == 1
    with pytest.raises(SourceError, match=r"https://<company>\.jobs\.personio\.de"):
        await search(PersonioSource, "nobody", context)


async def test_personio_html_instead_of_the_feed_is_an_error(site, monkeypatch, context) -> None:
    point(site, context, PersonioSource)
    site.route("/acme/xml", Reply(body="<html><body>Welcome</body></html>"))
    with pytest.raises(SourceError, match="not its <workzag-jobs> feed|other than its XML"):
        await search(PersonioSource, "acme", context)


# ---------------------------------------------------------------- Teamtailor


@pytest.mark.parametrize(
    ("company", "relative"),
    [
        ("leaseweb", "teamtailor/teamtailor_leaseweb_jobs.json"),
        ("tibber", "teamtailor/teamtailor_tibber_jobs.json"),
        ("1komma5", "teamtailor/teamtailor_jobs.json"),
    ],
)
async def test_teamtailor_reads_every_item_with_its_schema_org_posting(
    site, monkeypatch, context, company, relative
) -> None:
    point(site, context, TeamtailorSource)
    site.route(f"/{company}/jobs.json", answer(relative))
    items = load(relative)["items"]
    jobs = await search(TeamtailorSource, company, context)
    assert [job.title for job in jobs] == [squash(item["title"]) for item in items]
    for job, item in zip(jobs, items, strict=True):
        posting = item["_jobposting"]
        assert job.url == item["url"] and job.company == posting["hiringOrganization"]["name"].strip()
        assert job.posted_at == date.fromisoformat(item["date_published"][:10])
        for place in posting["jobLocation"]:
            assert place["address"]["addressLocality"].strip() in job.location
        value = (posting.get("baseSalary") or {}).get("value") or {}
        if value.get("minValue"):
            assert (
                job.salary.min == float(value["minValue"])
                and job.salary.currency == posting["baseSalary"]["currency"]
            )


async def test_teamtailor_follows_next_url_on_its_own_site_only(site, monkeypatch, context) -> None:
    point(site, context, TeamtailorSource)
    first = load("teamtailor/teamtailor_tibber_jobs.json") | {
        "next_url": f"{site.base_url}/tibber/jobs.json?page=2"
    }
    second = load("teamtailor/teamtailor_leaseweb_jobs.json") | {
        "next_url": "https://elsewhere.example/jobs.json"
    }
    site.route("/tibber/jobs.json", Reply.json(json.dumps(first)), Reply.json(json.dumps(second)))
    jobs = await search(TeamtailorSource, "tibber", context)
    assert [job.title for job in jobs] == [squash(item["title"]) for item in first["items"] + second["items"]]
    assert [hit.query for hit in site.hits_of("/tibber/jobs.json")] == ["", "page=2"]


# ---------------------------------------------------------------- BambooHR


@pytest.mark.parametrize(
    ("company", "relative"),
    [("edmonton", "bamboohr/bamboohr_jobs.json"), ("lauderdale", "bamboohr/bamboohr.json")],
)
async def test_bamboohr_reads_every_opening(site, monkeypatch, context, company, relative) -> None:
    point(site, context, BambooHRSource)
    site.route(f"/{company}/careers/list", answer(relative))
    raw = load(relative)["result"]
    jobs = await search(BambooHRSource, company, context)
    assert [job.title for job in jobs] == [squash(opening["jobOpeningName"]) for opening in raw]
    for job, opening in zip(jobs, raw, strict=True):
        place = opening["location"]["city"] or opening["atsLocation"]["city"]
        assert (place in job.location) if place else job.location is None
        assert job.remote is bool(opening["isRemote"] or opening["locationType"] == "2")
        assert job.url == f"https://{company}.bamboohr.com/careers/{opening['id']}"
        assert opening["departmentLabel"].strip() in job.tags


async def test_bamboohr_details_from_the_projects_sample(site, monkeypatch, context) -> None:
    """No real details answer was found (SOURCES.md); the project's own sample has the documented shape."""
    point(site, context, BambooHRSource)
    sample = SAMPLES / "bamboohr"
    site.route("/ferndale/careers/list", Reply.file(sample / "list.json"))
    site.route("/ferndale/careers/12/detail", Reply.file(sample / "detail_12.json"))
    detail = json.loads((sample / "detail_12.json").read_text(encoding="utf-8"))["result"]["jobOpening"]
    job = next(
        job for job in await search(BambooHRSource, "ferndale", context) if job.source_id == "ferndale/12"
    )
    full = await BambooHRSource().details(job, context)
    assert full.posted_at == date.fromisoformat(detail["datePosted"]) and full.salary is not None
    assert full.url == detail["jobOpeningShareUrl"] and "forklift" in full.description.lower()


# ---------------------------------------------------------------- every board: wrong company, empty, bot wall

CASES = [
    (
        WorkdaySource,
        "acme.wd1/Careers",
        "/acme.wd1/wday/cxs/acme/Careers/jobs",
        {"total": 0, "jobPostings": []},
    ),
    (
        SmartRecruitersSource,
        "Acme",
        "/v1/companies/Acme/postings",
        {"offset": 0, "limit": 100, "totalFound": 0, "content": []},
    ),
    (RecruiteeSource, "acme", "/acme/api/offers/", {"offers": []}),
    (WorkableSource, "acme", "/api/v1/widget/accounts/acme", {"name": "Acme", "description": "", "jobs": []}),
    (
        PersonioSource,
        "acme",
        "/acme/xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<workzag-jobs>\n</workzag-jobs>',
    ),
    (
        TeamtailorSource,
        "acme",
        "/acme/jobs.json",
        {"version": "https://jsonfeed.org/version/1.1", "title": "Acme", "items": []},
    ),
    (BambooHRSource, "acme", "/acme/careers/list", {"meta": {"totalCount": 0}, "result": []}),
]
IDS = [case[0].name for case in CASES]


@pytest.mark.parametrize(("source", "company", "path", "empty"), CASES, ids=IDS)
async def test_an_empty_board_is_no_jobs(site, monkeypatch, context, source, company, path, empty) -> None:
    point(site, context, source)
    body = empty if isinstance(empty, str) else json.dumps(empty)
    site.route(
        path,
        Reply(body=body, content_type="application/xml" if isinstance(empty, str) else "application/json"),
    )
    assert await search(source, company, context) == []
    assert site.hits_of(path)


@pytest.mark.parametrize(("source", "company", "path", "empty"), CASES, ids=IDS)
async def test_a_wrong_company_names_the_url_to_copy(
    site, monkeypatch, context, source, company, path, empty
) -> None:
    point(site, context, source)  # nothing routed: every path answers 404
    with pytest.raises(SourceError) as wrong:
        await search(source, company, context)
    assert source.careers_url_form in str(wrong.value) and f"'{source.name}:" in str(wrong.value)


@pytest.mark.parametrize(("source", "company", "path", "empty"), CASES, ids=IDS)
async def test_a_bot_wall_is_blocked_not_empty(
    site, monkeypatch, context, source, company, path, empty
) -> None:
    point(site, context, source)
    require(CAPTCHA_PAGE.exists(), f"needs the saved challenge page {CAPTCHA_PAGE} (../shared/data)")
    site.route(path, Reply.file(CAPTCHA_PAGE, status=503))
    with pytest.raises(SourceError) as walled:
        await search(source, company, context)
    assert walled.value.status is SourceStatus.BLOCKED
    assert len(site.hits_of(path)) == 1  # a wall is never retried
    site.route(path, Reply(403, "Forbidden", content_type="text/plain"))
    with pytest.raises(SourceError) as forbidden:
        await search(source, company, context)
    assert forbidden.value.status is SourceStatus.BLOCKED


# ---------------------------------------------------------------- through MCP


async def test_an_empty_query_lists_every_job_of_company_boards_through_mcp(settings, site) -> None:
    boards_here = {
        name: url
        for source in (RecruiteeSource, PersonioSource, WorkdaySource)
        for name, url in local_base_url(site, source).items()
    }
    site.route("/germanzeroev/api/offers/", answer("recruitee/recruitee_germanzeroev_offers.json"))
    site.route("/rtc-rath/xml", answer("personio/personio_rtc_rath_positions.xml"))
    site.route(WORKDAY_JOBS, answer("workday/workday_jobs.json"))
    boards = ["recruitee:germanzeroev", "personio:rtc-rath", f"workday:{WORKDAY}"]
    runtime = Runtime(pointed(settings, boards_here))
    try:
        async with Client(build_server(runtime)) as client:
            result = await client.call_tool("search_jobs", {"query": "", "sources": boards})
            remote = await client.call_tool(
                "search_jobs", {"query": "", "sources": boards[:1], "remote_only": True}
            )
    finally:
        runtime.close()
    assert not result.is_error, result.content[0].text
    reports = {report["source"]: report for report in result.structured_content["sources"]}
    assert {name: report["count"] for name, report in reports.items()} == {
        boards[0]: len(load("recruitee/recruitee_germanzeroev_offers.json")["offers"]),
        boards[1]: len(
            ElementTree.fromstring(shared("personio/personio_rtc_rath_positions.xml").read_bytes())
        ),
        boards[2]: len(load("workday/workday_jobs.json")["jobPostings"]),
    }
    offers = load("recruitee/recruitee_germanzeroev_offers.json")["offers"]
    assert [job["title"] for job in remote.structured_content["jobs"]] == [
        squash(o["title"]) for o in offers if o["remote"]
    ]


async def test_an_empty_query_with_a_board_that_needs_one_says_so(client) -> None:
    result = await client.call_tool("search_jobs", {"query": " ", "sources": ["recruitee:acme", "linkedin"]})
    assert result.is_error
    assert "linkedin cannot list jobs without one" in result.content[0].text
    assert "recruitee" not in result.content[0].text.split("cannot")[0]
