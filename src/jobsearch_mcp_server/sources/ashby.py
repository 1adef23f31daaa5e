"""Ashby job boards: `GET /posting-api/job-board/{company}?includeCompensation=true` on api.ashbyhq.com.

Unlisted postings (`isListed: false`) are skipped. Pay comes from the compensation block only when the
company chose to show it (`shouldDisplayCompensationOnJobPostings`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job, Salary, SalaryPeriod
from ..jobs.salary import parse_amount, parse_salary, salary_from_range
from ..jobs.text import html_to_markdown
from .base import job_records
from .company_board import CompanyBoardSource

_INTERVALS: dict[str, SalaryPeriod] = {
    "1 YEAR": "year",
    "1 MONTH": "month",
    "1 WEEK": "week",
    "1 DAY": "day",
    "1 HOUR": "hour",
}


class AshbySource(CompanyBoardSource):
    name: ClassVar[str] = "ashby"
    default_base_url: ClassVar[str] = "https://api.ashbyhq.com"
    board_path: ClassVar[str] = "/posting-api/job-board/{slug}"
    board_params: ClassVar[dict[str, str]] = {"includeCompensation": "true"}
    careers_url_form: ClassVar[str] = "https://jobs.ashbyhq.com/<slug>"

    def parse(self, payload: Any, company: str) -> list[Job]:
        return parse_ashby(payload, company=company)


def parse_ashby(payload: Any, *, company: str | None = None) -> list[Job]:
    """Jobs of an Ashby job-board response (`{"jobs": [...]}`); `company` is the board's slug."""
    return [
        _job(raw, company)
        for raw in job_records(payload, "ashby", "jobs")
        if raw.get("title") and raw.get("id") and raw.get("isListed", True) is not False
    ]


def _job(raw: dict, company: str | None) -> Job:
    secondary = [
        place.get("location") for place in raw.get("secondaryLocations") or [] if isinstance(place, dict)
    ]
    workplace = str(raw.get("workplaceType") or "").lower()
    remote = raw.get("isRemote") if workplace in ("", "remote") else False
    return build_job(
        source="ashby",
        source_id=raw["id"],
        title=raw["title"],
        company=company,
        location="; ".join(place for place in [raw.get("location"), *secondary] if place) or None,
        remote=remote if isinstance(remote, bool) else None,
        salary=_salary(raw),
        employment_type=raw.get("employmentType"),
        posted_at=parse_posted(raw.get("publishedAt")),
        url=raw.get("jobUrl"),
        apply_url=raw.get("applyUrl"),
        description=html_to_markdown(raw.get("descriptionHtml") or raw.get("descriptionPlain")),
        tags=[raw.get("department"), raw.get("team")],
    )


def _salary(raw: dict) -> Salary | None:
    compensation = raw.get("compensation")
    if not isinstance(compensation, dict) or raw.get("shouldDisplayCompensationOnJobPostings") is False:
        return None
    summary = compensation.get("scrapeableCompensationSalarySummary") or compensation.get(
        "compensationTierSummary"
    )
    for component in compensation.get("summaryComponents") or []:
        if isinstance(component, dict) and component.get("compensationType") == "Salary":
            return salary_from_range(
                parse_amount(component.get("minValue")),
                parse_amount(component.get("maxValue")),
                component.get("currencyCode"),
                _INTERVALS.get(str(component.get("interval") or "").upper()),
                text=summary,
            )
    return parse_salary(summary)
