"""The one small interface every job board implements.

A source turns a `SearchQuery` into `Job`s. Browser sources fetch pages through the shared browser
pool, HTTP sources through the shared polite HTTP client; both parse with plain functions that take
page text and return jobs, so parsers are tested on saved real pages without a network.

Adding a board = one module in this package with a `Source` subclass, listed in `registry.py`, plus
one folder of saved pages under `tests/fixtures/sources/<name>/`.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import BaseModel, Field

from ..errors import JobsearchError
from ..jobs.models import Job, SourceStatus

if TYPE_CHECKING:
    from ..browser.pool import BrowserPool
    from ..config import Settings
    from .http import PoliteClient


class SearchQuery(BaseModel):
    query: str = Field(description="keywords: a job title and a skill or two")
    location: str | None = None
    remote_only: bool = False
    posted_within_days: int | None = None
    limit: int = 25
    company: str | None = Field(None, description="company board slug for greenhouse / lever / ashby")


class SourceError(JobsearchError):
    """A source could not deliver; `status` says how (blocked, login_required, timeout, error)."""

    status: SourceStatus = SourceStatus.ERROR

    def __init__(self, message: str, status: SourceStatus | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


class BlockedError(SourceError):
    """A captcha, bot wall or HTTP 403/429 page: never reported as 'no jobs'."""

    status = SourceStatus.BLOCKED


class LoginRequiredError(SourceError):
    """The board shows a login wall; `jobsearch-mcp login <source>` fixes it."""

    status = SourceStatus.LOGIN_REQUIRED


@dataclass
class SourceContext:
    """What a source gets to do its work. Built once per process by the search service."""

    settings: Settings
    http: PoliteClient
    browser: BrowserPool | None  # None when no browser can be started here

    def base_url(self, source: Source) -> str:
        """The source's base URL, overridable by JOBSEARCH_<SOURCE>_BASE_URL (tests, mirrors, proxies)."""
        override = os.environ.get(f"JOBSEARCH_{source.name.upper()}_BASE_URL")
        return (override or source.default_base_url).rstrip("/")


class Source(ABC):
    name: ClassVar[str]  # e.g. "linkedin"; also the key in JOBSEARCH_<NAME>_BASE_URL
    kind: ClassVar[Literal["browser", "http", "file"]]
    default_base_url: ClassVar[str]
    needs_company: ClassVar[bool] = False  # greenhouse / lever / ashby search one company's board
    requires_login: ClassVar[bool] = False

    @abstractmethod
    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        """Jobs for `query`; raises `SourceError` (or a subclass) when the board could not answer."""

    async def details(self, job: Job, ctx: SourceContext) -> Job:
        """The job with its full description; by default the job as it is (HTTP APIs return it whole)."""
        return job
