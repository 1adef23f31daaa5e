"""Ranking speed and memory: one resume against 10,000 and 100,000 jobs.

The jobs are synthesised by sampling the 692 real postings of `realdata.py` with replacement (title,
description, tags, location and salary of one real posting; a fresh job_id each), so the texts, their
lengths and vocabulary are those of real postings. Each size runs in its own child process, so peak
memory is that size's alone.

What is timed:
- reading: a posting's features the first time it is seen (tokens, skills per section, years, level),
  measured on the real postings, in ms per posting. This happens once per posting: features are cached
  by job_id (and re-read only when the posting changes).
- first rank: ranking the N jobs for the resume when their features are cached but this set of jobs
  was never ranked (builds the set's index: BM25F weights, skill arrays), median of 5 runs. Each job's
  posting fingerprint (a hash of its text) is part of this; Python caches a string's hash, so a run
  on job objects freshly loaded from the store pays it once more (about 0.2 s per 100,000 postings);
- next rank: the same set again for another resume (the set's index is cached too), median of 5 runs.
Memory: resident set size of the features of N jobs, and the peak increase while ranking.

Run: uv run python bench/rank_speed.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realdata import job_pool, resumes

from jobsearch_mcp_server.jobs.models import Job, make_job_id
from jobsearch_mcp_server.matching.profile import build_profile
from jobsearch_mcp_server.matching.ranker import Ranker
from jobsearch_mcp_server.resume.heuristics import parse_resume_text

RUNS = 5


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthesise(real: list[Job], count: int, seed: int = 1) -> tuple[list[Job], list[int]]:
    """`count` jobs, each a copy of a randomly chosen real posting under a new job_id; and which one."""
    rng = random.Random(seed)
    picks = [rng.randrange(len(real)) for _ in range(count)]
    jobs = [
        real[p].model_copy(update={"job_id": make_job_id("synthetic", str(n)), "source_id": str(n)})
        for n, p in enumerate(picks)
    ]
    return jobs, picks


def run_size(size: int) -> None:
    real = job_pool()
    texts = [r.text for r in resumes()]
    first_resume, second_resume = (build_profile(parse_resume_text(texts[i])) for i in (0, 50))
    ranker = Ranker()
    start = time.perf_counter()
    real_features = ranker.cache.features(real)
    reading_ms = (time.perf_counter() - start) / len(real) * 1000

    jobs, picks = synthesise(real, size)
    before = rss_mb()
    # The synthetic copies get their real posting's features (arrays copied, so memory is honest),
    # exactly what reading them would give: the features depend on the posting only.
    copies = [
        dataclasses.replace(
            real_features[p],
            job_id=job.job_id,
            **{
                f.name: getattr(real_features[p], f.name).copy()
                for f in dataclasses.fields(real_features[p])
                if isinstance(getattr(real_features[p], f.name), np.ndarray)
            },
        )
        for job, p in zip(jobs, picks, strict=True)
    ]
    ranker.cache.add(copies)
    features_mb = rss_mb() - before
    del copies

    first, again = [], []
    base = rss_mb()
    for _ in range(RUNS):
        random.shuffle(jobs)  # another order is another set to the index cache: it is built anew
        start = time.perf_counter()
        ranking = ranker.rank(first_resume, jobs)
        ranking.matches(10)
        first.append(time.perf_counter() - start)
        start = time.perf_counter()
        ranking = ranker.rank(second_resume, jobs)
        ranking.matches(10)
        again.append(time.perf_counter() - start)
        del ranking  # a tool call drops its ranking when it returns
    print(
        f"{size:>8,} jobs | first rank {statistics.median(first):6.3f} s"
        f" | next rank {statistics.median(again):6.3f} s"
        f" | features {features_mb:6.0f} MB | ranking peak +{max(0.0, peak_rss_mb() - base):5.0f} MB"
        f" | reading {reading_ms:.2f} ms/posting (once per posting)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size in this process
    args = parser.parse_args()
    if args.one:
        run_size(args.one)
        return
    print(f"ranking one resume against N jobs, median of {RUNS} runs, {os.cpu_count()} CPUs")
    for size in args.sizes:
        subprocess.run([sys.executable, __file__, "--one", str(size)], check=True)


if __name__ == "__main__":
    main()
