"""Argument completion: stored ids for resource templates, languages for prompts."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer
from mcp.types import Completion, CompletionArgument, CompletionContext, PromptReference, ResourceTemplateReference

from ..runtime import Runtime

MAX_VALUES = 100  # the protocol's cap per response
PROMPT_LANGUAGES = ["en", "zh"]


def candidates(runtime: Runtime, argument: str) -> list[str]:
    """Known values for an argument name, whichever prompt or template uses it."""
    store = runtime.store
    if argument == "language":
        return PROMPT_LANGUAGES
    if argument == "resume_id":
        return [r.resume_id for r in store.list_resumes()]
    if argument == "job_id":
        return [j.job_id for j in store.list_jobs(limit=500)]
    if argument == "application_id":
        return [a.application_id for a in store.list_applications()]
    return []


def register(mcp: MCPServer, runtime: Runtime) -> None:
    @mcp.completion()
    async def complete(
        ref: PromptReference | ResourceTemplateReference,
        argument: CompletionArgument,
        context: CompletionContext | None,
    ) -> Completion:
        matches = [v for v in candidates(runtime, argument.name) if v.startswith(argument.value)]
        return Completion(values=matches[:MAX_VALUES], total=len(matches), has_more=len(matches) > MAX_VALUES)
