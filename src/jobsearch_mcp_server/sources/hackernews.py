"""Hacker News "Ask HN: Who is hiring?" through the Algolia HN API (hn.algolia.com).

The newest thread by the `whoishiring` account is found with
`/api/v1/search_by_date?tags=story,author_whoishiring&query=who is hiring`, its comments read with
`/api/v1/items/{id}`. Each top-level comment is one employer's post, by convention headed
"Company | Role | Location | REMOTE | salary"; the header's parts are told apart by what they look like.
"""

from __future__ import annotations

import html
import re
from typing import Any, ClassVar

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job
from ..jobs.salary import parse_salary
from ..jobs.text import clean_text, detect_employment_type, detect_remote, html_to_markdown
from .base import SearchQuery, Source, SourceContext, SourceError
from .filtering import parse_matching

THREAD_TITLE = re.compile(r"^Ask HN: Who is hiring\?", re.IGNORECASE)
_ROLE = re.compile(
    r"\b(engineers?|developers?|scientists?|designers?|managers?|architects?|analysts?|researchers?|interns?|"
    r"sre|devops|founding|cto|head of|director|recruiters?|specialists?|consultants?|lead|roles?|positions?|"
    r"administrators?|writers?|marketers?|accountants?|operations|product|sales)\b",
    re.IGNORECASE,
)
# A role named in prose: "hiring a full-stack Senior Software Engineer" -> "Senior Software Engineer".
_ROLE_IN_TEXT = re.compile(
    r"(?:[A-Z][\w/+.-]*\s+){0,4}(?:Engineer|Developer|Scientist|Designer|Manager|Architect|Analyst|Researcher)s?\b"
)
_SALARY_HINT = re.compile(r"[$€£¥]|\d\s*[kK]\b|\d{2,3},\d{3}|\b(?:USD|EUR|GBP|CAD)\b")
_URL = re.compile(r"https?://\S+|\bwww\.\S+")
_LINK = re.compile(r'href="([^"]+)"')


class HackerNewsSource(Source):
    name: ClassVar[str] = "hackernews"
    kind: ClassVar = "http"
    default_base_url: ClassVar[str] = "https://hn.algolia.com"

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        base = ctx.base_url(self)
        hits = await ctx.http.get_json(
            f"{base}/api/v1/search_by_date",
            params={"tags": "story,author_whoishiring", "query": "who is hiring"},
        )
        thread_id = latest_thread_id(hits)
        thread = await ctx.http.get_json(f"{base}/api/v1/items/{thread_id}")
        return await parse_matching(query, parse_hackernews, thread)


def latest_thread_id(payload: Any) -> int:
    """The id of the newest "Ask HN: Who is hiring?" story in a `search_by_date` answer."""
    hits = payload.get("hits") if isinstance(payload, dict) else None
    threads = [
        hit for hit in hits or [] if isinstance(hit, dict) and THREAD_TITLE.match(hit.get("title") or "")
    ]
    if not threads:
        raise SourceError("hacker news: no 'Ask HN: Who is hiring?' thread found by the whoishiring account")
    newest = max(threads, key=lambda hit: hit.get("created_at_i") or 0)
    return int(newest.get("story_id") or newest["objectID"])


def parse_hackernews(thread: Any) -> list[Job]:
    """One job per top-level comment of a thread from `/api/v1/items/{id}`; deleted and header-less
    comments (replies, meta questions) are skipped."""
    if not isinstance(thread, dict) or not isinstance(thread.get("children"), list):
        raise SourceError(
            "hacker news answered without the thread's comments: the Algolia API may have changed"
        )
    jobs = [
        _job(comment) for comment in thread["children"] if isinstance(comment, dict) and comment.get("text")
    ]
    return [job for job in jobs if job is not None]


def _job(comment: dict) -> Job | None:
    text = comment["text"]
    header_html, _, _ = text.partition("<p>")
    header_lines = [clean_text(_strip_tags(line)) for line in header_html.split("\n")]
    parts = [part.strip() for part in header_lines[0].split("|") if part.strip()] if header_lines else []
    if len(parts) < 2:
        return None
    company = _company(parts[0])
    rest = parts[1:]
    salary_part = next((part for part in rest if _SALARY_HINT.search(part)), None)
    role = next(
        (part for part in rest if part != salary_part and _ROLE.search(part) and not _URL.search(part)), None
    )
    location = next(
        (
            part
            for part in rest
            if part not in (salary_part, role) and not _URL.search(part) and _looks_like_place(part)
        ),
        None,
    )
    role = role or _role_from(header_lines[1:], text) or "Multiple roles"
    links = [html.unescape(link) for link in _LINK.findall(text)]
    return build_job(
        source="hackernews",
        source_id=comment["id"],
        title=role.lstrip("- ").strip(),
        company=company,
        location=location,
        remote=detect_remote(header_lines[0]),
        salary=parse_salary(salary_part),
        employment_type=detect_employment_type(header_lines[0]),
        posted_at=parse_posted(comment.get("created_at") or comment.get("created_at_i")),
        url=f"https://news.ycombinator.com/item?id={comment['id']}",
        apply_url=next((link for link in links if "ycombinator.com" not in link), None),
        description=html_to_markdown(text),
        tags=["hn-who-is-hiring"],
    )


def _company(part: str) -> str:
    """ "Galaxy (getgalaxy.io) - The Cursor for SQL" -> "Galaxy"; "Snout https://..." -> "Snout"."""
    name = _URL.sub("", part)
    name = re.sub(r"\([^)]*\)", "", name)
    return re.split(r"\s+[-–—]\s+", name)[0].strip(" -–—,")


def _looks_like_place(part: str) -> bool:
    """Not an employment type, not a lone REMOTE/ONSITE flag: what is left is usually where."""
    lowered = part.lower().strip()
    if detect_employment_type(part) and len(lowered.split()) <= 2:
        return False
    return lowered not in {"remote", "onsite", "on-site", "hybrid", "visa", "no visa"}


def _role_from(lines: list[str], text: str) -> str | None:
    for line in lines:
        if _ROLE.search(line):
            return line
    match = _ROLE_IN_TEXT.search(clean_text(_strip_tags(text.replace("<p>", "\n"))))
    return match.group(0) if match else None


def _strip_tags(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))
