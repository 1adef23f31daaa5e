"""RemoteOK: `GET /api` on remoteok.com (optionally `?tag=python`).

The answer is a list whose first element is the API's legal notice, not a job. Descriptions carry
mojibake (UTF-8 read as Latin-1) and an anti-spam line asking applicants to quote a secret word;
both are cleaned here. Salaries of 0 mean unknown; small amounts are hourly rates.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job
from ..jobs.salary import parse_amount, salary_from_range
from ..jobs.text import html_to_markdown
from .base import SearchQuery, Source, SourceContext, job_records
from .filtering import parse_matching, query_words

# "Please mention the word **REFORMS** and tag RMjcu... when applying to show you read the job post
# completely (#RMjcu...). This is a beta feature to avoid spam applicants. Companies can search these
# words to find applicants that read this and see they're human."
_ANTI_SPAM = re.compile(
    r"Please mention the word\s.*?(?:see they(?:'|’|&#39;|â\x80\x99)re human\.?|$)", re.IGNORECASE | re.DOTALL
)


class RemoteOKSource(Source):
    name: ClassVar[str] = "remoteok"
    kind: ClassVar = "http"
    default_base_url: ClassVar[str] = "https://remoteok.com"

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        words = query_words(query.query)
        # RemoteOK filters by one tag server-side; the other words are matched here.
        params = {"tag": words[0]} if words else None
        payload = await ctx.http.get_json(f"{ctx.base_url(self)}/api", params=params)
        return await parse_matching(query, parse_remoteok, payload)


def parse_remoteok(payload: Any) -> list[Job]:
    """Jobs of a RemoteOK `/api` response; the legal-notice element is skipped."""
    return [_job(raw) for raw in job_records(payload, "remoteok") if raw.get("id") and raw.get("position")]


def _job(raw: dict) -> Job:
    description = _ANTI_SPAM.sub("", raw.get("description") or "")
    return build_job(
        source="remoteok",
        source_id=raw["id"],
        title=raw["position"],
        company=raw.get("company"),
        location=raw.get("location") or None,
        remote=True,  # every RemoteOK job is remote; `location` says where the employer hires
        salary=salary_from_range(
            parse_amount(raw.get("salary_min")), parse_amount(raw.get("salary_max")), "USD", None
        ),
        posted_at=parse_posted(raw.get("date")) or parse_posted(raw.get("epoch")),
        url=raw.get("url"),
        apply_url=raw.get("apply_url"),
        description=html_to_markdown(description),
        tags=raw.get("tags") or [],
    )
