"""The MCP Apps views (Matches, Tracker) in real headless Chromium, hosted by the official host bridge
(AppBridge of @modelcontextprotocol/ext-apps) and fed real results of a real MCP session with the server;
and what hosts without Apps get (the same replies) and what hide_job keeps out of a saved search."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from mcp.client import Client
from mcp.client.extension import advertise
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import FIXTURES, chrome_paths, require
from hunt_boards import Posting, serve
from jobsearch_mcp_server.server import build_server
from jobsearch_mcp_server.views import MATCHES_URI, TRACKER_URI
from views_host import (
    QUERY,
    ViewHost,
    bridge_bundle,
    chrome,
    console_errors,
    demo_session,
    in_host,
    ranking,
    show,
)

WAIT_S = 20


# Hosts without Apps, and the hide action's memory (no browser).
@pytest.mark.anyio
async def test_tools_point_at_the_views_and_hosts_without_apps_get_the_same_replies(runtime):
    server = build_server(runtime)
    apps_host = Client(server, extensions=[advertise(EXTENSION_ID, {"mimeTypes": [APP_MIME_TYPE]})])
    async with Client(server) as plain, apps_host as apps:
        meta = {tool.name: (tool.meta or {}).get("ui") for tool in (await apps.list_tools()).tools}
        assert (
            meta["match_jobs"]
            == meta["search_jobs"]
            == meta["run_saved_search"]
            == {"resourceUri": MATCHES_URI}
        )
        assert meta["list_applications"] == {"resourceUri": TRACKER_URI}
        for uri in (MATCHES_URI, TRACKER_URI):
            (content,) = (await plain.read_resource(uri)).contents
            assert content.mime_type == APP_MIME_TYPE
            assert content.meta == {"ui": {"csp": {}, "prefersBorder": True}}  # no network, no permissions
            assert "src=" not in content.text and "http" not in content.text.replace("http-equiv", "")
        tracked = await plain.call_tool(
            "track_application",
            {"job_id": "acme-1", "title": "Data Scientist", "company": "Acme", "status": "applied"},
        )
        assert not tracked.is_error, tracked.content
        seen_plain = await plain.call_tool("list_applications", {})
        seen_apps = await apps.call_tool("list_applications", {})
    assert seen_plain.content == seen_apps.content
    assert seen_plain.structured_content == seen_apps.structured_content
    assert seen_plain.structured_content["applications"][0]["job_id"] == "acme-1"


ARM = Posting("201", "Robotics Engineer", "Fictional Arms", "grasping arms for parcel sorting")
ARM_REPOST = Posting("211", "Robotics Engineer (m/w/d)", "Fictional Arms", "grasping arms for parcel sorting")
VISION = Posting("202", "Robotics Engineer", "Imaginary Vision", "camera calibration for drones")
FRESH = Posting("204", "Robotics Engineer", "Invented Farms", "harvesting robots for orchards")


@pytest.mark.anyio
async def test_a_hidden_job_never_shows_again_in_its_saved_search_nor_its_repost(hunt_site, hunt_server):
    serve(hunt_site, [ARM, VISION], [])
    found = await hunt_server.call("search_jobs", {"query": "robotics engineer", "sources": ["remotive"]})
    arm = next(job["job_id"] for job in found.structured_content["jobs"] if job["company"] == ARM.company)
    await hunt_server.call(
        "save_search", {"name": "robots", "query": "robotics engineer", "sources": ["remotive"]}
    )
    hidden = await hunt_server.call("hide_job", {"job_id": arm, "saved_search": "robots"})
    assert not hidden.is_error, hidden.content
    assert hidden.structured_content == {
        "job_id": arm,
        "title": ARM.title,
        "saved_search": "robots",
        "hidden": True,
    }
    first = await hunt_server.call("run_saved_search", {"name": "robots"})
    assert [job["company"] for job in first.structured_content["jobs"]] == [VISION.company]
    serve(hunt_site, [ARM_REPOST, VISION, FRESH], [])  # the next day ARM comes back under a new id
    second = await hunt_server.call("run_saved_search", {"name": "robots"})
    assert [job["company"] for job in second.structured_content["jobs"]] == [FRESH.company]

    gone = await hunt_server.call("hide_job", {"job_id": "remotive-999999"})
    assert gone.is_error and "no job with id 'remotive-999999'" in gone.content[0].text
    unknown = await hunt_server.call("hide_job", {"job_id": arm, "saved_search": "nope"})
    assert unknown.is_error and "no saved search named 'nope'" in unknown.content[0].text


# The views in the browser.
@pytest.fixture(scope="module")
def world():
    with demo_session() as running:
        yield running


@pytest.fixture(scope="module")
def host(world):
    bundle = bridge_bundle()
    require(
        bundle is not None, "needs the MCP Apps host bridge bundle that .ci/run builds (MCP_APPS_BRIDGE_JS)"
    )
    with ViewHost(world[0], bundle) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    driver = chrome(*chrome_paths())
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def match_ranking(world):
    return ranking(*world)


def wait(browser, condition, what: str):
    """Waits for `condition`; a view re-renders on every result, so an element read meanwhile may be stale."""
    waiting = WebDriverWait(browser, WAIT_S, ignored_exceptions=[StaleElementReferenceException])
    return waiting.until(lambda b: condition(b), message=what)


def rows(browser) -> list:
    return browser.find_elements(By.CSS_SELECTOR, "article.job")


def row(browser, job_id: str):
    return browser.find_element(By.CSS_SELECTOR, f'article.job[data-job-id="{job_id}"]')


def settled(browser, results: int) -> None:
    """Waits until the host has answered `results` tool calls and the view has drawn the answers."""
    wait(browser, lambda b: in_host(b, "return window.host.results.length") >= results, f"{results} results")
    wait(browser, lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("aria-busy") != "true", "drawn")


def wait_call(browser, count: int) -> dict:
    """The view's tool call number `count`, once its result came back and the view drew it."""
    settled(browser, count)
    return in_host(browser, "return window.host.calls[arguments[0]]", count - 1)


