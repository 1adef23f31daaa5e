"""Personio career sites: the XML feed `GET https://<company>.jobs.personio.de/xml` (or `.jobs.personio.com`).

One `<workzag-jobs>` document lists every position: its name, subcompany, main `office` and
`additionalOffices`, department, employment type and schedule, creation date, `salaryInformation` when
shown, and `jobDescriptions` (named HTML sections). A company not found on `.de` is asked on `.com`.
"""

from __future__ import annotations

from typing import ClassVar
from xml.etree import ElementTree

from ..errors import HTTPStatusError
from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job, Salary, SalaryPeriod
from ..jobs.salary import parse_amount, salary_from_range
from ..jobs.text import html_to_markdown
from .base import SearchQuery, SourceContext, SourceError
from .company_board import CompanyBoardSource, joined_places
from .filtering import parse_matching

_PERIODS: dict[str, SalaryPeriod] = {
    "hourly": "hour",
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "yearly": "year",
}
_EMPLOYMENT = {"intern": "internship", "trainee": "internship", "working_student": "part-time"}
COM_BASE_URL = "https://{company}.jobs.personio.com"


class PersonioSource(CompanyBoardSource):
    name: ClassVar[str] = "personio"
    default_base_url: ClassVar[str] = "https://{company}.jobs.personio.de"
    board_path: ClassVar[str] = "/xml"
    careers_url_form: ClassVar[str] = "https://<company>.jobs.personio.de"
    slug_example: ClassVar[str] = "personio"
    searches_location: ClassVar[bool] = False

    def parse(self, payload: str, company: str) -> list[Job]:
        return parse_personio(
            payload, company=company, base_url=self.default_base_url.replace("{company}", company)
        )

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        company = self.company_slug(query)
        base = ctx.base_url(self, company)
        async with self.wrong_company_on_404(company):
            try:
                feed = await ctx.http.get_text(base + self.board_path)
            except HTTPStatusError as exc:
                if exc.http_status != 404 or base != self.default_base_url.replace("{company}", company):
                    raise
                base = COM_BASE_URL.replace("{company}", company)  # not on .de: some boards live on .com
                feed = await ctx.http.get_text(base + self.board_path)
        return await parse_matching(query, parse_personio, feed, company=company, base_url=base)


def parse_personio(feed: str, *, company: str | None = None, base_url: str | None = None) -> list[Job]:
    """Jobs of a Personio XML feed; `base_url` is the career site the job links point at."""
    try:
        root = ElementTree.fromstring(feed.strip().encode())
    except ElementTree.ParseError as exc:
        raise SourceError(f"personio answered something other than its XML job feed ({exc})") from None
    if root.tag != "workzag-jobs":
        raise SourceError(f"personio answered a <{root.tag}> document, not its <workzag-jobs> feed")
    return [
        _job(position, company, base_url) for position in root.iter("position") if _text(position, "name")
    ]


def _text(node: ElementTree.Element, path: str) -> str | None:
    found = node.find(path)
    return " ".join(found.text.split()) if found is not None and found.text and found.text.strip() else None


def _job(position: ElementTree.Element, company: str | None, base_url: str | None) -> Job:
    position_id = _text(position, "id") or _text(position, "name")
    offices = [
        _text(position, "office"),
        *(" ".join((o.text or "").split()) for o in position.iterfind("additionalOffices/office")),
    ]
    sections = "".join(
        f"<h3>{_text(part, 'name') or ''}</h3>{(part.findtext('value') or '').strip()}"
        for part in position.iterfind("jobDescriptions/jobDescription")
    )
    employment = _text(position, "employmentType")
    url = f"{base_url}/job/{position_id}" if base_url else None
    return build_job(
        source="personio",
        source_id=f"{company}/{position_id}" if company else str(position_id),
        title=_text(position, "name") or "",
        company=_text(position, "subcompany") or company,
        location=joined_places(offices),
        salary=_salary(position.find("salaryInformation")),
        employment_type=_EMPLOYMENT.get(employment or "")
        or " ".join(filter(None, [_text(position, "schedule"), employment])),
        posted_at=parse_posted(_text(position, "createdAt")),
        url=url,
        apply_url=f"{url}#apply" if url else None,
        description=html_to_markdown(sections),
        tags=[
            _text(position, "department"),
            _text(position, "recruitingCategory"),
            _text(position, "seniority"),
        ],
    )


def _salary(node: ElementTree.Element | None) -> Salary | None:
    if node is None:
        return None
    return salary_from_range(
        parse_amount(node.findtext("min")),
        parse_amount(node.findtext("max")),
        _text(node, "currencyCode"),
        _PERIODS.get((_text(node, "type") or "").lower()),
    )
