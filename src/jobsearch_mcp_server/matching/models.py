"""What matching returns: per job a score in [0, 1], the parts it is made of, skills and a reason."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..jobs.models import JobSummary

PartName = Literal[
    "text",
    "skills",
    "domain",
    "title",
    "occupation",
    "seniority",
    "experience",
    "location",
    "salary",
    "semantic",
    "llm",
]


class ScoreParts(BaseModel):
    """Each part is in [0, 1]; None means this job or resume gives nothing to compare, and the part
    is left out of the score (its weight goes to the others)."""

    text: float | None = Field(
        None, description="BM25F word relevance (title and description), relative to the best job ranked"
    )
    skills: float | None = Field(None, description="required skills held (nice-to-have count half)")
    domain: float | None = Field(
        None, description="same field of work: the skill categories of job and resume"
    )
    title: float | None = Field(None, description="how much of the job title the resume's titles cover")
    occupation: float | None = Field(
        None,
        description="the fields the job title names (Data Science, Sales, DevOps): in the resume's own titles "
        "(1) or only among its skills (0.6)",
    )
    seniority: float | None = Field(None, description="job level vs. the resume's level")
    experience: float | None = Field(None, description="years of experience vs. years asked")
    location: float | None = Field(None, description="remote, same city, same region, or elsewhere")
    salary: float | None = Field(None, description="posted pay vs. the pay the person asks for")
    semantic: float | None = Field(
        None, description="embedding cosine similarity, when an embedding model is configured"
    )
    llm: float | None = Field(None, description="the LLM's fit verdict, when use_llm re-ranked this job")


class JobMatch(JobSummary):
    """A job as search results list it, with its rank, score and the why."""

    rank: int
    score: float = Field(description="0..1, the weighted mean of the known parts")
    parts: ScoreParts
    matched_skills: list[str] = Field(
        default_factory=list, description="skills the job names that the resume has"
    )
    missing_skills: list[str] = Field(
        default_factory=list, description="required skills the resume does not show"
    )
    missing_nice_to_have: list[str] = Field(default_factory=list)
    years_asked: str | None = Field(None, description="the posting's words, e.g. '5+ years'")
    reason: str = Field(description="one line: why this job ranks where it does")
    llm_verdict: str | None = Field(None, description="the LLM's own one-line judgement, when re-ranked")


Method = Literal["lexical", "semantic", "llm"]


class MatchResult(BaseModel):
    resume_id: str
    match_id: str = Field(description="this ranking's handle: pass it with offset=next_offset for more")
    ranked: int = Field(description="how many jobs were scored")
    total: int = Field(0, description="how many ranked jobs this result holds in all (top_k at most)")
    offset: int = Field(0, description="rank - 1 of the first match in this page")
    next_offset: int | None = Field(
        None, description="pass with match_id for the next page of matches; None at the end"
    )
    methods: list[Method] = Field(
        description="lexical always; semantic when embeddings were blended in; llm when re-ranked"
    )
    search_id: str | None = Field(None, description="set when match_jobs searched the boards first")
    query: str | None = None
    notes: list[str] = Field(
        default_factory=list, description="fallbacks and problems, e.g. an LLM that failed"
    )
    matches: list[JobMatch]
