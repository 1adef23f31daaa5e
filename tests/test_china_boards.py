"""The Chinese boards on real saved answers read in place from ../shared/data/boards: BOSS直聘's
`joblist.json` API answer and a saved 2024 search page (zhipin/), 智联招聘's search-page state and job-page
state (china_other/); both boards through headless Chromium with the login-profile flow; Chinese pay forms."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from mcp.client import Client
from selenium.webdriver.remote.webdriver import WebDriver

from board_site import SESSION_COOKIE, BoardSiteForTests
from conftest import SHARED_DATA, pointed, require
from jobsearch_mcp_server.browser.pool import BrowserPool
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.demo.site import BoardSite, Route
from jobsearch_mcp_server.errors import BlockedError, LoginRequiredError, SourceError
from jobsearch_mcp_server.jobs.models import SearchQuery
from jobsearch_mcp_server.jobs.salary import parse_salary
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server
from jobsearch_mcp_server.sources import zhaopin, zhipin
from jobsearch_mcp_server.sources.base import SourceContext
from jobsearch_mcp_server.sources.login import login_url, run_login
from jobsearch_mcp_server.sources.pages import parse_html, text_of

BOARDS = SHARED_DATA / "boards"
JSON = "application/json"


def shared(relative: str) -> Path:
    path = BOARDS / relative
    require(path.exists(), f"needs the shared board answers at {path} (../shared/data/boards)")
    return path


def load(relative: str) -> Any:
    return json.loads(shared(relative).read_text(encoding="utf-8"))


def saved_zhipin_page() -> str:
    """The search page inside zhipin/tmp.html: a WebDriver log line (`"value":"<html…>"} | headers=…`) whose
    JSON string was hard-wrapped at the terminal (SOURCES.md); the real line breaks inside it are escaped."""
    text = shared("zhipin/tmp.html").read_text(encoding="utf-8").replace("\n", "")
    return json.loads("{" + text[: text.rindex('"} | headers=') + 2])["value"]


# ---------------------------------------------------------------- pay as Chinese boards write it


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15-25K·13薪", (15000, 25000, "month", 195000, 325000)),
        ("200-300元/天", (200, 300, "day", 52000, 78000)),
        ("1.1万-1.5万", (11000, 15000, "month", 132000, 180000)),
        ("7千-1万", (7000, 10000, "month", 84000, 120000)),
        ("30-50/天", (30, 50, "day", 7800, 13000)),
        ("6-11K", (6000, 11000, "month", 72000, 132000)),
    ],
)
def test_chinese_pay_becomes_the_salary_model(text: str, expected: tuple) -> None:
    salary = parse_salary(text, default_currency="CNY")
    assert (salary.min, salary.max, salary.period, salary.annual_min, salary.annual_max) == expected
    assert salary.currency == "CNY" and salary.text == text


def test_negotiable_pay_is_unknown() -> None:
    assert parse_salary("面议", default_currency="CNY") is None


# ---------------------------------------------------------------- BOSS直聘


def test_zhipin_joblist_answer_every_job() -> None:
    payload = load("zhipin/joblist.json")
    raw = payload["zpData"]["jobList"]
    jobs = zhipin.parse_joblist(payload, "https://www.zhipin.com")
    assert [job.source_id for job in jobs] == [item["encryptJobId"] for item in raw]
    for job, item in zip(jobs, raw, strict=True):
        assert (job.title, job.company) == (item["jobName"], item["brandName"])
        assert job.location.startswith(item["cityName"]) and item["areaDistrict"] in job.location
        assert job.url == f"https://www.zhipin.com/job_detail/{item['encryptJobId']}.html"
        expected = parse_salary(item["salaryDesc"], default_currency="CNY")
        assert job.salary == expected and job.salary is not None
        assert set(item["jobLabels"]) <= set(job.tags) and set(item["skills"]) <= set(job.tags)


def test_zhipin_joblist_read_from_the_browsers_json_view() -> None:
    text = shared("zhipin/joblist.json").read_text(encoding="utf-8")
    page = f"<html><head></head><body><pre>{text}</pre></body></html>"
    assert zhipin.joblist_payload(page) == json.loads(text)
    assert zhipin.joblist_payload("<html><body><h1>登录</h1></body></html>") is None


def test_zhipin_saved_search_page_every_card() -> None:
    html = saved_zhipin_page()
    cards = parse_html(html).select("li.job-card-wrapper")
    jobs = zhipin.parse_search(html, "https://www.zhipin.com/web/geek/job?query=java&city=101190100")
    assert len(jobs) == len(cards) == 30
    for job, card in zip(jobs, cards, strict=True):
        assert job.title == text_of(card.select_one(".job-name"))
        assert job.company == text_of(card.select_one(".company-name"))
        assert job.location == text_of(card.select_one(".job-area")) and job.location.startswith("南京")
        assert job.salary == parse_salary(text_of(card.select_one(".salary")), default_currency="CNY")
        assert job.url.startswith("https://www.zhipin.com/job_detail/")


# ---------------------------------------------------------------- 智联招聘


def state_page(state: dict[str, Any]) -> str:
    """A search page as zhaopin.com sends it: the state assigned in a script (the saved file is that state)."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>杭州招聘 - 智联招聘</title></head><body>"
        f"<div id='root'></div><script>__INITIAL_STATE__={json.dumps(state, ensure_ascii=False)}</script>"
        "</body></html>"
    )


