"""`jobsearch-mcp save-search`, `watch` and `export` run as a user runs them: real processes against two
local boards whose postings change between runs."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pytest

from hunt_boards import Posting, board_env, serve
from jobsearch_mcp_server.cli.watch import period_seconds
from test_console import cli_env, jobsearch

ARM = Posting("401", "Robotics Engineer", "Fictional Arms", "grasping arms for parcel sorting")
VISION = Posting("402", "Robotics Engineer", "Imaginary Vision", "camera calibration for drones")
FRESH = Posting("403", "Robotics Engineer", "Invented Farms", "harvesting robots for orchards")


@pytest.fixture
def env(hunt_site, tmp_path):
    (tmp_path / "exports").mkdir()
    return cli_env(
        tmp_path,
        JOBSEARCH_DATA_DIR=str(tmp_path / "data"),
        JOBSEARCH_ALLOWED_DIRS=str(tmp_path / "exports"),
        JOBSEARCH_ALLOW_PRIVATE_URLS="127.0.0.1",
        JOBSEARCH_MIN_REQUEST_INTERVAL="0",
        **board_env(hunt_site),
    )


def test_watch_prints_only_new_jobs_writes_a_digest_and_exits_0(hunt_site, env, tmp_path):
    serve(hunt_site, [ARM, VISION], None)
    saved = jobsearch(
        "save-search", "robots", "robotics engineer", "--source", "remotive", env=env, cwd=tmp_path
    )
    assert saved.returncode == 0, saved.stderr
    first = jobsearch("watch", "robots", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Fictional Arms" in first.stdout and "Imaginary Vision" in first.stdout
    assert "robots: 2 new, 0 seen before" in first.stdout
    assert first.stdout.splitlines()[0].split() == [
        "Search",
        "Title",
        "Company",
        "Location",
        "Salary",
        "Link",
    ]

    serve(hunt_site, [ARM, VISION, FRESH], None)
    digest = tmp_path / "digest.md"
    second = jobsearch("watch", "--json", "--digest", str(digest), env=env, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    (run,) = json.loads(second.stdout)["runs"]
    assert [job["company"] for job in run["jobs"]] == ["Invented Farms"] and run["already_seen"] == 2
    text = digest.read_text()
    assert text.startswith("# New jobs, ") and "## robots: 1 new" in text
    assert "| [Robotics Engineer](https://remotive.example/403) | Invented Farms |" in text
    assert "Fictional Arms" not in text

    exported = jobsearch("export", "robots", "last.csv", env=env, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "exports" / "last.csv").read_text())))
    assert [(r["company"], r["site"]) for r in rows] == [("Invented Farms", "remotive")]
    again = jobsearch("export", "robots", "last.csv", env=env, cwd=tmp_path)
    assert again.returncode == 2 and "overwrite" in again.stderr


def test_watch_exits_1_when_no_board_could_be_asked_and_2_on_bad_arguments(hunt_site, env, tmp_path):
    serve(hunt_site, [ARM], None)
    none_saved = jobsearch("watch", env=env, cwd=tmp_path)
    assert none_saved.returncode == 2 and "save-search" in none_saved.stderr
    jobsearch("save-search", "blocked", "robotics engineer", "--source", "remoteok", env=env, cwd=tmp_path)
    failed = jobsearch("watch", "blocked", env=env, cwd=tmp_path)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "!! remoteok: blocked" in failed.stdout
    unknown = jobsearch("watch", "nope", env=env, cwd=tmp_path)
    assert unknown.returncode == 2 and "the saved ones are 'blocked'" in unknown.stderr
    bad_period = jobsearch("watch", "--every", "soon", env=env, cwd=tmp_path)
    assert bad_period.returncode == 2 and "not a period" in bad_period.stderr


def test_periods():
    assert [period_seconds(text) for text in ("6h", "30m", "1d", "90s", "1.5h")] == [
        21600,
        1800,
        86400,
        90,
        5400,
    ]
    for bad in ("6", "h", "5s", "-1h"):
        with pytest.raises(argparse.ArgumentTypeError):
            period_seconds(bad)
