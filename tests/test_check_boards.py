"""`jobsearch-mcp check-boards`: one small search per board through the search service, here against the
project's bundled board samples (demo/samples) on the local board site, as the command does without --live."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from jobsearch_mcp_server.demo.site import SAMPLES_DIR, BoardSite, board_samples
from jobsearch_mcp_server.jobs.models import SourceStatus
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.services.canary import (
    CHECK_LIMIT,
    LIVE_COMPANIES,
    canary_entries,
    check_boards,
)
from jobsearch_mcp_server.sources.registry import REGISTRY
from test_console import cli_env, jobsearch

# Where each sample keeps its postings (its first route's file).
LISTS = {
    "workday": ("jobs.json", "jobPostings"),
    "smartrecruiters": ("postings.json", "content"),
    "recruitee": ("offers.json", "offers"),
    "workable": ("account.json", "jobs"),
    "teamtailor": ("jobs.json", "items"),
    "bamboohr": ("list.json", "result"),
}


def sample_companies() -> dict[str, str]:
    return {sample.board: sample.company for sample in board_samples() if sample.company}


def postings_in_sample(board: str) -> int:
    if board == "personio":
        return len(ElementTree.parse(SAMPLES_DIR / "personio" / "feed.xml").getroot().findall("position"))
    name, key = LISTS[board]
    return len(json.loads((SAMPLES_DIR / board / name).read_text(encoding="utf-8"))[key])


def test_every_company_board_has_a_live_company_and_every_sample_a_company() -> None:
    company_boards = {cls.name for cls in REGISTRY.classes() if cls.needs_company and cls.kind == "http"}
    assert set(LIVE_COMPANIES) == company_boards
    samples = sample_companies()
    assert samples["workday"] == "northwind.wd1/Careers" and samples["recruitee"] == "kestrel"
    assert set(LISTS) | {"personio"} <= set(samples)
    for board, company in {**LIVE_COMPANIES, **samples}.items():
        REGISTRY.parse(f"{board}:{company}")


@pytest.mark.anyio
async def test_check_boards_on_the_bundled_samples(settings) -> None:
    boards = sorted(LISTS) + ["personio"]
    with BoardSite([sample for sample in board_samples() if sample.board in boards]) as site:
        runtime = Runtime(
            settings.model_copy(update={"min_request_interval_s": 0.0, "board_base_urls": site.base_urls()})
        )
        try:
            entries = canary_entries(REGISTRY, sample_companies(), boards)
            reports = await check_boards(runtime.search, entries)
        finally:
            await runtime.search.aclose()
            runtime.close()
    assert [report.source for report in reports] == entries
    for report in reports:
        board = report.source.partition(":")[0]
        assert report.status is SourceStatus.OK, report
        assert report.count == min(CHECK_LIMIT, postings_in_sample(board))


def test_check_boards_command_without_live(tmp_path: Path) -> None:
    done = jobsearch("check-boards", "--json", env=cli_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    reports = {report["source"]: report for report in json.loads(done.stdout)}
    assert {f"{board}:{company}" for board, company in sample_companies().items()} <= set(reports)
    assert all(report["status"] == "ok" for report in reports.values())
    table = jobsearch("check-boards", env=cli_env(tmp_path), cwd=tmp_path)
    assert (
        "bundled samples on a local site" in table.stdout and "workday:northwind.wd1/Careers" in table.stdout
    )