def test_zhaopin_search_state_every_posting() -> None:
    state = load("china_other/zhilian_structure.json")
    jobs = zhaopin.parse_search(state_page(state), "https://sou.zhaopin.com/?jl=653")
    raw = state["positionList"]
    assert [job.source_id for job in jobs] == [item["number"] for item in raw]
    for job, item in zip(jobs, raw, strict=True):
        assert (job.title, job.company, job.url) == (
            " ".join(item["name"].split()),
            item["companyName"],
            item["positionURL"],
        )
        assert job.location.startswith(item["workCity"])
        assert job.posted_at == date.fromisoformat(item["publishTime"][:10])
        assert job.salary == parse_salary(item["salary60"], default_currency="CNY")
        assert {label["value"] for label in item["skillLabel"]} <= set(job.tags)
    assert sum(job.salary is None for job in jobs) == sum(item["salary60"] == "面议" for item in raw)


def test_zhaopin_job_page_state() -> None:
    state = load("china_other/tmp.json")
    position = state["jobInfo"]["jobDetail"]["detailedPosition"]
    job = zhaopin.parse_job_state(state, position["positionUrl"])
    assert (job.title, job.company, job.source_id) == (
        position["positionName"],
        position["companyName"],
        state["jobNumber"],
    )
    assert job.location == "北京·朝阳区" and job.posted_at == date(2022, 7, 12)
    assert (job.salary.min, job.salary.max) == (3000, 6000) and "驻场运维服务" in job.description


def test_zhaopin_walls() -> None:
    state = load("china_other/zhilian_structure.json")
    with pytest.raises(BlockedError, match="verification"):
        zhaopin.parse_search(state_page(state | {"isVerification": True}), "https://sou.zhaopin.com/")
    with pytest.raises(LoginRequiredError, match="jobsearch-mcp login zhaopin"):
        zhaopin.parse_search(
            state_page(state | {"positionList": [], "isLogged": False}), "https://sou.zhaopin.com/"
        )
    assert zhaopin.parse_search(state_page(state | {"positionList": []}), "https://sou.zhaopin.com/") == []
    with pytest.raises(SourceError, match="no 智联招聘 page state"):
        zhaopin.parse_search("<html><body>改版了</body></html>", "https://sou.zhaopin.com/")


# ---------------------------------------------------------------- both boards in headless Chromium, signed in


