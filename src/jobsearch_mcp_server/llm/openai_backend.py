"""The client for any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp, ...) serving DeepSeek-R1.

Every request streams (R1 reasons for minutes; the stream keeps the connection alive and feeds MCP
progress), sends DeepSeek's sampling settings explicitly (Ollama's /v1 otherwise runs at temperature
and top_p 1.0) and puts everything in one user turn (R1 is trained without a system prompt).
Retries are ours, not the SDK's, so that a stream cut short is retried like a 429 or a 5xx.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import re
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import openai
from openai import AsyncOpenAI

from ..config import Settings
from ..logs import redact_url
from .base import BaseLLM, LLMAnswer, ProgressFn, Prompt, Usage
from .budget import MIN_PROMPT_TOKENS, ContextOverflow, estimate_tokens, parse_context_overflow, render_prompt
from .errors import SETUP_HINT, LLMError, LLMUnavailable
from .reasoning import StreamAccumulator, is_reasoning_model, reasoning_of, split_reasoning
from .redact import scrubbed

log = logging.getLogger(__name__)

T = TypeVar("T")
# Constrained decoding, strongest first: vLLM and Ollama take json_schema; some servers only json_object.
RESPONSE_FORMATS: tuple[str | None, ...] = ("json_schema", "json_object", None)
PROGRESS_EVERY_CHUNKS = 32
EMBED_BATCH = 64
# Our estimate errs high (English: real counts ~0.75 of it; Chinese on Qwen-based distills ~0.5): a server
# count below half of it means the prompt was most likely cut.
TRUNCATION_RATIO = 0.5
TRUNCATION_CHECK_MIN_TOKENS = 1024
MAX_RETRY_AFTER_S = 60.0
_FORMAT_WORDS = re.compile(r"response_format|json_schema|json_object|schema|grammar|format", re.IGNORECASE)


class _FormatRejected(Exception):
    """The server refused the response_format we sent; the next weaker one is tried."""


class _ContextTooLong(Exception):
    def __init__(self, overflow: ContextOverflow) -> None:
        super().__init__(f"context overflow: limit {overflow.limit}")
        self.overflow = overflow


class _TruncatedStream(Exception):
    """The stream ended without a finish_reason: the connection dropped mid-answer."""


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Loading the CA bundle takes a noticeable fraction of a second: once per process is enough."""
    return httpx.create_ssl_context()


