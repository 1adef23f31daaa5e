"""What every LLM backend offers the tools: one answer, a validated JSON object, embeddings."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, Field

from ..config import Settings
from .budget import PromptSource, prompt_budget, render_prompt
from .errors import SETUP_HINT, LLMError, LLMUnavailable
from .jsonout import OutputInvalid, parse_model, repair_prompt
from .redact import RedactedPrompt, Redaction, redaction_on

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
Prompt = str | PromptSource
# Same signature as `Context.report_progress`, so tools pass `ctx.report_progress` straight through.
ProgressFn = Callable[[float, float | None, str | None], Awaitable[None]]


class Usage(BaseModel):
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None


class LLMAnswer(BaseModel):
    """One model answer. `text` never contains the reasoning; `reasoning` has it (empty if none was sent)."""

    text: str
    reasoning: str = ""
    model: str
    usage: Usage | None = None
    elapsed_s: float = Field(description="wall time of the request, retries included")
    finish_reason: str | None = None


@dataclass(frozen=True)
class Structured(Generic[M]):
    """A validated object and the answer(s) it came from (reasoning joined when a repair was needed)."""

    value: M
    answer: LLMAnswer


class BaseLLM:
    """Shared behaviour; backends implement `_generate` (and `embed` where they can)."""

    # True when questions must be asked one after another, not concurrently (see SamplingLLM).
    one_question_at_a_time: ClassVar[bool] = False
    # True when every question is a round trip of the whole tool call (sampling on 2026-07-28): the asker
    # then asks all it needs in one round, each asker numbering its questions in its own `scoped` view.
    asks_in_rounds: ClassVar[bool] = False

    def scoped(self, name: str) -> BaseLLM:
        """This model, with questions numbered under `name` where that matters (see `asks_in_rounds`)."""
        return self

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def available(self) -> bool:
        return True

    async def complete(
        self,
        prompt: Prompt,
        *,
        max_tokens: int | None = None,
        json_schema: dict[str, Any] | None = None,
        progress: ProgressFn | None = None,
    ) -> LLMAnswer:
        """The answer to `prompt`: a string, or a `PromptSource` whose data parts get trimmed to fit.
        Every prompt leaves through here: when it leaves this machine its contact details are replaced by
        placeholders, which the answer gets back as the real values (llm/redact.py)."""
        answer_tokens = max_tokens or self.settings.llm_max_tokens
        redaction = Redaction() if redaction_on(self.settings) else None
        if redaction is not None:
            prompt = RedactedPrompt(prompt, redaction)
        text = render_prompt(prompt, prompt_budget(self.settings.llm_context_tokens, answer_tokens))
        answer = await self._generate(prompt, text, answer_tokens, json_schema, progress)
        if redaction is None or not redaction.hidden:
            return answer
        return answer.model_copy(
            update={"text": redaction.restore(answer.text), "reasoning": redaction.restore(answer.reasoning)}
        )

    async def _generate(
        self,
        prompt: Prompt,
        text: str,
        max_tokens: int,
        json_schema: dict[str, Any] | None,
        progress: ProgressFn | None,
    ) -> LLMAnswer:
        raise NotImplementedError

    async def complete_json(self, prompt: Prompt, schema: type[M], **options: Any) -> M:
        return (await self.complete_structured(prompt, schema, **options)).value

    async def complete_structured(
        self,
        prompt: Prompt,
        schema: type[M],
        *,
        max_tokens: int | None = None,
        progress: ProgressFn | None = None,
    ) -> Structured[M]:
        """A `schema` instance from the model: constrained decoding where the server offers it, then
        extraction and validation; one repair round on an unusable answer, then `LLMError`."""
        json_schema = schema.model_json_schema()
        first = await self.complete(prompt, max_tokens=max_tokens, json_schema=json_schema, progress=progress)
        try:
            return Structured(parse_model(first.text, schema), first)
        except OutputInvalid as problem:
            log.info("answer was not a valid %s (%s); asking once for a repair", schema.__name__, problem)
            fix = repair_prompt(first.text, str(problem), json_schema)
        second = await self.complete(fix, max_tokens=max_tokens, json_schema=json_schema, progress=progress)
        try:
            value = parse_model(second.text, schema)
        except OutputInvalid as problem:
            raise LLMError(
                "the model's answer was not a valid "
                f"{schema.__name__} even after one repair request ({problem}). "
                "Try again, or use a larger model (LLM_MODEL)."
            ) from None
        merged = second.model_copy(
            update={
                "reasoning": "\n\n".join(r for r in (first.reasoning, second.reasoning) if r),
                "elapsed_s": round(first.elapsed_s + second.elapsed_s, 3),
            }
        )
        return Structured(value, merged)

    async def embed(self, texts: list[str]) -> list[list[float]]:
        raise LLMUnavailable(
            "no embedding model is configured: set LLM_EMBEDDING_MODEL to an embedding model your endpoint "
            "serves (with Ollama: `ollama pull nomic-embed-text`, then LLM_EMBEDDING_MODEL=nomic-embed-text)."
        )

    async def aclose(self) -> None:
        """Releases connections (backends with none have nothing to do)."""


class DisabledLLM(BaseLLM):
    """Stands in when no model can be used: every call raises `LLMUnavailable` with `reason` and help."""

    def __init__(self, settings: Settings, reason: str) -> None:
        super().__init__(settings)
        self.reason = reason

    @property
    def available(self) -> bool:
        return False

    async def complete(self, prompt: Prompt, **options: Any) -> LLMAnswer:
        raise LLMUnavailable(f"{self.reason} {SETUP_HINT}")

    async def embed(self, texts: list[str]) -> list[list[float]]:
        raise LLMUnavailable(f"{self.reason} {SETUP_HINT}")
