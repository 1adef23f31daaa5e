"""BambooHR career sites: `GET https://<company>.bamboohr.com/careers/list`, details from `/careers/<id>/detail`.

The list holds each opening's name, department, employment status, office (`location`, or the ATS
address `atsLocation`) and remote flag (`isRemote`, `locationType` "2"); no description and no date,
which the details answer adds with the pay when the company shows it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job
from ..jobs.salary import parse_salary
from ..jobs.text import html_to_markdown
from ..workers import off_loop
from .base import SourceContext, SourceError, job_records
from .company_board import CompanyBoardSource, place_name
from .pages import with_details

_LOCATION_TYPES = {"0": False, "1": False, "2": True}  # on-site, hybrid, remote


class BambooHRSource(CompanyBoardSource):
    name: ClassVar[str] = "bamboohr"
    default_base_url: ClassVar[str] = "https://{company}.bamboohr.com"
    board_path: ClassVar[str] = "/careers/list"
    careers_url_form: ClassVar[str] = "https://<company>.bamboohr.com/careers"
    slug_example: ClassVar[str] = "bamboohr"
    searches_location: ClassVar[bool] = False

    def parse(self, payload: Any, company: str) -> list[Job]:
        return parse_bamboohr(payload, company=company)

    async def details(self, job: Job, ctx: SourceContext) -> Job:
        company, _, opening = job.source_id.partition("/")
        async with self.wrong_company_on_404(company):
            payload = await ctx.http.get_json(f"{ctx.base_url(self, company)}/careers/{opening}/detail")
        return with_details(job, await off_loop(parse_bamboohr_detail, payload, job))


def parse_bamboohr(payload: Any, *, company: str, base_url: str | None = None) -> list[Job]:
    """Jobs of a careers list answer (`{"meta": {"totalCount": n}, "result": [...]}`)."""
    base = base_url or f"https://{company}.bamboohr.com"
    return [
        _job(raw, company, base)
        for raw in job_records(payload, "bamboohr", "result")
        if raw.get("jobOpeningName") and raw.get("id")
    ]


def _place(raw: dict) -> str | None:
    location = raw.get("location") if isinstance(raw.get("location"), dict) else {}
    ats = raw.get("atsLocation") if isinstance(raw.get("atsLocation"), dict) else {}
    return place_name(location.get("city"), location.get("state")) or place_name(
        ats.get("city"), ats.get("state") or ats.get("province"), ats.get("country")
    )


def _remote(raw: dict) -> bool | None:
    if raw.get("isRemote") is True:
        return True
    return _LOCATION_TYPES.get(str(raw.get("locationType")))


def _job(raw: dict, company: str, base: str) -> Job:
    return build_job(
        source="bamboohr",
        source_id=f"{company}/{raw['id']}",
        title=raw["jobOpeningName"],
        company=company,
        location=_place(raw),
        remote=_remote(raw),
        employment_type=raw.get("employmentStatusLabel"),
        url=f"{base}/careers/{raw['id']}",
        tags=[raw.get("departmentLabel")],
    )


def parse_bamboohr_detail(payload: Any, job: Job) -> Job:
    """The opening of a `/careers/<id>/detail` answer (`{"result": {"jobOpening": {...}}}`)."""
    opening = ((payload.get("result") or {}) if isinstance(payload, dict) else {}).get("jobOpening")
    if not isinstance(opening, dict) or not opening.get("jobOpeningName"):
        raise SourceError("bamboohr answered a job's details without jobOpening: the API may have changed")
    compensation = opening.get("compensation")
    return build_job(
        source="bamboohr",
        source_id=job.source_id,
        title=opening["jobOpeningName"],
        company=job.company,
        location=_place(opening),
        remote=_remote(opening),
        salary=parse_salary(compensation) if isinstance(compensation, str) else None,
        employment_type=opening.get("employmentStatusLabel"),
        posted_at=parse_posted(opening.get("datePosted")),
        url=opening.get("jobOpeningShareUrl") or job.url,
        description=html_to_markdown(opening.get("description")),
        tags=[opening.get("departmentLabel")],
    )
