"""One SQLite database for resumes, jobs, searches and applications.

Rows hold pydantic models as JSON, so the models stay the single schema. The connection is shared
by the server's worker threads (tools run in threads), hence the lock; WAL keeps readers unblocked.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..errors import JobsearchError
from ..jobs.models import Job, SourceReport
from ..resume.models import Resume
from .migrations import NewerDatabase, migrate

ApplicationStatus = Literal["saved", "applied", "interviewing", "offer", "rejected", "withdrawn", "closed"]
# Where a hunt ends: no follow-up is due for these.
FINAL_STATUSES = frozenset({"rejected", "withdrawn", "closed"})


class StoreError(JobsearchError):
    """The database cannot be opened or written; the message says which file and why."""


class HistoryEntry(BaseModel):
    status: ApplicationStatus
    at: datetime
    note: str | None = None


class Application(BaseModel):
    application_id: str
    job_id: str
    title: str | None = None
    company: str | None = None
    url: str | None = None
    resume_id: str | None = None
    status: ApplicationStatus = "saved"
    notes: str = ""
    applied_on: date | None = None
    follow_up_on: date | None = None
    contact: str | None = None
    created_at: datetime
    updated_at: datetime
    history: list[HistoryEntry] = Field(default_factory=list, description="every change, oldest first")


class ApplicationChange(BaseModel):
    """What one track_application call sets; None leaves a field as it is."""

    status: ApplicationStatus
    notes: str | None = None
    resume_id: str | None = None
    applied_on: date | None = None
    follow_up_on: date | None = None
    contact: str | None = None
    note: str | None = Field(None, description="the history entry's note")


class SavedSearch(BaseModel):
    """A search kept by name, run again and again; only postings no earlier run returned are new."""

    name: str
    query: str
    location: str | None = None
    sources: list[str] | None = None
    remote_only: bool = False
    posted_within_days: int | None = None
    limit: int = 25
    min_score: float | None = None
    resume_id: str | None = None
    created_at: datetime | None = None
    last_run_at: datetime | None = None
    last_search_id: str | None = Field(None, description="the search_id of the last run's new jobs")
    seen: int = Field(0, description="postings its runs have returned so far")


class SeenPosting(BaseModel):
    """What a saved search remembers of a posting it returned: enough to know it again under a new id."""

    job_id: str
    source: str
    source_id: str
    title: str
    company: str | None = None
    location: str | None = None
    shingles: bytes = Field(repr=False)


class StoredSearch(BaseModel):
    search_id: str
    query: str
    location: str | None = None
    job_ids: list[str]
    reports: list[SourceReport] = Field(default_factory=list)


class Store:
    """Thread-safe access to the database file at `path` (created with its directory if missing)."""

    def __init__(self, path: Path, job_ttl_s: float = 72 * 3600) -> None:
        self.path = path
        self.job_ttl_s = job_ttl_s
        db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA busy_timeout=5000")
            migrate(db)  # first: a file of a newer release is refused before anything in it changes
            db.execute("PRAGMA journal_mode=WAL")
        except (OSError, sqlite3.Error, NewerDatabase) as exc:
            if db is not None:
                db.close()  # a file this release cannot use is left as it was, and not held open
            raise StoreError(f"cannot open the database {path}: {exc}") from None
        self._db = db
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _execute(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(sql, rows)
            except sqlite3.Error:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # Completion
    def ids_starting_with(
        self, kind: Literal["resume", "job", "application"], prefix: str, limit: int
    ) -> tuple[list[str], int]:
        """Up to `limit` stored ids of `kind` that start with `prefix`, and how many there are in all
        (cached jobs past their TTL are not offered). Reads ids only: completion runs on every keystroke."""
        table, column = {
            "resume": ("resumes", "resume_id"),
            "job": ("jobs", "job_id"),
            "application": ("applications", "application_id"),
        }[kind]
        where = f"substr({column}, 1, ?) = ?"
        params: tuple = (len(prefix), prefix)
        if kind == "job":
            where += " AND (expires_at IS NULL OR expires_at > ?)"
            params += (time.time(),)
        total = self._execute(f"SELECT count(*) FROM {table} WHERE {where}", params)[0][0]
        rows = self._execute(
            f"SELECT {column} FROM {table} WHERE {where} ORDER BY {column} LIMIT ?", (*params, limit)
        )
        return [row[0] for row in rows], total

    # Resumes
    def save_resume(self, resume: Resume) -> None:
        self._execute(
            "INSERT INTO resumes(resume_id, data, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(resume_id) DO UPDATE SET data = excluded.data",
            (resume.resume_id, resume.model_dump_json(), time.time()),
        )

    def get_resume(self, resume_id: str) -> Resume | None:
        rows = self._execute("SELECT data FROM resumes WHERE resume_id = ?", (resume_id,))
        return Resume.model_validate_json(rows[0][0]) if rows else None

    def list_resumes(self) -> list[Resume]:
        return [
            Resume.model_validate_json(r[0])
            for r in self._execute("SELECT data FROM resumes ORDER BY created_at")
        ]

    def delete_resume(self, resume_id: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM resumes WHERE resume_id = ?", (resume_id,)).rowcount > 0

    # Jobs
    def save_jobs(self, jobs: Iterable[Job], ttl_s: float | None = None) -> None:
        now = time.time()
        expires = now + (self.job_ttl_s if ttl_s is None else ttl_s)
        rows = [(j.job_id, j.source, j.model_dump_json(), now, expires) for j in jobs]
        if rows:
            self._executemany(
                "INSERT INTO jobs(job_id, source, data, fetched_at, expires_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(job_id) DO UPDATE SET data = excluded.data, fetched_at = excluded.fetched_at, "
                "expires_at = excluded.expires_at",
                rows,
            )

    def get_job(self, job_id: str, include_expired: bool = False) -> Job | None:
        sql = "SELECT data FROM jobs WHERE job_id = ?"
        params: tuple = (job_id,)
        if not include_expired:
            sql += " AND (expires_at IS NULL OR expires_at > ?)"
            params = (job_id, time.time())
        rows = self._execute(sql, params)
        return Job.model_validate_json(rows[0][0]) if rows else None

    def get_jobs(self, job_ids: Iterable[str]) -> list[Job]:
        """The stored jobs among `job_ids`, in the given order (expired ones included: the caller asked by id)."""
        ids = list(dict.fromkeys(job_ids))
        found: dict[str, Job] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for (data,) in self._execute(f"SELECT data FROM jobs WHERE job_id IN ({marks})", chunk):
                job = Job.model_validate_json(data)
                found[job.job_id] = job
        return [found[i] for i in ids if i in found]

    def list_jobs(self, limit: int = 1000, include_expired: bool = False) -> list[Job]:
        sql = "SELECT data FROM jobs"
        params: tuple = ()
        if not include_expired:
            sql += " WHERE expires_at IS NULL OR expires_at > ?"
            params = (time.time(),)
        rows = self._execute(sql + " ORDER BY fetched_at DESC LIMIT ?", (*params, limit))
        return [Job.model_validate_json(r[0]) for r in rows]

    def purge_expired_jobs(self) -> int:
        """Drops cached jobs past their TTL, except those an application refers to."""
        with self._lock:
            return self._db.execute(
                "DELETE FROM jobs WHERE expires_at IS NOT NULL AND expires_at <= ? "
                "AND job_id NOT IN (SELECT job_id FROM applications)",
                (time.time(),),
            ).rowcount

    # Searches (for paging through a result set)
    def save_search(self, search: StoredSearch) -> None:
        self._execute(
            "INSERT OR REPLACE INTO searches(search_id, query, location, job_ids, reports, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                search.search_id,
                search.query,
                search.location,
                json.dumps(search.job_ids),
                json.dumps([r.model_dump(mode="json") for r in search.reports]),
                time.time(),
            ),
        )

    def get_search(self, search_id: str) -> StoredSearch | None:
        rows = self._execute(
            "SELECT search_id, query, location, job_ids, reports FROM searches WHERE search_id = ?",
            (search_id,),
        )
        if not rows:
            return None
        sid, query, location, job_ids, reports = rows[0]
        return StoredSearch(
            search_id=sid,
            query=query,
            location=location,
            job_ids=json.loads(job_ids),
            reports=json.loads(reports),
        )

    # Applications
    def track_application(self, job: Job, change: ApplicationChange) -> Application:
        """Records `change` for the application to `job` (created on first use) and adds it to the history.
        The job is kept with the application (never purged while tracked)."""
        now = time.time()
        entry = {"status": change.status, "at": now, "note": change.note}
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "INSERT INTO jobs(job_id, source, data, fetched_at, expires_at) VALUES (?, ?, ?, ?, NULL) "
                    "ON CONFLICT(job_id) DO NOTHING",
                    (job.job_id, job.source, job.model_dump_json(), now),
                )
                row = self._db.execute(
                    "SELECT application_id, history FROM applications WHERE job_id = ?", (job.job_id,)
                ).fetchone()
                if row is None:
                    app_id = uuid.uuid4().hex[:12]
                    self._db.execute(
                        "INSERT INTO applications(application_id, job_id, resume_id, status, notes, created_at, "
                        "updated_at, applied_on, follow_up_on, contact, title, company, url, history) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            app_id,
                            job.job_id,
                            change.resume_id,
                            change.status,
                            change.notes or "",
                            now,
                            now,
                            _day(change.applied_on),
                            _day(change.follow_up_on),
                            change.contact,
                            job.title,
                            job.company,
                            job.url,
                            json.dumps([entry]),
                        ),
                    )
                else:
                    app_id, history = row
                    self._db.execute(
                        "UPDATE applications SET status = ?, notes = coalesce(?, notes), "
                        "resume_id = coalesce(?, resume_id), applied_on = coalesce(?, applied_on), "
                        "follow_up_on = coalesce(?, follow_up_on), contact = coalesce(?, contact), "
                        "updated_at = ?, history = ? WHERE application_id = ?",
                        (
                            change.status,
                            change.notes,
                            change.resume_id,
                            _day(change.applied_on),
                            _day(change.follow_up_on),
                            change.contact,
                            now,
                            json.dumps([*json.loads(history), entry]),
                            app_id,
                        ),
                    )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return self.get_application(app_id)  # type: ignore[return-value]

    def application_for_job(self, job_id: str) -> Application | None:
        rows = self._execute(f"SELECT {_APPLICATION_COLUMNS} FROM applications WHERE job_id = ?", (job_id,))
        return _application(rows[0]) if rows else None

    def get_application(self, application_id: str) -> Application | None:
        rows = self._execute(
            f"SELECT {_APPLICATION_COLUMNS} FROM applications WHERE application_id = ?", (application_id,)
        )
        return _application(rows[0]) if rows else None

    def list_applications(self) -> list[Application]:
        rows = self._execute(f"SELECT {_APPLICATION_COLUMNS} FROM applications ORDER BY updated_at DESC")
        return [_application(r) for r in rows]

    # Saved searches
    def save_saved_search(self, saved: SavedSearch) -> SavedSearch:
        """Creates or replaces the saved search `saved.name`; what its earlier runs returned stays seen."""
        now = time.time()
        data = saved.model_dump_json(include=_SAVED_FIELDS)
        self._execute(
            "INSERT INTO saved_searches(name, data, created_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (saved.name, data, now, now),
        )
        return self.get_saved_search(saved.name)  # type: ignore[return-value]

    def get_saved_search(self, name: str) -> SavedSearch | None:
        rows = self._execute(f"{_SAVED_SELECT} WHERE s.name = ?", (name,))
        return _saved(rows[0]) if rows else None

    def list_saved_searches(self) -> list[SavedSearch]:
        return [_saved(row) for row in self._execute(f"{_SAVED_SELECT} ORDER BY s.name")]

    def delete_saved_search(self, name: str) -> bool:
        with self._lock:
            self._db.execute("DELETE FROM seen_postings WHERE name = ?", (name,))
            self._db.execute("DELETE FROM hidden_jobs WHERE name = ?", (name,))
            return self._db.execute("DELETE FROM saved_searches WHERE name = ?", (name,)).rowcount > 0

    def seen_postings(self, name: str) -> list[SeenPosting]:
        return self._postings("seen_postings WHERE name = ?", (name,))

    def _postings(self, source: str, params: tuple) -> list[SeenPosting]:
        """The postings of `source` (a table of postings and its WHERE clause)."""
        fields = ("job_id", "source", "source_id", "title", "company", "location", "shingles")
        rows = self._execute(f"SELECT {', '.join(fields)} FROM {source}", params)
        return [SeenPosting(**dict(zip(fields, row))) for row in rows]

    def hide_posting(self, name: str, posting: SeenPosting) -> None:
        """Hides `posting` from the saved search `name` ('' for every saved search and match_jobs)."""
        self._execute(
            "INSERT OR REPLACE INTO hidden_jobs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (name, posting.job_id, posting.source, posting.source_id, posting.title, posting.company,
             posting.location, posting.shingles, time.time()),
        )  # fmt: skip

    def hidden_postings(self, name: str) -> list[SeenPosting]:
        """The postings hidden from the saved search `name`, those hidden everywhere included."""
        return self._postings("hidden_jobs WHERE name IN (?, '')", (name,))

    def record_run(self, name: str, search_id: str, shown: list[SeenPosting]) -> None:
        """Marks the postings a run of `name` returned as seen and makes `search_id` its last run, at once."""
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO seen_postings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            name,
                            p.job_id,
                            p.source,
                            p.source_id,
                            p.title,
                            p.company,
                            p.location,
                            p.shingles,
                            now,
                        )
                        for p in shown
                    ],
                )
                self._db.execute(
                    "UPDATE saved_searches SET last_search_id = ?, last_run_at = ? WHERE name = ?",
                    (search_id, now, name),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")


_APPLICATION_COLUMNS = (
    "application_id, job_id, title, company, url, resume_id, status, notes, applied_on, follow_up_on, contact, "
    "created_at, updated_at, history"
)
_SAVED_FIELDS = {
    "name",
    "query",
    "location",
    "sources",
    "remote_only",
    "posted_within_days",
    "limit",
    "min_score",
    "resume_id",
}
_SAVED_SELECT = (
    "SELECT s.data, s.created_at, s.last_run_at, s.last_search_id, "
    "(SELECT count(*) FROM seen_postings p WHERE p.name = s.name) FROM saved_searches s"
)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _application(row: tuple) -> Application:
    (
        app_id,
        job_id,
        title,
        company,
        url,
        resume_id,
        status,
        notes,
        applied_on,
        follow_up_on,
        contact,
        created,
        updated,
        history,
    ) = row
    return Application(
        application_id=app_id,
        job_id=job_id,
        title=title,
        company=company,
        url=url,
        resume_id=resume_id,
        status=status,
        notes=notes,
        applied_on=applied_on,
        follow_up_on=follow_up_on,
        contact=contact,
        created_at=_time(created),
        updated_at=_time(updated),
        history=[{**entry, "at": _time(entry["at"])} for entry in json.loads(history)],
    )


def _saved(row: tuple) -> SavedSearch:
    data, created, last_run, last_search_id, seen = row
    return SavedSearch.model_validate_json(data).model_copy(
        update={
            "created_at": _time(created),
            "last_run_at": _time(last_run),
            "last_search_id": last_search_id,
            "seen": seen,
        }
    )