browser_test = pytest.mark.browser


@browser_test
def test_matches_shows_each_job_with_its_score_skills_and_hostile_text_as_text(
    browser, host, world, match_ranking
):
    arguments, result = match_ranking
    matches = result["structuredContent"]["matches"]
    show(browser, host.url(MATCHES_URI), arguments, result)
    wait(browser, lambda b: len(rows(b)) == len(matches), "one row per match")
    for match, shown in zip(matches, rows(browser), strict=True):
        assert shown.get_attribute("data-job-id") == match["job_id"]
        assert match["title"] in shown.find_element(By.TAG_NAME, "h3").text
        assert [c.text for c in shown.find_elements(By.CSS_SELECTOR, ".chip.have")] == match["matched_skills"]
        assert [c.text for c in shown.find_elements(By.CSS_SELECTOR, ".chip.lack")] == match["missing_skills"]
        meter = shown.find_element(By.CSS_SELECTOR, "[role=meter]")
        assert float(meter.get_attribute("aria-valuenow")) == pytest.approx(match["score"], abs=0.005)
        parts = {p.get_attribute("data-part") for p in shown.find_elements(By.CSS_SELECTOR, "[data-part]")}
        assert parts == {name for name, value in match["parts"].items() if value is not None}
        assert match["reason"] in shown.text
        if match["salary"]:
            assert shown.find_element(By.CSS_SELECTOR, ".salary").text == match["salary"]
    hostile = row(browser, world[1]["hostile_job_id"])
    assert "<script>window.top.pwned=2</script>" in hostile.find_element(By.TAG_NAME, "h3").text
    assert "<b>Corp</b>" in hostile.text
    assert (
        browser.execute_script("return document.querySelectorAll('img, b, script').length") == 1
    )  # its own script
    assert in_host(browser, "return window.pwned === undefined")

    # Sort and filter.
    Select(browser.find_element(By.ID, "sort")).select_by_value("newest")
    newest = sorted(matches, key=lambda m: m["posted_at"] or "", reverse=True)
    wait(
        browser,
        lambda b: [r.get_attribute("data-job-id") for r in rows(b)] == [m["job_id"] for m in newest],
        "newest first",
    )
    Select(browser.find_element(By.ID, "sort")).select_by_value("score")
    browser.find_element(By.ID, "min-score").send_keys(Keys.BACKSPACE, "0.85")
    strong = [m["job_id"] for m in matches if m["score"] >= 0.85]
    assert 0 < len(strong) < len(matches)
    wait(browser, lambda b: [r.get_attribute("data-job-id") for r in rows(b)] == strong, "min score 0.85")
    browser.find_element(By.ID, "min-score").send_keys(Keys.BACKSPACE * 4, "0")
    browser.find_element(By.ID, "remote").click()
    remote = [m["job_id"] for m in matches if m["remote"] is True]
    wait(browser, lambda b: [r.get_attribute("data-job-id") for r in rows(b)] == remote, "remote only")
    browser.find_element(By.ID, "remote").click()
    Select(browser.find_element(By.ID, "board")).select_by_value("remoteok")
    on_board = [m["job_id"] for m in matches if m["source"] == "remoteok"]
    wait(browser, lambda b: [r.get_attribute("data-job-id") for r in rows(b)] == on_board, "one board")
    assert browser.find_element(By.ID, "count").text == f"{len(on_board)} of {len(matches)} jobs"
    assert console_errors(browser) == []


