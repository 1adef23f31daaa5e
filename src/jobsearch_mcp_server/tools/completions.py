"""Argument completion: stored ids for resource templates, languages for prompts."""

from __future__ import annotations

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.types import (
    Completion,
    CompletionArgument,
    CompletionContext,
    PromptReference,
    ResourceTemplateReference,
)

from ..runtime import Runtime

MAX_VALUES = 100  # the protocol's cap per response
PROMPT_LANGUAGES = ["en", "zh"]


ID_ARGUMENTS = {"resume_id": "resume", "job_id": "job", "application_id": "application"}


def complete_value(runtime: Runtime, argument: CompletionArgument) -> Completion:
    """Known values starting with what was typed, for an argument name whichever prompt or template uses it."""
    if argument.name == "language":
        values = [v for v in PROMPT_LANGUAGES if v.startswith(argument.value)]
        total = len(values)
    elif argument.name in ID_ARGUMENTS:
        values, total = runtime.store.ids_starting_with(
            ID_ARGUMENTS[argument.name], argument.value, MAX_VALUES
        )
    else:
        values, total = [], 0
    return Completion(values=values, total=total, has_more=total > len(values))


def register(mcp: MCPServer, runtime: Runtime) -> None:
    @mcp.completion()
    async def complete(
        ref: PromptReference | ResourceTemplateReference,
        argument: CompletionArgument,
        context: CompletionContext | None,
    ) -> Completion:
        return await anyio.to_thread.run_sync(complete_value, runtime, argument)
