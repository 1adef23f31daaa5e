"""Starting the real server as a subprocess, the way users and clients run it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {process.stderr.read().decode(errors='replace')}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not become healthy within 30 s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
