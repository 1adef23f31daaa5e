"""Searching many boards as one: fan-out, filters, dedup, paging and job details for the tools."""

from .service import ImportedJobs, JobDetails, SearchService, SourceInfo, SourceList

__all__ = ["ImportedJobs", "JobDetails", "SearchService", "SourceInfo", "SourceList"]
