"""Failures of the LLM layer, with messages that say how to fix the setup (never the API key)."""

from __future__ import annotations

from ..errors import JobsearchError

SETUP_HINT = (
    "Set LLM_BASE_URL to an OpenAI-compatible endpoint (Ollama: http://localhost:11434/v1, vLLM: "
    "http://localhost:8000/v1) and LLM_MODEL to a model it "
    "serves (with Ollama: `ollama pull deepseek-r1:7b`), "
    "or LLM_BACKEND=sampling to use the MCP client's own model. `jobsearch-mcp doctor` checks the setup."
)


class LLMUnavailable(JobsearchError):
    """No model can answer: the backend is `none`, the endpoint is unreachable, or the model is missing."""


class LLMError(JobsearchError):
    """The model was reached but the exchange failed: a rejected request, a timeout, an unusable answer."""
