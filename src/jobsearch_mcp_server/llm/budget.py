"""Keeps prompts inside the model's context window.

Token counts are estimated without the model's tokenizer, on the safe side: about three characters
per token for Latin text, and 1.5 tokens per CJK character (Llama-based R1 distills often spend
more than one token on a Chinese character). Untrusted parts (postings, resumes) are trimmed, never
the instructions; when the server still reports an overflow, its own numbers set the next budget.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Protocol

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
TRIM_MARK = "\n[… {n} characters trimmed to fit the model's context …]\n"
# Chat-template wrapping and per-message overhead the server adds around our text.
MESSAGE_OVERHEAD_TOKENS = 16
MIN_PROMPT_TOKENS = 256

_LIMIT = re.compile(r"maximum context length is (\d+)", re.IGNORECASE)
_PROMPT_SIZE = (
    re.compile(r"prompt contains (?:at least )?(\d+) input tokens", re.IGNORECASE),
    re.compile(r"request has (\d+) input tokens", re.IGNORECASE),
    re.compile(r"(\d+) in the messages", re.IGNORECASE),
    re.compile(r"messages resulted in (\d+) tokens", re.IGNORECASE),
)


class PromptSource(Protocol):
    """A prompt that can render itself to fit a token budget (trimming only its data parts)."""

    def render(self, max_prompt_tokens: int) -> str: ...


def estimate_tokens(text: str) -> int:
    cjk = len(CJK.findall(text))
    return math.ceil((len(text) - cjk) / 3 + cjk * 1.5) + 1


def trim_text(text: str, max_tokens: int) -> str:
    """`text` cut to about `max_tokens`, keeping its start and (a shorter) end, cut at line or word ends."""
    if estimate_tokens(text) <= max_tokens:
        return text
    keep = max(0, max_tokens - estimate_tokens(TRIM_MARK)) / max(estimate_tokens(text), 1) * len(text)
    head_len, tail_len = int(keep * 0.8), int(keep * 0.2)
    head = _cut_back(text[:head_len])
    tail = _cut_forward(text[len(text) - tail_len :]) if tail_len else ""
    return head + TRIM_MARK.format(n=len(text) - len(head) - len(tail)) + tail


def _cut_back(head: str) -> str:
    for stop in ("\n", " "):
        at = head.rfind(stop)
        if at > len(head) * 0.7:
            return head[:at]
    return head


def _cut_forward(tail: str) -> str:
    for stop in ("\n", " "):
        at = tail.find(stop)
        if 0 <= at < len(tail) * 0.3:
            return tail[at + 1 :]
    return tail


def fit_parts(parts: dict[str, str], budget_tokens: int) -> dict[str, str]:
    """Trims the longest parts first so that together they fit `budget_tokens`; short parts stay whole."""
    sizes = {name: estimate_tokens(text) for name, text in parts.items()}
    if sum(sizes.values()) <= budget_tokens:
        return dict(parts)
    shares: dict[str, int] = {}
    remaining, open_parts = budget_tokens, sorted(sizes, key=sizes.get)
    while open_parts:
        share = remaining // len(open_parts)
        name = open_parts[0]
        if sizes[name] > share:
            break
        shares[name] = sizes[name]
        remaining -= sizes[name]
        open_parts.pop(0)
    for name in open_parts:
        shares[name] = remaining // len(open_parts)
    return {name: trim_text(text, shares[name]) for name, text in parts.items()}


def render_prompt(prompt: str | PromptSource, max_prompt_tokens: int) -> str:
    """A plain string is trimmed as a whole (head and tail kept); a `PromptSource` trims its data parts."""
    if isinstance(prompt, str):
        return trim_text(prompt, max_prompt_tokens)
    return prompt.render(max_prompt_tokens)


def prompt_budget(context_tokens: int, answer_tokens: int) -> int:
    return max(MIN_PROMPT_TOKENS, context_tokens - answer_tokens - MESSAGE_OVERHEAD_TOKENS)


@dataclass(frozen=True)
class ContextOverflow:
    """A server's "maximum context length is N tokens" rejection, with the prompt size it counted."""

    limit: int
    prompt_tokens: int | None

    def next_budget(self, sent_estimate: int, answer_tokens: int) -> int:
        """A prompt budget (in our estimate's units) that the server's own count says will fit."""
        allowed = self.limit - answer_tokens - MESSAGE_OVERHEAD_TOKENS
        if self.prompt_tokens:
            # Our estimate undercounted: scale by the server's ratio, with 10% to spare.
            return int(allowed * sent_estimate / self.prompt_tokens * 0.9)
        return int(min(allowed, sent_estimate) * 0.6)


def parse_context_overflow(message: str) -> ContextOverflow | None:
    limit = _LIMIT.search(message)
    if not limit:
        return None
    for pattern in _PROMPT_SIZE:
        found = pattern.search(message)
        if found:
            return ContextOverflow(int(limit.group(1)), int(found.group(1)))
    return ContextOverflow(int(limit.group(1)), None)
