"""`jobsearch-mcp demo`: the whole path, offline, on this machine.

A local board site serves saved real LinkedIn and Indeed pages on 127.0.0.1; the real browser sources
are pointed at it (JOBSEARCH_<SOURCE>_BASE_URL, in this process only) and search it with headless
Chromium; a bundled real resume is parsed; the jobs found are ranked with scores and reasons. When an
LLM endpoint is configured and answers, the best match also gets the model's fit analysis.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ..config import Settings
from ..demo.site import BoardSite
from ..llm import LLMError, LLMUnavailable
from ..llm.advisor import analyze_fit
from ..llm.status import CHROME_NAMES, check_setup
from ..runtime import Runtime
from ..sources.base import SearchQuery
from .commands import print_matches
from .tables import StderrProgress

SAMPLE_RESUME = Path(__file__).resolve().parent.parent / "demo" / "resume" / "data_scientist.txt"
DEMO_BOARDS = ("linkedin", "indeed")
DEMO_QUERY = "AI engineer"
DEBIAN_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromedriver")


def browser_paths(settings: Settings) -> tuple[str, str] | str:
    """Chromium and chromedriver (the configured ones, else Debian's, else the first on PATH), or what
    is missing and how to get it."""
    binary = settings.chrome_binary or next(
        (p for p in [DEBIAN_CHROMIUM[0], *map(shutil.which, CHROME_NAMES)] if p and Path(p).is_file()), None
    )
    driver = settings.chromedriver or next(
        (p for p in (DEBIAN_CHROMIUM[1], shutil.which("chromedriver")) if p and Path(p).is_file()), None
    )
    missing = [
        f"{what} ({path or 'not found'})"
        for what, path in (("Chromium", binary), ("chromedriver", driver))
        if not path or not Path(path).is_file()
    ]
    if missing:
        return (
            f"jobsearch-mcp demo runs a real headless browser, and {' and '.join(missing)} cannot be used: "
            "install them (Debian: apt-get install chromium chromium-driver) or set JOBSEARCH_CHROME_BINARY "
            "and JOBSEARCH_CHROMEDRIVER to their paths"
        )
    return binary, driver


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """`values` set in os.environ for the block, the previous values restored after it."""
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_demo(settings: Settings, data_dir: str | None, out: TextIO = sys.stdout) -> int:
    """Runs the demo; `data_dir` None means a temporary one, removed afterwards."""
    paths = browser_paths(settings) if not settings.selenium_remote_url else ("", "")
    if isinstance(paths, str):
        print(paths, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="jobsearch-demo-") as scratch:
        demo_settings = settings.model_copy(
            update={
                "data_dir": Path(data_dir or scratch),
                "chrome_binary": paths[0] or None,
                "chromedriver": paths[1] or None,
                "allow_private_urls": [*settings.allow_private_urls, "127.0.0.1"],  # the local board site
                "min_request_interval_s": 0.0,
            }
        )
        progress = StderrProgress()
        progress.show(0, None, "starting the local board site (saved LinkedIn and Indeed pages)")
        with BoardSite() as site, environment(site.env(DEMO_BOARDS)):
            runtime = Runtime(demo_settings)
            try:
                return asyncio.run(_demo(runtime, site, progress, out))
            finally:
                runtime.close()


async def _demo(runtime: Runtime, site: BoardSite, progress: StderrProgress, out: TextIO) -> int:
    try:
        resume = runtime.resumes.save(
            runtime.resumes.parse(text=SAMPLE_RESUME.read_text(encoding="utf-8"), filename=SAMPLE_RESUME.name)
        )
        progress.show(
            0,
            None,
            f"searching '{DEMO_QUERY}' on {', '.join(DEMO_BOARDS)} at {site.url} with headless Chromium",
        )
        found = await runtime.search.search(SearchQuery(query=DEMO_QUERY), list(DEMO_BOARDS), progress)
        progress.done()
        boards = ", ".join(f"{r.source} {r.status} ({r.count} jobs)" for r in found.sources)
        stored = runtime.store.get_search(found.search_id)
        if not stored or not stored.job_ids:
            problems = "; ".join(f"{r.source}: {r.message}" for r in found.sources if r.message)
            print(
                f"jobsearch-mcp demo: the browser found no jobs on the local site ({problems or boards})",
                file=sys.stderr,
            )
            return 1
        progress.show(0, None, f"ranking {found.total} jobs for the sample resume")
        result = await runtime.matcher.match(resume.resume_id, job_ids=stored.job_ids, top_k=10)
        progress.done()
        headline = resume.headline or next((e.title for e in resume.experience if e.title), "no headline")
        print(
            f"Sample resume: {headline}, {len(resume.skills)} skills ({', '.join(resume.skills[:8])}, ...)",
            file=out,
        )
        print(f"Searched '{DEMO_QUERY}' with headless Chromium: {boards}\n", file=out)
        print_matches(result, out)
        if result.matches:
            await _fit_analysis(runtime, resume.resume_id, result.matches[0].job_id, progress, out)
        return 0
    finally:
        await runtime.search.aclose()


async def _fit_analysis(
    runtime: Runtime, resume_id: str, job_id: str, progress: StderrProgress, out: TextIO
) -> None:
    """The model's analysis of the best match, when an LLM endpoint is configured and answers."""
    if runtime.settings.llm_backend != "openai-compatible":
        return
    progress.show(0, None, f"checking the LLM endpoint {runtime.settings.llm_base_url}")
    status = await check_setup(runtime.settings)
    if not status.llm_ready:
        failed = next((c.detail for c in status.checks if c.status == "failed"), "not ready")
        progress.done(f"no fit analysis: the LLM is not ready ({failed})")
        return
    progress.show(
        0,
        None,
        f"asking {runtime.settings.llm_model} for a fit analysis of the best match (may take minutes)",
    )
    try:
        report = await analyze_fit(runtime.store, runtime.llm_client(), resume_id, job_id, progress=progress)
    except (LLMError, LLMUnavailable) as exc:
        progress.done(f"no fit analysis: the model failed ({exc})")
        return
    progress.done()
    print(
        f"\nFit analysis of the best match by {report.model} ({report.elapsed_s:.0f} s): "
        f"{report.job_title} at {report.company or '?'} - fit {report.fit_score}/100",
        file=out,
    )
    print(f"  {report.summary}", file=out)
    for label, items in (
        ("strength", report.strengths),
        ("gap", report.gaps),
        ("red flag", report.red_flags),
    ):
        for item in items:
            print(f"  {label}: {item}", file=out)
