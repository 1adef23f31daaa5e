"""Match quality on real public data: does a resume rank the jobs of its own occupation first?

Queries: the 166 distinct resumes of the categorised resume set, each parsed by the project's resume
parser. Job pool: 596 distinct Glassdoor postings (2020) + 96 RemoteOK jobs (2026), see `realdata.py`.

Relevance is assigned to jobs by TITLE ONLY, with fixed rules written from what each occupation is
(the table `OCCUPATIONS` below), never looked at per method: grade 2 = the job title names the resume's
occupation, grade 1 = a neighbouring occupation, 0 = anything else. A resume whose category has no job
of grade >= 1 in the pool (e.g. Advocate, Civil Engineer) cannot be scored and is left out (listed).

Metrics per resume, averaged: NDCG@10 (gain 2^grade - 1, ideal order from all labelled jobs) and MRR
(1 / rank of the first job of grade >= 1). Both methods rank the same pool in the same run:
- baseline: TF-IDF cosine of the resume text to each posting (`bench/baseline.py`);
- ranker: the project's deterministic ranking (`matching/ranker.py`), no embeddings, no LLM.
A paired bootstrap over resumes gives a 95% interval for each difference.

A third comparison is against the ranker as it was at an earlier commit: `--save-previous` writes this
run's per-resume figures to `match_quality_previous.json`; later runs print the paired difference to them.

Run: uv run python bench/match_quality.py [--per-category] [--parts] [--save-previous]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline import TfidfCosine  # bench/baseline.py, beside this script
from realdata import job_pool, resumes

from jobsearch_mcp_server.matching.profile import build_profile
from jobsearch_mcp_server.matching.ranker import LEXICAL_PARTS, Ranker, weighted_score
from jobsearch_mcp_server.resume.heuristics import parse_resume_text

# Category -> (grade 2: the title names this occupation, grade 1: a neighbouring occupation).
# Patterns are matched case-insensitively against the job title.
SOFTWARE_DEVELOPER = r"back[\s-]?end|software (engineer|developer)|full[\s-]?stack"
TESTER = (r"\bqa\b|quality assurance|\btest(ing|er)?\b|sdet|automation engineer", r"quality engineer")
OCCUPATIONS: dict[str, tuple[str, str | None]] = {
    "Data Science": (
        (
            r"data scien|machine learning|\bml\b|deep learning|computer vision|\bnlp\b|"
            r"\bai\b.*(engineer|scientist)"
        ),
        r"data analy|analytics|statistic|quantitative|business intelligence|research scientist",
    ),
    "Hadoop": (r"big data|hadoop|spark", r"data engineer|data platform|data architect"),
    "ETL Developer": (
        r"\betl\b|data warehouse|\bbi developer|informatica",
        r"data engineer|business intelligence|data modeler|data integration",
    ),
    "Database": (
        r"database|\bdba\b|data architect|data modeler|sql (developer|engineer|data engineer)|mongodb",
        r"data engineer|data management|\bsql\b",
    ),
    "Business Analyst": (
        r"business (data |intelligence |systems )?analyst",
        r"data analyst|\banalyst\b|analytics (consultant|manager)",
    ),
    "DevOps Engineer": (
        (
            r"devops|site reliability|\bsre\b|platform engineer|infrastructure engineer|"
            r"cloud (systems )?engineer"
        ),
        r"infrastructure|cloud|systems engineer",
    ),
    "Network Security Engineer": (
        (
            r"security (engineer|architect|analyst)|network (engineer|security)|cyber[\s-]?security|"
            r"information security|threat"
        ),
        r"security|network",
    ),
    "Python Developer": (r"python|django|flask", SOFTWARE_DEVELOPER),
    "Java Developer": (r"\bjava\b|spring|j2ee", SOFTWARE_DEVELOPER),
    "DotNet Developer": (r"\.net|dotnet|c#", SOFTWARE_DEVELOPER),
    "SAP Developer": (r"\bsap\b|abap", r"\berp\b"),
    "Testing": TESTER,
    "Automation Testing": TESTER,
    "Electrical Engineering": (
        r"electrical|electronics?|firmware|hardware engineer|embedded",
        r"electrician|power|energy",
    ),
    "Mechanical Engineer": (r"mechanical", r"manufacturing engineer|design engineer"),
    "Civil Engineer": (r"civil|structural engineer", r"construction|site engineer"),
    "Sales": (
        r"\bsales\b|account (executive|exec|manager)|business development|territory",
        r"partnership|customer success|client partner",
    ),
    "HR": (
        r"human resources|\bhr\b|recruit|talent acquisition|people operations|payroll|benefits",
        r"\bpeople\b|talent",
    ),
    "Operations Manager": (
        r"operations (manager|lead|director)|head of operations",
        r"operations|operational",
    ),
    "PMO": (
        r"project manager|program manager|\bpmo\b|project management",
        r"product manager|project|program",
    ),
    "Web Designing": (
        r"web design|ui designer|ux designer|front[\s-]?end|web developer|designer",
        r"design|creative|\bux\b",
    ),
    "Arts": (r"artist|animator|illustrat|art director|creative director", r"creative|design|writer"),
    "Health and fitness": (
        r"fitness|personal trainer|nutrition|dietitian|physiotherap|yoga|wellness",
        r"health coach",
    ),
    "Advocate": (
        r"lawyer|attorney|legal|counsel|advocate|paralegal",
        r"policy|compliance|corporate associate",
    ),
    "Blockchain": (r"blockchain|crypto|web3|smart contract|solidity", None),
}


def grade(category: str, title: str) -> int:
    exact, near = OCCUPATIONS[category]
    if re.search(exact, title, re.IGNORECASE):
        return 2
    if near and re.search(near, title, re.IGNORECASE):
        return 1
    return 0


def ndcg_at(scores: np.ndarray, grades: np.ndarray, k: int = 10) -> float:
    order = np.argsort(-scores, kind="stable")[:k]
    discounts = 1 / np.log2(np.arange(2, k + 2))
    gains = (2.0 ** grades[order] - 1) @ discounts[: len(order)]
    ideal = np.sort(2.0**grades - 1)[::-1][:k] @ discounts[: min(k, len(grades))]
    return float(gains / ideal) if ideal > 0 else 0.0


def reciprocal_rank(scores: np.ndarray, grades: np.ndarray) -> float:
    order = np.argsort(-scores, kind="stable")
    hits = np.nonzero(grades[order] >= 1)[0]
    return 1.0 / (hits[0] + 1) if len(hits) else 0.0


PREVIOUS = Path(__file__).with_name("match_quality_previous.json")


def resume_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def paired_bootstrap(differences: np.ndarray, rounds: int = 10_000, seed: int = 7) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    means = rng.choice(differences, size=(rounds, len(differences)), replace=True).mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-category", action="store_true", help="print the figures per resume category")
    parser.add_argument("--parts", action="store_true", help="also rank by each part alone and without it")
    parser.add_argument(
        "--save-previous", action="store_true", help=f"keep this run's per-resume figures in {PREVIOUS.name}"
    )
    args = parser.parse_args()

    jobs = job_pool()
    baseline = TfidfCosine([f"{job.title}\n{job.description or ''}" for job in jobs])
    ranker = Ranker()
    start = time.perf_counter()
    ranker.index(jobs)
    read_s = time.perf_counter() - start

    variants: dict[str, list[tuple[float, float]]] = defaultdict(list)
    categories: list[str] = []
    keys: list[str] = []
    skipped: dict[str, int] = defaultdict(int)
    parse_s = rank_s = 0.0
    for labelled in resumes():
        grades = np.array([grade(labelled.category, job.title) for job in jobs], dtype=np.float64)
        if not (grades >= 1).any():
            skipped[labelled.category] += 1
            continue
        categories.append(labelled.category)
        keys.append(resume_key(labelled.text))
        start = time.perf_counter()
        resume = parse_resume_text(labelled.text)
        parse_s += time.perf_counter() - start
        start = time.perf_counter()
        profile = build_profile(resume)
        # The resumes are from India, the jobs from the US or remote: a location preference would only
        # favour remote postings, which says nothing about occupations. Rank as a user naming no place.
        profile.location = None
        ranking = ranker.rank(profile, jobs)
        rank_s += time.perf_counter() - start
        scored = {"tfidf-cosine baseline": baseline.scores(resume.raw_text), "ranker": ranking.score}
        if args.parts:
            for part in LEXICAL_PARTS:
                scored[f"  only {part}"] = weighted_score({part: ranking.parts[part]})
                scored[f"  without {part}"] = weighted_score(
                    {p: ranking.parts[p] for p in LEXICAL_PARTS if p != part}
                )
        for name, scores in scored.items():
            variants[name].append((ndcg_at(scores, grades), reciprocal_rank(scores, grades)))

    print(
        f"job pool: {len(jobs)} real postings; resumes scored: {len(categories)} of {len(resumes())} "
        f"(left out, no job of their occupation in the pool: "
        f"{', '.join(f'{c} ({n})' for c, n in sorted(skipped.items()))})"
    )
    print(
        f"reading the pool once: {read_s:.2f} s; "
        f"parsing resumes: {parse_s / len(categories) * 1000:.1f} ms each; "
        f"ranking the pool: {rank_s / len(categories) * 1000:.1f} ms per resume\n"
    )
    print(f"{'method':34} {'NDCG@10':>8} {'MRR':>7}")
    for name, values in variants.items():
        figures = np.array(values)
        print(f"{name:34} {figures[:, 0].mean():8.3f} {figures[:, 1].mean():7.3f}")
    ours = np.array(variants["ranker"])
    base = np.array(variants["tfidf-cosine baseline"])
    print()
    for column, metric in enumerate(("NDCG@10", "MRR")):
        low, high = paired_bootstrap(ours[:, column] - base[:, column])
        wins = int((ours[:, column] > base[:, column]).sum())
        losses = int((ours[:, column] < base[:, column]).sum())
        print(
            f"{metric} ranker - baseline: {ours[:, column].mean() - base[:, column].mean():+.3f} "
            f"(95% paired bootstrap interval {low:+.3f} .. {high:+.3f}); "
            f"ranker better on {wins} resumes, worse on {losses}, tied on {len(ours) - wins - losses}"
        )

    if args.save_previous:
        PREVIOUS.write_text(
            json.dumps(
                {key: [round(n, 6), round(r, 6)] for key, (n, r) in zip(keys, ours.tolist(), strict=True)}
            )
        )
        print(f"\nper-resume figures kept in {PREVIOUS.name}")
    elif PREVIOUS.exists():
        previous = json.loads(PREVIOUS.read_text())
        rows = [i for i, key in enumerate(keys) if key in previous]
        before = np.array([previous[keys[i]] for i in rows])
        print(f"\nagainst the previous ranker ({PREVIOUS.name}, {len(rows)} resumes in both):")
        for column, metric in enumerate(("NDCG@10", "MRR")):
            difference = ours[rows, column] - before[:, column]
            low, high = paired_bootstrap(difference)
            print(
                f"{metric} previous {before[:, column].mean():.3f} -> now {ours[rows, column].mean():.3f}: "
                f"{difference.mean():+.3f} (95% paired bootstrap interval {low:+.3f} .. {high:+.3f})"
            )

    if args.per_category:
        print(f"\n{'category':28} {'n':>3} {'relevant':>8} {'ranker NDCG':>12} {'baseline NDCG':>14}")
        for category in sorted(set(categories)):
            rows = [i for i, c in enumerate(categories) if c == category]
            relevant = sum(grade(category, job.title) >= 1 for job in jobs)
            print(
                f"{category:28} {len(rows):3d} {relevant:8d} "
                f"{ours[rows, 0].mean():12.3f} {base[rows, 0].mean():14.3f}"
            )


if __name__ == "__main__":
    main()
