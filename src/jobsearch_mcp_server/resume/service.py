"""parse_resume's plain logic: check the one input, read it safely, extract, parse, store.

Paths are read only inside the allowed folders (JOBSEARCH_ALLOWED_DIRS, else <data dir>/resumes, plus
the MCP client's roots); the check is made on the fully resolved path, so a symlink inside an allowed
folder that points elsewhere is refused. Files are size-checked before they are read, and extraction
runs in `ExtractionWorker` with the parse timeout.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
import stat
from pathlib import Path

from ..config import Settings
from ..store import Store
from .documents import ExtractedText, decode_text, text_document
from .errors import ResumeError
from .heuristics import parse_resume_text
from .jsonresume import structured_resume
from .models import Resume
from .unreadable import UnreadableDocument
from .worker import ExtractionWorker

log = logging.getLogger(__name__)

# Below this many letters the parse is shown with a warning: a near-empty text is rarely a resume.
MIN_RESUME_LETTERS = 80


def _size_limit(settings: Settings) -> int:
    return int(settings.max_file_mb * 1024 * 1024)


def _too_large(size: int, settings: Settings, what: str) -> ResumeError:
    return ResumeError(
        f"{what} is {size / 1024 / 1024:.1f} MB; the limit is {settings.max_file_mb:g} MB "
        "(JOBSEARCH_MAX_FILE_MB)."
    )


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(path == folder or path.is_relative_to(folder) for folder in folders)


def resolve_allowed_path(path: str, allowed: list[Path]) -> Path:
    """The real file behind `path` if it lies inside one of the `allowed` folders; relative paths are
    taken relative to the first folder. Raises `ResumeError` otherwise."""
    folders = [folder.expanduser().resolve() for folder in allowed]
    given = Path(path).expanduser()
    if not given.is_absolute():
        if not folders:
            raise ResumeError("A relative path needs an allowed folder; give an absolute path.")
        given = folders[0] / given
    lexical = Path(os.path.normpath(given))
    real = lexical.resolve()
    listed = ", ".join(str(f) for f in folders) or "(none)"
    if not _inside(real, folders):
        if _inside(lexical, folders) or _inside(lexical.parent.resolve() / lexical.name, folders):
            raise ResumeError(
                f"{path} is a symbolic link that leads outside the folders resumes may be read from "
                f"({listed}); refused. Copy the file itself into one of them."
            )
        raise ResumeError(
            f"{path} is outside the folders resumes may be read from: {listed}. Move the file into one of "
            "them, add its folder to JOBSEARCH_ALLOWED_DIRS, or send the file as content_base64."
        )
    try:
        info = real.stat()
    except FileNotFoundError:
        raise ResumeError(f"No file at {path}.") from None
    except OSError as exc:
        raise ResumeError(f"{path} cannot be read: {exc.strerror}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise ResumeError(f"{path} is a folder; give the resume file inside it.")
    if not stat.S_ISREG(info.st_mode):
        raise ResumeError(f"{path} is not a regular file.")
    return real


def read_limited(path: Path, settings: Settings) -> bytes:
    limit = _size_limit(settings)
    size = path.stat().st_size
    if size > limit:
        raise _too_large(size, settings, path.name)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ResumeError(f"{path} cannot be read: {exc.strerror}.") from None
    if len(data) > limit:
        raise _too_large(len(data), settings, path.name)
    return data


BASE64_PREFIX = re.compile(r"^data:[^,]*;base64,", re.IGNORECASE)


def decode_base64(content: str, settings: Settings) -> bytes:
    compact = re.sub(r"\s+", "", BASE64_PREFIX.sub("", content.strip()))
    if not compact:
        raise ResumeError("content_base64 is empty.")
    if len(compact) * 3 // 4 > _size_limit(settings):
        raise _too_large(len(compact) * 3 // 4, settings, "The content")
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

    def allowed_dirs(self, roots: list[Path] | None = None) -> list[Path]:
        return [*self.settings.resume_dirs(), *(roots or [])]

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
        exactly_one_input(path, content_base64, text)
        if text is not None:
            if len(text.encode("utf-8")) > _size_limit(self.settings):
                raise _too_large(len(text.encode("utf-8")), self.settings, "The text")
            structured = structured_resume(text, filename)
            if structured is not None:
                return structured
            try:
                return build_resume(text_document(text, filename), filename)
            except UnreadableDocument as exc:
                raise ResumeError(str(exc)) from None
        if path is not None:
            real = resolve_allowed_path(path, self.allowed_dirs(roots))
            data, filename = read_limited(real, self.settings), filename or real.name
        else:
            data = decode_base64(content_base64 or "", self.settings)
        if not data:
            raise ResumeError("The file is empty (0 bytes).")
        structured = _structured_file(data, filename)
        if structured is not None:
            return structured
        return build_resume(self.worker.extract(data, filename), filename)

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


def parse_resume_file(path: str | Path, settings: Settings | None = None) -> Resume:
    """The heuristic parse of a file the user named themselves (the CLI): no folder restriction, but the
    same size limit, worker process and timeout as the MCP tool. Nothing is stored."""
    settings = settings or Settings()
    real = Path(path).expanduser().resolve()
    if not real.is_file():
        raise ResumeError(f"No file at {path}.")
    worker = ExtractionWorker(timeout_s=settings.parse_timeout_s)
    try:
        return build_resume(worker.extract(read_limited(real, settings), real.name), real.name)
    finally:
        worker.close()
