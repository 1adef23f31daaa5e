"""LinkedIn's public guest job search, read in a headless browser; no account and no login.

Search pages come from the guest API LinkedIn's own public job search loads as you scroll:
`/jobs-guest/jobs/api/seeMoreJobPostings/search?keywords=&location=&start=` returns job cards
(`li > .base-search-card`), about ten per page. A job's full text comes from
`/jobs-guest/jobs/api/jobPosting/<id>`, the same markup as the public page `/jobs/view/<id>`.
A redirect to the sign-up wall raises `LoginRequiredError`, a security challenge `BlockedError`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit

from ..errors import BlockedError, LoginRequiredError, SourceError
from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job
from ..jobs.text import detect_seniority, html_to_markdown
from ..workers import off_loop
from .base import SearchQuery, Source, SourceContext
from .pages import parse_html, raise_for_bot_wall, search_pages, text_of, unique_jobs, with_details

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag  # BeautifulSoup loads with the first page parsed

PAGE_SIZE = 10
MAX_PAGES = 5
SEARCH_PATH = "/jobs-guest/jobs/api/seeMoreJobPostings/search"
POSTING_PATH = "/jobs-guest/jobs/api/jobPosting/"
_POSTING_URN = re.compile(r"jobPosting:(\d+)")
_ID_IN_LINK = re.compile(r"-(\d{6,})/?(?:\?|$)|/(?:view|jobPosting)/(\d{6,})")
_AUTHWALL_PATHS = ("/authwall", "/signup", "/login", "/uas/login")
_CHALLENGE_PATHS = ("/checkpoint/challenge",)
# Criteria headings, in the languages LinkedIn localises guest pages to most often.
_SENIORITY_HEADINGS = (
    "seniority level",
    "senioritetsnivå",
    "karrierestufe",
    "niveau hiérarchique",
    "nivel de antigüedad",
)
_TYPE_HEADINGS = (
    "employment type",
    "anställningstyp",
    "beschäftigungsverhältnis",
    "type d’emploi",
    "tipo de empleo",
)


def parse_search(html: str, base_url: str) -> list[Job]:
    """The job cards of a guest search page (empty past the last page)."""
    _raise_for_walls(html, base_url)
    soup = parse_html(html)
    jobs = []
    for card in soup.select(".base-search-card, [data-entity-urn*='jobPosting']"):
        if card.find_parent(class_="base-search-card"):
            continue  # a nested element of a card already taken
        job = _card_job(card)
        if job is not None:
            jobs.append(job)
    return unique_jobs(jobs)


def _card_job(card: Tag) -> Job | None:
    link = (
        card if card.name == "a" else card.select_one("a.base-card__full-link") or card.find("a", href=True)
    )
    href = str(link.get("href", "")) if link else ""
    urn = _POSTING_URN.search(str(card.get("data-entity-urn", "")))
    from_link = _ID_IN_LINK.search(urlsplit(href).path) if href else None
    source_id = (
        urn.group(1) if urn else next((g for g in from_link.groups() if g), None) if from_link else None
    )
    title = text_of(card.select_one(".base-search-card__title")) or text_of(card.select_one(".sr-only"))
    if not source_id or not title:
        return None
    posted = card.select_one("time[datetime]")
    url = urlunsplit(urlsplit(href)._replace(query="", fragment="")) if href else None
    return build_job(
        source="linkedin",
        source_id=source_id,
        title=title,
        company=text_of(card.select_one(".base-search-card__subtitle")),
        location=text_of(card.select_one(".job-search-card__location")),
        posted_at=parse_posted(str(posted["datetime"])) if posted else None,
        url=url,
    )


def parse_job(html: str, url: str) -> Job:
    """One posting from its guest page; raises `SourceError` when the page holds no posting."""
    _raise_for_walls(html, url)
    soup = parse_html(html)
    title = text_of(soup.select_one(".top-card-layout__title, .topcard__title"))
    if not title:
        raise SourceError(f"{url} holds no LinkedIn job posting (the posting may have been taken down)")
    match = _ID_IN_LINK.search(urlsplit(url).path) or _ID_IN_LINK.search(url)
    source_id = next((g for g in match.groups() if g), url) if match else url
    criteria = {
        (text_of(item.select_one(".description__job-criteria-subheader")) or "").lower(): text_of(
            item.select_one(".description__job-criteria-text")
        )
        for item in soup.select(".description__job-criteria-item")
    }
    seniority_text = next((criteria[h] for h in _SENIORITY_HEADINGS if criteria.get(h)), None)
    type_text = next((criteria[h] for h in _TYPE_HEADINGS if criteria.get(h)), None)
    description_node = soup.select_one(".show-more-less-html__markup, .description__text")
    description = html_to_markdown(description_node.decode_contents()) if description_node else None
    posted = text_of(soup.select_one(".posted-time-ago__text"))
    return build_job(
        source="linkedin",
        source_id=source_id,
        title=title,
        company=text_of(
            soup.select_one(".topcard__org-name-link, .top-card-layout__second-subline .topcard__flavor")
        ),
        location=text_of(soup.select_one(".topcard__flavor--bullet")),
        seniority=detect_seniority(title) or detect_seniority(seniority_text),
        employment_type=type_text,
        posted_at=parse_posted(posted) if posted else None,
        url=url,
        apply_url=_apply_url(soup),
        description=description,
    )


def _apply_url(soup: BeautifulSoup) -> str | None:
    """The employer's own application link, kept by LinkedIn in an HTML comment inside `code#applyUrl`."""
    code = soup.select_one("code#applyUrl")
    if code is None:
        return None
    found = re.search(r'"(https?://[^"]+)"', code.decode_contents())
    return found.group(1) if found else None


def _raise_for_walls(html: str, url: str) -> None:
    path = urlsplit(url).path
    if path.startswith(_CHALLENGE_PATHS):
        raise BlockedError("LinkedIn asks for a security check (captcha); try again later")
    if path.startswith(_AUTHWALL_PATHS) or 'class="join-form' in html or "authwall" in path:
        raise LoginRequiredError(
            "LinkedIn shows its sign-in wall to this browser; wait a while, or run `jobsearch-mcp login linkedin`"
        )
    raise_for_bot_wall(html, url)


class LinkedInSource(Source):
    name = "linkedin"
    kind = "browser"
    default_base_url = "https://www.linkedin.com"
    login_url = "/login"

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        base = ctx.base_url(self)
        params = {"keywords": query.query, "location": query.location or ""}
        if query.posted_within_days:
            params["f_TPR"] = f"r{query.posted_within_days * 86400}"
        if query.remote_only:
            params["f_WT"] = "2"
        urls = (
            f"{base}{SEARCH_PATH}?{urlencode({**params, 'start': page * PAGE_SIZE})}" for page in range(MAX_PAGES)
        )
        return await search_pages(ctx, urls, parse_search, query.limit)

    async def details(self, job: Job, ctx: SourceContext) -> Job:
        page = await ctx.fetch_page(f"{ctx.base_url(self)}{POSTING_PATH}{job.source_id}")
        return with_details(job, await off_loop(parse_job, page.html, page.url))
