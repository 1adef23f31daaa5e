"""`jobsearch-mcp ui` as a process: its page in real headless Chromium hosting a view over the MCP Apps
protocol, tool calls through the bridge, and who may (not) drive it."""

from __future__ import annotations

import csv
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from conftest import FIXTURES, ROOT, chrome_paths
from jobsearch_mcp_server.config import load_settings
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.store.db import SavedSearch
from jobsearch_mcp_server.tools.hunt import saved_searches
from jobsearch_mcp_server.ui.app import Access, page_url, view_csp
from jobsearch_mcp_server.views import MATCHES_URI
from views_host import chrome

SAMPLE_JOBS = ROOT / "src" / "jobsearch_mcp_server" / "demo" / "samples" / "file" / "jobs.csv"
SEARCH = "data"
START_TIMEOUT_S = 120  # the process imports the whole server; the shared CI machine is slow


@dataclass
class RunningUi:
    process: subprocess.Popen
    url: str  # as printed: with the launch key

    @property
    def base(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


def ui_environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOBSEARCH_", "LLM_"))}
    return env | {
        "JOBSEARCH_ALLOWED_DIRS": str(tmp / "jobs"),
        "LLM_BACKEND": "none",
        "JOBSEARCH_LOG_LEVEL": "INFO",
    }


def start_ui(command: list[str], tmp: Path) -> RunningUi:
    """`jobsearch-mcp ui --open --port 0`, its browser a command that writes down the address it opens."""
    args = [*command, "--env-file", str(tmp / "no.env"), "--data-dir", str(tmp / "data"),
            "ui", "--open", "--port", "0"]  # fmt: skip
    record = f"import pathlib, sys; pathlib.Path({str(tmp / 'opened.txt')!r}).write_text(sys.argv[1])"
    env = ui_environment(tmp) | {"BROWSER": f'{sys.executable} -c "{record}" %s'}
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)  # fmt: skip
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(START_TIMEOUT_S):
            process.kill()
            pytest.fail(f"jobsearch-mcp ui printed no address in {START_TIMEOUT_S} s")
        line = process.stdout.readline()
    if not line.startswith("jobsearch-mcp ui: http://127.0.0.1:"):
        process.kill()
        pytest.fail(f"unexpected first line {line!r}; stderr: {process.stderr.read()}")
    return RunningUi(process, line.split(": ", 1)[1].strip())


def stop_ui(ui: RunningUi) -> None:
    ui.process.send_signal(signal.SIGTERM)
    assert ui.process.wait(timeout=30) == 0, ui.process.stderr.read()


RESUMES = [  # the project's own: the demo's sample resume, then (the latest) a generated Chinese one
    ROOT / "src" / "jobsearch_mcp_server" / "demo" / "resume" / "data_scientist.txt",
    FIXTURES / "resumes" / "generated_chinese_gb18030.txt",
]


@dataclass
class UiHome:
    folder: Path
    resume_name: str  # of the latest resume, the one the page offers matches for
    resume_id: str


@pytest.fixture(scope="module")
def ui_home(tmp_path_factory: pytest.TempPathFactory) -> UiHome:
    """A data dir with two resumes and a saved search over a jobs file (the project's own samples,
    offline), stored as `parse-resume` and `save-search` store them."""
    tmp = tmp_path_factory.mktemp("ui")
    (tmp / "jobs").mkdir()
    jobs_file = Path(shutil.copy(SAMPLE_JOBS, tmp / "jobs" / "jobs.csv"))
    settings = load_settings(env_file=None, data_dir=str(tmp / "data"), allowed_dirs=str(tmp / "jobs"),
                             llm_backend="none")  # fmt: skip
    runtime = Runtime(settings)
    try:
        for path in RESUMES:
            resume = runtime.resumes.save(runtime.resumes.parse_named_file(path))
        saved_searches(runtime).save(SavedSearch(name=SEARCH, query="data", sources=[f"file:{jobs_file}"]))
    finally:
        runtime.close()
    return UiHome(tmp, resume.name, resume.resume_id)


@pytest.fixture(scope="module")
def ui(ui_home: UiHome) -> Iterator[RunningUi]:
    running = start_ui([sys.executable, "-m", "jobsearch_mcp_server"], ui_home.folder)
    yield running
    stop_ui(running)


def sample_titles() -> set[str]:
    with SAMPLE_JOBS.open(encoding="utf-8", newline="") as handle:
        return {row["title"] for row in csv.DictReader(handle)}


def use_language(driver, language: str) -> None:
    """The browser's language (navigator.language, Accept-Language) from now on."""
    agent = driver.execute_script("return navigator.userAgent")
    driver.execute_cdp_cmd("Emulation.setUserAgentOverride", {"userAgent": agent, "acceptLanguage": language})


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    browser = chrome(*chrome_paths())
    use_language(browser, "en-US")
    yield browser
    browser.quit()


