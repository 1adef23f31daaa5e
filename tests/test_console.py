"""The people-facing commands as a user runs them: real subprocesses, a real headless Chromium against
the local board site's saved pages, the real sample resume."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, chrome_paths
from fake_llm import Reply
from jobsearch_mcp_server.demo.site import BoardSite

RESUME = FIXTURES / "matching" / "resume_data_science.txt"
AI_JOBS = {"Senior Ai Engineer", "Senior Artificial Intelligence (AI) Developer", "Lead AI Engineer"}
SCORE_ROW = re.compile(r"^\s*(\d+)\s+(0\.\d\d|1\.00)\s+(.+?)\s{2,}", re.MULTILINE)


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: a home of its own (so nothing lands in the real one), no LLM, no .env."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("JOBSEARCH_", "LLM_"))}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update({"HOME": str(home), "LLM_BACKEND": "none", "COLUMNS": "120", **extra})
    return env


def jobsearch(
    *args: str, env: dict[str, str], cwd: Path, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobsearch_mcp_server", "--env-file", "", *args],
        check=False,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.browser
def test_demo_runs_offline_and_ranks_the_saved_jobs(tmp_path):
    binary, driver = chrome_paths()
    env = cli_env(tmp_path, JOBSEARCH_CHROME_BINARY=binary, JOBSEARCH_CHROMEDRIVER=driver)
    done = jobsearch("demo", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Sample resume: Data Science Assurance Associate" in out
    assert "linkedin ok (4 jobs), indeed ok (3 jobs)" in out
    rows = SCORE_ROW.findall(out)
    assert [int(rank) for rank, _, _ in rows] == list(range(1, 8))
    titles = [title for _, _, title in rows]
    # the AI engineering jobs (Indeed's saved page) above the Swedish case-officer jobs (LinkedIn's)
    assert set(titles[:3]) == AI_JOBS
    assert "Kvalificerad handläggare" in titles[3:]
    scores = [float(score) for _, score, _ in rows]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    # reasons name the skills: the resume's Machine Learning, the AI the postings ask for and it lacks
    assert (
        re.search(r"\d/\d required skills \(Machine Learning\)", out)
        and "missing Artificial Intelligence" in out
    )
    assert "$160,367 - $185,457 a year" in out
    assert "ranked 7 jobs (lexical)" in out
    assert "[2/2]" in done.stderr and "headless Chromium" in done.stderr  # progress while the browser works
    assert not (tmp_path / "home" / ".local" / "share" / "jobsearch-mcp").exists()  # a temporary data dir


@pytest.mark.browser
def test_demo_with_an_llm_endpoint_adds_the_fit_analysis(tmp_path, fake_llm):
    binary, driver = chrome_paths()
    report = {
        "fit_score": 58,
        "summary": "Strong on Python and machine learning; no production AI engineering shown.",
        "strengths": ["Python, scikit-learn and NLP projects at Ernst & Young"],
        "gaps": ["7+ years as a software or ML engineer"],
        "red_flags": [],
        "questions_to_ask": [],
    }
    fake_llm.default = Reply(
        answer=json.dumps(report), reasoning="The posting asks for 7+ years; the resume shows 2."
    )
    env = cli_env(
        tmp_path,
        JOBSEARCH_CHROME_BINARY=binary,
        JOBSEARCH_CHROMEDRIVER=driver,
        LLM_BACKEND="openai-compatible",
        LLM_BASE_URL=fake_llm.url,
        LLM_MODEL="deepseek-r1:7b",
    )
    done = jobsearch("demo", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    best = SCORE_ROW.findall(done.stdout)[0][2]
    assert f"{best} at " in done.stdout and "fit 58/100" in done.stdout
    assert "strength: Python, scikit-learn and NLP projects" in done.stdout
    assert "gap: 7+ years as a software or ML engineer" in done.stdout
    assert best in fake_llm.requests[-1]["messages"][0]["content"]  # the model saw the best match's posting


def test_demo_without_a_browser_says_what_to_install(tmp_path):
    env = cli_env(tmp_path, JOBSEARCH_CHROME_BINARY=str(tmp_path / "no-chromium"))
    done = jobsearch("demo", env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert "apt-get install chromium chromium-driver" in done.stderr and "no-chromium" in done.stderr
    assert done.stdout == ""


def test_parse_resume_prints_the_profile_or_json(tmp_path):
    env = cli_env(tmp_path, JOBSEARCH_DATA_DIR=str(tmp_path / "data"))
    human = jobsearch("parse-resume", str(RESUME), env=env, cwd=tmp_path, timeout=60)
    assert human.returncode == 0, human.stderr
    assert re.search(r"^skills \(\d+\)\s+Python, pandas", human.stdout, re.MULTILINE)
    assert "Data Science Assurance Associate" in human.stdout and "Ernst & Young LLP" in human.stdout
    as_json = jobsearch("parse-resume", str(RESUME), "--json", env=env, cwd=tmp_path, timeout=60)
    profile = json.loads(as_json.stdout)
    assert profile["resume_id"] in human.stdout and "Machine Learning" in profile["skills"]
    assert "raw_text" not in profile  # the same shape as the parse_resume tool's result


@pytest.mark.browser
def test_search_then_match_from_the_command_line(tmp_path):
    binary, driver = chrome_paths()
    with BoardSite() as site:
        env = cli_env(
            tmp_path,
            JOBSEARCH_CHROME_BINARY=binary,
            JOBSEARCH_CHROMEDRIVER=driver,
            JOBSEARCH_DATA_DIR=str(tmp_path / "data"),
            JOBSEARCH_ALLOW_PRIVATE_URLS="127.0.0.1",
            **site.env(["indeed"]),
        )
        searched = jobsearch("search", "AI engineer", "--source", "indeed", env=env, cwd=tmp_path)
    assert searched.returncode == 0, searched.stderr
    assert "Senior Artificial Intelligence (AI) Developer" in searched.stdout
    assert "ok indeed: ok, 3 jobs" in searched.stdout

    matched = jobsearch("match", str(RESUME), "--top-k", "2", env=env, cwd=tmp_path, timeout=60)
    assert matched.returncode == 0, matched.stderr
    rows = SCORE_ROW.findall(matched.stdout)
    assert len(rows) == 2 and {title for _, _, title in rows} <= AI_JOBS
    assert "ranked 3 jobs (lexical)" in matched.stdout
    as_json = json.loads(jobsearch("match", str(RESUME), "--json", env=env, cwd=tmp_path, timeout=60).stdout)
    assert [m["title"] for m in as_json["matches"][:2]] == [title for _, _, title in rows]
    engineer = next(m for m in as_json["matches"] if m["title"] == "Senior Ai Engineer")
    assert (
        "Machine Learning" in engineer["matched_skills"]
        and engineer["salary"] == "$160,367 - $185,457 a year"
    )
