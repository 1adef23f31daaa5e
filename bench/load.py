"""Many MCP clients at once against one real server, over streamable HTTP and SSE.

Each of N clients (default 50) runs the real flow on its own session: parse_resume of the demo resume's
text, search_jobs over a jobs file (the first 300 real Glassdoor postings of ../shared/data, written to a
temporary folder the server may read), match_jobs on that search, and list_sources. While they run, one
more client, in a process of its own, calls list_sources every 50 ms: the latency a cheap call sees while
the CPU-heavy calls of every other client are in flight. Printed per transport: failures, p50 / p99 per tool, the whole flow's
time, and the server's peak resident memory (its own high-water mark plus the peak of its children,
the resume reader process).

Goal: 0 failures, and list_sources p99 under 200 ms while the N run.

Run: uv run python bench/load.py [--clients 50] [--transports streamable-http sse] [--postings 300]
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Self

import anyio
import httpx
from mcp.client import Client
from mcp.client.sse import sse_client

ROOT = Path(__file__).resolve().parent.parent
GLASSDOOR = ROOT.parent / "shared" / "data" / "glassdoor_jobs_2020" / "glassdoor_jobs.csv"
RESUME = ROOT / "src" / "jobsearch_mcp_server" / "demo" / "resume" / "data_scientist.txt"
QUERY = "data scientist"
PROBE_EVERY_S = 0.05
GOAL_S = 0.2  # list_sources p99 while the N clients run
CALL_TIMEOUT_S = 600


def write_postings(folder: Path, count: int) -> Path:
    """The first `count` real postings as a CSV in `folder` (a temporary copy the server reads, never
    committed; the data stays in ../shared)."""
    csv.field_size_limit(2**31 - 1)
    with GLASSDOOR.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))[:count]
    target = folder / "glassdoor_jobs.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


class MemoryWatch:
    """Samples the server's children every 0.2 s; the server's own peak is the kernel's VmHWM."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.children_peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            total = sum(rss_kib(child, "VmRSS") for child in children(self.pid))
            self.children_peak_kib = max(self.children_peak_kib, total)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server_peak_kib = rss_kib(self.pid, "VmHWM")
        self._stop.set()
        self._thread.join()


@contextmanager
def server(
    transport: str, data_dir: Path, jobs_dir: Path, extra_env: dict[str, str]
) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env |= {
        "JOBSEARCH_DATA_DIR": str(data_dir),
        "JOBSEARCH_ALLOWED_DIRS": str(jobs_dir),
        "LLM_BACKEND": "none",
        "JOBSEARCH_LOG_LEVEL": "WARNING",
    } | extra_env
    command = [sys.executable, "-m", "jobsearch_mcp_server", "--env-file", ""]
    command += ["serve", "--transport", transport, "--port", str(port)]
    log = data_dir / "server.log"  # a file, not a pipe: a pipe nobody reads would stall the server
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError("the server exited: " + log.read_text(errors="replace"))
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if os.environ.get("LOAD_KEEP_SERVER_LOG"):  # for profiling: where the server's log is kept
            shutil.copy(log, os.environ["LOAD_KEEP_SERVER_LOG"])
        errors = [line for line in log.read_text(errors="replace").splitlines() if "ERROR" in line]
        for line in errors[:5]:
            print(f"  server log: {line[:200]}")


@asynccontextmanager
async def session(transport: str, base: str):
    target = (
        sse_client(f"{base}/sse", timeout=30, sse_read_timeout=CALL_TIMEOUT_S)
        if transport == "sse"
        else f"{base}/mcp"
    )
    async with Client(target) as client:
        yield client


