"""Saved searches: run again and again, each run returns only the postings no earlier run returned.

A posting is known again by the dedup rules (jobs/dedup.py: the same id; the same title, company and
city on another board; the same role with a near-identical text), so a repost under a new id or URL is
not new. Only what a run returns is marked seen, and only once the whole reply is built: a board that
failed contributes nothing (and is asked again next run), and a run that fails midway marks nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import anyio
from pydantic import BaseModel, Field

from ...errors import JobsearchError
from ...jobs.models import Job, SearchQuery, SearchResult, SourceReport, SourceStatus
from ...jobs.paging import reply_chars
from ...store import Store
from ...store.db import SavedSearch, SeenPosting, StoredSearch
from ...workers import run_pure
from ..pages import build_page

if TYPE_CHECKING:
    from ...jobs.dedup import Fingerprint
    from ..matching import Matcher
    from ..search import Progress, SearchService

log = logging.getLogger(__name__)

MAX_NAME = 80
MAX_QUERY = 500
# = services.matching.MAX_TOP_K, the most one ranking holds (not imported: that would load numpy at start-up)
MAX_RANKED = 100
UNAVAILABLE = frozenset(
    {SourceStatus.BLOCKED, SourceStatus.TIMEOUT, SourceStatus.ERROR, SourceStatus.PAUSED,
     SourceStatus.LOGIN_REQUIRED, SourceStatus.SKIPPED}
)  # fmt: skip


class SavedSearchList(BaseModel):
    saved_searches: list[SavedSearch]


class DeletedSavedSearch(BaseModel):
    name: str
    deleted: bool = True


class RankedJob(BaseModel):
    job_id: str
    rank: int
    score: float
    reason: str
    missing_skills: list[str] = Field(default_factory=list)


class HiddenJob(BaseModel):
    job_id: str
    title: str
    saved_search: str | None = Field(None, description="hidden from this saved search; None: from all")
    hidden: bool = True


class SavedSearchRun(SearchResult):
    """A page of the postings that are new since the saved search's earlier runs."""

    name: str
    already_seen: int = Field(
        description="postings found again that an earlier run returned (reposts too), or that the user hid"
    )
    unavailable: list[SourceReport] = Field(
        default_factory=list,
        description="boards that could not be asked this time; nothing of theirs is marked seen, the next run "
        "asks them again",
    )
    ranked: list[RankedJob] | None = Field(
        None, description="with the saved resume_id: score and reason of each job of this page, best first"
    )
    dropped_below_min_score: int = 0
    notes: list[str] = Field(default_factory=list)


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise JobsearchError("the saved search's name is empty: give a short name, e.g. 'berlin data'")
    if len(name) > MAX_NAME:
        raise JobsearchError(f"the saved search's name is {len(name)} characters; at most {MAX_NAME}")
    return name


