"""`jobsearch-mcp demo`: the whole path, offline, on this machine.

A local board site on 127.0.0.1 serves the project's sample answers of the boards whose sample says
`demo` (fictional companies and postings, written in each board's real format) on the boards' own URL
paths: LinkedIn and Indeed pages, which the browser sources read with headless Chromium, and the JSON
APIs of the others (RemoteOK, Hacker News, the applicant-tracking systems, ...). The real sources are pointed at them (the settings' board
base URLs) and searched for a query that fits the bundled sample resume; the jobs found are ranked with
scores and reasons. When an LLM endpoint is configured and answers, the best match also gets the model's
fit analysis. The second act (cli/demo_hunt.py) is the next day: the saved search runs again and shows
only the new postings.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

from ..browser.discovery import INSTALL_HINT, find_browser, missing_browser_parts
from ..config import Settings
from ..demo.site import BoardSite, demo_samples
from ..jobs.models import SearchQuery, SearchResult, SourceStatus
from ..llm import LLMError, LLMUnavailable
from ..llm.status import check_setup
from ..matching.advisor import analyze_fit
from ..runtime import Runtime
from ..sources.registry import REGISTRY
from .commands import matches_table, run_with_runtime
from .demo_hunt import greenhouse_day_two, second_act
from .tables import Column, StderrProgress, render_table

SAMPLE_RESUME = Path(__file__).resolve().parent.parent / "demo" / "resume" / "data_scientist.txt"
DEMO_QUERY = "data scientist"  # the sample resume's field; the JSON boards keep the jobs naming both words
TOP_K = 10


def browser_paths(settings: Settings) -> tuple[str, str] | str:
    """Chromium and chromedriver (see `find_browser`), or what is missing and how to get it."""
    binary, driver = find_browser(settings.chrome_binary, settings.chromedriver)
    missing = missing_browser_parts(binary, driver)
    if missing or not binary or not driver:
        return f"jobsearch-mcp demo runs a real headless browser, and {' and '.join(missing)} cannot be used: {INSTALL_HINT}"
    return binary, driver


def run_demo(settings: Settings, data_dir: str | None, out: TextIO = sys.stdout) -> int:
    """Runs the demo; `data_dir` None means a temporary one, removed afterwards."""
    paths = browser_paths(settings) if not settings.selenium_remote_url else ("", "")
    if isinstance(paths, str):
        print(paths, file=sys.stderr)
        return 2
    samples = demo_samples()
    with tempfile.TemporaryDirectory(prefix="jobsearch-demo-") as scratch, ExitStack() as stack:
        progress = StderrProgress()
        progress.show(0, None, f"starting the local board sites (sample answers of {len(samples)} boards)")
        # One site (port) per board: the throttle lets one request per host run at a time, and the real
        # boards are separate hosts, so a JSON API does not wait for the browser boards' pages.
        sites = {sample.board: stack.enter_context(BoardSite([sample])) for sample in samples}
        base_urls = {board: url for site in sites.values() for board, url in site.base_urls().items()}
        demo_settings = settings.model_copy(
            update={
                "data_dir": Path(data_dir or scratch),
                "chrome_binary": paths[0] or None,
                "chromedriver": paths[1] or None,
                "allow_private_urls": [*settings.allow_private_urls, "127.0.0.1"],  # the local board sites
                "min_request_interval_s": 0.0,
                "board_base_urls": {**settings.board_base_urls, **base_urls},
            }
        )
        labels = [sample.label for sample in samples]
        day_two = greenhouse_day_two(sites["greenhouse"], Path(scratch))
        return run_with_runtime(demo_settings, lambda runtime: _demo(runtime, labels, progress, out, day_two))


async def _demo(
    runtime: Runtime, labels: list[str], progress: StderrProgress, out: TextIO, day_two: Callable[[], None]
) -> int:
    resume = runtime.resumes.save(
        runtime.resumes.parse(text=SAMPLE_RESUME.read_text(encoding="utf-8"), filename=SAMPLE_RESUME.name)
    )
    searching = f"searching '{DEMO_QUERY}' on {len(labels)} boards"
    progress.show(0, None, f"{searching} (LinkedIn and Indeed with headless Chromium)")
    found = await runtime.search.search(SearchQuery(query=DEMO_QUERY), labels, progress)
    progress.done()
    stored = runtime.store.get_search(found.search_id)
    if not stored or not stored.job_ids:
        problems = "; ".join(f"{r.source}: {r.status} {r.message or ''}".strip() for r in found.sources)
        print(f"jobsearch-mcp demo: no board found a job on the local site ({problems})", file=sys.stderr)
        return 1
    progress.show(0, None, f"ranking {found.total} jobs for the sample resume")
    result = await runtime.matcher.match(resume.resume_id, job_ids=stored.job_ids, top_k=TOP_K)
    progress.done()
    role = next((e for e in resume.experience if e.title), None)
    headline = resume.headline or (f"{role.title} at {role.company}" if role else "no headline")
    skills = ", ".join(resume.skills[:8]) + (", ..." if len(resume.skills) > 8 else "")
    print(f"Sample resume: {headline}; {len(resume.skills)} skills ({skills})\n", file=out)
    print(
        f"Searched '{DEMO_QUERY}' on {len(found.sources)} boards "
        "(sample answers in the boards' real formats, served locally):",
        file=out,
    )
    print(boards_table(found), file=out)
    ranking = " + ".join(result.methods)
    print(
        f"\nTop {len(result.matches)} of {result.ranked} jobs for the resume ({ranking} ranking):",
        file=out,
    )
    print(matches_table(result), file=out)
    for note in result.notes:
        print(f"  note: {note}", file=out)
    if result.matches:
        await _fit_analysis(runtime, resume.resume_id, result.matches[0].job_id, progress, out)
    await second_act(runtime, found.search_id, DEMO_QUERY, labels, day_two, progress, out)
    return 0


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
        resume, job = runtime.matcher.pair(resume_id, job_id)
        report = await analyze_fit(runtime.llm_client(), resume, job, progress=progress)
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


def boards_table(found: SearchResult) -> str:
    """One line per board: how it fared, how many jobs it gave, how long it took, how it was read."""
    columns = [
        Column("Board"),
        Column("Status"),
        Column("Jobs", align=">"),
        Column("Time", align=">"),
        Column("Read"),
    ]
    rows = [
        [
            report.source,
            report.status,
            report.count,
            f"{report.elapsed_s:.1f} s" if report.elapsed_s is not None else "",
            (
                "headless Chromium"
                if REGISTRY.get(report.source.split(":")[0]).kind == "browser"
                else "JSON API"
            )
            + (f"; {report.message}" if report.message and report.status is not SourceStatus.OK else ""),
        ]
        for report in found.sources
    ]
    return render_table(columns, rows)
