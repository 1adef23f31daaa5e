"""Being a good guest on other people's servers: a per-host throttle and a per-source circuit breaker.

The throttle spaces requests to one host by at least `min_interval` seconds and lets only one
request per host run at a time. When a host answers 429 or shows a bot wall its delay doubles (or
follows Retry-After); every clean answer eases it back towards the minimum.

The circuit breaker stops asking a source that keeps failing: after `failure_threshold` failures in
a row the source is paused for a cool-down, then one trial search is let through (half-open); a
success closes the breaker, another failure pauses it again for twice as long.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal
from urllib.parse import urlsplit

import anyio
from pydantic import BaseModel, Field

Clock = Callable[[], float]


class Outcome(StrEnum):
    """How a host answered one request."""

    OK = "ok"
    RATE_LIMITED = "rate_limited"  # HTTP 429 or an explicit "slow down"
    BLOCKED = "blocked"  # 403, captcha, bot wall


def host_of(url: str) -> str:
    """The throttling key of a URL: its host and port, lower-cased."""
    parts = urlsplit(url)
    return (parts.netloc or parts.path).lower()


# Phrases only bot walls use. A bare "captcha" is not one of them: ordinary job pages embed reCAPTCHA
# in their application forms, so it counts only in the page title.
_WALL_PHRASES = {
    "/cdn-cgi/challenge-platform": "Cloudflare challenge",
    "captcha-delivery.com": "DataDome captcha",
    'id="px-captcha"': "PerimeterX captcha",
    "unusual traffic from your computer network": "unusual-traffic wall",
    "additional verification required": "verification wall",
    "verify you are human": "human-verification wall",
    "are you a robot": "robot check",
}
_WALL_TITLES = ("captcha", "just a moment", "attention required", "security check", "access denied", "安全验证", "验证码")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def bot_wall_reason(html: str, headers: dict[str, str] | None = None) -> str | None:
    """What kind of bot wall (captcha, challenge) `html` is, or None for an ordinary page."""
    lowered_headers = {k.lower(): v.lower() for k, v in (headers or {}).items()}
    if lowered_headers.get("cf-mitigated") == "challenge":
        return "Cloudflare challenge"
    head = html[:200_000].lower()
    for phrase, reason in _WALL_PHRASES.items():
        if phrase in head:
            return reason
    title = _TITLE.search(head[:20_000])
    if title and any(word in title.group(1) for word in _WALL_TITLES):
        return f"bot wall titled {title.group(1).strip()[:60]!r}"
    return None


@dataclass
class _HostState:
    delay_s: float
    next_start: float = 0.0
    lock: anyio.Lock = field(default_factory=anyio.Lock)


class Throttle:
    """Per-host spacing of requests; `async with throttle.slot(url): ...` then `throttle.report(url, outcome)`."""

    def __init__(
        self,
        min_interval_s: float,
        *,
        max_delay_s: float = 60.0,
        backoff_floor_s: float = 1.0,
        ease_factor: float = 0.75,
        clock: Clock = time.monotonic,
    ) -> None:
        self.min_interval_s = min_interval_s
        self.max_delay_s = max_delay_s
        # A host at a 0 s minimum that answers 429 still needs a real pause before the next try.
        self.backoff_floor_s = backoff_floor_s
        self.ease_factor = ease_factor
        self._clock = clock
        self._hosts: dict[str, _HostState] = {}

    def _state(self, url: str) -> _HostState:
        host = host_of(url)
        if host not in self._hosts:
            self._hosts[host] = _HostState(delay_s=self.min_interval_s)
        return self._hosts[host]

    def delay_for(self, url: str) -> float:
        """The current spacing for the URL's host, in seconds."""
        return self._state(url).delay_s

    def wait_for(self, url: str) -> float:
        """Seconds until a request to the URL's host may start (0 when it may start now)."""
        return max(0.0, self._state(url).next_start - self._clock())

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        """Waits for the host's turn, then holds it for the duration of the request."""
        state = self._state(url)
        async with state.lock:
            wait = state.next_start - self._clock()
            if wait > 0:
                await anyio.sleep(wait)
            try:
                yield
            finally:
                # The spacing counts from the end of a request, so slow pages slow the pace down too.
                state.next_start = max(state.next_start, self._clock() + state.delay_s)

    def report(self, url: str, outcome: Outcome, retry_after_s: float | None = None) -> None:
        """Adapts the host's delay to how it answered; `retry_after_s` is the server's Retry-After."""
        state = self._state(url)
        if outcome is Outcome.OK:
            state.delay_s = max(self.min_interval_s, state.delay_s * self.ease_factor)
            return
        grown = max(state.delay_s * 2, self.backoff_floor_s, retry_after_s or 0.0)
        state.delay_s = min(self.max_delay_s, grown)
        pause = min(self.max_delay_s, max(state.delay_s, retry_after_s or 0.0))
        state.next_start = max(state.next_start, self._clock() + pause)


