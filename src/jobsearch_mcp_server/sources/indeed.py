"""Indeed, read in a headless browser (its pages sit behind Cloudflare, which plain HTTP rarely passes).

A search page (`/jobs?q=&l=&start=`) carries every result as JSON in
`window.mosaic.providerData["mosaic-provider-jobcards"]` (title, company, location, salary, posting
time, remote model, snippet); when that script is missing the rendered job cards (`a[data-jk]`) are
read instead. A job's full text is on `/viewjob?jk=<job key>`. Cloudflare's "Just a moment..."
page raises `BlockedError`.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job, Salary, SalaryPeriod
from ..jobs.salary import parse_salary, salary_from_range
from ..jobs.text import detect_employment_type, detect_remote, html_to_markdown
from ..workers import off_loop
from .base import SearchQuery, Source, SourceContext, SourceError
from .pages import parse_html, raise_for_bot_wall, search_pages, text_of, unique_jobs, with_details

if TYPE_CHECKING:
    from bs4 import Tag  # BeautifulSoup loads with the first page parsed

PAGE_SIZE = 10
MAX_PAGES = 3
_MOSAIC = re.compile(r'window\.mosaic\.providerData\["mosaic-provider-jobcards"\]\s*=\s*')
_PERIODS: dict[str, SalaryPeriod] = {
    "HOURLY": "hour",
    "DAILY": "day",
    "WEEKLY": "week",
    "MONTHLY": "month",
    "YEARLY": "year",
}
_REMOTE_MODELS = {"REMOTE_ALWAYS": True, "REMOTE_COVID_TEMPORARY": True, "REMOTE_HYBRID": False}
# What the rendered page shows while results, a wall or "no results" settle (fetch waits for one of them).
WAIT_CSS = "#mosaic-provider-jobcards, [data-jk], #cf-box-container, .jobsearch-NoResult-messageContainer"


def parse_search(html: str, base_url: str) -> list[Job]:
    """The results of a search page, from its embedded JSON or else its job cards."""
    raise_for_bot_wall(html, base_url)
    results = _mosaic_results(html)
    if results is None:
        jobs = [job for card in parse_html(html).select("a[data-jk]") if (job := _card_job(card, base_url))]
    else:
        jobs = [job for result in results if (job := _result_job(result, base_url))]
    return unique_jobs(jobs)


def _mosaic_results(html: str) -> list[dict] | None:
    start = _MOSAIC.search(html)
    if start is None:
        return None
    try:
        data, _ = json.JSONDecoder().raw_decode(html, start.end())
    except json.JSONDecodeError:
        return None
    results = data.get("metaData", {}).get("mosaicProviderJobCardsModel", {}).get("results")
    return results if isinstance(results, list) else None


def _result_job(result: dict, base_url: str) -> Job | None:
    key = result.get("jobkey")
    title = result.get("displayTitle") or result.get("title")
    if not key or not title:
        return None
    location = result.get("formattedLocation") or None
    remote_model = result.get("remoteWorkModel") or {}
    remote = True if result.get("remoteLocation") else _REMOTE_MODELS.get(remote_model.get("type", ""))
    job_types = [
        attribute.get("label", "")
        for group in result.get("taxonomyAttributes") or []
        if group.get("label") == "job-types"
        for attribute in group.get("attributes") or []
    ]
    return build_job(
        source="indeed",
        source_id=key,
        title=title,
        company=result.get("company") or result.get("truncatedCompany"),
        location=location,
        remote=remote if remote is not None else detect_remote(location, remote_model.get("text"), title),
        salary=_salary(result),
        employment_type=" ".join(job_types),
        posted_at=parse_posted(result.get("pubDate") or result.get("formattedRelativeTime")),
        url=f"{base_url}/viewjob?jk={key}",
        description=_snippet(result.get("snippet")),
    )


def _snippet(markup: str | None) -> str | None:
    """The card's excerpt as Markdown, without the bold Indeed puts on the searched words."""
    if not markup:
        return None
    soup = parse_html(markup)
    for highlight in soup.find_all("b"):
        highlight.unwrap()
    return html_to_markdown(str(soup)) or None


def _salary(result: dict) -> Salary | None:
    snippet = result.get("salarySnippet") or {}
    extracted = result.get("extractedSalary") or {}
    if extracted.get("min") or extracted.get("max"):
        return salary_from_range(
            extracted.get("min"),
            extracted.get("max"),
            snippet.get("currency"),
            _PERIODS.get(extracted.get("type", "")),
            text=snippet.get("text"),
        )
    return parse_salary(snippet.get("text"), default_currency=snippet.get("currency"))


def _card_job(link: Tag, base_url: str) -> Job | None:
    key = str(link.get("data-jk", ""))
    title = text_of(link.select_one("span[title]")) or text_of(link)
    if not key or not title:
        return None
    card = link.find_parent(class_="cardOutline") or link.find_parent("li") or link
    return build_job(
        source="indeed",
        source_id=key,
        title=title,
        company=text_of(card.select_one("[data-testid=company-name]")),
        location=text_of(card.select_one("[data-testid=text-location]")),
        url=f"{base_url}/viewjob?jk={key}",
    )


def parse_job(html: str, url: str) -> Job:
    """One posting from its `/viewjob` page."""
    raise_for_bot_wall(html, url)
    soup = parse_html(html)
    title = text_of(soup.select_one(".jobsearch-JobInfoHeader-title, h1"))
    description = soup.select_one("#jobDescriptionText")
    if not title or description is None:
        raise SourceError(f"{url} holds no Indeed job posting (it may have expired)")
    key = re.search(r"[?&]jk=([0-9a-f]+)", url)
    source_id = key.group(1) if key else url
    location = text_of(soup.select_one("[data-testid=inlineHeader-companyLocation], #jobLocationText"))
    pay_and_type = text_of(soup.select_one("#salaryInfoAndJobType"))
    markdown = html_to_markdown(description.decode_contents())
    return build_job(
        source="indeed",
        source_id=source_id,
        title=title,
        company=text_of(soup.select_one("[data-testid=inlineHeader-companyName]")),
        location=location,
        remote=detect_remote(location, title, markdown),
        salary=parse_salary(text_of(soup.select_one("#salaryInfoAndJobType span"))),
        employment_type=detect_employment_type(pay_and_type, markdown),
        url=url,
        description=markdown,
    )


class IndeedSource(Source):
    name = "indeed"
    kind = "browser"
    default_base_url = "https://www.indeed.com"

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        base = ctx.base_url(self)
        params = {"q": query.query, "l": query.location or ""}
        if query.posted_within_days:
            params["fromage"] = str(query.posted_within_days)
        if query.remote_only:
            params["sc"] = "0kf:attr(DSQF7);"  # Indeed's "Remote" filter
        urls = (f"{base}/jobs?{urlencode({**params, 'start': page * PAGE_SIZE})}" for page in range(MAX_PAGES))
        return await search_pages(ctx, urls, parse_search, query.limit, wait_css=WAIT_CSS, base_url=base)

    async def details(self, job: Job, ctx: SourceContext) -> Job:
        page = await ctx.fetch_page(
            f"{ctx.base_url(self)}/viewjob?jk={job.source_id}", wait_css="#jobDescriptionText"
        )
        return with_details(job, await off_loop(parse_job, page.html, page.url))
