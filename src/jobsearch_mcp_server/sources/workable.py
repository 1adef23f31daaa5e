"""Workable: the careers widget API `GET /api/v1/widget/accounts/<account>?details=true` on apply.workable.com.

One answer holds the account's name and every published job with its offices (`locations`), remote flag
(`telecommuting`), employment type, dates, links and (with details) the description.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job
from ..jobs.text import html_to_markdown
from .base import job_records
from .company_board import CompanyBoardSource, joined_places, place_name


class WorkableSource(CompanyBoardSource):
    name: ClassVar[str] = "workable"
    default_base_url: ClassVar[str] = "https://apply.workable.com"
    board_path: ClassVar[str] = "/api/v1/widget/accounts/{slug}"
    board_params: ClassVar[dict[str, str]] = {"details": "true"}
    careers_url_form: ClassVar[str] = "https://apply.workable.com/<account>"
    slug_example: ClassVar[str] = "crewai"
    searches_location: ClassVar[bool] = False

    def parse(self, payload: Any, company: str) -> list[Job]:
        return parse_workable(payload, company=company)


def parse_workable(payload: Any, *, company: str | None = None) -> list[Job]:
    """Jobs of a widget answer (`{"name": ..., "jobs": [...]}`); `company` is the account."""
    name = payload.get("name") if isinstance(payload, dict) else None
    return [
        _job(raw, name or company)
        for raw in job_records(payload, "workable", "jobs")
        if raw.get("title") and raw.get("shortcode")
    ]


def _job(raw: dict, company: str | None) -> Job:
    offices = [
        place_name(place.get("city"), place.get("region"), place.get("country"))
        for place in raw.get("locations") or []
        if isinstance(place, dict) and not place.get("hidden")
    ]
    telecommuting = raw.get("telecommuting")
    return build_job(
        source="workable",
        source_id=raw["shortcode"],
        title=raw["title"],
        company=company,
        location=joined_places(offices) or place_name(raw.get("city"), raw.get("state"), raw.get("country")),
        remote=True if telecommuting is True else None,
        employment_type=raw.get("employment_type"),
        posted_at=parse_posted(raw.get("published_on") or raw.get("created_at")),
        url=raw.get("url") or raw.get("shortlink"),
        apply_url=raw.get("application_url"),
        description=html_to_markdown(raw.get("description")),
        tags=[raw.get("department"), raw.get("function"), raw.get("experience")],
    )
