"""Builds the MCP server: wires tools, resources and prompts to plain functions in the packages."""

from __future__ import annotations

import functools
import inspect
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.server.mcpserver.tools import ToolManager
from mcp.shared.exceptions import MCPError

from . import __version__
from .errors import JobsearchError
from .llm.sampling import sampling_rounds
from .runtime import Runtime
from .tenants import acting_as, tenant_of_scope
from .tools import applications, completions, hunt, jobs, llm_tools, matching, prompts, resumes
from .tools.budget import bounded_reply
from .tools.progress import DEFAULT_INTERVAL_S, kept_alive
from .views import apps_extension

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
Track the user's applications with track_application (list_applications(due=true): follow-ups).
To follow a search over weeks, save_search it and run_saved_search it later: only new postings come.
The prompt job_search_assistant walks
through the whole workflow.
"""


log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def _doc(fn: Callable[..., Any]) -> str | None:
    return inspect.cleandoc(fn.__doc__) if fn.__doc__ else None


def _tool_error(tool: str, exc: Exception) -> ToolError:
    """What the client sees of a failure: a `JobsearchError`'s own message; for anything else (a bug), a
    generic message while the traceback goes to the server log."""
    if isinstance(exc, JobsearchError):
        return ToolError(str(exc))
    log.error("tool %s failed", tool, exc_info=exc)
    return ToolError(
        f"{tool} failed on an internal error ({type(exc).__name__}); the server log has the details. "
        "Try again; if it fails again, report it with that log."
    )


def with_errors(fn: F) -> F:
    """`fn` raising `ToolError` for every failure, so the client gets isError with a message it can act
    on; protocol errors (`MCPError`) and the SDK's own tool and resource errors pass unchanged."""
    tool = fn.__name__
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return await fn(*args, **kwargs)
            except (MCPError, ToolError, ResourceError):
                raise
            except Exception as exc:
                raise _tool_error(tool, exc) from exc

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (MCPError, ToolError, ResourceError):
            raise
        except Exception as exc:
            raise _tool_error(tool, exc) from exc

    return wrapper  # type: ignore[return-value]


async def as_request_tenant(ctx: Any, call_next: Callable[[Any], Any]) -> Any:
    """Handles each MCP message (tool call, resource read, completion, list) as the tenant the HTTP auth
    layer found for the request that carried it (a session's own task runs in the context of the request
    that opened it, so the message's request is the one to ask). Without an HTTP request (stdio,
    in-process) it is the local tenant."""
    scope = getattr(ctx.request, "scope", None)
    tenant = tenant_of_scope(scope) if scope is not None else None
    if tenant is None:
        return await call_next(ctx)
    with acting_as(tenant):
        return await call_next(ctx)


class DeferredToolManager(ToolManager):
    """A tool manager that builds its tools (the pydantic models of each tool's arguments and result, about
    a quarter of the start-up time for twenty-odd tools) when they are first asked for rather than when
    they are added. Clients that start the server per launch wait for the answer to `initialize`, which
    needs no tool; `tools/list` and `tools/call` get the same tools as with the SDK's own manager."""

    def __init__(self, warn_on_duplicate_tools: bool = True) -> None:
        self._pending: list[tuple[Callable[..., Any], dict[str, Any]]] = []
        self._building = False
        self._build_lock = threading.RLock()  # a sync tool's worker thread and the loop may ask at once
        super().__init__(warn_on_duplicate_tools)

    def add_tool(self, fn: Callable[..., Any], **kwargs: Any) -> None:  # type: ignore[override]
        self._pending.append((fn, kwargs))

    @property
    def _tools(self) -> dict[str, Any]:
        if self._pending:
            with self._build_lock:
                if not self._building:  # inside the build, ToolManager.add_tool reads the dict being filled
                    self._building = True
                    try:
                        while self._pending:
                            fn, kwargs = self._pending[0]
                            super().add_tool(fn, **kwargs)
                            self._pending.pop(0)
                    finally:
                        self._building = False
        return self._built

    @_tools.setter
    def _tools(self, tools: dict[str, Any]) -> None:
        self._built = tools


class JobsearchServer(MCPServer):
    """An MCPServer that applies the same handling to every tool, so no tool can forget it: failures
    become isError results with a message (`with_errors`), a tool can ask the client's model over several
    rounds (`sampling_rounds`; inside it a round is a `JobsearchError`), long calls report progress at
    least every `progress_interval_s` (`kept_alive`) and every reply fits the reply budget
    (`bounded_reply`). It also dedents docstrings: tool and resource descriptions are what the model
    reads. `defer_tool_building` builds the tools on first use (`DeferredToolManager`)."""

    progress_interval_s = DEFAULT_INTERVAL_S

    def __init__(self, *args: Any, defer_tool_building: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if defer_tool_building:  # else the SDK's own manager
            self._tool_manager = DeferredToolManager(self.settings.warn_on_duplicate_tools)

    def add_tool(self, fn: Callable[..., Any], name: str | None = None, title: str | None = None,
                 description: str | None = None, **kwargs: Any) -> None:
        description = description or _doc(fn)
        fn = bounded_reply(kept_alive(with_errors(sampling_rounds(fn)), self.progress_interval_s), name)
        super().add_tool(fn, name=name, title=title, description=description, **kwargs)

    async def get_prompt(self, name: str, arguments: dict[str, Any] | None = None, context: Any = None) -> Any:
        prompts.check_prompt_request(name, arguments)  # the client's mistakes answer -32602 with a message
        return await super().get_prompt(name, arguments, context)

    def resource(self, uri: str, *, description: str | None = None, **kwargs: Any):
        register = super().resource

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            return register(uri, description=description or _doc(fn), **kwargs)(fn)

        return decorator


def build_server(runtime: Runtime, defer_tools: bool | None = None) -> MCPServer:
    """A server whose tools all share `runtime` (one per process, whatever the transport). `defer_tools`
    (default: on stdio) builds the tools on first use, since the client waits for `initialize`; an HTTP
    server builds them at once, so no client's first call waits for them while others are served."""
    mcp = JobsearchServer(
        name="jobsearch",
        title="Job search assistant",
        description="Parse resumes, search real job boards, rank matches with reasons, and advise.",
        instructions=INSTRUCTIONS,
        version=__version__,
        log_level=runtime.settings.log_level,
        middleware=[as_request_tenant],
        extensions=[apps_extension()],  # the views (MCP Apps); hosts without Apps get the usual replies
        defer_tool_building=runtime.settings.transport == "stdio" if defer_tools is None else defer_tools,
    )
    mcp.progress_interval_s = runtime.settings.progress_interval_s
    for module in (applications, completions, hunt, jobs, llm_tools, matching, prompts, resumes):
        module.register(mcp, runtime)
    return mcp
