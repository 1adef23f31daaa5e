"""One search across many boards: fan-out, per-source status, filters, dedup, cache, pages.

Every source runs concurrently under its own time limit. A source that fails, times out, meets a
captcha or a login wall is reported with that status and never spoils the others. A source that
keeps failing is paused by the circuit breaker and reported as `paused` until its cool-down ends.
Cancelling the search (the MCP client cancels the tool call) cancels every source at once.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from itertools import chain, zip_longest
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
from pydantic import BaseModel, Field

from ..config import Settings
from ..errors import JobsearchError, SourceError
from ..fetching.politeness import BreakerStatus, CircuitBreaker, Throttle
from ..fetching.url_guard import UnsafeURLError, check_public_url
from ..jobs.filters import passing
from ..jobs.models import Job, SearchQuery, SearchResult, SourceReport, SourceStatus
from ..jobs.paging import reply_chars
from ..sources.base import Source, SourceContext
from ..sources.file_source import FileFormat, SkippedRow, import_jobs_file
from ..sources.generic import GenericSource
from ..sources.registry import REGISTRY, SourceRegistry, SourceSpec
from ..store import Store
from ..store.db import StoredSearch
from ..tenants import current_tenant
from ..workers import run_cpu, run_pure
from .pages import MAX_PAGE_JOBS, PAGE_BUDGET_CHARS, build_page

if TYPE_CHECKING:
    from ..browser.pool import BrowserPool

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], Awaitable[None]]

# Statuses that say something is wrong with the board (count towards pausing it); a login wall or a
# robots.txt skip is a setting, not ill health.
_FAILURES = frozenset({SourceStatus.BLOCKED, SourceStatus.TIMEOUT, SourceStatus.ERROR})
# A search running in another server process is looked at this often until its results are in; past its
# boards' time limit and this grace, that process is taken to have stopped.
RUNNING_POLL_S = 0.5
RUNNING_GRACE_S = 60.0


def _deduplicate(jobs: list[Job]) -> list[Job]:
    from ..jobs.dedup import deduplicate  # numpy loads on the first search, not at start-up

    return deduplicate(jobs)


class SourceInfo(BaseModel):
    name: str
    kind: str = Field(description="browser (headless Chromium), http (a JSON API or feed) or file")
    base_url: str
    needs_company: bool = Field(
        description="True: name it as '<source>:<company slug>' in search_jobs' sources"
    )
    requires_login: bool = Field(description="True: run `jobsearch-mcp login <source>` once first")
    company_form: str | None = Field(
        None, description="company boards: the careers URL the company slug is copied from, e.g. jobs.lever.co/<slug>"
    )
    default: bool = Field(description="searched when search_jobs gets no sources")
    health: BreakerStatus
    boards: dict[str, BreakerStatus] = Field(
        default_factory=dict, description="health of each company board searched so far (company sources)"
    )


class SourceList(BaseModel):
    sources: list[SourceInfo]
    finding_a_slug: str = Field(
        "A company board's slug is part of its careers URL (see company_form). find_company_board(name_or_url) "
        "turns a company name, a careers URL, or a career page that embeds a board into the source string."
    )


class JobDetails(BaseModel):
    job: Job
    note: str | None = Field(None, description="set when the full posting could not be loaded, saying why")


class ImportedJobs(BaseModel):
    path: str
    format: str
    imported: int = Field(description="jobs read from the file, after merging duplicate postings")
    merged: int = Field(0, description="rows merged into another row's job as the same posting")
    skipped: int = Field(0, description="rows that could not become a job")
    skipped_rows: list[SkippedRow] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    page: SearchResult = Field(
        description="the first page; page on with search_jobs(search_id=..., offset=...)"
    )


class SearchService:
    """Searches, pages and details for the MCP tools; one per process (`runtime.search`)."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        browser_factory: Callable[[], BrowserPool | None] | None = None,
        *,
        registry: SourceRegistry = REGISTRY,
        breaker: CircuitBreaker | None = None,
        page_budget_chars: int = PAGE_BUDGET_CHARS,
    ) -> None:
        self.settings = settings
        self.store = store
        self.registry = registry
        self.breaker = breaker or CircuitBreaker()
        self.page_budget_chars = page_budget_chars
        from ..fetching.http import PoliteClient  # httpx loads with the search service, not at start-up

        throttle = Throttle(settings.min_request_interval_s)
        self.context = SourceContext(
            settings,
            http=PoliteClient(settings, throttle),
            throttle=throttle,
            browser_factory=browser_factory,
        )
        self._instances: dict[str, Source] = {}
        # What this process holds in memory is per tenant, like the store: keys start with the tenant.
        # Searches of this process still asking their boards (the store knows them too, for the other
        # processes sharing the database).
        self._running: dict[tuple[str, str], asyncio.Future] = {}
        # Jobs whose full posting was loaded in this process: another process loads it once more at most.
        self._detailed: set[tuple[str, str]] = set()
        self._company_boards: dict[str, set[str]] = {}  # the company boards each tenant has searched

    def _source(self, cls: type[Source]) -> Source:
        if cls.name not in self._instances:
            self._instances[cls.name] = cls()
        return self._instances[cls.name]

    async def aclose(self) -> None:
        await self.context.http.aclose()

    # Searching
    async def search(
        self, query: SearchQuery, sources: list[str] | None = None, progress: Progress | None = None
    ) -> SearchResult:
        """Asks every named source (or the defaults) at once and returns the first page of the results."""
        return (await self.search_all(query, sources, progress))[0]

    async def search_all(
        self, query: SearchQuery, sources: list[str] | None = None, progress: Progress | None = None
    ) -> tuple[SearchResult, list[Job]]:
        """`search`, with every job it kept (in the search's order), not only those of the first page."""
        specs = self.registry.specs(sources)
        if not specs:
            raise JobsearchError(
                f"no source to search: pass sources (valid: {', '.join(self.registry.names()) or 'none installed'})"
            )
        search_id = uuid.uuid4().hex[:12]
        await anyio.to_thread.run_sync(self.store.start_search, search_id, query.query, query.location)
        # The search runs in a task of its own, so that it finishes and is kept even when the call that
        # started it ends first (a client's tool timeout, a cancel): search_jobs(search_id=...) picks it up.
        caller = _Detachable(progress)
        running = asyncio.ensure_future(self._search_and_keep(search_id, specs, query, caller))
        key = (current_tenant(), search_id)
        self._running[key] = running
        running.add_done_callback(functools.partial(self._finished, key))
        try:
            return await asyncio.shield(running)
        except asyncio.CancelledError:
            caller.detach()
            log.info("search %s goes on after its call ended; search_jobs(search_id=...) picks it up", search_id)
            raise

    async def _search_and_keep(
        self, search_id: str, specs: list[SourceSpec], query: SearchQuery, progress: Progress | None
    ) -> tuple[SearchResult, list[Job]]:
        try:
            answers = await self._ask(specs, query, progress, search_id)
            jobs = await run_pure(_deduplicate, _interleave([found for _, found in answers]))
            reports = [report for report, _ in answers]
            page = await self._keep(jobs, query.query, query.location, reports, search_id=search_id)
        except BaseException:
            with anyio.CancelScope(shield=True):  # a search without results is no handle to page on
                await anyio.to_thread.run_sync(self.store.forget_running_search, search_id)
            raise
        return page, jobs

    def _finished(self, key: tuple[str, str], running: asyncio.Future) -> None:
        self._running.pop(key, None)
        if not running.cancelled() and running.exception() is not None:
            log.info("search %s failed: %s", key[1], running.exception())

    async def retry_login_walls(
        self, search_id: str, query: SearchQuery, progress: Progress | None = None
    ) -> SearchResult:
        """Asks the boards of an earlier search that met a login wall again (the person has signed in since)
        and merges what they find into that search: same search_id, duplicates merged; its first page."""
        stored = await self._stored(search_id)
        walled = [report.source for report in stored.reports if report.status == SourceStatus.LOGIN_REQUIRED]
        if not walled:
            return await self.page(search_id)
        specs = self.registry.specs(walled)
        answers = dict(zip((spec.label for spec in specs), await self._ask(specs, query, progress)))
        earlier = await anyio.to_thread.run_sync(self.store.get_jobs, stored.job_ids)
        # The earlier results take turns with each board asked again, so the new jobs reach the first page.
        jobs = await run_pure(_deduplicate, _interleave([earlier, *(jobs for _, jobs in answers.values())]))
        reports = [
            answers[report.source][0] if report.source in answers else report for report in stored.reports
        ]
        return await self._keep(jobs, stored.query, stored.location, reports, search_id=search_id)

    async def _ask(
        self, specs: list[SourceSpec], query: SearchQuery, progress: Progress | None, search_id: str | None = None
    ) -> list[tuple[SourceReport, list[Job]]]:
        """Every board of `specs` at once; their reports and jobs in the order of `specs`."""
        results: dict[str, tuple[SourceReport, list[Job]]] = {}
        done = 0

        refused: list[_Refused] = []

        async def run(spec: SourceSpec) -> None:
            nonlocal done
            try:
                results[spec.label] = await self._run_source(spec, query)
            except _Refused as exc:
                refused.append(exc)
                return
            done += 1
            if progress is not None:
                report = results[spec.label][0]
                jobs = "1 job" if report.count == 1 else f"{report.count} jobs"
                await progress(done, len(specs), f"{spec.label}: {report.status} ({jobs})")

        if progress is not None:
            named = f"search {search_id}: " if search_id else ""
            await progress(0, len(specs), named + "asking " + ", ".join(spec.label for spec in specs))
        async with anyio.create_task_group() as group:
            for spec in specs:
                group.start_soon(run, spec)
        if refused:
            first = refused[0]
            raise JobsearchError(f"{first.label}: {first.error}") from first.error
        return [results[spec.label] for spec in specs]

    async def _keep(
        self,
        jobs: list[Job],
        query: str,
        location: str | None,
        reports: list[SourceReport],
        *,
        search_id: str | None = None,
        budget_chars: int | None = None,
    ) -> SearchResult:
        """Caches `jobs`, records them as a search (a new one, or `search_id` replaced), returns its first page."""
        stored = StoredSearch(
            search_id=search_id or uuid.uuid4().hex[:12],
            query=query,
            location=location,
            job_ids=[job.job_id for job in jobs],
            reports=reports,
        )
        await anyio.to_thread.run_sync(self._save, jobs, stored)
        budget = self.page_budget_chars if budget_chars is None else budget_chars
        return await run_cpu(build_page, stored, {job.job_id: job for job in jobs}, 0, budget)

    def _save(self, jobs: list[Job], search: StoredSearch) -> None:
        self.store.purge_expired_jobs()  # the cache keeps jobs JOBSEARCH_JOB_CACHE_TTL_HOURS, then lets go
        self.store.save_jobs(jobs)
        self.store.save_search(search)

    async def import_file(
        self, path: str, file_format: FileFormat = "auto", roots: Sequence[Path] = ()
    ) -> ImportedJobs:
        """Jobs from a file in an allowed folder (or one of the client's `roots`), merged like search
        results and kept as a search."""
        result = await run_pure(import_jobs_file, path, file_format, self.settings, roots)
        jobs = await run_pure(_deduplicate, result.jobs)
        if not jobs:
            raise JobsearchError(_no_jobs_in(result.path, result.skipped, result.skipped_rows))
        report = SourceReport(source=f"file:{result.path}", status=SourceStatus.OK, count=len(jobs))
        imported = ImportedJobs(
            path=result.path,
            format=result.format,
            imported=len(jobs),
            merged=len(result.jobs) - len(jobs),
            skipped=result.skipped,
            skipped_rows=result.skipped_rows,
            warnings=result.warnings,
            page=SearchResult(search_id="", query="", total=0, jobs=[], sources=[]),
        )
        # The page gets what the import's own fields leave of the reply budget.
        room = self.page_budget_chars - reply_chars(imported)
        imported.page = await self._keep(jobs, f"import {result.path}", None, [report], budget_chars=room)
        return imported

    async def _run_source(self, spec: SourceSpec, query: SearchQuery) -> tuple[SourceReport, list[Job]]:
        label = spec.label
        if spec.company is not None:
            self._company_boards.setdefault(current_tenant(), set()).add(label)
        if not self.breaker.allow(label):
            health = self.breaker.status(label)
            until = f" until {health.paused_until:%H:%M} UTC" if health.paused_until else ""
            message = f"paused{until} after {health.consecutive_failures} failures in a row (last: {health.last_error})"
            return SourceReport(source=label, status=SourceStatus.PAUSED, message=message), []
        started = time.monotonic()
        timeout = self.settings.source_timeout_s
        try:
            with anyio.fail_after(timeout):
                found = await self._source(spec.source).search(
                    query.model_copy(update={"file" if spec.source.kind == "file" else "company": spec.company}),
                    self.context,
                )
        except TimeoutError:
            status, message, found = (
                SourceStatus.TIMEOUT,
                f"no answer within {timeout:g} s (JOBSEARCH_SOURCE_TIMEOUT)",
                [],
            )
        except SourceError as exc:
            status, message, found = exc.status, str(exc), []
        except JobsearchError as exc:
            # The request itself is wrong (a file outside the allowed folders, ...): the caller's mistake,
            # answered as an error of the whole call like import_jobs does, not as the board's ill health.
            self.breaker.release(label)
            raise _Refused(label, exc) from None
        except anyio.get_cancelled_exc_class():
            self.breaker.release(label)
            raise
        except Exception as exc:  # a bug in one board's parser must not lose the other boards' results
            log.exception("source %s failed", label)
            status, message, found = SourceStatus.ERROR, f"internal error: {type(exc).__name__}: {exc}", []
        else:
            status, message = (SourceStatus.OK if found else SourceStatus.EMPTY), None
        elapsed = round(time.monotonic() - started, 2)
        if status in _FAILURES:
            self.breaker.record_failure(label, message)
        elif status in (SourceStatus.OK, SourceStatus.EMPTY):
            self.breaker.record_success(label)
        else:
            self.breaker.release(label)
        if status == SourceStatus.LOGIN_REQUIRED and spec.source.kind == "browser":
            await self._free_login_profile(spec.source.name)
        kept = await run_cpu(partial(passing, found, query, with_location=not spec.source.searches_location))
        if found and not kept:
            status, message = (
                SourceStatus.EMPTY,
                f"{len(found)} found, none passed the filters ({_describe(query)})",
            )
        elif len(kept) < len(found):
            message = f"{len(found) - len(kept)} of {len(found)} dropped by the filters ({_describe(query)})"
        report = SourceReport(
            source=label, status=status, count=len(kept), message=message, elapsed_s=elapsed
        )
        return report, kept

    async def _free_login_profile(self, name: str) -> None:
        """Lets go of a board's login profile after its login wall, so that `jobsearch-mcp login <name>`
        can open it while this server runs and the next search of the board sees the new sign-in."""
        browser = self.context.browser
        if browser is not None:
            await anyio.to_thread.run_sync(browser.close_profile, name)

    # Paging
    async def page(self, search_id: str, offset: int = 0) -> SearchResult:
        """The page of an earlier search starting at `offset`; a search still running (in this process or
        another one sharing the database) is waited for."""
        running = self._running.get((current_tenant(), search_id))
        if running is not None:
            await asyncio.shield(running)
        stored = await self._stored(search_id)
        if stored.running_since is not None:
            stored = await self._finished_elsewhere(stored)
        if offset < 0 or (offset >= len(stored.job_ids) and offset > 0):
            raise JobsearchError(f"offset {offset} is outside this search's {len(stored.job_ids)} results")
        ids = stored.job_ids[offset : offset + MAX_PAGE_JOBS]  # all a page can hold
        jobs = await anyio.to_thread.run_sync(self.store.get_jobs, ids)
        return await run_cpu(
            build_page, stored, {job.job_id: job for job in jobs}, offset, self.page_budget_chars
        )

    async def _finished_elsewhere(self, stored: StoredSearch) -> StoredSearch:
        """`stored` once the server process running it has kept its results."""
        deadline = (stored.running_since or time.time()) + self.settings.source_timeout_s + RUNNING_GRACE_S
        while stored.running_since is not None:
            if time.time() > deadline:
                raise JobsearchError(
                    f"search {stored.search_id!r} did not finish: the server process running it stopped. "
                    "Run search_jobs again to start a new search"
                )
            await anyio.sleep(RUNNING_POLL_S)
            stored = await self._stored(stored.search_id)
        return stored

    async def _stored(self, search_id: str) -> StoredSearch:
        stored = await anyio.to_thread.run_sync(self.store.get_search, search_id)
        if stored is None:
            raise JobsearchError(
                f"no search with id {search_id!r}: run search_jobs again to start a new search"
            )
        return stored

    # Details
    async def details(self, job_id: str | None = None, url: str | None = None) -> JobDetails:
        """The full posting of a found job (by id) or of any public job page (by URL)."""
        if (job_id is None) == (url is None):
            raise JobsearchError(
                "give either job_id (from search_jobs) or url (a job posting's page), not both"
            )
        if job_id is not None:
            return await self._details_of_job(job_id)
        return await self._details_of_url(url)  # type: ignore[arg-type]

    async def _details_of_job(self, job_id: str) -> JobDetails:
        job = await anyio.to_thread.run_sync(lambda: self.store.get_job(job_id, include_expired=True))
        if job is None:
            raise JobsearchError(
                f"no job with id {job_id!r} in the cache: job ids come from search_jobs (cached for "
                f"{self.settings.job_cache_ttl_hours:g} hours); search again, or pass the posting's url instead"
            )
        board = job.details_from if job.details_from in self.registry.names() else None
        if (current_tenant(), job_id) in self._detailed or (board is None and not job.url):
            return JobDetails(job=job)
        try:
            if board is not None:
                full = await self._load_details(self.registry.get(board), job)
            else:  # an imported record: its page, read like any URL given to get_job_details
                await check_public_url(job.url or "", self.settings.allow_private_urls)
                full = await self._load_details(GenericSource, job)
        except UnsafeURLError as exc:
            return JobDetails(job=job, note=f"the full posting was not loaded: {exc}")
        except SourceError as exc:
            return JobDetails(job=job, note=f"the full posting could not be loaded ({exc.status}): {exc}")
        full = full.model_copy(update={"job_id": job.job_id, "sources": job.sources or full.sources})
        await anyio.to_thread.run_sync(self.store.save_jobs, [full])
        self._detailed.add((current_tenant(), job_id))
        return JobDetails(job=full)

    async def _details_of_url(self, url: str) -> JobDetails:
        url = await check_public_url(url, self.settings.allow_private_urls)
        reader = self._source(GenericSource)
        job = await self._within_time(GenericSource.name, reader.fetch_job(url, self.context))
        if job.url and job.url != url:  # redirected: what a private address answered is not passed on
            await check_public_url(job.url, self.settings.allow_private_urls)
        await anyio.to_thread.run_sync(self.store.save_jobs, [job])
        self._detailed.add((current_tenant(), job.job_id))
        return JobDetails(job=job)

    async def _load_details(self, cls: type[Source], job: Job) -> Job:
        return await self._within_time(cls.name, self._source(cls).details(job, self.context))

    async def _within_time(self, name: str, loading: Awaitable[Job]) -> Job:
        try:
            with anyio.fail_after(self.settings.source_timeout_s):
                return await loading
        except TimeoutError:
            raise SourceError(
                f"{name} did not load the posting within {self.settings.source_timeout_s:g} s",
                SourceStatus.TIMEOUT,
            ) from None

    # Sources
    def list_sources(self) -> SourceList:
        defaults = set(self.registry.default_names())
        # The boards' health is shared (one breaker per board, whoever asks); which company boards there
        # are in it tells what someone searched, so each tenant sees those it searched itself.
        keys = sorted(self._company_boards.get(current_tenant(), set()) & set(self.breaker.keys()))
        return SourceList(
            sources=[
                SourceInfo(
                    name=cls.name,
                    kind=cls.kind,
                    base_url=self.context.base_url(cls),
                    needs_company=cls.needs_company,
                    requires_login=cls.requires_login,
                    company_form=getattr(cls, "careers_url_form", None),
                    default=cls.name in defaults,
                    health=self.breaker.status(cls.name),
                    boards={k: self.breaker.status(k) for k in keys if k.startswith(f"{cls.name}:")},
                )
                for cls in self.registry.classes()
            ]
        )


