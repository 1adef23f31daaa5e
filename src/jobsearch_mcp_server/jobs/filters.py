"""The search's remote / age / location rules: the one place they are written.

The search service applies them to every board's jobs; a board that searches client-side (a company
board, a whole feed, a file: `sources.filtering`) applies them too, before its limit, so that the limit
counts jobs the search keeps.

Unknowns pass: a job without a date is kept by `posted_within_days`, one that does not say whether
it is remote by `remote_only`, one without a location by a location filter. Dropping them would hide
postings only because a board left a field out (LinkedIn's remote filter returns jobs whose cards
just say "United States").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from .models import Job, SearchQuery
from .text import detect_remote

_PLACE_PARTS = re.compile(r"[,/;|·]|\s+-\s+")
_UNRESTRICTED = re.compile(
    r"^\s*(remote|anywhere|worldwide|global|world ?wide|远程|全球)?\s*$", re.IGNORECASE
)


def is_remote(job: Job) -> bool | None:
    """Whether the posting says remote: the board's own flag, else its location, title and tags; None if silent."""
    if job.remote is not None:
        return job.remote
    return detect_remote(job.location, job.title, " ".join(job.tags))


def posted_recently(job: Job, days: int, today: date) -> bool:
    return job.posted_at is None or job.posted_at >= today - timedelta(days=days)


def in_location(job: Job, location: str) -> bool:
    """True when the job's location names any part of `location` ("Berlin, Germany" -> Berlin or Germany),
    or the job is remote without a region limit, or the board gave no location. Asked for "remote" (or
    "anywhere", "worldwide"), every job not known to be on-site is in it, wherever its employer sits."""
    if location.strip() and _UNRESTRICTED.match(location):
        return is_remote(job) is not False
    if not job.location or (
        is_remote(job) is True and _UNRESTRICTED.match(_strip_remote_words(job.location))
    ):
        return True
    wanted = [part.strip().lower() for part in _PLACE_PARTS.split(location) if len(part.strip()) >= 2]
    where = job.location.lower()
    return not wanted or any(part in where for part in wanted)


def _strip_remote_words(location: str) -> str:
    return re.sub(r"\b(fully|100%|remote[- ]first)\b|[()\-–]", " ", location, flags=re.IGNORECASE)


def keep(
    job: Job, *, remote_only: bool, posted_within_days: int | None, location: str | None, today: date
) -> bool:
    """Whether `job` passes the filters the board did not apply; `location=None` skips the location check."""
    if remote_only and is_remote(job) is False:
        return False
    if posted_within_days is not None and not posted_recently(job, posted_within_days, today):
        return False
    return location is None or in_location(job, location)


def passing(
    jobs: Iterable[Job], query: SearchQuery, *, with_location: bool = True, today: date | None = None
) -> list[Job]:
    """The jobs, in order, that pass `query`'s remote, age and (`with_location`) location filters."""
    today = today or datetime.now(UTC).date()
    location = query.location if with_location else None
    return [
        job
        for job in jobs
        if keep(
            job,
            remote_only=query.remote_only,
            posted_within_days=query.posted_within_days,
            location=location,
            today=today,
        )
    ]
