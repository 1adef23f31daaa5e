"""Normalises text pulled out of PDFs, Word files and pastes before anything is parsed from it.

Compatibility forms (ligatures like "ﬁ", full-width "：", no-break spaces) become plain characters,
bullet glyphs at the start of a line (including the private-use glyphs of Word's Symbol font) become
"- ", UTF-8 that was decoded as Latin-1 ("NaÃ¯ve") is repaired, words hyphenated across lines are
joined, and Chinese written letter-spaced ("教 育 经 历") is closed up.
"""

from __future__ import annotations

import re
import unicodedata

BULLETS = "•●○◦▪▫■□►▶▸‣⁃∙➢➤✓✔❖◆◇★☆⦿♦·"
# Word's Symbol / Wingdings bullets land in the private use area when a PDF has no Unicode for them.
SYMBOL_FONT_BULLETS = "\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\uf0a8\uf0d2\uf0e0\uf09f"
LINE_BULLET = re.compile(rf"^[ \t]*(?:[{BULLETS}{SYMBOL_FONT_BULLETS}]|â¢|[*–—](?=\s))[ \t]*", re.MULTILINE)
INLINE_BULLET = re.compile(rf"[ \t]+[{BULLETS}{SYMBOL_FONT_BULLETS}][ \t]+")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
# A run that is UTF-8 bytes read as Latin-1 / cp1252: a lead byte then continuation bytes.
# cp1252 puts these where Latin-1 has the C1 controls 0x80-0x9f.
CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
MOJIBAKE = re.compile(f"[\u00c2-\u00f4][\u0080-\u00bf{CP1252_HIGH}]{{1,3}}")
HYPHENATED = re.compile(r"(\S*[a-z])-\n([a-z])")
# A kerned capital a PDF text layer splits off its word ("T echnische", "T oronto", "M.T ech").
KERNED_CAPITAL = re.compile(r"(?<!\w)([TVWYPF]) (?=[a-z]{2,})")


def _join_hyphenated(match: re.Match[str]) -> str:
    """A word hyphenated across lines is joined; an address or handle ("linkedin.com/in/emily-\ncarter")
    keeps its hyphen, which is part of it."""
    before, after = match.group(1), match.group(2)
    return f"{before}-{after}" if re.search(r"[/@.]", before) else before + after


CJK_CHAR = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
# PDF extraction and aligned headings letter-space Chinese ("教 育 经 历", "张  三"); a space after a
# longer run separates fields ("高级工程师 阿里巴巴") and stays.
LETTER_SPACED = re.compile(rf"(?<![{CJK_CHAR}])[{CJK_CHAR}](?: {{1,2}}[{CJK_CHAR}](?![{CJK_CHAR}]))+")


def _repair_mojibake(run: re.Match[str]) -> str:
    raw = run.group()
    for codec in ("cp1252", "latin-1"):
        try:
            return raw.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return raw


def clean_text(text: str) -> str:
    """`text` normalised for parsing; the result is what evidence spans point into."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if MOJIBAKE.search(text):
        text = MOJIBAKE.sub(_repair_mojibake, text)
    text = LINE_BULLET.sub("- ", text)
    text = INLINE_BULLET.sub(" | ", text)
    text = PRIVATE_USE.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    text = CONTROL.sub("", text).replace("\t", " ")
    text = HYPHENATED.sub(_join_hyphenated, text)
    text = KERNED_CAPITAL.sub(r"\1", text)
    text = LETTER_SPACED.sub(lambda m: m.group().replace(" ", ""), text)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_FAMILY = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "IDEOGRAPHIC": "CJK", "FULLWIDTH": "LATIN"}


def _script(char: str) -> str:
    first = unicodedata.name(char, "").split(" ", 1)[0].split("-", 1)[0]
    return _FAMILY.get(first, first)


def garbled_share(text: str) -> float:
    """The share of non-Latin words that mix scripts inside the word ("୆֥ն଀"): what a PDF font without a
    correct Unicode map produces. Real text in any language keeps one script per word."""
    words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if not w.isascii()]
    if not words:
        return 0.0
    mixed = sum(1 for w in words if len({_script(c) for c in w if c.isalpha()} - {"LATIN"}) > 1)
    return mixed / len(words)
