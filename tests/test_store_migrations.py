"""The store migrates itself: a database from an earlier release opens, upgrades in place and loses nothing,
on SQLite and on PostgreSQL (the same migrations run on both)."""

import shutil
import sqlite3

import pytest

from conftest import FIXTURES
from jobsearch_mcp_server.store import SCHEMA_VERSION, Store, StoreError
from jobsearch_mcp_server.store.db import ApplicationChange
from jobsearch_mcp_server.store.engine import Database
from jobsearch_mcp_server.store.migrations import _BASE

pytestmark = pytest.mark.both_databases

RELEASE_0_1 = FIXTURES / "store" / "release-0.1.0.db"


@pytest.fixture
def old_file(tmp_path, database_url):
    """A database as release 0.1.0 left it: its own file on SQLite; on PostgreSQL (which that release did
    not know) the same tables and rows, at version 0."""
    if database_url is None:
        path = tmp_path / "jobsearch.db"
        shutil.copy(RELEASE_0_1, path)
        return path
    database = Database(database_url)
    database.script(_BASE)
    with sqlite3.connect(RELEASE_0_1) as release:
        for table in ("resumes", "jobs", "searches", "applications"):
            cursor = release.execute(f"SELECT * FROM {table}")
            columns = ", ".join(column[0] for column in cursor.description)
            marks = ", ".join("?" * len(cursor.description))
            database.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", cursor.fetchall())
    database.close()
    return database_url


def _version(target) -> int:
    """The schema version the database records (on SQLite, `user_version` must agree: releases before the
    schema_version table read that)."""
    database = Database(target)
    try:
        recorded = database.execute("SELECT version FROM schema_version").rows[0][0]
        if database.dialect == "sqlite":
            assert database.execute("PRAGMA user_version").rows[0][0] == recorded
        return recorded
    finally:
        database.close()


def test_a_release_0_1_database_upgrades_in_place_with_nothing_lost(old_file):
    database = Database(old_file)
    assert not database.table_exists("schema_version")
    database.close()
    store = Store(old_file)
    try:
        assert _version(old_file) == SCHEMA_VERSION
        resume = store.get_resume("res-fixture1")
        assert resume is not None and resume.name == "Ada Example" and resume.skills == ["python", "sql"]
        jobs = store.get_jobs(
            [job_id for search in [store.get_search("search-fixt1")] for job_id in search.job_ids]
        )
        assert [job.title for job in jobs] == ["Data Engineer", "Analytics Engineer"]
        assert jobs[0].salary.text == "60k-80k EUR"
        search = store.get_search("search-fixt1")
        assert search.query == "data engineer" and search.location == "Berlin"
        assert [r.source for r in search.reports] == ["remotive", "greenhouse:imaginary"]

        applications = {a.title: a for a in store.list_applications()}
        assert set(applications) == {"Data Engineer", "Analytics Engineer"}
        applied = applications["Data Engineer"]
        assert (applied.status, applied.notes, applied.resume_id) == (
            "applied",
            "sent via the company site",
            "res-fixture1",
        )
        assert applied.company == "Fictional Data GmbH" and applied.url == "https://example.invalid/jobs/101"
        # The history starts with the status the old release knew, at its last change.
        assert [(h.status, h.note, h.at) for h in applied.history] == [
            ("applied", "sent via the company site", applied.updated_at)
        ]
        # And goes on from there.
        later = store.track_application(
            jobs[0], ApplicationChange(status="interviewing", note="call on Monday")
        )
        assert [h.status for h in later.history] == ["applied", "interviewing"]
        assert later.application_id == applied.application_id and later.notes == "sent via the company site"
    finally:
        store.close()


def test_upgrading_is_done_once(old_file):
    Store(old_file).close()
    store = Store(old_file)  # a second open runs no migration again (the columns exist: it would fail)
    try:
        assert len(store.list_applications()) == 2
    finally:
        store.close()


def test_a_database_from_a_newer_release_is_refused_untouched(tmp_path, database_url):
    target = database_url or tmp_path / "newer.db"
    database = Database(target)
    database.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    database.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION + 1,))
    if database.dialect == "sqlite":
        database.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    database.close()
    with pytest.raises(StoreError, match="newer than this release"):
        Store(target)
    assert _version(target) == SCHEMA_VERSION + 1
    database = Database(target)
    assert not database.table_exists("resumes")  # nothing was created in it
    database.close()


def test_a_sqlite_file_of_the_releases_before_schema_version_goes_on_from_its_user_version(tmp_path):
    """Those releases counted migrations in PRAGMA user_version only: a file at version 2 gets the third."""
    path = tmp_path / "jobsearch.db"
    shutil.copy(RELEASE_0_1, path)
    older = Database(path)
    from jobsearch_mcp_server.store.migrations import MIGRATIONS

    for number in (0, 1):
        with older.write():
            MIGRATIONS[number](older)
    older.execute("PRAGMA user_version = 2")
    older.close()
    store = Store(path)
    try:
        assert store.list_saved_searches() == []  # migration 3 ran: its tables exist
        assert len(store.list_applications()) == 2  # migration 2 did not run again (its columns exist)
    finally:
        store.close()
    assert _version(path) == SCHEMA_VERSION


def test_two_processes_opening_an_old_file_at_once_migrate_it_once(old_file):
    """The second opener waits for the first one's migration and then finds nothing left to do."""
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from jobsearch_mcp_server.store import Store; "
        "t = sys.argv[1]; s = Store(t if t.startswith('postgresql:') else Path(t)); "
        "print(len(s.list_applications())); s.close()"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(old_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [out.strip() for out, _ in outputs] == ["2", "2", "2"], [err for _, err in outputs]
    assert _version(old_file) == SCHEMA_VERSION
