"""Reading a job posting the way a recruiter does: which part lists what is required, which part what
is merely nice to have, how many years are asked, and how senior the role is.

Postings mark their parts with headings ("Requirements", "Preferred qualifications", "Bonus points",
"任职要求", "加分项", "Ihr Profil") or inline ("... is a plus", "优先"), and mix in text about the
employer (mission, customers, partners, benefits, equal-opportunity notices) that says nothing about what
the job asks. Everything here is plain regular expressions over the text, so it runs on 100,000 postings
and explains itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ..jobs.text import detect_seniority


class Section(StrEnum):
    REQUIRED = "required"  # requirements, qualifications, "what you bring"
    NICE = "nice"  # nice to have, preferred, bonus
    DUTIES = "duties"  # responsibilities, "what you'll do": the job's own work, so its skills count as asked
    ABOUT = "about"  # the company, its customers and partners, benefits, culture, legal and EEO text
    OTHER = "other"  # not marked either way (a posting without headings, an intro)


# The job's own parts: skills named there are what the job asks for.
JOB_PARTS = frozenset({Section.REQUIRED, Section.NICE, Section.DUTIES, Section.OTHER})

# Heading labels, tried in this order (the first kind that matches wins): "Preferred qualifications" is not
# a requirement, "About you" is not about the company, "About the role" is the job.
_HEADING_KINDS: tuple[tuple[Section, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            Section.NICE,
            (
                r"nice[\s-]+to[\s-]+haves?|preferred|bonus|desired|desirable|pluses|\bplus\b|extra credit|"
                r"would be (great|nice)|good to have|not required|optional|"
                r"wünschenswert|von vorteil|pluspunkte|idealerweise|"
                r"加分|优先|更好"
            ),
        ),
        (
            Section.REQUIRED,
            (
                r"about you|who you are|your profile|your background|your skills|you (have|bring|are|should|need)|"
                r"what (you|we)('ll| will)? ?(need|bring|look|expect|require)|ideal candidate|"
                r"what (we('re| are)|are we) looking for|we('re| are) looking for|looking for|who are you|"
                r"requirements?|required|"
                r"qualifications?|must[\s-]+haves?|\bmust\b|skills|experience|competenc|education|certification|"
                r"knowledge|abilities|talents needed|attributes|"
                r"anforderungen|profil|qualifikation|voraussetzung|(du|sie) mitbring|bringst du mit|bringen sie mit|"
                r"kenntnisse|任职|岗位要求|职位要求|技能要求|任职资格|资格|要求|条件|希望招募|我们希望"
            ),
        ),
        (
            Section.DUTIES,
            (
                r"about (the|this) (role|job|position|opportunity)|the (role|job|position|opportunity)|"
                r"responsibilit|what (you('ll| will)|will you)( be)? (do|doing|work|own|achieve)|duties|day[\s-]to[\s-]day|"
                r"in this (role|position)|your (mission|role|impact|tasks|day)|job (functions|purpose|summary)|"
                r"position (purpose|summary)|primary focus|key (tasks|accountabilities)|you will|you'll|"
                r"aufgaben|tätigkeit|deine mission|das erwartet dich|was dich erwartet|"
                r"职责|工作内容|职位描述|岗位描述|工作描述"
            ),
        ),
        (
            Section.ABOUT,
            (
                r"about|who (we are|is)|what does .* do|^why\b|our (mission|story|values|culture|company|benefits)|"
                r"\bus\b|benefits|perks|we offer|what we offer|offer you|compensation|salary|pay range|pay |"
                r"equal (employment )?opportunit|\beeo\b|diversity|inclusion|how to apply|apply|next steps|"
                r"the details|additional information|more information|location|schedule|status|department|"
                r"privacy|legal|disclaimer|share our passion|where .* happens|join (us|the)|life at|"
                r"über uns|wir bieten|was wir bieten|unser angebot|das bieten wir|warum|"
                r"公司介绍|公司简介|关于我们|福利|待遇|我们提供|公司福利|工作地点|工作时间"
            ),
        ),
    )
)

# Headings: "## Requirements", "**Bonus points**", "Nice to have:", "Preferred Qualifications: SQL, ..."
# (a label opening a line), a short Title Case / CJK line ("What You'll Bring", "岗位职责"), a short question
# ("Why Blueprint?"), or a lead-in sentence ending with a colon ("To get hired here, you MUST be:").
_MARKED_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*(?P<hash>[^\n]{2,80}?)|\*\*(?P<bold>[^*\n]{2,80}?)[:：]?\*\*[:：]?)\s*$"
)
_LABEL = re.compile(r"^\s*(?:\*\*)?(?P<label>[^\n:：*•\-–]{2,50}?)(?:\*\*)?\s*[:：]")
_FIELD = re.compile(r"^\s*(?:\*\*)?[A-Za-z][^\n:：*]{1,40}?(?:\*\*)?\s*:\s*(?:\*\*)?\s*\S")
_LEAD_IN = re.compile(r"^\s*(?P<label>[^\n:：•*]{2,120}?)\s*[:：]\s*$")
_PLAIN_HEADING = re.compile(r"^\s*(?P<label>[^\n.!?。:：•*\-–]{2,50}?)\s*(?P<question>\?)?\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# "岗位职责：1、运用php..." (a BOSS直聘 description runs its parts together on one line)
_CJK_INLINE_HEADING = re.compile(
    r"(?P<label>任职要求|任职资格|岗位要求|职位要求|技能要求|岗位职责|工作职责|工作内容|职位描述|岗位描述|"
    r"加分项|公司介绍|公司简介|福利待遇|我们希望招募的[^：:，。]{0,12})(?:[：:]|(?=\d))"
)


def _heading_label(line: str) -> str | None:
    """The label when `line` is a heading, else None. Bullets and sentences are not headings."""
    inline = _CJK_INLINE_HEADING.match(line.lstrip())
    if inline:
        return inline.group("label")
    marked = _MARKED_HEADING.match(line)
    if marked:
        return marked.group("hash") or marked.group("bold")
    labelled = _LABEL.match(line)
    if labelled and len(labelled.group("label").split()) <= 5:
        return labelled.group("label")
    lead_in = _LEAD_IN.match(line)
    if lead_in and len(lead_in.group("label").split()) <= 14:
        return lead_in.group("label")
    plain = _PLAIN_HEADING.match(line)
    if plain:
        label = plain.group("label")
        words = label.split()
        if _CJK.search(label):
            return label if len(label) <= 12 else None
        if plain.group("question"):
            return label if len(words) <= 6 else None
        title_case = all(w[0].isupper() or len(w) < 4 or not w[0].isalpha() for w in words)
        if len(words) <= 4 and (title_case or _heading_kind(label) is not None):  # "Wir bieten"
            return label
    return None


_INLINE_NICE = re.compile(
    r"\b(a\s+(big\s+|huge\s+|strong\s+|definite\s+)?plus|preferred|nice[\s-]+to[\s-]+have|bonus|desirable|"
    r"advantage(ous)?|is helpful|(is )?also helpful|ideally|beneficial|strongly preferred|optional|"
    r"von vorteil|wünschenswert)\b|优先|加分",
    re.IGNORECASE,
)

# A paragraph about the employer rather than the job: what the company is and does, who its customers
# and partners are, what it offers, its values, its legal notices. Each cue counts once.
_ABOUT_CUES = re.compile(
    r"\b(we('re| are) (a|an|the|proud|committed|building|on a mission|an equal|part of|growing|redefining)|"
    r"we (build|make|sell|design|develop|provide) \w+ (software|tools|apps?|products?|platforms?) for|"
    r"is (a|an|the) (leading|fast[\s-]growing|global|premier|trusted|largest|tech[\s-]enabled|technology|"
    r"b2b|family|remote|community)|is (the )?(world'?s )?(largest|leading|first)|founded (in|by)|"
    r"headquartered|offices in|(a|the) leader in|our (mission|vision|values|culture|customers|clients|employees|people|"
    r"platform|products|technology|solutions|portfolio|partners|story|founders|team members|community)|"
    r"you will|you'll|(mission|vision) is|parent company|subsidiar|backed by|investors|series [a-d]|raised|profitable|"
    r"fortune (10|100|500)|inc\. 5000|award|partner of the year|gold partner|"
    r"customers (have|include|use)|clients (include|such as)|trusted by|serves? (approximately|over|more)|"
    r"equal (employment )?opportunity|affirmative action|without regard|regardless of|discriminat|"
    r"race,? (color|religion)|sexual orientation|veteran status|disability status|fair chance|"
    r"benefits (include|package)|we offer|offers? (a |full |competitive )|401\(?k\)?|dental|"
    r"paid (time off|holidays|vacation|sick)|pto\b|health insurance|parental leave|equity|stock options|"
    r"perks|free (lunch|gym|snacks)|wellness|work[\s-]life|flexible (work|hours|schedule)|"
    r"compensation (package|range)|salary range|pay range|base salary|commission|"
    r"privacy (notice|policy)|recruitment process|personal information|e-?verify|"
    r"please (mention|visit|apply|send)|apply (today|now|on-?line)|learn more|visit (us|our)|"
    r"connect with us|follow us|join (our|a) (team|family|community)|come (join|do)|you('ll)? join)",
)
# A sentence that hires: it belongs to the job even in a paragraph about the company.
_HIRING = (
    r"\b(we('re| are)( actively)? (looking|seeking|hiring) for|is (looking|seeking|hiring) (for )?an?|"
    r"the (ideal )?candidate will|responsibilities include)"
)
_HIRING_CUE = re.compile(_HIRING)
_JOB_CUES = re.compile(
    r"\b(experience (in|with|of|working|using)|\d+\+? years|years of|knowledge of|understanding of|"
    r"ability to|proficien|familiar|expertise (in|with)|degree|bachelor|master'?s|phd|"
    r"responsible for|you will (be )?(work|build|design|develop|lead|manage|own|support|analy[sz]e|"
    r"create|perform|drive|partner|collaborate|help|conduct|review|maintain)|"
    r"required|requirements?|must (have|be)|should have|strong (background|knowledge|skills)|"
    r"skills? in|background in|you have a (proven )?track record|"
    r"the (ideal )?candidate|this (role|position) (will|requires|is)|"
    r"as an? \w+ (you|the)|candidates? (will|should|must))|" + _HIRING,
)
# Legal, pay and benefits text: never what the job asks, so one such cue outweighs a demand.
_LEGAL_CUES = re.compile(
    r"\b(equal (employment )?opportunity|affirmative action|without regard|discriminat|sexual orientation|"
    r"veteran status|disability status|fair chance|e-?verify|privacy (notice|policy)|salary range|pay range|"
    r"compensation (package|range)|benefits (include|package)|401\(?k\)?|paid time off)",
)
_CJK_ABOUT = re.compile(
    r"公司(成立|创立|是|致力|专注|位于|总部)|成立于|我们是|五险一金|带薪|年终奖|员工旅游|福利"
)
_CJK_JOB = re.compile(r"负责|熟悉|熟练|精通|掌握|具备|经验|能力|要求|学历|本科|专业")


def _employer_talk(text: str) -> tuple[int, int]:
    """How many distinct cues of the employer talking about itself, and of a job's demands, `text` has."""
    lower = text.lower()  # the cue patterns are lower case: sre scans several times faster without IGNORECASE
    about = len(set(_ABOUT_CUES.findall(lower))) + 2 * len(set(_LEGAL_CUES.findall(lower)))
    job = len(set(_JOB_CUES.findall(lower)))
    if _CJK.search(text):
        about += len(set(_CJK_ABOUT.findall(text)))
        job += len(set(_CJK_JOB.findall(text)))
    return about, job


