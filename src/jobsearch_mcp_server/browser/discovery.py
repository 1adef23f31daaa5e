"""Finding Chromium and chromedriver on this machine, for the doctor, the demo and the tests alike."""

from __future__ import annotations

import shutil
from pathlib import Path

CHROME_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# Debian's packages first: on PATH a `chromium` wrapper script may come before them.
DEBIAN_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromedriver")
INSTALL_HINT = (
    "install them (Debian: apt-get install chromium chromium-driver) or set JOBSEARCH_CHROME_BINARY and "
    "JOBSEARCH_CHROMEDRIVER to their paths"
)


def _first_file(candidates: list[str | None]) -> str | None:
    return next((p for p in candidates if p and Path(p).is_file()), None)


def find_browser(
    chrome_binary: str | None = None, chromedriver: str | None = None
) -> tuple[str | None, str | None]:
    """Chromium and chromedriver: the configured paths when given, else Debian's, else the first on PATH;
    None for what is not found (a configured path is returned as it is, whether or not it exists)."""
    binary = chrome_binary or _first_file([DEBIAN_CHROMIUM[0], *map(shutil.which, CHROME_NAMES)])
    driver = chromedriver or _first_file([DEBIAN_CHROMIUM[1], shutil.which("chromedriver")])
    return binary, driver


def missing_browser_parts(binary: str | None, driver: str | None) -> list[str]:
    """What of the pair cannot be used, e.g. ["chromedriver (not found)"]; empty when both can."""
    return [
        f"{what} ({path or 'not found'})"
        for what, path in (("Chromium", binary), ("chromedriver", driver))
        if not path or not Path(path).is_file()
    ]
