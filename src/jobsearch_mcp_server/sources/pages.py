"""Small helpers the browser sources share for reading pages: parsing, text, walls, merging details."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from ..jobs.models import Job
from .base import BlockedError
from .politeness import bot_wall_reason, host_of


def parse_html(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def text_of(node: Tag | None) -> str | None:
    """The node's text with whitespace collapsed; None for a missing or empty node."""
    if node is None:
        return None
    text = " ".join(node.get_text(" ").split())
    return text or None


def raise_for_bot_wall(html: str, url: str) -> None:
    """`BlockedError` when `html` is a captcha or bot-wall page: a wall is never "no jobs"."""
    reason = bot_wall_reason(html)
    if reason:
        raise BlockedError(f"{host_of(url)} shows a bot wall ({reason}); try again later")


def with_details(job: Job, detail: Job) -> Job:
    """`job` completed by what its own page says (`detail` wins where it knows more)."""
    kept = {"job_id", "source", "source_id", "sources", "tags", "fetched_at"} | (
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
