"""The `sampling` backend: the MCP client's own model answers, through `sampling/createMessage`.

On handshake-era connections (protocol <= 2025-11-25) the request goes to the client in the middle of
the tool call. On 2026-07-28 connections a server cannot call the client mid-request: the tool returns
an `InputRequiredResult` naming the request, the client answers it and calls the tool again, and the
tool body re-runs, finding the answers in `input_responses` / our `request_state`. Each `complete()`
call is numbered, so a tool that asks twice (an answer and its JSON repair) takes two rounds.
Tools opt into the rounds with `@sampling_rounds`; without it the tool reports a clear error instead.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import inspect
import json
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from mcp.server.mcpserver import Context
from mcp.shared.exceptions import MCPError
from mcp.shared.message import ServerMessageMetadata
from mcp_types import (
    CreateMessageRequest,
    CreateMessageRequestParams,
    CreateMessageResult,
    InputRequiredResult,
    SamplingMessage,
    TextContent,
)
from mcp_types.version import is_version_at_least
from pydantic import BaseModel, ValidationError

from ..config import Settings
from ..errors import JobsearchError
from .base import BaseLLM, LLMAnswer, ProgressFn, Prompt
from .errors import LLMError, LLMUnavailable
from .reasoning import is_reasoning_model, split_reasoning

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
INPUT_REQUIRED_VERSION = "2026-07-28"
REQUEST_KEY = "jobsearch-llm-{n}"


class SamplingRoundNeeded(JobsearchError):
    """The client must answer a sampling request first; carries the `InputRequiredResult` to return.

    Deliberately not an `LLMError` / `LLMUnavailable`: code that falls back when the model fails must
    let this pass to `sampling_rounds`, which the server applies to every tool.
    """

    def __init__(self, result: InputRequiredResult) -> None:
        super().__init__(
            "this tool has to ask the MCP client's model in a further round trip, which it does not support; "
            "set LLM_BACKEND=openai-compatible with LLM_BASE_URL and LLM_MODEL to use your own endpoint."
        )
        self.result = result

    @classmethod
    def merged(cls, pending: list[SamplingRoundNeeded], llm: SamplingLLM) -> SamplingRoundNeeded:
        """One round trip asking every question of `pending` at once (independent questions, e.g. one
        verdict per job), so that N questions cost one round, not N."""
        requests: dict[str, Any] = {}
        asked: dict[str, str] = {}
        for needed in pending:
            requests |= needed.result.input_requests
            asked |= _decode_state(needed.result.request_state).asked
        state = _State(answers=llm._state.answers, asked=asked, memo=llm._state.memo)
        return cls(InputRequiredResult(input_requests=requests, request_state=state.model_dump_json()))


def sampling_rounds(fn: F) -> F:
    """Lets an async tool ask the client's model on 2026-07-28 connections (returns the round's request).
    A sync tool cannot ask the model and is returned as it is."""
    if not inspect.iscoroutinefunction(fn):
        return fn

    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return await fn(*args, **kwargs)
        except SamplingRoundNeeded as needed:
            return needed.result

    return wrapper  # type: ignore[return-value]


class _Recorded(BaseModel):
    q: str
    result: dict[str, Any]


class _State(BaseModel):
    """What `request_state` carries between rounds: answers so far and the question asked last."""

    answers: dict[str, _Recorded] = {}
    asked: dict[str, str] = {}
    memo: dict[str, str] = {}  # what the tool did before its first question (e.g. the search it ran)


def _decode_state(raw: str | None) -> _State:
    if not raw:
        return _State()
    try:
        return _State.model_validate_json(raw)
    except ValidationError:
        log.info("ignoring a request_state this server did not write")
        return _State()


def _digest(params: CreateMessageRequestParams) -> str:
    rendered = json.dumps(params.model_dump(mode="json", by_alias=True, exclude_none=True), sort_keys=True)
    return hashlib.sha256(rendered.encode()).hexdigest()[:24]


class SamplingLLM(BaseLLM):
    # the MCP client's model: on 2026-07-28 connections each question is a round trip of the whole tool
    # call, numbered in asking order
    one_question_at_a_time = True

    def __init__(self, settings: Settings, ctx: Context, embedder: BaseLLM | None = None) -> None:
        super().__init__(settings)
        self._ctx = ctx
        self._embedder = embedder
        self._asked = 0
        self._scope = ""
        self._modern = is_version_at_least(ctx.protocol_version or "", INPUT_REQUIRED_VERSION)
        self._state = _decode_state(ctx.request_state) if self._modern else _State()

    @property
    def asks_in_rounds(self) -> bool:
        """True on 2026-07-28 connections: each question is a round trip of the whole tool call."""
        return self._modern

    def scoped(self, name: str) -> SamplingLLM:
        """A view of this client whose questions are numbered on their own (`name`-0, `name`-1, ...), so
        that independent askers (one per job) keep their numbers from round to round whatever the others
        asked, e.g. a repair request of one verdict."""
        view = copy.copy(self)
        view._scope, view._asked = f"{name}-", 0
        return view

    def remember(self, key: str, value: str) -> None:
        """Keeps `value` for the next rounds of this tool call (2026-07-28), e.g. the id of the search it ran."""
        self._state.memo[key] = value

    def recall(self, key: str) -> str | None:
        return self._state.memo.get(key)

    @property
    def available(self) -> bool:
        capabilities = self._ctx.client_capabilities
        return capabilities is not None and capabilities.sampling is not None

    async def _generate(
        self,
        prompt: Prompt,
        text: str,
        max_tokens: int,
        json_schema: dict[str, Any] | None,
        progress: ProgressFn | None,
    ) -> LLMAnswer:
        if not self.available:
            raise LLMUnavailable(
                "LLM_BACKEND=sampling asks the MCP client's model, but this client does not offer sampling "
                "(it declared no `sampling` capability). Use a client that supports sampling, or set "
                "LLM_BACKEND=openai-compatible with LLM_BASE_URL and LLM_MODEL (e.g. Ollama: "
                "`ollama pull deepseek-r1:7b`)."
            )
        params = CreateMessageRequestParams(
            messages=[SamplingMessage(role="user", content=TextContent(type="text", text=text))],
            max_tokens=max_tokens,
            temperature=self.settings.llm_temperature,
        )
        started = time.monotonic()
        if progress:
            await progress(0, None, "asking the MCP client's model")
        result = self._replayed(params) if self._modern else await self._ask_now(params)
        if not isinstance(result.content, TextContent):
            raise LLMError(
                f"the MCP client's model answered with {result.content.type} content instead of text"
            )
        truncated = result.stop_reason == "maxTokens" and is_reasoning_model(result.model)
        answer, reasoning = split_reasoning(result.content.text, truncated=truncated)
        return LLMAnswer(
            text=answer,
            reasoning=reasoning,
            model=result.model,
            elapsed_s=round(time.monotonic() - started, 3),
            finish_reason=result.stop_reason,
        )

    async def _ask_now(self, params: CreateMessageRequestParams) -> CreateMessageResult:
        try:
            return await self._ctx.session.send_request(
                CreateMessageRequest(params=params),
                CreateMessageResult,
                metadata=ServerMessageMetadata(related_request_id=self._ctx.request_id),
            )
        except MCPError as exc:
            raise LLMError(f"the MCP client's model did not answer: {exc.error.message}") from None

    def _replayed(self, params: CreateMessageRequestParams) -> CreateMessageResult:
        key = REQUEST_KEY.format(n=f"{self._scope}{self._asked}")
        self._asked += 1
        question = _digest(params)
        recorded = self._state.answers.get(key)
        if recorded is not None and recorded.q == question:
            return CreateMessageResult.model_validate(recorded.result)
        response = (self._ctx.input_responses or {}).get(key)
        if response is not None and self._state.asked.get(key) == question:
            wire = response.model_dump(mode="json", by_alias=True, exclude_none=True)
            try:
                result = CreateMessageResult.model_validate(wire)
            except ValidationError:
                raise LLMError(
                    "the MCP client answered the sampling request with something other than a message"
                )
            self._state.answers[key] = _Recorded(q=question, result=wire)
            return result
        state = _State(answers=self._state.answers, asked={key: question}, memo=self._state.memo)
        raise SamplingRoundNeeded(
            InputRequiredResult(
                input_requests={key: CreateMessageRequest(params=params)},
                request_state=state.model_dump_json(),
            )
        )

    async def embed(self, texts: list[str]) -> list[list[float]]:
        if self._embedder is not None:
            return await self._embedder.embed(texts)
        return await super().embed(texts)
