"""Application tracking: which jobs the user saved, applied to, and how it went."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from pydantic import BaseModel

from ..runtime import Runtime
from ..store import Application
from ..store.db import ApplicationStatus
from .annotations import WRITES_LOCAL


class ApplicationList(BaseModel):
    applications: list[Application]


def register(mcp: MCPServer, runtime: Runtime) -> None:
    store = runtime.store

    @mcp.tool(annotations=WRITES_LOCAL)
    def track_application(
        job_id: str, status: ApplicationStatus = "saved", resume_id: str | None = None, notes: str | None = None
    ) -> Application:
        """Record or update the user's application for a job (saved, applied, interviewing, offer,
        rejected, withdrawn). Calling it again for the same job_id updates that application.
        Notes replace the previous notes when given."""
        return store.upsert_application(job_id, status, resume_id=resume_id, notes=notes)

    @mcp.resource("applications://all", mime_type="application/json")
    def all_applications() -> str:
        """Every tracked application, most recently updated first."""
        return ApplicationList(applications=store.list_applications()).model_dump_json(indent=2)

    @mcp.resource("application://{application_id}", mime_type="application/json")
    def application(application_id: str) -> str:
        """One tracked application."""
        found = store.get_application(application_id)
        if found is None:
            raise ResourceNotFoundError(f"no application with id {application_id}; see applications://all")
        return found.model_dump_json(indent=2)
