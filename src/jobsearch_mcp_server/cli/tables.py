"""Plain-text output for people: aligned tables that fit the terminal, and progress on stderr."""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True)
class Column:
    header: str
    max_width: int | None = None  # longer cells are cut with "…"; None: the last column wraps instead
    align: str = "<"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def render_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    width: int | None = None,
    below: Sequence[str] | None = None,
) -> str:
    """Rows under a header line; every column as wide as its widest cell (up to its max_width), and a
    last column without max_width wrapped to what is left of the terminal width. `below` gives each
    row a line of text under it, indented to the second column and wrapped to the width."""
    width = width or shutil.get_terminal_size((120, 24)).columns
    cells = [["" if value is None else " ".join(str(value).split()) for value in row] for row in rows]
    widths = []
    for index, column in enumerate(columns):
        natural = max([len(column.header), *(len(row[index]) for row in cells)])
        widths.append(min(natural, column.max_width) if column.max_width else natural)
    last_wraps = columns[-1].max_width is None
    if last_wraps:
        used = sum(widths[:-1]) + 2 * (len(columns) - 1)
        widths[-1] = max(20, min(widths[-1], width - used))
    lines = ["  ".join(f"{c.header:{c.align}{w}}" for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    indent = sum(widths[:-1]) + 2 * (len(columns) - 1)
    for number, row in enumerate(cells):
        head = [
            f"{_cut(value, w):{c.align}{w}}"
            for c, w, value in zip(columns[:-1], widths[:-1], row[:-1], strict=True)
        ]
        tail = textwrap.wrap(row[-1], widths[-1]) if last_wraps else [_cut(row[-1], widths[-1])]
        lines.append("  ".join([*head, tail[0] if tail else ""]).rstrip())
        lines.extend(" " * indent + more for more in tail[1:])
        if below and below[number]:
            margin = " " * (widths[0] + 2)
            lines.extend(textwrap.wrap(below[number], width, initial_indent=margin, subsequent_indent=margin))
    return "\n".join(lines)


class StderrProgress:
    """Progress lines on stderr: one line rewritten in place on a terminal, one line per step otherwise."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self._shown = False

    async def __call__(self, done: float, total: float | None = None, message: str | None = None) -> None:
        self.show(done, total, message)

    def show(self, done: float, total: float | None = None, message: str | None = None) -> None:
        step = f"[{done:g}/{total:g}] " if total else ""
        line = f"{step}{message or ''}"
        if self.live:
            columns = shutil.get_terminal_size((120, 24)).columns
            self.stream.write("\r" + _cut(line, columns - 1).ljust(columns - 1))
            self._shown = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self, message: str | None = None) -> None:
        """Ends the live line (and prints `message` on its own line)."""
        if self.live and self._shown:
            self.stream.write("\n")
            self._shown = False
        if message:
            self.stream.write(message + "\n")
        self.stream.flush()
