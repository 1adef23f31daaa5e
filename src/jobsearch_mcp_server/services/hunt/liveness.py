"""Postings checked for life: is a job still open, closed (gone from its board, or its page says so), or
unknown (it could not be asked)? Closed applications are marked closed, with a history entry, never deleted.

A job of a board with a searchable API (Remotive, RemoteOK, ...) is looked for in the board's answer to its
own title; any other job by its page: HTTP 404/410 or a page saying it takes no more applications is closed.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Literal

import anyio
from pydantic import BaseModel, Field

from ...errors import HTTPStatusError, JobsearchError, SourceError
from ...fetching.url_guard import check_public_url
from ...jobs.models import Job, SearchQuery
from ...sources.base import Source
from ...store import Store
from ...store.db import FINAL_STATUSES, ApplicationChange

if TYPE_CHECKING:
    from ..search import SearchService

Progress = Callable[[float, float | None, str | None], Awaitable[None]]
State = Literal["open", "closed", "unknown"]

MAX_JOBS = 200  # one call checks at most this many postings
MAX_LISTED = 40  # and lists this many of them (closed and unknown first): replies stay small
CONCURRENCY = 4  # postings asked at once (each host is still throttled on its own)
_GONE = (404, 410)
# What job pages say once a posting is closed (English, German, French), as seen on boards and ATS pages.
_CLOSED_PAGE = re.compile(
    r"no longer (?:accepting|accepts|taking) applications|(?:job|position|posting|vacancy) (?:is|has been) "
    r"(?:no longer available|closed|filled|expired)|this job has expired|applications? (?:are|is) closed"
    r"|nicht mehr verfügbar|bereits besetzt|n'est plus disponible|offre (?:a expiré|est expirée)",
    re.IGNORECASE,
)


class JobCheck(BaseModel):
    job_id: str
    title: str | None = None
    company: str | None = None
    state: State
    reason: str
    application_id: str | None = Field(None, description="set when this job is a tracked application")
    marked_closed: bool = Field(False, description="the application's status was set to closed now")


class JobChecks(BaseModel):
    checked: int
    open: int
    closed: int
    unknown: int
    jobs: list[JobCheck] = Field(description=f"closed and unknown first; at most {MAX_LISTED} listed")
    notes: list[str] = Field(default_factory=list)


class LivenessChecker:
    def __init__(self, store: Store, search: SearchService) -> None:
        self.store = store
        self.search = search

    def default_job_ids(self) -> list[str]:
        """Every tracked application still in progress and every job of the saved searches' last runs."""
        ids = [a.job_id for a in self.store.list_applications() if a.status not in FINAL_STATUSES]
        for saved in self.store.list_saved_searches():
            last = self.store.get_search(saved.last_search_id) if saved.last_search_id else None
            ids += last.job_ids if last else []
        return list(dict.fromkeys(ids))

    async def check(self, job_ids: list[str] | None = None, progress: Progress | None = None) -> JobChecks:
        if job_ids is not None and not [i for i in job_ids if i.strip()]:
            raise JobsearchError(
                "job_ids is empty: pass job ids, or leave job_ids out to check every tracked job"
            )
        wanted = job_ids if job_ids is not None else await anyio.to_thread.run_sync(self.default_job_ids)
        notes = []
        if len(wanted) > MAX_JOBS:
            notes.append(
                f"{len(wanted)} jobs; the first {MAX_JOBS} were checked, call again with job_ids for more"
            )
            wanted = wanted[:MAX_JOBS]
        jobs = {job.job_id: job for job in await anyio.to_thread.run_sync(self.store.get_jobs, wanted)}
        unknown_ids = [i for i in wanted if i not in jobs]
        if unknown_ids:
            notes.append(f"{len(unknown_ids)} job ids are not known (never found, or purged from the cache)")
        results: dict[str, JobCheck] = {}
        limiter = anyio.Semaphore(CONCURRENCY)

        async def run(job: Job) -> None:
            async with limiter:
                results[job.job_id] = await self._check_one(job)
            if progress is not None:
                await progress(len(results), len(jobs), f"{job.title}: {results[job.job_id].state}")

        async with anyio.create_task_group() as group:
            for job in jobs.values():
                group.start_soon(run, job)
        checks = [results[i] for i in wanted if i in results]
        order = {"closed": 0, "unknown": 1, "open": 2}
        listed = sorted(checks, key=lambda c: order[c.state])[:MAX_LISTED]
        if len(checks) > MAX_LISTED:
            notes.append(f"{len(checks) - MAX_LISTED} more checked jobs (all open) are counted, not listed")
        return JobChecks(
            checked=len(checks),
            open=sum(c.state == "open" for c in checks),
            closed=sum(c.state == "closed" for c in checks),
            unknown=sum(c.state == "unknown" for c in checks),
            jobs=listed,
            notes=notes,
        )

    async def _check_one(self, job: Job) -> JobCheck:
        state, reason = await self._ask(job)
        application = await anyio.to_thread.run_sync(self.store.application_for_job, job.job_id)
        marked = False
        if state == "closed" and application is not None and application.status not in FINAL_STATUSES:
            change = ApplicationChange(status="closed", note=f"check_jobs: {reason}")
            await anyio.to_thread.run_sync(self.store.track_application, job, change)
            marked = True
        return JobCheck(
            job_id=job.job_id,
            title=job.title,
            company=job.company,
            state=state,
            reason=reason,
            application_id=application.application_id if application else None,
            marked_closed=marked,
        )

    async def _ask(self, job: Job) -> tuple[State, str]:
        registry = self.search.registry
        board = registry.get(job.source) if job.source in registry.names() else None
        try:
            with anyio.fail_after(self.search.settings.source_timeout_s):
                if board is not None and board.kind == "http" and not board.needs_company:
                    return await self._ask_board(board, job)
                if job.url:
                    return await self._ask_page(job.url)
        except TimeoutError:
            return "unknown", f"no answer within {self.search.settings.source_timeout_s:g} s"
        except SourceError as exc:
            return "unknown", f"could not ask ({exc.status}): {exc}"
        except JobsearchError as exc:  # an address that may not be opened (a private network, ...)
            return "unknown", str(exc)
        return "unknown", "no page to ask: the job has no URL"

    async def _ask_board(self, board: type[Source], job: Job) -> tuple[State, str]:
        found = await board().search(SearchQuery(query=job.title, limit=100), self.search.context)
        if any(other.source_id == job.source_id for other in found):
            return "open", f"{job.source} still lists it"
        return "closed", f"{job.source}'s API no longer lists it"

    async def _ask_page(self, url: str) -> tuple[State, str]:
        url = await check_public_url(url, self.search.settings.allow_private_urls)
        try:
            response = await self.search.context.http.get(url)
        except HTTPStatusError as exc:
            if exc.http_status in _GONE:
                return "closed", f"its page answers HTTP {exc.http_status}"
            raise
        said = _CLOSED_PAGE.search(response.text)
        if said:
            return "closed", f"its page says {said.group(0)!r}"
        return "open", "its page is up"
