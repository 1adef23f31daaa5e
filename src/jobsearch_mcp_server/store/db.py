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
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..errors import JobsearchError
from ..jobs.models import Job, SourceReport
from ..resume.models import Resume

SCHEMA = """
CREATE TABLE IF NOT EXISTS resumes (
    resume_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    data TEXT NOT NULL,
    fetched_at REAL NOT NULL,
    expires_at REAL
);
CREATE TABLE IF NOT EXISTS searches (
    search_id TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    location TEXT,
    job_ids TEXT NOT NULL,
    reports TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS applications (
    application_id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    resume_id TEXT,
    status TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
"""

ApplicationStatus = Literal["saved", "applied", "interviewing", "offer", "rejected", "withdrawn"]


class StoreError(JobsearchError):
    """The database cannot be opened or written; the message says which file and why."""


class Application(BaseModel):
    application_id: str
    job_id: str
    resume_id: str | None = None
    status: ApplicationStatus = "saved"
    notes: str = ""
    created_at: datetime
    updated_at: datetime


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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from None
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
    def upsert_application(
        self, job_id: str, status: ApplicationStatus, resume_id: str | None = None, notes: str | None = None
    ) -> Application:
        now = time.time()
        with self._lock:
            row = self._db.execute(
                "SELECT application_id, notes, resume_id FROM applications WHERE job_id = ?", (job_id,)
            ).fetchone()
            if row:
                app_id = row[0]
                self._db.execute(
                    "UPDATE applications SET status = ?, notes = ?, resume_id = ?, updated_at = ? "
                    "WHERE application_id = ?",
                    (status, row[1] if notes is None else notes, resume_id or row[2], now, app_id),
                )
            else:
                app_id = uuid.uuid4().hex[:12]
                self._db.execute(
                    "INSERT INTO applications VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (app_id, job_id, resume_id, status, notes or "", now, now),
                )
        return self.get_application(app_id)  # type: ignore[return-value]

    def get_application(self, application_id: str) -> Application | None:
        rows = self._execute("SELECT * FROM applications WHERE application_id = ?", (application_id,))
        return _application(rows[0]) if rows else None

    def list_applications(self) -> list[Application]:
        return [_application(r) for r in self._execute("SELECT * FROM applications ORDER BY updated_at DESC")]


def _application(row: tuple) -> Application:
    app_id, job_id, resume_id, status, notes, created, updated = row
    return Application(
        application_id=app_id,
        job_id=job_id,
        resume_id=resume_id,
        status=status,
        notes=notes,
        created_at=datetime.fromtimestamp(created, UTC),
        updated_at=datetime.fromtimestamp(updated, UTC),
    )
