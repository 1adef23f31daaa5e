"""The official MCP Inspector CLI drives the server over stdio, as a developer debugging it would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, require
from servers import server_env

pytestmark = pytest.mark.inspector


def inspector() -> str:
    candidates = [os.environ.get("MCP_INSPECTOR"), str(ROOT / ".ci/cache/node_modules/.bin/mcp-inspector"),
                  shutil.which("mcp-inspector")]
    found = next((c for c in candidates if c and Path(c).exists()), None)
    require(found is not None, "needs the MCP Inspector CLI (npm install @modelcontextprotocol/inspector)")
    return found


def run_inspector(data_dir: Path, *method_args: str) -> dict:
    command = [inspector(), "--cli", sys.executable, "-m", "jobsearch_mcp_server", "serve", *method_args]
    # The Inspector passes its own environment to the server it starts.
    env = {**os.environ, **server_env(data_dir)}
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_inspector_lists_tools_and_calls_one(data_dir):
    listed = run_inspector(data_dir, "--method", "tools/list")
    assert "track_application" in {t["name"] for t in listed["tools"]}
    called = run_inspector(
        data_dir, "--method", "tools/call", "--tool-name", "track_application",
        "--tool-arg", "job_id=inspector-job", "--tool-arg", "status=applied",
        "--tool-arg", "url=https://jobs.example/inspector",
    )
    assert called.get("isError") is not True
    assert called["structuredContent"]["job_id"] == "inspector-job"


def test_inspector_gets_a_prompt(data_dir):
    prompt = run_inspector(
        data_dir, "--method", "prompts/get", "--prompt-name", "job_search_assistant",
        "--prompt-args", "goal=remote Python work",
    )
    assert "remote Python work" in prompt["messages"][0]["content"]["text"]
