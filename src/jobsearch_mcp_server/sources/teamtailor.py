"""Teamtailor career sites: the public JSON Feed `GET https://<company>.teamtailor.com/jobs.json`.

Each feed item carries the posting as schema.org `JobPosting` data (`_jobposting`: offices, pay,
employment type, remote), read the way the generic JSON-LD reader reads career pages. A feed that
continues (`next_url` on the same site) is followed for a few pages.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job
from ..jobs.text import html_to_markdown
from .base import SearchQuery, SourceContext, job_records
from .company_board import CompanyBoardSource
from .filtering import parse_matching
from .generic import json_ld_location, json_ld_salary


class TeamtailorSource(CompanyBoardSource):
    name: ClassVar[str] = "teamtailor"
    default_base_url: ClassVar[str] = "https://{company}.teamtailor.com"
    board_path: ClassVar[str] = "/jobs.json"
    careers_url_form: ClassVar[str] = "https://<company>.teamtailor.com/jobs"
    slug_example: ClassVar[str] = "tibber"
    searches_location: ClassVar[bool] = False
    max_pages: ClassVar[int] = 5

    def parse(self, payload: Any, company: str) -> list[Job]:
        return parse_teamtailor(payload, company=company)

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        company = self.company_slug(query)
        url: str | None = ctx.base_url(self, company) + self.board_path
        host = urlsplit(url).netloc
        items: list[Any] = []
        for _ in range(self.max_pages):
            async with self.wrong_company_on_404(company):
                feed = await ctx.http.get_json(url)
            items.extend(job_records(feed, "teamtailor", "items"))
            url = feed.get("next_url")
            if not isinstance(url, str) or urlsplit(url).netloc != host:
                break
        return await parse_matching(query, parse_teamtailor, {"items": items}, company=company)


def parse_teamtailor(payload: Any, *, company: str | None = None) -> list[Job]:
    """Jobs of a Teamtailor JSON Feed (`{"items": [...]}`); `company` is the site's subdomain."""
    return [_job(raw, company) for raw in job_records(payload, "teamtailor", "items") if raw.get("title")]


def _job(raw: dict, company: str | None) -> Job:
    posting = raw.get("_jobposting") if isinstance(raw.get("_jobposting"), dict) else {}
    organization = posting.get("hiringOrganization")
    employment = posting.get("employmentType")
    return build_job(
        source="teamtailor",
        source_id=raw.get("id") or raw.get("url") or raw["title"],
        title=raw["title"],
        company=(organization.get("name") if isinstance(organization, dict) else None) or company,
        location=json_ld_location(posting.get("jobLocation")),
        remote=True if str(posting.get("jobLocationType") or "").upper() == "TELECOMMUTE" else None,
        salary=json_ld_salary(posting.get("baseSalary")),
        employment_type=" ".join(employment) if isinstance(employment, list) else employment,
        posted_at=parse_posted(raw.get("date_published") or posting.get("datePosted")),
        url=raw.get("url"),
        description=html_to_markdown(raw.get("content_html") or posting.get("description")),
        tags=raw.get("tags") or [],
    )
