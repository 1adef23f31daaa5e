"""Browser boards: parsers on saved pages, and the sources end to end through real headless Chromium
against the local board site (the project's sample answers on the boards' real URL paths)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from board_site import BoardSiteForTests
from conftest import FIXTURES, SHARED_FIXTURES, SHARED_PAGES, pointed, shared
from jobsearch_mcp_server.browser.pool import BrowserPool, profile_dir
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.demo.site import SAMPLES_DIR, BoardSite, Route
from jobsearch_mcp_server.errors import BlockedError, JobsearchError, LoginRequiredError, SourceError
from jobsearch_mcp_server.jobs.models import Job, SearchQuery
from jobsearch_mcp_server.sources import generic, indeed, linkedin, zhipin
from jobsearch_mcp_server.sources.base import SourceContext
from jobsearch_mcp_server.sources.login import login_url, run_login


def saved(board: str, name: str) -> str:
    """A saved page: one the project built (walls), else a real one read in place from ../shared."""
    built = FIXTURES / "sources" / board / name
    if built.exists():
        return built.read_text(encoding="utf-8")
    real = SHARED_PAGES / board / name
    return shared(real if real.exists() else SHARED_FIXTURES / "sources" / board / name).read_text(encoding="utf-8")


def sample(board: str, name: str) -> str:
    """A page of the project's sample answers (demo/samples/<board>/)."""
    return (SAMPLES_DIR / board / name).read_text(encoding="utf-8")


# --- parsers on saved and sample pages--------------------------------------------------------------------


def test_linkedin_search_cards_both_markups() -> None:
    jobs = linkedin.parse_search(saved("linkedin", "search.html"), "https://www.linkedin.com")

    assert [job.source_id for job in jobs] == ["3995343936", "4001288218", "3967656419", "3970269939"]
    mkb = jobs[2]  # a <div> card with a full-card link and a linked company name
    assert (mkb.title, mkb.company, mkb.location) == ("MKB-handläggare", "Tyréns AB", "Norrköping")
    assert mkb.posted_at == date(2024, 8, 17)
    assert mkb.url == "https://se.linkedin.com/jobs/view/mkb-handl%C3%A4ggare-at-tyr%C3%A9ns-ab-3967656419"
    assert jobs[0].company == "Läkemedelsverket"  # an <a> card with a plain company name


def test_linkedin_search_second_saved_response() -> None:
    jobs = linkedin.parse_search(saved("linkedin", "search-india.html"), "https://www.linkedin.com")

    assert [(job.title, job.company, job.posted_at) for job in jobs] == [
        ("Custom Software Engineer", "Accenture in India", date(2026, 9, 1)),
        ("Software Engineer", "Mailercloud", date(2026, 9, 2)),
    ]
    assert (
        jobs[0].url
        == "https://in.linkedin.com/jobs/view/custom-software-engineer-at-accenture-in-india-4454591390"
    )


def test_linkedin_empty_page_past_the_last_is_no_jobs() -> None:
    assert (
        linkedin.parse_search("", "https://www.linkedin.com/jobs-guest/jobs/api/seeMoreJobPostings/search")
        == []
    )


def test_linkedin_job_page() -> None:
    job = linkedin.parse_job(
        sample("linkedin", "job-4102000101.html"), "https://www.linkedin.com/jobs/view/4102000101"
    )

    assert job.source_id == "4102000101"
    assert (job.title, job.company) == ("Senior Data Scientist, Pricing", "Kestrel Mobility")
    assert job.location == "Berlin, Berlin, Germany"
    assert job.description.startswith("Kestrel Mobility runs shared e-bikes")
    assert "- Design and analyse pricing experiments across cities with the product team" in job.description
    assert (job.seniority, job.employment_type) == ("senior", "full-time")
    assert job.apply_url.startswith("https://www.linkedin.com/jobs/view/externalApply/4102000101")


def test_linkedin_job_page_criteria_and_relative_date() -> None:
    job = linkedin.parse_job(
        saved("linkedin", "job-view.html"), "https://www.linkedin.com/jobs/view/4400000001"
    )

    assert (job.source_id, job.title, job.company) == (
        "4400000001",
        "Software Engineer Intern",
        "Northwind Labs",
    )
    assert (job.seniority, job.employment_type) == ("intern", "internship")  # from the criteria list
    assert job.posted_at is not None and (date.today() - job.posted_at).days in range(13, 16)  # "2 weeks ago"
    assert "- Write tests & review code with the team" in job.description


