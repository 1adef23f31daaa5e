"""An OpenAI-compatible test server that speaks like vLLM and Ollama serving DeepSeek-R1."""

from .server import DIALECTS, FakeLLM, Reply, fake_token_count

__all__ = ["DIALECTS", "FakeLLM", "Reply", "fake_token_count"]
