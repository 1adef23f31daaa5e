"""`jobsearch-mcp save-search`, `watch` and `export`: the job hunt from a terminal, cron or a timer.

`watch` runs saved searches once (or every --every period) and prints only the postings that are new
since their earlier runs, as a table, or as JSON with --json; --digest writes them as Markdown. It exits
0 when every saved search ran, 1 when one could not run or none of its boards could be asked, 2 on bad
arguments (an unknown name, a bad period).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import anyio

from ..config import Settings
from ..errors import JobsearchError
from ..jobs.models import Job
from ..jobs.salary import format_salary
from ..runtime import Runtime
from ..store.db import SavedSearch
from .commands import quiet_logs, run_with_runtime
from .tables import Column, StderrProgress, render_table

if TYPE_CHECKING:
    from argparse import _SubParsersAction

    from ..services.hunt.saved import SavedSearches, SavedSearchRun

_PERIOD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$", re.IGNORECASE)
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_PERIOD_S = 60.0  # boards are asked politely: not more than once a minute


def period_seconds(text: str) -> float:
    """'6h', '30m', '1d', '90s' in seconds; argparse turns the ValueError into exit code 2."""
    found = _PERIOD.match(text)
    if not found:
        raise argparse.ArgumentTypeError(f"{text!r} is not a period: write it like 30m, 6h or 1d")
    seconds = float(found[1]) * _UNIT_S[found[2].lower()]
    if seconds < MIN_PERIOD_S:
        raise argparse.ArgumentTypeError(f"{text!r} is too short: scan at most once a minute")
    return seconds


def add_watch_commands(commands: _SubParsersAction) -> None:
    save = commands.add_parser("save-search", help="save a search by name, for `watch` and run_saved_search")
    save.add_argument("name", help="a short name, e.g. 'berlin-data'")
    save.add_argument("query", help="a job title and a skill or two")
    save.add_argument("--location")
    save.add_argument(
        "--source", action="append", dest="sources", metavar="SOURCE", help="a board (repeatable)"
    )
    save.add_argument("--remote-only", action="store_true")
    save.add_argument("--posted-within-days", type=int)
    save.add_argument("--limit", type=int, default=25, help="most jobs per board (default 25)")
    save.add_argument("--resume-id", help="rank the new jobs for this stored resume")
    save.add_argument("--min-score", type=float, help="with --resume-id: drop new jobs scoring below this")
    save.set_defaults(handler=save_search_command)

    watch = commands.add_parser(
        "watch", help="run saved searches and print only the jobs that are new since their last runs"
    )
    watch.add_argument("names", nargs="*", metavar="NAME", help="saved searches to run (default: all)")
    watch.add_argument("--json", action="store_true", help="print the runs as JSON")
    watch.add_argument("--digest", metavar="FILE", help="also write the new jobs to FILE as Markdown")
    watch.add_argument(
        "--every", type=period_seconds, metavar="PERIOD", help="keep running, scanning every PERIOD (e.g. 6h)"
    )
    watch.set_defaults(handler=watch_command)

    export = commands.add_parser(
        "export", help="write a search, a saved search or the applications to a file"
    )
    export.add_argument("what", help="a search_id, a saved search's name, or 'applications'")
    export.add_argument("path", help="the file to write, inside an allowed folder (JOBSEARCH_ALLOWED_DIRS)")
    export.add_argument("--format", choices=["csv", "jsonl", "markdown"], default="csv")
    export.add_argument("--overwrite", action="store_true", help="replace the file if it exists")
    export.set_defaults(handler=export_command)


def _saved_searches(runtime: Runtime) -> SavedSearches:
    from ..services.hunt.saved import SavedSearches

    return SavedSearches(runtime.store, runtime.search, lambda: runtime.matcher)


def save_search_command(args: argparse.Namespace, settings: Settings) -> int:
    quiet_logs(args)

    async def work(runtime: Runtime) -> int:
        saved = _saved_searches(runtime).save(
            SavedSearch(
                name=args.name, query=args.query, location=args.location, sources=args.sources,
                remote_only=args.remote_only, posted_within_days=args.posted_within_days, limit=args.limit,
                min_score=args.min_score, resume_id=args.resume_id,
            )
        )  # fmt: skip
        print(f"Saved the search {saved.name!r}; `jobsearch-mcp watch {saved.name}` shows what is new.")
        return 0

    return run_with_runtime(settings, work)


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    quiet_logs(args)

    async def work(runtime: Runtime) -> int:
        from ..services.hunt.export import Exporter

        result = Exporter(runtime.store, settings).export(args.what, args.format, args.path, args.overwrite)
        print(f"Wrote {result.rows} rows of {result.what} to {result.path} ({result.format}).")
        return 0

    return run_with_runtime(settings, work)


class Scan:
    """One scan: each saved search's run (or the error that stopped it) and its new jobs."""

    def __init__(self) -> None:
        self.at = datetime.now().astimezone()
        self.runs: list[tuple[SavedSearchRun, list[Job]]] = []
        self.errors: list[str] = []

    @property
    def failed(self) -> bool:
        every_board_failed = any(
            run.sources and len(run.unavailable) == len(run.sources) for run, _ in self.runs
        )
        return bool(self.errors) or every_board_failed


