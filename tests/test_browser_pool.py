"""The browser pool on real headless Chromium, against the local board site on 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from board_site import BoardSiteForTests
from jobsearch_mcp_server.browser import procs
from jobsearch_mcp_server.browser.pool import BrowserPool, BrowserUnavailableError, PageTimeoutError
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.demo.site import BoardSite, Route

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def site() -> Iterator[BoardSite]:
    assets = Route("/assets.html", FIXTURES / "browser" / "assets.html")
    with BoardSiteForTests(routes=[assets]) as board_site:
        yield board_site


def browser_pids(pool: BrowserPool) -> list[int]:
    pids = pool.process_ids()
    assert pids, "a started pool has chromedriver and Chromium processes"
    return pids


def test_starts_lazily_and_reuses_one_browser(browser_pool: BrowserPool, site: BoardSite) -> None:
    started = browser_pool.drivers_started
    first = browser_pool.fetch(f"{site.url}/indeed/jobs?q=data+scientist&l=")
    second = browser_pool.fetch(f"{site.url}/indeed/viewjob?jk=5f1c2a9e7b3d4a01")

    assert first.title == "Data Scientist Jobs, Employment | Indeed"
    assert "mosaic-provider-jobcards" in first.html
    assert second.url == f"{site.url}/indeed/viewjob?jk=5f1c2a9e7b3d4a01"
    assert "jobDescriptionText" in second.html
    assert browser_pool.drivers_started - started <= 1  # one browser for both pages (none if already warm)


def test_a_new_pool_starts_no_browser_until_the_first_page(browser_settings: Settings) -> None:
    with BrowserPool(browser_settings) as pool:
        assert pool.process_ids() == [] and pool.drivers_started == 0


def test_images_fonts_and_media_are_not_downloaded(browser_pool: BrowserPool, site: BoardSite) -> None:
    page = browser_pool.fetch(f"{site.url}/assets.html", wait_css="#loaded")

    assert "Senior Engineer" in page.html
    time.sleep(0.3)  # any asset request would have reached the site by now
    assert not [path for path in site.requests if path.startswith("/assets/")]


def test_a_missing_wait_selector_returns_the_page_as_it_is(
    browser_pool: BrowserPool, site: BoardSite
) -> None:
    started = time.monotonic()
    page = browser_pool.fetch(f"{site.url}/indeed/jobs?q=x&start=20", wait_css="#never-there", timeout_s=1.5)

    assert 1.0 < time.monotonic() - started < 10
    assert '"results":[]' in page.html


def test_a_slow_page_times_out_and_its_browser_is_replaced(
    browser_pool: BrowserPool, site: BoardSite
) -> None:
    browser_pool.fetch(f"{site.url}/")
    started = browser_pool.drivers_started
    with pytest.raises(PageTimeoutError, match="did not load within 1 s") as raised:
        browser_pool.fetch(f"{site.url}/__slow?s=6", timeout_s=1)
    assert raised.value.status == "timeout"

    page = browser_pool.fetch(f"{site.url}/")
    assert page.title == "jobsearch-mcp demo boards"
    assert browser_pool.drivers_started == started + 1


@pytest.mark.parametrize("victim", ["chromium", "chromedriver"])
def test_a_crashed_browser_is_replaced(browser_settings: Settings, site: BoardSite, victim: str) -> None:
    with BrowserPool(browser_settings, size=1) as pool:
        pool.fetch(f"{site.url}/")
        pids = browser_pids(pool)
        driver_pid = pids[0] if victim == "chromedriver" else None
        victims = [driver_pid] if driver_pid else pids[1:]
        os.kill(victims[0], signal.SIGKILL)
        for pid in victims[1:]:
            # Chromium's helpers exit with the browser process killed just before: one may be gone already.
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

        page = pool.fetch(f"{site.url}/indeed/viewjob?jk=5f1c2a9e7b3d4a01")

        assert page.title.startswith("Data Scientist - Boston")
        assert pool.drivers_started == 2
        assert not [pid for pid in pids if procs.is_alive(pid)], "the crashed browser's processes are gone"


def test_concurrent_fetches_share_a_bounded_number_of_browsers(
    browser_settings: Settings, site: BoardSite
) -> None:
    pages: list[str] = []
    with BrowserPool(browser_settings, size=2) as pool:
        threads = [
            threading.Thread(target=lambda: pages.append(pool.fetch(f"{site.url}/__slow?s=0.5").title))
            for _ in range(5)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert pages == ["slow"] * 5
        assert pool.drivers_started == 2
        names = [procs.executable_name(pid) for pid in pool.process_ids()]
        assert names.count("chromedriver") == 2


def test_close_leaves_no_browser_process(browser_settings: Settings, site: BoardSite) -> None:
    pool = BrowserPool(browser_settings, size=2)
    pool.fetch(f"{site.url}/")
    pids = browser_pids(pool)
    profile_args = [
        word.decode()
        for pid in pids
        for word in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if word.startswith(b"--user-data-dir=")
    ]

    pool.close()

    assert not [pid for pid in pids if procs.is_alive(pid)]
    for argument in set(profile_args):
        assert procs.with_argument(argument) == []
        assert not Path(argument.split("=", 1)[1]).exists(), "the temporary profile is removed"


@pytest.mark.anyio
async def test_fetch_async_runs_in_a_worker_thread(browser_pool: BrowserPool, site: BoardSite) -> None:
    page = await browser_pool.fetch_async(f"{site.url}/generic/careers/senior-data-scientist")
    assert "JobPosting" in page.html


def test_a_missing_chromedriver_says_what_to_install(browser_settings: Settings) -> None:
    broken = browser_settings.model_copy(update={"chromedriver": "/nonexistent/chromedriver"})
    with BrowserPool(broken) as pool, pytest.raises(BrowserUnavailableError, match="JOBSEARCH_CHROMEDRIVER"):
        pool.fetch("about:blank")


def test_a_process_that_exited_after_the_listing_has_no_executable_name() -> None:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    assert procs.executable_name(os.getpid()) == Path(os.readlink("/proc/self/exe")).name
    while procs.is_alive(child.pid):  # exited but not reaped: a zombie whose exe link no longer resolves
        time.sleep(0.01)
    assert procs.executable_name(child.pid) is None
    child.wait()  # reaped: its /proc entry is gone
    assert procs.executable_name(child.pid) is None
