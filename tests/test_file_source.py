"""Importing jobs from real files: JobSpy CSVs, a tracker's CSV with its own headers, Glassdoor's export,
JSON Lines, JSON lists and {"jobs": [...]} objects; and the files that must fail with a clear reason."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import SHARED_DATA, SHARED_FIXTURES, require, shared
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.errors import JobsearchError
from jobsearch_mcp_server.jobs.models import SearchQuery
from jobsearch_mcp_server.sources.base import SourceContext
from jobsearch_mcp_server.sources.file_source import FileSource, import_jobs_file

FILES = SHARED_FIXTURES / "sources" / "file"  # real exports, read in place
GLASSDOOR = SHARED_DATA / "glassdoor_jobs_2020" / "glassdoor_jobs.csv"


@pytest.fixture
def folder(settings: Settings) -> Path:
    """The folder imports are allowed from (JOBSEARCH_ALLOWED_DIRS in the test settings)."""
    return settings.allowed_dirs[0]


def place(folder: Path, source: Path, name: str | None = None) -> Path:
    return Path(shutil.copy(shared(source), folder / (name or source.name)))


def test_jobspy_csv(settings, folder) -> None:
    result = import_jobs_file(place(folder, FILES / "jobspy_classic.csv"), "auto", settings)
    assert (result.format, result.skipped, len(result.jobs)) == ("csv", 0, 2)
    bank, superloop = result.jobs
    assert (bank.source, bank.source_id, bank.title) == (
        "linkedin",
        "li-4467609436",
        "Manager - IT Infrastructure",
    )
    assert (bank.company, bank.location) == (
        "Commercial Bank of Ceylon PLC",
        "Colombo, Western Province, Sri Lanka",
    )
    assert (bank.remote, bank.employment_type, bank.seniority) == (
        False,
        "full-time",
        "mid",
    )  # "mid-senior level"
    assert bank.posted_at == date(2026, 9, 21) and bank.url == "https://www.linkedin.com/jobs/view/4467609436"
    assert bank.description.startswith("**Job Profile**\n\n* Develop and execute a strategic roadmap")
    assert (
        superloop.employment_type == "contract" and superloop.title == "Manager – Business Intelligence (FTC)"
    )


def test_jobspy_fork_csv_with_split_location(settings, folder) -> None:
    result = import_jobs_file(place(folder, FILES / "jobspy_split_location.csv"), "csv", settings)
    radio, openloop, datafied = result.jobs
    assert (radio.company, radio.location, radio.remote) == ("New York Public Radio", "New York, NY", False)
    assert radio.apply_url.startswith("https://jobs.jobvite.com/newyork-public-radio/job/orR4vfwB")
    assert radio.url == "https://www.linkedin.com/jobs/view/4288068857" and radio.seniority == "junior"
    assert (openloop.remote, openloop.location) == (True, None)  # "worldwide" alone is no location
    assert (datafied.title, datafied.location, datafied.posted_at) == (
        "Junior Data Analyst",
        "Texas, United States",
        date(2025, 9, 30),
    )


def test_jobspy_salary_columns(settings, folder) -> None:
    source = shared(FILES / "jobspy_classic.csv").read_text(encoding="utf-8")
    row = source.splitlines()
    # the real header with one row's empty pay cells filled as JobSpy fills them for a salaried Indeed job
    header = row[0]
    filled = source.replace(
        '"fulltime","","","","","",False', '"fulltime","direct_data","yearly",85000.0,120000.0,"USD",False', 1
    )
    path = folder / "jobspy_with_pay.csv"
    path.write_text(filled, encoding="utf-8")
    assert header.startswith('"id","site","job_url","job_url_direct"')
    salary = import_jobs_file(path, "auto", settings).jobs[0].salary
    assert (salary.min, salary.max, salary.currency, salary.period) == (85000, 120000, "USD", "year")


def test_generic_csv_headers(settings, folder) -> None:
    result = import_jobs_file(place(folder, FILES / "generic_jobs.csv"), "auto", settings)
    assert len(result.jobs) == 6 and result.skipped == 0
    pinterest = next(job for job in result.jobs if job.company == "Pinterest")
    assert pinterest.title == "Apprentice Product Designer"
    assert pinterest.url == "https://www.pinterestcareers.com/jobs/?gh_jid=8016473"
    assert (pinterest.location, pinterest.remote, pinterest.posted_at) == (
        "San Francisco, CA, US; Remote, US",
        True,
        date(2026, 7, 7),
    )
    assert pinterest.source == "file" and pinterest.job_id.startswith("file-")


def test_glassdoor_export_with_salary_estimates(settings) -> None:
    require(GLASSDOOR.exists(), f"needs {GLASSDOOR}")
    roomy = settings.model_copy(update={"allowed_dirs": [GLASSDOOR.parent]})
    result = import_jobs_file(GLASSDOOR, "auto", roomy)
    assert len(result.jobs) + result.skipped == 956
    assert len(result.jobs) == 600  # the export repeats postings; repeats are skipped and say so
    assert all(row.reason.startswith("same job as an earlier row") for row in result.skipped_rows)
    first = result.jobs[0]
    assert (first.title, first.company, first.location) == (
        "Data Scientist",
        "Tecolote Research",
        "Albuquerque, NM",
    )
    assert (first.salary.annual_min, first.salary.annual_max, first.salary.text) == (
        53000,
        91000,
        "$53K-$91K (Glassdoor est.)",
    )
    assert sum(1 for job in result.jobs if job.salary and job.salary.period == "hour") > 0


def test_json_lines(settings, folder) -> None:
    result = import_jobs_file(place(folder, FILES / "remotive_jobs.jsonl"), "auto", settings)
    assert result.format == "jsonl" and len(result.jobs) == 5
    developer = next(job for job in result.jobs if job.source_id == "1919265")
    assert (developer.company, developer.employment_type) == ("A.Team", "contract")
    assert (developer.salary.min, developer.salary.max, developer.salary.period) == (90, 150, "hour")
    assert developer.tags[:2] == ["Software Development", "go"]  # category and tags both kept


def test_json_object_with_jobs_and_json_list(settings, folder) -> None:
    remotive = import_jobs_file(
        place(folder, SHARED_FIXTURES / "sources/remotive/remote_jobs.json"), "auto", settings
    )
    assert (remotive.format, len(remotive.jobs)) == ("json", 5)
    remoteok = import_jobs_file(place(folder, SHARED_FIXTURES / "sources/remoteok/api.json"), "json", settings)
    assert len(remoteok.jobs) == 5
    assert [(row.row, row.reason) for row in remoteok.skipped_rows] == [(1, "no title")]  # the legal notice


def test_format_is_detected_from_content_without_an_extension(settings, folder) -> None:
    assert (
        import_jobs_file(place(folder, FILES / "remotive_jobs.jsonl", "export"), "auto", settings).format
        == "jsonl"
    )
    assert (
        import_jobs_file(place(folder, FILES / "generic_jobs.csv", "export2"), "auto", settings).format
        == "csv"
    )
    assert (
        import_jobs_file(
            place(folder, SHARED_FIXTURES / "sources/remoteok/api.json", "export3"), "auto", settings
        ).format
        == "json"
    )


def test_bad_rows_are_skipped_with_reasons(settings, folder) -> None:
    lines = shared(FILES / "generic_jobs.csv").read_text(encoding="utf-8").splitlines()
    damaged = [
        *lines[:3],
        "Acme,,https://example.org/a,,,Berlin,Remote,2026-07-01,x",
        lines[3] + ",extra,cells",
        *lines[4:],
    ]
    path = folder / "damaged.csv"
    path.write_text("\n".join(damaged) + "\n", encoding="utf-8")
    result = import_jobs_file(path, "auto", settings)
    assert len(result.jobs) == 5 and result.skipped == 2
    assert [(row.row, row.reason) for row in result.skipped_rows] == [
        (3, "no title"),
        (4, "11 fields where the header has 9"),
    ]

    jsonl = shared(FILES / "remotive_jobs.jsonl").read_text(encoding="utf-8").splitlines()
    path = folder / "damaged.jsonl"
    path.write_text(
        "\n".join([jsonl[0], "{not json", '"a string"', jsonl[0], jsonl[1]]) + "\n", encoding="utf-8"
    )
    result = import_jobs_file(path, "auto", settings)
    assert len(result.jobs) == 2
    assert [row.reason.split(":")[0] for row in result.skipped_rows] == [
        "not JSON",
        "a str, not an object with job fields",
        "same job as an earlier row (2091069)",
    ]


def test_files_that_cannot_be_read(settings, folder, tmp_path) -> None:
    with pytest.raises(JobsearchError, match="No file at"):
        import_jobs_file(folder / "missing.csv", "auto", settings)
    with pytest.raises(JobsearchError, match="is a folder"):
        import_jobs_file(folder, "auto", settings)
    outside = place(tmp_path, FILES / "generic_jobs.csv")
    with pytest.raises(JobsearchError, match="JOBSEARCH_ALLOWED_DIRS"):
        import_jobs_file(outside, "auto", settings)
    binary = folder / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(JobsearchError, match="not a text file"):
        import_jobs_file(binary, "auto", settings)
    broken = folder / "broken.json"
    broken.write_text('{"jobs": [{"title": "x"}', encoding="utf-8")
    with pytest.raises(JobsearchError, match="not valid JSON"):
        import_jobs_file(broken, "auto", settings)
    scalar = folder / "scalar.json"
    scalar.write_text('{"count": 3}', encoding="utf-8")
    with pytest.raises(JobsearchError, match="expected a list of jobs"):
        import_jobs_file(scalar, "auto", settings)
    with pytest.raises(JobsearchError, match="No path given"):
        import_jobs_file("", "auto", settings)


def test_oversized_file_is_refused(settings, folder) -> None:
    path = place(folder, FILES / "remotive_jobs.jsonl")
    small = settings.model_copy(update={"max_file_mb": 0.01})
    with pytest.raises(JobsearchError, match=r"the limit is 0.01 MB \(JOBSEARCH_MAX_FILE_MB\)"):
        import_jobs_file(path, "auto", small)


def test_windows_1252_csv_is_read_with_a_warning(settings, folder) -> None:
    text = shared(FILES / "generic_jobs.csv").read_text(encoding="utf-8").replace("Humana", "Humaña")
    path = folder / "cp1252.csv"
    path.write_bytes(text.encode("cp1252"))
    result = import_jobs_file(path, "auto", settings)
    assert result.jobs[0].company == "Humaña" and result.warnings == [
        "cp1252.csv is not UTF-8; read it as Windows-1252"
    ]


@pytest.mark.anyio
async def test_file_as_a_search_source(settings, folder) -> None:
    path = place(folder, FILES / "generic_jobs.csv")
    ctx = SourceContext(settings)
    try:
        jobs = await FileSource().search(
            SearchQuery(query="product designer", file=str(path), limit=3), ctx
        )
    finally:
        await ctx.http.aclose()
    assert [job.company for job in jobs] == ["Homeward", "Pinterest", "Instacart"]
