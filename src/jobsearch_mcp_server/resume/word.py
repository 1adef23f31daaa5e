"""Text out of Word .docx resumes with the standard library (zipfile + ElementTree).

python-docx is not needed at run time: it reads neither headers (where many templates keep the name and
contact line) nor text boxes in document order, and it would add lxml. Here the body is walked in order
— paragraphs, tables row by row (one-line cells joined by " | ", layout cells one after another), content controls, text boxes — after the page
headers, and list paragraphs get a "- " bullet. The archive is bounded (a zip bomb or an XML DOCTYPE with
entities is refused) because the file comes from outside.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from .unreadable import UnreadableDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Largest XML part read, uncompressed; a resume's document.xml is well under 1 MB.
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed beyond this is a zip bomb, not a document
# Runs whose text is not what the reader sees: deleted revisions, field codes.
SKIPPED = {W + "delText", W + "instrText", MC_FALLBACK}


def extract_docx(data: bytes) -> str:
    """The text of a .docx file."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableDocument(
            f"The Word file cannot be read: it is corrupt or truncated ({exc})."
        ) from None
    if "word/document.xml" not in names:
        raise UnreadableDocument(
            "The file is a ZIP archive but not a Word .docx document. Save the resume as .docx or PDF."
        )
    headers = sorted(n for n in names if n.startswith("word/header") and n.endswith(".xml"))
    footers = sorted(n for n in names if n.startswith("word/footer") and n.endswith(".xml"))
    listed = _list_styles(_root(archive, "word/styles.xml")) if "word/styles.xml" in names else set()
    lines: list[str] = []
    for part in (*headers, "word/document.xml", *footers):
        for line in _blocks(_root(archive, part), listed):
            if line.strip() and (part == "word/document.xml" or line not in lines):
                lines.append(line)
    return "\n".join(lines)


def _root(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1_000_000:
        raise UnreadableDocument(
            f"The Word file is too large to be a resume ({name} unpacks to {info.file_size:,} bytes)."
        )
    try:
        raw = archive.read(name)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableDocument(
            f"The Word file cannot be read: it is corrupt or truncated ({exc})."
        ) from None
    if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw:
        raise UnreadableDocument(
            "The Word file contains an XML DOCTYPE, which real .docx files never have; refused."
        )
    try:
        return ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        raise UnreadableDocument(f"The Word file cannot be read: {name} is not valid XML ({exc}).") from None


def _list_styles(styles: ElementTree.Element) -> set[str]:
    """Paragraph styles that number or bullet their paragraphs ("List Bullet"), directly or by inheritance."""
    numbered: set[str] = set()
    parents: dict[str, str] = {}
    for style in styles.iter(W + "style"):
        style_id = style.get(W + "styleId") or ""
        if style.find(f"{W}pPr/{W}numPr") is not None:
            numbered.add(style_id)
        based_on = style.find(W + "basedOn")
        if based_on is not None:
            parents[style_id] = based_on.get(W + "val") or ""
    changed = True
    while changed:
        changed = False
        for style_id, parent in parents.items():
            if parent in numbered and style_id not in numbered:
                numbered.add(style_id)
                changed = True
    return numbered


def _blocks(element: ElementTree.Element, listed: set[str]) -> Iterator[str]:
    """The lines of a block container (body, header, cell, text box) in document order."""
    for child in element:
        if child.tag == W + "p":
            yield from _paragraph(child, listed)
        elif child.tag == W + "tbl":
            yield from _table(child, listed)
        elif child.tag in SKIPPED:
            continue
        else:  # w:body, w:sdt, w:sdtContent, w:customXml, ... wrap blocks
            yield from _blocks(child, listed)


def _table(table: ElementTree.Element, listed: set[str]) -> Iterator[str]:
    """A row of one-line cells is a line of the grid ("Acme Corp | Jan 2020 - Present"); a row with a
    cell of several lines is a layout (a header block, a sidebar next to the main column), read cell
    after cell so that each line stays a line."""
    for row in table.findall(W + "tr"):
        cells = [[line for line in _blocks(cell, listed) if line.strip()] for cell in row.findall(W + "tc")]
        cells = [cell for cell in cells if cell]
        if any(len(cell) > 1 for cell in cells):
            for cell in cells:
                yield from cell
        elif cells:
            yield " | ".join(cell[0] for cell in cells)


def _paragraph(paragraph: ElementTree.Element, listed: set[str]) -> Iterator[str]:
    parts: list[str] = []
    boxed: list[str] = []

    def walk(element: ElementTree.Element) -> None:
        for child in element:
            tag = child.tag
            if tag in SKIPPED:
                continue
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag == W + "tab":
                parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag == W + "txbxContent":
                boxed.extend(_blocks(child, listed))
            else:
                walk(child)

    walk(paragraph)
    text = "".join(parts)
    properties = paragraph.find(W + "pPr")
    style = properties.find(W + "pStyle") if properties is not None else None
    numbered = properties is not None and properties.find(W + "numPr") is not None
    if text.strip() and (numbered or (style is not None and style.get(W + "val") in listed)):
        text = "- " + text.lstrip()
    yield from text.split("\n")
    yield from boxed