def console_errors(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def open_nav(driver, text: str, tool: str, shown: str):
    """Clicks the navigation button `text` and returns, in the view's frame, once `shown` (a CSS selector)
    is on it; the wait it used is returned for the next steps."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.switch_to.default_content()
    wait = WebDriverWait(driver, 60)
    wait.until(ec.element_to_be_clickable((By.XPATH, f"//nav//button[normalize-space()='{text}']"))).click()
    frame = (By.CSS_SELECTOR, f"#stage iframe[data-tool='{tool}']")
    wait.until(ec.frame_to_be_available_and_switch_to_it(frame))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, shown)))
    return wait


def texts(driver, css: str) -> list[str]:
    """The text of every element `css` selects, read in one go (the views re-render after each result)."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((node) => node.textContent)", css
    )


def job_card(driver, title: str):
    """The Matches card of the job `title` (the view renders its cards anew after every action)."""
    return next(
        c
        for c in driver.find_elements("css selector", "article.job")
        if c.get_attribute("aria-label") == title
    )


def shown_titles(driver) -> list[str]:
    """The job titles of the Matches cards, in order (their headings read "3. Title")."""
    return [heading.split(". ", 1)[1] for heading in texts(driver, "article.job h3")]


@pytest.mark.browser
def test_the_page_hosts_the_views_on_real_tool_results_and_their_actions_call_tools(
    ui: RunningUi, ui_home: UiHome, driver
) -> None:
    from selenium.webdriver.common.by import By

    driver.get(ui.url)
    assert driver.current_url == ui.base + "/"  # the key left the address bar for a session cookie

    # Matches: the saved search's new jobs, as run_saved_search returned them
    wait = open_nav(driver, f"Run {SEARCH}", "run_saved_search", "article.job")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("data-theme") == "light"
    titles = shown_titles(driver)
    assert len(titles) >= 2 and set(titles) <= sample_titles()
    assert driver.find_element(By.ID, "count").text == f"{len(titles)} of {len(titles)} jobs"

    job_card(driver, titles[0]).find_element(
        By.CSS_SELECTOR, "[data-action=save]"
    ).click()  # track_application
    wait.until(lambda d: texts(d, "article.job .badge") == ["saved"])
    hidden = titles[1]
    job_card(driver, hidden).find_element(By.CSS_SELECTOR, "[data-action=hide]").click()  # hide_job
    wait.until(lambda d: len(shown_titles(d)) == len(titles) - 1)
    assert hidden not in shown_titles(driver)
    assert f"Hidden: {hidden}." in texts(driver, "#notes")[0]
    page = driver.current_window_handle
    job_card(driver, titles[0]).find_element(By.CSS_SELECTOR, "[data-action=open]").click()  # ui/open-link
    wait.until(lambda d: len(d.window_handles) == 2)  # the posting, in a tab of its own
    driver.switch_to.window(next(handle for handle in driver.window_handles if handle != page))
    driver.close()
    driver.switch_to.window(page)

    # Tracker, now in the dark theme: the saved job, moved on to applied with track_application
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}
    )
    wait = open_nav(driver, "Application board", "list_applications", "article.card")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("data-theme") == "dark"
    assert texts(driver, "section[data-status=saved] article.card h3") == [titles[0]]
    driver.find_element(By.CSS_SELECTOR, "section[data-status=saved] button[data-move=applied]").click()
    wait.until(lambda d: texts(d, "section[data-status=applied] article.card h3") == [titles[0]])
    assert texts(driver, "section[data-status=saved] article.card") == []

    # the latest resume's matches: scored rows, labelled in the resume's language (the view reads the resume
    # through the page); a fit analysis without a model shows the tool's error in the view
    wait = open_nav(
        driver, f"Best matches for {ui_home.resume_name}", "match_jobs", "article.job [role=meter]"
    )
    assert set(shown_titles(driver)) <= sample_titles()
    wait.until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN")
    assert texts(driver, "article.job [data-action=fit]")[0] == "匹配分析"
    driver.find_element(By.CSS_SELECTOR, "article.job [data-action=fit]").click()  # analyze_fit
    wait.until(lambda d: texts(d, "article.job .message.error"))
    assert (
        "The LLM tools are switched off (LLM_BACKEND=none)" in texts(driver, "article.job .message.error")[0]
    )

    driver.switch_to.default_content()
    assert driver.find_element(By.ID, "status").text == "match_jobs answered."

    # a Chinese browser: the page's labels, and the locale it hands the view, are Chinese
    use_language(driver, "zh-CN")
    driver.refresh()
    open_nav(driver, "申请看板", "list_applications", "article.card")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert texts(driver, "section[data-status=applied] h2 span")[0] == "已投递"
    driver.switch_to.default_content()
    assert console_errors(driver) == []


