"""Remotive: `GET /api/remote-jobs?search=...&limit=...` on remotive.com.

The API searches server-side; its `salary` is free text ("$90 - $150 /hour", "$36k") and every job is
remote, with `candidate_required_location` saying from where.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job
from ..jobs.salary import parse_salary
from ..jobs.text import html_to_markdown
from .base import SearchQuery, Source, SourceContext, job_records
from .filtering import parse_matching


class RemotiveSource(Source):
    name: ClassVar[str] = "remotive"
    kind: ClassVar = "http"
    default_base_url: ClassVar[str] = "https://remotive.com"

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        # Ask for more than `limit`: location and age are filtered here, after the API's keyword search.
        params = {"search": query.query, "limit": str(max(query.limit * 4, 50))}
        payload = await ctx.http.get_json(f"{ctx.base_url(self)}/api/remote-jobs", params=params)
        return await parse_matching(query, parse_remotive, payload)


def parse_remotive(payload: Any) -> list[Job]:
    """Jobs of a Remotive `remote-jobs` response (`{"jobs": [...]}`, with legal-notice keys beside it)."""
    return [
        _job(raw) for raw in job_records(payload, "remotive", "jobs") if raw.get("id") and raw.get("title")
    ]


def _job(raw: dict) -> Job:
    return build_job(
        source="remotive",
        source_id=raw["id"],
        title=raw["title"],
        company=raw.get("company_name"),
        location=raw.get("candidate_required_location"),
        remote=True,
        salary=parse_salary(raw.get("salary")),
        employment_type=raw.get("job_type"),
        posted_at=parse_posted(raw.get("publication_date")),
        url=raw.get("url"),
        description=html_to_markdown(raw.get("description")),
        tags=[raw.get("category"), *(raw.get("tags") or [])],
    )
