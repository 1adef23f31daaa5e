"""Separates DeepSeek-R1's reasoning from its answer, whatever shape the server sends it in.

Shapes seen in practice: a separate `reasoning` field (vLLM with `--reasoning-parser`, Ollama >= 0.9),
the older `reasoning_content` field (vLLM before 0.17), inline `<think>…</think>` (no parser, older
Ollama), and inline reasoning with no opening tag at all (R1 chat templates end the prompt with
`<think>\\n`, so the model's output starts inside the block: `reasoning … </think> answer`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"
REASONING_FIELDS = ("reasoning", "reasoning_content")
# Model ids of models that think before answering (R1 and its distills, QwQ, Qwen3, "thinking" variants).
_REASONING_MODEL = re.compile(r"r1|reason|think|qwq|qwen3", re.IGNORECASE)


def is_reasoning_model(model_id: str) -> bool:
    return bool(_REASONING_MODEL.search(model_id))


def split_reasoning(
    content: str | None, reasoning_field: str | None = None, *, truncated: bool = False
) -> tuple[str, str]:
    """(answer, reasoning) from a message's `content` and its reasoning field.

    `truncated` (finish_reason "length" from a reasoning model) with no closing tag means generation
    stopped inside the reasoning: everything is reasoning and the answer is empty, so reasoning never
    leaks as an answer.
    """
    content = content or ""
    reasoning = [reasoning_field.strip()] if reasoning_field and reasoning_field.strip() else []
    close = content.find(CLOSE_TAG)
    if close >= 0:
        inline, answer = content[:close], content[close + len(CLOSE_TAG) :]
        reasoning.append(inline.replace(OPEN_TAG, "", 1).strip())
    elif content.lstrip().startswith(OPEN_TAG) or (truncated and not reasoning):
        reasoning.append(content.replace(OPEN_TAG, "", 1).strip())
        answer = ""
    else:
        answer = content
    return answer.strip(), "\n\n".join(part for part in reasoning if part)


def reasoning_of(message: object) -> str | None:
    """The reasoning field of an SDK message or delta under either of its names."""
    for name in REASONING_FIELDS:
        value = getattr(message, name, None)
        if isinstance(value, str) and value:
            return value
    return None


@dataclass
class StreamAccumulator:
    """Collects streamed deltas; tells whether the model is still thinking, for progress messages."""

    content: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)
    chunks: int = 0
    finish_reason: str | None = None
    _answering: bool = False

    def add(self, content: str | None, reasoning: str | None) -> None:
        self.chunks += 1
        if reasoning:
            self.reasoning.append(reasoning)
        if content:
            self.content.append(content)
            if not self._answering:
                seen = "".join(self.content)
                self._answering = CLOSE_TAG in seen or (bool(self.reasoning) and bool(seen.strip()))

    @property
    def phase(self) -> str:
        return "writing the answer" if self._answering else "thinking"

    def result(self, reasoning_model: bool = True) -> tuple[str, str]:
        truncated = reasoning_model and self.finish_reason == "length"
        return split_reasoning("".join(self.content), "".join(self.reasoning), truncated=truncated)