class OpenAICompatibleLLM(BaseLLM):
    def __init__(self, settings: Settings, *, backoff_s: float = 1.0, max_backoff_s: float = 30.0) -> None:
        super().__init__(settings)
        self._key = settings.llm_api_key.get_secret_value() or "none"
        timeout = settings.llm_timeout_s
        self._client = AsyncOpenAI(
            base_url=settings.llm_base_url,
            api_key=self._key,
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            max_retries=0,
            http_client=openai.DefaultAsyncHttpxClient(verify=_tls_context()),
        )
        self._slots = asyncio.Semaphore(settings.llm_max_concurrency)
        self._format_level = 0
        self._backoff_s = backoff_s
        self._max_backoff_s = max_backoff_s
        self.endpoint = redact_url(settings.llm_base_url)
        self._reasoning_model = is_reasoning_model(settings.llm_model)

    async def aclose(self) -> None:
        await self._client.close()

    # -- chat -------------------------------------------------------------------------------------

    async def _generate(
        self,
        prompt: Prompt,
        text: str,
        max_tokens: int,
        json_schema: dict[str, Any] | None,
        progress: ProgressFn | None,
    ) -> LLMAnswer:
        started = time.monotonic()
        try:
            answer = await self._generate_in_format(text, max_tokens, json_schema, progress)
        except _ContextTooLong as exc:
            overflow = exc.overflow
            if overflow.limit - max_tokens < 2 * MIN_PROMPT_TOKENS:
                max_tokens = overflow.limit // 2
            log.warning(
                "the server's context is %d tokens "
                "(LLM_CONTEXT_TOKENS=%d); trimming the prompt and retrying once",
                overflow.limit,
                self.settings.llm_context_tokens,
            )
            text = render_prompt(prompt, overflow.next_budget(estimate_tokens(text), max_tokens))
            try:
                answer = await self._generate_in_format(text, max_tokens, json_schema, progress)
            except _ContextTooLong:
                raise LLMError(
                    "the prompt does not fit the model's context of "
                    f"{overflow.limit} tokens even after trimming: "
                    f"set LLM_CONTEXT_TOKENS={overflow.limit} and "
                    "a smaller LLM_MAX_TOKENS, or serve the model "
                    "with a longer context (vLLM --max-model-len, Ollama OLLAMA_CONTEXT_LENGTH)."
                ) from None
        return answer.model_copy(update={"elapsed_s": round(time.monotonic() - started, 3)})

    async def _generate_in_format(
        self, text: str, max_tokens: int, json_schema: dict[str, Any] | None, progress: ProgressFn | None
    ) -> LLMAnswer:
        while True:
            level = self._format_level
            kind = RESPONSE_FORMATS[level] if json_schema else None
            response_format = _response_format(kind, json_schema)
            try:
                return await self._with_retries(
                    lambda fmt=response_format: self._stream_once(text, max_tokens, fmt, progress),
                    model=self.settings.llm_model,
                    sent_format=response_format is not None,
                    progress=progress,
                )
            except _FormatRejected as exc:
                self._format_level = max(self._format_level, level + 1)
                log.info(
                    "the server rejected response_format=%s (%s); using %s from now on",
                    kind,
                    exc,
                    RESPONSE_FORMATS[self._format_level] or "no constraint (JSON parsed from the text)",
                )

    def _request(self, text: str, max_tokens: int) -> dict[str, Any]:
        return {
            "model": self.settings.llm_model,
            "messages": [{"role": "user", "content": text}],
            "temperature": self.settings.llm_temperature,
            "top_p": self.settings.llm_top_p,
            "max_tokens": max_tokens,
        }

    async def complete_unstreamed(self, text: str, *, max_tokens: int) -> LLMAnswer:
        """One request without streaming (the doctor's probe); the reasoning is read from the message."""
        started = time.monotonic()
        answer = await self._with_retries(
            lambda: self._unstreamed_once(text, max_tokens, None), model=self.settings.llm_model
        )
        return answer.model_copy(update={"elapsed_s": round(time.monotonic() - started, 3)})

    async def _unstreamed_once(
        self, text: str, max_tokens: int, response_format: dict[str, Any] | None
    ) -> LLMAnswer:
        request = self._request(text, max_tokens)
        if response_format:
            request["response_format"] = response_format
        response = await self._client.chat.completions.create(**request)
        choice = response.choices[0]
        answer, reasoning = split_reasoning(
            choice.message.content,
            reasoning_of(choice.message),
            truncated=self._reasoning_model and choice.finish_reason == "length",
        )
        usage = _usage(response.usage)
        self._warn_if_truncated(estimate_tokens(text), usage)
        return LLMAnswer(
            text=answer,
            reasoning=reasoning,
            model=response.model or self.settings.llm_model,
            usage=usage,
            elapsed_s=0.0,
            finish_reason=choice.finish_reason,
        )

    async def _stream_once(
        self, text: str, max_tokens: int, response_format: dict[str, Any] | None, progress: ProgressFn | None
    ) -> LLMAnswer:
        request = self._request(text, max_tokens) | {
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if response_format:
            request["response_format"] = response_format
        log.debug(
            "LLM request: model=%s, prompt ~%d tokens, max_tokens=%d",
            request["model"],
            estimate_tokens(text),
            max_tokens,
        )
        collected = StreamAccumulator()
        model, usage, reported_at, phase = self.settings.llm_model, None, 0, ""
        stream = await self._client.chat.completions.create(**request)
        async with stream:
            async for chunk in stream:
                model = chunk.model or model
                usage = _usage(chunk.usage) or usage
                for choice in chunk.choices:
                    collected.add(choice.delta.content, reasoning_of(choice.delta))
                    collected.finish_reason = choice.finish_reason or collected.finish_reason
                if progress and (
                    collected.phase != phase or collected.chunks - reported_at >= PROGRESS_EVERY_CHUNKS
                ):
                    phase, reported_at = collected.phase, collected.chunks
                    await progress(collected.chunks, max_tokens, f"{phase} ({collected.chunks} tokens)")
        if collected.chunks == 0 and collected.finish_reason is None:
            # llama.cpp answers a failing streamed request (e.g. a context overflow) with an empty 200
            # stream and then drops the kept-alive connection; the same request unstreamed, on a new
            # connection, returns the real error (or the answer).
            log.info("empty stream from the server; asking again without streaming")
            try:
                return await self._unstreamed_once(text, max_tokens, response_format)
            except openai.APIConnectionError:
                return await self._unstreamed_once(text, max_tokens, response_format)
        if collected.finish_reason is None:
            raise _TruncatedStream("the stream ended before the answer was complete")
        self._warn_if_truncated(estimate_tokens(text), usage)
        answer, reasoning = collected.result(self._reasoning_model)
        if not answer and collected.finish_reason == "length":
            raise LLMError(
                "the model used its whole answer budget "
                f"(LLM_MAX_TOKENS={max_tokens}) while still reasoning; "
                "raise LLM_MAX_TOKENS (and LLM_CONTEXT_TOKENS with it) or use a model that reasons less."
            )
        return LLMAnswer(
            text=answer,
            reasoning=reasoning,
            model=model,
            usage=usage,
            elapsed_s=0.0,
            finish_reason=collected.finish_reason,
        )

    def _warn_if_truncated(self, estimated: int, usage: Usage | None) -> None:
        """Ollama cuts prompts longer than its context window without an error; its token count tells."""
        counted = usage.prompt_tokens if usage else None
        if counted and estimated >= TRUNCATION_CHECK_MIN_TOKENS and counted < estimated * TRUNCATION_RATIO:
            log.warning(
                "the server counted %d prompt tokens for a prompt estimated at %d: it probably cut the prompt "
                "to fit a smaller context window. With Ollama set OLLAMA_CONTEXT_LENGTH (its /v1 API ignores "
                "per-request sizes) to at least LLM_CONTEXT_TOKENS=%d and restart it.",
                counted,
                estimated,
                self.settings.llm_context_tokens,
            )

    # -- embeddings and models --------------------------------------------------------------------

    async def embed(self, texts: list[str]) -> list[list[float]]:
        model = self.settings.llm_embedding_model
        if not model:
            return await super().embed(texts)
        texts = scrubbed(self.settings, texts)
        vectors: list[list[float]] = []
        for start in range(0, len(texts), EMBED_BATCH):
            batch = [text if text.strip() else " " for text in texts[start : start + EMBED_BATCH]]

            async def call(batch: list[str] = batch) -> Any:
                return await self._client.embeddings.create(model=model, input=batch, encoding_format="float")

            response = await self._with_retries(call, model=model)
            vectors.extend(item.embedding for item in sorted(response.data, key=lambda item: item.index))
        return vectors

    async def list_models(self) -> list[str]:
        """Model ids the endpoint serves (`/v1/models`)."""
        page = await self._with_retries(self._client.models.list, model=None)
        return [model.id for model in page.data]

    # -- retries and error mapping -----------------------------------------------------------------

    async def _with_retries(
        self,
        call: Callable[[], Awaitable[T]],
        *,
        model: str | None,
        sent_format: bool = False,
        progress: ProgressFn | None = None,
    ) -> T:
        """`call`, retried on what may pass (429, 408, 5xx, timeouts, a connection dropped mid-answer) with
        back-off and progress while waiting; a server that is not there at all (connection refused, a
        host name that does not resolve) fails at once, since retrying cannot make it appear."""
        retries = self.settings.llm_max_retries
        for attempt in range(retries + 1):
            retry_after: float | None = None
            try:
                async with self._slots:
                    return await call()
            except openai.APIStatusError as exc:
                detail = self._detail(exc)
                self._raise_if_final(exc.status_code, detail, model, sent_format)
                retry_after = _retry_after(exc.response.headers)
                reason = f"HTTP {exc.status_code}: {detail}"
                final: Exception = LLMError(
                    "the LLM server kept failing (HTTP "
                    f"{exc.status_code}: {detail}) after {retries + 1} attempts; "
                    "try again later, or lower LLM_MAX_CONCURRENCY if the server is shared."
                )
            except (openai.APITimeoutError, httpx.TimeoutException):
                reason = "timeout"
                final = LLMError(
                    f"the model gave no answer within LLM_TIMEOUT={self.settings.llm_timeout_s:g} s "
                    f"({retries + 1} attempts). R1 can reason for "
                    "minutes: raise LLM_TIMEOUT, lower LLM_MAX_TOKENS, "
                    "or use a smaller model."
                )
            except (openai.APIConnectionError, httpx.TransportError) as exc:
                cause = exc.__cause__ or exc
                reason = f"connection failed: {self._scrub(str(cause))}"
                final = LLMUnavailable(
                    f"cannot reach the LLM endpoint {self.endpoint} ({reason}). {SETUP_HINT}"
                )
                if isinstance(cause, httpx.ConnectError):  # refused, or no such host: nobody is there
                    raise LLMUnavailable(
                        f"cannot reach the LLM endpoint {self.endpoint} (LLM_BASE_URL): {_no_server(cause)}. "
                        f"Start the model server, or point LLM_BASE_URL at the one you run. {SETUP_HINT}"
                    ) from None
            except _TruncatedStream as exc:
                reason = str(exc)
                final = LLMError(f"the LLM server cut the answer short {retries + 1} times; try again later.")
            if attempt == retries:
                raise final from None
            delay = retry_after if retry_after is not None else self._backoff(attempt)
            log.warning(
                "LLM request failed (%s); retry %d of %d in %.1f s", reason, attempt + 1, retries, delay
            )
            if progress is not None:
                await progress(attempt + 1, retries + 1, f"LLM: {reason}; retry {attempt + 1} of {retries} in {delay:.1f} s")
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        return min(self._max_backoff_s, self._backoff_s * 2**attempt) * random.uniform(0.5, 1.0)

    def _raise_if_final(self, status: int, detail: str, model: str | None, sent_format: bool) -> None:
        """Raises the error for a response that retrying cannot fix; returns for 429, 408 and 5xx."""
        if status in (408, 429) or (status >= 500 and not (sent_format and _FORMAT_WORDS.search(detail))):
            return
        if status == 404:
            what = f"the model '{model}'" if model else "the models list"
            pull = f"`ollama pull {model}`" if model else "`ollama pull deepseek-r1:7b`"
            raise LLMUnavailable(
                f"{what} is not available at {self.endpoint} "
                f"({detail}). With Ollama run {pull}; with vLLM set "
                "LLM_MODEL to the served model name (`jobsearch-mcp doctor` lists them)."
            )
        if status in (401, 403):
            raise LLMUnavailable(
                f"the LLM endpoint {self.endpoint} refused the API "
                f"key (HTTP {status}): set LLM_API_KEY to the key "
                "the server expects (vLLM checks it only when started with --api-key)."
            )
        overflow = parse_context_overflow(detail)
        if overflow is not None:
            raise _ContextTooLong(overflow)
        if sent_format:
            raise _FormatRejected(f"HTTP {status}: {detail}")
        raise LLMError(f"the LLM server rejected the request (HTTP {status}): {detail}")

    def _detail(self, exc: openai.APIStatusError) -> str:
        body = exc.body
        if isinstance(body, dict):
            inner = body.get("error", body)
            message = inner.get("message") if isinstance(inner, dict) else inner
        else:
            message = body
        return self._scrub(str(message or exc.message))[:400]

    def _scrub(self, text: str) -> str:
        """Servers sometimes echo request headers in errors; the key never leaves this object."""
        return text.replace(self._key, "***") if len(self._key) >= 4 else text


def _no_server(error: httpx.ConnectError) -> str:
    """What a failed connect means, in words: refused (nothing listens there) or a name that does not resolve."""
    chain: list[BaseException] = []
    link: BaseException | None = error
    while link is not None and link not in chain:
        chain.append(link)
        link = link.__cause__ or link.__context__
        if isinstance(link, BaseExceptionGroup):
            link = link.exceptions[0]
    if any(isinstance(e, ConnectionRefusedError) or "refused" in str(e).lower() for e in chain):
        return "connection refused, nothing listens there"
    if any(isinstance(e, socket.gaierror) or "name or service" in str(e).lower() for e in chain):
        return f"the host name does not resolve ({error})"
    return f"the connection failed ({error})"


def _usage(usage: Any) -> Usage | None:
    if usage is None:
        return None
    return Usage(**usage.model_dump(include={"prompt_tokens", "completion_tokens", "total_tokens"}))


def _response_format(kind: str | None, schema: dict[str, Any] | None) -> dict[str, Any] | None:
    if kind is None or schema is None:
        return None
    if kind == "json_object":
        return {"type": "json_object"}
    return {"type": "json_schema", "json_schema": {"name": schema.get("title", "answer"), "schema": schema}}


def _retry_after(headers: httpx.Headers) -> float | None:
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            try:
                return min(MAX_RETRY_AFTER_S, max(0.0, float(value) * scale))
            except ValueError:
                continue
    return None
