"""Logging to stderr only: in stdio mode stdout carries the MCP protocol and nothing else."""

from __future__ import annotations

import logging
import sys
from urllib.parse import urlsplit, urlunsplit

NOISY_LOGGERS = ("httpx", "httpx2", "httpcore", "urllib3", "selenium", "openai", "sse_starlette", "uvicorn.access")


def setup_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    quiet = max(logging.getLevelName(level), logging.WARNING)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(quiet)


def redact_url(url: str) -> str:
    """The URL without user info or query string, safe to show and log."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
