"""One SQLite database for resumes, jobs, searches and applications.

Rows hold pydantic models as JSON, so the models stay the single schema. The connection is shared
by the server's worker threads (tools run in threads), hence the lock; WAL keeps readers unblocked.
Every row belongs to a tenant (tenants.py): each method reads, writes and deletes the rows of
`current_tenant()` only, so an id of another tenant answers exactly like an id that does not exist.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from ..errors import JobsearchError
from ..jobs.models import Job, SourceReport
from ..resume.models import Resume
from ..tenants import current_tenant
from .engine import Database, displayed, driver_errors
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
    running_since: float | None = Field(
        None, description="set while the search still asks its boards (maybe in another server process)"
    )


class Store:
    """Thread-safe access to the database at `target`: a SQLite file (created with its directory if
    missing) or a `postgresql://` URL (several server processes may share it)."""

    def __init__(self, target: Path | str, job_ttl_s: float = 72 * 3600) -> None:
        self.target = target
        self.job_ttl_s = job_ttl_s
        db: Database | None = None
        unusable = (NewerDatabase, *driver_errors(target))
        try:
            db = Database(target)
            migrate(db)  # first: a database of a newer release is refused before anything in it changes
            if db.dialect == "sqlite":
                db.execute("PRAGMA journal_mode=WAL")
        except unusable as exc:
            if db is not None:
                db.close()  # a database this release cannot use is left as it was, and not held open
            raise StoreError(
                f"cannot open the database {displayed(target)}: {_described(exc, target)}"
            ) from None
        self._db = db
        self._lock = threading.Lock()

    @property
    def shared(self) -> bool:
        """True when other processes may use the same database (PostgreSQL)."""
        return self._db.dialect == "postgresql"

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _execute(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).rows

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        with self._lock, self._db.write():
            self._db.executemany(sql, rows)

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
        where = f"tenant = ? AND substr({column}, 1, ?) = ?"
        params: tuple = (current_tenant(), len(prefix), prefix)
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
            "INSERT INTO resumes(tenant, resume_id, data, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(tenant, resume_id) DO UPDATE SET data = excluded.data",
            (current_tenant(), resume.resume_id, resume.model_dump_json(), time.time()),
        )

    def get_resume(self, resume_id: str) -> Resume | None:
        rows = self._execute(
            "SELECT data FROM resumes WHERE tenant = ? AND resume_id = ?", (current_tenant(), resume_id)
        )
        return Resume.model_validate_json(rows[0][0]) if rows else None

    def list_resumes(self) -> list[Resume]:
        return [
            Resume.model_validate_json(r[0])
            for r in self._execute(
                "SELECT data FROM resumes WHERE tenant = ? ORDER BY created_at", (current_tenant(),)
            )
        ]

    def delete_resume(self, resume_id: str) -> bool:
        with self._lock:
            deleted = self._db.execute(
                "DELETE FROM resumes WHERE tenant = ? AND resume_id = ?", (current_tenant(), resume_id)
            )
            return deleted.rowcount > 0

    # Jobs
    def save_jobs(self, jobs: Iterable[Job], ttl_s: float | None = None) -> None:
        now = time.time()
        expires = now + (self.job_ttl_s if ttl_s is None else ttl_s)
        tenant = current_tenant()
        rows = [(tenant, j.job_id, j.source, j.model_dump_json(), now, expires) for j in jobs]
        if rows:
            self._executemany(
                "INSERT INTO jobs(tenant, job_id, source, data, fetched_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(tenant, job_id) DO UPDATE SET data = excluded.data, fetched_at = excluded.fetched_at, "
                "expires_at = excluded.expires_at",
                rows,
            )

    def get_job(self, job_id: str, include_expired: bool = False) -> Job | None:
        sql = "SELECT data FROM jobs WHERE tenant = ? AND job_id = ?"
        params: tuple = (current_tenant(), job_id)
        if not include_expired:
            sql += " AND (expires_at IS NULL OR expires_at > ?)"
            params += (time.time(),)
        rows = self._execute(sql, params)
        return Job.model_validate_json(rows[0][0]) if rows else None

    def get_jobs(self, job_ids: Iterable[str]) -> list[Job]:
        """The stored jobs among `job_ids`, in the given order (expired ones included: the caller asked by id)."""
        ids = list(dict.fromkeys(job_ids))
        tenant = current_tenant()
        found: dict[str, Job] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._execute(
                f"SELECT data FROM jobs WHERE tenant = ? AND job_id IN ({marks})", (tenant, *chunk)
            )
            for (data,) in rows:
                job = Job.model_validate_json(data)
                found[job.job_id] = job
        return [found[i] for i in ids if i in found]

    def list_jobs(self, limit: int = 1000, include_expired: bool = False) -> list[Job]:
        sql = "SELECT data FROM jobs WHERE tenant = ?"
        params: tuple = (current_tenant(),)
        if not include_expired:
            sql += " AND (expires_at IS NULL OR expires_at > ?)"
            params += (time.time(),)
        rows = self._execute(sql + " ORDER BY fetched_at DESC LIMIT ?", (*params, limit))
        return [Job.model_validate_json(r[0]) for r in rows]

    def purge_expired_jobs(self) -> int:
        """Drops cached jobs past their TTL (every tenant's: housekeeping), except those an application of
        their tenant refers to."""
        with self._lock:
            return self._db.execute(
                "DELETE FROM jobs WHERE expires_at IS NOT NULL AND expires_at <= ? AND NOT EXISTS "
                "(SELECT 1 FROM applications a WHERE a.tenant = jobs.tenant AND a.job_id = jobs.job_id)",
                (time.time(),),
            ).rowcount

    # Searches (for paging through a result set)
    def save_search(self, search: StoredSearch) -> None:
        self._execute(
            "INSERT INTO searches(tenant, search_id, query, location, job_ids, reports, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(tenant, search_id) DO UPDATE SET query = excluded.query, "
            "location = excluded.location, job_ids = excluded.job_ids, reports = excluded.reports, "
            "created_at = excluded.created_at, running_since = NULL",
            (
                current_tenant(),
                search.search_id,
                search.query,
                search.location,
                json.dumps(search.job_ids),
                json.dumps([r.model_dump(mode="json") for r in search.reports]),
                time.time(),
            ),
        )

    def start_search(self, search_id: str, query: str, location: str | None) -> None:
        """Records a search that is still asking its boards, so that every server process sharing the
        database knows `search_id` and waits for its results (save_search records them)."""
        now = time.time()
        self._execute(
            "INSERT INTO searches(tenant, search_id, query, location, job_ids, reports, created_at, running_since) "
            "VALUES (?, ?, ?, ?, '[]', '[]', ?, ?)",
            (current_tenant(), search_id, query, location, now, now),
        )

    def forget_running_search(self, search_id: str) -> None:
        """Drops a search that failed before it had results (a finished one stays)."""
        self._execute(
            "DELETE FROM searches WHERE tenant = ? AND search_id = ? AND running_since IS NOT NULL",
            (current_tenant(), search_id),
        )

    def get_search(self, search_id: str) -> StoredSearch | None:
        rows = self._execute(
            "SELECT search_id, query, location, job_ids, reports, running_since FROM searches "
            "WHERE tenant = ? AND search_id = ?",
            (current_tenant(), search_id),
        )
        if not rows:
            return None
        sid, query, location, job_ids, reports, running_since = rows[0]
        return StoredSearch(
            search_id=sid,
            query=query,
            location=location,
            job_ids=json.loads(job_ids),
            reports=json.loads(reports),
            running_since=running_since,
        )

    # Rankings (match_jobs pages through them by match_id)
    def save_ranking(self, match_id: str, data: str, keep: int) -> None:
        """Keeps a ranking (`data`: its JSON) and lets go of all but the tenant's `keep` newest."""
        tenant = current_tenant()
        with self._lock, self._db.write():
            self._db.execute(
                "INSERT INTO rankings(tenant, match_id, data, created_at) VALUES (?, ?, ?, ?)",
                (tenant, match_id, data, time.time()),
            )
            self._db.execute(
                "DELETE FROM rankings WHERE tenant = ? AND match_id NOT IN (SELECT match_id FROM rankings "
                "WHERE tenant = ? ORDER BY created_at DESC LIMIT ?)",
                (tenant, tenant, keep),
            )

    def get_ranking(self, match_id: str) -> str | None:
        rows = self._execute(
            "SELECT data FROM rankings WHERE tenant = ? AND match_id = ?", (current_tenant(), match_id)
        )
        return rows[0][0] if rows else None

    # Applications
    def track_application(self, job: Job, change: ApplicationChange) -> Application:
        """Records `change` for the application to `job` (created on first use) and adds it to the history.
        The job is kept with the application (never purged while tracked)."""
        now = time.time()
        entry = {"status": change.status, "at": now, "note": change.note}
        tenant = current_tenant()
        with self._lock, self._db.write():
            self._db.execute(
                "INSERT INTO jobs(tenant, job_id, source, data, fetched_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT(tenant, job_id) DO NOTHING",
                (tenant, job.job_id, job.source, job.model_dump_json(), now),
            )
            row = self._db.execute(
                "SELECT application_id, history FROM applications WHERE tenant = ? AND job_id = ?",
                (tenant, job.job_id),
            ).fetchone()
            if row is None:
                app_id = uuid.uuid4().hex[:12]
                self._db.execute(
                    "INSERT INTO applications(tenant, application_id, job_id, resume_id, status, notes, "
                    "created_at, updated_at, applied_on, follow_up_on, contact, title, company, url, history) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        tenant,
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
        return self.get_application(app_id)  # type: ignore[return-value]

    def application_for_job(self, job_id: str) -> Application | None:
        rows = self._execute(
            f"SELECT {_APPLICATION_COLUMNS} FROM applications WHERE tenant = ? AND job_id = ?",
            (current_tenant(), job_id),
        )
        return _application(rows[0]) if rows else None

    def get_application(self, application_id: str) -> Application | None:
        rows = self._execute(
            f"SELECT {_APPLICATION_COLUMNS} FROM applications WHERE tenant = ? AND application_id = ?",
            (current_tenant(), application_id),
        )
        return _application(rows[0]) if rows else None

    def list_applications(self) -> list[Application]:
        rows = self._execute(
            f"SELECT {_APPLICATION_COLUMNS} FROM applications WHERE tenant = ? ORDER BY updated_at DESC",
            (current_tenant(),),
        )
        return [_application(r) for r in rows]

    # Saved searches
    def save_saved_search(self, saved: SavedSearch) -> SavedSearch:
        """Creates or replaces the saved search `saved.name`; what its earlier runs returned stays seen."""
        now = time.time()
        data = saved.model_dump_json(include=_SAVED_FIELDS)
        self._execute(
            "INSERT INTO saved_searches(tenant, name, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(tenant, name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (current_tenant(), saved.name, data, now, now),
        )
        return self.get_saved_search(saved.name)  # type: ignore[return-value]

    def get_saved_search(self, name: str) -> SavedSearch | None:
        rows = self._execute(f"{_SAVED_SELECT} WHERE s.tenant = ? AND s.name = ?", (current_tenant(), name))
        return _saved(rows[0]) if rows else None

    def list_saved_searches(self) -> list[SavedSearch]:
        rows = self._execute(f"{_SAVED_SELECT} WHERE s.tenant = ? ORDER BY s.name", (current_tenant(),))
        return [_saved(row) for row in rows]

    def delete_saved_search(self, name: str) -> bool:
        tenant = current_tenant()
        with self._lock, self._db.write():
            self._db.execute("DELETE FROM seen_postings WHERE tenant = ? AND name = ?", (tenant, name))
            self._db.execute("DELETE FROM hidden_jobs WHERE tenant = ? AND name = ?", (tenant, name))
            deleted = self._db.execute(
                "DELETE FROM saved_searches WHERE tenant = ? AND name = ?", (tenant, name)
            )
            return deleted.rowcount > 0

    def seen_postings(self, name: str) -> list[SeenPosting]:
        return self._postings("seen_postings", "name = ?", (name,))

    def _postings(self, table: str, where: str, params: tuple) -> list[SeenPosting]:
        """The tenant's postings in `table` (a table of postings) that match `where`."""
        fields = ("job_id", "source", "source_id", "title", "company", "location", "shingles")
        rows = self._execute(
            f"SELECT {', '.join(fields)} FROM {table} WHERE tenant = ? AND {where}", (current_tenant(), *params)
        )
        return [SeenPosting(**dict(zip(fields, row))) for row in rows]

    def hide_posting(self, name: str, posting: SeenPosting) -> None:
        """Hides `posting` from the saved search `name` ('' for every saved search and match_jobs)."""
        self._executemany(
            "INSERT INTO hidden_jobs (tenant, name, job_id, source, source_id, title, company, location, "
            "shingles, hidden_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, name, job_id) "
            "DO UPDATE SET hidden_at = excluded.hidden_at",
            [(current_tenant(), name, posting.job_id, posting.source, posting.source_id, posting.title,
              posting.company, posting.location, posting.shingles, time.time())],
        )  # fmt: skip

    def hidden_postings(self, name: str) -> list[SeenPosting]:
        """The postings hidden from the saved search `name`, those hidden everywhere included."""
        return self._postings("hidden_jobs", "name IN (?, '')", (name,))

    def record_run(self, name: str, search_id: str, shown: list[SeenPosting]) -> None:
        """Marks the postings a run of `name` returned as seen and makes `search_id` its last run, at once."""
        now = time.time()
        tenant = current_tenant()
        with self._lock, self._db.write():
            self._db.executemany(
                "INSERT INTO seen_postings(tenant, name, job_id, source, source_id, title, company, "
                "location, shingles, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(tenant, name, job_id) DO UPDATE SET source = excluded.source, "
                "source_id = excluded.source_id, title = excluded.title, company = excluded.company, "
                "location = excluded.location, shingles = excluded.shingles, seen_at = excluded.seen_at",
                [
                    (
                        tenant,
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
                "UPDATE saved_searches SET last_search_id = ?, last_run_at = ? WHERE tenant = ? AND name = ?",
                (search_id, now, tenant, name),
            )


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
    "(SELECT count(*) FROM seen_postings p WHERE p.tenant = s.tenant AND p.name = s.name) FROM saved_searches s"
)


def _described(exc: BaseException, target: Path | str) -> str:
    """An error's message without the password of the database URL."""
    password = urlsplit(target).password if isinstance(target, str) else None
    message = str(exc)
    return message.replace(password, "***") if password else message


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
