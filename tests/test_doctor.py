"""`jobsearch-mcp doctor`: human lines, --json, and an exit code scripts can trust."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from conftest import chrome_paths
from jobsearch_mcp_server.cli.demo import browser_paths
from jobsearch_mcp_server.cli.main import main
from jobsearch_mcp_server.llm.status import browser_check


@pytest.fixture
def llm_env(monkeypatch, fake_llm, tmp_path):
    monkeypatch.setenv("JOBSEARCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LLM_BACKEND", "openai-compatible")
    monkeypatch.setenv("LLM_BASE_URL", fake_llm.url)
    monkeypatch.setenv("LLM_MODEL", "deepseek-r1:7b")
    monkeypatch.setenv("LLM_API_KEY", "sk-doctor-secret-42")
    monkeypatch.setenv("LLM_EMBEDDING_MODEL", "nomic-embed-text")
    return fake_llm


def test_doctor_reports_a_working_setup(llm_env, capsys):
    assert main(["--env-file", "", "doctor"]) == 0
    out = capsys.readouterr().out
    for line in (
        "OK      endpoint",
        "OK      model",
        "OK      completion",
        "OK      embeddings",
        "LLM tools: ready",
    ):
        assert line in out
    assert "64-dimensional vectors" in out and "sk-doctor-secret-42" not in out


def test_doctor_json_names_the_missing_model(llm_env, capsys):
    llm_env.models = ["qwen3:8b"]
    code = main(["--env-file", "", "doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["model"]["status"] == "failed" and "ollama pull deepseek-r1:7b" in checks["model"]["detail"]
    assert checks["completion"]["status"] == "failed" and report["llm_ready"] is False
    assert code == 1


def test_doctor_exits_non_zero_when_the_endpoint_is_down(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = os.environ | {"JOBSEARCH_DATA_DIR": str(tmp_path), "LLM_BACKEND": "openai-compatible"}
    env["LLM_BASE_URL"] = f"http://127.0.0.1:{port}/v1"
    done = subprocess.run(
        [sys.executable, "-m", "jobsearch_mcp_server", "--env-file", "", "doctor"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    assert f"FAILED  endpoint    cannot reach the LLM endpoint http://127.0.0.1:{port}/v1" in done.stdout
    assert "LLM tools: NOT ready" in done.stdout


def test_the_doctor_and_the_demo_find_the_same_browser(settings):
    """One discovery (browser/discovery.py) behind the doctor's check and the demo's start."""
    binary, driver = chrome_paths()
    configured = settings.model_copy(update={"chrome_binary": binary, "chromedriver": driver})
    assert browser_check(configured).detail == f"{binary} with {driver}"
    assert browser_paths(configured) == (binary, driver)
    gone = settings.model_copy(update={"chrome_binary": "/nonexistent/chromium", "chromedriver": driver})
    check, refused = browser_check(gone), browser_paths(gone)
    assert check.status == "failed" and "Chromium (/nonexistent/chromium) cannot be used" in check.detail
    assert isinstance(refused, str) and "Chromium (/nonexistent/chromium) cannot be used" in refused
