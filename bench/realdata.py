"""The real public data the benchmarks run on (none of it written by this project).

Read from `../shared/data/` next to the repository (or $JOBSEARCH_SHARED_DATA):
- glassdoor_jobs_2020/glassdoor_jobs.csv: 956 Glassdoor postings scraped in 2020 (596 distinct descriptions),
  from PlayingNumbers/ds_salary_proj @ c8ab2c5629a4ba02809a708346fe826b50908c1f, no licence stated.
- remoteok_api_2026/remoteok.json: a RemoteOK /api response, 97 jobs posted 2026-03-07..16,
  from JACKAS5/resume-helper @ aa125689074656b19b6b0b9c46d59246288b6bbc, no licence stated
  (RemoteOK's API terms ask for a link back to RemoteOK as the source).
- resume_categories/UpdatedResumeDataSet.csv: 962 categorised resumes (166 distinct texts), from
  nitinkumar30/resume_screening_ml_project @ 760cd0531001d10ac0de8d93425b4c8f3a0cb615, no licence stated.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path

from jobsearch_mcp_server.jobs.models import Job, make_job_id
from jobsearch_mcp_server.jobs.salary import parse_salary, salary_from_range
from jobsearch_mcp_server.jobs.text import clean_text, html_to_markdown

DATA = Path(os.environ.get("JOBSEARCH_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
csv.field_size_limit(10_000_000)


def glassdoor_jobs() -> list[Job]:
    """The Glassdoor postings, one per distinct description (the scrape repeats many)."""
    jobs: dict[str, Job] = {}
    with open(DATA / "glassdoor_jobs_2020" / "glassdoor_jobs.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            description = clean_text(row["Job Description"])
            if description in jobs:
                continue
            jobs[description] = Job(
                job_id=make_job_id("glassdoor", row[""]),
                source="glassdoor",
                source_id=row[""],
                title=row["Job Title"].strip(),
                company=row["Company Name"].split("\n")[0].strip() or None,  # "Acme\n3.8": name, then rating
                location=row["Location"] or None,
                salary=parse_salary(row["Salary Estimate"]),
                description=description,
            )
    return list(jobs.values())


def remoteok_jobs() -> list[Job]:
    """The RemoteOK jobs (element 0 of the response is the legal notice; salary 0 means unknown)."""
    payload = json.loads((DATA / "remoteok_api_2026" / "remoteok.json").read_text(encoding="utf-8"))
    jobs = []
    for item in payload[1:]:
        if not item.get("position"):
            continue
        jobs.append(
            Job(
                job_id=make_job_id("remoteok", str(item["id"])),
                source="remoteok",
                source_id=str(item["id"]),
                title=clean_text(item["position"]),
                company=clean_text(item.get("company")) or None,
                location=clean_text(item.get("location")) or None,
                remote=True,
                salary=salary_from_range(item.get("salary_min"), item.get("salary_max"), "USD", "year"),
                description=html_to_markdown(item.get("description")),
                tags=[clean_text(t) for t in item.get("tags") or []],
                url=item.get("url"),
            )
        )
    return jobs


def job_pool() -> list[Job]:
    return glassdoor_jobs() + remoteok_jobs()


@dataclass(frozen=True)
class LabelledResume:
    category: str
    text: str


def resumes() -> list[LabelledResume]:
    """The 166 distinct resume texts with their category (the file repeats most of its 962 rows)."""
    found: dict[str, str] = {}
    with open(DATA / "resume_categories" / "UpdatedResumeDataSet.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["Resume"], row["Category"])
    return [LabelledResume(category, text) for text, category in found.items()]
