"""Output for people, drawn with rich: aligned tables that fit the terminal, and progress on stderr
(a progress bar on a terminal, one plain line per step otherwise, so logs and pipes stay readable)."""

from __future__ import annotations

import io
import shutil
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # rich loads with the first table or bar: `serve` (the MCP server) never draws one
    from rich.progress import Progress

_GAP = 2  # characters between two columns: one of padding (collapsed) and the blank separator


@dataclass(frozen=True)
class Column:
    header: str
    max_width: int | None = None  # longer cells are cut with "…"; None: the last column wraps instead
    align: str = "<"


def render_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    width: int | None = None,
    below: Sequence[str] | None = None,
) -> str:
    """Rows under a header line and a rule; every column as wide as its widest cell (up to its max_width),
    and a last column without max_width wrapped to what is left of the terminal width. `below` gives each
    row a line of text under it, indented to the second column and wrapped to the width (every cell of
    such a table stays on one line, so each row's text follows its row)."""
    width = width or shutil.get_terminal_size((120, 24)).columns
    cells = [["" if value is None else " ".join(str(value).split()) for value in row] for row in rows]
    # Widths are fixed here rather than by rich's shrinking, which would cut every column to fit: the
    # columns keep their natural width up to max_width, and only a last column without one gives way.
    widths = []
    for index, column in enumerate(columns):
        natural = max([len(column.header), *(len(row[index]) for row in cells)])
        widths.append(min(natural, column.max_width) if column.max_width else natural)
    last_wraps = columns[-1].max_width is None and not below
    if last_wraps:
        used = sum(widths[:-1]) + _GAP * (len(columns) - 1)
        widths[-1] = max(20, min(widths[-1], width - used))
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    for index, (column, column_width) in enumerate(zip(columns, widths, strict=True)):
        wraps = last_wraps and index == len(columns) - 1
        table.add_column(
            column.header,
            justify="right" if column.align == ">" else "left",
            width=column_width,
            no_wrap=not wraps,
            overflow="fold" if wraps else "ellipsis",
        )
    for row in cells:
        table.add_row(*(Text(value) for value in row))  # Text: a "[...]" in a title is not rich markup
    width = max(width, sum(widths) + _GAP * len(columns))
    lines = _rendered(table, width).splitlines()
    if not below:
        return "\n".join(lines)
    margin = " " * (max([len(columns[0].header), *(len(row[0]) for row in cells)]) + 2)
    out = lines[:2]  # the header and its rule
    for line, text in zip(lines[2:], below, strict=False):
        out.append(line)
        if text:
            out.extend(textwrap.wrap(text, width, initial_indent=margin, subsequent_indent=margin))
    return "\n".join(out)


def _rendered(renderable: object, width: int) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False, soft_wrap=False).print(
        renderable
    )
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())


class StderrProgress:
    """Progress on stderr: a rich progress bar on a terminal, one line per step otherwise."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self._bar: Progress | None = None
        self._task = None

    async def __call__(self, done: float, total: float | None = None, message: str | None = None) -> None:
        self.show(done, total, message)

    def show(self, done: float, total: float | None = None, message: str | None = None) -> None:
        if not self.live:
            step = f"[{done:g}/{total:g}] " if total else ""
            self.stream.write(f"{step}{message or ''}\n")
            self.stream.flush()
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=None)
        self._bar.update(self._task, completed=done, total=total or None, description=message or "")

    def done(self, message: str | None = None) -> None:
        """Ends the bar (and prints `message` on its own line)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        if message:
            self.stream.write(message + "\n")
        self.stream.flush()
