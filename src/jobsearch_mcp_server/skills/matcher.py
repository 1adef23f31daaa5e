"""Finds taxonomy skills in free text, fast enough for every job description a search brings back.

Latin-script text is split into tokens once (a token keeps the punctuation that belongs to skill names:
``C++``, ``C#``, ``.NET``, ``Node.js``, ``ASP.NET``); aliases are token tuples in a dict, so each token
costs one dict lookup unless it can start an alias. Multi-token aliases must be written with the same
separators (``CI/CD`` is not ``CI CD``, ``M&A`` is not "I'm a"), hyphens and whitespace being alike.
Chinese aliases have no word boundaries and are found by one compiled alternation, only in text that
contains CJK characters. Ambiguous aliases (``Go``, ``R``, ``C``, ``Swift``) are kept only when a
related skill or one of their context words is nearby; aliases with several senses follow the
taxonomy's `needs` / `unless` / `senses` rules, and nothing inside a URL is a skill.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .taxonomy import Skill, Taxonomy, load_taxonomy, role_key

LATIN = "0-9A-Za-z\u00c0-\u024f"
TOKEN = re.compile(rf"\.?[{LATIN}]+(?:\.[{LATIN}]+)*[+#]*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# What may stand between the tokens of one alias; the non-blank part is the separator's "signature".
GAP = re.compile(r"(?:[\s\-_/&]|\.(?=\s)){1,4}")
SPACE_LIKE = re.compile(r"[\s\-_]+")
# An ambiguous alias glued to these is another word: "R&D", "C-level", "R's".
GLUE = frozenset("&'’-")
# An ambiguous alias must also stand like a list item: "Python, R, SAS", "(Go)", "in R and Python",
# "Go语言"; not inside a run of words ("Go live", "Luke Swift Are", "Service Express!").
LIST_EDGE = re.compile(r"[,/;:|()\[\]•·*+\n\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
LIST_WORDS = frozenset(
    {"and", "or", "in", "with", "using", "programming", "language", "languages", "developer"}
)
WORD_BEFORE = re.compile(r"([A-Za-z]+)[ \t]*$")
WORD_AFTER = re.compile(r"[ \t]*([A-Za-z]+)")
# How far (characters) a related skill or context word may be from an ambiguous alias.
CONTEXT_WINDOW = 60
URL = re.compile(r"\b(?:https?://|www\.)[^\s)\]>\"']+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """One occurrence of a skill: its canonical name and category, and where it is in the text. `role`: it
    was written as the person who does the work ("Data Scientist", "护士"), which a posting asks for but a
    resume's job title does not claim."""

    name: str
    category: str
    start: int
    end: int
    role: bool = False

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True, slots=True)
class _Candidate:
    skill: Skill
    start: int
    end: int
    contextual: bool


def _signature(gap: str) -> str:
    return SPACE_LIKE.sub("", gap)


