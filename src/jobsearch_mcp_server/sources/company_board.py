"""What Greenhouse, Lever and Ashby share: one company's whole board per request, searched client-side."""

from __future__ import annotations

import re
from abc import abstractmethod
from typing import Any, ClassVar

from ..jobs.models import Job, SourceStatus
from .base import SearchQuery, Source, SourceContext, SourceError
from .filtering import parse_matching
from .http import HTTPStatusError

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class CompanyBoardSource(Source):
    """A board API that lists every open job of the company named by `query.company` (its slug)."""

    kind: ClassVar = "http"
    needs_company: ClassVar[bool] = True
    board_path: ClassVar[str]  # the API path of one company's board, with "{slug}" where the slug goes
    board_params: ClassVar[dict[str, str]]

    @abstractmethod
    def parse(self, payload: Any, company: str) -> list[Job]:
        """The jobs of one board's answer; `company` is the board's slug."""

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        slug = self.company_slug(query)
        payload = await self.fetch_board(ctx, slug)
        return await parse_matching(query, self.parse, payload, slug)

    def company_slug(self, query: SearchQuery) -> str:
        """The query's company slug, checked: it becomes part of a URL path."""
        slug = (query.company or "").strip()
        if not slug:
            raise SourceError(
                f"{self.name} searches one company's board: give the company's {self.name} slug, "
                f"e.g. '{self.name}:stripe'",
                SourceStatus.SKIPPED,
            )
        if not _SLUG.fullmatch(slug):
            raise SourceError(
                f"{slug!r} is not a {self.name} board slug (letters, digits, '.', '_' and '-' only)"
            )
        return slug

    async def fetch_board(self, ctx: SourceContext, slug: str) -> Any:
        """The board's JSON; a 404 says the slug is wrong instead of "HTTP 404"."""
        url = ctx.base_url(self, slug) + self.board_path.format(slug=slug)
        try:
            return await ctx.http.get_json(url, params=self.board_params)
        except HTTPStatusError as exc:
            if exc.http_status == 404:
                raise SourceError(
                    f"{self.name} has no job board called {slug!r}: check the slug in the company's "
                    f"{self.name} careers URL"
                ) from exc
            raise