def test_linkedin_walls() -> None:
    with pytest.raises(LoginRequiredError, match="jobsearch-mcp login linkedin"):
        linkedin.parse_search(saved("linkedin", "authwall.html"), "https://www.linkedin.com/jobs/search")
    with pytest.raises(LoginRequiredError):
        linkedin.parse_job("<html></html>", "https://www.linkedin.com/authwall?trk=x")
    with pytest.raises(BlockedError, match="security check"):
        linkedin.parse_search("<html></html>", "https://www.linkedin.com/checkpoint/challenge/abc")


def test_indeed_search_reads_the_embedded_json() -> None:
    jobs = indeed.parse_search(saved("indeed", "search.html"), "https://www.indeed.com")

    assert [job.source_id for job in jobs] == ["a209f022df303f46", "138df367d81f8df2", "8ec1bd5056d05d30"]
    senior = jobs[1]
    assert (senior.title, senior.company, senior.location) == (
        "Senior Ai Engineer",
        "Health Data Analytics Institute",
        "Dedham, MA 02026",
    )
    assert (senior.salary.min, senior.salary.max, senior.salary.currency, senior.salary.period) == (
        160367,
        185457,
        "USD",
        "year",
    )
    assert senior.remote is False  # "Hybrid work"
    assert senior.employment_type == "full-time" and senior.seniority == "senior"
    assert senior.posted_at == date(2026, 8, 14)
    assert senior.url == "https://www.indeed.com/viewjob?jk=138df367d81f8df2"
    assert "7+ years of experience as a software engineer" in senior.description
    assert jobs[2].salary is None  # the card states no pay


def test_indeed_search_falls_back_to_the_job_cards() -> None:
    without_json = saved("indeed", "search.html").split('<script id="mosaic-data"')[0]
    jobs = indeed.parse_search(without_json, "https://www.indeed.com")

    assert [(job.source_id, job.company) for job in jobs][1] == (
        "138df367d81f8df2",
        "Health Data Analytics Institute",
    )
    assert len(jobs) == 3


def test_indeed_no_results_and_captcha() -> None:
    assert indeed.parse_search(sample("indeed", "search-empty.html"), "https://www.indeed.com") == []
    with pytest.raises(BlockedError, match="Cloudflare"):
        indeed.parse_search(saved("indeed", "captcha.html"), "https://www.indeed.com")
    with pytest.raises(BlockedError):
        indeed.parse_job(
            saved("indeed", "captcha.html"), "https://www.indeed.com/viewjob?jk=279243a404f89d8b"
        )


def test_indeed_job_page() -> None:
    job = indeed.parse_job(
        sample("indeed", "viewjob-5f1c2a9e7b3d4a01.html"), "https://www.indeed.com/viewjob?jk=5f1c2a9e7b3d4a01"
    )

    assert job.source_id == "5f1c2a9e7b3d4a01"
    assert (job.salary.min, job.salary.max) == (135000, 165000)
    assert job.employment_type == "full-time"
    assert job.description.startswith("Fernhill Health Partners runs 14 community clinics")
    assert "- Write clean SQL against our Snowflake warehouse" in job.description


def test_zhipin_search_when_signed_in() -> None:
    jobs = zhipin.parse_search(
        sample("zhipin", "search.html"), "https://www.zhipin.com/web/geek/job?query=数据"
    )

    assert [job.company for job in jobs] == ["星澜数智", "禾丰零售"]
    first, second = jobs
    assert first.title == "数据科学家（增长方向）" and first.tags == ["3-5年", "硕士", "Python"]
    assert first.url == "https://www.zhipin.com/job_detail/7a1e90c2b4d35f8e1nJ_2tW6FVM.html"
    assert (first.salary.min, first.salary.max, first.salary.currency, first.salary.annual_max) == (
        30000,
        45000,
        "CNY",
        630000,  # ·14薪: fourteen monthly salaries a year
    )
    assert (second.salary.min, second.salary.max, second.salary.annual_max) == (15000, 25000, 300000)


def test_zhipin_salary_in_the_obfuscated_font_is_left_out() -> None:
    html = sample("zhipin", "search.html").replace("30-45K·14薪", "\ue031\ue035-\ue036K")
    assert zhipin.parse_search(html, "https://www.zhipin.com/web/geek/job")[0].salary is None


@pytest.mark.parametrize(
    ("page", "url", "error"),
    [
        ((sample, "login.html"), "https://www.zhipin.com/web/user/?ka=header-login", LoginRequiredError),
        ((sample, "login.html"), "https://www.zhipin.com/web/geek/job?query=Java", LoginRequiredError),
        (
            (saved, "security-check.html"),
            "https://www.zhipin.com/web/common/security-check.html?seed=x",
            LoginRequiredError,
        ),
        ((saved, "slider.html"), "https://www.zhipin.com/web/user/safe/verify-slider?seed=x", BlockedError),
        ((saved, "rate-limited.html"), "https://www.zhipin.com/web/geek/job?query=Java", BlockedError),
    ],
)
def test_zhipin_walls(page: tuple, url: str, error: type[SourceError]) -> None:
    read, name = page
    with pytest.raises(error) as raised:
        zhipin.parse_search(read("zhipin", name), url)
    if error is LoginRequiredError:
        assert "jobsearch-mcp login zhipin" in str(raised.value)


