"""Starting the real server as a subprocess, the way users and clients run it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(
    process: subprocess.Popen,
    ready: Callable[[], bool],
    *,
    within_s: float,
    what: str,
    details: Callable[[], str] = lambda: "",
    poll_s: float = 0.1,
) -> None:
    """Returns once `ready()`; raises RuntimeError when `process` exits first or `within_s` pass."""
    deadline = time.monotonic() + within_s
    while not ready():
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited: {details()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not become ready within {within_s:g} s {details()}".rstrip())
        time.sleep(poll_s)


def stop_process(process: subprocess.Popen, grace_s: float = 10) -> None:
    """Terminates `process`, and kills it when it has not exited after `grace_s`."""
    process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """A minimal environment (as MCP clients give a server), isolated from the developer's settings."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT", "TMPDIR")}
    env.update({"JOBSEARCH_DATA_DIR": str(data_dir), "LLM_BACKEND": "none", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "jobsearch_mcp_server", "--env-file", "", *args]


@contextmanager
def http_server(data_dir: Path, transport: str, **env: str) -> Iterator[str]:
    """Runs `jobsearch-mcp serve` on a free 127.0.0.1 port; yields its base URL; stops it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        cli_command("serve", "--transport", transport, "--port", str(port)),
        env=server_env(data_dir, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def stderr() -> str:
        return process.stderr.read().decode(errors="replace") if process.poll() is not None else ""

    try:
        wait_ready(process, healthy, within_s=30, what="the server", details=stderr)
        yield base
    finally:
        stop_process(process)
        process.stdout.close()
        process.stderr.close()
