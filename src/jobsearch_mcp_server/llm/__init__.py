"""The embedded client for a self-hosted DeepSeek-R1 (any OpenAI-compatible endpoint), or the MCP
client's own model through sampling. Tools get one from `Runtime.llm_client(ctx)`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver import Context

from ..config import Settings
from .base import BaseLLM, DisabledLLM, LLMAnswer, ProgressFn, Structured, Usage
from .budget import PromptSource, estimate_tokens, trim_text
from .errors import LLMError, LLMUnavailable
from .fence import fence_untrusted
from .prompting import TemplatePrompt
from .reasoning import split_reasoning
from .sampling import SamplingLLM, SamplingRoundNeeded, sampling_rounds

if TYPE_CHECKING:
    from .openai_backend import OpenAICompatibleLLM

__all__ = [
    "BaseLLM",
    "DisabledLLM",
    "LLMAnswer",
    "LLMError",
    "LLMUnavailable",
    "OpenAICompatibleLLM",
    "ProgressFn",
    "PromptSource",
    "SamplingLLM",
    "SamplingRoundNeeded",
    "Structured",
    "TemplatePrompt",
    "Usage",
    "estimate_tokens",
    "fence_untrusted",
    "make_client",
    "sampling_rounds",
    "split_reasoning",
    "trim_text",
]


def make_client(
    settings: Settings, ctx: Context | None, endpoint: Callable[[], OpenAICompatibleLLM]
) -> BaseLLM:
    """The client for `settings.llm_backend`; `endpoint` hands out the process-wide endpoint client."""
    if settings.llm_backend == "none":
        return DisabledLLM(settings, "The LLM tools are switched off (LLM_BACKEND=none).")
    if settings.llm_backend == "sampling":
        if ctx is None:
            return DisabledLLM(
                settings, "LLM_BACKEND=sampling asks the MCP client's model, and there is no client here."
            )
        return SamplingLLM(settings, ctx, embedder=endpoint() if settings.llm_embedding_model else None)
    return endpoint()


def __getattr__(name: str) -> Any:
    """`OpenAICompatibleLLM` on first use: the OpenAI SDK takes about half a second to import, which every
    server start would otherwise wait for."""
    if name == "OpenAICompatibleLLM":
        from .openai_backend import OpenAICompatibleLLM

        return OpenAICompatibleLLM
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