def _trie_pattern(words: Iterable[str]) -> str:
    """An alternation of `words` shaped as a trie, so the regex engine branches once per character
    instead of trying every word in turn; longer words are tried first."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(trie)


def _lower_same_length(text: str) -> str:
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    # A few characters (e.g. "İ") grow when lower-cased; keep them so offsets stay valid.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


class SkillMatcher:
    """A taxonomy compiled for matching; build once (see `default_matcher`), use from any thread."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        # token tuple -> separator signatures -> (skill, contextual?)
        self._folded: dict[tuple[str, ...], dict[tuple[str, ...], tuple[Skill, bool]]] = {}
        self._cased: dict[tuple[str, ...], dict[tuple[str, ...], tuple[Skill, bool]]] = {}
        self._starts: set[str] = set()  # lower-cased tokens an alias starts with
        self._prefixes: set[tuple[str, ...]] = set()  # lower-cased beginnings of multi-token aliases
        self._cased_folded: set[tuple[str, ...]] = set()  # case-sensitive aliases, lower-cased
        # The common case, a one-word alias that nothing longer starts with, answered by one dict lookup.
        self._single_word: dict[str, tuple[Skill, bool]] = {}
        self._continues: set[str] = set()  # first words of multi-word aliases
        self._cased_words: set[str] = set()  # lower-cased first words of case-sensitive aliases
        cjk_aliases: dict[str, Skill] = {}
        self._names = {skill.name.lower(): skill for skill in taxonomy.skills}
        self._context_words: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
        for skill in taxonomy.skills:
            groups = (
                (skill.case_insensitive_aliases, self._folded, False),
                (skill.exact, self._cased, False),
                (skill.contextual, self._cased, True),
            )
            for aliases, index, contextual in groups:
                for alias in aliases:
                    if CJK.search(alias):
                        cjk_aliases.setdefault(alias.lower(), skill)
                    else:
                        self._add(index, alias if index is self._cased else alias.lower(), skill, contextual)
            words = [w for w in skill.context if TOKEN.fullmatch(w)]
            phrases = tuple(w for w in skill.context if not TOKEN.fullmatch(w))
            self._context_words[skill.name] = (frozenset(words), phrases)
        self._cjk_aliases = cjk_aliases
        self._senses = {
            skill.name: _SenseRules(
                needs={alias: _any_of(words) for alias, words in skill.needs.items()},
                unless={alias: [_around(p) for p in phrases] for alias, phrases in skill.unless.items()},
                senses={
                    alias: [(self._names[other.lower()], _any_of(words)) for other, words in by_skill.items()]
                    for alias, by_skill in skill.senses.items()
                },
            )
            for skill in taxonomy.skills
            if skill.needs or skill.unless or skill.senses
        }
        self._cjk_pattern = re.compile(f"(?<![A-Za-z0-9])(?:{_trie_pattern(cjk_aliases)})", re.IGNORECASE)
        # A whole token that can start an alias, optionally with a version glued on ("Python3.8").
        self._first_tokens = re.compile(
            rf"(?<![{LATIN}.])(?P<word>{_trie_pattern(self._starts)})(?:\d+(?:\.\d+)*)?"
            rf"(?![{LATIN}+#]|\.[{LATIN}])"
        )

    def _add(self, index: dict, alias: str, skill: Skill, contextual: bool) -> None:
        tokens = list(TOKEN.finditer(alias))
        if not tokens:
            return
        key = tuple(m.group() for m in tokens)
        signature = tuple(_signature(alias[a.end() : b.start()]) for a, b in itertools.pairwise(tokens))
        index.setdefault(key, {}).setdefault(signature, (skill, contextual))
        folded = tuple(token.lower() for token in key)
        self._starts.add(folded[0])
        self._prefixes.update(folded[:n] for n in range(1, len(folded)))
        if len(folded) > 1:
            self._continues.add(folded[0])
        if index is self._cased:
            self._cased_folded.add(folded)
            self._cased_words.add(folded[0])
        elif len(key) == 1:
            self._single_word.setdefault(key[0], (skill, contextual))

    # Matching

    def extract(self, text: str) -> list[SkillMatch]:
        """Every skill occurrence in `text`, in order, longest alias first where aliases overlap."""
        if not text:
            return []
        candidates = self._latin_candidates(text)
        sure = [c for c in candidates if not c.contextual]
        pending = [c for c in candidates if c.contextual]
        if pending:
            sure += self._confirm(text, sure, pending)
        if CJK.search(text):
            sure += self._cjk_candidates(text)
        sure = self._in_their_sense(text, sure)
        sure.sort(key=lambda c: (c.start, c.start - c.end))
        matches: list[SkillMatch] = []
        last_end = -1
        for c in sure:
            if c.start >= last_end:
                role = bool(c.skill.roles) and role_key(text[c.start : c.end]) in c.skill.roles
                matches.append(SkillMatch(c.skill.name, c.skill.category, c.start, c.end, role))
                last_end = c.end
        return matches

    def names(self, text: str) -> list[str]:
        """The distinct canonical skill names in `text`, in order of first appearance."""
        return list(dict.fromkeys(m.name for m in self.extract(text)))

    def canonical(self, name: str) -> str | None:
        """The canonical name for a skill written as `name` (any alias, any case), or None."""
        stripped = " ".join(name.split())
        if not stripped:
            return None
        known = self._names.get(stripped.lower()) or self._cjk_aliases.get(stripped.lower())
        if known:
            return known.name
        whole = [c for c in self._latin_candidates(stripped) if c.start == 0 and c.end == len(stripped)]
        return whole[0].skill.name if whole else None

    def _latin_candidates(self, text: str) -> list[_Candidate]:
        # The scan runs in the regex engine and stops only at tokens that can start an alias, so plain
        # words cost no Python work; the next tokens are read only while they can continue an alias.
        lower = _lower_same_length(text)
        found: list[_Candidate] = []
        last_end = 0
        for first in self._first_tokens.finditer(lower):
            start = first.start()
            word = first.group("word")
            versioned = len(word) < first.end() - start
            if start < last_end or (versioned and len(word) < 2):
                continue  # inside the previous alias, or "C9" (not version 9 of C)
            if (versioned or word not in self._continues) and word not in self._cased_words:
                single = self._single_word.get(word)
                if single:
                    found.append(_Candidate(single[0], start, start + len(word), single[1]))
                    last_end = start + len(word)
                continue
            spans = [(start, start + len(word))]
            key = [word]
            while not versioned and tuple(key) in self._prefixes:
                gap = GAP.match(lower, spans[-1][1])
                token = gap and TOKEN.match(lower, gap.end())
                if not token:
                    break
                spans.append(token.span())
                key.append(token.group())
            for n in range(len(spans), 0, -1):
                hit = self._lookup(text, spans[:n], tuple(key[:n]))
                if hit:
                    found.append(_Candidate(hit[0], start, spans[n - 1][1], hit[1]))
                    last_end = spans[n - 1][1]
                    break
        return found

    def _lookup(
        self, text: str, spans: list[tuple[int, int]], key: tuple[str, ...]
    ) -> tuple[Skill, bool] | None:
        folded = self._folded.get(key)
        cased = self._cased.get(tuple(text[a:b] for a, b in spans)) if key in self._cased_folded else None
        if folded is None and cased is None:
            return None
        signature = tuple(_signature(text[a[1] : b[0]]) for a, b in itertools.pairwise(spans))
        if cased and signature in cased:
            skill, contextual = cased[signature]
            if not contextual or self._stands_alone(text, spans[0][0], spans[-1][1]):
                return skill, contextual
        if folded and signature in folded:
            return folded[signature]
        return None

    @staticmethod
    def _stands_alone(text: str, start: int, end: int) -> bool:
        before = text[max(0, start - 20) : start]
        after = text[end : end + 20]
        if (before[-1:] in GLUE and before) or (after[:1] in GLUE and after):
            return False
        left = before.rstrip(" \t")
        right = after.lstrip(" \t")
        if not left or not right or LIST_EDGE.match(left[-1]) or LIST_EDGE.match(right[0]) or right[0] == ".":
            return True
        word_before = WORD_BEFORE.search(before)
        word_after = WORD_AFTER.match(after)
        return bool(
            (word_before and word_before.group(1).lower() in LIST_WORDS)
            or (word_after and word_after.group(1).lower() in LIST_WORDS)
        )

    def _confirm(self, text: str, sure: list[_Candidate], pending: list[_Candidate]) -> list[_Candidate]:
        """The ambiguous candidates that have a vouching skill or a context word within reach."""
        confirmed: list[_Candidate] = []
        lower = _lower_same_length(text)
        changed = True
        while changed and pending:
            changed = False
            for candidate in list(pending):
                if self._plausible(lower, candidate, sure + confirmed):
                    confirmed.append(candidate)
                    pending.remove(candidate)
                    changed = True
        return confirmed

    def _plausible(self, lower: str, candidate: _Candidate, accepted: list[_Candidate]) -> bool:
        low, high = candidate.start - CONTEXT_WINDOW, candidate.end + CONTEXT_WINDOW
        if any(
            other.end >= low and other.start <= high and other.skill.vouches_for(candidate.skill)
            for other in accepted
        ):
            return True
        words, phrases = self._context_words[candidate.skill.name]
        window = lower[max(0, low) : high]
        return any(p in window for p in phrases) or not words.isdisjoint(TOKEN.findall(window))

    def _in_their_sense(self, text: str, candidates: list[_Candidate]) -> list[_Candidate]:
        """The candidates read in the sense their context gives them: dropped where an alias means
        something else ("AI tools", "regression test", a URL), moved to another skill where its words are
        near ("forecasting" by the sales pipeline)."""
        urls = [m.span() for m in URL.finditer(text)] if "://" in text or "www." in text else []
        kept: list[_Candidate] = []
        lower: str | None = None
        for candidate in candidates:
            if urls and any(a <= candidate.start < b for a, b in urls):
                continue
            rules = self._senses.get(candidate.skill.name)
            if rules is None:
                kept.append(candidate)
                continue
            lower = lower if lower is not None else _lower_same_length(text)
            alias = lower[candidate.start : candidate.end]
            before = lower[max(0, candidate.start - 40) : candidate.start]
            after = lower[candidate.end : candidate.end + 40]
            if any(
                (b is None or b.search(before)) and (a is None or a.match(after))
                for b, a in (*rules.unless.get(alias, ()), *rules.unless.get("*", ()))
            ):
                continue
            window = lower[max(0, candidate.start - CONTEXT_WINDOW) : candidate.end + CONTEXT_WINDOW]
            needs = rules.needs.get(alias) or rules.needs.get("*")
            if needs is not None and not needs.search(window):
                continue
            for other, words in rules.senses.get(alias, ()):
                if words.search(window):
                    candidate = _Candidate(other, candidate.start, candidate.end, False)
                    break
            kept.append(candidate)
        return kept

    def _cjk_candidates(self, text: str) -> list[_Candidate]:
        return [
            _Candidate(self._cjk_aliases[m.group().lower()], m.start(), m.end(), False)
            for m in self._cjk_pattern.finditer(text)
        ]


