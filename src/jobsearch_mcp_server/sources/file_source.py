"""Jobs from a file: JSON Lines, JSON (a list, or an object with a "jobs"/"data" list) or CSV.

CSV covers what JobSpy writes (`id, site, job_url, job_url_direct, title, company, location,
date_posted, job_type, interval, min_amount, max_amount, currency, is_remote, job_level, description,
...`, and its fork's `company_name, location_city/state/country, compensation_*` columns) and generic
headers ("Job Title", "Company Name", "Salary Estimate", "Apply URL", ...). A row that cannot become a
job is skipped and counted with its reason; a file that cannot be read is an error saying why.

As a search source it is named "file" and takes the path where company boards take a slug:
`file:/home/me/jobs.csv`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field, ValidationError

from ..config import Settings
from ..errors import JobsearchError
from ..jobs.build import build_job
from ..jobs.dates import parse_posted
from ..jobs.models import Job, Salary, SalaryPeriod
from ..jobs.salary import parse_amount, parse_salary, salary_from_range
from ..jobs.text import detect_seniority, html_to_markdown
from ..paths import allowed_path
from .base import SearchQuery, Source, SourceContext
from .filtering import parse_matching

FileFormat = Literal["auto", "jsonl", "json", "csv"]

# Normalised header name -> field. Headers are lower-cased with spaces and dashes turned into "_".
_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "job_id", "source_id", "external_id", "slug", "objectid"),
    "site": ("site", "source", "board", "site_name"),
    "title": ("title", "job_title", "position", "role", "job_name", "text"),
    "company": ("company", "company_name", "employer", "organization", "organisation", "employer_name"),
    "location": ("location", "job_location", "location_display", "candidate_required_location", "city"),
    "url": ("job_url", "url", "link", "hostedurl", "absolute_url", "joburl", "job_link", "posting_url"),
    "apply_url": ("job_url_direct", "apply_url", "applyurl", "application_url", "apply_link"),
    "description": ("description", "job_description", "summary", "details", "descriptionhtml", "content"),
    "posted": (
        "date_posted",
        "posted_at",
        "posted",
        "publication_date",
        "published_at",
        "publishedat",
        "created_at",
        "date",
        "date_found",
        "first_published",
    ),
    "job_type": ("job_type", "employment_type", "employmenttype", "type", "contract_type", "commitment"),
    "remote": ("is_remote", "remote", "isremote"),
    "level": ("job_level", "seniority", "experience_level", "level"),
    "min_amount": ("min_amount", "compensation_min", "salary_min", "min_salary"),
    "max_amount": ("max_amount", "compensation_max", "salary_max", "max_salary"),
    "currency": ("currency", "compensation_currency", "salary_currency"),
    "interval": ("interval", "compensation_interval", "salary_interval", "pay_period"),
    "salary_text": ("salary", "salary_estimate", "salary_text", "compensation", "pay"),
    "tags": ("tags", "skills", "keywords", "category"),
}
_FIELD_OF = {alias: field for field, aliases in _ALIASES.items() for alias in aliases}
# JobSpy's interval names and their periods.
_INTERVALS: dict[str, SalaryPeriod] = {
    "yearly": "year",
    "annually": "year",
    "year": "year",
    "monthly": "month",
    "month": "month",
    "weekly": "week",
    "week": "week",
    "daily": "day",
    "day": "day",
    "hourly": "hour",
    "hour": "hour",
}
_TRUE = {"true", "1", "yes", "y", "remote"}
_FALSE = {"false", "0", "no", "n", "onsite", "on-site"}
_MISSING = {"", "nan", "none", "null", "n/a", "-1"}
_SKIPPED_SHOWN = 20


class SkippedRow(BaseModel):
    row: int = Field(description="1-based row (CSV: data row after the header; JSON: list position)")
    reason: str


class ImportResult(BaseModel):
    """The jobs read from a file, and what was left out and why."""

    path: str
    format: Literal["jsonl", "json", "csv"]
    jobs: list[Job]
    skipped: int = Field(0, description="rows that could not become a job")
    skipped_rows: list[SkippedRow] = Field(
        default_factory=list, description=f"the first {_SKIPPED_SHOWN} skipped rows"
    )
    warnings: list[str] = Field(default_factory=list)


class FileSource(Source):
    name: ClassVar[str] = "file"
    kind: ClassVar = "file"
    needs_company: ClassVar[bool] = True  # the "company" of `file:<path>` is the path

    async def search(self, query: SearchQuery, ctx: SourceContext) -> list[Job]:
        return await parse_matching(query, _jobs_in_file, query.file or "", ctx.settings)


def import_jobs_file(
    path: str | Path, format: FileFormat, settings: Settings, roots: Sequence[Path] = ()
) -> ImportResult:
    """Read jobs from `path` (checked by the allowed-path guard, paths.py, with the client's `roots`).
    Raises `JobsearchError` when the guard refuses it, or it is not text or not in the given format."""
    path = allowed_path(path, settings, roots)
    text, warnings = _read_text(path)
    chosen = _detect_format(path, text) if format == "auto" else format
    records = _records(text, chosen, path, settings)
    result = ImportResult(path=str(path), format=chosen, jobs=[], warnings=warnings)
    seen: set[str] = set()
    for number, record in records:
        try:
            job = _job(record, number)
        except (ValueError, TypeError, ValidationError) as exc:
            reason = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            _skip(result, number, reason)
            continue
        if job.job_id in seen:
            _skip(result, number, f"same job as an earlier row ({job.source_id})")
            continue
        seen.add(job.job_id)
        result.jobs.append(job)
    if records and not result.jobs:
        result.warnings.append("no row could be read as a job: check that the file has a title column")
    return result


def _jobs_in_file(path: str | Path, settings: Settings) -> list[Job]:
    return import_jobs_file(path, "auto", settings).jobs


def _skip(result: ImportResult, number: int, reason: str) -> None:
    result.skipped += 1
    if len(result.skipped_rows) < _SKIPPED_SHOWN:
        result.skipped_rows.append(SkippedRow(row=number, reason=reason))


def _read_text(path: Path) -> tuple[str, list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise JobsearchError(f"cannot read {path}: {exc.strerror or exc}") from None
    if b"\x00" in raw[:4096]:
        raise JobsearchError(f"{path.name} is not a text file (CSV, JSON or JSON Lines expected)")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        # Spreadsheet exports on Windows are often cp1252: readable, but say so.
        return raw.decode("cp1252", errors="replace"), [f"{path.name} is not UTF-8; read it as Windows-1252"]


def _detect_format(path: Path, text: str) -> Literal["jsonl", "json", "csv"]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".tsv"):
        return "csv"
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        first_line = stripped.split("\n", 1)[0]
        try:
            json.loads(first_line)
            return "jsonl" if "\n" in stripped.strip() else "json"
        except json.JSONDecodeError:
            return "json"
    return "csv"


def _records(text: str, kind: str, path: Path, settings: Settings) -> list[tuple[int, Any]]:
    if kind == "jsonl":
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    records.append((number, json.loads(line)))
                except json.JSONDecodeError as exc:
                    records.append((number, ValueError(f"not JSON: {exc.msg}")))
        return records
    if kind == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise JobsearchError(f"{path.name} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
        if isinstance(data, dict):
            data = next(
                (
                    data[key]
                    for key in ("jobs", "data", "results", "items")
                    if isinstance(data.get(key), list)
                ),
                None,
            )
        if not isinstance(data, list):
            raise JobsearchError(f"{path.name}: expected a list of jobs, or an object with a 'jobs' list")
        return list(enumerate(data, start=1))
    return _csv_records(text, path, settings)


def _csv_records(text: str, path: Path, settings: Settings) -> list[tuple[int, Any]]:
    # JobSpy descriptions exceed the csv module's default 128 KB field limit; the file limit bounds it.
    csv.field_size_limit(max(csv.field_size_limit(), int(settings.max_file_mb * 1024 * 1024) + 1))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise JobsearchError(f"{path.name} is empty") from None
    except csv.Error as exc:
        raise JobsearchError(f"{path.name} is not a readable CSV file: {exc}") from None
    records: list[tuple[int, Any]] = []
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            records.append((number, ValueError(f"unreadable CSV row: {exc}")))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            records.append((number, ValueError(f"{len(row)} fields where the header has {len(header)}")))
            continue
        records.append((number, dict(zip(header, row, strict=False))))
    return records


def _fields(record: dict) -> dict[str, Any]:
    """Known fields from a record whatever its header spelling; nested objects give their name."""
    found: dict[str, Any] = {}
    for key, value in record.items():
        field = _FIELD_OF.get(re.sub(r"[\s\-]+", "_", str(key).strip().lower()))
        if field is None or (field in found and field != "tags"):
            continue
        if isinstance(value, dict):
            value = next(
                (value[name] for name in ("name", "display_name", "title", "text") if value.get(name)), None
            )
        if value is None or (isinstance(value, str) and value.strip().lower() in _MISSING):
            continue
        found[field] = [*_tags(found.get("tags")), *_tags(value)] if field == "tags" else value
    return found


def _job(record: Any, number: int) -> Job:
    if isinstance(record, Exception):
        raise record
    if not isinstance(record, dict):
        raise TypeError(f"a {type(record).__name__}, not an object with job fields")
    fields = _fields(record)
    title = str(fields.get("title") or "").strip()
    if not title:
        raise ValueError("no title")
    source = str(fields.get("site") or "file").strip().lower()
    source_id = str(fields.get("id") or fields.get("url") or "") or _content_id(title, fields)
    description = fields.get("description")
    return build_job(
        source=source,
        source_id=source_id,
        title=title,
        company=_first_line(fields.get("company")),
        location=_location(record, fields),
        remote=_boolean(fields.get("remote")),
        salary=_salary(fields),
        employment_type=str(fields.get("job_type") or "") or None,
        seniority=detect_seniority(title) or detect_seniority(str(fields.get("level") or "")),
        posted_at=parse_posted(fields.get("posted")),
        url=_text(fields.get("url")),
        apply_url=_text(fields.get("apply_url")),
        description=html_to_markdown(str(description)) if description else None,
        tags=_tags(fields.get("tags")),
        details_by_url=True,  # a JobSpy "li-123" is no id LinkedIn issued: the posting is read from its URL
    )


def _content_id(title: str, fields: dict[str, Any]) -> str:
    key = "|".join(str(fields.get(name) or "") for name in ("company", "location")) + "|" + title
    return hashlib.sha1(key.lower().encode()).hexdigest()[:16]


def _first_line(value: Any) -> str | None:
    """Glassdoor exports "Company Name" as "Tecolote Research\\n3.8" (name, then rating)."""
    return str(value).strip().split("\n")[0].strip() or None if value else None


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value else None


def _location(record: dict, fields: dict[str, Any]) -> str | None:
    if fields.get("location"):
        return str(fields["location"])
    parts = [record.get(key) for key in ("location_city", "location_state", "location_country")]
    parts = [
        str(part) for part in parts if part and str(part).strip().lower() not in _MISSING | {"worldwide"}
    ]
    return ", ".join(parts) or None


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def _salary(fields: dict[str, Any]) -> Salary | None:
    low, high = parse_amount(fields.get("min_amount")), parse_amount(fields.get("max_amount"))
    if low or high:
        period = _INTERVALS.get(str(fields.get("interval") or "").strip().lower())
        return salary_from_range(low, high, str(fields.get("currency") or "") or None, period)
    return parse_salary(str(fields["salary_text"])) if fields.get("salary_text") else None


def _tags(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(tag) for tag in value]
    return [tag.strip() for tag in re.split(r"[,;|]", str(value or "")) if tag.strip()]
