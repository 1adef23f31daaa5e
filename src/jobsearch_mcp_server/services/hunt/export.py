"""Export a search, a saved search's last run or the applications as CSV, JSON Lines or Markdown.

CSV uses JobSpy's column names where they exist (id, site, job_url, ... description), so spreadsheets,
JobSpy users and import_jobs read it back (the same ids: an exported job imports as the same job). The
file is written beside its destination under a temporary name and renamed into place, so a failed export
leaves no partial file; an existing file is replaced only with overwrite.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ...config import Settings
from ...errors import JobsearchError
from ...jobs.models import Job
from ...paths import allowed_path
from ...store import Application, Store

ExportFormat = Literal["csv", "jsonl", "markdown"]
APPLICATIONS = "applications"

# JobSpy's columns (in its order) that a Job fills, then this project's own.
JOBSPY_COLUMNS = [
    "id", "site", "job_url", "job_url_direct", "title", "company", "location", "date_posted", "job_type",
    "interval", "min_amount", "max_amount", "currency", "is_remote", "job_level", "description",
]  # fmt: skip
JOB_COLUMNS = [*JOBSPY_COLUMNS, "salary", "skills", "job_id", "other_urls"]
APPLICATION_COLUMNS = [
    *JOB_COLUMNS, "application_id", "status", "applied_on", "follow_up_on", "contact", "notes", "history",
]  # fmt: skip
_INTERVALS = {"year": "yearly", "month": "monthly", "week": "weekly", "day": "daily", "hour": "hourly"}


class ExportResult(BaseModel):
    path: str
    format: ExportFormat
    what: str = Field(description="what was exported: the search_id, saved search or 'applications'")
    rows: int
    bytes: int


def write_atomically(target: Path, text: str) -> int:
    """Writes `text` to a temporary file beside `target`, then renames it over `target`."""
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise JobsearchError(f"cannot write in {target.parent}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise JobsearchError(
                f"cannot write {target}: {exc.strerror or exc}; nothing was written"
            ) from None
        raise
    return len(text.encode("utf-8"))


class Exporter:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def export(
        self,
        what: str,
        file_format: ExportFormat,
        path: str,
        overwrite: bool = False,
        roots: Sequence[Path] = (),
    ) -> ExportResult:
        """Writes `what` to `path` inside an allowed folder (or one of the client's `roots`)."""
        target = allowed_path(path, self.settings, roots, mode="write", overwrite=overwrite)
        label, jobs, applications = self._rows(what.strip())
        if applications is not None:
            by_id = {job.job_id: job for job in self.store.get_jobs(a.job_id for a in applications)}
            records = [_application_record(a, by_id.get(a.job_id)) for a in applications]
            columns = APPLICATION_COLUMNS
        else:
            records = [_job_record(job) for job in jobs]
            columns = JOB_COLUMNS
        text = {"csv": _csv, "jsonl": _jsonl, "markdown": _markdown}[file_format](records, columns, label)
        size = write_atomically(target, text)
        return ExportResult(path=str(target), format=file_format, what=label, rows=len(records), bytes=size)

    def _rows(self, what: str) -> tuple[str, list[Job], list[Application] | None]:
        if what == APPLICATIONS:
            return APPLICATIONS, [], self.store.list_applications()
        saved = self.store.get_saved_search(what)
        if saved is not None:
            if saved.last_search_id is None:
                raise JobsearchError(f"the saved search {what!r} has not run yet: run_saved_search it first")
            search_id, label = saved.last_search_id, f"saved search {what!r} (last run)"
        else:
            search_id, label = what, f"search {what}"
        stored = self.store.get_search(search_id)
        if stored is None:
            names = ", ".join(repr(s.name) for s in self.store.list_saved_searches()[:20]) or "none"
            raise JobsearchError(
                f"{what!r} is neither 'applications', a saved search (saved: {names}) nor a search_id "
                "from search_jobs, import_jobs or run_saved_search"
            )
        return label, self.store.get_jobs(stored.job_ids), None


def _job_record(job: Job) -> dict[str, object]:
    salary = job.salary
    return {
        "id": job.source_id,
        "site": job.source,
        "job_url": job.url,
        "job_url_direct": job.apply_url,
        "title": job.title,
        "company": job.company,
        "location": job.location,
        "date_posted": job.posted_at.isoformat() if job.posted_at else None,
        "job_type": job.employment_type,
        "interval": _INTERVALS.get(salary.period) if salary and salary.period else None,
        "min_amount": salary.min if salary else None,
        "max_amount": salary.max if salary else None,
        "currency": salary.currency if salary else None,
        "is_remote": job.remote,
        "job_level": job.seniority,
        "description": job.description,
        "salary": salary.text if salary else None,
        "skills": ", ".join(job.tags) or None,
        "job_id": job.job_id,
        "other_urls": " ".join(url for url in job.sources if url != job.url) or None,
    }


def _application_record(application: Application, job: Job | None) -> dict[str, object]:
    record = (
        _job_record(job)
        if job
        else {"title": application.title, "company": application.company, "job_url": application.url}
    )
    history = "; ".join(
        f"{entry.at:%Y-%m-%d %H:%M} {entry.status}" + (f": {entry.note}" if entry.note else "")
        for entry in application.history
    )
    return {
        **record,
        "job_id": application.job_id,
        "application_id": application.application_id,
        "status": application.status,
        "applied_on": application.applied_on.isoformat() if application.applied_on else None,
        "follow_up_on": application.follow_up_on.isoformat() if application.follow_up_on else None,
        "contact": application.contact,
        "notes": application.notes or None,
        "history": history,
    }


def _csv(records: list[dict[str, object]], columns: list[str], label: str) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: "" if v is None else v for k, v in record.items()})
    return out.getvalue()


def _jsonl(records: list[dict[str, object]], columns: list[str], label: str) -> str:
    return "".join(json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False) + "\n" for r in records)


def _markdown(records: list[dict[str, object]], columns: list[str], label: str) -> str:
    """A table a person reads: the main columns only (descriptions would drown it)."""
    shown = ["title", "company", "location", "salary", "date_posted", "job_url"]
    if columns is APPLICATION_COLUMNS:
        shown = ["title", "company", "status", "applied_on", "follow_up_on", "contact", "job_url"]
    lines = [f"# Jobs: {label}", "", f"{len(records)} rows.", "", "| " + " | ".join(shown) + " |"]
    lines.append("|" + "---|" * len(shown))
    for record in records:
        cells = [" ".join(str(record.get(c) or "").split()).replace("|", "\\|") for c in shown]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