@browser_test
def test_matches_actions_are_tool_calls_and_the_view_shows_their_results(browser, host, world, match_ranking):
    session, facts = world
    arguments, result = match_ranking
    matches = result["structuredContent"]["matches"]
    first, second, third = matches[0], matches[1], matches[2]
    show(browser, host.url(MATCHES_URI), arguments, result)
    wait(browser, lambda b: len(rows(b)) == len(matches), "rows")
    calls = 0

    def act(job_id: str, action: str) -> dict:
        nonlocal calls
        row(browser, job_id).find_element(By.CSS_SELECTOR, f'[data-action="{action}"]').click()
        calls += 1
        return wait_call(browser, calls)

    assert act(first["job_id"], "save") == {
        "name": "track_application",
        "arguments": {"job_id": first["job_id"], "status": "saved"},
    }
    wait(
        browser,
        lambda b: row(b, first["job_id"]).find_element(By.CLASS_NAME, "badge").text == "saved",
        "saved badge",
    )
    assert act(first["job_id"], "applied")["arguments"] == {"job_id": first["job_id"], "status": "applied"}
    wait(
        browser,
        lambda b: row(b, first["job_id"]).find_element(By.CLASS_NAME, "badge").text == "applied",
        "applied",
    )
    applications = session.call("list_applications", {})["structuredContent"]["applications"]
    assert [(a["job_id"], a["status"]) for a in applications if a["job_id"] == first["job_id"]] == [
        (first["job_id"], "applied")
    ]

    row(browser, first["job_id"]).find_element(By.CSS_SELECTOR, '[data-action="open"]').click()
    wait(browser, lambda b: in_host(b, "return window.host.links") == [first["url"]], "ui/open-link")

    # No model is configured here: analyze_fit answers with an error, which the row shows.
    assert act(second["job_id"], "fit") == {
        "name": "analyze_fit", "arguments": {"resume_id": facts["resume_id"], "job_id": second["job_id"]},
    }  # fmt: skip
    error = in_host(browser, "return window.host.results[window.host.results.length - 1]")
    assert error["isError"]
    alert = wait(
        browser,
        lambda b: row(b, second["job_id"]).find_elements(By.CSS_SELECTOR, "[role=alert]"),
        "fit error",
    )
    assert alert[0].text == error["content"][0]["text"]

    assert act(second["job_id"], "hide") == {"name": "hide_job", "arguments": {"job_id": second["job_id"]}}
    wait(
        browser,
        lambda b: second["job_id"] not in [r.get_attribute("data-job-id") for r in rows(b)],
        "hidden row",
    )
    assert second["title"] in browser.find_element(By.ID, "notes").text
    again = session.call("match_jobs", arguments)["structuredContent"]["matches"]
    assert second["job_id"] not in [m["job_id"] for m in again]  # hidden everywhere: match_jobs too

    # A job gone from the server (purged) since the view showed it: the tool's error shows in its row.
    store = facts["runtime"].store
    store.save_jobs([store.get_job(third["job_id"])], ttl_s=-1)
    assert store.purge_expired_jobs() == 1
    act(third["job_id"], "save")
    gone = in_host(browser, "return window.host.results[window.host.results.length - 1]")
    assert gone["isError"]
    alerts = "[role=alert]"
    wait(browser, lambda b: [a.text for a in row(b, third["job_id"]).find_elements(By.CSS_SELECTOR, alerts)]
         == [gone["content"][0]["text"]], "the gone job's error")  # fmt: skip
    assert console_errors(browser) == []