def session_cookie(ui: RunningUi) -> httpx.Cookies:
    response = httpx.get(ui.url, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    return response.cookies


def test_it_opens_the_printed_address_in_the_browser(ui: RunningUi, ui_home: UiHome) -> None:
    session_cookie(ui)  # it serves, so the browser command (run before serving) is done
    assert (ui_home.folder / "opened.txt").read_text() == ui.url


def test_only_the_launch_key_opens_the_page(ui: RunningUi) -> None:
    assert httpx.get(ui.base + "/").status_code == 401
    assert httpx.get(ui.base + "/?key=not-the-key").status_code == 401
    assert httpx.post(ui.base + "/api/call", json={"name": "list_applications"},
                      headers={"Origin": ui.base}).status_code == 401  # fmt: skip
    cookies = session_cookie(ui)
    page = httpx.get(ui.base + "/", cookies=cookies)
    assert page.status_code == 200 and "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_foreign_hosts_and_origins_are_refused(ui: RunningUi) -> None:
    cookies = session_cookie(ui)
    port = urlsplit(ui.url).port
    assert httpx.get(ui.url, headers={"Host": f"rebound.example:{port}"}).status_code == 421
    assert (
        httpx.get(ui.base + "/", cookies=cookies, headers={"Host": f"rebound.example:{port}"}).status_code
        == 421
    )
    call = {"name": "list_applications", "arguments": {}}
    assert httpx.post(ui.base + "/api/call", json=call, cookies=cookies,
                      headers={"Origin": "http://rebound.example"}).status_code == 403  # fmt: skip
    assert httpx.post(ui.base + "/api/call", json=call, cookies=cookies).status_code == 403  # no Origin


def test_the_bridge_calls_only_the_views_tools_and_reads_only_what_they_read(
    ui: RunningUi, ui_home: UiHome
) -> None:
    cookies = session_cookie(ui)
    headers = {"Origin": ui.base}
    refused = httpx.post(ui.base + "/api/call", json={"name": "export_jobs", "arguments": {}},
                         cookies=cookies, headers=headers).json()  # fmt: skip
    assert (
        refused["isError"] is True
        and "cannot be called from the jobsearch-mcp ui page" in refused["content"][0]["text"]
    )
    track_gone = {"name": "track_application", "arguments": {"job_id": "gone"}}
    gone = httpx.post(ui.base + "/api/call", json=track_gone, cookies=cookies, headers=headers).json()
    assert gone["isError"] is True and "no job with id 'gone'" in gone["content"][0]["text"]
    tools = httpx.post(ui.base + "/api/tools", json={}, cookies=cookies, headers=headers).json()["tools"]
    assert "export_jobs" not in {tool["name"] for tool in tools}
    assert httpx.get(ui.base + "/view", params={"uri": "resume://all"}, cookies=cookies).status_code == 404
    read = httpx.post(ui.base + "/api/read", json={"uri": f"resume://{ui_home.resume_id}"}, cookies=cookies,
                      headers=headers)  # fmt: skip
    assert json.loads(read.json()["contents"][0]["text"])["language"] == "zh"
    for uri in (f"resume://{ui_home.resume_id}/text", "applications://all", "job://x"):
        refused = httpx.post(ui.base + "/api/read", json={"uri": uri}, cookies=cookies, headers=headers)
        assert refused.status_code == 400 and "cannot be read from the jobsearch-mcp ui page" in refused.text
    view = httpx.get(ui.base + "/view", params={"uri": MATCHES_URI}, cookies=cookies)
    policy = view.headers["content-security-policy"]
    assert view.status_code == 200 and "connect-src 'none'" in policy and "sandbox allow-scripts" in policy


def test_a_non_loopback_address_needs_the_token(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "jobsearch_mcp_server", "--env-file", str(tmp_path / "no.env"),
            "--data-dir", str(tmp_path / "data"), "ui", "--host", "0.0.0.0"]  # fmt: skip
    done = subprocess.run(
        args, check=False, cwd=ROOT, env=ui_environment(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "refusing to listen on 0.0.0.0 without authentication" in done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "data").exists()  # refused before anything was opened


def test_a_views_csp_allows_only_the_origins_it_declares() -> None:
    declared = {
        "connectDomains": ["https://api.example.org", "https://x.example; script-src *"],
        "resourceDomains": ["https://*.cdn.example"],
    }
    policy = view_csp({"csp": declared})
    assert "connect-src https://api.example.org;" in policy
    assert "script-src 'unsafe-inline' https://*.cdn.example;" in policy
    assert "x.example" not in policy  # a declared value that is not an origin is dropped, not spliced in
    assert "frame-src 'none'" in view_csp({}) and "connect-src 'none'" in view_csp({"csp": {}})


def test_off_loopback_the_token_opens_the_page_too_and_the_address_printed_is_a_local_one() -> None:
    settings = load_settings(env_file=None, host="0.0.0.0", auth_token="t0ken-of-the-deployment")
    access = Access(settings, 8765)
    assert access.key_matches(access.key) and access.key_matches("t0ken-of-the-deployment")
    assert not access.key_matches("t0ken") and not access.key_matches("")
    assert page_url(settings.host, 8765, "k") == "http://127.0.0.1:8765/?key=k"
    assert page_url("::1", 8765, "k") == "http://[::1]:8765/?key=k"
