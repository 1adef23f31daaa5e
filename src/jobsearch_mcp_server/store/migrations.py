"""The database's schema, as ordered migrations: a database made by any earlier release upgrades in place,
on SQLite and on PostgreSQL alike (the migrations write the SQL both accept, see engine.py).

The one-row table `schema_version` holds how many migrations a database has had. Opening it runs the
missing ones in order, each in its own write transaction with its version bump, so a failure leaves it at
the last version that completed. Never edit a migration once released: add a new one at the end.

SQLite files of the releases before that table kept the count in `PRAGMA user_version`: the table starts
from it. SQLite files keep `user_version` in step too, so those releases still refuse a newer file.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from .engine import Database

Migration = Callable[[Database], None]

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


def _base(db: Database) -> None:
    db.script(_BASE)


def _application_pipeline(db: Database) -> None:
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


def _saved_searches(db: Database) -> None:
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


# Every row gets the tenant that made it (see tenants.py); rows of earlier releases were the local tenant's.
# Tables keyed by an id or name are rebuilt with the tenant in the key: two tenants parsing the same resume
# get the same resume_id, and the same posting or saved-search name, each their own row. Plain SQL that
# SQLite and PostgreSQL both run: CREATE, INSERT ... SELECT, DROP, ALTER TABLE ... RENAME TO.
_TENANT_KEYED = {
    "resumes": (
        "resume_id, data, created_at",
        "resume_id TEXT NOT NULL, data TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (tenant, resume_id)",
    ),
    "jobs": (
        "job_id, source, data, fetched_at, expires_at",
        (
            "job_id TEXT NOT NULL, source TEXT NOT NULL, data TEXT NOT NULL, fetched_at REAL NOT NULL, "
            "expires_at REAL, PRIMARY KEY (tenant, job_id)"
        ),
    ),
    "searches": (
        "search_id, query, location, job_ids, reports, created_at",
        (
            "search_id TEXT NOT NULL, query TEXT NOT NULL, location TEXT, job_ids TEXT NOT NULL, "
            "reports TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (tenant, search_id)"
        ),
    ),
    "saved_searches": (
        "name, data, last_search_id, last_run_at, created_at, updated_at",
        (
            "name TEXT NOT NULL, data TEXT NOT NULL, last_search_id TEXT, last_run_at REAL, "
            "created_at REAL NOT NULL, updated_at REAL NOT NULL, PRIMARY KEY (tenant, name)"
        ),
    ),
    "seen_postings": (
        "name, job_id, source, source_id, title, company, location, shingles, seen_at",
        (
            "name TEXT NOT NULL, job_id TEXT NOT NULL, source TEXT NOT NULL, source_id TEXT NOT NULL, "
            "title TEXT NOT NULL, company TEXT, location TEXT, shingles BLOB NOT NULL, seen_at REAL NOT NULL, "
            "PRIMARY KEY (tenant, name, job_id)"
        ),
    ),
}


def _tenants(db: Database) -> None:
    """A tenant column on every table, in the key of each keyed by id or name; existing rows: 'local'."""
    for table, (columns, definition) in _TENANT_KEYED.items():
        db.execute(f"CREATE TABLE {table}_by_tenant (tenant TEXT NOT NULL, {definition})")
        db.execute(
            f"INSERT INTO {table}_by_tenant (tenant, {columns}) SELECT 'local', {columns} FROM {table}"
        )
        db.execute(f"DROP TABLE {table}")
        db.execute(f"ALTER TABLE {table}_by_tenant RENAME TO {table}")
    db.execute("ALTER TABLE applications ADD COLUMN tenant TEXT NOT NULL DEFAULT 'local'")
    db.execute("CREATE INDEX applications_by_tenant ON applications (tenant, job_id)")


def _shared_handles(db: Database) -> None:
    """The handles a client pages with live in the database, so any server process sharing it answers: a
    search still asking its boards is a row with `running_since` set (NULL once its results are in), and
    match_jobs' rankings get a table of their own."""
    db.execute("ALTER TABLE searches ADD COLUMN running_since REAL")
    db.execute(
        "CREATE TABLE rankings (tenant TEXT NOT NULL, match_id TEXT NOT NULL, data TEXT NOT NULL, "
        "created_at REAL NOT NULL, PRIMARY KEY (tenant, match_id))"
    )


def _hidden_jobs(db: Database) -> None:
    """Jobs the user said are not for them ("hide" in the Matches view): per saved search (name), or
    everywhere (name ''), with the fingerprint that knows a repost of them again; each tenant's own."""
    db.execute(
        "CREATE TABLE hidden_jobs (tenant TEXT NOT NULL, name TEXT NOT NULL, job_id TEXT NOT NULL, "
        "source TEXT NOT NULL, source_id TEXT NOT NULL, title TEXT NOT NULL, company TEXT, location TEXT, "
        "shingles BLOB NOT NULL, hidden_at REAL NOT NULL, PRIMARY KEY (tenant, name, job_id))"
    )


MIGRATIONS: list[Migration] = [
    _base, _application_pipeline, _saved_searches, _tenants, _shared_handles, _hidden_jobs,
]  # fmt: skip
SCHEMA_VERSION = len(MIGRATIONS)


class NewerDatabase(Exception):
    """The database was made by a newer release than this one."""


def _version(db: Database) -> int:
    """How many migrations `db` has had; a database without the table starts it (inside the caller's
    write transaction), from `PRAGMA user_version` on SQLite, from 0 on a new PostgreSQL database."""
    if db.table_exists("schema_version"):
        return db.execute("SELECT version FROM schema_version").rows[0][0]
    found = db.execute("PRAGMA user_version").rows[0][0] if db.dialect == "sqlite" else 0
    if found > SCHEMA_VERSION:
        return found  # a newer release's file is left as it is
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute("INSERT INTO schema_version (version) VALUES (?)", (found,))
    return found


def _set_version(db: Database, version: int) -> None:
    db.execute("UPDATE schema_version SET version = ?", (version,))
    if db.dialect == "sqlite":
        db.execute(f"PRAGMA user_version = {int(version)}")


def migrate(db: Database) -> int:
    """Brings `db` to SCHEMA_VERSION; returns the version it was at. The version is read under the write
    lock: another process opening the same database may have just migrated it, and it is not migrated
    twice. A database of a newer release is refused before anything in it changes."""
    with db.write():
        found = _version(db)
    if found > SCHEMA_VERSION:
        raise NewerDatabase(
            f"it has schema version {found}, newer than this release's {SCHEMA_VERSION}: upgrade jobsearch-mcp"
        )
    current = found
    while current < SCHEMA_VERSION:
        with db.write():
            current = _version(db)
            if current < SCHEMA_VERSION:
                MIGRATIONS[current](db)
                current += 1
                _set_version(db, current)
    return found
