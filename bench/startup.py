"""Start-up: the time from launching the server over stdio to its answer to `initialize`.

Claude Desktop, Cline and the like start the server per launch and wait for this answer. Prints the median
of N runs for this server (`python -m jobsearch_mcp_server`) and for a minimal MCPServer with no tools (the
floor: the SDK's own import and start), and the ratio. The goal is within 1.2x of the floor.

Beside the wall time it prints the CPU time the process spent until it answered (user + system, from
/proc on Linux): on a machine busy with other work the wall time mostly measures the wait for a core,
while the CPU time still says how much work start-up is.

    uv run python bench/startup.py [--runs 15] [--src PATH]

--src runs the server from another source tree (e.g. an older checkout's src/) with this environment.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
from mcp.server.mcpserver import MCPServer
MCPServer(name="floor").run("stdio")
"""
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "bench-startup", "version": "0"},
    },
}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_initialize(command: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """Wall seconds from the process start to the initialize answer on its stdout, and the CPU seconds
    the process spent until then."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=cwd
    )
    try:
        assert process.stdin and process.stdout
        process.stdin.write((json.dumps(INITIALIZE) + "\n").encode())
        process.stdin.flush()
        while True:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"{command} exited before answering initialize")
            message = json.loads(line)
            if message.get("id") == 1:
                if "result" not in message:
                    raise RuntimeError(f"initialize failed: {message}")
                return time.perf_counter() - started, cpu_seconds(process.pid)
    finally:
        process.kill()
        process.wait()


def median_times(
    commands: list[list[str]], env: dict[str, str], cwd: str, runs: int
) -> list[tuple[float, float]]:
    """The median wall and CPU times of each command; runs alternate between them, so a load that comes
    and goes on the machine weighs on both alike."""
    for command in commands:
        time_to_initialize(command, env, cwd)  # warm the OS file cache and .pyc files first
    times: list[list[tuple[float, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for command, measured in zip(commands, times, strict=True):
            measured.append(time_to_initialize(command, env, cwd))
    return [
        (statistics.median(wall for wall, _ in measured), statistics.median(cpu for _, cpu in measured))
        for measured in times
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--src", help="a source tree to run the server from instead of the installed one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jobsearch-startup-") as scratch:
        # an empty folder: no .env is read, and the data dir is fresh
        env = {
            **os.environ,
            "JOBSEARCH_DATA_DIR": os.path.join(scratch, "data"),
            "PYTHONDONTWRITEBYTECODE": "",
        }
        if args.src:
            env["PYTHONPATH"] = os.path.abspath(args.src)
        ours, floor = median_times(
            [[sys.executable, "-m", "jobsearch_mcp_server"], [sys.executable, "-c", FLOOR]],
            env,
            scratch,
            args.runs,
        )
    print(f"initialize over stdio, median of {args.runs} runs (load average {os.getloadavg()[0]:.1f})")
    print(f"  {'':<18} {'wall':>8} {'CPU':>8}")
    print(f"  {'jobsearch-mcp':<18} {ours[0]:7.3f}s {ours[1]:7.3f}s")
    print(f"  {'minimal MCPServer':<18} {floor[0]:7.3f}s {floor[1]:7.3f}s  (the floor)")
    print(f"  {'ratio':<18} {ours[0] / floor[0]:7.2f}x {ours[1] / floor[1]:7.2f}x  (goal: 1.20x or less)")


if __name__ == "__main__":
    main()
