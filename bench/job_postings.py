"""Real postings named by their place in ``../shared/data`` (file + row), read as the project reads them.

A reference is ``<file under shared/data>#<key>``: ``glassdoor_jobs_2020/glassdoor_jobs.csv#8`` (the CSV's
index column), ``remoteok_api_2026/remoteok.json#1130788`` (the job's id),
``boards/personio/positions.xml#4`` (the n-th ``<position>``), ``boards/china_dataset/horti_boss_jobs.csv#19``
(the n-th data row). The texts stay where they are; only references are kept in the repository.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from realdata import DATA

from jobsearch_mcp_server.jobs.models import Job, make_job_id
from jobsearch_mcp_server.jobs.text import clean_text, html_to_markdown


@cache
def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _glassdoor(path: Path, key: str) -> Job:
    row = next(r for r in _csv_rows(path) if r[""] == key)
    return Job(
        job_id=make_job_id("glassdoor", key),
        source="glassdoor",
        source_id=key,
        title=row["Job Title"].strip(),
        description=clean_text(row["Job Description"]),
    )


def _remoteok(path: Path, key: str) -> Job:
    item = next(i for i in json.loads(path.read_text(encoding="utf-8"))[1:] if str(i.get("id")) == key)
    return Job(
        job_id=make_job_id("remoteok", key),
        source="remoteok",
        source_id=key,
        title=clean_text(item["position"]),
        description=html_to_markdown(item.get("description")),
        tags=[clean_text(t) for t in item.get("tags") or []],
    )


def _personio(path: Path, key: str) -> Job:
    position = list(ET.parse(path).getroot().iter("position"))[int(key)]
    # The feed's own parts, in its order, each under its own heading ("Your mission", "Your profile" ...).
    parts = [
        f"<h3>{d.findtext('name', '')}</h3>{d.findtext('value', '')}" for d in position.iter("jobDescription")
    ]
    return Job(
        job_id=make_job_id("personio", key),
        source="personio",
        source_id=key,
        title=position.findtext("name", ""),
        description=html_to_markdown("".join(parts)),
    )


def _boss_detail(path: Path, key: str) -> Job:
    row = _csv_rows(path)[int(key)]
    # The parts of a BOSS直聘 detail page under the page's own headings.
    description = (
        f"职位描述\n{row['职位描述']}\n\n福利待遇\n{row['福利待遇（详细）']}\n\n公司介绍\n{row['公司介绍']}"
    )
    return Job(
        job_id=make_job_id("zhipin", key),
        source="zhipin",
        source_id=key,
        title=row["职位"],
        description=clean_text(description),
    )


_READERS = {
    "glassdoor_jobs_2020/glassdoor_jobs.csv": _glassdoor,
    "remoteok_api_2026/remoteok.json": _remoteok,
    "boards/personio/positions.xml": _personio,
    "boards/china_dataset/horti_boss_jobs.csv": _boss_detail,
}


def posting(reference: str) -> Job:
    """The posting a reference names (see the module docstring)."""
    file, _, key = reference.partition("#")
    return _READERS[file](DATA / file, key)