def describe(exc: BaseException) -> str:
    """The innermost error of a task group's exception group (the one that says what went wrong)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return f"{type(exc).__name__}: {exc}"


class Results:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.failures: list[str] = []

    async def call(self, client: Client, tool: str, arguments: dict, label: str | None = None) -> dict | None:
        started = time.perf_counter()
        try:
            with anyio.fail_after(CALL_TIMEOUT_S):
                result = await client.call_tool(tool, arguments)
        except Exception as exc:  # a failure is a figure of the benchmark, not its end
            self.failures.append(f"{tool}: {describe(exc)}")
            return None
        self.times[label or tool].append(time.perf_counter() - started)
        if result.is_error:
            self.failures.append(f"{tool}: {result.content[0].text[:200]}")
            return None
        return result.structured_content


async def flow(transport: str, base: str, jobs_file: Path, resume_text: str, results: Results) -> None:
    started = time.perf_counter()
    try:
        async with session(transport, base) as client:
            resume = await results.call(client, "parse_resume", {"text": resume_text})
            found = await results.call(
                client, "search_jobs", {"query": QUERY, "sources": [f"file:{jobs_file}"], "limit": 100}
            )
            if resume and found:
                await results.call(
                    client, "match_jobs", {"resume_id": resume["resume_id"], "job_ids": found_ids(found)}
                )
            await results.call(client, "list_sources", {})
    except Exception as exc:
        results.failures.append(f"session: {describe(exc)}")
        return
    results.times["whole flow"].append(time.perf_counter() - started)


def found_ids(page: dict) -> list[str]:
    return [job["job_id"] for job in page["jobs"]]


async def probe(transport: str, base: str, ready: Event, stop: Event) -> Results:
    results = Results()
    async with session(transport, base) as client:
        ready.set()
        while not stop.is_set():
            await results.call(client, "list_sources", {}, label="list_sources (probe)")
            await anyio.sleep(PROBE_EVERY_S)
    return results


def probe_process(transport: str, base: str, ready: Event, stop: Event, out: Queue) -> None:
    """The probe in a process of its own: the clients' process spends its time validating big replies,
    and a probe on that event loop would measure the client's delays, not the server's."""
    results = anyio.run(probe, transport, base, ready, stop)
    out.put((dict(results.times), results.failures))


async def run(transport: str, base: str, clients: int, jobs_file: Path, resume_text: str) -> Results:
    results = Results()
    context = multiprocessing.get_context("spawn")
    ready, stop, out = context.Event(), context.Event(), context.Queue()
    prober = context.Process(target=probe_process, args=(transport, base, ready, stop, out), daemon=True)
    prober.start()
    if not await anyio.to_thread.run_sync(ready.wait, 60):
        raise RuntimeError("the probe client did not connect within 60 s")
    async with anyio.create_task_group() as group:
        for _ in range(clients):
            group.start_soon(flow, transport, base, jobs_file, resume_text, results)
    stop.set()
    times, failures = await anyio.to_thread.run_sync(out.get, True, 120)
    await anyio.to_thread.run_sync(prober.join, 30)
    results.times.update(times)
    results.failures += failures
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(transport: str, clients: int, results: Results, wall_s: float, memory: MemoryWatch) -> None:
    print(f"\n{transport}: {clients} clients, {wall_s:.1f} s, {len(results.failures)} failures")
    for failure in sorted(set(results.failures))[:10]:
        print(f"  failure: {failure}")
    print(f"  {'tool':<24} {'calls':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for tool in (
        "parse_resume",
        "search_jobs",
        "match_jobs",
        "list_sources",
        "list_sources (probe)",
        "whole flow",
    ):
        times = results.times.get(tool)
        if times:
            p50, p99 = statistics.median(times) * 1000, percentile(times, 0.99) * 1000
            print(f"  {tool:<24} {len(times):>5} {p50:>8.0f} {p99:>8.0f} {max(times) * 1000:>8.0f}")
    probes = results.times.get("list_sources (probe)", [])
    slow = sum(1 for seconds in probes if seconds > GOAL_S)
    print(f"  probe calls over {GOAL_S * 1000:.0f} ms: {slow} of {len(probes)}")
    server_mib, children_mib = memory.server_peak_kib / 1024, memory.children_peak_kib / 1024
    print(f"  peak RSS: server {server_mib:.0f} MiB + children {children_mib:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--transports", nargs="+", default=["streamable-http", "sse"])
    parser.add_argument("--postings", type=int, default=300)
    parser.add_argument("--env", nargs="*", default=[], metavar="NAME=VALUE", help="extra server settings")
    args = parser.parse_args()
    extra_env = dict(item.split("=", 1) for item in args.env)
    resume_text = RESUME.read_text(encoding="utf-8")
    print(
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; server settings: {extra_env or 'defaults'}"
    )
    for transport in args.transports:
        with tempfile.TemporaryDirectory() as data, tempfile.TemporaryDirectory() as jobs:
            jobs_file = write_postings(Path(jobs), args.postings)
            with (
                server(transport, Path(data), Path(jobs), extra_env) as (base, pid),
                MemoryWatch(pid) as memory,
            ):
                started = time.perf_counter()
                results = anyio.run(run, transport, base, args.clients, jobs_file, resume_text)
                wall_s = time.perf_counter() - started
            report(transport, args.clients, results, wall_s, memory)


if __name__ == "__main__":
    main()
