"""Runs pytest N times in a row and prints each run's failures: flaky tests show up as failures in some runs.

    uv run python bench/repeat_tests.py 10                      # the whole suite, ten times
    uv run python bench/repeat_tests.py 3 tests/test_dedup.py   # extra arguments go to pytest

Each run is a fresh `pytest` process (no cache between runs), so state left by one run cannot hide or
cause a failure in the next. It prints one line per run and a summary of the tests that failed in any run;
the exit code is 1 when any run failed. Not for CI: the whole suite takes minutes per run.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


def run_once(pytest_args: list[str]) -> tuple[int, list[str], float]:
    """One pytest run: its exit code, the ids of the tests that failed or errored, and its wall time."""
    started = time.monotonic()
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfE", *pytest_args]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    return finished.returncode, FAILED.findall(finished.stdout), time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", type=int, help="how many times to run pytest")
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed to pytest (paths, -k, ...)")
    options = parser.parse_args(argv)
    failures: Counter[str] = Counter()
    failed_runs = 0
    for run in range(1, options.runs + 1):
        code, failed, elapsed = run_once(options.pytest_args)
        failures.update(failed)
        failed_runs += code != 0
        verdict = "ok" if code == 0 else f"exit {code}, {len(failed)} failed"
        print(f"run {run}/{options.runs}: {verdict} in {elapsed:.0f} s" + "".join(f"\n    {t}" for t in failed))
    print(f"\n{failed_runs} of {options.runs} runs failed")
    for test, count in failures.most_common():
        print(f"  {count}/{options.runs}  {test}")
    return 1 if failed_runs else 0


if __name__ == "__main__":
    sys.exit(main())
