"""The one HTTP client every HTTP source shares: throttled per host, bounded retries, honest errors.

- 5xx and connection errors are retried with exponential back-off, at most `max_retries` times.
- 429 slows the host down (Retry-After is honoured) and is retried; if it persists, `BlockedError`.
- 403 and bot-wall pages (captcha, Cloudflare challenge) raise `BlockedError` at once: retrying
  a wall only makes it taller.
- Other 4xx raise `HTTPStatusError` (a `SourceError`) naming the status and the URL.
- With `JOBSEARCH_RESPECT_ROBOTS=true`, a path robots.txt forbids raises `SourceError` with status
  `skipped` before any request is sent to it.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import anyio
import httpx

from .. import __version__
from ..config import Settings
from ..errors import BlockedError, HTTPStatusError, SourceError
from ..jobs.models import SourceStatus
from ..workers import run_cpu
from .politeness import Outcome, Throttle, bot_wall_reason, host_of

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = f"jobsearch-mcp/{__version__} (personal job-search assistant; one person's searches)"
ROBOTS_AGENT = "jobsearch-mcp"


class NotJSONError(SourceError):
    """A JSON API answered something else (a company's unknown subdomain often lands on a marketing page)."""


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _page_text(response: httpx.Response) -> str:
    """The body when it may be a wall page; JSON bodies are data (job texts may quote any phrase)."""
    return "" if "json" in response.headers.get("content-type", "") else response.text


class PoliteClient:
    """`get_json` / `get_text` over one shared `httpx.AsyncClient`, created on first use."""

    def __init__(
        self,
        settings: Settings,
        throttle: Throttle,
        *,
        max_retries: int = 2,
        retry_base_s: float = 0.5,
        max_retry_after_s: float = 30.0,
    ) -> None:
        self.settings = settings
        self.throttle = throttle
        self.max_retries = max_retries
        self.retry_base_s = retry_base_s
        # A Retry-After longer than this is not waited out inside a search: the source reports blocked.
        self.max_retry_after_s = max_retry_after_s
        self.user_agent = settings.user_agent or DEFAULT_USER_AGENT
        self._client: httpx.AsyncClient | None = None
        self._robots: dict[str, RobotFileParser] = {}

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            timeout = self.settings.page_timeout_s
            self._client = httpx.AsyncClient(
                headers={"User-Agent": self.user_agent, "Accept-Language": "en-US,en;q=0.8"},
                proxy=self.settings.proxy or None,
                timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
                follow_redirects=True,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def get_json(
        self, url: str, *, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        response = await self.get(url, params=params, headers={"Accept": "application/json", **(headers or {})})
        return await self._decoded(response)

    async def post_json(self, url: str, body: Any, *, headers: dict[str, str] | None = None) -> Any:
        """The JSON answer to a POST of `body` as JSON (Workday's job search is a POST), same rules as `get`."""
        response = await self.get(
            url, headers={"Accept": "application/json", **(headers or {})}, method="POST", json_body=body
        )
        return await self._decoded(response)

    async def _decoded(self, response: httpx.Response) -> Any:
        try:  # a board's whole answer can be megabytes (a big Greenhouse board with descriptions)
            return await run_cpu(response.json, abandon_on_cancel=True)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise NotJSONError(
                f"{response.url} did not answer JSON (content-type {response.headers.get('content-type', '?')})"
            ) from None

    async def get_text(
        self, url: str, *, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> str:
        return (await self.get(url, params=params, headers=headers)).text

    async def get(
        self,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        method: str = "GET",
        json_body: Any = None,
    ) -> httpx.Response:
        """A successful (2xx/3xx) response for `url`, or a `SourceError` saying why there is none."""
        await self.check_robots(url)
        attempt = 0
        while True:
            failure = await self._attempt(url, params, headers, method, json_body)
            if isinstance(failure, httpx.Response):
                return failure
            if attempt >= self.max_retries:
                raise failure
            attempt += 1
            if failure.status is not SourceStatus.BLOCKED:  # a 429's pause is already in the throttle
                await anyio.sleep(self.retry_base_s * 2 ** (attempt - 1))
            log.debug("retrying %s (attempt %d): %s", url, attempt + 1, failure)

    async def _attempt(
        self,
        url: str,
        params: dict[str, Any] | None,
        headers: dict[str, str] | None,
        method: str = "GET",
        json_body: Any = None,
    ) -> httpx.Response | SourceError:
        """One request: the response when usable, a retryable error to return, or a final error raised."""
        async with self.throttle.slot(url):
            try:
                response = await self.client.request(
                    method, url, params=params, headers=headers, json=json_body
                )
            except httpx.TimeoutException:
                return SourceError(f"{host_of(url)} did not answer within the timeout", SourceStatus.TIMEOUT)
            except httpx.TransportError as exc:
                return SourceError(f"cannot reach {host_of(url)}: {exc or type(exc).__name__}")
        status = response.status_code
        if status == 429:
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            self.throttle.report(url, Outcome.RATE_LIMITED, retry_after)
            waited = f"; it asks to wait {retry_after:.0f} s" if retry_after is not None else ""
            error = BlockedError(f"{host_of(url)} is rate limiting (HTTP 429){waited}")
            if retry_after is not None and retry_after > self.max_retry_after_s:
                raise error
            return error
        wall = bot_wall_reason(_page_text(response), dict(response.headers)) if status in (200, 403, 503) else None
        if status == 403 or wall:
            self.throttle.report(url, Outcome.BLOCKED)
            raise BlockedError(f"{host_of(url)} refused the request ({wall or 'HTTP 403 Forbidden'})")
        if status >= 500:
            return SourceError(f"{response.url} answered HTTP {status} {response.reason_phrase}".strip())
        if status >= 400:
            raise HTTPStatusError(str(response.url), status, response.reason_phrase)
        self.throttle.report(url, Outcome.OK)
        return response

    async def check_robots(self, url: str) -> None:
        """With JOBSEARCH_RESPECT_ROBOTS=true, a `SourceError` (status skipped) when robots.txt forbids `url`."""
        if not self.settings.respect_robots:
            return
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        robots = self._robots.get(origin)
        if robots is None:
            robots = await self._load_robots(origin)
            self._robots[origin] = robots
        if not robots.can_fetch(ROBOTS_AGENT, url):
            path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
            raise SourceError(
                f"robots.txt of {parts.netloc} disallows {path}; skipped because JOBSEARCH_RESPECT_ROBOTS=true",
                SourceStatus.SKIPPED,
            )

    async def _load_robots(self, origin: str) -> RobotFileParser:
        """The host's rules as RFC 9309 reads them: missing (4xx) allows all, unreachable (5xx) forbids all."""
        robots = RobotFileParser(origin + "/robots.txt")
        try:
            async with self.throttle.slot(origin):
                response = await self.client.get(origin + "/robots.txt")
        except httpx.HTTPError as exc:
            log.info("robots.txt of %s unreachable (%s): treating the host as disallowed", origin, exc)
            robots.disallow_all = True
            return robots
        if response.status_code >= 500:
            robots.disallow_all = True
        elif response.status_code >= 400:
            robots.allow_all = True
        else:
            robots.parse(response.text.splitlines())
        return robots
