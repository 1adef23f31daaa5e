"""The job hunt over weeks: saved searches that return only new postings, postings checked for life, export."""

from __future__ import annotations

from functools import partial
from typing import Annotated

import anyio
from mcp.server.mcpserver import Context, MCPServer
from pydantic import Field

from ..runtime import Runtime
from ..services.hunt.export import Exporter, ExportFormat, ExportResult
from ..services.hunt.liveness import JobChecks, LivenessChecker
from ..services.hunt.saved import (
    DeletedSavedSearch,
    HiddenJob,
    SavedSearches,
    SavedSearchList,
    SavedSearchRun,
)
from ..store.db import SavedSearch
from ..views import MATCHES_URI, ui_meta
from .annotations import READ_ONLY_LOCAL, READ_ONLY_WEB, WRITES_LOCAL
from .resumes import client_roots

Name = Annotated[str, Field(description="the saved search's name, e.g. 'berlin data'")]


def saved_searches(runtime: Runtime) -> SavedSearches:
    """The saved searches over the runtime's store, search service and matcher (built on first use)."""
    return SavedSearches(runtime.store, runtime.search, lambda: runtime.matcher)


def register(mcp: MCPServer, runtime: Runtime) -> None:
    @mcp.tool(annotations=WRITES_LOCAL)
    def save_search(
        name: Name,
        query: Annotated[str, Field(description="a job title and a skill or two, as for search_jobs")],
        location: Annotated[str | None, Field(description="city, region or country")] = None,
        sources: Annotated[
            list[str] | None, Field(description="boards to ask (see list_sources); omit for the defaults")
        ] = None,
        remote_only: bool = False,
        posted_within_days: Annotated[int | None, Field(ge=1, le=365)] = None,
        limit: Annotated[int, Field(ge=1, le=100, description="most jobs to take from each board")] = 25,
        min_score: Annotated[
            float | None, Field(ge=0, le=1, description="with resume_id: drop new jobs scoring below this")
        ] = None,
        resume_id: Annotated[
            str | None, Field(description="rank each run's new jobs for this resume, with reasons")
        ] = None,
    ) -> SavedSearch:
        """Save a search under a name (replacing one of the same name) to run again later with
        run_saved_search, which returns only the postings no earlier run of it returned. Use it when
        the user wants to follow a search over days or weeks ("tell me what is new")."""
        return saved_searches(runtime).save(
            SavedSearch(
                name=name,
                query=query,
                location=(location or "").strip() or None,
                sources=sources,
                remote_only=remote_only,
                posted_within_days=posted_within_days,
                limit=limit,
                min_score=min_score,
                resume_id=resume_id,
            )
        )

    @mcp.tool(annotations=READ_ONLY_LOCAL)
    def list_saved_searches() -> SavedSearchList:
        """The saved searches: their parameters, when each last ran, and how many postings they have seen."""
        return saved_searches(runtime).list()

    @mcp.tool(annotations=WRITES_LOCAL)
    def delete_saved_search(name: Name) -> DeletedSavedSearch:
        """Delete a saved search and what it remembers of the postings it returned."""
        return saved_searches(runtime).delete(name)

    @mcp.tool(annotations=READ_ONLY_WEB, meta=ui_meta(MATCHES_URI))
    async def run_saved_search(name: Name, ctx: Context) -> SavedSearchRun:
        """Run a saved search now and return only the postings that are new: none that an earlier run
        returned, even reposted under a new id or URL. The reply is a search page like search_jobs'
        (page on with search_jobs(query, search_id=..., offset=next_offset)); with the saved resume_id
        the new jobs come best first, with a score and reason each in `ranked`. `unavailable` lists the
        boards that could not be asked this time (blocked, timeout, login, error): tell the user; their
        postings are not marked seen, the next run asks them again."""
        return await saved_searches(runtime).run(name, ctx.report_progress)

    @mcp.tool(annotations=WRITES_LOCAL)
    def hide_job(
        job_id: Annotated[
            str, Field(description="a job_id from search_jobs, match_jobs or run_saved_search")
        ],
        saved_search: Annotated[
            str | None,
            Field(description="hide it from this saved search only; omit: from every one and match_jobs"),
        ] = None,
    ) -> HiddenJob:
        """Hide a job the user says is not for them: runs of the saved search never return it again, nor a
        repost of it under a new id or URL, and its last run's page drops it. Without saved_search it is
        hidden from every saved search and from match_jobs rankings."""
        return saved_searches(runtime).hide(job_id, saved_search)

    @mcp.tool(annotations=READ_ONLY_WEB)
    async def check_jobs(
        ctx: Context,
        job_ids: Annotated[
            list[str] | None,
            Field(
                description="jobs to check; omit for every tracked application and the saved searches' last runs"
            ),
        ] = None,
    ) -> JobChecks:
        """Check whether postings are still open: open, closed (the board's API no longer lists it, its
        page says it takes no more applications, or answers 404/410) or unknown (it could not be asked).
        A tracked application whose posting closed gets status closed and a history entry; nothing is
        deleted. Tell the user which applications closed."""
        return await LivenessChecker(runtime.store, runtime.search).check(job_ids, ctx.report_progress)

    @mcp.tool(annotations=WRITES_LOCAL)
    async def export_jobs(
        what: Annotated[
            str, Field(description="a search_id, a saved search's name (its last run), or 'applications'")
        ],
        format: ExportFormat,  # the public parameter name (shadows the builtin)
        path: Annotated[
            str, Field(description="the file to write, inside an allowed folder (JOBSEARCH_ALLOWED_DIRS)")
        ],
        ctx: Context,
        overwrite: Annotated[bool, Field(description="replace the file if it exists")] = False,
    ) -> ExportResult:
        """Write jobs to a file the user opens in a spreadsheet or keeps: csv (JobSpy's column names:
        site, job_url, title, company, location, date_posted, job_type, min_amount, max_amount,
        currency, interval, is_remote, description, ...), jsonl, or markdown (a table to read). `what`
        is a search_id from search_jobs/import_jobs/run_saved_search, a saved search's name (its last
        run's new jobs), or "applications" (the tracker with status, dates, contact and history). The
        path must be inside an allowed folder; an existing file is refused unless overwrite=true."""
        exporter = Exporter(runtime.store, runtime.settings)
        roots = await client_roots(ctx)
        return await anyio.to_thread.run_sync(partial(exporter.export, what, format, path, overwrite, roots))
