"""Runs document extraction in a separate process with a time and memory limit.

pypdf can loop or balloon on hostile files, and a thread cannot be stopped, so extraction happens in a
child process that is killed when a file takes longer than the limit; the server keeps serving and the
next file gets a fresh child. The child is started once and reused (starting one costs about half a
second: importing pypdf), it is started with "spawn" because forking a threaded server is unsafe, and
its address space is capped so a decompression bomb ends in a MemoryError, not in the OOM killer.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection

from .documents import ExtractedText, serve_extractions
from .errors import ResumeError

log = logging.getLogger(__name__)

MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024
STARTUP_TIMEOUT_S = 120.0


class ExtractionWorker:
    """A child process that extracts text from resume files, one file at a time, within `timeout_s`."""

    def __init__(self, timeout_s: float = 30.0, memory_limit: int = MEMORY_LIMIT_BYTES) -> None:
        self.timeout_s = timeout_s
        self.memory_limit = memory_limit
        self._context = multiprocessing.get_context("spawn")
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    def extract(self, data: bytes, filename: str | None = None) -> ExtractedText:
        with self._lock:
            connection = self._ready()
            connection.send((data, filename))
            if not connection.poll(self.timeout_s):
                self._stop()
                raise ResumeError(
                    f"Reading the file took longer than {self.timeout_s:g} s and was stopped; the file is "
                    "probably malformed (or extremely large). Export it again, or paste the text."
                )
            try:
                status, payload = connection.recv()
            except (EOFError, OSError):
                self._stop()
                raise ResumeError(
                    "The file crashed the document reader; it is probably malformed. Export it again."
                ) from None
        if status == "ok":
            return payload
        if status == "bug":
            log.error("unexpected error while reading %s: %s", filename or "an upload", payload)
            raise ResumeError(
                "The file could not be read; it is probably malformed. Export it again, or paste the text."
            )
        raise ResumeError(payload)

    def _ready(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._connection is not None:
            return self._connection
        self._stop()
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=serve_extractions, args=(child, self.memory_limit), daemon=True, name="resume-reader"
        )
        process.start()
        child.close()
        try:
            if not parent.poll(STARTUP_TIMEOUT_S):
                raise EOFError
            parent.recv()
        except (EOFError, OSError):
            process.kill()
            raise ResumeError("The document reader process did not start; try again.") from None
        self._process, self._connection = process, parent
        return parent

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        self._process, self._connection = None, None

    def close(self) -> None:
        with self._lock:
            self._stop()