def _heading_kind(label: str) -> Section | None:
    for kind, pattern in _HEADING_KINDS:
        if pattern.search(label):
            return kind
    return None


@dataclass(frozen=True)
class Part:
    start: int
    end: int
    kind: Section


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) pairs; a line that runs several Chinese parts together is cut at each part's label."""
    lines: list[tuple[int, str]] = []
    position = 0
    for line in text.splitlines(keepends=True):
        cuts = [m.start() for m in _CJK_INLINE_HEADING.finditer(line) if m.start() > 0]
        for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True):
            lines.append((position + a, line[a:b]))
        position += len(line)
    return lines


# Chinese clauses end at "，" too: "熟悉面向对象编程，熟练ThinkPHP优先" prefers only ThinkPHP; but "有
# CSS，JS，ajax经验者优先" ("those with ... preferred") prefers the whole item (see `split_sections`).
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z\"'(])|(?<=[。！？；，])(?=.)")
_CJK_ITEM_START = re.compile(r"^\s*\d+\s*[、.．]")
_CJK_ITEM_END = re.compile(r"[。！？；]\s*$")
_CJK_WHOLE_ITEM_NICE = re.compile(r"者优先|者更佳|者加分")


def _sentences(offset: int, line: str) -> list[tuple[int, str]]:
    """A line cut into its sentences, as (offset, sentence); the last keeps the line's end."""
    cuts = [m.end() for m in _SENTENCE_END.finditer(line) if 0 < m.end() < len(line.rstrip())]
    return [(offset + a, line[a:b]) for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]


