"""Tokens for lexical matching, shared by the ranker and the TF-IDF baseline.

Technology names keep their punctuation ("c++", "c#", ".net", "node.js"), English plurals fold to the
singular so "engineers" meets "engineer", and Chinese runs become character bigrams (the usual way to
match Chinese text without a word segmenter).
"""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"\.?[a-z0-9]+(?:\.[a-z0-9]+)*[+#]*|[\u4e00-\u9fff]+")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "etc",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "may",
        "might",
        "must",
        "shall",
        "us",
        "via",
        "per",
        "e.g",
        "i.e",
        "within",
        "across",
        "including",
        "include",
        "includes",
        "well",
        "able",
        "ability",
        "etc",
        "new",
        "one",
        "two",
        "use",
        "used",
        "using",
        "work",
        "working",
        "的",
        "和",
        "与",
        "及",
        "或",
        "等",
        "在",
        "对",
        "为",
        "有",
        "是",
    ]
)


def fold(token: str) -> str:
    """One form per English word: a plural ending is dropped ("scientists" -> "scientist")."""
    if (
        len(token) > 3
        and token.isalpha()
        and token[-1] == "s"
        and token[-2] not in "su"
        and token[-2:] != "is"
    ):
        if token.endswith("ies"):
            return token[:-3] + "y"
        return token[:-1]
    return token


_FORMS: dict[
    str, tuple[str, ...]
] = {}  # raw word -> its tokens; words repeat, so this saves most of the work
_MAX_FORMS = 500_000


def _forms(raw: str) -> tuple[str, ...]:
    if "\u4e00" <= raw[0] <= "\u9fff":
        return tuple(raw[i : i + 2] for i in range(max(1, len(raw) - 1)))
    if "." in raw[1:] and any(len(part) > 3 for part in raw[1:].split(".")[1:]):
        # "learning.Education" is two words run together; "node.js" and "asp.net" are one name.
        return tuple(fold(part) for part in raw.split(".") if part and part not in STOPWORDS)
    return () if raw in STOPWORDS else (fold(raw),)


def tokenize(text: str) -> list[str]:
    """Lower-cased, folded word tokens of `text` without stopwords; Chinese as character bigrams."""
    if len(_FORMS) > _MAX_FORMS:
        _FORMS.clear()
    tokens: list[str] = []
    for raw in _TOKEN.findall(unicodedata.normalize("NFKC", text).lower()):
        forms = _FORMS.get(raw)
        if forms is None:
            forms = _FORMS[raw] = _forms(raw)
        tokens.extend(forms)
    return tokens
