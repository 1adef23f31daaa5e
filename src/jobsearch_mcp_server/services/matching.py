"""Matching as the tools and the CLI use it: which jobs to rank, the ranking stages, and the advice."""

from __future__ import annotations

import uuid
from functools import partial
from typing import TYPE_CHECKING

import anyio

from ..errors import JobsearchError
from ..jobs.models import Job, SearchQuery, SourceStatus
from ..jobs.paging import REPLY_BUDGET_CHARS, fill_page
from ..llm import BaseLLM, LLMError, LLMUnavailable, ProgressFn, SamplingLLM, TemplatePrompt
from ..matching.advice import GapPlan, SearchAdvice, gap_analysis
from ..matching.advisor import resume_text
from ..matching.models import MatchResult
from ..matching.profile import build_profile
from ..matching.ranker import Ranker, Ranking
from ..matching.rerank import EmbeddingCache, blend_semantic, llm_rerank
from ..resume.models import Resume
from ..workers import run_cpu

if TYPE_CHECKING:
    from ..store import Store
    from .search import SearchService

MAX_CACHED_JOBS = 20_000  # ranking "every cached job" reads at most this many, newest first
MAX_LLM_JOBS = 20  # R1 takes seconds to minutes per verdict
MAX_TOP_K = 100
SEARCH_LIMIT = 50
KEPT_RANKINGS = 64  # rankings per tenant match_jobs can page through (a ranking of 100 matches is ~0.3 MB)
MAX_PAGE_MATCHES = 50


def default_query(resume: Resume) -> str | None:
    """What to search for when the caller gave nothing: the latest job title, else the headline."""
    for candidate in [*(e.title for e in resume.experience), resume.headline]:
        if candidate and 2 <= len(candidate) <= 80:
            return candidate.strip()
    return None


