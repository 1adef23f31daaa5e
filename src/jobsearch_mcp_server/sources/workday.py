"""Workday career sites: `POST /wday/cxs/<tenant>/<site>/jobs` on `<tenant>.<wdN>.myworkdayjobs.com`.

A company's board is named by its careers URL's host and site, `workday:nvidia.wd5/NVIDIAExternalCareerSite`
(from `https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite`). Workday searches itself (the
`searchText` of the POST) and answers 20 postings a page, stating the total on the first page only. A list
posting has a title, path, location text ("3 Locations" for several offices), "Posted 2 Days Ago" and
sometimes `remoteType`; its details (`GET .../job/...`) add the description, every office, the time type
and the pay range written in the text.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.filters import passing
from ..jobs.models import Job
from ..jobs.salary import parse_salary
from ..jobs.text import html_to_markdown
from ..workers import off_loop
from .base import SearchQuery, SourceContext, SourceError, job_records
from .company_board import CompanyBoardSource, joined_places, read_pages
from .pages import with_details

PAGE_SIZE = 20  # Workday answers at most 20 postings a request
_COMPANY = re.compile(r"^(?P<tenant>[A-Za-z0-9-]+)\.(?P<wd>wd\d+)/(?P<site>[A-Za-z0-9_-]+)$")
_SEVERAL = re.compile(r"^\d+\s+locations?$", re.IGNORECASE)
_REMOTE_TYPES = {"remote": True, "onsite": False, "on-site": False, "hybrid": False, "flex": False}
# "Primary Location Base Pay Range: $151,500 USD - $227,300 USD" and the like, in the description.
_PAY = re.compile(r"(?:pay|salary|compensation)\s+range[^:<]{0,40}:\s*(?P<range>[^<\n]{3,80})", re.IGNORECASE)


def split_company(company: str) -> tuple[str, str, str]:
    """`"nvidia.wd5/NVIDIAExternalCareerSite"` -> ("nvidia", "wd5", "NVIDIAExternalCareerSite")."""
    match = _COMPANY.fullmatch(company)
    if not match:
        raise SourceError(
            f"{company!r} is not a Workday board: write 'workday:<tenant>.<wdN>/<site>', copied from the "
            "careers URL https://<tenant>.<wdN>.myworkdayjobs.com/<site> (e.g. 'workday:nvidia.wd5/NVIDIAExternalCareerSite')"
        )
    return match["tenant"], match["wd"], match["site"]


class WorkdaySource(CompanyBoardSource):
    name: ClassVar[str] = "workday"
    default_base_url: ClassVar[str] = "https://{company}.myworkdayjobs.com"
    board_path: ClassVar[str] = "/wday/cxs/{tenant}/{site}/jobs"
    careers_url_form: ClassVar[str] = "https://<tenant>.<wdN>.myworkdayjobs.com/<site>"
    slug_example: ClassVar[str] = "nvidia.wd5/NVIDIAExternalCareerSite"
    slug_pattern: ClassVar[re.Pattern[str]] = _COMPANY
    searches_location: ClassVar[bool] = False
    page_size: ClassVar[int] = PAGE_SIZE
    max_pages: ClassVar[int] = 5

    def parse(self, payload: Any, company: str) -> list[Job]:
        return parse_workday(payload, company=company)

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        company = self.company_slug(query)
        tenant, wd, site = split_company(company)
        base = ctx.base_url(self, f"{tenant}.{wd}")
        url = base + self.board_path.format(tenant=tenant, site=site)

        async def fetch_page(offset: int) -> tuple[list[Job], int | None]:
            body = {"appliedFacets": {}, "limit": self.page_size, "offset": offset, "searchText": query.query}
            async with self.wrong_company_on_404(company):
                payload = await ctx.http.post_json(url, body)
            jobs = await off_loop(parse_workday, payload, company=company, base_url=base)
            total = payload.get("total") if isinstance(payload, dict) else None
            return jobs, total if isinstance(total, int) else None

        jobs = await read_pages(fetch_page, query.limit, self.page_size, self.max_pages)
        return passing(jobs, query, with_location=False)[: query.limit]

    async def details(self, job: Job, ctx: SourceContext) -> Job:
        company, _, path = job.source_id.partition("/job/")
        tenant, wd, site = split_company(company)
        url = f"{ctx.base_url(self, f'{tenant}.{wd}')}/wday/cxs/{tenant}/{site}/job/{path}"
        async with self.wrong_company_on_404(company):
            payload = await ctx.http.get_json(url)
        return with_details(job, await off_loop(parse_workday_job, payload, job))


def parse_workday(payload: Any, *, company: str, base_url: str | None = None) -> list[Job]:
    """Jobs of one page of a Workday search answer (`{"total": n, "jobPostings": [...]}`).

    `company` is the board ("nvidia.wd5/NVIDIAExternalCareerSite"); `base_url` the host the postings live on
    (by default the company's myworkdayjobs.com host)."""
    tenant, wd, site = split_company(company)
    base = base_url or f"https://{tenant}.{wd}.myworkdayjobs.com"
    return [
        _job(raw, company, tenant, f"{base}/{site}")
        for raw in job_records(payload, "workday", "jobPostings")
        if raw.get("title") and raw.get("externalPath")
    ]


def _job(raw: dict, company: str, tenant: str, site_url: str) -> Job:
    location = str(raw.get("locationsText") or "")
    return build_job(
        source="workday",
        source_id=f"{company}{raw['externalPath']}",
        title=raw["title"],
        company=tenant,
        location=None if _SEVERAL.match(location) else location,
        remote=_REMOTE_TYPES.get(str(raw.get("remoteType") or "").lower()),
        posted_at=parse_posted(raw.get("postedOn")),
        url=site_url + raw["externalPath"],
        tags=raw.get("bulletFields") or [],
    )


def parse_workday_job(payload: Any, job: Job) -> Job:
    """The posting of a Workday job-details answer (`{"jobPostingInfo": {...}, "hiringOrganization": {...}}`)."""
    info = payload.get("jobPostingInfo") if isinstance(payload, dict) else None
    if not isinstance(info, dict) or not info.get("title"):
        raise SourceError("workday answered a job's details without jobPostingInfo: the API may have changed")
    organization = payload.get("hiringOrganization") or {}
    description = str(info.get("jobDescription") or "")
    pay = _PAY.search(description)
    others = [place for place in info.get("additionalLocations") or [] if isinstance(place, str)]
    return build_job(
        source="workday",
        source_id=job.source_id,
        title=info["title"],
        company=organization.get("name") if isinstance(organization, dict) else None,
        location=joined_places([info.get("location"), *others]),
        remote=_REMOTE_TYPES.get(str(info.get("remoteType") or "").lower()),
        salary=parse_salary(pay["range"]) if pay else None,
        employment_type=info.get("timeType"),
        posted_at=parse_posted(info.get("startDate") or info.get("postedOn")),
        url=info.get("externalUrl") or job.url,
        apply_url=f"{info['externalUrl']}/apply"
        if info.get("externalUrl") and info.get("canApply")
        else None,
        description=html_to_markdown(description),
        tags=[info.get("jobReqId")],
    )
