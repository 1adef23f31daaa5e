"""Resume parsing and skill extraction speed. Run: `uv run python bench/bench_resume.py`.

Prints medians: parse time per resume and per page for the fixture files (in process, and through the
reader process the server uses), the categorised resume data set, the reader's start-up, and skill
extraction throughput over real job descriptions, projected to 100,000 postings.
Target: the generated 2-page PDF parses in under 100 ms.
"""

from __future__ import annotations

import csv
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from jobsearch_mcp_server.resume.documents import extract_document
from jobsearch_mcp_server.resume.heuristics import parse_resume_text
from jobsearch_mcp_server.resume.worker import ExtractionWorker
from jobsearch_mcp_server.skills import SkillMatcher, extract_skills, load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "resumes"
SHARED = ROOT.parent / "shared" / "data"
FILES = [
    "generated_two_column.pdf",
    "generated_chinese.pdf",
    "real_deedy_two_column.pdf",
    "generated_tables.docx",
    "real_mfr_pandoc.docx",
    "real_blankj_zh.md",
]
REPEATS = 15
TARGET_MS = 100.0


def median_ms(action: Callable[[], object], repeats: int = REPEATS) -> float:
    action()  # warm caches (skill matcher, fonts)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def unique_texts(path: Path, column: str) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return list(dict.fromkeys(row[column] for row in csv.DictReader(handle) if row[column].strip()))


def bench_files() -> None:
    print(f"{'file':32} {'pages':>5} {'in process':>11} {'per page':>9} {'via reader':>11}")
    worker = ExtractionWorker(timeout_s=30)
    started = time.perf_counter()
    worker.extract(b"warm-up")
    startup_ms = (time.perf_counter() - started) * 1000
    try:
        for name in FILES:
            data = (FIXTURES / name).read_bytes()
            pages = extract_document(data, name).pages or 1
            local = median_ms(lambda d=data, n=name: parse_resume_text(extract_document(d, n).text, n))
            remote = median_ms(lambda d=data, n=name: parse_resume_text(worker.extract(d, n).text, n))
            flag = ""
            if name == "generated_two_column.pdf":
                flag = "  OK (< 100 ms)" if local < TARGET_MS else "  SLOWER THAN 100 ms"
            print(f"{name:32} {pages:>5} {local:>9.1f}ms {local / pages:>7.1f}ms {remote:>9.1f}ms{flag}")
    finally:
        worker.close()
    print(f"reader process start-up (spawn + imports): {startup_ms:.0f} ms, once per server process")


def bench_data_set() -> None:
    path = SHARED / "resume_categories" / "UpdatedResumeDataSet.csv"
    if not path.exists():
        print(f"(skipped: {path} not found)")
        return
    texts = unique_texts(path, "Resume")
    times = []
    for text in texts:
        started = time.perf_counter()
        parse_resume_text(extract_document(text.encode("utf-8"), "resume.txt").text)
        times.append(time.perf_counter() - started)
    print(
        f"data set: {len(texts)} unique resumes, median {statistics.median(times) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms, total {sum(times):.2f} s"
    )


def bench_skills() -> None:
    taxonomy = load_taxonomy()
    compile_ms = median_ms(lambda: SkillMatcher(taxonomy), repeats=5)
    print(f"skill matcher: {len(taxonomy.skills)} skills compiled in {compile_ms:.0f} ms (once per process)")
    path = SHARED / "glassdoor_jobs_2020" / "glassdoor_jobs.csv"
    if not path.exists():
        print(f"(skipped: {path} not found)")
        return
    postings = unique_texts(path, "Job Description")
    size = sum(len(p) for p in postings)
    rounds = []
    for _ in range(5):
        started = time.process_time()
        matches = sum(len(extract_skills(p)) for p in postings)
        rounds.append(time.process_time() - started)
    per_doc = statistics.median(rounds) / len(postings)
    print(
        f"skills over {len(postings)} Glassdoor postings ({size / len(postings):.0f} chars each): "
        f"{per_doc * 1e6:.0f} us CPU per posting, {size / statistics.median(rounds) / 1e6:.1f} MB/s, "
        f"{matches / len(postings):.0f} matches per posting"
    )
    print(
        f"projected for 100,000 postings: {per_doc * 100_000:.0f} s CPU (extract once per posting and cache)"
    )


def main() -> None:
    bench_files()
    bench_data_set()
    bench_skills()


if __name__ == "__main__":
    main()
