"""Search results a page at a time, each page small enough for a model's context.

A page holds as many job summaries as fit in `budget_chars` characters of JSON (at least one), so a
model can page through hundreds of results with `search_id` + `offset` without flooding its context.
The size is counted as the client's model reads it: the SDK sends the result as JSON indented by two.
"""

from __future__ import annotations

from ..jobs.models import Job, SearchResult
from ..jobs.summary import summarize
from ..store.db import StoredSearch

PAGE_BUDGET_CHARS = 12_000
MAX_PAGE_JOBS = 50
def _rendered_size(indented_json: str, depth: int) -> int:
    """Characters of an indented JSON block once nested `depth` levels deep (two spaces per level and line)."""
    return len(indented_json) + 2 * depth * (indented_json.count("\n") + 1)


def build_page(
    search: StoredSearch, jobs: dict[str, Job], offset: int, budget_chars: int = PAGE_BUDGET_CHARS
) -> SearchResult:
    """The page of `search` from `offset`. `jobs` maps ids to stored jobs; an id whose job has been
    purged from the cache is passed over, so offsets stay positions in the search's own list."""
    page = SearchResult(
        search_id=search.search_id,
        query=search.query,
        location=search.location,
        total=len(search.job_ids),
        offset=offset,
        jobs=[],
        sources=search.reports,
    )
    used = _rendered_size(page.model_dump_json(indent=2), depth=0) + len('"next_offset": 0000,')
    end = offset
    for job_id in search.job_ids[offset : offset + MAX_PAGE_JOBS]:
        if job_id in jobs:
            summary = summarize(jobs[job_id])
            size = _rendered_size(summary.model_dump_json(indent=2), depth=2) + 2
            if page.jobs and used + size > budget_chars:
                break
            page.jobs.append(summary)
            used += size
        end += 1
    page.next_offset = end if end < page.total else None
    return page
