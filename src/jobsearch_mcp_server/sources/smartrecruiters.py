"""SmartRecruiters: `GET /v1/companies/<companyIdentifier>/postings` on api.smartrecruiters.com.

The board searches itself (`q`) and answers up to 100 postings a page (`offset`, `totalFound`). A list
posting has the title, one office (with `remote` / `hybrid` flags), employment type, experience level and
release date; its details (`/postings/<id>`) add the job ad's sections, the pay and the apply link. A
company identifier SmartRecruiters does not know answers an empty list, not a 404.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.filters import passing
from ..jobs.models import Job, Salary, SalaryPeriod
from ..jobs.salary import parse_amount, salary_from_range
from ..jobs.text import html_to_markdown
from ..workers import off_loop
from .base import SearchQuery, SourceContext, SourceError, job_records
from .company_board import CompanyBoardSource, place_name, read_pages
from .pages import with_details

PAGE_SIZE = 100  # the API's largest page
_PERIODS: dict[str, SalaryPeriod] = {
    "HOURLY": "hour",
    "DAILY": "day",
    "WEEKLY": "week",
    "MONTHLY": "month",
    "YEARLY": "year",
    "ANNUALLY": "year",
}
_SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


class SmartRecruitersSource(CompanyBoardSource):
    name: ClassVar[str] = "smartrecruiters"
    default_base_url: ClassVar[str] = "https://api.smartrecruiters.com"
    board_path: ClassVar[str] = "/v1/companies/{slug}/postings"
    careers_url_form: ClassVar[str] = "https://jobs.smartrecruiters.com/<companyIdentifier>"
    slug_example: ClassVar[str] = "Visa"
    searches_location: ClassVar[bool] = False
    page_size: ClassVar[int] = PAGE_SIZE
    max_pages: ClassVar[int] = 3

    def parse(self, payload: Any, company: str) -> list[Job]:
        return parse_smartrecruiters(payload, company=company)

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        company = self.company_slug(query)
        url = ctx.base_url(self, company) + self.board_path.format(slug=company)

        async def fetch_page(offset: int) -> tuple[list[Job], int | None]:
            params = {"limit": str(self.page_size), "offset": str(offset)}
            if query.query:
                params["q"] = query.query
            async with self.wrong_company_on_404(company):
                payload = await ctx.http.get_json(url, params=params)
            total = payload.get("totalFound") if isinstance(payload, dict) else None
            return await off_loop(parse_smartrecruiters, payload, company=company), total

        jobs = await read_pages(fetch_page, query.limit, self.page_size, self.max_pages)
        return passing(jobs, query, with_location=False)[: query.limit]

    async def details(self, job: Job, ctx: SourceContext) -> Job:
        company, _, posting_id = job.source_id.partition("/")
        url = f"{ctx.base_url(self, company)}{self.board_path.format(slug=company)}/{posting_id}"
        async with self.wrong_company_on_404(company):
            payload = await ctx.http.get_json(url)
        return with_details(job, await off_loop(parse_smartrecruiters_posting, payload, company=company))


def parse_smartrecruiters(payload: Any, *, company: str) -> list[Job]:
    """Jobs of one page of a postings answer (`{"totalFound": n, "content": [...]}`)."""
    return [
        _job(raw, company)
        for raw in job_records(payload, "smartrecruiters", "content")
        if raw.get("name") and raw.get("id")
    ]


def parse_smartrecruiters_posting(payload: Any, *, company: str) -> Job:
    """One posting's details answer: the list fields plus description, pay and links."""
    if not isinstance(payload, dict) or not payload.get("name") or not payload.get("id"):
        raise SourceError("smartrecruiters answered a posting without name and id: the API may have changed")
    sections = ((payload.get("jobAd") or {}).get("sections")) or {}
    html = "".join(
        f"<h3>{part.get('title') or ''}</h3>{part.get('text') or ''}"
        for key in _SECTIONS
        if isinstance(part := sections.get(key), dict) and part.get("text")
    )
    return _job(payload, company, description=html_to_markdown(html))


def _job(raw: dict, company: str, description: str | None = None) -> Job:
    location = raw.get("location") if isinstance(raw.get("location"), dict) else {}
    remote = True if location.get("remote") else (False if location.get("hybrid") else None)
    identifier = (raw.get("company") or {}).get("identifier") or company
    return build_job(
        source="smartrecruiters",
        source_id=f"{company}/{raw['id']}",
        title=raw["name"].strip(),
        company=(raw.get("company") or {}).get("name") or company,
        location=location.get("fullLocation") or place_name(location.get("city"), location.get("region")),
        remote=remote,
        salary=_salary(raw.get("compensation")),
        employment_type=_label(raw.get("typeOfEmployment")),
        posted_at=parse_posted(raw.get("releasedDate")),
        url=raw.get("postingUrl") or f"https://jobs.smartrecruiters.com/{identifier}/{raw['id']}",
        apply_url=raw.get("applyUrl"),
        description=description,
        tags=[_label(raw.get(key)) for key in ("department", "function", "experienceLevel")],
    )


def _label(node: Any) -> str | None:
    return node.get("label") if isinstance(node, dict) else None


def _salary(compensation: Any) -> Salary | None:
    if not isinstance(compensation, dict):
        return None
    return salary_from_range(
        parse_amount(compensation.get("min")),
        parse_amount(compensation.get("max")),
        compensation.get("currency"),
        _PERIODS.get(str(compensation.get("period") or "").upper()),
    )
