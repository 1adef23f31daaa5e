"""What Greenhouse, Lever and Ashby share: one company's board per request, searched client-side."""

from __future__ import annotations

import re
from typing import Any

from ..jobs.models import SourceStatus
from .base import SearchQuery, Source, SourceContext, SourceError
from .http import HTTPStatusError

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def company_slug(source: Source, query: SearchQuery) -> str:
    """The query's company slug, checked: it becomes part of a URL path."""
    slug = (query.company or "").strip()
    if not slug:
        raise SourceError(
            f"{source.name} searches one company's board: give the company's {source.name} slug, "
            f"e.g. '{source.name}:stripe'",
            SourceStatus.SKIPPED,
        )
    if not _SLUG.fullmatch(slug):
        raise SourceError(
            f"{slug!r} is not a {source.name} board slug (letters, digits, '.', '_' and '-' only)"
        )
    return slug


async def fetch_board(
    source: Source, ctx: SourceContext, slug: str, path: str, params: dict[str, str] | None = None
) -> Any:
    """The board's JSON; a 404 says the slug is wrong instead of "HTTP 404"."""
    url = f"{ctx.base_url(source)}{path}"
    try:
        return await ctx.http.get_json(url, params=params)
    except HTTPStatusError as exc:
        if exc.http_status == 404:
            raise SourceError(
                f"{source.name} has no job board called {slug!r}: check the slug in the company's "
                f"{source.name} careers URL"
            ) from exc
        raise
