"""The one bounded pool that CPU-heavy work runs in: parsing, filtering, dedup, ranking, paging.

On the event loop such work stalls every other MCP call of every client; in anyio's default thread
pool (40 threads) fifty clients' rankings run at once and fight the event loop for the interpreter.
Here at most JOBSEARCH_CPU_WORKERS of them run at a time and the rest queue, so the loop gets its
turns and cheap calls (list_sources, paging, get_job_details from the cache) keep their latency.
Blocking I/O (the store, the browser) stays in anyio's default pool: it waits, it does not compute.

A thread still holds the interpreter lock while it computes, and the event loop waits for it on every
turn. So when the server serves many clients (SSE, streamable HTTP), the heavy pure steps (`run_pure`:
reading a jobs file, parsing a board's answer, a resume's profile from its text, merging duplicates:
module-level functions of arguments that pickle cheaply) run in as many worker processes instead, which
hold no lock of the server's. Merging 267 postings' duplicates takes about 180 ms, shipping them there and
back about 8 ms. Steps cheaper than shipping their jobs across (filters, pages) and steps that keep state
in the server (ranking with its feature cache) stay in threads (`run_cpu`). Both take their place from
the same JOBSEARCH_CPU_WORKERS. On stdio (one client) every step runs in a thread: no process to start.

The worker processes run at a lower priority (JOBSEARCH_CPU_WORKERS_NICE, nice 10 by default): on a
machine whose cores are all busy with fifty clients' parsing, the server's own process, which answers
every call, gets a core first when a request arrives, and the workers take the rest of the time.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ParamSpec, TypeVar, TypeVarTuple

import anyio.to_thread
from anyio import CapacityLimiter
from anyio.lowlevel import RunVar

from .tenants import acting_as, current_tenant

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

P = ParamSpec("P")
T = TypeVar("T")
Args = TypeVarTuple("Args")

DEFAULT_CPU_WORKERS = 2
DEFAULT_WORKER_NICE = 10
PARENT_CHECK_S = 1.0  # how soon a worker process whose server died (kill -9) ends too
# One limiter per event loop (a limiter belongs to the loop it waits on; tests run many loops).
_limiter: RunVar[CapacityLimiter] = RunVar("jobsearch_cpu_limiter")
_size = DEFAULT_CPU_WORKERS
_in_processes = False
_worker_nice = DEFAULT_WORKER_NICE
_processes: ProcessPoolExecutor | None = None  # started on the first pure step, one per server process


def set_cpu_workers(count: int, *, processes: bool = False, nice: int = DEFAULT_WORKER_NICE) -> None:
    """Sizes the pool (JOBSEARCH_CPU_WORKERS), says whether pure steps run in worker processes and how much
    lower their priority is than the server's (JOBSEARCH_CPU_WORKERS_NICE); the runtime calls it once when
    the process starts."""
    global _size, _in_processes, _worker_nice
    shutdown_processes()
    _size, _in_processes, _worker_nice = count, processes, nice


def shutdown_processes() -> None:
    """Stops the worker processes (the runtime's close): steps still queued are dropped, running ones end."""
    global _processes
    if _processes is not None:
        _processes.shutdown(wait=True, cancel_futures=True)
        _processes = None


def _process_pool() -> ProcessPoolExecutor:
    global _processes
    if _processes is None:
        import multiprocessing  # with the first process: a stdio server never needs it
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: the server has threads (fork copies their locks mid-use)
        _processes = ProcessPoolExecutor(
            _size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(), _worker_nice),
        )
    return _processes


def _start_worker(server_pid: int, nice: int) -> None:
    """In each worker process: lower its priority, and exit when the server is gone. A server killed
    without its shutdown would otherwise leave its workers (150 MB each) waiting for work forever."""
    if nice and hasattr(os, "nice"):  # Windows has no nice; its workers keep the server's priority
        os.nice(nice)

    def watch() -> None:
        while os.getppid() == server_pid:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="server-watch", daemon=True).start()


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


async def run_pure(work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`work(*args, **kwargs)` in the CPU pool, in a worker process when the server serves many clients.
    `work` must be pure: a function of arguments and a result that pickle, changing nothing outside itself;
    so a cancelled call returns at once and leaves the step to finish alone. It runs in a thread when it,
    or a function among its arguments, cannot be found by name in another process."""
    functions = [work, *(arg for arg in (*args, *kwargs.values()) if callable(arg))]
    if not (_in_processes and all(map(_found_by_name, functions))):
        return await run_cpu(partial(work, *args, **kwargs), abandon_on_cancel=True)
    async with cpu_limiter():
        step = _process_pool().submit(_as_tenant, current_tenant(), work, *args, **kwargs)
        return await asyncio.wrap_future(step)


def _as_tenant(tenant: str, work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`work` in a worker process as the tenant of the call that sent it: a context variable does not cross
    to another process, and a pure step may still resolve the tenant's paths (a jobs file to import)."""
    with acting_as(tenant):
        return work(*args, **kwargs)


def _found_by_name(work: Callable[..., object]) -> bool:
    """Whether a worker process can find `work` by its module and name: a function, not a lambda, a local
    function or a method (a method would carry its object, and a board source's state, along)."""
    return inspect.isfunction(work) and "<" not in work.__qualname__


async def off_loop(parse: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`parse(*args, **kwargs)` as a pure step (`run_pure`): parsing a board's page or answer is CPU work
    that would otherwise stall every other MCP call."""
    return await run_pure(parse, *args, **kwargs)
