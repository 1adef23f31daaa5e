"""Application tracking: which jobs the user saved, applied to, and how it went, with every change kept."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from pydantic import Field

from ..runtime import Runtime
from ..services.hunt.tracker import ApplicationList, Tracker
from ..store import Application
from ..store.db import ApplicationStatus
from ..views import TRACKER_URI, ui_meta
from .annotations import READ_ONLY_LOCAL, WRITES_LOCAL

Day = Annotated[str | None, Field(description="a date as YYYY-MM-DD")]


def register(mcp: MCPServer, runtime: Runtime) -> None:
    store = runtime.store
    tracker = Tracker(store, runtime.settings.follow_up_days)

    @mcp.tool(annotations=WRITES_LOCAL)
    def track_application(
        job_id: Annotated[
            str,
            Field(
                description="a job_id from search_jobs/match_jobs, or your own name for a job found elsewhere (then pass url, or title and company)"
            ),
        ],
        status: ApplicationStatus = "saved",
        notes: Annotated[
            str | None, Field(description="replace the application's notes; also the history entry's note")
        ] = None,
        resume_id: Annotated[str | None, Field(description="the resume sent")] = None,
        applied_on: Day = None,
        follow_up_on: Annotated[
            str | None, Field(description="when to follow up, YYYY-MM-DD, today or later")
        ] = None,
        contact: Annotated[
            str | None, Field(description="recruiter or hiring manager, e.g. 'Jane Doe <jane@acme.example>'")
        ] = None,
        url: Annotated[
            str | None, Field(description="a job applied to outside any search: its posting's address")
        ] = None,
        title: Annotated[
            str | None, Field(description="a job outside any search: its title (with company)")
        ] = None,
        company: Annotated[str | None, Field(description="a job outside any search: the employer")] = None,
    ) -> Application:
        """Record or update the user's application for a job: saved, applied, interviewing, offer,
        rejected, withdrawn or closed (the posting is gone). Calling it again for the same job_id
        updates that application; fields left out keep their values, and every call adds an entry
        (status, time, note) to its `history`. status=applied without applied_on records today.
        An unknown job_id is refused unless url, or title and company, describe the job so it can be
        recorded. list_applications(due=true) shows the follow-ups that are due."""
        return tracker.track(
            job_id,
            status,
            notes=notes,
            resume_id=resume_id,
            applied_on=applied_on,
            follow_up_on=follow_up_on,
            contact=contact,
            url=url,
            title=title,
            company=company,
        )

    @mcp.tool(annotations=READ_ONLY_LOCAL, meta=ui_meta(TRACKER_URI))
    def list_applications(
        status: Annotated[
            ApplicationStatus | None, Field(description="only applications with this status")
        ] = None,
        due: Annotated[bool, Field(description="only those to follow up now")] = False,
    ) -> ApplicationList:
        """The tracked applications with their history, most recently changed first. due=true keeps those
        to follow up now: follow_up_on is today or earlier, or applied JOBSEARCH_FOLLOW_UP_DAYS (10)
        days ago or more with no change since. Suggest a short follow-up message for each due one."""
        return tracker.list(status, due)

    @mcp.resource("applications://all", mime_type="application/json")
    def all_applications() -> str:
        """Every tracked application with its history, most recently updated first."""
        return tracker.list().model_dump_json(indent=2)

    @mcp.resource("application://{application_id}", mime_type="application/json")
    def application(application_id: str) -> str:
        """One tracked application with its history of changes."""
        found = store.get_application(application_id)
        if found is None:
            raise ResourceNotFoundError(f"no application with id {application_id}; see applications://all")
        return found.model_dump_json(indent=2)
