"""Browser engine figures on the local board site (127.0.0.1, saved LinkedIn/Indeed pages).

    uv run python bench/bench_browser.py [--rounds 10] [--pages 24]

1. One search page with the warm pool vs a new browser per call (start, fetch, quit): medians and ratio.
2. Pages per second with 1, 2 and 4 drivers fetching in parallel.
3. Peak memory of the Chromium process tree (chromedriver + browsers, from /proc): summed RSS, which counts
   pages shared between processes once per process, and summed PSS, which splits them and so adds up.

Chromium and chromedriver come from JOBSEARCH_CHROME_BINARY / JOBSEARCH_CHROMEDRIVER, else /usr/bin.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from jobsearch_mcp_server.browser import procs
from jobsearch_mcp_server.browser.pool import BrowserPool
from jobsearch_mcp_server.config import Settings, load_settings
from jobsearch_mcp_server.demo.site import BoardSite


def bench_settings(data_dir: str) -> Settings:
    return load_settings(
        env_file=None,
        data_dir=data_dir,
        chrome_binary=os.environ.get("JOBSEARCH_CHROME_BINARY") or "/usr/bin/chromium",
        chromedriver=os.environ.get("JOBSEARCH_CHROMEDRIVER") or "/usr/bin/chromedriver",
        llm_backend="none",
    )


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def warm_vs_cold(settings: Settings, url: str, rounds: int) -> tuple[float, float]:
    with BrowserPool(settings, size=1) as pool:
        pool.fetch(url)  # start the browser: the pool is warm from here on
        warm = statistics.median(timed(lambda: pool.fetch(url)) for _ in range(rounds))

    def cold_fetch() -> None:
        with BrowserPool(settings, size=1) as pool:
            pool.fetch(url)

    cold = statistics.median(timed(cold_fetch) for _ in range(max(3, rounds // 2)))
    return warm, cold


def throughput(settings: Settings, urls: list[str], size: int) -> tuple[float, int, int]:
    """Pages per second with `size` drivers, and the peak RSS and PSS of their process tree in bytes."""
    with BrowserPool(settings, size=size) as pool:
        with ThreadPoolExecutor(size) as workers:  # start every driver before timing
            list(workers.map(pool.fetch, urls[:size]))
        peak_rss = peak_pss = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_rss, peak_pss
            while not done.is_set():
                pids = pool.process_ids()
                peak_rss = max(peak_rss, procs.rss_bytes(pids))
                peak_pss = max(peak_pss, procs.pss_bytes(pids))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        with ThreadPoolExecutor(size) as workers:
            elapsed = timed(lambda: list(workers.map(pool.fetch, urls)))
        done.set()
        sampler.join()
    return len(urls) / elapsed, peak_rss, peak_pss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="fetches per latency median")
    parser.add_argument("--pages", type=int, default=24, help="pages per throughput run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir, BoardSite() as site:
        settings = bench_settings(data_dir)
        search = (
            f"{site.base_urls()['linkedin']}/jobs-guest/jobs/api/seeMoreJobPostings/search?keywords=data&location=&start=0"
        )
        warm, cold = warm_vs_cold(settings, search, args.rounds)
        print(
            f"one LinkedIn search page: warm pool {warm * 1000:.0f} ms, new browser per call {cold * 1000:.0f} ms"
        )
        print(f"  warm pool is {cold / warm:.1f}x faster (target >= 5x)")
        pages = [
            search,
            f"{site.base_urls()['indeed']}/jobs?q=data+scientist&l=",
            f"{site.base_urls()['linkedin']}/jobs-guest/jobs/api/jobPosting/4102000101",
        ]
        urls = [pages[i % len(pages)] for i in range(args.pages)]
        for size in (1, 2, 4):
            rate, rss, pss = throughput(settings, urls, size)
            print(
                f"{size} driver(s): {rate:.1f} pages/s; Chromium tree peak RSS {rss / 2**20:.0f} MiB, PSS {pss / 2**20:.0f} MiB"
            )


if __name__ == "__main__":
    main()