class SavedSearches:
    """Saved searches over the store, the search service and (for ranking) the matcher."""

    def __init__(self, store: Store, search: SearchService, matcher: Callable[[], Matcher]) -> None:
        self.store = store
        self.search = search
        self.matcher = matcher

    def save(self, saved: SavedSearch) -> SavedSearch:
        saved = saved.model_copy(update={"name": check_name(saved.name), "query": saved.query.strip()})
        if not saved.query:
            raise JobsearchError(
                "query is empty: give a job title and a skill or two, e.g. 'data engineer spark'"
            )
        if len(saved.query) > MAX_QUERY:
            raise JobsearchError(f"query is {len(saved.query)} characters; at most {MAX_QUERY}")
        if saved.sources is not None:
            if not [entry for entry in saved.sources if entry.strip()]:
                raise JobsearchError(
                    "sources is empty: name boards (see list_sources), or leave it out for the defaults"
                )
            self.search.registry.specs(saved.sources)  # an unknown board is refused now, not at every run
        if saved.min_score is not None and saved.resume_id is None:
            raise JobsearchError("min_score needs resume_id: the score says how well a job fits that resume")
        if saved.resume_id is not None and self.store.get_resume(saved.resume_id) is None:
            raise JobsearchError(
                f"no resume with id {saved.resume_id!r}: call parse_resume first (see list_resumes)"
            )
        return self.store.save_saved_search(saved)

    def list(self) -> SavedSearchList:
        return SavedSearchList(saved_searches=self.store.list_saved_searches())

    def get(self, name: str) -> SavedSearch:
        name = check_name(name)
        found = self.store.get_saved_search(name)
        if found is None:
            names = [saved.name for saved in self.store.list_saved_searches()]
            listed = ", ".join(repr(n) for n in names[:20]) + (
                f" and {len(names) - 20} more" if len(names) > 20 else ""
            )
            raise JobsearchError(
                f"no saved search named {name!r}; "
                + (f"the saved ones are {listed}" if names else "none is saved yet: call save_search first")
            )
        return found

    def delete(self, name: str) -> DeletedSavedSearch:
        saved = self.get(name)
        self.store.delete_saved_search(saved.name)
        return DeletedSavedSearch(name=saved.name)

    def adopt(self, name: str, search_id: str) -> None:
        """Marks every job of an earlier search as seen by the saved search `name`, as if a run had returned
        them (a search the user already looked at: its next run shows only what came after)."""
        saved = self.get(name)
        stored = self.store.get_search(search_id)
        if stored is None:
            raise JobsearchError(f"no search with id {search_id!r}")
        self.store.record_run(
            saved.name, search_id, [_seen(job) for job in self.store.get_jobs(stored.job_ids)]
        )

    def hide(self, job_id: str, name: str | None) -> HiddenJob:
        """Hides a job ("not for me") from the saved search `name`, or from every saved search and
        match_jobs when `name` is None: its runs never return it, nor a repost of it, again; the last run's
        page (search_jobs with its search_id, export_jobs) drops it at once."""
        saved = self.get(name) if name is not None else None
        job = self.store.get_job(job_id, include_expired=True)
        if job is None:
            raise JobsearchError(
                f"no job with id {job_id!r}: it is gone from the cache (purged or never found); "
                "search again for a current job_id"
            )
        self.store.hide_posting(saved.name if saved else "", _seen(job))
        last = [saved] if saved else self.store.list_saved_searches()
        for each in last:
            stored = self.store.get_search(each.last_search_id) if each.last_search_id else None
            if stored is not None and job_id in stored.job_ids:
                kept = [other for other in stored.job_ids if other != job_id]
                self.store.save_search(stored.model_copy(update={"job_ids": kept}))
        return HiddenJob(job_id=job_id, title=job.title, saved_search=saved.name if saved else None)

    async def run(self, name: str, progress: Progress | None = None) -> SavedSearchRun:
        """Searches now; the reply holds only the postings that are new for this saved search."""
        saved = await anyio.to_thread.run_sync(self.get, name)
        query = SearchQuery(
            query=saved.query,
            location=saved.location,
            remote_only=saved.remote_only,
            posted_within_days=saved.posted_within_days,
            limit=saved.limit,
        )
        page, found = await self.search.search_all(query, saved.sources, progress)
        seen = await anyio.to_thread.run_sync(
            lambda: self.store.seen_postings(saved.name) + self.store.hidden_postings(saved.name)
        )
        from ...jobs.dedup import seen_before  # numpy loads with the first run, not at start-up

        known = await run_pure(seen_before, found, [_fingerprint(posting) for posting in seen])
        new = [job for job, was_seen in zip(found, known, strict=True) if not was_seen]
        already_seen = len(found) - len(new)
        ranked, dropped, notes = await self._rank(saved, new)
        if ranked is not None:
            by_id = {job.job_id: job for job in new}
            new = [by_id[r.job_id] for r in ranked]
        stored = StoredSearch(
            search_id=page.search_id,
            query=saved.query,
            location=saved.location,
            job_ids=[job.job_id for job in new],
            reports=page.sources,
        )
        unavailable = [report for report in page.sources if report.status in UNAVAILABLE]
        by_id = {job.job_id: job for job in new}
        limit = self.search.page_budget_chars
        budget = limit
        for _ in range(5):  # a run adds to the page (boards not asked, a score per job): shrink until it fits
            first = build_page(stored, by_id, 0, budget)
            on_page = {summary.job_id for summary in first.jobs}
            result = SavedSearchRun(
                **first.model_dump(),
                name=saved.name,
                already_seen=already_seen,
                unavailable=unavailable,
                ranked=None if ranked is None else [r for r in ranked if r.job_id in on_page],
                dropped_below_min_score=dropped,
                notes=notes,
            )
            size = reply_chars(result)  # what the reply sends: its text and its structured form
            if size <= limit or len(first.jobs) <= 1:
                break
            budget = budget * limit // size - 200
        # The run's record is the last step: whatever failed before it left the seen postings as they were.
        await anyio.to_thread.run_sync(self._record, saved.name, stored, new)
        return result

    def _record(self, name: str, stored: StoredSearch, new: list[Job]) -> None:
        self.store.save_search(stored)  # search_jobs(search_id=...) pages the new postings only
        self.store.record_run(name, stored.search_id, [_seen(job) for job in new])

    async def _rank(
        self, saved: SavedSearch, new: list[Job]
    ) -> tuple[list[RankedJob] | None, int, list[str]]:
        """With the saved resume: the new jobs best first (those under min_score dropped), how many were
        dropped, and the matcher's notes."""
        if saved.resume_id is None or not new:
            return None, 0, []
        notes = []
        if len(new) > MAX_RANKED:
            notes.append(
                f"{len(new)} new jobs; the best {MAX_RANKED} are shown, the rest come in the next runs"
            )
        result = await self.matcher().match(
            saved.resume_id, job_ids=[job.job_id for job in new], top_k=min(len(new), MAX_RANKED)
        )
        ranked = [
            RankedJob(
                job_id=m.job_id,
                rank=m.rank,
                score=m.score,
                reason=m.reason,
                missing_skills=m.missing_skills[:8],
            )
            for m in result.matches
        ]
        kept = [r for r in ranked if saved.min_score is None or r.score >= saved.min_score]
        return kept, len(ranked) - len(kept), [*result.notes, *notes]


def _seen(job: Job) -> SeenPosting:
    from ...jobs.dedup import Fingerprint

    fingerprint = Fingerprint.of(job)
    return SeenPosting(
        job_id=job.job_id,
        source=job.source,
        source_id=job.source_id,
        title=job.title,
        company=job.company,
        location=job.location,
        shingles=fingerprint.shingles,
    )


def _fingerprint(posting: SeenPosting) -> Fingerprint:
    from ...jobs.dedup import Fingerprint

    return Fingerprint(
        posting.job_id, posting.source, posting.title, posting.company, posting.location, posting.shingles
    )