def watch_command(args: argparse.Namespace, settings: Settings) -> int:
    quiet_logs(args)

    async def work(runtime: Runtime) -> int:
        saved = _saved_searches(runtime)
        try:
            names = [saved.get(name).name for name in args.names] or [
                s.name for s in saved.list().saved_searches
            ]
        except JobsearchError as exc:
            print(f"jobsearch-mcp watch: {exc}", file=sys.stderr)
            return 2
        if not names:
            print(
                "jobsearch-mcp watch: no saved search yet: save one with `jobsearch-mcp save-search NAME QUERY` "
                "(or the save_search tool)",
                file=sys.stderr,
            )
            return 2
        while True:
            scan = await _scan(runtime, saved, names)
            _report(scan, args)
            if args.every is None:
                return 1 if scan.failed else 0
            print(f"next scan in {args.every / 3600:g} h (Ctrl-C stops)", file=sys.stderr)
            await anyio.sleep(args.every)

    try:
        return run_with_runtime(settings, work)
    except KeyboardInterrupt:
        return 0


async def _scan(runtime: Runtime, saved: SavedSearches, names: list[str]) -> Scan:
    scan = Scan()
    for name in names:
        progress = StderrProgress()
        progress.show(0, None, f"{name}: asking the boards")
        try:
            run = await saved.run(name, progress)
        except JobsearchError as exc:
            progress.done()
            scan.errors.append(f"{name}: {exc}")
            continue
        progress.done()
        stored = runtime.store.get_search(run.search_id)
        scan.runs.append((run, runtime.store.get_jobs(stored.job_ids) if stored else []))
    return scan


def _report(scan: Scan, args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps({
            "at": scan.at.isoformat(timespec="seconds"),
            "runs": [run.model_dump(mode="json") for run, _ in scan.runs],
            "errors": scan.errors,
        }, indent=2))  # fmt: skip
    else:
        print(scan_text(scan))
    for error in scan.errors:
        print(f"jobsearch-mcp watch: error: {error}", file=sys.stderr)
    if args.digest:
        from ..services.hunt.export import write_atomically

        write_atomically(Path(args.digest).expanduser(), digest(scan))


def _rows(run: SavedSearchRun, jobs: list[Job]) -> list[list[object]]:
    return [
        [run.name, job.title, job.company, job.location or ("remote" if job.remote else ""),
         format_salary(job.salary), job.url or job.source]
        for job in jobs
    ]  # fmt: skip


def scan_text(scan: Scan) -> str:
    """The new jobs of every run as one table, then what each run found and which boards could not be asked."""
    rows = [row for run, jobs in scan.runs for row in _rows(run, jobs)]
    columns = [Column("Search", 16), Column("Title", 44), Column("Company", 22), Column("Location", 20),
               Column("Salary", 18), Column("Link")]  # fmt: skip
    lines = [render_table(columns, rows) if rows else "No new jobs.", ""]
    for run, jobs in scan.runs:
        lines.append(
            f"{run.name}: {len(jobs)} new, {run.already_seen} seen before (search_id {run.search_id})"
        )
        lines += [
            f"  !! {r.source}: {r.status}" + (f" - {r.message}" if r.message else "") for r in run.unavailable
        ]
    return "\n".join(lines)


def digest(scan: Scan) -> str:
    """The scan as Markdown: per saved search, its new jobs as a table with links."""
    lines = [f"# New jobs, {scan.at:%Y-%m-%d %H:%M}", ""]
    for run, jobs in scan.runs:
        lines += [f"## {run.name}: {len(jobs)} new", ""]
        if jobs:
            lines += ["| Title | Company | Location | Salary |", "|---|---|---|---|"]
            for job in jobs:
                title = f"[{_cell(job.title)}]({job.url})" if job.url else _cell(job.title)
                place = job.location or ("remote" if job.remote else "")
                lines.append(
                    f"| {title} | {_cell(job.company)} | {_cell(place)} | {_cell(format_salary(job.salary))} |"
                )
            lines.append("")
        for report in run.unavailable:
            lines.append(f"- not asked: {report.source} ({report.status}), asked again next time")
        lines.append("")
    lines += [f"- error: {error}" for error in scan.errors]
    return "\n".join(lines).rstrip() + "\n"


def _cell(value: object) -> str:
    return " ".join(str(value or "").split()).replace("|", "\\|")
