"""Bytes of a resume file in, clean text out: the format is told by the content, not the file name.

This is the part that touches untrusted file formats; `worker.py` runs `serve_extractions` in a separate
process with a time and memory limit.
"""

from __future__ import annotations

import codecs
import logging
import re
import sys
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Literal

from .cleaning import clean_text
from .pdf import extract_pdf
from .unreadable import UnreadableDocument
from .word import extract_docx

DocumentKind = Literal["pdf", "docx", "text", "markdown"]

# Formats people send that are not supported, by their first bytes, with what to do instead.
UNSUPPORTED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word 97-2003 .doc file; save it as .docx or PDF"),
    (b"{\\rtf", "an RTF file; save it as .docx or PDF"),
    (b"\x89PNG", "a PNG image; run OCR on it or export the resume as PDF"),
    (b"\xff\xd8\xff", "a JPEG image; run OCR on it or export the resume as PDF"),
    (b"GIF8", "a GIF image; export the resume as PDF"),
    (b"II*\x00", "a TIFF image (a scan?); run OCR on it or export the resume as PDF"),
    (b"MM\x00*", "a TIFF image (a scan?); run OCR on it or export the resume as PDF"),
    (b"BM", "a bitmap image; export the resume as PDF"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")


@dataclass
class ExtractedText:
    text: str
    kind: DocumentKind
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


def extract_document(data: bytes, filename: str | None = None) -> ExtractedText:
    """The cleaned text of a resume file. Raises `UnreadableDocument` with a specific message for empty,
    unsupported, encrypted, corrupt or text-less files."""
    if not data:
        raise UnreadableDocument("The file is empty (0 bytes).")
    head = data[:1024]
    if b"%PDF-" in head:
        text, pages, warnings = extract_pdf(data)
        extracted = ExtractedText(text, "pdf", pages, warnings)
    elif data.startswith(b"PK\x03\x04"):
        extracted = ExtractedText(extract_docx(data), "docx")
    else:
        for signature, description in UNSUPPORTED_SIGNATURES:
            if data.startswith(signature):
                raise UnreadableDocument(
                    f"Unsupported file type: this is {description}. Supported: PDF, DOCX, TXT, Markdown."
                )
        return text_document(decode_text(data), filename)
    extracted.text = clean_text(extracted.text)
    if not extracted.text:
        raise UnreadableDocument(f"The {extracted.kind.upper()} file contains no text.")
    return extracted


def text_document(text: str, filename: str | None = None) -> ExtractedText:
    """Pasted or plain-file text, with Markdown markup removed when it is Markdown."""
    markdown = (filename or "").lower().endswith(MARKDOWN_SUFFIXES) or looks_like_markdown(text)
    cleaned = clean_text(markdown_to_text(text) if markdown else text)
    if not cleaned:
        raise UnreadableDocument("The text is empty: there is nothing to parse.")
    return ExtractedText(cleaned, "markdown" if markdown else "text")


def decode_text(data: bytes) -> str:
    """Plain-text bytes as str: BOMs honoured, then UTF-8, GB18030 (Chinese), cp1252, in that order."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:4096]:
        raise UnreadableDocument(
            "Unsupported file type: this is a binary file, not PDF, DOCX, TXT or Markdown."
        )
    for codec in ("utf-8", "gb18030", "cp1252"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text[:4096])
        if printable >= 0.95 * len(text[:4096]):
            return text
    raise UnreadableDocument("Unsupported file type: the file is neither PDF, DOCX nor readable text.")


MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)[^)]*\)")
MD_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`|~~|\^)")
MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$|^\s*\|?\s*:?-{3,}.*$", re.MULTILINE)
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def looks_like_markdown(text: str) -> bool:
    return len(MD_HEADING.findall(text)) >= 2 or len(MD_LINK.findall(text)) >= 3


def _link(match: re.Match[str]) -> str:
    label, target = match.group(1), match.group(2)
    bare = re.sub(r"^(mailto:|tel:|https?://)", "", target).rstrip("/")
    return (
        label
        if bare == re.sub(r"^https?://", "", label).rstrip("/") or target == label
        else f"{label} ({target})"
    )


# "**Senior Engineer** [Acme](https://acme.example)": emphasis then a link is a title then an employer.
MD_EMPHASIS_THEN_LINK = re.compile(r"(\*\*[^*\n]+\*\*)[ \t]+(?=\[)")


def markdown_to_text(text: str) -> str:
    """Markdown without its markup; links keep their address (GitHub, LinkedIn are evidence)."""
    text = MD_IMAGE.sub(r"\1", text)
    text = MD_EMPHASIS_THEN_LINK.sub(r"\1 | ", text)
    text = MD_LINK.sub(_link, text)
    text = MD_REFERENCE.sub("", text)
    text = MD_RULE.sub("", text)
    text = HTML_TAG.sub("", text)
    text = MD_HEADING.sub("", text)
    text = re.sub(r"^\s*>\s?", "", text, flags=re.MULTILINE)
    text = re.sub(r"^(\s*)[*+]\s+", r"\1- ", text, flags=re.MULTILINE)
    return MD_EMPHASIS.sub("", text)


def serve_extractions(connection: Connection, memory_limit: int) -> None:
    """The reader process's loop: (bytes, filename) in; ("ok", ExtractedText), ("error", message) or
    ("bug", description) out."""
    sys.stdout = sys.stderr  # in stdio mode the parent's stdout is the protocol stream
    # pypdf logs every oddity of a malformed file; the user gets one clear message instead.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except (ImportError, ValueError, OSError):  # not on this platform: the time limit still holds
        pass
    connection.send(("ready", None))
    while True:
        try:
            data, filename = connection.recv()
        except EOFError:
            return
        try:
            connection.send(("ok", extract_document(data, filename)))
        except UnreadableDocument as exc:
            connection.send(("error", str(exc)))
        except MemoryError:
            connection.send(
                ("error", "The file needs more memory than a resume can; it is probably malformed.")
            )
        except RecursionError:
            connection.send(("error", "The file is nested too deeply to be read; it is probably malformed."))
        except Exception as exc:  # noqa: BLE001 - report, keep serving: one odd file must not end the reader
            connection.send(("bug", f"{type(exc).__name__}: {exc}"))
