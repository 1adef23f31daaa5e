"""The demo's second act: the next day. The demo's search is saved, the boards post new jobs (and repost
one under a new id, and take one down), the saved search runs again and shows only what is new."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from ..demo.site import BoardSite, Route
from ..runtime import Runtime
from ..services.hunt.saved import SavedSearches, SavedSearchRun
from ..store.db import SavedSearch
from .commands import jobs_table
from .tables import StderrProgress

DEMO_SAVED_SEARCH = "demo"
# A posting the project wrote for the second act (a fictional role, not one of the saved real answers).
NEW_POSTING = {
    "id": 9900001,
    "title": "Data Scientist, Demo Day Two",
    "absolute_url": "https://boards.greenhouse.io/brightwave/jobs/9900001?gh_jid=9900001",
    "location": {"name": "Remote"},
    "first_published": "2026-01-02T09:00:00-05:00",
    "content": "&lt;p&gt;A posting written for the demo's second day: a data scientist who builds forecasting "
    "models in Python and SQL, runs experiments and explains the results to the product teams.&lt;/p&gt;",
}


def greenhouse_day_two(site: BoardSite, folder: Path) -> Callable[[], None]:
    """A way to turn the demo's Greenhouse board (`site` serves its sample) into its "day two": one posting
    taken down, one reposted under a new id and URL (same text), and `NEW_POSTING` added. Written to
    `folder`, served by `site` in place of the sample's answer."""
    sample = next(sample for sample in site.samples if sample.board == "greenhouse")
    board = sample.routes[0]

    def swap() -> None:
        jobs = json.loads(board.file.read_text(encoding="utf-8"))["jobs"]
        # A repost is known by its text: a posting without one (a board answer without `content`) is not
        # reposted, since one board's two ids without texts are two postings.
        repost = next((job for job in jobs if "Data Scientist" in job["title"] and job.get("content")), None)
        moved = (
            [{**repost, "id": int(f"{repost['id']}1"), "absolute_url": f"{repost['absolute_url']}&repost=1"}]
            if repost
            else []
        )
        kept = [NEW_POSTING, *moved, *(job for job in jobs[:-1] if job is not repost)]
        path = folder / "greenhouse-day-two.json"
        path.write_text(json.dumps({"jobs": kept, "meta": {"total": len(kept)}}), encoding="utf-8")
        site.routes.insert(0, Route(site.prefix(sample) + board.path, path, content_type="application/json"))

    return swap


async def second_act(
    runtime: Runtime,
    search_id: str,
    query: str,
    sources: Sequence[str],
    day_two: Callable[[], None],
    progress: StderrProgress,
    out: TextIO,
) -> SavedSearchRun:
    """Saves the first act's search (`search_id`: what the user saw), swaps in the boards' day-two answers,
    runs the saved search again and prints only the new postings."""
    saved = SavedSearches(runtime.store, runtime.search, lambda: runtime.matcher)
    saved.save(SavedSearch(name=DEMO_SAVED_SEARCH, query=query, sources=list(sources)))
    saved.adopt(DEMO_SAVED_SEARCH, search_id)
    day_two()
    progress.show(0, None, f"day two: running the saved search '{DEMO_SAVED_SEARCH}' again")
    run = await saved.run(DEMO_SAVED_SEARCH, progress)
    progress.done()
    stored = runtime.store.get_search(run.search_id)
    jobs = runtime.store.get_jobs(stored.job_ids) if stored else []
    print(
        f"\nDay two: the boards have posted again. `jobsearch-mcp watch {DEMO_SAVED_SEARCH}` (or run_saved_search) "
        f"shows only the new ({len(jobs)}); {run.already_seen} were seen yesterday (reposts included):",
        file=out,
    )
    print(jobs_table(jobs) if jobs else "No new jobs.", file=out)
    for report in run.unavailable:
        print(f"  !! {report.source}: {report.status}; asked again on the next run", file=out)
    return run
