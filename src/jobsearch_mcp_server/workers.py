"""The one bounded pool that CPU-heavy work runs in: parsing, filtering, dedup, ranking, paging.

On the event loop such work stalls every other MCP call of every client; in anyio's default thread
pool (40 threads) fifty clients' rankings run at once and fight the event loop for the interpreter.
Here at most JOBSEARCH_CPU_WORKERS of them run at a time and the rest queue, so the loop gets its
turns and cheap calls (list_sources, paging, get_job_details from the cache) keep their latency.
Blocking I/O (the store, the browser) stays in anyio's default pool: it waits, it does not compute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar, TypeVarTuple

import anyio.to_thread
from anyio import CapacityLimiter
from anyio.lowlevel import RunVar

P = ParamSpec("P")
T = TypeVar("T")
Args = TypeVarTuple("Args")

DEFAULT_CPU_WORKERS = 2
# One limiter per event loop (a limiter belongs to the loop it waits on; tests run many loops).
_limiter: RunVar[CapacityLimiter] = RunVar("jobsearch_cpu_limiter")
_size = DEFAULT_CPU_WORKERS


def set_cpu_workers(count: int) -> None:
    """Sizes the pool (JOBSEARCH_CPU_WORKERS); the runtime calls it once when the process starts."""
    global _size
    _size = count


def cpu_limiter() -> CapacityLimiter:
    try:
        return _limiter.get()
    except LookupError:
        limiter = CapacityLimiter(_size)
        _limiter.set(limiter)
        return limiter


async def run_cpu(work: Callable[[*Args], T], *args: *Args, abandon_on_cancel: bool = False) -> T:
    """`work(*args)` in the CPU pool. `abandon_on_cancel`: a cancelled call returns at once and leaves the
    thread to finish alone (only for work that changes nothing outside itself)."""
    return await anyio.to_thread.run_sync(
        work, *args, abandon_on_cancel=abandon_on_cancel, limiter=cpu_limiter()
    )


async def off_loop(parse: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`parse(*args, **kwargs)` in the CPU pool: parsing a board's page or answer is CPU work that would
    otherwise stall every other MCP call. A parse changes nothing outside itself, so a cancelled search
    leaves its thread to finish alone."""
    return await run_cpu(lambda: parse(*args, **kwargs), abandon_on_cancel=True)
