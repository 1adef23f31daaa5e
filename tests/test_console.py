"""The people-facing commands as a user runs them: real subprocesses, a real headless Chromium against
the local board site serving the project's sample boards, the bundled sample resume."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from board_site import search_sample
from conftest import chrome_paths
from fake_llm import Reply
from jobsearch_mcp_server.browser.pool import BrowserPool
from jobsearch_mcp_server.cli.demo import SAMPLE_RESUME
from jobsearch_mcp_server.demo.site import BoardSite, board_samples, demo_samples
from jobsearch_mcp_server.jobs.models import SourceStatus
from jobsearch_mcp_server.resume.documents import text_document
from jobsearch_mcp_server.services.resumes import build_resume

RESUME = SAMPLE_RESUME  # the project's own fictional data-science resume
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


async def sample_titles(settings) -> dict[str, set[str]]:
    """The titles of every job the demo's sample boards hold, per board, read by the boards themselves."""
    with BrowserPool(settings) as pool:
        return {
            sample.board: {job.title for job in await search_sample(sample, settings, pool)}
            for sample in demo_samples()
        }


def demo_sections(out: str) -> tuple[dict[str, tuple[str, int]], int, list[tuple[int, float, str, str, str]]]:
    """The demo's board lines (label -> status, jobs), how many jobs it ranked, and its rows (rank, score,
    title, source, reason) with each reason's wrapped lines joined."""
    board_line = rf"^(\S+)\s+({'|'.join(SourceStatus)})\s+(\d+)\s"
    found = re.findall(board_line, out, re.MULTILINE)
    boards = {label: (status, int(count)) for label, status, count in found}
    top = re.search(r"^Top \d+ of (\d+) jobs", out, re.MULTILINE)
    rows: list[tuple[int, float, str, str, str]] = []
    for line in out[top.end() :].splitlines()[3:]:  # after the rest of its line, the header and the rule
        row = re.match(r"^\s*(\d+)\s+(\d\.\d\d)\s+(.+?)\s{2,}.*\s(\S+)$", line)
        if row:
            rows.append((int(row[1]), float(row[2]), row[3], row[4], ""))
        elif rows and line.startswith("    "):
            rank, score, title, source, reason = rows[-1]
            rows[-1] = (rank, score, title, source, f"{reason} {line.strip()}".strip())
        elif rows:
            break
    return boards, int(top[1]), rows


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and text.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A TMPDIR for the demo, where its temporary data dir and browser profile land. As long as pytest's
    tmp_path: too long for Chromium's socket, so this also checks the pool's short TMPDIR for Chromium."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


@pytest.mark.browser
@pytest.mark.anyio
async def test_demo_runs_offline_and_ranks_the_sample_jobs(tmp_path, scratch, browser_settings):
    binary, driver = chrome_paths()
    env = cli_env(
        tmp_path, JOBSEARCH_CHROME_BINARY=binary, JOBSEARCH_CHROMEDRIVER=driver, TMPDIR=str(scratch)
    )
    done = jobsearch("demo", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    text = SAMPLE_RESUME.read_text(encoding="utf-8")
    resume = build_resume(text_document(text, SAMPLE_RESUME.name), SAMPLE_RESUME.name)
    assert f"Sample resume: {resume.headline}; {len(resume.skills)} skills ({', '.join(resume.skills[:3])}" in out
    titles = await sample_titles(browser_settings)

    boards, ranked, rows = demo_sections(out)
    # every board answered from its sample folder: the browser boards with every card of their page, the
    # JSON boards with the sample jobs that name the query's words
    assert set(boards) == {sample.label for sample in demo_samples()}
    assert all(status == "ok" for status, _ in boards.values())
    assert boards["linkedin"][1] == len(titles["linkedin"]) and boards["indeed"][1] == len(titles["indeed"])
    for label, (_, count) in boards.items():
        assert 1 <= count <= len(titles[label.split(":")[0]]), label
    assert ranked == sum(count for _, count in boards.values())

    assert [rank for rank, *_ in rows] == list(range(1, 11))
    scores = [score for _, score, *_ in rows]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] < scores[0] <= 1
    assert len({source for *_, source, _ in rows}) >= 3  # the best jobs come from several boards
    for _, _, title, source, _ in rows:  # titles of that board's sample (long ones cut with "…")
        assert any(saved.startswith(title.removesuffix("…")) for saved in titles[source]), (title, source)
    assert "data" in rows[0][2].lower()  # a data job is the best match for a data scientist
    assert "Office Manager" not in {title for _, _, title, *_ in rows}  # the one job far from data science

    # reasons name real skills: the matched ones are the resume's, the missing ones are not
    resume_skills = set(resume.skills)
    reasons = [reason for *_, reason in rows]
    for reason in reasons:
        assert re.match(r"(strong|good|partial|weak) match: ", reason), reason
        required = re.search(r"\d+/\d+ required skills(?: \(([^)]+)\))?", reason)
        missing = re.search(r"; missing (.+?)(?: \.\.\.)?(?:;|$)", reason)
        assert required, reason
        assert set(required[1].split(", ") if required[1] else []) <= resume_skills, reason
        assert not set(missing[1].split(", ") if missing else []) & resume_skills, reason
    assert all("required skills (" in reason for reason in reasons[:3])
    assert any("; missing " in reason for reason in reasons)

    assert f"[{len(boards)}/{len(boards)}]" in done.stderr and "headless Chromium" in done.stderr  # progress while the boards work
    assert not (tmp_path / "home" / ".local" / "share" / "jobsearch-mcp").exists()
    assert not list(scratch.iterdir())  # the temporary data dir and browser profile are removed
    assert processes_mentioning(str(scratch)) == []  # and no Chromium is left running


