"""Tools that ask the model: fit analysis, cover letters, tailored bullets, and the LLM status."""

from __future__ import annotations

from mcp.server.mcpserver import Context, MCPServer

from ..llm.status import SetupStatus, check_setup
from ..matching import advisor
from ..matching.advisor import CoverLetter, FitAnalysis, Language, TailoredResume, Tone
from ..runtime import Runtime
from .annotations import CALLS_LLM


def register(mcp: MCPServer, runtime: Runtime) -> None:
    @mcp.tool(annotations=CALLS_LLM)
    async def analyze_fit(
        resume_id: str,
        job_id: str,
        ctx: Context,
        include_reasoning: bool = False,
        language: Language | None = None,
    ) -> FitAnalysis:
        """Judge how well a parsed resume fits one job: fit_score 0-100, strengths, gaps, red flags in
        the posting, questions to ask the employer, and a short summary, each tied to evidence.
        resume_id comes from parse_resume, job_id from search_jobs or match_jobs. Takes from seconds
        to minutes (the model reasons first). include_reasoning=true adds the model's reasoning.
        language: en or zh for the texts (default: the resume's language)."""
        resume, job = runtime.matcher.pair(resume_id, job_id)
        return await advisor.analyze_fit(
            runtime.llm_client(ctx),
            resume,
            job,
            language=language,
            include_reasoning=include_reasoning,
            progress=ctx.report_progress,
        )

    @mcp.tool(annotations=CALLS_LLM)
    async def draft_cover_letter(
        resume_id: str,
        job_id: str,
        ctx: Context,
        tone: Tone = "professional",
        language: Language = "en",
        include_reasoning: bool = False,
    ) -> CoverLetter:
        """Draft a cover letter for one job from the facts in a parsed resume (250-350 words in English).
        Names or figures that appear in neither the resume nor the posting are listed in
        unsupported_terms: show them to the user to check before sending."""
        resume, job = runtime.matcher.pair(resume_id, job_id)
        return await advisor.draft_cover_letter(
            runtime.llm_client(ctx),
            resume,
            job,
            tone=tone,
            language=language,
            include_reasoning=include_reasoning,
            progress=ctx.report_progress,
        )

    @mcp.tool(annotations=CALLS_LLM)
    async def tailor_resume(
        resume_id: str,
        job_id: str,
        ctx: Context,
        language: Language | None = None,
        include_reasoning: bool = False,
    ) -> TailoredResume:
        """Suggest rewritten resume bullet points aimed at one job. Every bullet rewrites one existing
        resume line (given as line and original); suggestions that name an employer, skill or figure
        the resume does not contain are moved to rejected with the reason, never offered as facts."""
        resume, job = runtime.matcher.pair(resume_id, job_id)
        return await advisor.tailor_resume(
            runtime.llm_client(ctx),
            resume,
            job,
            language=language,
            include_reasoning=include_reasoning,
            progress=ctx.report_progress,
        )

    @mcp.tool(annotations=CALLS_LLM)
    async def llm_status(ctx: Context) -> SetupStatus:
        """Check the setup behind the LLM tools: is the endpoint reachable, is the model served, does a
        one-token completion work and how long it takes, the embedding model if one is set, and
        whether a browser for browser-based job boards is installed. Use it when an LLM tool fails."""
        return await check_setup(runtime.settings, runtime.llm_client(ctx))