class _Detachable:
    """The caller's progress, until its call has ended: a search that goes on reports to nobody."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress

    def detach(self) -> None:
        self._progress = None

    async def __call__(self, done: int, total: int, message: str) -> None:
        if self._progress is None:
            return
        try:
            await self._progress(done, total, message)
        except Exception as exc:  # noqa: BLE001 - the call's session is gone; the search itself goes on
            log.info("search progress stopped: %s", exc)
            self._progress = None


class _Refused(Exception):
    """A board refused the request because of the caller's own argument (see `_run_source`)."""

    def __init__(self, label: str, error: JobsearchError) -> None:
        super().__init__(f"{label}: {error}")
        self.label = label
        self.error = error


def _no_jobs_in(path: str, skipped: int, rows: list[SkippedRow]) -> str:
    """Why an import stored nothing, with the first reasons rows were skipped for."""
    if not skipped:
        return (
            f"{path} has no job rows (only a header, or nothing at all): nothing was imported. Export the "
            "jobs again, or give a file with one job per row (title, company, location, description, job_url)"
        )
    reasons = "; ".join(f"row {row.row}: {row.reason}" for row in rows[:3])
    return (
        f"none of the {skipped} rows of {path} could become a job, so nothing was imported ({reasons}). "
        "Each row needs at least a title"
    )


def _interleave(lists: list[list[Job]]) -> list[Job]:
    """Round-robin: keeps each board's own relevance order and lets no board crowd out the rest."""
    return [job for job in chain.from_iterable(zip_longest(*lists)) if job]


def _describe(query: SearchQuery) -> str:
    parts = []
    if query.remote_only:
        parts.append("remote only")
    if query.posted_within_days is not None:
        parts.append(f"posted within {query.posted_within_days} days")
    if query.location:
        parts.append(f"location {query.location}")
    return ", ".join(parts)
