"""Every tool's reply within the reply budget, and every argument within a sensible length.

`bounded_reply` wraps each tool where it is registered (`JobsearchServer.add_tool`), so no tool can
forget it:
- Arguments: a string longer than its limit (by parameter name, e.g. 500 characters for a query) or a list
  with too many entries is refused with an error that says the limit, before the tool runs; so nothing the
  user sent is echoed back unbounded, in a result or in an error.
- Replies: the tools that return lists page them within the budget themselves (search_jobs, match_jobs,
  import_jobs: `jobs/paging.py`). Whatever still comes out larger (a posting of 100 pages, a reasoning
  trace) is cut here: the longest texts are shortened until the reply fits, and a note says which ones
  and where the whole is. Error messages are capped too.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import pydantic_core
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent
from mcp_types import InputRequiredResult
from pydantic import BaseModel

from ..errors import JobsearchError
from ..jobs.paging import REPLY_BUDGET_CHARS, reply_chars

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_MAX_CHARS = 1_000
# Longest accepted value per parameter name, whichever tool has it.
MAX_CHARS = {
    "query": 500,
    "location": 200,
    "target_role": 200,
    "title": 300,
    "company": 200,
    "filename": 255,
    "path": 4_096,
    "url": 4_096,
    "notes": 10_000,
    "text": 200_000,  # a pasted resume: 50 pages of text
    "content_base64": None,  # checked against JOBSEARCH_MAX_FILE_MB by the resume reader, never echoed
}
MAX_ITEMS = {"job_ids": 1_000, "sources": 50}
DEFAULT_MAX_ITEMS = 100
MAX_ERROR_CHARS = 2_000
NOTE_CHARS = 600  # room kept for the note that says what was cut
MIN_KEPT_CHARS = 160  # a text is never cut shorter than this
CUT_MARK = " … [cut to fit the reply]"
# Where the whole of a cut reply can be read, for the tools whose records have a resource.
WHOLE_AT = {
    "get_job_details": "the whole posting is at the resource job://{job_id}",
    "parse_resume": "the whole profile is at resume://{resume_id} and the text at resume://{resume_id}/text",
}


class ArgumentTooLong(JobsearchError):
    """An argument over its limit: the message says which, how long, and the limit (never the value)."""


def check_arguments(arguments: dict[str, Any]) -> None:
    for name, value in arguments.items():
        if isinstance(value, str):
            _check_text(name, value)
        elif isinstance(value, list | tuple):
            limit = MAX_ITEMS.get(name, DEFAULT_MAX_ITEMS)
            if len(value) > limit:
                raise ArgumentTooLong(f"{name} has {len(value):,} entries; the limit is {limit:,}: pass fewer")
            for item in value:
                if isinstance(item, str):
                    _check_text(f"an entry of {name}", item, MAX_CHARS.get(name, DEFAULT_MAX_CHARS))


def _check_text(name: str, value: str, limit: int | None = None) -> None:
    limit = limit if limit is not None else MAX_CHARS.get(name, DEFAULT_MAX_CHARS)
    if limit is not None and len(value) > limit:
        hint = " (a job title and a skill or two)" if name == "query" else ""
        raise ArgumentTooLong(f"{name} is {len(value):,} characters long; the limit is {limit:,}{hint}: shorten it")


def fit_reply(result: Any, tool: str, budget_chars: int = REPLY_BUDGET_CHARS) -> Any:
    """`result` as it is when its reply fits the budget; else a reply with its longest texts cut to fit
    (the structured content still valid for the tool's output schema) and a note saying what was cut."""
    if not isinstance(result, BaseModel) or isinstance(result, InputRequiredResult | CallToolResult):
        return result
    if reply_chars(result) <= budget_chars:
        return result
    note_budget, budget_chars = NOTE_CHARS, budget_chars - NOTE_CHARS
    data = result.model_dump(mode="json", by_alias=True)
    longest = max(_text_lengths(data), default=0)
    low, high = MIN_KEPT_CHARS, max(MIN_KEPT_CHARS, longest)
    while low < high:  # the largest cap on text lengths that fits
        middle = (low + high + 1) // 2
        if reply_chars(_trimmed(data, cap=middle)[0]) <= budget_chars:
            low = middle
        else:
            high = middle - 1
    capped, cut = _trimmed(data, cap=low)
    entries = max(_list_lengths(capped), default=0)
    if reply_chars(capped) > budget_chars and entries:  # short texts, but too many of them: shorten lists
        few, many = 1, entries
        while few < many:
            middle = (few + many + 1) // 2
            if reply_chars(_trimmed(capped, entries=middle)[0]) <= budget_chars:
                few = middle
            else:
                many = middle - 1
        capped, shortened = _trimmed(capped, entries=few)
        cut += [f"{path} (first {few} entries)" for path in shortened]
    value = type(result).model_validate(capped)
    where = WHOLE_AT.get(tool, "").format_map(_named_values(data))
    where = where or (f"page on with {', '.join(_paging(data))}" if _paging(data) else "")
    note = (
        f"This reply was cut to fit {budget_chars + note_budget:,} characters (texts to at most {low:,} characters): "
        f"{', '.join(cut[:5])}{f' and {len(cut) - 5} more' if len(cut) > 5 else ''}"
        + (f"; {where}." if where else ".")
    )
    note = note[:note_budget]
    structured = value.model_dump(mode="json", by_alias=True)
    text = pydantic_core.to_json(structured, indent=2).decode()
    return CallToolResult(
        content=[TextContent(type="text", text=text), TextContent(type="text", text=note)],
        structured_content=structured,
    )


def _named_values(data: dict[str, Any]) -> dict[str, str]:
    """The string fields of `data` and of the objects inside it (not inside lists), outermost first."""
    found: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            found = _named_values(value) | found
        elif isinstance(value, str):
            found[key] = value
    return found


def _paging(data: dict[str, Any]) -> list[str]:
    return [key for key in ("search_id", "match_id") if data.get(key)]


def _text_lengths(value: Any) -> list[int]:
    if isinstance(value, str):
        return [len(value)]
    if isinstance(value, dict):
        return [n for item in value.values() for n in _text_lengths(item)]
    if isinstance(value, list):
        return [n for item in value for n in _text_lengths(item)]
    return []


def _list_lengths(value: Any) -> list[int]:
    if isinstance(value, dict):
        return [n for item in value.values() for n in _list_lengths(item)]
    if isinstance(value, list):
        return [len(value), *(n for item in value for n in _list_lengths(item))]
    return []


def _trimmed(
    value: Any, *, cap: int | None = None, entries: int | None = None, path: str = ""
) -> tuple[Any, list[str]]:
    """`value` with every string longer than `cap` cut to it (marked) and every list cut to its first
    `entries` entries, and the paths of what was cut."""
    if isinstance(value, str):
        if cap is None or len(value) <= cap:
            return value, []
        return value[: cap - len(CUT_MARK)].rstrip() + CUT_MARK, [path or "result"]
    if isinstance(value, dict):
        out, cut = {}, []
        for key, item in value.items():
            out[key], inner = _trimmed(item, cap=cap, entries=entries, path=f"{path}.{key}" if path else key)
            cut += inner
        return out, cut
    if isinstance(value, list):
        kept = value if entries is None else value[:entries]
        out_list, cut = [], [path or "result"] if len(kept) < len(value) else []
        for index, item in enumerate(kept):
            trimmed, inner = _trimmed(item, cap=cap, entries=entries, path=f"{path}[{index}]")
            out_list.append(trimmed)
            cut += inner
        return out_list, cut
    return value, []


def _bounded_error(exc: ToolError | JobsearchError) -> ToolError:
    message = str(exc)
    if len(message) > MAX_ERROR_CHARS:
        message = message[: MAX_ERROR_CHARS - len(CUT_MARK)] + CUT_MARK
    return ToolError(message)


def bounded_reply(fn: F, name: str | None = None) -> F:
    """`fn` (a tool function, sync or async) with its arguments checked and its reply held to the budget."""
    tool = name or fn.__name__

    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                check_arguments(kwargs)
                result = await fn(*args, **kwargs)
            except (ToolError, JobsearchError) as exc:
                raise _bounded_error(exc) from exc
            return fit_reply(result, tool)

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            check_arguments(kwargs)
            result = fn(*args, **kwargs)
        except (ToolError, JobsearchError) as exc:
            raise _bounded_error(exc) from exc
        return fit_reply(result, tool)

    return wrapper  # type: ignore[return-value]
