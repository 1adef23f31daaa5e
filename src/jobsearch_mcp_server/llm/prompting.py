"""Prompts built from the templates in `prompts/`: the same text MCP clients get as prompts."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..prompt import load_templates
from .budget import estimate_tokens, fit_parts
from .errors import LLMError
from .fence import fence_untrusted

# Below this many tokens for the posting and resume together, an answer would not be worth having.
MIN_DATA_TOKENS = 200


@dataclass(frozen=True)
class TemplatePrompt:
    """A template with trusted `arguments` and untrusted data slots (`data`: slot -> (label, text)).

    Data is fenced with `fence_untrusted` and trimmed, longest first, to fit the prompt budget.
    """

    name: str
    language: str = "en"
    arguments: dict[str, str] = field(default_factory=dict)
    data: dict[str, tuple[str, str]] = field(default_factory=dict)

    def render(self, max_prompt_tokens: int) -> str:
        template = load_templates()[self.name]
        empty = {slot: fence_untrusted(label, "") for slot, (label, _) in self.data.items()}
        skeleton = template.render(self.language, **self.arguments, **empty)
        available = max_prompt_tokens - estimate_tokens(skeleton)
        if available < MIN_DATA_TOKENS:
            raise LLMError(
                f"the model's context is too small for the '{self.name}' prompt: raise LLM_CONTEXT_TOKENS "
                "(and the server's context length) or lower LLM_MAX_TOKENS."
            )
        fitted = fit_parts({slot: text for slot, (_, text) in self.data.items()}, available)
        fenced = {slot: fence_untrusted(label, fitted[slot]) for slot, (label, _) in self.data.items()}
        return template.render(self.language, **self.arguments, **fenced)
