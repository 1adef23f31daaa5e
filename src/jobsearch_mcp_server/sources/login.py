"""`jobsearch-mcp login <source>`: sign in to a board once, in a visible browser, for headless searches.

The browser opens the board's login page with the source's persistent profile
(`<JOBSEARCH_PROFILES_DIR or data dir/profiles>/<source>`). The person signs in as usual (QR code,
SMS, password, captcha) and closes the window or presses Enter; the cookies stay in the profile,
and every later headless fetch of that source uses the same profile.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Settings
from ..errors import JobsearchError
from .base import SourceContext
from .registry import REGISTRY

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

# The browser layer (Selenium) loads when a login starts: the registry imports this module with the boards,
# and listing the boards must not load a browser driver.


def login_url(settings: Settings, source_name: str) -> str:
    """The login page of a source, under its base URL (JOBSEARCH_<SOURCE>_BASE_URL applies)."""
    cls = REGISTRY.get(source_name)
    if cls.login_url is None:
        with_login = [c.name for c in REGISTRY.classes() if c.login_url]
        raise JobsearchError(f"{cls.name} needs no login; sources with a login: {', '.join(with_login)}")
    return SourceContext(settings).base_url(cls) + cls.login_url


def wait_until_done(browser: WebDriver, poll_s: float = 0.5) -> None:
    """Returns when the person closes the browser window or presses Enter in the terminal."""
    from ..browser.pool import DRIVER_FAILURES

    print("Sign in in the browser window, then close it or press Enter here.", file=sys.stderr, flush=True)
    done = threading.Event()

    def read_enter() -> None:
        sys.stdin.readline()  # "" at once without a terminal: then only closing the window ends the wait
        if sys.stdin.isatty():
            done.set()

    threading.Thread(target=read_enter, daemon=True).start()
    while not done.is_set():
        try:
            if not browser.window_handles:
                return
        except DRIVER_FAILURES:  # the window (and with it the browser) is gone
            return
        done.wait(poll_s)


def run_login(
    settings: Settings,
    source_name: str,
    *,
    headless: bool = False,
    wait_for_person: Callable[[WebDriver], None] = wait_until_done,
) -> Path:
    """Opens the source's login page in its persistent profile and waits; returns the profile folder."""
    from ..browser.pool import BrowserPool, profile_dir, tenant_profile

    url = login_url(settings, source_name)
    name = REGISTRY.get(source_name).name
    with BrowserPool(settings, size=1) as pool, pool.session(profile=name, headless=headless) as browser:
        browser.get(url)
        wait_for_person(browser)
    return profile_dir(settings, tenant_profile(name))
