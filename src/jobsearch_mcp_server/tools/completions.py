"""Argument completion: stored ids for resource templates, languages for prompts."""

from __future__ import annotations

import re

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.shared.exceptions import MCPError
from mcp.types import (
    Completion,
    CompletionArgument,
    CompletionContext,
    PromptReference,
    ResourceTemplateReference,
)
from mcp_types import INVALID_PARAMS

from ..prompt import load_templates
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


SHOWN_CHARS = 80
_VARIABLE = re.compile(r"{(\w+)}")


def completable_arguments(ref: PromptReference | ResourceTemplateReference, templates: list[str]) -> list[str]:
    """The arguments `ref` has; a prompt or resource template the server lacks is the protocol's
    invalid-params error (-32602), with what exists."""
    if isinstance(ref, PromptReference):
        prompts = load_templates()
        template = prompts.get(ref.name)
        if template is None:
            raise MCPError(
                INVALID_PARAMS,
                f"unknown prompt {ref.name[:SHOWN_CHARS]!r}: the prompts are {', '.join(sorted(prompts))}",
            )
        return [a.name for a in template.arguments] + (["language"] if len(template.languages) > 1 else [])
    if ref.uri not in templates:
        raise MCPError(
            INVALID_PARAMS,
            f"unknown resource template {ref.uri[:SHOWN_CHARS]!r}: the templates are {', '.join(templates)}",
        )
    return _VARIABLE.findall(ref.uri)


def register(mcp: MCPServer, runtime: Runtime) -> None:
    @mcp.completion()
    async def complete(
        ref: PromptReference | ResourceTemplateReference,
        argument: CompletionArgument,
        context: CompletionContext | None,
    ) -> Completion:
        templates = [t.uri_template for t in await mcp.list_resource_templates()]
        names = completable_arguments(ref, templates)
        if argument.name not in names:
            raise MCPError(
                INVALID_PARAMS,
                f"{argument.name[:SHOWN_CHARS]!r} is not an argument here: the arguments are {', '.join(names)}",
            )
        return await anyio.to_thread.run_sync(complete_value, runtime, argument)
