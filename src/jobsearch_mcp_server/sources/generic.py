"""Any job posting URL: the page's schema.org `JobPosting` (JSON-LD), else its title and main text.

Most career sites and applicant-tracking systems publish a `JobPosting` in JSON-LD for search
engines, alone, in a list, or inside an `@graph`; it gives title, company, location, salary, date,
employment type and the full description. A page without one still yields a job from its heading
and the text of its `<main>` / `<article>`. This source reads single pages (`get_job_details`
with a URL); it has no search of its own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job, Salary, SalaryPeriod
from ..jobs.salary import parse_salary, salary_from_range
from ..jobs.text import detect_employment_type, detect_remote, html_to_markdown
from ..workers import off_loop
from .base import SearchQuery, Source, SourceContext, SourceError
from .pages import parse_html, raise_for_bot_wall, text_of, with_details

if TYPE_CHECKING:
    from bs4 import BeautifulSoup  # BeautifulSoup loads with the first page parsed

_UNITS: dict[str, SalaryPeriod] = {
    "HOUR": "hour",
    "DAY": "day",
    "WEEK": "week",
    "MONTH": "month",
    "YEAR": "year",
}
_BOILERPLATE = ("script", "style", "noscript", "nav", "header", "footer", "form", "aside", "svg", "iframe")


def parse_job(html: str, url: str) -> Job:
    """The posting on any page; raises `SourceError` when the page shows neither a posting nor a heading."""
    raise_for_bot_wall(html, url)
    soup = parse_html(html)
    posting = next(_job_postings(soup), None)
    return _from_json_ld(posting, url) if posting else _from_text(soup, url)


def _job_postings(soup: BeautifulSoup) -> Iterator[dict]:
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or script.get_text() or "null", strict=False)
        except json.JSONDecodeError:
            continue
        yield from _walk(data)


def _walk(node: object) -> Iterator[dict]:
    """Every JobPosting object in a JSON-LD document: top level, lists, and `@graph`s, at any depth."""
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        kinds = node.get("@type")
        if "JobPosting" in (kinds if isinstance(kinds, list) else [kinds]):
            yield node
        yield from _walk(node.get("@graph"))


def _source_id(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:16]


def _from_json_ld(posting: dict, url: str) -> Job:
    title = " ".join(str(posting.get("title") or posting.get("name") or "").split())
    if not title:
        raise SourceError(f"{url} has a JobPosting without a title")
    description = html_to_markdown(str(posting.get("description") or "")) or None
    location = json_ld_location(posting.get("jobLocation"))
    employment = posting.get("employmentType")
    employment_text = " ".join(employment) if isinstance(employment, list) else str(employment or "")
    remote_flag = str(posting.get("jobLocationType") or "").upper() == "TELECOMMUTE"
    return build_job(
        source="generic",
        source_id=_source_id(url),
        title=title,
        company=_name(posting.get("hiringOrganization")),
        location=location,
        remote=True if remote_flag else None,
        salary=json_ld_salary(posting.get("baseSalary")),
        employment_type=employment_text,
        posted_at=parse_posted(posting.get("datePosted")),
        url=url,
        apply_url=posting.get("url") if isinstance(posting.get("url"), str) else None,
        description=description,
    )


def _name(node: object) -> str | None:
    if isinstance(node, dict):
        node = node.get("name")
    return " ".join(str(node).split()) or None if node else None


def json_ld_location(node: object) -> str | None:
    """The places of a JobPosting's `jobLocation` (one or a list), "; "-separated."""
    places = node if isinstance(node, list) else [node]
    names = []
    for place in places:
        if not isinstance(place, dict):
            continue
        address = place.get("address")
        if isinstance(address, dict):
            parts = [address.get(key) for key in ("addressLocality", "addressRegion", "addressCountry")]
            country = parts[2].get("name") if isinstance(parts[2], dict) else parts[2]
            names.append(", ".join(str(part) for part in (parts[0], parts[1], country) if part))
        elif isinstance(address, str):
            names.append(address)
    return "; ".join(dict.fromkeys(name for name in names if name)) or None


def json_ld_salary(node: object) -> Salary | None:
    """A JobPosting's `baseSalary` (a MonetaryAmount) as a `Salary`."""
    if not isinstance(node, dict):
        return None
    value = node.get("value")
    currency = node.get("currency")
    if isinstance(value, dict):
        unit = _UNITS.get(str(value.get("unitText") or "").upper())
        low, high = value.get("minValue"), value.get("maxValue")
        if low is None and high is None:
            single = value.get("value")
            if isinstance(single, int | float):
                low = high = single
            else:  # a text such as "$100,000": its amounts, with the unit the posting states
                found = parse_salary(str(single or ""), default_currency=currency)
                if found is None:
                    return None
                return salary_from_range(
                    found.min, found.max, found.currency, unit or found.period, text=found.text
                )
        return salary_from_range(_number(low), _number(high), currency, unit)
    if isinstance(value, int | float):
        return salary_from_range(value, value, currency, None)
    return None


def _number(value: object) -> float | None:
    try:
        return float(str(value).replace(",", "")) if value not in (None, "") else None
    except ValueError:
        return None


def _from_text(soup: BeautifulSoup, url: str) -> Job:
    """A job from a page without structured data: its heading and main text."""
    meta_title = soup.find("meta", property="og:title")
    title = (
        text_of(soup.find("h1"))
        or (str(meta_title.get("content")) if meta_title else None)
        or text_of(soup.title)
    )
    if not title:
        raise SourceError(f"{url} shows no job posting: no JobPosting data and no heading")
    for node in soup.find_all(_BOILERPLATE):
        node.decompose()
    body = soup.find("main") or soup.find("article") or soup.body or soup
    description = html_to_markdown(body.decode_contents())
    return build_job(
        source="generic",
        source_id=_source_id(url),
        title=title,
        remote=detect_remote(title, description[:2000]),
        employment_type=detect_employment_type(description[:2000]),
        url=url,
        description=description,
    )


class GenericSource(Source):
    """Reads one posting at any URL; not a board to search, so it is not among the registry's defaults."""

    name = "generic"
    kind = "browser"
    searchable = False

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        raise SourceError("the generic reader opens single job pages by URL; it cannot search")

    async def fetch_job(self, url: str, ctx: SourceContext) -> Job:
        """The posting at `url`, read in the browser."""
        page = await ctx.fetch_page(url)
        return await off_loop(parse_job, page.html, page.url)

    async def details(self, job: Job, ctx: SourceContext) -> Job:
        if not job.url:
            raise SourceError(f"{job.title!r} has no URL to read its posting from")
        return with_details(job, await self.fetch_job(job.url, ctx))
