"""Client-side search for boards whose answer holds everything (a company board, a whole feed, a file).

A job matches when every query word appears in its title, company, tags or description. The remote, age
and location conditions are the search's own rules (`jobs.filters`, where unknowns pass), applied here
before the limit so that `limit` counts jobs the search will keep.

Parsing a board's answer is CPU work (Markdown from HTML: about half a second for RemoteOK's 97 jobs), so
`parse_matching` parses and matches as one pure step of the CPU pool (`workers.run_pure`): the event loop
goes on serving other MCP calls, and a cancelled search returns without waiting for the parse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import ParamSpec

from ..jobs.filters import passing
from ..jobs.models import Job
from ..workers import off_loop
from .base import SearchQuery

P = ParamSpec("P")

_WORD = re.compile(r"[\w+#.]+", re.UNICODE)


def query_words(text: str | None) -> list[str]:
    """Lower-case words of a query ("C++", "node.js" and "C#" stay whole)."""
    return [word.strip(".").lower() for word in _WORD.findall(text or "") if word.strip(".")]


def filter_jobs(jobs: list[Job], query: SearchQuery, *, today: date | None = None) -> list[Job]:
    """The jobs matching `query`, in the board's order, at most `query.limit` of them."""
    words = query_words(query.query)
    return [job for job in passing(jobs, query, today=today) if _has_words(job, words)][: query.limit]


def _has_words(job: Job, words: list[str]) -> bool:
    haystack = " ".join(filter(None, (job.title, job.company, " ".join(job.tags), job.description))).lower()
    return all(word in haystack for word in words)


async def parse_matching(
    query: SearchQuery, parse: Callable[P, list[Job]], /, *args: P.args, **kwargs: P.kwargs
) -> list[Job]:
    """`filter_jobs(parse(*args, **kwargs), query)`, computed in the CPU pool (in a worker process when
    `parse` is a module-level function and the server serves many clients)."""
    return await off_loop(_parsed_and_matched, query, parse, *args, **kwargs)


def _parsed_and_matched(
    query: SearchQuery, parse: Callable[..., list[Job]], *args: object, **kwargs: object
) -> list[Job]:
    return filter_jobs(parse(*args, **kwargs), query)
