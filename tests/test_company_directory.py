"""find_company_board: careers URLs of the ten applicant-tracking systems (the URL shapes their real boards
and the saved real answers in ../shared/data/boards use), career pages that embed a board (served by a local
site, fetched through the polite client and the URL guard), and the bundled company directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mcp.client import Client

from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.errors import JobsearchError
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server
from jobsearch_mcp_server.sources.directory import (
    BUNDLED_DIRECTORY,
    CompanyDirectory,
    _key,
    board_in_url,
    boards_in_page,
    read_directory,
)
from jobsearch_mcp_server.sources.registry import REGISTRY
from scripted_site import Reply, scripted_site

pytestmark = pytest.mark.anyio

# Real careers and API URL shapes, one or more per provider (the hosts and paths of the saved real answers).
URLS = {
    "https://boards.greenhouse.io/stripe": "greenhouse:stripe",
    "https://job-boards.greenhouse.io/anthropic/jobs/4020305008": "greenhouse:anthropic",
    "https://job-boards.eu.greenhouse.io/n26": "greenhouse:n26",
    "https://boards.greenhouse.io/embed/job_board?for=robinhood&b=https%3A%2F%2Frobinhood.com": "greenhouse:robinhood",
    "https://boards-api.greenhouse.io/v1/boards/robinhood/jobs?content=true": "greenhouse:robinhood",
    "https://jobs.lever.co/palantir/3f5ff2ee-6a2d-4d6b-8a6e-5f0e1a3b9d7c": "lever:palantir",
    "https://jobs.eu.lever.co/mistral": "lever:mistral",
    "https://api.lever.co/v0/postings/netflix?mode=json": "lever:netflix",
    "jobs.lever.co/netflix": "lever:netflix",
    "https://jobs.ashbyhq.com/ramp/6b3c0b5e-2d1a-4c4f-9d8e-1a2b3c4d5e6f": "ashby:ramp",
    "https://api.ashbyhq.com/posting-api/job-board/etched?includeCompensation=true": "ashby:etched",
    "https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite": "workday:nvidia.wd5/NVIDIAExternalCareerSite",
    "https://nvidia.wd5.myworkdayjobs.com/en-US/NVIDIAExternalCareerSite/job/US-CA-Santa-Clara/"
    "Senior-Reliability-Engineer_JR2018518": "workday:nvidia.wd5/NVIDIAExternalCareerSite",
    "https://synchronyfinancial.wd5.myworkdayjobs.com/University/job/Stamford-Hub/BLP-Intern---Technology_2601695-1": (
        "workday:synchronyfinancial.wd5/University"
    ),
    "https://workday.wd5.myworkdayjobs.com/wday/cxs/workday/Workday/jobs": "workday:workday.wd5/Workday",
    "https://jobs.smartrecruiters.com/WesternDigital/744000140949875-summer-2027-intern-hardware-engineering": (
        "smartrecruiters:WesternDigital"
    ),
    "https://careers.smartrecruiters.com/Visa": "smartrecruiters:Visa",
    "https://api.smartrecruiters.com/v1/companies/WesternDigital/postings/744000143761249": (
        "smartrecruiters:WesternDigital"
    ),
    "https://aikidosecurity.recruitee.com/o/customer-success-engineer-tel-aviv": "recruitee:aikidosecurity",
    "https://germanzeroev.recruitee.com/api/offers/": "recruitee:germanzeroev",
    "https://apply.workable.com/crewai/": "workable:crewai",
    "https://apply.workable.com/api/v1/widget/accounts/zego?details=true": "workable:zego",
    "https://zego.workable.com/": "workable:zego",
    "https://rtc-rath.jobs.personio.de/job/1830648": "personio:rtc-rath",
    "https://personio.jobs.personio.com/xml": "personio:personio",
    "https://leaseweb.teamtailor.com/jobs/7323464-sales-account-manager-m-w-d-cloud-hosting-solutions": (
        "teamtailor:leaseweb"
    ),
    "https://tibber.teamtailor.com/jobs.json": "teamtailor:tibber",
    "https://ferndale.bamboohr.com/careers/12": "bamboohr:ferndale",
    "https://ferndale.bamboohr.com/careers/list": "bamboohr:ferndale",
}
NOT_BOARDS = [
    "https://apply.workable.com/j/3862836931",  # one job's short link: it does not name the account
    "https://www.teamtailor.com/en/",
    "https://www.bamboohr.com/pricing",
    "https://boards.greenhouse.io/embed/job_board",  # no ?for=
    "https://example.com/careers",
]


@pytest.mark.parametrize(("url", "board"), URLS.items())
def test_careers_urls_of_all_ten_providers_become_sources(url: str, board: str) -> None:
    assert board_in_url(url) == board
    spec = REGISTRY.parse(board)  # and search_jobs accepts it
    assert spec.label == board


def test_every_provider_has_a_url_shape() -> None:
    assert {board.partition(":")[0] for board in URLS.values()} == {
        cls.name for cls in REGISTRY.classes() if cls.needs_company and cls.kind == "http"
    }


@pytest.mark.parametrize("url", NOT_BOARDS)
def test_other_urls_are_not_boards(url: str) -> None:
    assert board_in_url(url) is None


def test_boards_embedded_in_a_page_are_found_in_order() -> None:
    html = (
        '<script src="https://boards.greenhouse.io/embed/job_board/js?for=acmerobotics"></script>'
        '<a href="https://jobs.lever.co/acmerobotics/123">one job</a>'
        '<script>var cfg = {"careers":"https:\\/\\/acme.recruitee.com\\/api\\/offers\\/"};</script>'
        '<a href="https://boards.greenhouse.io/acmerobotics">again</a>'
    )
    assert boards_in_page(html) == ["greenhouse:acmerobotics", "lever:acmerobotics", "recruitee:acme"]


# ---------------------------------------------------------------- the bundled directory


def test_the_bundled_directory_is_valid() -> None:
    entries = read_directory(BUNDLED_DIRECTORY)  # raises on a repeated name
    assert len(entries) >= 300
    for name, board in entries.items():
        spec = REGISTRY.parse(board)
        assert spec.source.needs_company and spec.source.kind == "http", name
        assert spec.source.slug_pattern.fullmatch(spec.company), f"{name}: {board}"
    keys = [_key(name) for name in entries]
    assert len(set(keys)) == len(keys), "two names look the same once normalised"
    assert len(set(entries.values())) == len(entries), "two companies share a board"
    assert {board.partition(":")[0] for board in entries.values()} == {
        board.partition(":")[0] for board in URLS.values()
    }


def test_a_repeated_name_in_a_directory_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "company_boards.json"
    path.write_text('{"Acme": "lever:acme", "Acme": "ashby:acme"}', encoding="utf-8")
    with pytest.raises(JobsearchError, match="names 'Acme' twice"):
        read_directory(path)


def test_the_users_file_adds_to_and_overrides_the_bundled_one(tmp_path: Path) -> None:
    (tmp_path / "company_boards.json").write_text(
        json.dumps({"Acme Robotics": "lever:acmerobotics", "Stripe": "ashby:stripe"}), encoding="utf-8"
    )
    directory = CompanyDirectory.for_data_dir(tmp_path)
    assert [match.source for match in directory.lookup("acme robotics")] == ["lever:acmerobotics"]
    assert directory.lookup("Stripe, Inc.")[0].source == "ashby:stripe"
    assert CompanyDirectory.for_data_dir(tmp_path / "none").lookup("stripe")[0].source == "greenhouse:stripe"


# ---------------------------------------------------------------- through MCP


@pytest.fixture
async def open_client(settings: Settings):
    """A session whose URL guard lets the local careers site through (as JOBSEARCH_ALLOW_PRIVATE_URLS would)."""
    runtime = Runtime(
        settings.model_copy(update={"allow_private_urls": ["127.0.0.1"], "min_request_interval_s": 0})
    )
    try:
        async with Client(build_server(runtime)) as session:
            yield session
    finally:
        runtime.close()


async def call(client, name_or_url: str) -> dict:
    result = await client.call_tool("find_company_board", {"name_or_url": name_or_url})
    assert not result.is_error, result.content[0].text
    return result.structured_content


async def test_find_company_board_by_url_name_and_career_page(open_client) -> None:
    assert (await call(open_client, "https://jobs.lever.co/netflix"))["source"] == "lever:netflix"
    by_name = await call(open_client, "nvidia")
    assert (
        by_name["source"] == "workday:nvidia.wd5/NVIDIAExternalCareerSite"
        and by_name["found_by"] == "directory"
    )
    assert (await call(open_client, "booking.com"))["source"] == "greenhouse:bookingcom"  # a name, not a page
    several = await call(open_client, "lab")
    assert several["source"] is None and len(several["matches"]) > 1 and "pick one" in several["message"]
    unknown = await call(open_client, "Zyxwvut Widgets")
    assert unknown["source"] is None and "careers page URL" in unknown["message"]
    with scripted_site() as site:
        site.route(
            "/careers",
            Reply(body='<html><body><div id="grnhse_app"></div><script '
                 'src="https://boards.greenhouse.io/embed/job_board/js?for=acmerobotics"></script></body></html>'),
        )  # fmt: skip
        site.route("/about", Reply(body="<html><body><h1>About us</h1></body></html>"))
        embedded = await call(open_client, f"{site.base_url}/careers")
        assert (embedded["source"], embedded["found_by"]) == ("greenhouse:acmerobotics", "page")
        plain = await call(open_client, f"{site.base_url}/about")
        assert plain["source"] is None and "get_job_details" in plain["message"]


async def test_a_career_page_on_a_private_address_is_refused(client) -> None:
    with scripted_site() as site:
        site.route("/careers", Reply(body="<html></html>"))
        result = await client.call_tool("find_company_board", {"name_or_url": f"{site.base_url}/careers"})
        assert result.is_error and "JOBSEARCH_ALLOW_PRIVATE_URLS" in result.content[0].text
        assert site.hits == []


async def test_list_sources_says_how_to_find_a_slug(client) -> None:
    listing = (await client.call_tool("list_sources", {})).structured_content
    assert "find_company_board" in listing["finding_a_slug"]
    forms = {source["name"]: source["company_form"] for source in listing["sources"]}
    assert forms["recruitee"] == "https://<company>.recruitee.com" and forms["linkedin"] is None
