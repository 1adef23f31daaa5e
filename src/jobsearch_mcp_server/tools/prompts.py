"""Publishes every template in `prompts/` as an MCP prompt with its arguments."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.prompts.base import Prompt, PromptArgument
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS

from ..prompt import PromptTemplate, load_templates
from ..runtime import Runtime

LANGUAGE_ARGUMENT = PromptArgument(name="language", description="en (default) or zh", required=False)


def _as_prompt(template: PromptTemplate) -> Prompt:
    def render(**arguments: str) -> str:
        language = arguments.pop("language", None) or "en"
        return template.render(language, **arguments)

    arguments = [PromptArgument(name=a.name, description=a.description, required=a.required) for a in template.arguments]
    if len(template.languages) > 1:
        arguments.append(LANGUAGE_ARGUMENT)
    return Prompt(
        name=template.name, title=template.title, description=template.description, arguments=arguments, fn=render
    )


NAME_SHOWN_CHARS = 80


def check_prompt_request(name: str, arguments: dict[str, Any] | None) -> None:
    """Refuses a prompts/get the templates cannot answer with the protocol's invalid-params error (-32602)
    and a message saying what to send: an unknown prompt, a missing or unknown argument, a language that
    has no text. A client's mistake, so it is not logged as a server failure."""
    templates = load_templates()
    template = templates.get(name)
    if template is None:
        shown = name if len(name) <= NAME_SHOWN_CHARS else name[:NAME_SHOWN_CHARS] + "…"
        raise MCPError(INVALID_PARAMS, f"unknown prompt {shown!r}: the prompts are {', '.join(sorted(templates))}")
    given = arguments or {}
    declared = [argument.name for argument in template.arguments]
    unknown = sorted(set(given) - {*declared, "language"})
    if unknown:
        raise MCPError(
            INVALID_PARAMS,
            f"prompt {name!r} has no argument {', '.join(a[:NAME_SHOWN_CHARS] for a in unknown[:5])}: "
            f"its arguments are {', '.join(declared) or 'none'}" + (", language" if len(template.languages) > 1 else ""),
        )
    missing = [a for a in template.arguments if a.required and not str(given.get(a.name) or "").strip()]
    if missing:
        needs = "; ".join(f"{a.name} ({a.description})" for a in missing)
        raise MCPError(INVALID_PARAMS, f"prompt {name!r} needs the argument(s) {needs}")
    language = str(given.get("language") or "").strip().lower()
    if language and not any(language == code or language.startswith(f"{code}-") for code in template.languages):
        shown = language[:NAME_SHOWN_CHARS]
        raise MCPError(
            INVALID_PARAMS,
            f"prompt {name!r} has no text in language {shown!r}: the languages are {', '.join(template.languages)}",
        )


def register(mcp: MCPServer, runtime: Runtime) -> None:
    for template in load_templates().values():
        mcp.add_prompt(_as_prompt(template))