@pytest.mark.browser
def test_demo_with_an_llm_endpoint_adds_the_fit_analysis(tmp_path, fake_llm):
    binary, driver = chrome_paths()
    report = {
        "fit_score": 58,
        "summary": "Strong on Python, SQL and machine learning; little experimentation or product analytics.",
        "strengths": ["Python, LightGBM and pricing experiments at Havenrail Logistics"],
        "gaps": ["A/B testing and product analytics at scale"],
        "red_flags": [],
        "questions_to_ask": [],
    }
    fake_llm.default = Reply(
        answer=json.dumps(report),
        reasoning="The posting asks for experimentation; the resume shows many A/B tests.",
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
    best = demo_sections(done.stdout)[2][0][2].removesuffix("…")
    assert re.search(
        rf"best match by deepseek-r1:7b \(\d+ s\): {re.escape(best)}.* at .* - fit 58/100", done.stdout
    )
    assert "strength: Python, LightGBM and pricing experiments" in done.stdout
    assert "gap: A/B testing and product analytics at scale" in done.stdout
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
    assert re.search(r"^skills \(\d+\)\s+.*\bPython\b", human.stdout, re.MULTILINE)
    assert "Senior Data Scientist" in human.stdout and "Havenrail Logistics" in human.stdout
    as_json = jobsearch("parse-resume", str(RESUME), "--json", env=env, cwd=tmp_path, timeout=60)
    profile = json.loads(as_json.stdout)
    assert profile["resume_id"] in human.stdout and "Machine Learning" in profile["skills"]
    assert "raw_text" not in profile  # the same shape as the parse_resume tool's result


@pytest.mark.browser
def test_search_then_match_from_the_command_line(tmp_path):
    binary, driver = chrome_paths()
    with BoardSite([sample for sample in board_samples() if sample.board == "indeed"]) as site:
        env = cli_env(
            tmp_path,
            JOBSEARCH_CHROME_BINARY=binary,
            JOBSEARCH_CHROMEDRIVER=driver,
            JOBSEARCH_DATA_DIR=str(tmp_path / "data"),
            JOBSEARCH_ALLOW_PRIVATE_URLS="127.0.0.1",
            JOBSEARCH_INDEED_BASE_URL=site.base_urls()["indeed"],
        )
        searched = jobsearch("search", "data scientist", "--source", "indeed", env=env, cwd=tmp_path)
    assert searched.returncode == 0, searched.stderr
    assert "Data Scientist, Forecasting" in searched.stdout
    assert "ok indeed: ok, 3 jobs" in searched.stdout

    matched = jobsearch("match", str(RESUME), "--top-k", "2", env=env, cwd=tmp_path, timeout=60)
    assert matched.returncode == 0, matched.stderr
    rows = SCORE_ROW.findall(matched.stdout)
    assert len(rows) == 2  # long titles are cut with "…"
    indeed_jobs = {"Data Scientist", "Senior Data Analyst", "Data Scientist, Forecasting"}
    assert all(any(job.startswith(title.removesuffix("…")) for job in indeed_jobs) for _, _, title in rows)
    assert "ranked 3 jobs (lexical)" in matched.stdout
    as_json = json.loads(jobsearch("match", str(RESUME), "--json", env=env, cwd=tmp_path, timeout=60).stdout)
    json_titles = [m["title"] for m in as_json["matches"][:2]]
    assert all(full.startswith(shown.removesuffix("…")) for full, (_, _, shown) in zip(json_titles, rows, strict=True))
    scientist = next(m for m in as_json["matches"] if m["title"] == "Data Scientist")
    assert "Python" in scientist["matched_skills"] and scientist["salary"] == "$135,000 - $165,000 a year"
