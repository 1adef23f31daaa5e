"""Typed job records. Every source, whatever the board, produces `Job`s."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

SalaryPeriod = Literal["hour", "day", "week", "month", "year"]


def make_job_id(source: str, source_id: str) -> str:
    """A stable id from the board's name and the board's own id: the same posting keeps its id across searches."""
    digest = hashlib.sha1(f"{source}:{source_id}".encode()).hexdigest()[:12]
    return f"{source}-{digest}"


class Salary(BaseModel):
    """A pay range as the posting states it, plus a yearly figure for comparison."""

    min: float | None = None
    max: float | None = None
    currency: str | None = Field(None, description="ISO 4217 code, e.g. USD, EUR, CNY")
    period: SalaryPeriod | None = None
    annual_min: float | None = Field(None, description="min converted to a yearly amount")
    annual_max: float | None = Field(None, description="max converted to a yearly amount")
    text: str | None = Field(None, description="the salary as written in the posting")


class Job(BaseModel):
    """One job posting, normalised across boards."""

    job_id: str = Field(description="stable id: source name + hash of the board's own id")
    source: str = Field(description="where the posting was published, e.g. 'linkedin', 'greenhouse'")
    source_id: str = Field(description="the board's own id for the posting (or the id the file gave)")
    details_from: str | None = Field(
        description="the board that loads the full posting by source_id; None: it is read from url"
    )
    title: str
    company: str | None = None
    location: str | None = None
    remote: bool | None = Field(None, description="True when the posting says remote; None when unknown")
    salary: Salary | None = None
    employment_type: str | None = Field(None, description="full-time, part-time, contract, internship, ...")
    seniority: str | None = Field(None, description="intern, junior, mid, senior, lead, principal, ...")
    posted_at: date | None = None
    url: str | None = None
    apply_url: str | None = None
    description: str | None = Field(None, description="the posting's text as Markdown")
    tags: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="every URL this posting was seen at (after dedup)")
    fetched_at: datetime | None = None

    @model_validator(mode="before")
    @classmethod
    def _details_from_the_source(cls, data: Any) -> Any:
        """Records stored before `details_from` existed came from their board, which loads them."""
        if isinstance(data, dict) and "details_from" not in data:
            return {**data, "details_from": data.get("source")}
        return data


class JobSummary(BaseModel):
    """What a search result lists per job: enough to choose, small enough for a model's context."""

    job_id: str
    title: str
    company: str | None = None
    location: str | None = None
    remote: bool | None = None
    salary: str | None = None
    posted_at: date | None = None
    url: str | None = None
    source: str
    other_sources: int = 0
    snippet: str | None = None


class SourceStatus(StrEnum):
    OK = "ok"
    EMPTY = "empty"
    BLOCKED = "blocked"
    LOGIN_REQUIRED = "login_required"
    TIMEOUT = "timeout"
    ERROR = "error"
    PAUSED = "paused"
    SKIPPED = "skipped"


class SourceReport(BaseModel):
    """How one source fared in one search."""

    source: str
    status: SourceStatus
    count: int = 0
    message: str | None = None
    elapsed_s: float | None = None


class SearchResult(BaseModel):
    """A page of search results plus each source's status."""

    search_id: str
    query: str
    location: str | None = None
    total: int = Field(description="jobs found after dedup")
    offset: int = 0
    next_offset: int | None = Field(None, description="pass with search_id to get the next page; None at the end")
    jobs: list[JobSummary]
    sources: list[SourceReport]


class SearchQuery(BaseModel):
    query: str = Field(description="keywords: a job title and a skill or two")
    location: str | None = None
    remote_only: bool = False
    posted_within_days: int | None = None
    limit: int = 25
    company: str | None = Field(None, description="company board slug for greenhouse / lever / ashby")
    file: str | None = Field(None, description="the jobs file a 'file:<path>' source reads")
