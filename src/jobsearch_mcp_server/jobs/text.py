"""Posting text helpers shared by every source: HTML -> Markdown, mojibake repair, and the remote /
seniority / employment-type signals boards state in titles, locations and descriptions."""

from __future__ import annotations

import html
import re
import unicodedata

# UTF-8 bytes that were decoded as Latin-1 or Windows-1252 ("WeâÂ\x80Â\x99re", "GdaÅ\x84sk"): a lead byte
# (U+00C2..U+00F4) followed by continuation bytes (U+0080..U+00BF, or their cp1252 look-alikes).
_CP1252_CONTINUATIONS = "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_CONTINUATIONS}]+")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HTML_TAG = re.compile(
    r"<\s*/?\s*(p|br|div|ul|ol|li|h[1-6]|strong|b|em|i|a|span|table|section)\b[^>]*>", re.IGNORECASE
)
_BLANK_LINES = re.compile(r"\n{3,}")
_EMPTY_EMPHASIS = re.compile(r"(\*\*|__)\s*\1")

_STRIPPED_TAGS = ["img", "iframe", "form", "input", "button", "svg", "video", "audio", "picture", "source"]


def fix_mojibake(text: str) -> str:
    """Re-decode UTF-8 that was read as Latin-1/cp1252; runs that do not decode cleanly stay as they are."""

    def redecode(match: re.Match[str]) -> str:
        run = match.group(0)
        try:
            raw = bytes(ord(ch) if ord(ch) < 256 else ch.encode("cp1252")[0] for ch in run)
            return raw.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run

    return _MOJIBAKE.sub(redecode, text)


def clean_text(text: str | None) -> str:
    """Readable text: mojibake repaired, entities decoded, invisible characters dropped, spaces tidied,
    at most one blank line between paragraphs."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", html.unescape(fix_mojibake(text)))
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " "))
    lines = [_tidy_line(line) for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _tidy_line(line: str) -> str:
    """Runs of spaces inside a line become one; an indent of two or more stays (it nests Markdown lists)."""
    words = line.split()
    if not words:
        return ""
    indent = len(line) - len(line.lstrip(" "))
    return " " * (indent if indent >= 2 else 0) + " ".join(words)


def html_to_markdown(markup: str | None) -> str:
    """A posting's HTML as Markdown (headings, lists, bold, links, paragraphs); plain text passes through
    `clean_text`. HTML that arrives entity-escaped ("&lt;p&gt;", as Greenhouse sends it) is unescaped first."""
    if not markup or not markup.strip():
        return ""
    markup = fix_mojibake(markup)
    if not _HTML_TAG.search(markup) and _HTML_TAG.search(html.unescape(markup)):
        markup = html.unescape(markup)
    if not _HTML_TAG.search(markup):
        return clean_text(markup)
    from markdownify import (
        MarkdownConverter,  # with BeautifulSoup: ~0.1 s, on the first posting, not at start-up
    )

    converter = MarkdownConverter(
        heading_style="ATX",
        bullets="-",
        strip=_STRIPPED_TAGS,
        escape_underscores=False,
        escape_asterisks=False,
    )
    markdown = converter.convert(markup)
    lines = [line.rstrip() for line in markdown.split("\n")]
    return _EMPTY_EMPHASIS.sub("", clean_text("\n".join(line if line.strip() else "" for line in lines)))


_NOT_REMOTE = re.compile(
    r"\b(not|no|non)[- ]remote\b|\bon[- ]?site\b|\bin[- ]office\b|\bin[- ]person\b|\bhybrid\b|\boffice[- ]based\b"
    r"|驻场|坐班|混合办公",
    re.IGNORECASE,
)
_REMOTE = re.compile(
    r"\bremote\b|\bwork(ing)?\s+from\s+(home|anywhere)\b|\bwfh\b|\btelecommut\w*|\bdistributed\s+team\b"
    r"|\banywhere\b|\bhome[- ]?office\b|\bhomeoffice\b|远程|居家办公|在家办公",
    re.IGNORECASE,
)


def detect_remote(*texts: str | None) -> bool | None:
    """True when the first text that says anything says remote; False for on-site, in-office or hybrid;
    None when no text says. Pass the strongest signals first (location, title, then tags)."""
    for text in texts:
        if not text:
            continue
        if _NOT_REMOTE.search(text):
            return False
        if _REMOTE.search(text):
            return True
    return None


def _ordered_patterns(patterns: dict[str, str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in patterns.items())


# Most senior first: "Senior Staff Engineer" is staff, "Lead Senior Developer" is lead.
_SENIORITY = _ordered_patterns(
    {
        "intern": r"\bintern(ship)?\b|\btrainee\b|\bpraktikant|\bwerkstudent|实习",
        "executive": r"\bchief\b|\bC[TEOIF]O\b|\bvice\s+president\b|\bVP\b|\bSVP\b|\bEVP\b|总裁|总经理",
        "director": r"\bdirector\b|\bhead\s+of\b|总监",
        "principal": r"\bprincipal\b|\bdistinguished\b|\bfellow\b|首席",
        "staff": r"\bstaff\s+(engineer|software|data|machine|ml|backend|frontend|product|research)",
        "lead": r"\blead\b|\btech\s+lead\b|\bteam\s+lead\b|\barchitect\b|负责人|组长|主管|架构师",
        "senior": r"(?<!mid-)(?<!mid )\bsenior\b|\bsr\b\.?|\bIII\b|\bIV\b|高级|资深",  # LinkedIn's "mid-senior" is mid
        "mid": r"\bmid(-|\s)?(level|senior)?\b|\bintermediate\b|\bII\b|中级",
        "junior": r"\bjunior\b|\bjr\b\.?|\bentry[- ]level\b|\bgraduate\b|\bnew\s+grad\b|\bI\b$|初级|应届|校招",
    }
)


def detect_seniority(title: str | None) -> str | None:
    """intern, junior, mid, senior, lead, staff, principal, director or executive, from a job title."""
    if not title:
        return None
    for level, pattern in _SENIORITY:
        if pattern.search(title):
            return level
    return None


_EMPLOYMENT_TYPES = _ordered_patterns(
    {
        "internship": r"\binterns?(hip)?\b|\bpraktikum\b|\bwerkstudent|实习",
        "part-time": r"\bpart[-_ ]?time\b|\bteilzeit\b|\bmini[- ]?job\b|兼职",
        "contract": r"\bcontract(or|ual)?\b|\bfreelanc\w*|\b1099\b|\bC2C\b|\bcorp[- ]to[- ]corp\b|外包|合同工",
        "temporary": r"\btemporary\b|\btemp\b|\bseasonal\b|\bbefristet\b|临时",
        "full-time": r"\bfull[-_ ]?time\b|\bpermanent\b|\bvollzeit\b|\bfesteinstellung\b|全职",
    }
)


def detect_employment_type(*texts: str | None) -> str | None:
    """full-time, part-time, contract, internship or temporary: the type named earliest in the first text
    that names one (boards' codes like FULL_TIME, fulltime, full_time included)."""
    for text in texts:
        if not text:
            continue
        earliest = min(
            ((match.start(), kind) for kind, pattern in _EMPLOYMENT_TYPES if (match := pattern.search(text))),
            default=None,
        )
        if earliest:
            return earliest[1]
    return None
