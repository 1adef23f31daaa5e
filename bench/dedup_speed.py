"""Cross-source dedup on real postings: how fast, how it scales, and whether MinHash misses pairs.

Input: every row of the 2020 Glassdoor scrape (956 rows, 596 distinct descriptions; PlayingNumbers/
ds_salary_proj @ c8ab2c5629a4ba02809a708346fe826b50908c1f, read from ../shared/data), each row a job
with its own URL, as if listed by a separate board. "x k" repeats the whole set k times with new
URLs: k boards listing the same postings, the worst case a multi-board search meets.

Printed: median seconds of `deduplicate` (5 runs) per size and jobs per second; the jobs left; and,
on the distinct descriptions, the near-duplicate pairs (Jaccard >= 0.8) exact comparison finds vs
those MinHash/LSH proposes (recall), with both times.

Run: uv run python bench/dedup_speed.py
"""

from __future__ import annotations

import csv
import os
import statistics
import time
from pathlib import Path

from jobsearch_mcp_server.jobs.dedup import deduplicate, jaccard, near_duplicate_pairs, shingles
from jobsearch_mcp_server.jobs.models import Job, make_job_id

DATA = Path(os.environ.get("JOBSEARCH_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
GLASSDOOR = DATA / "glassdoor_jobs_2020" / "glassdoor_jobs.csv"
RUNS = 5


def glassdoor_rows(copies: int) -> list[Job]:
    csv.field_size_limit(10_000_000)
    with open(GLASSDOOR, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Job(
            job_id=make_job_id(f"board{copy}", row[""]),
            source=f"board{copy}",
            source_id=row[""],
            title=row["Job Title"],
            company=row["Company Name"].split("\n")[0],
            location=row["Location"],
            description=row["Job Description"],
            url=f"https://board{copy}.example/jobs/{row['']}",
        )
        for copy in range(copies)
        for row in rows
    ]


def median_seconds(action, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    print(f"{'jobs':>6} {'kept':>5} {'median s':>9} {'jobs/s':>8}")
    for copies in (1, 2, 4, 8):
        jobs = glassdoor_rows(copies)
        kept = len(deduplicate(jobs))
        seconds = median_seconds(lambda jobs=jobs: deduplicate(jobs), runs=RUNS if copies < 8 else 3)
        print(f"{len(jobs):>6} {kept:>5} {seconds:>9.3f} {len(jobs) / seconds:>8.0f}")

    texts = list(dict.fromkeys(job.description for job in glassdoor_rows(1)))
    started = time.perf_counter()
    sets = [shingles(text) for text in texts]
    exact = {(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts)) if jaccard(sets[i], sets[j]) >= 0.8}
    exact_s = time.perf_counter() - started
    started = time.perf_counter()
    found = set(near_duplicate_pairs(texts))
    minhash_s = time.perf_counter() - started
    recall = len(found & exact) / len(exact) if exact else 1.0
    print(
        f"\n{len(texts)} distinct descriptions: {len(exact)} near-duplicate pairs by exact comparison "
        f"({exact_s:.2f} s), {len(found)} by MinHash/LSH ({minhash_s:.2f} s): recall {recall:.3f}, "
        f"{exact_s / minhash_s:.0f}x faster"
    )


if __name__ == "__main__":
    main()
