"""Builds the MCP server: wires tools, resources and prompts to plain functions in the packages."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import MCPServer

from . import __version__
from .runtime import Runtime
from .tools import applications, completions, jobs, llm_tools, matching, prompts, resumes
from .tools.budget import bounded_reply
from .tools.progress import DEFAULT_INTERVAL_S, kept_alive

INSTRUCTIONS = """\
jobsearch is a private job-search assistant. Work in this order:
1. Resume: call parse_resume with the user's file (path inside an allowed folder, or base64 content,
   or pasted text). Keep the returned resume_id; read resume://{resume_id} for the full profile.
2. Search: call search_jobs with a query (job title and key skill) and optionally a location,
   sources, remote_only and posted_within_days. Results page with search_id + offset. Each source
   reports its status; tell the user when one was blocked, needs a login, or timed out.
3. Match: call match_jobs with the resume_id (and job_ids from the search, or a query) to rank jobs
   with scores, matched and missing skills, and a reason per job.
4. Details: call get_job_details for the jobs the user cares about before judging them.
5. Advise: analyze_fit, draft_cover_letter, tailor_resume and job_search_advice give the user
   concrete next steps. Never invent experience the resume does not contain.
Track the user's applications with track_application. The prompt job_search_assistant walks
through the whole workflow.
"""


def _doc(fn: Callable[..., Any]) -> str | None:
    return inspect.cleandoc(fn.__doc__) if fn.__doc__ else None


class JobsearchServer(MCPServer):
    """An MCPServer that dedents docstrings (tool and resource descriptions are what the model reads) and
    holds every tool to the reply budget and the progress heartbeat."""

    progress_interval_s = DEFAULT_INTERVAL_S

    def add_tool(self, fn: Callable[..., Any], name: str | None = None, title: str | None = None,
                 description: str | None = None, **kwargs: Any) -> None:
        super().add_tool(
            bounded_reply(kept_alive(fn, self.progress_interval_s), name),
            name=name,
            title=title,
            description=description or _doc(fn),
            **kwargs,
        )

    async def get_prompt(self, name: str, arguments: dict[str, Any] | None = None, context: Any = None) -> Any:
        prompts.check_prompt_request(name, arguments)  # the client's mistakes answer -32602 with a message
        return await super().get_prompt(name, arguments, context)

    def resource(self, uri: str, *, description: str | None = None, **kwargs: Any):
        register = super().resource

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            return register(uri, description=description or _doc(fn), **kwargs)(fn)

        return decorator


def build_server(runtime: Runtime) -> MCPServer:
    """A server whose tools all share `runtime` (one per process, whatever the transport)."""
    mcp = JobsearchServer(
        name="jobsearch",
        title="Job search assistant",
        description="Parse resumes, search real job boards, rank matches with reasons, and advise.",
        instructions=INSTRUCTIONS,
        version=__version__,
        log_level=runtime.settings.log_level,
    )
    mcp.progress_interval_s = runtime.settings.progress_interval_s
    for module in (applications, completions, jobs, llm_tools, matching, prompts, resumes):
        module.register(mcp, runtime)
    return mcp