def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """Finds one of `words` as a word, or a word's beginning ("patient" finds "patients"), or a phrase."""
    return re.compile(rf"(?<![{LATIN}])(?:{'|'.join(re.escape(w) for w in words)})")


def _around(phrase: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The text before and after an alias standing in `phrase`, "_" marking its place ("is _", "_ tools")."""
    before, _, after = phrase.partition("_")
    before, after = before.strip(), after.strip()
    return (
        re.compile(rf"(?<![{LATIN}]){re.escape(before)}[\s\-]*$") if before else None,
        re.compile(rf"[\s\-]*{re.escape(after)}") if after else None,
    )


@dataclass(frozen=True, slots=True)
class _SenseRules:
    needs: dict[str, re.Pattern[str]]
    unless: dict[str, list[tuple[re.Pattern[str] | None, re.Pattern[str] | None]]]
    senses: dict[str, list[tuple[Skill, re.Pattern[str]]]]


@cache
def default_matcher() -> SkillMatcher:
    """The matcher for the shipped taxonomy, compiled on first use (about 20 ms) and then shared."""
    return SkillMatcher(load_taxonomy())


def extract_skills(text: str) -> list[SkillMatch]:
    """Every skill occurrence in `text` (canonical name, category, span), in order of appearance."""
    return default_matcher().extract(text)


def skill_names(text: str) -> list[str]:
    """The distinct canonical skills in `text`, in order of first appearance."""
    return default_matcher().names(text)


def canonical_skill(name: str) -> str | None:
    """The canonical taxonomy name for `name` ("k8s" -> "Kubernetes", "机器学习" -> "Machine Learning")."""
    return default_matcher().canonical(name)
