"""One way to turn a board's fields into a `Job`, so every source fills the same fields the same way.

Sources pass what the board states; what it leaves out (remote flag, employment type, seniority) is
read from the title, location and tags with the helpers in `text.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from .models import Job, Salary, make_job_id
from .text import clean_text, detect_employment_type, detect_remote, detect_seniority


def build_job(
    *,
    source: str,
    source_id: str | int,
    title: str,
    company: str | None = None,
    location: str | None = None,
    remote: bool | None = None,
    salary: Salary | None = None,
    employment_type: str | None = None,
    seniority: str | None = None,
    posted_at: date | None = None,
    url: str | None = None,
    apply_url: str | None = None,
    description: str | None = None,
    tags: Iterable[str | None] = (),
    details_by_url: bool = False,
) -> Job:
    """A `Job` with a stable id; `employment_type` may be a board's own code ("FullTime", "full_time").

    `description` is Markdown (see `html_to_markdown`). Empty strings become None, tags are de-duplicated.
    The board `source` loads the full posting by `source_id`, unless `details_by_url` (a record read from a
    file, whose ids the board never issued): then its page is read from `url`.
    """
    title = clean_text(title)
    location = clean_text(location) or None
    tag_list = list(dict.fromkeys(clean_text(tag) for tag in tags if tag and clean_text(tag)))
    if remote is None:
        remote = detect_remote(location, title, *tag_list)
    return Job(
        job_id=make_job_id(source, str(source_id)),
        source=source,
        source_id=str(source_id),
        details_from=None if details_by_url else source,
        title=title,
        company=clean_text(company) or None,
        location=location,
        remote=remote,
        salary=salary,
        employment_type=detect_employment_type(employment_type, title, *tag_list),
        seniority=seniority or detect_seniority(title),
        posted_at=posted_at,
        url=url or apply_url,
        apply_url=apply_url or url,
        description=description or None,
        tags=tag_list,
        sources=[link for link in (url or apply_url,) if link],
        fetched_at=datetime.now(UTC),
    )