def test_zhipin_job_page_without_watermarks() -> None:
    job = zhipin.parse_job(
        sample("zhipin", "job-7a1e90c2b4d35f8e1nJ_2tW6FVM.html"),
        "https://www.zhipin.com/job_detail/7a1e90c2b4d35f8e1nJ_2tW6FVM.html",
    )

    assert job.company == "星澜数智" and job.location == "上海"
    assert "设计并分析A/B实验，给出可落地的产品建议" in job.description
    assert "直聘" not in job.description and "公司介绍" not in job.description
    assert {"Python", "机器学习", "A/B测试", "3-5年", "硕士"} <= set(job.tags)


def test_generic_json_ld_page() -> None:
    job = generic.parse_job(saved("generic", "job.html"), "https://www.revinfotech.com/jobs/")

    assert (job.title, job.company, job.location) == ("Froentend Developer", "Revinfotech", "Gurgaon")
    assert (job.salary.min, job.salary.max, job.salary.period) == (400000, 5000000, "year")
    assert job.employment_type == "full-time" and job.posted_at == date(2023, 5, 11)


def test_generic_json_ld_in_a_graph_and_a_list() -> None:
    in_graph = generic.parse_job(saved("generic", "graph.html"), "https://simple.com/jobs/generator/")
    in_list = generic.parse_job(saved("generic", "list.html"), "https://careers.wrenfield.example/vacancies/17")

    assert (in_graph.title, in_graph.company, in_graph.remote) == ("Generator", "Simple", True)
    assert (in_graph.salary.min, in_graph.salary.currency, in_graph.salary.period) == (100000, "USD", "year")
    assert in_list.title == "Reporting Analyst - Finance"
    assert in_list.location == "Leeds, West Yorkshire, United Kingdom"
    assert in_list.description == "Build monthly finance & rent-arrears reports."


def test_generic_page_without_structured_data() -> None:
    job = generic.parse_job(
        saved("generic", "no-jsonld.html"), "https://www.tecolote.com/careers/data-scientist"
    )

    assert job.title == "Data Scientist"
    assert "Power BI, Tableau, Python" in job.description
    assert "Careers" not in job.description and "Contact" not in job.description  # navigation dropped


def test_generic_page_that_is_no_posting() -> None:
    with pytest.raises(SourceError, match="no job posting"):
        generic.parse_job("<html><body><p>nothing here</p></body></html>", "https://example.org/")


# --- the sources through real Chromium against the local board site -----------------------------------


@pytest.fixture(scope="module")
def site() -> Iterator[BoardSite]:
    """The project's sample boards, plus two walls: a real Cloudflare captcha (from ../shared) and a
    built LinkedIn sign-up wall."""
    walls = [
        Route("/wall/jobs", SHARED_FIXTURES / "sources" / "indeed" / "captcha.html"),
        Route("/wall/jobs-guest/jobs/api/seeMoreJobPostings/search", FIXTURES / "sources" / "linkedin" / "authwall.html"),
    ]
    with BoardSiteForTests(routes=walls) as board_site:
        yield board_site


@pytest.fixture(scope="module")
def browser_settings(browser_settings: Settings, site: BoardSite) -> Settings:
    """The browser tests' settings with every board pointed at the local site."""
    return pointed(browser_settings, site.base_urls())


@pytest.fixture
def boards(site: BoardSite) -> BoardSite:
    return site


def context(settings: Settings, pool: BrowserPool) -> SourceContext:
    return SourceContext(settings, browser_factory=lambda: pool)


@pytest.mark.browser
@pytest.mark.anyio
async def test_linkedin_search_pages_until_an_empty_page(
    browser_settings: Settings, browser_pool: BrowserPool, boards: BoardSite
) -> None:
    ctx = context(browser_settings, browser_pool)
    jobs = await linkedin.LinkedInSource().search(SearchQuery(query="data scientist", location="Europe"), ctx)

    assert [job.company for job in jobs] == [
        "Kestrel Mobility",
        "Harbourline Bank",
        "Orchard Robotics",
        "Kestrel Mobility",
    ]
    asked = [path for path in boards.requests if "seeMoreJobPostings" in path]
    assert "start=0" in asked[-2] and "start=10" in asked[-1] and "keywords=data+scientist" in asked[-2]

    detailed = await linkedin.LinkedInSource().details(jobs[1], ctx)
    assert detailed.job_id == jobs[1].job_id and detailed.url == jobs[1].url
    assert "variance-reduction (CUPED)" in detailed.description


