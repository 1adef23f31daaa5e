"""A job as a search result lists it: the facts to choose by and a one-line snippet."""

from __future__ import annotations

import re

from .models import Job, JobSummary
from .salary import format_salary

SNIPPET_CHARS = 200

_MARKUP = re.compile(r"[#*_`>|]+|\[([^\]]*)\]\([^)]*\)")


def snippet(description: str | None, limit: int = SNIPPET_CHARS) -> str | None:
    """The description's opening as one line of plain text, cut at a word boundary."""
    if not description:
        return None
    text = " ".join(_MARKUP.sub(r"\1", description).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def summarize(job: Job) -> JobSummary:
    return JobSummary(
        job_id=job.job_id,
        title=job.title,
        company=job.company,
        location=job.location,
        remote=job.remote,
        salary=format_salary(job.salary),
        posted_at=job.posted_at,
        url=job.url,
        source=job.source,
        other_sources=max(0, len(job.sources) - 1),
        snippet=snippet(job.description),
    )
