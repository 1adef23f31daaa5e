"""parse_resume's plain logic: check the one input, read it safely, extract, parse, store.

Paths go through the allowed-path guard (paths.py: the allowed folders plus the MCP client's roots,
symlinks resolved, the size limit). Extraction runs in `ExtractionWorker` with the parse timeout.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from pathlib import Path

from ..config import Settings
from ..paths import allowed_path, too_large
from ..resume.documents import ExtractedText, decode_text, text_document
from ..resume.errors import ResumeError
from ..resume.heuristics import parse_resume_text
from ..resume.jsonresume import structured_resume
from ..resume.models import Resume
from ..resume.unreadable import UnreadableDocument
from ..resume.worker import ExtractionWorker
from ..store import Store

log = logging.getLogger(__name__)

# Below this many letters the parse is shown with a warning: a near-empty text is rarely a resume.
MIN_RESUME_LETTERS = 80


def _size_limit(settings: Settings) -> int:
    return int(settings.max_file_mb * 1024 * 1024)


def read_limited(path: Path, settings: Settings) -> bytes:
    """The file's bytes, refused past the size limit even when it grew after the guard looked."""
    limit = _size_limit(settings)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ResumeError(f"{path} cannot be read: {exc.strerror}.") from None
    if len(data) > limit:
        raise too_large(len(data), settings, path.name)
    return data


BASE64_PREFIX = re.compile(r"^data:[^,]*;base64,", re.IGNORECASE)


def decode_base64(content: str, settings: Settings) -> bytes:
    compact = re.sub(r"\s+", "", BASE64_PREFIX.sub("", content.strip()))
    if not compact:
        raise ResumeError("content_base64 is empty.")
    if len(compact) * 3 // 4 > _size_limit(settings):
        raise too_large(len(compact) * 3 // 4, settings, "The content")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ResumeError(
            f"content_base64 is not valid base64 ({exc}). Encode the file's bytes with standard base64."
        ) from None


def exactly_one_input(path: str | None, content_base64: str | None, text: str | None) -> None:
    given = [
        name
        for name, value in (("path", path), ("content_base64", content_base64), ("text", text))
        if value is not None
    ]
    if len(given) != 1:
        what = "none was given" if not given else f"got {', '.join(given)}"
        raise ResumeError(
            "Give exactly one of path (a file in an allowed folder), content_base64 (the file's bytes) "
            f"or text (the resume pasted as text); {what}."
        )


STRUCTURED_HEAD = re.compile(rb"^\s*\{|^cv:\s*$", re.MULTILINE)


def _structured_file(data: bytes, filename: str | None) -> Resume | None:
    """A JSON Resume or rendercv YAML file taken exactly (JSON and YAML are read with safe loaders; the
    size limit already holds), else None: every other file goes to the reader process."""
    suffix = (filename or "").lower().rsplit(".", 1)[-1]
    if data.startswith((b"%PDF", b"PK")) or not (
        suffix in ("json", "yaml", "yml") or STRUCTURED_HEAD.search(data[:2000])
    ):
        return None
    try:
        return structured_resume(decode_text(data), filename)
    except UnreadableDocument:
        return None


def build_resume(extracted: ExtractedText, filename: str | None) -> Resume:
    resume = parse_resume_text(extracted.text, filename)
    warnings = list(extracted.warnings)
    if sum(c.isalpha() for c in extracted.text) < MIN_RESUME_LETTERS:
        warnings.append("the text is very short; check that the whole resume was read")
    return resume.model_copy(
        update={"format": extracted.kind, "pages": extracted.pages, "warnings": warnings}
    )


class ResumeService:
    """Parses resumes from paths, uploads or text and keeps them in the store."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.worker = ExtractionWorker(timeout_s=settings.parse_timeout_s)

    def parse(
        self,
        *,
        path: str | None = None,
        content_base64: str | None = None,
        filename: str | None = None,
        text: str | None = None,
        roots: list[Path] | None = None,
    ) -> Resume:
        """The heuristic parse of exactly one input (not stored: see `save`)."""
        read = self.read(path=path, content_base64=content_base64, filename=filename, text=text, roots=roots)
        return read if isinstance(read, Resume) else build_resume(*read)

    def read(
        self,
        *,
        path: str | None = None,
        content_base64: str | None = None,
        filename: str | None = None,
        text: str | None = None,
        roots: list[Path] | None = None,
    ) -> Resume | tuple[ExtractedText, str | None]:
        """Exactly one input checked and read: a structured resume (JSON Resume, rendercv) taken as it is,
        else its text and file name for `build_resume` (the CPU-heavy part, a pure step)."""
        exactly_one_input(path, content_base64, text)
        if text is not None:
            if len(text.encode("utf-8")) > _size_limit(self.settings):
                raise too_large(len(text.encode("utf-8")), self.settings, "The text")
            structured = structured_resume(text, filename)
            if structured is not None:
                return structured
            try:
                return text_document(text, filename), filename
            except UnreadableDocument as exc:
                raise ResumeError(str(exc)) from None
        if path is not None:
            real = allowed_path(path, self.settings, roots or ())
            data, filename = read_limited(real, self.settings), filename or real.name
        else:
            data = decode_base64(content_base64 or "", self.settings)
        if not data:
            raise ResumeError("The file is empty (0 bytes).")
        structured = _structured_file(data, filename)
        if structured is not None:
            return structured
        return self.worker.extract(data, filename), filename

    def parse_named_file(self, path: str | Path) -> Resume:
        """The heuristic parse of a file the user named themselves (the CLI): no folder restriction, but
        the same size limit, reader process and timeout as the MCP tool. Nothing is stored."""
        real = Path(path).expanduser().resolve()
        if not real.is_file():
            raise ResumeError(f"No file at {path}.")
        data = read_limited(real, self.settings)
        return _structured_file(data, real.name) or build_resume(self.worker.extract(data, real.name), real.name)

    def save(self, resume: Resume) -> Resume:
        self.store.save_resume(resume)
        log.info(
            "stored resume %s (%d chars, %d skills)",
            resume.resume_id,
            len(resume.raw_text),
            len(resume.skills),
        )
        return resume

    def delete(self, resume_id: str) -> bool:
        return self.store.delete_resume(resume_id)

    def close(self) -> None:
        self.worker.close()
