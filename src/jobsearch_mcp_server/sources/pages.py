"""Small helpers the browser sources share for reading pages: parsing, text, walls, merging details."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..fetching.politeness import bot_wall_reason, host_of
from ..jobs.models import Job
from ..workers import off_loop
from .base import BlockedError, SourceContext

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag  # BeautifulSoup loads with the first page parsed


def parse_html(html: str) -> BeautifulSoup:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def text_of(node: Tag | None) -> str | None:
    """The node's text with whitespace collapsed; None for a missing or empty node."""
    if node is None:
        return None
    text = " ".join(node.get_text(" ").split())
    return text or None


def unique_jobs(jobs: Iterable[Job]) -> list[Job]:
    """`jobs` with each job_id once (the last one seen), in the order they first appear."""
    return list({job.job_id: job for job in jobs}.values())


async def search_pages(
    ctx: SourceContext,
    urls: Iterable[str],
    parse: Callable[[str, str], list[Job]],
    limit: int,
    *,
    wait_css: str | None = None,
    base_url: str | None = None,
) -> list[Job]:
    """Up to `limit` jobs from consecutive result pages, read until a page adds no new job.

    `parse(html, url)` reads one page; its `url` is `base_url` when given, else the page's final URL.
    """
    jobs: dict[str, Job] = {}
    for url in urls:
        page = await ctx.fetch_page(url, wait_css=wait_css)
        found = await off_loop(parse, page.html, base_url or page.url)
        new = [job for job in found if job.job_id not in jobs]
        jobs.update((job.job_id, job) for job in new)
        if not new or len(jobs) >= limit:
            break
    return list(jobs.values())[:limit]


def raise_for_bot_wall(html: str, url: str) -> None:
    """`BlockedError` when `html` is a captcha or bot-wall page: a wall is never "no jobs"."""
    reason = bot_wall_reason(html)
    if reason:
        raise BlockedError(f"{host_of(url)} shows a bot wall ({reason}); try again later")


def with_details(job: Job, detail: Job) -> Job:
    """`job` completed by what its own page says (`detail` wins where it knows more)."""
    kept = {"job_id", "source", "source_id", "details_from", "sources", "tags", "fetched_at"} | (
        {"url"} if job.url else set()
    )
    if detail.apply_url == detail.url:  # no application link of its own: keep the job's
        kept.add("apply_url")
    known = {name: getattr(detail, name) for name in Job.model_fields if name not in kept}
    merged = job.model_copy(
        update={name: value for name, value in known.items() if value not in (None, "", [])}
    )
    if detail.tags:
        merged.tags = list(dict.fromkeys([*job.tags, *detail.tags]))
    return merged
