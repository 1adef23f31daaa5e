"""A small pool of headless Chromium browsers, started on first use and reused by every browser source.

Starting Chromium costs seconds; loading a page in a running one costs a fraction of that. So the
pool keeps up to `JOBSEARCH_BROWSER_POOL_SIZE` drivers alive and hands them out one fetch at a time.
A driver that crashes, hangs or times out is quit (its whole process tree, from /proc) and a fresh
one takes its place on the next fetch. Pages load with the "eager" strategy and without images,
fonts or media. `close()` quits every driver and leaves no chromium or chromedriver behind.

Drivers run locally (Selenium Manager finds Chromium and chromedriver unless
`JOBSEARCH_CHROME_BINARY` / `JOBSEARCH_CHROMEDRIVER` say where they are) or on a Selenium Grid
when `SELENIUM_REMOTE_URL` is set. A fetch may name a persistent profile (`<profiles dir>/<name>`)
so that the cookies of `jobsearch-mcp login <source>` are used; one profile is open in at most one
browser at a time, as Chromium requires.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit, urlunsplit

import anyio.to_thread
import urllib3
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from ..config import Settings
from ..errors import SourceError
from ..jobs.models import SourceStatus
from ..tenants import tenant_folder
from . import procs

log = logging.getLogger(__name__)

CHROME_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--window-size=1366,900",
)
# What a job page never needs: images, fonts and media (CDP patterns, matched against every request URL).
BLOCKED_URLS = [
    f"*.{extension}"
    for extension in (
        "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "bmp",
        "woff", "woff2", "ttf", "otf", "eot",
        "mp4", "webm", "ogg", "mp3", "wav", "m4a", "mov",
    )
]  # fmt: skip
NO_IMAGES = {"profile.managed_default_content_settings.images": 2}
QUIT_GRACE_S = 5.0
# Failures after which a driver is not trusted again: its process died, hung or stopped answering.
DRIVER_FAILURES = (WebDriverException, urllib3.exceptions.HTTPError, ConnectionError)
# Chromium makes its singleton socket under TMPDIR, and a Unix socket path holds at most 108 bytes: from a
# longer temp dir (pytest's, some CI runners') it does not start. Its TMPDIR is then /tmp instead.
LONGEST_TMPDIR = 60
SHORT_TMPDIR = "/tmp"


@dataclass(frozen=True)
class Page:
    """A page as the browser rendered it."""

    url: str  # the final URL, after redirects
    html: str
    title: str


class BrowserUnavailableError(SourceError):
    """No browser could be started here (missing Chromium or chromedriver, unreachable Grid)."""


class PageTimeoutError(SourceError):
    status = SourceStatus.TIMEOUT


def profile_dir(settings: Settings, name: str) -> Path:
    """The persistent browser profile of one source: `<JOBSEARCH_PROFILES_DIR or data dir/profiles>/<name>`."""
    return (settings.profiles_dir or settings.data_dir / "profiles") / name


def tenant_profile(name: str) -> str:
    """The profile of source `name` for the current tenant: `name` for the local tenant, else
    `tenants/<tenant>/<name>`, so each tenant's board sign-ins stay its own (and so do idle browsers)."""
    return tenant_folder(Path(".")).joinpath(name).as_posix()


def proxy_server(proxy: str) -> str:
    """The proxy as Chromium's `--proxy-server` takes it; Chromium cannot use credentials given there."""
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if parts.username or parts.password:
        log.warning("JOBSEARCH_PROXY has credentials; Chromium ignores them (use an IP-allowlisted proxy)")
    host = parts.hostname or ""
    return urlunsplit((parts.scheme, f"{host}:{parts.port}" if parts.port else host, "", "", ""))