@browser_test
def test_a_saved_search_run_shows_board_statuses_and_hides_from_that_search(browser, host, world):
    session, facts = world
    saved = {"name": "views", "query": QUERY, "sources": facts["boards"], "resume_id": facts["resume_id"]}
    assert not session.call("save_search", saved).get("isError")
    run = session.call("run_saved_search", {"name": "views"})
    page = run["structuredContent"]
    assert page["ranked"], page
    show(browser, host.url(MATCHES_URI), {"name": "views"}, run)
    wait(browser, lambda b: len(rows(b)) == len(page["jobs"]), "a row per new job")
    boards = browser.find_element(By.ID, "boards").text
    for report in page["sources"]:
        assert f"{report['source']}: {report['status']} ({report['count']})" in boards
    best = page["ranked"][0]
    assert rows(browser)[0].get_attribute("data-job-id") == best["job_id"]
    assert best["reason"] in rows(browser)[0].text
    row(browser, best["job_id"]).find_element(By.CSS_SELECTOR, '[data-action="hide"]').click()
    call = wait_call(browser, 1)
    assert call == {"name": "hide_job", "arguments": {"job_id": best["job_id"], "saved_search": "views"}}
    wait(browser, lambda b: best["job_id"] not in [r.get_attribute("data-job-id") for r in rows(b)], "hidden")
    paged = session.call("search_jobs", {"query": QUERY, "search_id": page["search_id"]})["structuredContent"]
    assert best["job_id"] not in [job["job_id"] for job in paged["jobs"]]
    assert len(paged["jobs"]) == len(page["jobs"]) - 1
    assert console_errors(browser) == []


