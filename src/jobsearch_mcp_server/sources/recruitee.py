"""Recruitee career sites: `GET https://<company>.recruitee.com/api/offers/`.

One answer lists every published offer with its description and requirements (HTML), its offices
(`locations`), remote / hybrid / on-site flags, pay when shown, and the careers and apply links.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job, Salary, SalaryPeriod
from ..jobs.salary import parse_amount, salary_from_range
from ..jobs.text import html_to_markdown
from .base import job_records
from .company_board import CompanyBoardSource, joined_places, place_name

_PERIODS: dict[str, SalaryPeriod] = {
    "hour": "hour",
    "day": "day",
    "week": "week",
    "month": "month",
    "year": "year",
}
# Recruitee's employment_type_code values that its words alone do not say.
_EMPLOYMENT = {
    "fulltime": "full-time",
    "parttime": "part-time",
    "internship": "internship",
    "freelance": "contract",
}


class RecruiteeSource(CompanyBoardSource):
    name: ClassVar[str] = "recruitee"
    default_base_url: ClassVar[str] = "https://{company}.recruitee.com"
    board_path: ClassVar[str] = "/api/offers/"
    careers_url_form: ClassVar[str] = "https://<company>.recruitee.com"
    slug_example: ClassVar[str] = "channable"
    searches_location: ClassVar[bool] = False

    def parse(self, payload: Any, company: str) -> list[Job]:
        return parse_recruitee(payload, company=company)


def parse_recruitee(payload: Any, *, company: str | None = None) -> list[Job]:
    """Jobs of an offers answer (`{"offers": [...]}`); `company` is the board's subdomain."""
    return [
        _job(raw, company)
        for raw in job_records(payload, "recruitee", "offers")
        if raw.get("title") and raw.get("id")
    ]


def _job(raw: dict, company: str | None) -> Job:
    offices = [
        place_name(place.get("city") or place.get("name"), place.get("state"), place.get("country"))
        for place in raw.get("locations") or []
        if isinstance(place, dict)
    ]
    remote = True if raw.get("remote") else (False if raw.get("hybrid") or raw.get("on_site") else None)
    code = str(raw.get("employment_type_code") or "")
    description = "".join(part for part in (raw.get("description"), raw.get("requirements")) if part)
    return build_job(
        source="recruitee",
        source_id=raw["id"],
        title=raw["title"],
        company=raw.get("company_name") or company,
        location=joined_places(offices) or raw.get("location"),
        remote=remote,
        salary=_salary(raw.get("salary")),
        employment_type=_EMPLOYMENT.get(code.split("_")[0]) or code.replace("_", " "),
        posted_at=parse_posted(raw.get("published_at") or raw.get("created_at")),
        url=raw.get("careers_url"),
        apply_url=raw.get("careers_apply_url"),
        description=html_to_markdown(description),
        tags=[raw.get("department"), *(raw.get("tags") or [])],
    )


def _salary(salary: Any) -> Salary | None:
    if not isinstance(salary, dict):
        return None
    return salary_from_range(
        parse_amount(salary.get("min")),
        parse_amount(salary.get("max")),
        salary.get("currency"),
        _PERIODS.get(str(salary.get("period") or "").lower()),
    )
