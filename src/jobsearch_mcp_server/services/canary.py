"""`jobsearch-mcp check-boards`: one small search per board, so a person sees which boards answer from their
network today. Company boards list one known company's board (an empty query: every open job), the others
search one common word; each goes through the search service like any search, so the statuses are the ones
search_jobs reports (ok, empty, blocked, login_required, timeout, error)."""

from __future__ import annotations

from ..jobs.models import SourceReport, SourceStatus
from ..sources.base import SearchQuery
from ..sources.registry import SourceRegistry
from .search import SearchService

# A company each company board is known to carry, for live checks (public careers pages).
LIVE_COMPANIES = {
    "greenhouse": "stripe",
    "lever": "palantir",
    "ashby": "ramp",
    "workday": "nvidia.wd5/NVIDIAExternalCareerSite",
    "smartrecruiters": "Visa",
    "recruitee": "channable",
    "workable": "huggingface",
    "personio": "personio",
    "teamtailor": "tibber",
    "bamboohr": "bamboohr",
}
KEYWORDS = {"zhipin": "Python", "zhaopin": "Python"}
DEFAULT_KEYWORD = "engineer"
CHECK_LIMIT = 5


def canary_entries(
    registry: SourceRegistry, companies: dict[str, str], boards: list[str] | None = None
) -> list[str]:
    """The `sources` entry of every searchable board (or of `boards`): company boards with their company."""
    entries = []
    for cls in registry.classes():
        if not cls.searchable or cls.kind == "file" or (boards is not None and cls.name not in boards):
            continue
        if cls.needs_company:
            if cls.name in companies:
                entries.append(f"{cls.name}:{companies[cls.name]}")
        else:
            entries.append(cls.name)
    return entries


async def check_boards(
    service: SearchService, entries: list[str], *, every_posting: bool = False
) -> list[SourceReport]:
    """One small search per entry, all at once; the reports in the order of `entries`. `every_posting`
    searches with no words (the bundled samples' few postings need not hold the live check's word)."""
    specs = service.registry.specs(entries)
    groups: dict[str, list[str]] = {}
    for spec in specs:
        checks_words = not (every_posting or spec.source.needs_company)
        words = KEYWORDS.get(spec.source.name, DEFAULT_KEYWORD) if checks_words else ""
        groups.setdefault(words, []).append(spec.label)
    reports: dict[str, SourceReport] = {}
    for words, labels in groups.items():
        result = await service.search(SearchQuery(query=words, limit=CHECK_LIMIT), labels)
        reports.update({report.source: report for report in result.sources})
    return [
        reports.get(spec.label) or SourceReport(source=spec.label, status=SourceStatus.SKIPPED)
        for spec in specs
    ]
