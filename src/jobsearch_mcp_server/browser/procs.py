"""The processes behind a local browser, read from /proc (Linux): found, measured and stopped.

Chromium forks a tree of helpers (zygotes, renderers, GPU and network services). When the browser
process dies first, its helpers are re-parented to init and no longer show up as descendants of
chromedriver, so a browser's processes are also found by the `--user-data-dir` on their command
line. Elsewhere than Linux these functions find nothing and the pool relies on Selenium's quit.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may contain spaces: split after the last ")".
    return raw[raw.rfind(")") + 2 :].split()


def _all_pids() -> list[int]:
    if not PROC.is_dir():
        return []
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]


def is_alive(pid: int) -> bool:
    """True while `pid` runs; a zombie (exited, not yet reaped by its parent) counts as gone."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def executable_name(pid: int) -> str | None:
    """The file name of the program `pid` runs, or None once it has exited (or is not ours to read).

    A process listed a moment ago may be gone now: its /proc entry can vanish between the listing and
    the read, or linger as a zombie whose `exe` link no longer resolves."""
    try:
        return Path(os.readlink(PROC / str(pid) / "exe")).name
    except OSError:
        return None


def descendants(pid: int) -> list[int]:
    """Every process below `pid` in the process tree."""
    children: dict[int, list[int]] = {}
    for candidate in _all_pids():
        fields = _stat_fields(candidate)
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(candidate)
    found: list[int] = []
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def with_argument(argument: str) -> list[int]:
    """Processes whose command line has `argument` as one of its words."""
    wanted = argument.encode()
    found = []
    for pid in _all_pids():
        try:
            words = (PROC / str(pid) / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if wanted in words:
            found.append(pid)
    return found


def _summed_kib(pids: Iterable[int], file: str, field: str) -> int:
    total = 0
    for pid in pids:
        try:
            text = (PROC / str(pid) / file).read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(field):
                total += int(line.split()[1]) * 1024
                break
    return total


def rss_bytes(pids: Iterable[int]) -> int:
    """The summed resident memory of `pids` (pages shared between them are counted once per process)."""
    return _summed_kib(pids, "status", "VmRSS:")


def pss_bytes(pids: Iterable[int]) -> int:
    """The summed proportional memory of `pids`: shared pages split between their users, so it adds up."""
    return _summed_kib(pids, "smaps_rollup", "Pss:")


def stop(pids: Iterable[int], grace_s: float) -> list[int]:
    """Waits up to `grace_s` for `pids` to exit by themselves, then kills the rest; returns those killed."""
    waiting = [pid for pid in pids if pid != os.getpid()]
    deadline = time.monotonic() + grace_s
    while waiting and time.monotonic() < deadline:
        waiting = [pid for pid in waiting if is_alive(pid)]
        if waiting:
            time.sleep(0.05)
    killed = []
    for pid in waiting:
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        except OSError:  # already gone, or not ours
            pass
    return killed
