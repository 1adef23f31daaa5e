"""Greenhouse job boards: `GET /v1/boards/{company}/jobs?content=true` on boards-api.greenhouse.io.

The API lists every open job of one company with its description (`content`, HTML that arrives
entity-escaped), so keywords, location and age are filtered here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job, Salary
from ..jobs.salary import parse_amount, salary_from_range
from ..jobs.text import html_to_markdown
from .base import job_records
from .company_board import CompanyBoardSource


class GreenhouseSource(CompanyBoardSource):
    name: ClassVar[str] = "greenhouse"
    default_base_url: ClassVar[str] = "https://boards-api.greenhouse.io"
    board_path: ClassVar[str] = "/v1/boards/{slug}/jobs"
    board_params: ClassVar[dict[str, str]] = {"content": "true"}
    careers_url_form: ClassVar[str] = "https://boards.greenhouse.io/<slug>"

    def parse(self, payload: Any, company: str) -> list[Job]:
        return parse_greenhouse(payload, company=company)


def parse_greenhouse(payload: Any, *, company: str | None = None) -> list[Job]:
    """Jobs of a Greenhouse board response (`{"jobs": [...]}`); `company` names the board when jobs don't."""
    return [_job(raw, company) for raw in job_records(payload, "greenhouse", "jobs") if raw.get("title")]


def _job(raw: dict, company: str | None) -> Job:
    metadata = {
        item.get("name"): item.get("value") for item in raw.get("metadata") or [] if isinstance(item, dict)
    }
    departments = [dept.get("name") for dept in raw.get("departments") or [] if isinstance(dept, dict)]
    location = (raw.get("location") or {}).get("name") if isinstance(raw.get("location"), dict) else None
    workplace = metadata.get("Workplace Type") or metadata.get("Location Type")
    return build_job(
        source="greenhouse",
        source_id=raw["id"],
        title=raw["title"],
        company=raw.get("company_name") or company,
        location=location,
        remote=None if workplace is None else str(workplace).strip().lower() == "remote",
        salary=_salary(raw, metadata),
        employment_type=metadata.get("Employment Type") or metadata.get("Time Type"),
        posted_at=parse_posted(raw.get("first_published") or raw.get("updated_at")),
        url=raw.get("absolute_url"),
        description=html_to_markdown(raw.get("content")),
        tags=departments,
    )


def _salary(raw: dict, metadata: dict[str, Any]) -> Salary | None:
    """Pay from `pay_input_ranges` (cents) or a "Pay Transparency Range" metadata field, when the board shows one."""
    for pay in raw.get("pay_input_ranges") or []:
        cents = (pay.get("min_cents"), pay.get("max_cents"))
        if any(cents):
            low, high = (value / 100 if value else None for value in cents)
            return salary_from_range(low, high, pay.get("currency_type"), None, text=pay.get("title"))
    for name, value in metadata.items():
        if isinstance(value, dict) and "min_value" in value and "pay" in str(name).lower():
            low, high = parse_amount(value.get("min_value")), parse_amount(value.get("max_value"))
            return salary_from_range(low, high, value.get("unit"), None)
    return None
