"""Running CPU work off the event loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

import anyio

P = ParamSpec("P")
T = TypeVar("T")


async def off_loop(parse: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`parse(*args, **kwargs)` in a worker thread: parsing a board's page or answer is CPU work that would
    otherwise stall every other MCP call. A parse changes nothing outside itself, so a cancelled search
    leaves its thread to finish alone."""
    return await anyio.to_thread.run_sync(lambda: parse(*args, **kwargs), abandon_on_cancel=True)
