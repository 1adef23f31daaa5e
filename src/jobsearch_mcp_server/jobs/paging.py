"""The reply budget: how many characters one tool reply may carry, and pages that fill it.

An MCP tool reply carries its result twice: as JSON text indented by two (what most clients show the
model) and as structured content (compact JSON). The budget counts both together, so whichever one a
client hands its model, a reply stays a few thousand tokens. Lists longer than one reply holds are paged
(`offset` / `next_offset` with a handle); `tools/budget.py` holds every tool's reply to the same budget.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import pydantic_core
from pydantic import BaseModel

REPLY_BUDGET_CHARS = 24_000

T = TypeVar("T")


def reply_chars(result: Any) -> int:
    """Characters a tool returning `result` sends: its indented JSON text plus its compact structured form."""
    data = result.model_dump(mode="json", by_alias=True) if isinstance(result, BaseModel) else result
    text = pydantic_core.to_json(data, indent=2, fallback=str).decode()
    compact = pydantic_core.to_json(data, fallback=str).decode()
    return len(text) + len(compact)


def fill_page(
    page: BaseModel, items: list[T], candidates: Iterable[T], budget_chars: int = REPLY_BUDGET_CHARS
) -> int:
    """Appends `candidates` to `items` (a list inside `page`) while the whole reply stays within the budget,
    at least one, whatever its size, so paging always moves on. Returns how many candidates were taken;
    the caller sets next_offset from it. The reply is measured as sent, not estimated (a page holds at most
    a few dozen entries, so measuring each step is cheap)."""
    taken = 0
    for item in candidates:
        items.append(item)
        if items[1:] and reply_chars(page) > budget_chars:
            items.pop()
            break
        taken += 1
    return taken
