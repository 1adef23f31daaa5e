"""What the company career boards (applicant-tracking systems) share: one company's board, named by its slug,
read whole and searched client-side unless the board searches itself."""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any, ClassVar

from ..errors import HTTPStatusError
from ..fetching.http import NotJSONError
from ..jobs.models import Job, SourceStatus
from .base import SearchQuery, Source, SourceContext, SourceError
from .filtering import parse_matching

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class CompanyBoardSource(Source):
    """A board API that lists every open job of the company named by `query.company` (its slug)."""

    kind: ClassVar = "http"
    needs_company: ClassVar[bool] = True
    board_path: ClassVar[str]  # the API path of one company's board, with "{slug}" where the slug goes
    board_params: ClassVar[dict[str, str]] = {}
    # The careers URL a person copies the company part from; named when a company has no board.
    careers_url_form: ClassVar[str]
    slug_example: ClassVar[str] = "stripe"
    slug_pattern: ClassVar[re.Pattern[str]] = _SLUG

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
                f"e.g. '{self.name}:{self.slug_example}' (from {self.careers_url_form})",
                SourceStatus.SKIPPED,
            )
        if not self.slug_pattern.fullmatch(slug):
            raise SourceError(
                f"{slug!r} is not a {self.name} board slug: copy it from the careers URL {self.careers_url_form}"
            )
        return slug

    async def fetch_board(self, ctx: SourceContext, slug: str) -> Any:
        """The board's JSON; a 404 says the slug is wrong instead of "HTTP 404"."""
        url = ctx.base_url(self, slug) + self.board_path.format(slug=slug)
        async with self.wrong_company_on_404(slug):
            return await ctx.http.get_json(url, params=self.board_params or None)

    @asynccontextmanager
    async def wrong_company_on_404(self, slug: str) -> AsyncIterator[None]:
        """Turns an HTTP 404 of a board request into an error naming the careers URL to copy the slug from."""
        try:
            yield
        except (HTTPStatusError, NotJSONError) as exc:
            # An unknown company subdomain answers 404, or redirects to the provider's own home page.
            if getattr(exc, "http_status", 404) == 404:
                raise SourceError(
                    f"{self.name} has no job board called {slug!r}: copy the company part of its careers URL "
                    f"({self.careers_url_form}) and write '{self.name}:<that part>'"
                ) from exc
            raise


def joined_places(places: Iterable[str | None]) -> str | None:
    """Several offices as one location text ("Berlin; Munich"), repeats and blanks dropped."""
    names = (" ".join(str(place).split()) for place in places if place)
    return "; ".join(dict.fromkeys(name for name in names if name)) or None


def place_name(*parts: object) -> str | None:
    """One office from its parts ("Austin", "TX", "United States"), blanks and repeats dropped."""
    return joined_places(
        [", ".join(dict.fromkeys(str(part).strip() for part in parts if part and str(part).strip()))]
    )


async def read_pages(
    fetch_page: Callable[[int], Awaitable[tuple[list[Job], int | None]]],
    limit: int,
    page_size: int,
    max_pages: int,
) -> list[Job]:
    """The jobs of a board that answers a page at a time: `fetch_page(offset)` gives one page's jobs and the
    board's total (None when it does not say); reading stops at `limit` jobs, the last page or `max_pages`."""
    jobs: list[Job] = []
    total: int | None = None
    for page in range(max_pages):
        found, stated = await fetch_page(page * page_size)
        total = stated if stated else total  # Workday states the total on the first page only
        jobs.extend(found)
        if len(found) < page_size or len(jobs) >= limit or (total is not None and len(jobs) >= total):
            break
    return jobs