def _paragraphs(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Runs of lines between blank lines and headings (a heading is a paragraph of its own)."""
    paragraphs: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for offset, line in lines:
        if not line.strip() or _heading_label(line) is not None:
            if current:
                paragraphs.append(current)
            current = []
            if line.strip():
                paragraphs.append([(offset, line)])
            continue
        current.append((offset, line))
    if current:
        paragraphs.append(current)
    return paragraphs


def split_sections(text: str) -> list[Part]:
    """The posting cut into parts by its headings, each part marked required / nice / duties / about /
    other.

    A heading of an unknown kind keeps the part it is in (sub-headings such as "Certification:" inside
    the qualifications). Lines of the job's parts that say "a plus", "preferred", "优先" ... count as
    nice-to-have. Outside any heading, a sentence that reads as the employer talking about itself
    (mission, customers, partners, benefits, equal-opportunity text) is ABOUT, and so are the sentences
    after it in the same paragraph that say nothing either way; under a job heading only a sentence with
    two such cues and no demand is (the EEO sentence closing the requirements); under an employer
    heading, a sentence that hires ("we are looking for ...") with more demands than employer cues is the
    job's.
    """
    units: list[list] = []  # [start, end, kind], then merged into parts
    current = Section.OTHER
    item_start = 0  # the first unit of the current numbered Chinese item ("2、...；")
    for paragraph in _paragraphs(_lines(text)):
        label = _heading_label(paragraph[0][1]) if len(paragraph) == 1 else None
        kind = _heading_kind(label) if label else None
        if label and kind is None and paragraph[0][1].rstrip(" *\n").endswith("?"):
            kind = Section.ABOUT  # "How does Amazon fit in?", "Who is Blueprint?": the employer's questions
        field = kind is Section.ABOUT and _FIELD.match(paragraph[0][1]) is not None
        if field:  # "Location: Tampa, FL", "Status: Full time": a fact about the posting, not a part of it
            start, row = paragraph[0]
            units.append([start, start + len(row), Section.ABOUT])
            continue
        if kind is not None:
            current = kind
        blurb = False  # the previous sentence of this paragraph was the employer's
        for offset, line in (unit for start, row in paragraph for unit in _sentences(start, row)):
            if _CJK_ITEM_START.match(line):
                item_start = len(units)  # a new numbered item begins with this clause
            line_kind = current
            if kind is None:
                about, job = _employer_talk(line)
                if current is Section.ABOUT:
                    # "We are looking for a Data Scientist to ..." under a heading that was about the company
                    blurb = not (job > about and _HIRING_CUE.search(line.lower()))
                elif current is Section.OTHER:
                    blurb = about > job or (blurb and about == job == 0)
                else:
                    blurb = about >= 2 and job == 0
                line_kind = Section.ABOUT if blurb else Section.OTHER if current is Section.ABOUT else current
            if line_kind in (Section.REQUIRED, Section.DUTIES, Section.OTHER) and _INLINE_NICE.search(line):
                line_kind = Section.NICE
                if _CJK_WHOLE_ITEM_NICE.search(line):
                    for unit in units[item_start:]:
                        if unit[2] in (Section.REQUIRED, Section.DUTIES, Section.OTHER):
                            unit[2] = Section.NICE
            units.append([offset, offset + len(line), line_kind])
            if _CJK_ITEM_END.search(line):
                item_start = len(units)
    parts: list[Part] = []
    for start, end, kind in units:
        if parts and parts[-1].kind is kind and parts[-1].end == start:
            parts[-1] = Part(parts[-1].start, end, kind)
        else:
            parts.append(Part(start, end, kind))
    return parts


# "BS/MS in Math, Marketing, Econometrics or ...", "Bachelor's Degree in Medical Technology": the fields a
# degree may be in, not skills the job asks for.
_DEGREE_FIELDS = re.compile(
    r"(?:\bdegree|\bbachelor'?s?|\bbaccalaureate|\bmaster'?s?|\bph\.?\s?d\.?|\bdoctorate|\bmba|\bmajor(?:ing)?|"
    r"\b[BM]\.?[SA]c?\.?(?:\s*/\s*[BM]\.?[SA]c?\.?)*)"
    r"[^.\n;:]{0,12}?\s(?:in|of)\s(?P<fields>[^.\n;()]{1,160})",
    re.IGNORECASE,
)


def field_of_study_spans(text: str) -> list[tuple[int, int]]:
    """Where a posting names the subjects of a degree it asks for."""
    return [m.span("fields") for m in _DEGREE_FIELDS.finditer(text)]


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
