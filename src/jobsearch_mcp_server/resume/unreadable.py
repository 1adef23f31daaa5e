"""The error of the document readers (PDF, DOCX, text).

It is deliberately not a `JobsearchError`: the reader process imports only the readers, not the MCP SDK
(two seconds of start-up per reader process); the parent turns it into `ResumeError`.
"""


class UnreadableDocument(ValueError):
    """The file cannot be read as a resume; the message says why and what to do."""
