"""Long tool calls stay alive: progress at least every `interval_s` seconds, always increasing.

MCP clients give a tool call about 60 s unless progress notifications keep resetting their timer, and
boards, file imports and a reasoning model can take longer than that. `kept_alive` wraps every async tool
where it is registered (`JobsearchServer.add_tool`): while the call runs, a heartbeat repeats the latest
progress message ("..., still working: 40 s") whenever nothing was reported for `interval_s`. It also keeps
the values increasing, as the protocol requires, when several stages report (a search, then one verdict
after another, each LLM answer counting its own tokens from zero).
"""

from __future__ import annotations

import functools
import inspect
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from mcp.server.mcpserver import Context

from ..llm import ProgressFn

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 10.0
STEP = 0.001  # how far a repeated or lower value is moved past the last one sent


class CallProgress:
    """One tool call's progress: passes reports on with increasing values, and beats while nothing comes."""

    def __init__(self, report: ProgressFn, interval_s: float) -> None:
        self._report = report
        self._interval_s = interval_s
        self._started = self._sent_at = time.monotonic()
        self._last = -STEP
        self._total: float | None = None
        self._message: str | None = None

    async def __call__(self, progress: float, total: float | None = None, message: str | None = None) -> None:
        value = progress if progress > self._last else self._last + STEP
        self._last, self._total, self._message = value, total if total is None or value <= total else None, message
        self._sent_at = time.monotonic()
        await self._report(value, self._total, message)

    async def beat(self) -> None:
        """Runs beside the call: reports again whenever `interval_s` passed without a report."""
        while True:
            await anyio.sleep(max(0.0, self._sent_at + self._interval_s - time.monotonic()))
            if time.monotonic() - self._sent_at >= self._interval_s:
                elapsed = time.monotonic() - self._started
                doing = self._message.split(" — still working")[0] if self._message else "working"
                try:
                    await self(self._last + STEP, self._total, f"{doing} — still working: {elapsed:.0f} s")
                except Exception as exc:  # noqa: BLE001 - a client gone quiet must not fail the call itself
                    log.info("progress heartbeat stopped: %s", exc)
                    return


def _context_parameter(fn: Callable[..., Any]) -> str | None:
    for name, parameter in inspect.signature(fn).parameters.items():
        annotation = parameter.annotation
        if annotation is Context or annotation == "Context" or (
            inspect.isclass(annotation) and issubclass(annotation, Context)
        ):
            return name
    return None


def kept_alive(fn: F, interval_s: float = DEFAULT_INTERVAL_S) -> F:
    """`fn` (a tool function) with a heartbeat while it runs and increasing progress values; sync tools
    (quick local reads, run in a worker thread) are left as they are."""
    context_name = _context_parameter(fn)
    if not inspect.iscoroutinefunction(fn) or context_name is None:
        return fn

    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs.get(context_name)
        if not isinstance(ctx, Context):
            return await fn(*args, **kwargs)
        progress = CallProgress(ctx.report_progress, interval_s)
        # The request's own Context (one per call): the tool's `ctx.report_progress` now goes through
        # `progress`, so every stage the tool hands it to is counted and kept increasing.
        object.__setattr__(ctx, "report_progress", progress)
        failure: Exception | None = None
        async with anyio.create_task_group() as group:
            group.start_soon(progress.beat)
            try:
                result = await fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - re-raised below, outside the task group (which wraps it)
                failure = exc
            group.cancel_scope.cancel()
        if failure is not None:
            raise failure
        return result

    return wrapper  # type: ignore[return-value]
