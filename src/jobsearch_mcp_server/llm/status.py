"""`llm_status` and `jobsearch-mcp doctor`: is the model reachable and answering, is a browser there?

Nothing here starts a browser or keeps a connection: each check makes one small request with no
retries and a short timeout, so a dead endpoint is reported in seconds, not after back-off.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Literal, TypeVar

from pydantic import BaseModel, Field

from ..browser.discovery import INSTALL_HINT, find_browser, missing_browser_parts
from ..config import Settings
from ..logs import redact_url
from .base import BaseLLM
from .errors import SETUP_HINT, LLMError, LLMUnavailable

if TYPE_CHECKING:
    from .openai_backend import OpenAICompatibleLLM

PROBE_TIMEOUT_S = 60.0
T = TypeVar("T")


class Check(BaseModel):
    name: str
    status: Literal["ok", "failed", "skipped"]
    detail: str
    elapsed_s: float | None = None


class SetupStatus(BaseModel):
    backend: str
    endpoint: str | None = Field(None, description="the LLM endpoint, without credentials")
    model: str | None = None
    llm_ready: bool = Field(description="the LLM tools can answer with this setup")
    checks: list[Check]

    def lines(self) -> list[str]:
        """Human-readable report, one check a line."""
        head = f"LLM backend: {self.backend}"
        if self.endpoint:
            head += f" | endpoint {self.endpoint} | model {self.model}"
        rows = [head]
        for check in self.checks:
            took = f" ({check.elapsed_s:.2f} s)" if check.elapsed_s is not None else ""
            rows.append(f"  {check.status.upper():<8}{check.name:<12}{check.detail}{took}")
        rows.append("LLM tools: ready" if self.llm_ready else "LLM tools: NOT ready")
        return rows


async def check_setup(settings: Settings, llm: BaseLLM | None = None) -> SetupStatus:
    """Checks the configured backend; `llm` is the client a tool call would use (sampling needs one)."""
    checks: list[Check] = []
    if settings.llm_backend == "none":
        checks.append(
            Check(name="llm", status="skipped", detail=f"LLM tools are off (LLM_BACKEND=none). {SETUP_HINT}")
        )
        ready = False
    elif settings.llm_backend == "sampling":
        ready = llm is not None and llm.available
        detail = (
            "the MCP client offers sampling: its own model answers"
            if ready
            else "checked per MCP client: the client must declare the sampling capability"
        )
        checks.append(Check(name="sampling", status="ok" if ready else "skipped", detail=detail))
        if settings.llm_embedding_model:
            checks += await _endpoint_checks(settings, chat=False)
    else:
        checks += await _endpoint_checks(settings, chat=True)
        ready = all(c.status == "ok" for c in checks if c.name in ("endpoint", "completion"))
    checks.append(browser_check(settings))
    return SetupStatus(
        backend=settings.llm_backend,
        endpoint=redact_url(settings.llm_base_url) if settings.llm_backend != "none" else None,
        model=settings.llm_model if settings.llm_backend == "openai-compatible" else None,
        llm_ready=ready,
        checks=checks,
    )


async def _endpoint_checks(settings: Settings, *, chat: bool) -> list[Check]:
    probe_settings = settings.model_copy(
        update={"llm_max_retries": 0, "llm_timeout_s": min(settings.llm_timeout_s, PROBE_TIMEOUT_S)}
    )
    from .openai_backend import OpenAICompatibleLLM  # the OpenAI SDK loads when the doctor asks

    client = OpenAICompatibleLLM(probe_settings)
    try:
        return await _probe(client, settings, chat=chat)
    finally:
        await client.aclose()


async def _probe(client: OpenAICompatibleLLM, settings: Settings, *, chat: bool) -> list[Check]:
    models: list[str] = []

    def served(found: list[str]) -> str:
        models.extend(found)
        return f"reachable, serves {len(found)} model(s)"

    checks = [await _timed("endpoint", client.list_models(), served)]
    if checks[0].status == "failed":
        return checks
    if chat:
        checks.append(_model_check(settings.llm_model, models, "LLM_MODEL"))
        probe = client.complete_unstreamed("Reply with the single word OK.", max_tokens=1)
        checks.append(await _timed("completion", probe, lambda answer: f"answers as {answer.model}"))
    if settings.llm_embedding_model:
        checks.append(
            _model_check(settings.llm_embedding_model, models, "LLM_EMBEDDING_MODEL", "embed model")
        )
        vectors = client.embed(["jobsearch doctor"])
        checks.append(
            await _timed("embeddings", vectors, lambda found: f"{len(found[0])}-dimensional vectors")
        )
    return checks


async def _timed(name: str, call: Awaitable[T], describe: Callable[[T], str]) -> Check:
    """Runs one check: ok with `describe(result)`, or failed with the error's own explanation."""
    started = time.monotonic()
    try:
        result = await call
    except (LLMUnavailable, LLMError) as exc:
        return Check(name=name, status="failed", detail=str(exc), elapsed_s=_since(started))
    return Check(name=name, status="ok", detail=describe(result), elapsed_s=_since(started))


def _model_check(model: str, served: list[str], variable: str, name: str = "model") -> Check:
    # Ollama lists "deepseek-r1:latest" for a model asked for as "deepseek-r1".
    if model in served or (":" not in model and f"{model}:latest" in served):
        return Check(name=name, status="ok", detail=f"{model} is served")
    listed = ", ".join(served[:8]) or "none"
    return Check(
        name=name,
        status="failed",
        detail=(
            f"{model} is not in the endpoint's model list "
            f"({listed}): `ollama pull {model}`, or set {variable} to a served model"
        ),
    )


def browser_check(settings: Settings) -> Check:
    """Where Chromium and chromedriver are (nothing is started)."""
    if settings.selenium_remote_url:
        return Check(
            name="browser",
            status="ok",
            detail=f"Selenium Grid at {redact_url(settings.selenium_remote_url)} (not contacted)",
        )
    binary, driver = find_browser(settings.chrome_binary, settings.chromedriver)
    missing = missing_browser_parts(binary, driver)
    if not missing:
        return Check(name="browser", status="ok", detail=f"{binary} with {driver}")
    return Check(
        name="browser",
        status="failed",
        detail=f"{' and '.join(missing)} cannot be used: {INSTALL_HINT}; browser-based job boards are "
        "skipped until then",
    )


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)
