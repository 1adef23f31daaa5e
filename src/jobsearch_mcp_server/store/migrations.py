"""The database's schema, as ordered migrations: a file made by any earlier release upgrades in place.

`PRAGMA user_version` holds how many migrations a file has had. Opening a file runs the missing ones in
order, each in its own transaction with its version bump, so a failure leaves the file at the last
version that completed. Never edit a migration once released: add a new one at the end.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]

# Release 0.1.0 created these tables (with IF NOT EXISTS) and no user_version: its files are at version 0,
# and this first migration is a no-op for them.
_BASE = """
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


def _base(db: sqlite3.Connection) -> None:
    for statement in _BASE.split(";"):
        if statement.strip():
            db.execute(statement)


def _application_pipeline(db: sqlite3.Connection) -> None:
    """Applications gain dates, a contact, the job's title/company/url and their history of changes.
    Each existing application starts its history with its current status, at its last update."""
    for column in (
        "applied_on TEXT",
        "follow_up_on TEXT",
        "contact TEXT",
        "title TEXT",
        "company TEXT",
        "url TEXT",
        "history TEXT NOT NULL DEFAULT '[]'",
    ):
        db.execute(f"ALTER TABLE applications ADD COLUMN {column}")
    rows = db.execute("SELECT application_id, job_id, status, notes, updated_at FROM applications").fetchall()
    for app_id, job_id, status, notes, updated_at in rows:
        entry = {"status": status, "at": updated_at, "note": notes or None}
        job = db.execute("SELECT data FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        facts = json.loads(job[0]) if job else {}
        db.execute(
            "UPDATE applications SET history = ?, title = ?, company = ?, url = ? WHERE application_id = ?",
            (json.dumps([entry]), facts.get("title"), facts.get("company"), facts.get("url"), app_id),
        )


def _saved_searches(db: sqlite3.Connection) -> None:
    """Saved searches, and per saved search the fingerprints of every posting one of its runs returned."""
    db.execute(
        "CREATE TABLE saved_searches (name TEXT PRIMARY KEY, data TEXT NOT NULL, last_search_id TEXT, "
        "last_run_at REAL, created_at REAL NOT NULL, updated_at REAL NOT NULL)"
    )
    db.execute(
        "CREATE TABLE seen_postings (name TEXT NOT NULL, job_id TEXT NOT NULL, source TEXT NOT NULL, "
        "source_id TEXT NOT NULL, title TEXT NOT NULL, company TEXT, location TEXT, shingles BLOB NOT NULL, "
        "seen_at REAL NOT NULL, PRIMARY KEY (name, job_id))"
    )


def _hidden_jobs(db: sqlite3.Connection) -> None:
    """Jobs the user said are not for them ("hide" in the Matches view): per saved search (name), or
    everywhere (name ''), with the fingerprint that knows a repost of them again."""
    db.execute(
        "CREATE TABLE hidden_jobs (name TEXT NOT NULL, job_id TEXT NOT NULL, source TEXT NOT NULL, "
        "source_id TEXT NOT NULL, title TEXT NOT NULL, company TEXT, location TEXT, shingles BLOB NOT NULL, "
        "hidden_at REAL NOT NULL, PRIMARY KEY (name, job_id))"
    )


MIGRATIONS: list[Migration] = [_base, _application_pipeline, _saved_searches, _hidden_jobs]
SCHEMA_VERSION = len(MIGRATIONS)


class NewerDatabase(Exception):
    """The file was made by a newer release than this one."""


def _version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite3.Connection) -> int:
    """Brings `db` (autocommit mode) to SCHEMA_VERSION; returns the version it was at. Each step re-reads
    the version under the write lock: another process opening the same file may have just migrated it."""
    found = _version(db)
    if found > SCHEMA_VERSION:
        raise NewerDatabase(
            f"it has schema version {found}, newer than this release's {SCHEMA_VERSION}: upgrade jobsearch-mcp"
        )
    current = found
    while current < SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")
        try:
            current = _version(db)
            if current < SCHEMA_VERSION:
                MIGRATIONS[current](db)
                current += 1
                db.execute(f"PRAGMA user_version = {current}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return found