@dataclass(eq=False)
class _Driver:
    webdriver: WebDriver
    profile: str | None
    user_data_dir: Path | None  # None on a Grid: the browser's files are on another machine
    temporary: bool  # a throw-away user data dir, removed when the driver quits
    page_timeout_s: float | None = None
    retired: bool = False  # quit (or being quit); never handed out again
    started_at: float = field(default_factory=time.monotonic)

    def local_pids(self) -> list[int]:
        """chromedriver and every Chromium process of this driver on this machine."""
        process = getattr(getattr(self.webdriver, "service", None), "process", None)
        pids = set()
        if process is not None:
            pids.add(process.pid)
            pids.update(procs.descendants(process.pid))
        if self.user_data_dir is not None:
            pids.update(procs.with_argument(f"--user-data-dir={self.user_data_dir}"))
        return sorted(pids)


class BrowserPool:
    """Up to `size` browsers, started lazily, shared by all browser sources. Thread-safe."""

    def __init__(self, settings: Settings, *, size: int | None = None) -> None:
        self.settings = settings
        self.size = size or settings.browser_pool_size
        self._changed = threading.Condition()
        self._idle: list[_Driver] = []
        self._leased: set[_Driver] = set()
        self._starting: list[str | None] = []  # the profiles of drivers being started
        self._closed = False
        self.drivers_started = 0  # how many browsers this pool has started (reuse shows as a small number)
        atexit.register(self.close)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- fetching ----------------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        wait_css: str | None = None,
        timeout_s: float | None = None,
        profile: str | None = None,
    ) -> Page:
        """The rendered page at `url`.

        `wait_css` waits (within the timeout) for an element matching that CSS selector list; when it
        never appears the page is returned as it is, so a parser can tell a wall or an empty result
        from a page that is still loading. `profile` uses a source's persistent login profile.
        Raises `PageTimeoutError` when the page does not load in time, `SourceError` when the browser
        fails twice in a row, `BrowserUnavailableError` when no browser can be started.
        """
        timeout = timeout_s or self.settings.page_timeout_s
        profile = tenant_profile(profile) if profile is not None else None
        for attempt in (1, 2):
            driver = self._acquire(profile)
            healthy = False
            try:
                page = self._load(driver, url, wait_css, timeout)
                healthy = True
                return page
            except TimeoutException as exc:
                raise PageTimeoutError(f"{url} did not load within {timeout:g} s") from exc
            except DRIVER_FAILURES as exc:
                reason = _first_line(exc)
                if attempt == 2 or self._closed:
                    raise SourceError(f"the browser failed loading {url}: {reason}") from exc
                log.warning("a browser failed (%s); starting a fresh one", reason)
            finally:
                self._release(driver, healthy=healthy)
        raise AssertionError("unreachable")

    async def fetch_async(
        self,
        url: str,
        *,
        wait_css: str | None = None,
        timeout_s: float | None = None,
        profile: str | None = None,
    ) -> Page:
        """`fetch` in a worker thread, so the event loop keeps serving other requests meanwhile."""
        fetch = partial(self.fetch, url, wait_css=wait_css, timeout_s=timeout_s, profile=profile)
        return await anyio.to_thread.run_sync(fetch, abandon_on_cancel=True)

    def _load(self, driver: _Driver, url: str, wait_css: str | None, timeout: float) -> Page:
        browser = driver.webdriver
        if driver.page_timeout_s != timeout:
            browser.set_page_load_timeout(timeout)
            driver.page_timeout_s = timeout
        deadline = time.monotonic() + timeout
        browser.get(url)
        if wait_css:
            try:
                WebDriverWait(browser, max(0.1, deadline - time.monotonic()), poll_frequency=0.1).until(
                    lambda b: b.find_elements(By.CSS_SELECTOR, wait_css)
                )
            except TimeoutException:
                log.debug("%s: nothing matched %r within %g s", url, wait_css, timeout)
        return Page(url=browser.current_url, html=browser.page_source, title=browser.title)

    @contextmanager
    def session(self, *, profile: str | None = None, headless: bool | None = None) -> Iterator[WebDriver]:
        """A browser of its own (outside the pool) for a person to use, e.g. to log in; quit on exit."""
        driver = self._start(
            tenant_profile(profile) if profile is not None else None,
            headless=self.settings.browser_headless if headless is None else headless,
        )
        try:
            yield driver.webdriver
        finally:
            self._quit(driver)

    # --- the pool ----------------------------------------------------------------------------------

    def _acquire(self, profile: str | None) -> _Driver:
        victim = None
        with self._changed:
            while True:
                if self._closed:
                    raise SourceError("the browser pool is closed")
                match = next((d for d in reversed(self._idle) if d.profile == profile), None)
                if match is not None:
                    self._idle.remove(match)
                    self._leased.add(match)
                    return match
                profile_busy = profile is not None and (
                    profile in self._starting or any(d.profile == profile for d in self._leased)
                )
                if not profile_busy:
                    if len(self._idle) + len(self._leased) + len(self._starting) < self.size:
                        break
                    if self._idle:  # full of idle drivers of other profiles: replace the oldest
                        victim = self._idle.pop(0)
                        victim.retired = True
                        break
                self._changed.wait()
            self._starting.append(profile)
        try:
            if victim is not None:
                self._quit(victim)
            driver = self._start(profile, headless=self.settings.browser_headless)
        except BaseException:
            with self._changed:
                self._starting.remove(profile)
                self._changed.notify_all()
            raise
        with self._changed:
            self._starting.remove(profile)
            if not self._closed:
                self._leased.add(driver)
                return driver
        self._quit(driver)
        raise SourceError("the browser pool is closed")

    def _release(self, driver: _Driver, *, healthy: bool) -> None:
        with self._changed:
            self._leased.discard(driver)
            retire = not driver.retired and (self._closed or not healthy)
            if retire:
                driver.retired = True
            elif not driver.retired:
                self._idle.append(driver)
            self._changed.notify_all()
        if retire:
            self._quit(driver)

    def close_profile(self, profile: str) -> None:
        """Quits the idle browsers of `profile`: Chromium lets one process at a time use a profile, so this
        frees it for `jobsearch-mcp login`, and the next fetch starts a browser that reads its new cookies."""
        profile = tenant_profile(profile)
        with self._changed:
            drivers = [d for d in self._idle if d.profile == profile]
            for driver in drivers:
                self._idle.remove(driver)
                driver.retired = True
            self._changed.notify_all()
        for driver in drivers:
            self._quit(driver)

    def close(self) -> None:
        """Quits every browser, including ones in use (their fetches fail); idempotent."""
        with self._changed:
            self._closed = True
            drivers = [d for d in [*self._idle, *self._leased] if not d.retired]
            for driver in drivers:
                driver.retired = True
            self._idle.clear()
            self._changed.notify_all()
        for driver in drivers:
            self._quit(driver)
        atexit.unregister(self.close)

    def process_ids(self) -> list[int]:
        """The chromedriver and Chromium processes of this pool's live browsers (empty on a Grid)."""
        with self._changed:
            drivers = [*self._idle, *self._leased]
        return sorted({pid for driver in drivers for pid in driver.local_pids()})

    # --- one driver --------------------------------------------------------------------------------

    def _options(self, user_data_dir: Path | None, *, headless: bool) -> webdriver.ChromeOptions:
        options = webdriver.ChromeOptions()
        options.page_load_strategy = "eager"
        if headless:
            options.add_argument("--headless=new")
            options.add_experimental_option("prefs", NO_IMAGES)
        for flag in CHROME_FLAGS:
            options.add_argument(flag)
        if user_data_dir is not None:
            options.add_argument(f"--user-data-dir={user_data_dir}")
        if self.settings.user_agent:
            options.add_argument(f"--user-agent={self.settings.user_agent}")
        if self.settings.proxy:
            options.add_argument(f"--proxy-server={proxy_server(self.settings.proxy)}")
        if self.settings.chrome_binary and not self.settings.selenium_remote_url:
            options.binary_location = self.settings.chrome_binary
        return options

    def _start(self, profile: str | None, *, headless: bool) -> _Driver:
        remote = self.settings.selenium_remote_url
        if remote:
            if profile is not None:
                log.warning(
                    "profile %r is ignored on a Selenium Grid: log in on the Grid's browser instead", profile
                )
            user_data_dir, temporary = None, False
        elif profile is not None:
            user_data_dir, temporary = profile_dir(self.settings, profile), False
            user_data_dir.mkdir(parents=True, exist_ok=True)
        else:
            user_data_dir, temporary = Path(tempfile.mkdtemp(prefix="jobsearch-chromium-")), True
        options = self._options(user_data_dir, headless=headless)
        try:
            if remote:
                browser: WebDriver = webdriver.Remote(command_executor=remote, options=options)
            else:
                service = Service(executable_path=self.settings.chromedriver or None, env=_browser_env())
                browser = webdriver.Chrome(options=options, service=service)
        except (WebDriverException, OSError, urllib3.exceptions.HTTPError) as exc:
            if temporary:
                shutil.rmtree(user_data_dir, ignore_errors=True)
            where = f"the Selenium Grid at {remote}" if remote else "Chromium on this machine"
            raise BrowserUnavailableError(
                f"could not start {where}: {_first_line(exc)}. Install chromium and chromedriver, set "
                "JOBSEARCH_CHROME_BINARY / JOBSEARCH_CHROMEDRIVER to their paths, or point SELENIUM_REMOTE_URL "
                "at a running Selenium Grid"
            ) from exc
        driver = _Driver(browser, profile, user_data_dir, temporary)
        with self._changed:
            self.drivers_started += 1
        if headless:
            self._trim(browser)
        log.debug("started a browser (profile %s, %s)", profile or "temporary", remote or "local")
        return driver

    def _trim(self, browser: WebDriver) -> None:
        """Blocks asset downloads and hides "HeadlessChrome" from the user agent, where CDP is available."""
        cdp = getattr(browser, "execute_cdp_cmd", None)
        if cdp is None:  # a Grid's Remote driver: the image pref still applies
            return
        try:
            cdp("Network.enable", {})
            cdp("Network.setBlockedURLs", {"urls": BLOCKED_URLS})
            if not self.settings.user_agent:
                agent = browser.execute_script("return navigator.userAgent")
                if "HeadlessChrome" in agent:
                    cdp(
                        "Network.setUserAgentOverride",
                        {"userAgent": agent.replace("HeadlessChrome", "Chrome")},
                    )
        except WebDriverException as exc:
            log.debug("CDP unavailable, assets not blocked: %s", _first_line(exc))

    def _quit(self, driver: _Driver) -> None:
        """Quits `driver`, then ends whatever of its process tree survived (a hung or crashed browser)."""
        pids = driver.local_pids()
        quitter = threading.Thread(target=_quietly, args=(driver.webdriver.quit,), daemon=True)
        quitter.start()
        quitter.join(QUIT_GRACE_S)
        killed = procs.stop(pids, grace_s=QUIT_GRACE_S)
        if killed:
            log.debug("killed %d browser processes that outlived quit()", len(killed))
        if driver.temporary and driver.user_data_dir is not None:
            shutil.rmtree(driver.user_data_dir, ignore_errors=True)


def _browser_env() -> dict[str, str] | None:
    """chromedriver's (and so Chromium's) environment: this one, with a short TMPDIR when it has a long one."""
    if len(tempfile.gettempdir()) <= LONGEST_TMPDIR or not os.path.isdir(SHORT_TMPDIR):
        return None  # Service's default: this process's environment
    return {**os.environ, "TMPDIR": SHORT_TMPDIR}


def _quietly(action: Callable[[], object]) -> None:
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - a dead browser fails to quit in many ways; its processes are stopped after
        log.debug("quit failed: %s", _first_line(exc))


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "msg", None) or str(exc) or type(exc).__name__
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