@browser_test
def test_tracker_columns_due_follow_ups_history_and_moving_a_card_by_keyboard(
    browser, host, world, match_ranking
):
    session, _ = world
    _, result = match_ranking
    due_job, later_job = result["structuredContent"]["matches"][4:6]
    session.call(
        "track_application",
        {"job_id": due_job["job_id"], "status": "applied", "follow_up_on": date.today().isoformat()},
    )
    session.call(
        "track_application", {"job_id": later_job["job_id"], "status": "saved", "notes": "ask about the team"}
    )
    listed = session.call("list_applications", {})
    applications = {a["job_id"]: a for a in listed["structuredContent"]["applications"]}
    show(browser, host.url(TRACKER_URI, theme="dark", locale="zh-CN"), {}, listed)

    def card(job_id: str):
        return browser.find_element(
            By.CSS_SELECTOR, f'[data-application-id="{applications[job_id]["application_id"]}"]'
        )

    def column_of(job_id: str) -> str:
        return card(job_id).find_element(By.XPATH, "ancestor::section").get_attribute("data-status")

    # The due follow-up comes from list_applications(due=true), asked by the view once it has drawn the cards.
    settled(browser, 1)
    assert in_host(browser, "return window.host.calls") == [
        {"name": "list_applications", "arguments": {"due": True}}
    ]
    wait(
        browser, lambda b: "due" in card(due_job["job_id"]).get_attribute("class").split(), "due highlighted"
    )
    assert "due" not in card(later_job["job_id"]).get_attribute("class").split()
    assert len(browser.find_elements(By.CSS_SELECTOR, ".card")) == len(applications)
    columns = browser.find_elements(By.CSS_SELECTOR, "section.column")
    assert [c.get_attribute("data-status") for c in columns] == [
        "saved", "applied", "interviewing", "offer", "rejected", "withdrawn", "closed"]  # fmt: skip
    for job_id, application in applications.items():
        assert column_of(job_id) == application["status"]
    # Chinese labels and the dark theme, from the host context.
    assert browser.find_element(By.CSS_SELECTOR, 'section[data-status="applied"] h2').text.startswith(
        "已投递"
    )
    assert browser.execute_script("return document.documentElement.dataset.theme") == "dark"
    background = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert sum(int(n) for n in background[4:-1].split(",")[:3]) < 150, background

    # History on open (Enter), then moving the card one column right with the keyboard.
    later = card(later_job["job_id"])
    later.send_keys(Keys.ENTER)
    history = wait(
        browser, lambda b: card(later_job["job_id"]).find_elements(By.CSS_SELECTOR, ".history li"), "history"
    )
    assert "ask about the team" in history[-1].text
    calls = in_host(browser, "return window.host.results.length")
    card(later_job["job_id"]).send_keys(Keys.ARROW_RIGHT)
    assert wait_call(browser, calls + 1) == {
        "name": "track_application", "arguments": {"job_id": later_job["job_id"], "status": "applied"},
    }  # fmt: skip
    settled(browser, calls + 2)
    assert (
        in_host(browser, "return window.host.calls[arguments[0]]", calls + 1)["name"] == "list_applications"
    )
    assert column_of(later_job["job_id"]) == "applied"
    assert browser.switch_to.active_element == card(later_job["job_id"])  # focus stays on the moved card
    moved = [a for a in session.call("list_applications", {})["structuredContent"]["applications"]
             if a["job_id"] == later_job["job_id"]]  # fmt: skip
    assert moved[0]["status"] == "applied" and [h["status"] for h in moved[0]["history"]] == [
        "saved",
        "applied",
    ]

    in_host(browser, "window.host.setContext({ theme: 'light', locale: 'en-US' })")
    wait(
        browser,
        lambda b: b.execute_script("return document.documentElement.dataset.theme") == "light",
        "light",
    )
    wait(
        browser,
        lambda b: b.find_element(By.CSS_SELECTOR, 'section[data-status="applied"] h2').text.startswith(
            "Applied"
        ),
        "en",
    )
    assert console_errors(browser) == []


@browser_test
def test_matches_labels_are_chinese_for_a_chinese_resume_whatever_the_host_locale(
    browser, host, world, match_ranking
):
    session, _ = world
    _, english = match_ranking
    raw = (FIXTURES / "resumes" / "generated_chinese_gb18030.txt").read_bytes()
    parsed = session.call(
        "parse_resume", {"content_base64": base64.b64encode(raw).decode(), "filename": "cv.txt"}
    )
    assert parsed["structuredContent"]["language"] == "zh"
    job_ids = [m["job_id"] for m in english["structuredContent"]["matches"][3:6]]  # none hidden or purged
    arguments = {"resume_id": parsed["structuredContent"]["resume_id"], "job_ids": job_ids, "top_k": 3}
    result = session.call("match_jobs", arguments)
    assert len(result["structuredContent"]["matches"]) == 3
    show(browser, host.url(MATCHES_URI, locale="en-US"), arguments, result)
    wait(browser, lambda b: len(rows(b)) == 3, "rows")
    # The view read resume://{resume_id} through the host (resources/read) and switched its labels.
    wait(
        browser,
        lambda b: rows(b)[0].find_element(By.CSS_SELECTOR, '[data-action="save"]').text == "收藏",
        "zh",
    )
    assert browser.find_element(By.ID, "count").text == "3 个职位中的 3 个"
    assert browser.execute_script("return document.documentElement.lang") == "zh-CN"
    assert console_errors(browser) == []
