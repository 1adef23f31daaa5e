"""Search results a page at a time, each page small enough for a model's context.

A page holds as many job summaries as fit in the reply budget (jobs/paging.py; at least one), so a
model can page through hundreds of results with `search_id` + `offset` without flooding its context.
"""

from __future__ import annotations

from ..jobs.models import Job, SearchResult
from ..jobs.paging import REPLY_BUDGET_CHARS, fill_page
from ..jobs.summary import summarize
from ..store.db import StoredSearch

PAGE_BUDGET_CHARS = REPLY_BUDGET_CHARS
MAX_PAGE_JOBS = 50


def build_page(
    search: StoredSearch, jobs: dict[str, Job], offset: int, budget_chars: int = PAGE_BUDGET_CHARS
) -> SearchResult:
    """The page of `search` from `offset`, as many jobs as the reply budget holds. `jobs` maps ids to stored
    jobs; an id whose job has been purged from the cache is passed over, so offsets stay positions in the
    search's own list."""
    total = len(search.job_ids)
    page = SearchResult(
        search_id=search.search_id,
        query=search.query,
        location=search.location,
        total=total,
        offset=offset,
        next_offset=total,  # measured with a number in place: the last page's null is shorter
        jobs=[],
        sources=search.reports,
    )
    window = search.job_ids[offset : offset + MAX_PAGE_JOBS]
    positions = [position for position, job_id in enumerate(window) if job_id in jobs]
    taken = fill_page(page, page.jobs, (summarize(jobs[window[p]]) for p in positions), budget_chars)
    # Up to the first job left out (purged ids before it are passed over with the page), else the window.
    end = offset + (positions[taken] if taken < len(positions) else len(window))
    page.next_offset = end if end < total else None
    return page
