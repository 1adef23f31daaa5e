"""How a saved search knows postings again across runs (`jobs.dedup.seen_before`), on real postings.

Input: the 2020 Glassdoor scrape (read from ../shared/data), one job per row. The "seen" postings are the
first N rows (what earlier runs returned); the run to judge holds the other rows (never returned), plus
reposts of 100 seen ones under a new id and URL with a line added to their text (an agency edit).

Printed, per N: median seconds of `seen_before` over 5 runs, the reposts recognised (should be all), and
how many of the other rows count as seen (the scrape repeats postings verbatim under new row ids, so
some are: it is the rate of "not new" among unreturned rows, not a false-positive rate).

Run: uv run python bench/saved_search_seen.py
"""

from __future__ import annotations

import statistics
import time

from dedup_speed import glassdoor_rows

from jobsearch_mcp_server.jobs.dedup import Fingerprint, seen_before

RUNS = 5


def main() -> None:
    rows = glassdoor_rows(1)
    for seen_count in (200, 500, 800):
        seen_jobs, others = rows[:seen_count], rows[seen_count:]
        reposts = [
            job.model_copy(
                update={
                    "job_id": f"repost-{n}",
                    "source_id": f"repost-{n}",
                    "url": f"https://agency.example/{n}",
                    "description": (job.description or "") + "\n\nApply through our agency.",
                }
            )
            for n, job in enumerate(seen_jobs[:100])
            if job.description
        ]
        fingerprints = [Fingerprint.of(job) for job in seen_jobs]
        batch = reposts + others
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            flags = seen_before(batch, fingerprints)
            times.append(time.perf_counter() - started)
        recognised = sum(flags[: len(reposts)])
        others_seen = sum(flags[len(reposts) :])
        print(
            f"seen {seen_count:4d}, judged {len(batch):4d}: {statistics.median(times) * 1000:7.1f} ms; "
            f"reposts recognised {recognised}/{len(reposts)}; unreturned rows counted as seen "
            f"{others_seen}/{len(others)}"
        )


if __name__ == "__main__":
    main()