@pytest.mark.browser
@pytest.mark.anyio
async def test_indeed_search_and_details(
    browser_settings: Settings, browser_pool: BrowserPool, boards: BoardSite
) -> None:
    ctx = context(browser_settings, browser_pool)
    jobs = await indeed.IndeedSource().search(SearchQuery(query="data scientist", limit=2), ctx)

    assert [job.title for job in jobs] == ["Data Scientist", "Senior Data Analyst"]
    assert jobs[1].url == f"{boards.url}/indeed/viewjob?jk=5f1c2a9e7b3d4a02"
    detailed = await indeed.IndeedSource().details(jobs[1], ctx)
    assert detailed.salary.max == 118000 and "dashboards in Tableau" in detailed.description


@pytest.mark.browser
@pytest.mark.anyio
async def test_walls_are_errors_not_empty_results(
    browser_settings: Settings, browser_pool: BrowserPool, boards: BoardSite
) -> None:
    shared(SHARED_FIXTURES / "sources" / "indeed" / "captcha.html")
    walled = pointed(browser_settings, {"indeed": f"{boards.url}/wall", "linkedin": f"{boards.url}/wall"})
    ctx = context(walled, browser_pool)

    with pytest.raises(BlockedError):
        await indeed.IndeedSource().search(SearchQuery(query="AI Engineer"), ctx)
    with pytest.raises(LoginRequiredError):
        await linkedin.LinkedInSource().search(SearchQuery(query="engineer"), ctx)
    with pytest.raises(LoginRequiredError, match="jobsearch-mcp login zhipin"):
        await zhipin.ZhipinSource().search(SearchQuery(query="数据"), ctx)  # not signed in yet


@pytest.mark.browser
@pytest.mark.anyio
async def test_generic_reads_a_careers_page(
    browser_settings: Settings, browser_pool: BrowserPool, boards: BoardSite
) -> None:
    url = f"{boards.url}/generic/careers/senior-data-scientist"
    job = await generic.GenericSource().fetch_job(url, context(browser_settings, browser_pool))

    assert (job.title, job.company, job.url) == ("Senior Data Scientist", "Marlowe & Finch", url)
    assert (job.salary.min, job.salary.max, job.salary.currency) == (62000, 75000, "GBP")
    with pytest.raises(SourceError, match="cannot search"):
        await generic.GenericSource().search(SearchQuery(query="x"), context(browser_settings, browser_pool))


@pytest.mark.browser
@pytest.mark.anyio
async def test_login_profile_is_reused_by_headless_searches(
    browser_settings: Settings, boards: BoardSite
) -> None:
    settings = browser_settings.model_copy(
        update={"profiles_dir": browser_settings.data_dir / "login-profiles"}
    )
    assert login_url(settings, "zhipin") == f"{boards.url}/zhipin/web/user/?ka=header-login"
    seen: list[str] = []

    def sign_in(browser: WebDriver) -> None:  # what a person does in the window
        seen.append(browser.title)
        browser.get(f"{boards.url}/__login?to=/zhipin/web/geek/job")

    profile = run_login(settings, "zhipin", headless=True, wait_for_person=sign_in)

    assert seen == ["BOSS直聘登录/注册"]
    assert profile == profile_dir(settings, "zhipin") and (profile / "Default").is_dir()
    with BrowserPool(settings) as pool:  # a new process's pool: only the profile carries the login
        ctx = context(settings, pool)
        jobs = await zhipin.ZhipinSource().search(SearchQuery(query="数据", location="上海"), ctx)
        assert [job.company for job in jobs] == ["星澜数智", "禾丰零售"]
        assert "city=101020100" in boards.requests[-1]
        detailed = await zhipin.ZhipinSource().details(jobs[0], ctx)
        assert "有因果推断经验者优先" in detailed.description


def test_login_of_a_board_without_login_says_which_have_one(browser_settings: Settings) -> None:
    with pytest.raises(JobsearchError, match="indeed needs no login; sources with a login: linkedin, zhaopin, zhipin"):
        login_url(browser_settings, "indeed")


def test_jobs_are_plain_models() -> None:
    jobs = indeed.parse_search(saved("indeed", "search.html"), "https://www.indeed.com")
    assert all(isinstance(job, Job) and job.source == "indeed" and job.sources == [job.url] for job in jobs)
