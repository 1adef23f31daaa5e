"""A local OpenAI-compatible server that answers the way vLLM and Ollama answer for DeepSeek-R1.

Shapes follow the servers' own code (see README.md here): where the reasoning arrives per dialect,
chunk layout, usage chunk, `data: [DONE]`, error bodies and wording. Tests queue `Reply`s to script
answers and failures; every chat request body and its headers are recorded for assertions.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from jobsearch_mcp_server.config import Settings

# Where the reasoning goes, per server setup:
#   vllm              --reasoning-parser deepseek_r1, current field name `reasoning`
#   vllm-legacy-field  the same before the rename: `reasoning_content`
#   vllm-no-parser     no parser, current R1 template: no opening tag, `reasoning </think> answer`
#   vllm-old-template  no parser, older template: `<think>reasoning</think>answer`
#   ollama             Ollama >= 0.9: `reasoning` field, role in every delta, fp_ollama
#   ollama-inline      older Ollama: `<think>…</think>` inline in content
#   plain              a model that does not reason (llama.cpp with a small instruct model)
DIALECTS = (
    "vllm",
    "vllm-legacy-field",
    "vllm-no-parser",
    "vllm-old-template",
    "ollama",
    "ollama-inline",
    "plain",
)
CHUNK_CHARS = 5


@dataclass
class Reply:
    """One scripted answer (or failure) for the next chat request."""

    answer: str = "OK."
    reasoning: str = "The user wants a short answer. I will keep it brief."
    status: int = 200
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    end_stream_after: int | None = None  # chunks, then the stream ends with no finish_reason and no [DONE]
    drop_connection_after: int | None = None  # chunks, then the connection breaks
    finish_reason: str = "stop"

    @classmethod
    def rate_limited(cls, retry_after: str = "1") -> Reply:
        return cls(
            status=429, error="Too many requests, please retry later.", headers={"Retry-After": retry_after}
        )

    @classmethod
    def server_error(cls) -> Reply:
        return cls(status=500, error="Internal server error")


def _pieces(text: str) -> list[str]:
    return [text[i : i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)]


def fake_token_count(text: str) -> int:
    """The fake's 'tokenizer': two characters a token, more than the client's estimate assumes."""
    return math.ceil(len(text) / 2)


class FakeLLM:
    def __init__(self, host: str = "127.0.0.1") -> None:
        """`host`: the one address it listens on (another of this machine's own addresses plays a remote
        endpoint for the PII guard's test)."""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.host = host
        self.port = 0
        self.reset()

    def reset(self, dialect: str = "vllm") -> None:
        """Back to a well-behaved server with nothing scripted (one server serves many tests)."""
        assert dialect in DIALECTS, dialect
        self.dialect = dialect
        self.models = ["deepseek-r1:7b"]
        self.embedding_models = ["nomic-embed-text"]
        self.embedding_dim = 64
        # vLLM flavour: 400 past this many (fake) tokens; Ollama flavour: prompts silently cut to it
        self.context_limit: int | None = None
        self.reject_formats: set[str] = set()  # response_format types answered with a 400
        self.default = Reply()
        self.replies: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.in_flight = 0
        self.max_in_flight = 0

    # -- control ------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    @property
    def flavour(self) -> str:
        return "ollama" if self.dialect.startswith("ollama") else "vllm"

    def endpoint_settings(self, settings: Settings, **changes: Any) -> Settings:
        """`settings` pointed at this server: openai-compatible backend, 5 s timeout, two retries."""
        values = {
            "llm_backend": "openai-compatible",
            "llm_base_url": self.url,
            "llm_model": "deepseek-r1:7b",
            "llm_timeout_s": 5.0,
            "llm_max_retries": 2,
        }
        return settings.model_copy(update=values | changes)

    def queue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def start(self) -> FakeLLM:
        sock = socket.socket()
        sock.bind((self.host, 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app(), log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake LLM server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._server.force_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)

    # -- HTTP ---------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/models", self._models),
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/embeddings", self._embeddings, methods=["POST"]),
            ]
        )

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
        if self.flavour == "ollama":  # openai.NewError in Ollama's openai package
            kind = {400: "invalid_request_error", 404: "not_found_error"}.get(status, "api_error")
            body: dict[str, Any] = {"error": {"message": message, "type": kind, "param": None, "code": None}}
        else:  # vLLM's ErrorResponse, top level (older) — newer ones nest it under "error"
            kind = {400: "BadRequestError", 404: "NotFoundError"}.get(status, "InternalServerError")
            body = {"object": "error", "message": message, "type": kind, "param": None, "code": status}
        return JSONResponse(body, status_code=status, headers=headers)

    def _model_missing(self, model: str) -> JSONResponse:
        if self.flavour == "ollama":
            return self._error(404, f'model "{model}" not found, try pulling it first')
        return self._error(404, f"The model `{model}` does not exist.")

    async def _models(self, request: Request) -> JSONResponse:
        owner = "library" if self.flavour == "ollama" else "vllm"
        data = [
            {"id": name, "object": "model", "created": 1767225600, "owned_by": owner}
            for name in self.models + self.embedding_models
        ]
        return JSONResponse({"object": "list", "data": data})

    async def _embeddings(self, request: Request) -> Response:
        body = await request.json()
        if body.get("model") not in self.embedding_models:
            return self._model_missing(body.get("model", ""))
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [
            {"object": "embedding", "embedding": self._vector(text), "index": i}
            for i, text in enumerate(texts)
        ]
        tokens = sum(fake_token_count(text) for text in texts)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        return JSONResponse({"object": "list", "data": data, "model": body["model"], "usage": usage})

    def _vector(self, text: str) -> list[float]:
        """Hashed bag of words, normalised: texts sharing words get similar vectors."""
        vector = [0.0] * self.embedding_dim
        for word in text.lower().split():
            vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.embedding_dim] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        if body.get("model") not in self.models:
            return self._model_missing(body.get("model", ""))
        kind = (body.get("response_format") or {}).get("type")
        if kind in self.reject_formats:
            return self._error(400, f"Unsupported response_format type: {kind}")
        prompt = "".join(m["content"] for m in body["messages"] if isinstance(m.get("content"), str))
        prompt_tokens, max_tokens = fake_token_count(prompt), body.get("max_tokens") or 0
        if self.flavour == "vllm" and self.context_limit and prompt_tokens + max_tokens > self.context_limit:
            return self._error(400, self._overflow_message(prompt_tokens, max_tokens))
        if self.flavour == "ollama" and self.context_limit:
            prompt_tokens = min(prompt_tokens, self.context_limit)
        reply = self.replies.popleft() if self.replies else self.default
        if reply.delay_s:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                await asyncio.sleep(reply.delay_s)
            finally:
                self.in_flight -= 1
        if reply.status != 200:
            return self._error(reply.status, reply.error or "error", reply.headers)
        if body.get("stream"):
            return StreamingResponse(self._stream(body, reply, prompt_tokens), media_type="text/event-stream")
        return JSONResponse(self._completion(body, reply, prompt_tokens))

    def _overflow_message(self, prompt_tokens: int, max_tokens: int) -> str:
        """vLLM's renderer wording (vllm/renderers/params.py, TokenizeParams length check)."""
        return (
            f"This model's maximum context length is {self.context_limit} tokens. However, you requested "
            f"{max_tokens} output tokens and your prompt "
            f"contains {prompt_tokens} input tokens, for a total of "
            f"{prompt_tokens + max_tokens} tokens. Please "
            "reduce the length of the input prompt or the number "
            "of requested output tokens."
        )

    # -- answer layout per dialect ------------------------------------------------------------------

    def _parts(self, reply: Reply) -> tuple[str, str | None]:
        """(content, reasoning field value) as this dialect lays out the reply."""
        if self.dialect in ("vllm", "vllm-legacy-field", "ollama"):
            return reply.answer, reply.reasoning
        if self.dialect == "vllm-no-parser":
            return f"{reply.reasoning}\n</think>\n\n{reply.answer}", None
        if self.dialect in ("vllm-old-template", "ollama-inline"):
            return f"<think>\n{reply.reasoning}\n</think>\n\n{reply.answer}", None
        return reply.answer, None

    @property
    def _reasoning_key(self) -> str:
        return "reasoning_content" if self.dialect == "vllm-legacy-field" else "reasoning"

    def _usage(self, prompt_tokens: int, reply: Reply) -> dict[str, int]:
        completion = fake_token_count(reply.answer + reply.reasoning)
        return {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion,
            "total_tokens": prompt_tokens + completion,
        }

    def _envelope(self, body: dict[str, Any], obj: str) -> dict[str, Any]:
        envelope = {"id": "chatcmpl-fake", "object": obj, "created": int(time.time()), "model": body["model"]}
        if self.flavour == "ollama":
            envelope["system_fingerprint"] = "fp_ollama"
        return envelope

    def _completion(self, body: dict[str, Any], reply: Reply, prompt_tokens: int) -> dict[str, Any]:
        content, reasoning = self._parts(reply)
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if reasoning is not None:
            message[self._reasoning_key] = reasoning
        choice: dict[str, Any] = {"index": 0, "message": message, "finish_reason": reply.finish_reason}
        if self.flavour == "vllm":
            message["tool_calls"] = []
            choice |= {"logprobs": None, "stop_reason": None}
        return self._envelope(body, "chat.completion") | {
            "choices": [choice],
            "usage": self._usage(prompt_tokens, reply),
        }

    def _deltas(self, reply: Reply) -> list[dict[str, Any]]:
        content, reasoning = self._parts(reply)
        deltas: list[dict[str, Any]] = []
        if self.flavour == "ollama":  # every delta carries role and content; reasoning only when present
            deltas += [{"role": "assistant", "content": "", "reasoning": p} for p in _pieces(reasoning or "")]
            deltas += [{"role": "assistant", "content": p} for p in _pieces(content)]
            return deltas
        deltas.append({"role": "assistant", "content": ""})
        deltas += [{self._reasoning_key: p} for p in _pieces(reasoning or "")]
        deltas += [{"content": p} for p in _pieces(content)]
        return deltas

    async def _stream(self, body: dict[str, Any], reply: Reply, prompt_tokens: int):
        envelope = self._envelope(body, "chat.completion.chunk")

        def event(payload: dict[str, Any]) -> str:
            return f"data: {json.dumps(envelope | payload, ensure_ascii=False)}\n\n"

        for n, delta in enumerate(self._deltas(reply)):
            if n == reply.end_stream_after:
                return
            if n == reply.drop_connection_after:
                raise ConnectionResetError("fake server dropped the connection")
            choice: dict[str, Any] = {"index": 0, "delta": delta, "finish_reason": None}
            if self.flavour == "vllm":
                choice["logprobs"] = None
            yield event({"choices": [choice]})
            await asyncio.sleep(0)
        last: dict[str, Any] = {"index": 0, "delta": {"content": ""}, "finish_reason": reply.finish_reason}
        if self.flavour == "ollama":
            last["delta"] = {"role": "assistant", "content": ""}
        else:
            last |= {"logprobs": None, "stop_reason": None}
        yield event({"choices": [last]})
        if (body.get("stream_options") or {}).get("include_usage"):
            yield event({"choices": [], "usage": self._usage(prompt_tokens, reply)})
        yield "data: [DONE]\n\n"
