"""`jobsearch-mcp ui`: how long a person waits. Prints the median over N launches of: launch to the printed
address, address to the page's navigation, and a click to the rows of Matches (a saved search over the
project's sample jobs file, so the tool's own work is small) and of the Tracker, in headless Chromium.

    uv run python bench/ui_page.py [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from jobsearch_mcp_server.browser.discovery import find_browser
from jobsearch_mcp_server.config import load_settings
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.services.hunt.tracker import Tracker
from jobsearch_mcp_server.store.db import SavedSearch
from jobsearch_mcp_server.tools.hunt import saved_searches

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from views_host import chrome  # the tests' headless Chromium

SAMPLE_JOBS = ROOT / "src" / "jobsearch_mcp_server" / "demo" / "samples" / "file" / "jobs.csv"


def prepared_home() -> Path:
    home = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    (home / "jobs").mkdir()
    jobs = shutil.copy(SAMPLE_JOBS, home / "jobs" / "jobs.csv")
    settings = load_settings(env_file=None, data_dir=str(home / "data"), allowed_dirs=str(home / "jobs"),
                             llm_backend="none")  # fmt: skip
    runtime = Runtime(settings)
    try:
        saved_searches(runtime).save(SavedSearch(name="data", query="data", sources=[f"file:{jobs}"]))
        with SAMPLE_JOBS.open(encoding="utf-8", newline="") as handle:
            first = next(csv.DictReader(handle))
        Tracker(runtime.store, settings.follow_up_days).track(
            "bench", "applied", title=first["title"], company=first["company"], url=first["job_url"]
        )
    finally:
        runtime.close()
    return home


def one_launch(driver: webdriver.Chrome) -> dict[str, float]:
    home = prepared_home()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOBSEARCH_", "LLM_"))}
    env |= {
        "JOBSEARCH_ALLOWED_DIRS": str(home / "jobs"),
        "LLM_BACKEND": "none",
        "JOBSEARCH_LOG_LEVEL": "WARNING",
    }
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "jobsearch_mcp_server", "--env-file", str(home / "no.env"), "--data-dir",
         str(home / "data"), "ui", "--port", "0"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        url = process.stdout.readline().split(": ", 1)[1].strip()
        figures = {"launch -> address": time.perf_counter() - started}
        wait = WebDriverWait(driver, 120)
        mark = time.perf_counter()
        driver.get(url)
        # the buttons by place, not by label (which follows the browser's language)
        wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#matches-nav button")))
        figures["address -> navigation"] = time.perf_counter() - mark
        for name, button, rows in (("click -> Matches rows", "#matches-nav button", "article.job"),
                                   ("click -> Tracker rows", "#tracker-nav button", "article.card")):  # fmt: skip
            driver.switch_to.default_content()
            mark = time.perf_counter()
            driver.find_element(By.CSS_SELECTOR, button).click()
            frame = (By.CSS_SELECTOR, "#stage iframe:last-child")
            wait.until(ec.frame_to_be_available_and_switch_to_it(frame))
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, rows)))
            figures[name] = time.perf_counter() - mark
        return figures
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    found = find_browser(os.environ.get("JOBSEARCH_CHROME_BINARY"), os.environ.get("JOBSEARCH_CHROMEDRIVER"))
    driver = chrome(*found, log=False)
    try:
        runs = [one_launch(driver) for _ in range(args.runs)]
    finally:
        driver.quit()
    print(f"jobsearch-mcp ui, median of {args.runs} launches:")
    for name in runs[0]:
        print(f"  {name:24} {statistics.median(run[name] for run in runs) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
