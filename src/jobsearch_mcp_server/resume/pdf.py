"""Text out of PDF resumes with pypdf, in reading order even for two-column layouts.

pypdf returns text in content-stream order. Builders that draw a sidebar and the main column line by
line across the page interleave the two ("SKILLS / Senior Engineer, Acme / Python"). pypdf's text is
exactly the concatenation of the fragments its visitor sees, each with a position, so a page whose
fragments show a consistent vertical gutter is re-assembled as header, left column, right column from
pypdf's own fragments; other pages keep pypdf's text unchanged.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from .cleaning import garbled_share
from .unreadable import UnreadableDocument

log = logging.getLogger(__name__)

MAX_PAGES = 30
# A page with fewer non-blank characters than this has no usable text layer.
MIN_PAGE_CHARS = 20
# Average glyph width as a share of the font size, to estimate where a fragment ends.
GLYPH_WIDTH = 0.5
# The left column must be at least this share of the text width, so a narrow column of dates next to
# the entries they belong to is not split off as a column of its own.
MIN_COLUMN_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class Fragment:
    index: int
    text: str
    x: float
    y: float
    size: float

    @property
    def end(self) -> float:
        return self.x + GLYPH_WIDTH * self.size * len(self.text.strip())


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, OSError) as exc:
        raise UnreadableDocument(
            f"The PDF cannot be read: it is corrupt or truncated ({exc}). Export it again."
        ) from None
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception:  # noqa: BLE001 - pypdf raises several types (unsupported cipher, missing backend)
            opened = 0
        if not opened:
            raise UnreadableDocument(
                "The PDF is password-protected. Save a copy without a password (print to PDF, or remove "
                "the protection in your PDF viewer) and try again."
            )
    return reader


def extract_pdf(data: bytes) -> tuple[str, int, list[str]]:
    """(text, page count, warnings) of a PDF; `UnreadableDocument` for encrypted, corrupt, scanned PDFs."""
    warnings: list[str] = []
    reader = _open(data)
    try:
        pages = list(reader.pages)
    except FileNotDecryptedError:
        raise UnreadableDocument(
            "The PDF is password-protected. Save a copy without a password and try again."
        ) from None
    except Exception as exc:  # noqa: BLE001 - a hostile file can break pypdf anywhere; say it is corrupt
        raise UnreadableDocument(
            f"The PDF cannot be read: it is corrupt or truncated ({type(exc).__name__})."
        ) from None
    if not pages:
        raise UnreadableDocument("The PDF has no pages. Export it again.")
    if len(pages) > MAX_PAGES:
        warnings.append(f"only the first {MAX_PAGES} of {len(pages)} pages were read")
        pages = pages[:MAX_PAGES]
    texts: list[str] = []
    links: list[str] = []
    images = 0
    for number, page in enumerate(pages, 1):
        try:
            texts.append(_page_text(page))
            images += _image_count(page)
        except Exception as exc:  # noqa: BLE001 - one broken page should not lose the others
            log.info("page %d unreadable: %s: %s", number, type(exc).__name__, exc)
            warnings.append(f"page {number} could not be read and was skipped")
        links += _link_targets(page)
    text = "\n\n".join(t.strip() for t in texts if t.strip())
    # A link drawn as an icon and a username ("/linkedin-in jdoe") has its address only in the link
    # annotation: those addresses follow the text, so that they can be read and pointed at.
    unseen = [url for url in dict.fromkeys(links) if url.split("://", 1)[-1].rstrip("/") not in text]
    if unseen and text.strip():
        text += "\n\nLinks\n" + "\n".join(unseen)
    if sum(not c.isspace() for c in text) < MIN_PAGE_CHARS:
        if images:
            raise UnreadableDocument(
                "The PDF contains only images (a scan or a photo) and no text layer. Run it through OCR "
                "(for example `ocrmypdf in.pdf out.pdf`) or export the resume from its editor as PDF, then "
                "try again; or paste the text with the text argument."
            )
        raise UnreadableDocument(
            "The PDF contains no text. Export the resume from its editor again, or paste its text."
        )
    if garbled_share(text) > 0.3:
        raise UnreadableDocument(
            "The PDF's text cannot be read: its fonts have no correct Unicode map, so the extracted "
            "characters are garbage (common with Chinese PDFs from older XeLaTeX). Export it again with a "
            "current toolchain or from Word/WPS, run OCR on it, or paste the text."
        )
    if b"%%EOF" not in data[-2048:]:
        warnings.append("the PDF seems truncated (no end-of-file marker); some text may be missing")
    return text, len(pages), warnings


def _page_text(page) -> str:
    fragments: list[Fragment] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.sqrt(abs((tm[0] * tm[3] - tm[1] * tm[2]) * (cm[0] * cm[3] - cm[1] * cm[2])))
        fragments.append(Fragment(len(fragments), text, x, y, (size or 1.0) * (scale or 1.0)))

    text = page.extract_text(visitor_text=visit)
    return _in_columns(fragments) or text


MAX_LINKS = 50


def _link_targets(page) -> list[str]:
    """The web addresses of a page's link annotations (not mailto: or tel:, whose text is on the page)."""
    targets = []
    try:
        for annotation in (page.get("/Annots") or [])[:MAX_LINKS]:
            action = annotation.get_object().get("/A") or {}
            uri = action.get("/URI") if action.get("/S") == "/URI" else None
            if isinstance(uri, str) and uri.lower().startswith(("http://", "https://")) and len(uri) < 300:
                targets.append(uri.strip())
    except Exception as exc:  # noqa: BLE001 - a broken annotation must not lose the page's text
        log.info("link annotations unreadable: %s", type(exc).__name__)
    return targets