BreakerState = Literal["closed", "open", "half_open"]


class BreakerStatus(BaseModel):
    """A source's health as the circuit breaker sees it."""

    state: BreakerState = Field(
        "closed", description="closed: in use; open: paused after repeated failures; half_open: next search is a trial"
    )
    consecutive_failures: int = 0
    paused_until: datetime | None = Field(None, description="when an open breaker lets a trial search through")
    last_error: str | None = None


@dataclass
class _Circuit:
    failures: int = 0
    opened_at: float | None = None
    cool_down_s: float = 0.0
    trial_running: bool = False
    last_error: str | None = None


class CircuitBreaker:
    """One breaker per key (a source name, or `name:company` for company boards)."""

    def __init__(
        self,
        *,
        failure_threshold: int = 3,
        cool_down_s: float = 300.0,
        max_cool_down_s: float = 3600.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.cool_down_s = cool_down_s
        self.max_cool_down_s = max_cool_down_s
        self._clock = clock
        self._circuits: dict[str, _Circuit] = {}

    def _circuit(self, key: str) -> _Circuit:
        return self._circuits.setdefault(key, _Circuit(cool_down_s=self.cool_down_s))

    def _state(self, circuit: _Circuit) -> BreakerState:
        if circuit.opened_at is None:
            return "closed"
        if self._clock() - circuit.opened_at >= circuit.cool_down_s:
            return "half_open"
        return "open"

    def allow(self, key: str) -> bool:
        """True when the source may be asked now; in half-open state only one trial at a time is let through."""
        circuit = self._circuit(key)
        state = self._state(circuit)
        if state == "closed":
            return True
        if state == "half_open" and not circuit.trial_running:
            circuit.trial_running = True
            return True
        return False

    def record_success(self, key: str) -> None:
        self._circuits[key] = _Circuit(cool_down_s=self.cool_down_s)

    def record_failure(self, key: str, message: str | None = None) -> None:
        circuit = self._circuit(key)
        circuit.last_error = message
        if circuit.trial_running:  # the trial failed: pause again, for longer
            circuit.trial_running = False
            circuit.cool_down_s = min(self.max_cool_down_s, circuit.cool_down_s * 2)
            circuit.opened_at = self._clock()
            return
        circuit.failures += 1
        if circuit.failures >= self.failure_threshold and circuit.opened_at is None:
            circuit.opened_at = self._clock()

    def release(self, key: str) -> None:
        """Ends a trial that neither succeeded nor failed (e.g. cancelled), so the next search may try again."""
        self._circuit(key).trial_running = False

    def status(self, key: str) -> BreakerStatus:
        circuit = self._circuits.get(key)
        if circuit is None:
            return BreakerStatus()
        paused_until = None
        if circuit.opened_at is not None:
            remaining = circuit.opened_at + circuit.cool_down_s - self._clock()
            paused_until = datetime.fromtimestamp(time.time() + max(0.0, remaining), UTC)
        return BreakerStatus(
            state=self._state(circuit),
            consecutive_failures=circuit.failures,
            paused_until=paused_until,
            last_error=circuit.last_error,
        )

    def keys(self) -> list[str]:
        return sorted(self._circuits)
