"""Client-side filtering for boards whose API returns everything (a company board, a whole feed).

A job matches when every query word appears in its title, company, tags or description; the location,
remote and age conditions of the query apply too. A posting of unknown age is kept: dropping it would
hide jobs for a board's silence, not for their age.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from ..jobs.models import Job
from .base import SearchQuery

_WORD = re.compile(r"[\w+#.]+", re.UNICODE)
_ANYWHERE = {"remote", "anywhere", "worldwide", "远程"}


def query_words(text: str | None) -> list[str]:
    """Lower-case words of a query ("C++", "node.js" and "C#" stay whole)."""
    return [word.strip(".").lower() for word in _WORD.findall(text or "") if word.strip(".")]


def matches(job: Job, query: SearchQuery, *, today: date | None = None) -> bool:
    haystack = " ".join(filter(None, (job.title, job.company, " ".join(job.tags), job.description))).lower()
    if not all(word in haystack for word in query_words(query.query)):
        return False
    if query.remote_only and job.remote is not True:
        return False
    if query.location and not _location_matches(job, query.location):
        return False
    if query.posted_within_days is not None and job.posted_at is not None:
        today = today or datetime.now(UTC).date()
        if job.posted_at < today - timedelta(days=query.posted_within_days):
            return False
    return True


def filter_jobs(jobs: list[Job], query: SearchQuery, *, today: date | None = None) -> list[Job]:
    """The jobs matching `query`, in the board's order, at most `query.limit` of them."""
    return [job for job in jobs if matches(job, query, today=today)][: query.limit]


def _location_matches(job: Job, wanted: str) -> bool:
    place = wanted.split(",")[0].strip().lower()
    if not place:
        return True
    if place in _ANYWHERE:
        return job.remote is True
    return place in (job.location or "").lower()