def _image_count(page) -> int:
    resources = page.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    return sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Image")


def _gutter(fragments: list[Fragment]) -> float | None:
    """The x of a vertical gap that many lines share, with a left column wide enough to be one."""
    lines: dict[int, list[Fragment]] = {}
    for fragment in fragments:
        lines.setdefault(round(fragment.y / max(fragment.size * 0.5, 1.0)), []).append(fragment)
    starts: Counter[int] = Counter()
    for line in lines.values():
        line.sort(key=lambda f: f.x)
        for before, after in itertools.pairwise(line):
            if after.x - before.end >= 1.5 * after.size:
                starts[round(after.x / 10)] += 1
    if not starts:
        return None
    bucket, count = starts.most_common(1)[0]
    gutter = bucket * 10.0
    left_edge = min(f.x for f in fragments)
    right_edge = max(f.end for f in fragments)
    if count < max(3, 0.3 * len(lines)) or gutter - left_edge < MIN_COLUMN_SHARE * (right_edge - left_edge):
        return None
    return gutter


def _in_columns(fragments: list[Fragment]) -> str | None:
    """The page text re-assembled as header, left column, right column; None for a one-column page."""
    visible = [f for f in fragments if f.text.strip()]
    gutter = _gutter(visible) if len(visible) >= 6 else None
    if gutter is None:
        return None
    tolerance = 5.0
    right = [f for f in visible if f.x >= gutter - tolerance]
    if _side_details(right):
        return None
    top = max(f.y for f in right) + tolerance
    header = [f for f in visible if f.y > top]
    left = [f for f in visible if f.y <= top and f.x < gutter - tolerance]
    body_right = [f for f in right if f.y <= top]
    return "\n".join(_join(group) for group in (header, left, body_right) if group)


SIDE_DETAIL = re.compile(
    r"(?:19|20)\d\d|present|today|至今|@|https?://|www\.|\.com/|^\+?[\d ()./-]{7,}$"
    r"|^[A-Z][\w .'’-]*, [A-Z][\w .'’-]*$",
    re.IGNORECASE,
)


def _side_details(right: list[Fragment]) -> bool:
    """Whether the right "column" is the right cells of a table (dates, places, contact details next to
    the entries they belong to, as Word templates set them), which pypdf already reads row by row."""
    lines: dict[int, str] = {}
    for fragment in right:
        key = round(fragment.y / max(fragment.size * 0.5, 1.0))
        lines[key] = lines.get(key, "") + fragment.text
    texts = [text.strip() for text in lines.values() if text.strip()]
    return bool(texts) and sum(1 for text in texts if SIDE_DETAIL.search(text)) >= 0.6 * len(texts)


def _join(fragments: list[Fragment]) -> str:
    """Fragments in their original order; where the re-ordering made two of them neighbours, a line break
    or space stands between them, as their positions say."""
    parts = [fragments[0].text]
    for before, after in itertools.pairwise(fragments):
        if after.index != before.index + 1 and not before.text.endswith(("\n", " ")):
            parts.append("\n" if abs(after.y - before.y) > after.size * 0.5 else " ")
        parts.append(after.text)
    return "".join(parts)
