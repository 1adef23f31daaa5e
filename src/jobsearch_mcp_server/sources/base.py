"""The one small interface every job board implements.

A source turns a `SearchQuery` into `Job`s. Browser sources fetch pages through the shared browser
pool, HTTP sources through the shared polite HTTP client; both parse with plain functions that take
page text and return jobs, so parsers are tested on saved real pages without a network.

Adding a board = one module in this package with a `Source` subclass (the registry finds it), plus one
sample folder, `demo/samples/<name>/`: the project's own answers in the board's real format, which the demo
site and the tests serve (the board contract test runs every registered board against it).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, ParamSpec, TypeVar

from ..errors import BlockedError, JobsearchError, SourceError
from ..fetching.politeness import Outcome, Throttle, bot_wall_reason, host_of
from ..jobs.models import Job, SearchQuery

P = ParamSpec("P")
T = TypeVar("T")


if TYPE_CHECKING:
    from ..browser.pool import BrowserPool, Page
    from ..config import Settings
    from ..fetching.http import PoliteClient


def job_records(payload: Any, source: str, key: str | None = None) -> list[dict[str, Any]]:
    """The job objects of a board's JSON answer: the list at `payload[key]`, or the payload itself when
    `key` is None. Another shape raises `SourceError`: a changed API must not read as "no jobs"."""
    records = payload if key is None else payload.get(key) if isinstance(payload, dict) else None
    if not isinstance(records, list):
        expected = f"a {key!r} list" if key else "a list of jobs"
        raise SourceError(f"{source} answered without {expected}: the API may have changed")
    return [record for record in records if isinstance(record, dict)]


@dataclass
class SourceContext:
    """What a source gets to do its work. Built once per process by the search service.

    `SourceContext(settings)` alone gives a throttle and HTTP client from the settings and no browser.
    """

    settings: Settings
    http: PoliteClient | None = None
    throttle: Throttle | None = None
    # Called on the first `fetch_page`, so HTTP-only searches never start Chromium; None = no browser here.
    browser_factory: Callable[[], BrowserPool | None] | None = None
    _browser: BrowserPool | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        from ..fetching.http import PoliteClient  # http.py imports this module's errors

        if self.throttle is None:
            self.throttle = (
                self.http.throttle if self.http else Throttle(self.settings.min_request_interval_s)
            )
        if self.http is None:
            self.http = PoliteClient(self.settings, self.throttle)

    @property
    def browser(self) -> BrowserPool | None:
        if self._browser is None and self.browser_factory is not None:
            self._browser = self.browser_factory()
        return self._browser

    async def fetch_page(
        self,
        url: str,
        wait_css: str | None = None,
        *,
        profile: str | None = None,
        timeout_s: float | None = None,
    ) -> Page:
        """The rendered page at `url` through the shared browser pool, after the host's throttle.

        `profile` names the persistent browser profile of a login source (see `BrowserPool.fetch`).

        Raises `BlockedError` when the page is a bot wall (captcha, challenge), so a wall is never
        mistaken for an empty result.
        """
        await self.http.check_robots(url)
        try:
            browser = self.browser
        except JobsearchError as exc:
            raise SourceError(f"no browser available: {exc}") from exc
        if browser is None:
            raise SourceError(
                "no browser available: install Chromium and chromedriver (or set SELENIUM_REMOTE_URL) "
                "to use browser-driven boards"
            )
        async with self.throttle.slot(url):
            page = await browser.fetch_async(url, wait_css=wait_css, timeout_s=timeout_s, profile=profile)
        wall = bot_wall_reason(page.html)
        if wall:
            raise self.blocked(url, wall)
        self.throttle.report(url, Outcome.OK)
        return page

    def blocked(self, url: str, reason: str) -> BlockedError:
        """A `BlockedError` to raise for a bot wall seen at `url`; also slows further requests to its host."""
        self.throttle.report(url, Outcome.BLOCKED)
        return BlockedError(f"{host_of(url)} shows a bot wall ({reason})")

    def base_url(self, source: Source | type[Source], company: str | None = None) -> str:
        """The board's base URL (JOBSEARCH_<NAME>_BASE_URL, else its default), with `{company}` filled in
        for a board that gives every company its own host (`https://{company}.recruitee.com`)."""
        template = self.settings.board_base_urls.get(source.name) or source.default_base_url
        if company:
            template = template.replace("{company}", company)
        return template.rstrip("/")  # without a company, `{company}` stays: the URL's form (list_sources)


class Source(ABC):
    """One board. A subclass declares, once, what the registry, the settings, `list_sources`, the login
    command and the demo site read about it."""

    name: ClassVar[str]  # e.g. "linkedin"; also the key in JOBSEARCH_<NAME>_BASE_URL and its sample folder
    kind: ClassVar[Literal["browser", "http", "file"]]
    # "{company}" where a board gives each company its own host: "https://{company}.recruitee.com"
    default_base_url: ClassVar[str] = ""
    needs_company: ClassVar[bool] = False  # greenhouse / lever / ashby search one company's board
    requires_login: ClassVar[bool] = False
    # The board's sign-in page, a path under its base URL, for `jobsearch-mcp login <name>`; None: no login.
    login_url: ClassVar[str | None] = None
    # False for a board that ignores `query.location`: the search service then drops the jobs whose
    # stated location does not name the requested place. A board that searches by location keeps its
    # own judgement ("United States" finds jobs whose cards only say "New York, NY"); a board searched
    # client-side applies the location in `sources.filtering`.
    searches_location: ClassVar[bool] = True
    # False for a reader of single pages (the generic JSON-LD source): never asked by a search.
    searchable: ClassVar[bool] = True

    @abstractmethod
    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        """Jobs for `query`; raises `SourceError` (or a subclass) when the board could not answer."""

    async def details(self, job: Job, ctx: SourceContext) -> Job:
        """The job with its full description; by default the job as it is (HTTP APIs return it whole)."""
        return job
