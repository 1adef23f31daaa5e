"""The one exception type for failures a person can act on.

Domain code raises `JobsearchError` (or a subclass) with a message that says what went wrong and
what to do; the MCP server (`JobsearchServer.add_tool`) turns it into a tool result with `isError` set,
the CLI into one line on stderr. Anything else is a bug and is logged with its traceback.
"""

from __future__ import annotations

from .jobs.models import SourceStatus


class JobsearchError(Exception):
    """A failure with a message meant for the user (or the model acting for them)."""


class SourceError(JobsearchError):
    """A source could not deliver; `status` says how (blocked, login_required, timeout, error)."""

    status: SourceStatus = SourceStatus.ERROR

    def __init__(self, message: str, status: SourceStatus | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


class BlockedError(SourceError):
    """A captcha, bot wall or HTTP 403/429 page: never reported as 'no jobs'."""

    status = SourceStatus.BLOCKED


class LoginRequiredError(SourceError):
    """The board shows a login wall; `jobsearch-mcp login <source>` fixes it."""

    status = SourceStatus.LOGIN_REQUIRED


class HTTPStatusError(SourceError):
    """The server answered with an HTTP error status the client does not retry (404, 410, 400, ...)."""

    def __init__(self, url: str, http_status: int, reason: str = "") -> None:
        super().__init__(f"{url} answered HTTP {http_status} {reason}".strip())
        self.url = url
        self.http_status = http_status
