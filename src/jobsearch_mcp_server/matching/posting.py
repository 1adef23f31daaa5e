"""Reading a job posting the way a recruiter does: which part lists what is required, which part what
is merely nice to have, how many years are asked, and how senior the role is.

Postings mark their parts with headings ("Requirements", "Preferred qualifications", "Bonus points",
"任职要求", "加分项") or inline ("... is a plus", "优先"). Everything here is plain regular
expressions
over the text, so it runs on 100,000 postings and explains itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ..jobs.text import detect_seniority


class Section(StrEnum):
    REQUIRED = "required"
    NICE = "nice"
    OTHER = "other"


# Headings for the nice-to-have part are tried first: "Preferred qualifications" is not a requirement.
_NICE_HEADING = re.compile(
    r"nice[\s-]+to[\s-]+haves?|preferred|bonus|desired|desirable|pluses|extra credit|would be (great|nice)|"
    r"good to have|not required|加分|优先|更好",
    re.IGNORECASE,
)
_REQUIRED_HEADING = re.compile(
    r"requirements?|required|qualifications?|must[\s-]+haves?|what (you|we)('ll| will)? (need|bring|look)|"
    r"you (have|bring|are|should)|who you are|skills|experience|about you|your profile|ideal candidate|"
    r"what we('re| are) looking for|competenc|任职|岗位要求|职位要求|任职资格|要求",
    re.IGNORECASE,
)
_OTHER_HEADING = re.compile(
    r"responsibilit|what you('ll| will) do|duties|the role|about (us|the)|who we are|benefits|perks|"
    r"we offer|compensation|salary|equal opportunit|how to apply|our team|the team|overview|summary|"
    r"职责|工作内容|福利|公司介绍|关于我们",
    re.IGNORECASE,
)
# Headings: "## Requirements", "**Bonus points**", "Nice to have:", "Preferred Qualifications: SQL, ..."
# (a label opening a line), or a short Title Case / CJK line ("What You'll Bring", "岗位职责").
_MARKED_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*(?P<hash>[^\n]{2,80}?)|\*\*(?P<bold>[^*\n]{2,80}?)\*\*[:：]?)\s*$"
)
_LABEL = re.compile(r"^\s*(?:\*\*)?(?P<label>[^\n:：*•\-–]{2,50}?)(?:\*\*)?\s*[:：]")
_PLAIN_HEADING = re.compile(r"^\s*(?P<label>[^\n.!?。:：•*\-–]{2,50}?)\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _heading_label(line: str) -> str | None:
    """The label when `line` is a heading, else None. Bullets and sentences are not headings."""
    marked = _MARKED_HEADING.match(line)
    if marked:
        return marked.group("hash") or marked.group("bold")
    labelled = _LABEL.match(line)
    if labelled and len(labelled.group("label").split()) <= 5:
        return labelled.group("label")
    plain = _PLAIN_HEADING.match(line)
    if plain:
        label = plain.group("label")
        words = label.split()
        if _CJK.search(label):
            return label if len(label) <= 12 else None
        if len(words) <= 4 and all(w[0].isupper() or len(w) < 4 or not w[0].isalpha() for w in words):
            return label
    return None


_INLINE_NICE = re.compile(
    r"\b(a\s+(big\s+|huge\s+|strong\s+)?plus|preferred|nice[\s-]+to[\s-]+have|bonus|desirable|advantage|"
    r"is helpful|ideally)\b|优先|加分",
    re.IGNORECASE,
)


def _heading_kind(label: str) -> Section | None:
    if _NICE_HEADING.search(label):
        return Section.NICE
    if _OTHER_HEADING.search(label):
        return Section.OTHER
    if _REQUIRED_HEADING.search(label):
        return Section.REQUIRED
    return None


@dataclass(frozen=True)
class Part:
    start: int
    end: int
    kind: Section


def split_sections(text: str) -> list[Part]:
    """The posting cut into parts by its headings, each part marked required / nice / other.

    Lines inside a required part that say "a plus", "preferred", "优先" ... count as nice-to-have.
    A posting without any recognised heading is one OTHER part.
    """
    parts: list[Part] = []
    current = Section.OTHER
    position = 0
    for line in text.splitlines(keepends=True):
        label = _heading_label(line)
        kind = _heading_kind(label) if label else None
        if kind is not None:
            current = kind
        line_kind = current
        if current is Section.REQUIRED and kind is None and _INLINE_NICE.search(line):
            line_kind = Section.NICE
        end = position + len(line)
        if parts and parts[-1].kind is line_kind:
            parts[-1] = Part(parts[-1].start, end, line_kind)
        else:
            parts.append(Part(position, end, line_kind))
        position = end
    return parts


def section_at(parts: list[Part], offset: int) -> Section:
    for part in parts:
        if part.start <= offset < part.end:
            return part.kind
    return Section.OTHER


_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "fifteen": 15,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_NUM = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen)"
_CN_NUM = r"(\d{1,2}|[一二两三四五六七八九十])"
_YEARS_PATTERNS: tuple[re.Pattern[str], ...] = (
    # "3-5 years", "3 to 5 years", "3–5+ yrs"
    re.compile(rf"\b{_NUM}\s*(?:-|–|—|to)\s*{_NUM}\s*\+?\s*(?:years?|yrs?)\b", re.IGNORECASE),
    # "5+ years", "5 or more years", "at least 5 years", "minimum of 5 years", "5 years of experience"
    re.compile(
        rf"(?:(?:at\s+least|minimum(?:\s+of)?|min\.?|over|more\s+than)\s+)?"
        rf"\b{_NUM}\s*(\+|\s+or\s+more|\s+plus)?"
        rf"\s*(?:years?|yrs?)(?:['’]s?)?(?=\s+(?:of\s+)?(?:[\w/&+-]+\s+){{0,5}}?(?:experience|exp\b))"
        rf"|(?:at\s+least|minimum(?:\s+of)?|min\.?)\s+{_NUM}\s*\+?\s*(?:years?|yrs?)"
        rf"|\b{_NUM}\s*(?:\+|\s+or\s+more|\s+plus)\s*(?:years?|yrs?)",
        re.IGNORECASE,
    ),
    # "3-5年", "3至5年"
    re.compile(rf"{_CN_NUM}\s*(?:-|–|~|～|至|到)\s*{_CN_NUM}\s*年"),
    # "5年以上", "三年及以上", "5年(工作)经验"
    re.compile(rf"{_CN_NUM}\s*年(?:以上|及以上|或以上|(?:\S{{0,6}}?)经验)"),
)
_YEARS_WORD = re.compile(r"years?\b|yrs?\b|年", re.IGNORECASE)
_MAX_PLAUSIBLE_YEARS = 25  # "over 100 years of history" is about the company, not the candidate


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


@dataclass(frozen=True)
class YearsAsked:
    minimum: float
    maximum: float | None = None
    text: str = ""


def years_asked(text: str, parts: list[Part] | None = None) -> YearsAsked | None:
    """The experience a posting asks for: the largest minimum among its requirement lines.

    "3-5 years" -> 3..5, "5+ years" / "at least 5 years" / "5年以上" -> 5..None. Mentions in a
    nice-to-have part only count when the posting states no requirement elsewhere.
    """
    found: list[tuple[bool, YearsAsked]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        if not _YEARS_WORD.search(line):  # the patterns are slow; few lines mention years at all
            continue
        taken: list[tuple[int, int]] = []  # "3-5 years" must not also count as "5 years"
        for pattern_index, pattern in enumerate(_YEARS_PATTERNS):
            for match in pattern.finditer(line):
                if any(start < match.end() and match.start() < end for start, end in taken):
                    continue
                taken.append(match.span())
                numbers = [
                    _number(g) for g in match.groups() if g and (g.isdigit() or g.lower() in _NUMBER_WORDS)
                ]
                if not numbers or max(numbers) > _MAX_PLAUSIBLE_YEARS:
                    continue
                is_range = pattern_index in (0, 2) and len(numbers) == 2
                asked = YearsAsked(
                    min(numbers), max(numbers) if is_range else None, match.group(0).strip(" '’")
                )
                nice = parts is not None and section_at(parts, line_start + match.start()) is Section.NICE
                found.append((nice, asked))
    required = [asked for nice, asked in found if not nice] or [asked for _, asked in found]
    return max(required, key=lambda a: a.minimum) if required else None


# Seniority on one scale for jobs and people: 0 intern .. 5 director and above.
LEVEL_NAMES = ("intern", "junior", "mid", "senior", "lead", "director")
_LEVELS = {
    "intern": 0,
    "internship": 0,
    "entry": 1,
    "entry level": 1,
    "junior": 1,
    "associate": 1,
    "mid": 2,
    "mid-senior level": 3,
    "senior": 3,
    "lead": 4,
    "staff": 4,
    "principal": 4,
    "manager": 4,
    "director": 5,
    "executive": 5,
}


def level_of_title(title: str) -> int | None:
    """The seniority a title states ("Sr. Data Engineer" -> 3), or None when it states none."""
    named = detect_seniority(title)
    return _LEVELS[named] if named else None


def job_level(title: str, seniority: str | None, years: YearsAsked | None) -> int | None:
    """A posting's level from its seniority field, else its title, else the years it asks."""
    if seniority and seniority.strip().lower() in _LEVELS:
        return _LEVELS[seniority.strip().lower()]
    level = level_of_title(title)
    if level is not None:
        return level
    if years is not None:
        return level_from_years(years.minimum)
    return None


def level_from_years(years: float) -> int:
    return 1 if years < 2 else 2 if years < 5 else 3 if years < 8 else 4
