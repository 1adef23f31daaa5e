"""Output for people, drawn with rich: aligned tables that fit the terminal, and progress on stderr
(a progress bar on a terminal, one plain line per step otherwise, so logs and pipes stay readable)."""

from __future__ import annotations

import io
import shutil
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text


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
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for index, column in enumerate(columns):
        wraps = index == len(columns) - 1 and column.max_width is None and not below
        table.add_column(
            column.header,
            justify="right" if column.align == ">" else "left",
            max_width=column.max_width,
            no_wrap=not wraps,
            overflow="fold" if wraps else "ellipsis",
        )
    for row in cells:
        table.add_row(*(Text(value) for value in row))  # Text: a "[...]" in a title is not rich markup
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
