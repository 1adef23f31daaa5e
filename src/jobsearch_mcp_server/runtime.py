"""The process-wide state every tool shares: settings, the store, and (lazily) the heavy parts.

It lives at process level, not in the MCP lifespan, because the SDK runs the lifespan once per SSE
connection: a browser pool or model client per connection would multiply Chromium processes.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from contextlib import ExitStack
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .config import Settings
from .store import Store
from .workers import set_cpu_workers, shutdown_processes

if TYPE_CHECKING:
    from mcp.server.mcpserver import Context

    from .browser.pool import BrowserPool
    from .llm import BaseLLM, OpenAICompatibleLLM
    from .services.matching import Matcher
    from .services.resumes import ResumeService
    from .services.search import SearchService

log = logging.getLogger(__name__)


class shared_part(cached_property):
    """A lazily built part, built once even when two worker threads (sync tools) ask at the same moment:
    cached_property lost its lock in Python 3.12, and a second browser pool or search service would split
    the process's one pool, breakers and throttles in two."""

    _building = threading.RLock()  # an RLock: building one part may ask for another

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        with self._building:
            return super().__get__(instance, owner)


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Many clients (SSE, streamable HTTP): pure CPU steps in worker processes, off the server's GIL.
        set_cpu_workers(
            settings.cpu_workers, processes=settings.transport != "stdio", nice=settings.cpu_workers_nice
        )
        self.store = Store(settings.database, job_ttl_s=settings.job_cache_ttl_hours * 3600)
        # Closers of lazily started parts (browser pool, HTTP clients), run in reverse order by close().
        self._closers = ExitStack()
        self.on_close(shutdown_processes)

    @shared_part
    def llm_endpoint(self) -> OpenAICompatibleLLM:
        """The client of the OpenAI-compatible endpoint, one per process (it connects on first use)."""
        from .llm import OpenAICompatibleLLM

        return OpenAICompatibleLLM(self.settings)

    def llm_client(self, ctx: Context | None = None) -> BaseLLM:
        """The model for LLM tools per LLM_BACKEND; with `sampling` and a `ctx`, the MCP client's model."""
        from .llm import make_client

        return make_client(self.settings, ctx, lambda: self.llm_endpoint)

    @shared_part
    def browser(self) -> BrowserPool:
        """The shared headless-browser pool; Chromium starts on the first page a browser source loads."""
        from .browser.pool import BrowserPool

        pool = BrowserPool(self.settings)
        self.on_close(pool.close)
        return pool

    @shared_part
    def search(self) -> SearchService:
        """Searching, paging and job details over every board, with the polite HTTP client (one per process)."""
        from .services.search import SearchService

        # The browser is looked up on a browser source's first page, so HTTP-only searches never start one.
        return SearchService(self.settings, self.store, browser_factory=lambda: self.browser)

    @shared_part
    def matcher(self) -> Matcher:
        """Ranking and advice; keeps job features and embeddings in memory between calls (one per process)."""
        from .services.matching import Matcher

        return Matcher(self.store, self.search, self.settings.llm_embedding_model)

    @shared_part
    def resumes(self) -> ResumeService:
        """Resume parsing and storage; its reader process starts on the first file (one per process)."""
        from .services.resumes import ResumeService

        service = ResumeService(self.settings, self.store)
        self.on_close(service.close)
        return service

    def warm(self) -> None:
        """Builds, before the first client, what the first calls would otherwise build while every client
        waits: the services and the modules their first steps import (numpy, the PDF reader, the skill
        tables). An import holds the interpreter lock, so on a server for many clients (SSE, streamable
        HTTP) each one is a stall of the event loop that every open call feels.

        Then it freezes what it built out of the garbage collector's sight: a full collection walks every
        object the process holds, and the ~130,000 of the tables, modules and tool schemas (which live as long
        as the process) made each one a 150-350 ms stall of every client under load. So call it after the
        server is built, whose tool schemas are among them."""
        started = time.monotonic()
        self.search, self.resumes  # noqa: B018 - building them is the point
        self.matcher.warm()
        gc.collect()
        gc.freeze()
        frozen = gc.get_freeze_count()
        log.info("warmed up in %.1f s (%d long-lived objects frozen)", time.monotonic() - started, frozen)

    def on_close(self, callback, *args) -> None:  # noqa: ANN001 - any callable
        self._closers.callback(callback, *args)

    def close(self) -> None:
        try:
            self._closers.close()
        except Exception:  # shutting down: report, never mask the original exit
            log.exception("error while shutting down")
        self.store.close()
