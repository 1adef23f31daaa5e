"""Job search tools: search_jobs, get_job_details, import_jobs, list_sources, and the job://{job_id} resource."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from mcp_types import InputRequiredResult
from pydantic import Field

from ..errors import JobsearchError
from ..jobs.models import SearchQuery, SearchResult
from ..runtime import Runtime
from ..services.search import ImportedJobs, JobDetails, SourceList
from ..sources.directory import CompanyBoard
from ..sources.directory import find_company_board as find_board
from ..sources.file_source import FileFormat
from ..views import MATCHES_URI, ui_meta
from .annotations import READ_ONLY_LOCAL, READ_ONLY_WEB, WRITES_LOCAL
from .login_retry import search_with_login_retry
from .resumes import client_roots


def register(mcp: MCPServer, runtime: Runtime) -> None:
    @mcp.tool(annotations=READ_ONLY_WEB, meta=ui_meta(MATCHES_URI))
    async def search_jobs(
        query: Annotated[
            str,
            Field(description="a job title and a skill or two, e.g. 'python engineer'; '' lists company boards whole"),
        ],
        ctx: Context,
        location: Annotated[str | None, Field(description="city, region or country, e.g. 'Berlin' or '上海'")] = None,
        sources: Annotated[
            list[str] | None,
            Field(description="boards to ask (see list_sources); company boards as 'greenhouse:stripe'"),
        ] = None,
        remote_only: bool = False,
        posted_within_days: Annotated[int | None, Field(ge=1, le=365)] = None,
        limit: Annotated[int, Field(ge=1, le=100, description="most jobs to take from each source")] = 25,
        search_id: Annotated[str | None, Field(description="page an earlier search: its search_id")] = None,
        offset: Annotated[int, Field(ge=0, description="with search_id: the next_offset of the previous page")] = 0,
    ) -> SearchResult | InputRequiredResult:
        """Search real job boards at once and return the first page of de-duplicated results.

        sources: omit for the default boards (those needing no company and no login; list_sources shows
        them). Company career boards search one company each: write them as "greenhouse:<slug>",
        "lever:<slug>" or "ashby:<slug>" (the slug is the last part of the company's board URL, e.g.
        "greenhouse:stripe", "lever:netflix", "ashby:notion"; likewise "smartrecruiters:<id>",
        "recruitee:<slug>", "workable:<slug>", "personio:<slug>", "teamtailor:<slug>", "bamboohr:<slug>" and
        "workday:<tenant>.<wdN>/<site>"); find_company_board turns a company name or
        careers URL into this form. "file:<path>" searches a jobs file in an allowed folder (see import_jobs).
        query="" with only company boards (or files) lists every open job they have; the other filters
        still apply.

        The same posting found on several boards is returned once; other_sources counts the rest.
        Each entry of `sources` in the result says how that board fared: ok, empty, blocked (captcha or
        rate limit), login_required (run `jobsearch-mcp login <source>`), timeout, error, paused (it
        failed repeatedly and rests for a while) or skipped. Tell the user about the ones that failed.
        Where the client supports elicitation, the user is asked to sign in and retry a login_required
        board; their jobs then join this same result.

        Results come a page at a time. When next_offset is not null, call search_jobs again with the
        same query, search_id and offset=next_offset for more (no board is asked again). Use
        get_job_details(job_id) for a job's full description.
        """
        search = runtime.search
        if search_id:
            return await search.page(search_id, offset)
        if not query.strip() and (needing := search.registry.needing_a_query(sources)):
            raise JobsearchError(
                f"query is empty, and {', '.join(needing)} cannot list jobs without one: give a job title and a "
                "skill or two (e.g. 'data engineer spark'), or name only company boards (e.g. "
                "sources=['greenhouse:stripe']) to list every job they have"
            )

        search_query = SearchQuery(
            query=query.strip(),
            location=(location or "").strip() or None,
            remote_only=remote_only,
            posted_within_days=posted_within_days,
            limit=limit,
        )
        return await search_with_login_retry(ctx, search, search_query, sources, ctx.report_progress)

    @mcp.tool(annotations=READ_ONLY_WEB)
    async def get_job_details(
        ctx: Context,  # for the progress heartbeat: loading a page in the browser can take a while
        job_id: Annotated[str | None, Field(description="a job_id from search_jobs or match_jobs")] = None,
        url: Annotated[str | None, Field(description="or the http(s) address of any public job posting")] = None,
    ) -> JobDetails:
        """The full posting of one job: description (Markdown), salary, dates, apply link, every URL it is
        listed at. Give job_id for a job from a search, or url for any public job page (loaded in a
        headless browser; addresses on private networks are refused). When the full text cannot be
        loaded, the job as the search found it is returned with a note saying why."""
        return await runtime.search.details(job_id=job_id, url=url)

    @mcp.tool(annotations=WRITES_LOCAL)
    async def import_jobs(
        path: Annotated[str, Field(description="a .csv, .json or .jsonl file inside an allowed folder")],
        ctx: Context,
        format: FileFormat = "auto",  # the public parameter name (shadows the builtin)
    ) -> ImportedJobs:
        """Add jobs from a file to the cache: a JobSpy CSV export, a board's JSON download, or your own
        list (columns like title, company, location, description, job_url). The file must be inside an
        allowed folder (JOBSEARCH_ALLOWED_DIRS, or one of your MCP roots); a relative path is taken
        relative to the first allowed folder. Duplicate postings are merged. The jobs
        are kept as a search: page them with search_jobs(query, search_id=..., offset=...), read one
        with get_job_details(job_id), rank them with match_jobs. Rows that could not be read are
        counted in skipped, with reasons for the first ones."""
        await ctx.report_progress(0, None, "reading the file")  # then the heartbeat, until it is imported
        return await runtime.search.import_file(path, format, roots=await client_roots(ctx))

    @mcp.tool(annotations=READ_ONLY_LOCAL)
    async def list_sources() -> SourceList:
        """Every job board this server can search: its kind (browser or http), base URL, whether it needs
        a company slug ('greenhouse:stripe', copied from the careers URL in company_form; find_company_board
        finds it from a name or URL) or a login, whether search_jobs asks it by default, and its
        health (closed = fine; open = paused after repeated failures until paused_until)."""
        return runtime.search.list_sources()

    @mcp.tool(annotations=READ_ONLY_WEB)
    async def find_company_board(
        name_or_url: Annotated[
            str, Field(description="a company name ('Stripe') or a careers URL ('https://jobs.lever.co/netflix')")
        ],
    ) -> CompanyBoard:
        """The search_jobs source string of a company's career board, e.g. 'greenhouse:stripe'. Give a careers
        URL of Greenhouse, Lever, Ashby, Workday, SmartRecruiters, Recruitee, Workable, Personio, Teamtailor or
        BambooHR (read from the URL itself), a company's own careers page (read to find the board it embeds),
        or a company name (looked up in a directory of a few hundred companies, plus the user's own file).
        Then call search_jobs(query="", sources=[source]) to list every open job there. When source is null,
        matches lists candidates or message says what to try."""
        return await find_board(name_or_url, runtime.search.context)

    @mcp.resource("job://{job_id}", mime_type="application/json")
    def job(job_id: str) -> str:
        """One cached job posting with every field, as found by search_jobs or get_job_details."""
        found = runtime.store.get_job(job_id, include_expired=True)
        if found is None:
            raise ResourceNotFoundError(f"no job with id {job_id} in the cache; run search_jobs first")
        return found.model_dump_json(indent=2)
