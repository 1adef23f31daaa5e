"""The job vocabulary shared by sources, the store, matching and the tools."""

from .models import Job, JobSummary, Salary, SearchResult, SourceReport, SourceStatus, make_job_id

__all__ = ["Job", "JobSummary", "Salary", "SearchResult", "SourceReport", "SourceStatus", "make_job_id"]