class Matcher:
    """One per process (`runtime.matcher`): keeps job features, indexes and embeddings between calls (in
    memory: each process builds its own). The latest rankings, which match_jobs pages through by match_id,
    are kept in the store, so any server process sharing the database pages them.

    `embedding_model` is the model for the semantic stage (None: no semantic stage); `search` finds jobs
    when the caller names a query instead of job ids."""

    def __init__(self, store: Store, search: SearchService, embedding_model: str | None) -> None:
        self.store = store
        self.search = search
        self.embedding_model = embedding_model
        self.ranker = Ranker()
        self.embeddings = EmbeddingCache()

    def warm(self) -> None:
        """Ranks a made-up job for a made-up resume with a ranker of its own (this one's caches stay
        empty), so that what ranking loads on first use (the skill taxonomy and its compiled matcher, the
        fields of work, the gazetteer) is loaded before the first client asks."""
        resume = Resume(resume_id="warm-up", headline="Data Scientist", location="Berlin", skills=["Python"])
        job = Job(
            job_id="warm-up", source="warm-up", source_id="1", title="Data Scientist", location="Berlin",
            description="Python and SQL for our analytics team.",
        )  # fmt: skip
        Ranker().rank(build_profile(resume), [job]).matches(1)

    def resume(self, resume_id: str) -> Resume:
        resume = self.store.get_resume(resume_id)
        if resume is None:
            raise JobsearchError(
                f"no resume with id '{resume_id}': call parse_resume first and use the resume_id it returns"
            )
        return resume

    def pair(self, resume_id: str, job_id: str) -> tuple[Resume, Job]:
        """The resume and the job an LLM tool compares; an unknown id raises with what to do."""
        resume = self.resume(resume_id)
        job = self.store.get_job(job_id, include_expired=True)
        if job is None:
            raise JobsearchError(
                f"no job with id '{job_id}': use a job_id from "
                "search_jobs (or import_jobs) results; ids are kept "
                "until the job cache is purged"
            )
        return resume, job

    async def match(
        self,
        resume_id: str,
        *,
        job_ids: list[str] | None = None,
        query: str | None = None,
        location: str | None = None,
        sources: list[str] | None = None,
        top_k: int = 10,
        use_llm: bool = False,
        min_salary: float | None = None,
        llm: BaseLLM | None = None,
        progress: ProgressFn | None = None,
    ) -> MatchResult:
        """Ranks `job_ids`, or the results of searching `query` on `sources` (default: the default boards),
        or every cached job (searching the resume's latest title when nothing is cached). `llm` is
        needed for embeddings and use_llm."""
        if not 1 <= top_k <= MAX_TOP_K:
            raise JobsearchError(f"top_k must be between 1 and {MAX_TOP_K}, got {top_k}")
        resume = await anyio.to_thread.run_sync(self.resume, resume_id)
        jobs, search_id, searched, notes = await self._jobs(
            resume, job_ids, query, location, sources, progress, llm if use_llm else None
        )
        hidden = {p.job_id for p in await anyio.to_thread.run_sync(self.store.hidden_postings, "")}
        jobs = [job for job in jobs if job.job_id not in hidden]  # "not for me" everywhere (hide_job)
        if not jobs:
            raise JobsearchError(
                "every job to rank was hidden with hide_job (not for the user): search for others, or pass "
                "other job_ids"
            )
        profile = await run_cpu(partial(build_profile, resume, location=location, min_salary=min_salary))
        ranking = await run_cpu(self.ranker.rank, profile, jobs)
        ranking.notes[:0] = notes
        methods: list = ["lexical"]
        model = self.embedding_model
        if model and llm is not None:
            await blend_semantic(ranking, llm, model, self.embeddings)
            if "semantic" in ranking.parts:
                methods.append("semantic")
        if use_llm and await self._llm_rerank(ranking, llm, top_k, resume.language, progress):
            methods.append("llm")
        matches = await run_cpu(ranking.matches, top_k)
        result = MatchResult(
            resume_id=resume_id,
            match_id=uuid.uuid4().hex[:12],
            ranked=len(jobs),
            total=len(matches),
            methods=methods,
            search_id=search_id,
            query=searched,
            notes=ranking.notes,
            matches=matches,
        )
        kept = result.model_dump_json()
        await anyio.to_thread.run_sync(self.store.save_ranking, result.match_id, kept, KEPT_RANKINGS)
        return result

    def page(self, result_or_id: MatchResult | str, offset: int = 0, budget_chars: int = REPLY_BUDGET_CHARS) -> MatchResult:
        """The matches of a ranking from `offset`, as many as the reply budget holds (at least one). Given
        a match_id, it reads the database: call it in a worker thread."""
        if isinstance(result_or_id, MatchResult):
            result = result_or_id
        else:
            found = self.store.get_ranking(result_or_id)
            if found is None:
                raise JobsearchError(
                    f"no ranking with match_id {result_or_id!r} (the last {KEPT_RANKINGS} rankings are kept): "
                    "call match_jobs again without match_id"
                )
            result = MatchResult.model_validate_json(found)
        if offset < 0 or (offset >= result.total and offset > 0):
            raise JobsearchError(f"offset {offset} is outside this ranking's {result.total} matches")
        page = result.model_copy(update={"offset": offset, "next_offset": result.total, "matches": []})
        taken = fill_page(page, page.matches, result.matches[offset : offset + MAX_PAGE_MATCHES], budget_chars)
        end = offset + taken
        page.next_offset = end if end < result.total else None
        return page

    async def _llm_rerank(
        self, ranking: Ranking, llm: BaseLLM | None, top_k: int, language: str, progress: ProgressFn | None
    ) -> bool:
        if llm is None or not llm.available:
            reason = getattr(llm, "reason", "no model is configured (LLM_BACKEND)")
            ranking.notes.append(
                f"use_llm: the model is not available ({reason}); the deterministic ranking is shown"
            )
            return False
        top_n = min(top_k, MAX_LLM_JOBS)
        if top_k > MAX_LLM_JOBS:
            ranking.notes.append(
                f"the LLM judged the top {MAX_LLM_JOBS} jobs; the rest keep their deterministic order"
            )
        return await llm_rerank(ranking, llm, top_n, language, progress)

    async def _jobs(
        self,
        resume: Resume,
        job_ids: list[str] | None,
        query: str | None,
        location: str | None,
        sources: list[str] | None,
        progress: ProgressFn | None,
        llm: BaseLLM | None = None,
    ) -> tuple[list[Job], str | None, str | None, list[str]]:
        """The jobs to rank, the search that found them (if any), its query, and notes.

        With the MCP client's model on a 2026-07-28 connection the call runs again for each round of
        questions: the search of the first round is remembered and its jobs re-read, never searched again."""
        store = self.store
        if job_ids is not None and not any(job_id.strip() for job_id in job_ids):
            raise JobsearchError(
                "job_ids is empty: pass job_id values from search_jobs or import_jobs, give a query to "
                "search for, or leave both out to rank every cached job"
            )
        if job_ids:
            jobs = await anyio.to_thread.run_sync(store.get_jobs, job_ids)
            unknown = len(set(job_ids)) - len(jobs)
            if not jobs:
                raise JobsearchError(
                    "none of the job_ids is known: use job_id values from search_jobs or import_jobs results"
                )
            notes = (
                [f"{unknown} of the job_ids are unknown (never searched, or purged) and were skipped"]
                if unknown
                else []
            )
            return jobs, None, None, notes
        if not query:
            cached = await anyio.to_thread.run_sync(lambda: store.list_jobs(limit=MAX_CACHED_JOBS))
            if cached:
                return cached, None, None, []
            query = default_query(resume)
            if not query:
                raise JobsearchError(
                    "no jobs are cached and the resume names no job title to search for: pass a query "
                    "(a job title and a skill), or call search_jobs first"
                )
        rounds = llm if isinstance(llm, SamplingLLM) and llm.asks_in_rounds else None
        earlier = rounds.recall("search_id") if rounds is not None else None
        if earlier is not None:
            result = await self.search.page(earlier)
            stored = await anyio.to_thread.run_sync(store.get_search, earlier)
            jobs = await anyio.to_thread.run_sync(store.get_jobs, stored.job_ids if stored else [])
        else:
            result, jobs = await self.search.search_all(
                SearchQuery(query=query, location=location, limit=SEARCH_LIMIT), sources, progress
            )
            if rounds is not None:
                rounds.remember("search_id", result.search_id)
        notes = [
            f"{report.source}: {report.status}" + (f" ({report.message})" if report.message else "")
            for report in result.sources
            if report.status not in (SourceStatus.OK, SourceStatus.EMPTY)
        ]
        if not jobs:
            raise JobsearchError(
                f"searching '{query}' found no jobs"
                + (f" ({'; '.join(notes)})" if notes else "")
                + ": try other words, another location, or other sources with search_jobs"
            )
        return jobs, result.search_id, query, notes

    async def advice(
        self,
        resume_id: str,
        target_role: str | None = None,
        llm: BaseLLM | None = None,
        progress: ProgressFn | None = None,
    ) -> SearchAdvice:
        """Next steps for the job search: the model's plan when it is available, else the gap analysis."""
        resume = await anyio.to_thread.run_sync(self.resume, resume_id)
        cached = await anyio.to_thread.run_sync(lambda: self.store.list_jobs(limit=MAX_CACHED_JOBS))
        if not cached:
            raise JobsearchError(
                "no jobs are cached yet, so there is nothing to compare the resume with: run search_jobs "
                "(or match_jobs with a query) for the roles you want, then ask again"
            )
        profile = await run_cpu(build_profile, resume)
        ranking = await run_cpu(self.ranker.rank, profile, cached)
        analysis = await run_cpu(gap_analysis, resume, ranking, target_role)
        if llm is None or not llm.available:
            return analysis
        target = target_role or "jobs like these: " + "; ".join(analysis.titles_to_search)
        prompt = TemplatePrompt(
            "skill_gap_plan",
            resume.language,
            arguments={
                "target": target,
                "missing_skills": ", ".join(s.skill for s in analysis.skills_to_learn),
            },
            data={"resume": ("resume", resume_text(resume))},
        )
        try:
            plan = await llm.complete_json(prompt, GapPlan, progress=progress)
        except (LLMError, LLMUnavailable) as exc:
            analysis.notes.append(
                f"the model could not write the plan ({exc}); this is the deterministic gap analysis"
            )
            return analysis
        asked = {s.skill.lower(): s.jobs_asking for s in analysis.skills_to_learn}
        for skill in plan.skills_to_learn:
            skill.jobs_asking = asked.get(skill.skill.lower())
        return SearchAdvice(
            **plan.model_dump(),
            resume_id=resume_id,
            target_role=target_role,
            method="llm",
            jobs_analysed=analysis.jobs_analysed,
            notes=analysis.notes,
        )
