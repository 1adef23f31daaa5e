"""The people-facing commands: `search`, `match`, `parse-resume` and `demo`.

Each calls the same functions as the MCP tools and prints a table for people, or with --json the
tool's own result for scripts. Progress goes to stderr, so stdout stays clean for piping.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..config import Settings
from ..errors import JobsearchError
from ..jobs.models import Job, SearchQuery, SearchResult, SourceStatus
from ..logs import setup_logging
from ..matching.models import MatchResult
from ..resume.models import Resume, ResumeProfile
from ..runtime import Runtime
from .tables import Column, StderrProgress, render_table

if TYPE_CHECKING:
    from argparse import _SubParsersAction


def _sources_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--source", action="append", dest="sources", metavar="SOURCE", help=help_text)


def add_commands(commands: _SubParsersAction) -> None:
    search = commands.add_parser("search", help="search the job boards and print the jobs found")
    search.add_argument("query", help="a job title and a skill or two, e.g. 'data engineer spark'")
    search.add_argument("--location", help="city, region or country")
    _sources_option(search, "a board to ask (repeatable; default: the default boards, see list_sources)")
    search.add_argument(
        "--limit", type=int, default=25, help="most jobs to take from each board (default 25)"
    )
    search.add_argument("--json", action="store_true", help="print the search_jobs result as JSON")
    search.set_defaults(handler=search_command)

    match = commands.add_parser("match", help="rank jobs for a resume, with scores and reasons")
    match.add_argument(
        "resume", metavar="RESUME_PATH_OR_ID", help="a resume file (PDF, DOCX, TXT, MD) or a stored resume_id"
    )
    match.add_argument(
        "--query",
        help="search the boards for this first (default: rank the cached jobs, "
        "or search the resume's latest job title when none are cached)",
    )
    match.add_argument("--location", help="where you want to work (default: the resume's location)")
    _sources_option(match, "with --query: a board to ask (repeatable; default: the default boards)")
    match.add_argument("--top-k", type=int, default=10, help="how many jobs to show (default 10)")
    match.add_argument(
        "--llm", action="store_true", help="let the configured model judge the top jobs (slow)"
    )
    match.add_argument("--json", action="store_true", help="print the match_jobs result as JSON")
    match.set_defaults(handler=match_command)

    parse = commands.add_parser("parse-resume", help="parse a resume file and store it")
    parse.add_argument("path", help="a resume file: PDF, DOCX, TXT or MD")
    parse.add_argument("--json", action="store_true", help="print the parsed resume as JSON")
    parse.set_defaults(handler=parse_resume_command)

    check = commands.add_parser(
        "check-boards",
        help="ask every board one small query and print its status and job count (the bundled samples "
        "on a local site, or with --live the real boards from this network)",
    )
    check.add_argument("--live", action="store_true", help="ask the real boards (a known company per ATS)")
    check.add_argument("--json", action="store_true", help="print the reports as JSON")
    check.set_defaults(handler=check_boards_command)


def quiet_logs(args: argparse.Namespace) -> None:
    """The commands for people print what matters themselves: only warnings are logged, unless
    --log-level asks for more."""
    if not args.log_level:
        setup_logging("WARNING")


def run_with_runtime(settings: Settings, work) -> int:
    """Runs `work(runtime)` with a runtime that is closed afterwards, whatever happens."""
    runtime = Runtime(settings)

    async def main() -> int:
        try:
            return await work(runtime)
        finally:
            await runtime.search.aclose()

    try:
        return asyncio.run(main())
    finally:
        runtime.close()


def _print_sources(result: SearchResult) -> None:
    for report in result.sources:
        mark = "ok" if report.status in (SourceStatus.OK, SourceStatus.EMPTY) else "!!"
        message = f" - {report.message}" if report.message else ""
        print(f"  {mark} {report.source}: {report.status}, {report.count} jobs{message}")


def jobs_table(jobs: list[Job]) -> str:
    columns = [
        Column("#", align=">"),
        Column("Title", 48),
        Column("Company", 24),
        Column("Location", 24),
        Column("Salary", 22),
        Column("Source"),
    ]
    rows = [
        [
            n,
            job.title,
            job.company,
            job.location or ("remote" if job.remote else ""),
            job.salary.text if job.salary else "",
            job.source,
        ]
        for n, job in enumerate(jobs, start=1)
    ]
    return render_table(columns, rows)


def search_command(args: argparse.Namespace, settings: Settings) -> int:
    quiet_logs(args)

    async def work(runtime: Runtime) -> int:
        progress = StderrProgress()
        query = SearchQuery(query=args.query, location=args.location, limit=args.limit)
        result = await runtime.search.search(query, args.sources, progress)
        progress.done()
        if args.json:
            print(result.model_dump_json(indent=2))
            return 0
        stored = runtime.store.get_search(result.search_id)
        jobs = runtime.store.get_jobs(stored.job_ids) if stored else []
        print(jobs_table(jobs) if jobs else "No jobs found.")
        print(f"\n{result.total} jobs (search_id {result.search_id}); sources:")
        _print_sources(result)
        return 0 if jobs else 1

    return run_with_runtime(settings, work)


def matches_table(result: MatchResult) -> str:
    """One line per job (rank, score, title, company, place, pay, board), its reason on the line below."""
    columns = [
        Column("#", align=">"),
        Column("Score", align=">"),
        Column("Title", 38),
        Column("Company", 18),
        Column("Location", 18),
        Column("Salary", 16),
        Column("Source", 10),
    ]
    rows = [
        [
            m.rank,
            f"{m.score:.2f}",
            m.title,
            m.company,
            m.location or ("remote" if m.remote else ""),
            m.salary,
            m.source,
        ]
        for m in result.matches
    ]
    reasons = [m.reason + (f" | LLM: {m.llm_verdict}" if m.llm_verdict else "") for m in result.matches]
    return render_table(columns, rows, below=reasons)


def print_matches(result: MatchResult, out: TextIO = sys.stdout) -> None:
    print(matches_table(result) if result.matches else "No jobs to rank.", file=out)
    how = " + ".join(result.methods)
    searched = f" found by searching '{result.query}'" if result.query else ""
    print(f"\nranked {result.ranked} jobs ({how}){searched}", file=out)
    for note in result.notes:
        print(f"  note: {note}", file=out)


def match_command(args: argparse.Namespace, settings: Settings) -> int:
    quiet_logs(args)

    async def work(runtime: Runtime) -> int:
        resume_id = await stored_resume_id(runtime, args.resume)
        progress = StderrProgress()
        result = await runtime.matcher.match(
            resume_id,
            query=args.query,
            location=args.location,
            sources=args.sources,
            top_k=args.top_k,
            use_llm=args.llm,
            llm=runtime.llm_client(),
            progress=progress,
        )
        progress.done()
        if args.json:
            print(result.model_dump_json(indent=2))
        else:
            print_matches(result)
        return 0

    return run_with_runtime(settings, work)


def resume_report(resume: Resume) -> str:
    """The parsed resume as a person checks it: the facts found, then the positions."""
    facts = [
        ("resume_id", f"{resume.resume_id} (stored)"),
        ("name", resume.name),
        ("headline", resume.headline),
        ("location", resume.location),
        ("contact", ", ".join(filter(None, [resume.email, resume.phone, *resume.links.values()]))),
        (
            "experience",
            f"{resume.total_years_experience:g} years" if resume.total_years_experience is not None else None,
        ),
        ("languages", ", ".join(resume.languages)),
        (f"skills ({len(resume.skills)})", ", ".join(resume.skills)),
    ]
    width = shutil.get_terminal_size((120, 24)).columns
    lines = [
        textwrap.fill(f"{label:14} {value}", width, subsequent_indent=" " * 15)
        for label, value in facts
        if value
    ]
    if resume.experience:
        columns = [Column("Title", 40), Column("Company", 30), Column("From"), Column("To")]
        rows = [[e.title, e.company, e.start, e.end] for e in resume.experience]
        lines += ["", render_table(columns, rows)]
    if resume.education:
        lines += ["", "education:"] + [
            "  " + ", ".join(filter(None, [e.degree, e.field, e.school, e.end])) for e in resume.education
        ]
    lines += [f"warning: {warning}" for warning in resume.warnings]
    return "\n".join(lines)


def parse_resume_command(args: argparse.Namespace, settings: Settings) -> int:
    quiet_logs(args)

    async def work(runtime: Runtime) -> int:
        resume = runtime.resumes.save(runtime.resumes.parse_named_file(args.path))
        print(ResumeProfile.of(resume).model_dump_json(indent=2) if args.json else resume_report(resume))
        return 0

    return run_with_runtime(settings, work)


async def stored_resume_id(runtime: Runtime, path_or_id: str) -> str:
    """A resume file is parsed and stored (as parse_resume does); anything else must be a stored resume_id."""
    if Path(path_or_id).expanduser().is_file():
        return runtime.resumes.save(runtime.resumes.parse_named_file(path_or_id)).resume_id
    if runtime.store.get_resume(path_or_id) is None:
        raise JobsearchError(
            f"{path_or_id} is neither a resume file nor a stored resume_id (see list_resumes)"
        )
    return path_or_id


def check_boards_command(args: argparse.Namespace, settings: Settings) -> int:
    """Exit code 1 when a board that was asked did not answer (blocked, login_required, timeout, error)."""
    import json
    import tempfile
    from contextlib import ExitStack

    from ..demo.site import BoardSite
    from ..services.canary import LIVE_COMPANIES, canary_entries, check_boards
    from ..sources.registry import REGISTRY

    with ExitStack() as stack:
        if args.live:
            entries = canary_entries(REGISTRY, LIVE_COMPANIES)
        else:  # the same code against the bundled samples, in a throwaway data dir
            site = stack.enter_context(BoardSite())
            settings = settings.model_copy(
                update={
                    "data_dir": Path(stack.enter_context(tempfile.TemporaryDirectory())),
                    "min_request_interval_s": 0.0,
                    "board_base_urls": {**settings.board_base_urls, **site.base_urls()},
                }
            )
            companies = {sample.board: sample.company for sample in site.samples if sample.company}
            # a throwaway data dir has no signed-in browser profile: boards behind a sign-in are left out
            boards = [sample.board for sample in site.samples if not REGISTRY.get(sample.board).requires_login]
            entries = canary_entries(REGISTRY, companies, boards)

        async def work(runtime: Runtime) -> int:
            reports = await check_boards(runtime.search, entries, every_posting=not args.live)
            if args.json:
                print(json.dumps([report.model_dump(mode="json") for report in reports], indent=2))
            else:
                where = "live, from this network" if args.live else "bundled samples on a local site, boards behind a sign-in left out"
                print(f"Checked {len(reports)} boards ({where}):")
                columns = [Column("Board", 40), Column("Status"), Column("Jobs", align=">"), Column("Time", align=">"),
                           Column("Message")]  # fmt: skip
                rows = [
                    (
                        r.source,
                        r.status,
                        r.count,
                        "" if r.elapsed_s is None else f"{r.elapsed_s:.1f} s",
                        r.message,
                    )
                    for r in reports
                ]
                print(render_table(columns, rows))
            answered = {SourceStatus.OK, SourceStatus.EMPTY, SourceStatus.SKIPPED}
            return 1 if any(report.status not in answered for report in reports) else 0

        return run_with_runtime(settings, work)
