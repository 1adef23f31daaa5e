"""Lever job boards: `GET /v0/postings/{company}?mode=json` on api.lever.co.

The answer is a bare list of postings. A posting's description is split in parts (`description`,
`lists` of requirement bullets, `additional`); they are joined into one Markdown text here.
"""

from __future__ import annotations

from html import escape
from typing import Any, ClassVar

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job, Salary, SalaryPeriod
from ..jobs.salary import parse_amount, salary_from_range
from ..jobs.text import html_to_markdown
from .base import job_records
from .company_board import CompanyBoardSource

# Lever's salaryRange.interval values.
_INTERVALS: dict[str, SalaryPeriod] = {
    "per-year-salary": "year",
    "per-month-salary": "month",
    "per-week-salary": "week",
    "per-day-wage": "day",
    "per-hour-wage": "hour",
}
_WORKPLACE_REMOTE = {"remote": True, "on-site": False, "onsite": False, "hybrid": False}


class LeverSource(CompanyBoardSource):
    name: ClassVar[str] = "lever"
    default_base_url: ClassVar[str] = "https://api.lever.co"
    board_path: ClassVar[str] = "/v0/postings/{slug}"
    board_params: ClassVar[dict[str, str]] = {"mode": "json"}
    careers_url_form: ClassVar[str] = "https://jobs.lever.co/<slug>"

    def parse(self, payload: Any, company: str) -> list[Job]:
        return parse_lever(payload, company=company)


def parse_lever(payload: Any, *, company: str | None = None) -> list[Job]:
    """Jobs of a Lever postings response (a JSON list); `company` is the board's slug."""
    return [_job(raw, company) for raw in job_records(payload, "lever") if raw.get("text") and raw.get("id")]


def _job(raw: dict, company: str | None) -> Job:
    categories = raw.get("categories") if isinstance(raw.get("categories"), dict) else {}
    locations = categories.get("allLocations") or [categories.get("location")]
    return build_job(
        source="lever",
        source_id=raw["id"],
        title=raw["text"],
        company=company,
        location="; ".join(place for place in locations if place) or None,
        remote=_WORKPLACE_REMOTE.get(str(raw.get("workplaceType") or "").lower()),
        salary=_salary(raw.get("salaryRange")),
        employment_type=categories.get("commitment"),
        posted_at=parse_posted(raw.get("createdAt")),
        url=raw.get("hostedUrl"),
        apply_url=raw.get("applyUrl"),
        description=html_to_markdown(_description_html(raw)),
        tags=[categories.get("team"), categories.get("department"), *(raw.get("tags") or [])],
    )


def _description_html(raw: dict) -> str:
    parts = [raw.get("description") or escape(raw.get("descriptionPlain") or "")]
    for section in raw.get("lists") or []:
        if isinstance(section, dict):
            parts.append(f"<h3>{section.get('text') or ''}</h3><ul>{section.get('content') or ''}</ul>")
    parts.append(raw.get("additional") or escape(raw.get("additionalPlain") or ""))
    return "".join(part for part in parts if part)


def _salary(salary_range: Any) -> Salary | None:
    if not isinstance(salary_range, dict):
        return None
    return salary_from_range(
        parse_amount(salary_range.get("min")),
        parse_amount(salary_range.get("max")),
        salary_range.get("currency"),
        _INTERVALS.get(str(salary_range.get("interval") or "")),
    )
