"""The store migrates itself: a file from an earlier release opens, upgrades in place and loses nothing."""

import shutil
import sqlite3

import pytest

from conftest import FIXTURES
from jobsearch_mcp_server.store import SCHEMA_VERSION, Store, StoreError
from jobsearch_mcp_server.store.db import ApplicationChange

RELEASE_0_1 = FIXTURES / "store" / "release-0.1.0.db"


@pytest.fixture
def old_file(tmp_path):
    path = tmp_path / "jobsearch.db"
    shutil.copy(RELEASE_0_1, path)
    return path


def _version(path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


def test_a_release_0_1_database_upgrades_in_place_with_nothing_lost(old_file):
    assert _version(old_file) == 0
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


def test_a_file_from_a_newer_release_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.db"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this release"):
        Store(path)
    assert _version(path) == SCHEMA_VERSION + 1


def test_two_processes_opening_an_old_file_at_once_migrate_it_once(old_file):
    """The second opener waits for the first one's migration and then finds nothing left to do."""
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from jobsearch_mcp_server.store import Store; "
        "s = Store(Path(sys.argv[1])); print(len(s.list_applications())); s.close()"
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