@pytest.fixture
def china_site(tmp_path: Path):
    """BOSS直聘's API path and 智联招聘's search page on one local site: the real answers to a signed-in
    visitor (the session cookie `jobsearch-mcp login` leaves in the profile), sign-in answers to others."""
    state = load("china_other/zhilian_structure.json")
    pages = {
        "zhaopin.html": state_page(state),
        "zhaopin-login.html": state_page(state | {"positionList": [], "isLogged": False}),
        "zhipin-expired.json": json.dumps(
            {"code": 7, "message": "当前登录状态已失效", "zpData": {}}, ensure_ascii=False
        ),
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    routes = [
        Route(zhipin.JOBLIST_PATH, shared("zhipin/joblist.json"), cookie=SESSION_COOKIE, content_type=JSON),
        Route(zhipin.JOBLIST_PATH, tmp_path / "zhipin-expired.json", content_type=JSON),
        Route("/zhaopin/", tmp_path / "zhaopin.html", cookie=SESSION_COOKIE),
        Route("/zhaopin/", tmp_path / "zhaopin-login.html"),
    ]
    with BoardSiteForTests([], routes) as site:
        yield site


@pytest.mark.browser
@pytest.mark.anyio
async def test_both_boards_sign_in_once_and_search_headless(
    browser_settings: Settings, china_site: BoardSite
) -> None:
    settings = pointed(
        browser_settings.model_copy(update={"profiles_dir": browser_settings.data_dir / "china-profiles"}),
        {"zhipin": china_site.url, "zhaopin": f"{china_site.url}/zhaopin"},
    )
    with BrowserPool(settings) as pool:
        ctx = SourceContext(settings, browser_factory=lambda: pool)
        with pytest.raises(LoginRequiredError, match="jobsearch-mcp login zhipin"):
            await zhipin.ZhipinSource().search(SearchQuery(query="运营", location="深圳"), ctx)
        with pytest.raises(LoginRequiredError, match="jobsearch-mcp login zhaopin"):
            await zhaopin.ZhaopinSource().search(SearchQuery(query="", location="杭州"), ctx)

    for board in ("zhipin", "zhaopin"):
        assert login_url(settings, board).startswith(china_site.url)

        def sign_in(browser: WebDriver) -> None:  # what the person does in the visible window
            browser.get(f"{china_site.url}/__login?to=/")

        run_login(settings, board, headless=True, wait_for_person=sign_in)

    with BrowserPool(settings) as pool:  # a new process: only the profiles carry the sign-ins
        ctx = SourceContext(settings, browser_factory=lambda: pool)
        found = await zhipin.ZhipinSource().search(SearchQuery(query="运营", location="深圳", limit=100), ctx)
        raw = load("zhipin/joblist.json")["zpData"]["jobList"]
        assert [job.source_id for job in found] == [item["encryptJobId"] for item in raw]
        assert any("city=101280600" in path and "joblist.json" in path for path in china_site.requests)
        listed = await zhaopin.ZhaopinSource().search(SearchQuery(query="", location="杭州", limit=100), ctx)
        positions = load("china_other/zhilian_structure.json")["positionList"]
        assert [job.source_id for job in listed] == [item["number"] for item in positions]
        assert any(path.startswith("/zhaopin/?") and "jl=653" in path for path in china_site.requests)

    runtime = Runtime(settings)  # and through MCP, as a client asks the server
    try:
        async with Client(build_server(runtime)) as client:
            result = await client.call_tool(
                "search_jobs",
                {"query": "运营", "location": "杭州", "sources": ["zhaopin", "zhipin"], "limit": 100},
            )
    finally:
        runtime.close()
    assert not result.is_error, result.content[0].text
    reports = {report["source"]: report for report in result.structured_content["sources"]}
    assert (reports["zhaopin"]["status"], reports["zhaopin"]["count"]) == ("ok", len(positions))
    assert (reports["zhipin"]["status"], reports["zhipin"]["count"]) == ("ok", len(raw))
