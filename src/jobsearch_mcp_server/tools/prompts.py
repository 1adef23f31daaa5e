"""Publishes every template in `prompts/` as an MCP prompt with its arguments."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.prompts.base import Prompt, PromptArgument

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


def register(mcp: MCPServer, runtime: Runtime) -> None:
    for template in load_templates().values():
        mcp.add_prompt(_as_prompt(template))
