"""The one error type of resume parsing: its message says what is wrong with the input and what to do."""

from __future__ import annotations

from ..errors import JobsearchError


class ResumeError(JobsearchError):
    """A resume cannot be read or stored as given (bad path, bad file, timeout, ...)."""
