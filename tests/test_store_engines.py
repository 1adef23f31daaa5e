"""The database setting: a PostgreSQL URL's password never shows, timestamps keep their precision on both
engines, and streamable HTTP is stateless exactly when the database is shared (unless set otherwise)."""

from __future__ import annotations

import time

import pytest

from jobsearch_mcp_server.config import ConfigError, load_settings
from jobsearch_mcp_server.jobs.models import Job
from jobsearch_mcp_server.store import Store, StoreError
from jobsearch_mcp_server.store.db import ApplicationChange
from jobsearch_mcp_server.store.engine import displayed
from servers import free_port

pytestmark = pytest.mark.both_databases

PASSWORD = "pw-that-must-never-show-7f3a"


def test_a_database_that_cannot_be_reached_is_named_without_its_password():
    url = f"postgresql://jobsearch:{PASSWORD}@127.0.0.1:{free_port()}/jobsearch"
    with pytest.raises(StoreError) as refused:
        Store(url)
    message = str(refused.value)
    assert PASSWORD not in message
    assert f"postgresql://jobsearch:***@127.0.0.1:{url.split(':')[3].split('/')[0]}/jobsearch" in message
    assert displayed(url).count("***") == 1 and PASSWORD not in displayed(url)


def test_a_database_url_of_another_kind_is_refused_without_showing_it(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load_settings(env_file=None, data_dir=str(tmp_path), database_url=f"mysql://u:{PASSWORD}@db/jobs")
    assert "JOBSEARCH_DATABASE_URL=<hidden>" in str(refused.value) and PASSWORD not in str(refused.value)
    assert "postgresql://" in str(refused.value)


def test_stateless_http_follows_the_shared_database_unless_set(tmp_path):
    url = f"postgresql://jobsearch:{PASSWORD}@db.internal:5432/jobsearch"
    alone = load_settings(env_file=None, data_dir=str(tmp_path))
    shared = load_settings(env_file=None, data_dir=str(tmp_path), database_url=url)
    pinned = load_settings(env_file=None, data_dir=str(tmp_path), database_url=url, stateless_http=False)
    assert (alone.stateless, shared.stateless, pinned.stateless) == (False, True, False)
    assert alone.database == tmp_path / "jobsearch.db" and shared.database == url
    assert PASSWORD not in repr(shared)


def test_times_keep_their_precision(settings):
    """PostgreSQL's REAL is 4 bytes (a 2026 timestamp to within minutes): the store's times are 8 bytes on both."""
    store = Store(settings.database)
    try:
        before = time.time()
        job = Job(
            job_id="job-1", source="remotive", source_id="1", title="Engineer", url="https://jobs.example/1"
        )
        tracked = store.track_application(job, ApplicationChange(status="applied"))
        after = time.time()
        assert before - 0.01 <= tracked.updated_at.timestamp() <= after + 0.01
        assert tracked.history[0].at == tracked.updated_at
    finally:
        store.close()


def test_a_dropped_postgresql_connection_is_replaced(postgres):
    """PostgreSQL restarted, failed over or ended an idle session: the call that met the dropped connection
    fails, the store connects again for the next one and nothing stored is lost."""
    import psycopg

    database_url = postgres.create_database()
    store = Store(database_url)
    try:
        store.track_application(Job(job_id="job-1", source="remotive", source_id="1", title="Engineer"),
                                ApplicationChange(status="applied"))  # fmt: skip
        with psycopg.connect(database_url, autocommit=True) as admin:
            ended = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        assert ended == [(True,)]
        with pytest.raises(psycopg.OperationalError):
            store.list_applications()
        assert [app.job_id for app in store.list_applications()] == ["job-1"]
        with pytest.raises(psycopg.OperationalError):  # inside a write transaction too
            with psycopg.connect(database_url, autocommit=True) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            store.track_application(Job(job_id="job-2", source="remotive", source_id="2", title="Engineer"),
                                    ApplicationChange(status="saved"))  # fmt: skip
        assert {app.job_id for app in store.list_applications()} == {"job-1"}
    finally:
        store.close()
        postgres.drop_database(database_url)
