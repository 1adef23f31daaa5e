"""The application pipeline: every change kept in a history, follow-ups that come due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from ...errors import JobsearchError
from ...jobs.models import Job
from ...store import Application, Store
from ...store.db import FINAL_STATUSES, ApplicationChange, ApplicationStatus

MANUAL_SOURCE = "manual"  # jobs the user applied to outside any search
MAX_TEXT = 2000  # notes, contact, title and company: bounded, they are echoed in every listing


class ApplicationList(BaseModel):
    applications: list[Application]
    due_rule: str | None = Field(None, description="with due=true: what makes an application due")


def parse_day(value: str | None, name: str) -> date | None:
    """A YYYY-MM-DD date from a tool argument, or a JobsearchError saying how to write it."""
    if value is None or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        raise JobsearchError(
            f"{name} {value[:40]!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-12-10"
        ) from None


class Tracker:
    """Records and lists applications; `today` is injectable so due dates can be tested without waiting."""

    def __init__(self, store: Store, follow_up_days: int, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.follow_up_days = follow_up_days
        self.today = today

    def track(
        self,
        job_id: str,
        status: ApplicationStatus,
        *,
        notes: str | None = None,
        resume_id: str | None = None,
        applied_on: str | None = None,
        follow_up_on: str | None = None,
        contact: str | None = None,
        url: str | None = None,
        title: str | None = None,
        company: str | None = None,
    ) -> Application:
        for name, text in (("notes", notes), ("contact", contact), ("title", title), ("company", company)):
            if text is not None and len(text) > MAX_TEXT:
                raise JobsearchError(f"{name} is {len(text)} characters; at most {MAX_TEXT} are kept")
        today = self.today()
        follow_up = parse_day(follow_up_on, "follow_up_on")
        if follow_up is not None and follow_up < today:
            raise JobsearchError(
                f"follow_up_on {follow_up} is in the past (today is {today}): give today or a later day"
            )
        applied = parse_day(applied_on, "applied_on")
        if applied is not None and applied > today:
            raise JobsearchError(f"applied_on {applied} is in the future (today is {today})")
        if resume_id is not None and self.store.get_resume(resume_id) is None:
            raise JobsearchError(f"no resume with id {resume_id!r}: see list_resumes, or leave resume_id out")
        job = self._job(job_id.strip(), url, title, company)
        earlier = self.store.application_for_job(job.job_id)
        if status == "applied" and applied is None and (earlier is None or earlier.applied_on is None):
            applied = today
        change = ApplicationChange(
            status=status,
            notes=notes,
            resume_id=resume_id,
            applied_on=applied,
            follow_up_on=follow_up,
            contact=contact,
            note=notes or _describe(earlier, status, follow_up, contact),
        )
        return self.store.track_application(job, change)

    def _job(self, job_id: str, url: str | None, title: str | None, company: str | None) -> Job:
        """The job being tracked: a cached or tracked one, else one recorded from url / title and company."""
        if not job_id:
            raise JobsearchError(
                "job_id is empty: pass a job_id from search_jobs, or a name of your own with url"
            )
        found = self.store.get_job(job_id, include_expired=True)
        if found is not None:
            return found
        if url is not None:
            parts = urlsplit(url.strip())
            if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_TEXT:
                raise JobsearchError(f"url {url[:80]!r} is not an http(s) address of a job posting")
        if url is None and not (title and title.strip() and company and company.strip()):
            raise JobsearchError(
                f"no job with id {job_id!r} is known (job ids come from search_jobs, match_jobs or import_jobs). "
                "For a job found elsewhere, pass url (its posting's address), or title and company, to record it"
            )
        return Job(
            job_id=job_id,
            source=MANUAL_SOURCE,
            source_id=job_id,
            title=(title or "").strip() or (url or "").strip(),
            company=(company or "").strip() or None,
            url=url.strip() if url else None,
            fetched_at=datetime.now(UTC),
        )

    def list(self, status: ApplicationStatus | None = None, due: bool = False) -> ApplicationList:
        applications = [a for a in self.store.list_applications() if status is None or a.status == status]
        if not due:
            return ApplicationList(applications=applications)
        today = self.today()
        quiet_since = datetime.combine(today - timedelta(days=self.follow_up_days), datetime.max.time(), UTC)
        rule = (
            f"follow_up_on is today or earlier, or applied and unchanged for {self.follow_up_days} days "
            "(JOBSEARCH_FOLLOW_UP_DAYS); rejected, withdrawn and closed ones are never due"
        )
        return ApplicationList(
            applications=[a for a in applications if _is_due(a, today, quiet_since)], due_rule=rule
        )


def _is_due(application: Application, today: date, quiet_since: datetime) -> bool:
    if application.status in FINAL_STATUSES:
        return False
    if application.follow_up_on is not None:
        return application.follow_up_on <= today
    return application.status == "applied" and application.updated_at <= quiet_since


def _describe(
    earlier: Application | None, status: str, follow_up: date | None, contact: str | None
) -> str | None:
    """The history note of a change the caller gave no notes for: what else it changed."""
    parts = []
    if earlier is not None and earlier.status != status:
        parts.append(f"{earlier.status} -> {status}")
    if follow_up is not None:
        parts.append(f"follow up on {follow_up}")
    if contact:
        parts.append(f"contact {contact}")
    return "; ".join(parts) or None
