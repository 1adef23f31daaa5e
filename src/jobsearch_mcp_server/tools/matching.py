"""Matching tools: match_jobs ranks jobs for a resume with reasons; job_search_advice says what to do next."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from pydantic import Field

from ..matching.advice import SearchAdvice
from ..matching.models import MatchResult
from ..runtime import Runtime
from ..views import MATCHES_URI, ui_meta
from .annotations import CALLS_LLM, READ_ONLY_WEB

ResumeId = Annotated[str, Field(description="the resume_id from parse_resume")]


def register(mcp: MCPServer, runtime: Runtime) -> None:
    @mcp.tool(annotations=READ_ONLY_WEB, meta=ui_meta(MATCHES_URI))
    async def match_jobs(
        resume_id: ResumeId,
        ctx: Context,
        job_ids: Annotated[
            list[str] | None,
            Field(description="rank these jobs (job_id values from search_jobs or import_jobs)"),
        ] = None,
        query: Annotated[
            str | None,
            Field(description="no job_ids: search the boards for this first, e.g. 'data engineer spark'"),
        ] = None,
        location: Annotated[
            str | None, Field(description="where the user wants to work (default: the resume's location)")
        ] = None,
        sources: Annotated[
            list[str] | None, Field(description="when it searches: the boards to ask, as in search_jobs")
        ] = None,
        top_k: Annotated[int, Field(ge=1, le=100, description="how many ranked jobs to return")] = 10,
        use_llm: Annotated[
            bool,
            Field(description="let the configured model judge the top jobs (slow: up to minutes per job)"),
        ] = False,
        min_salary: Annotated[
            float | None, Field(gt=0, description="the yearly pay the user wants, in the postings' currency")
        ] = None,
        match_id: Annotated[
            str | None, Field(description="page an earlier ranking: its match_id (nothing is ranked again)")
        ] = None,
        offset: Annotated[int, Field(ge=0, description="with match_id: the next_offset of the previous page")] = 0,
    ) -> MatchResult:
        """Rank jobs against a parsed resume, best first, each with a score 0-1, the parts of that score,
        the skills it matched, the required skills the resume lacks, and a one-line reason.

        Which jobs: job_ids when given; else the results of searching `query` (on `sources`, default:
        the default boards); else every job cached from earlier searches (when none is cached, it
        searches the resume's latest job title). The score weighs word relevance (BM25F), required vs.
        nice-to-have skills, the field of work (skill categories), title and seniority fit, years of
        experience asked, location/remote and salary; parts that a job or the resume says nothing
        about are left out (null). With an embedding model configured, semantic similarity is blended
        in. use_llm=true has the model judge the top jobs and re-rank them; if it fails, the
        deterministic ranking is returned and `notes` says why. Show the user the reasons and missing
        skills, and offer analyze_fit for the jobs they like.

        Matches come a page at a time (as many as fit one reply). When next_offset is not null, call
        match_jobs again with the same resume_id, match_id and offset=next_offset for the rest.
        """
        matcher = runtime.matcher
        if match_id:
            return matcher.page(match_id, offset)
        result = await matcher.match(
            resume_id,
            job_ids=job_ids,
            query=(query or "").strip() or None,
            location=(location or "").strip() or None,
            sources=sources,
            top_k=top_k,
            use_llm=use_llm,
            min_salary=min_salary,
            llm=runtime.llm_client(ctx),
            progress=ctx.report_progress,
        )
        return matcher.page(result)

    @mcp.tool(annotations=CALLS_LLM)
    async def job_search_advice(
        resume_id: ResumeId,
        ctx: Context,
        target_role: Annotated[
            str | None, Field(description="the role the user aims for, e.g. 'machine learning engineer'")
        ] = None,
    ) -> SearchAdvice:
        """Concrete next steps for the job search: skills to learn (the required skills the best-fitting
        cached jobs ask for most that the resume lacks), job titles to search next, and resume fixes.

        It compares the resume with the jobs cached by earlier searches, so run search_jobs (or
        match_jobs with a query) for the roles the user wants first. With target_role, only jobs whose
        title names that role count. When a model is configured it writes the plan from these facts
        (method "llm"); otherwise, or when it fails, the plan is the deterministic gap analysis
        (method "gap-analysis", with how many jobs ask for each skill).
        """
        return await runtime.matcher.advice(
            resume_id,
            (target_role or "").strip() or None,
            llm=runtime.llm_client(ctx),
            progress=ctx.report_progress,
        )
