"""Arbeitnow (jobs in Germany and Europe): `GET /api/job-board-api?page=N` on www.arbeitnow.com.

The API has no search: pages of the newest jobs are read (at most `MAX_PAGES`) and filtered here,
stopping early once enough jobs match.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job
from ..jobs.text import html_to_markdown
from .base import SearchQuery, Source, SourceContext, job_records
from .filtering import parse_matching

MAX_PAGES = 5


class ArbeitnowSource(Source):
    name: ClassVar[str] = "arbeitnow"
    kind: ClassVar = "http"
    default_base_url: ClassVar[str] = "https://www.arbeitnow.com"

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        found: list[Job] = []
        for page in range(1, MAX_PAGES + 1):
            payload = await ctx.http.get_json(
                f"{ctx.base_url(self)}/api/job-board-api", params={"page": str(page)}
            )
            found += await parse_matching(query, parse_arbeitnow, payload)
            if len(found) >= query.limit or not (payload.get("links") or {}).get("next"):
                break
        return found[: query.limit]


def parse_arbeitnow(payload: Any) -> list[Job]:
    """Jobs of one Arbeitnow page (`{"data": [...], "links": {...}, "meta": {...}}`)."""
    return [
        _job(raw) for raw in job_records(payload, "arbeitnow", "data") if raw.get("slug") and raw.get("title")
    ]


def _job(raw: dict) -> Job:
    job_types = [kind for kind in raw.get("job_types") or [] if kind]
    return build_job(
        source="arbeitnow",
        source_id=raw["slug"],
        title=raw["title"],
        company=raw.get("company_name"),
        location=raw.get("location"),
        remote=raw.get("remote") if isinstance(raw.get("remote"), bool) else None,
        employment_type=" ".join(job_types) or None,
        posted_at=parse_posted(raw.get("created_at")),
        url=raw.get("url"),
        description=html_to_markdown(raw.get("description")),
        tags=[*(raw.get("tags") or []), *job_types],
    )
