"""Work experience and education entries: anchored on the date ranges in those sections, with title,
company, school, degree and field read from the lines around each range."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import DateRange, find_ranges, find_single_dates, parse_year_month, total_years
from .models import Education, Evidence, Experience
from .places import find_place, is_city
from .profile import CITY_REGION, TITLE_WORDS
from .sections import Section

# Legal-form suffixes make a part a company even when it also has a title word ("Lead Generation Ltd").
LEGAL_FORM_WORDS = r"inc|llc|llp|ltd|limited|corp|corporation|gmbh|plc|pvt"
LEGAL_FORM = re.compile(rf"\b(?:{LEGAL_FORM_WORDS})\b\.?|有限|公司|集团", re.IGNORECASE)
COMPANY_WORDS = re.compile(
    rf"\b(?:{LEGAL_FORM_WORDS}|company|co|group|technologies|technology|tech|solutions|systems|services|"
    r"software|bank|labs?|private|consulting|consultancy|partners|agency|hospital|clinic|foundation|court|"
    r"enterprises?|industries|studio|media|networks|global|international)\b\.?|"
    r"公司|集团|科技|银行|医院|事务所|工作室|研究院|研究所|网络|信息",
    re.IGNORECASE,
)
SCHOOL_WORDS = re.compile(
    r"univers\w*|hochschule|école|ecole|college|institute|school|academy|polytechnic|universität|大学|学院|学校|中学",
    re.IGNORECASE,
)
DEGREE = re.compile(
    r"(?<![A-Za-z])(?:ph\.?\s?d|doctor(?:ate)?(?: of [a-z]+)?|m\.?b\.?a|master(?:'s)?(?: of [a-z]+| degree)?|"
    r"m\.?\s?sc?|m\.?\s?tech|m\.?\s?eng|m\.?e|m\.?a|mca|bachelor(?:'s)?(?: of [a-z]+| degree)?|b\.?\s?sc?|"
    r"b\.?\s?tech|b\.?\s?eng|b\.?e|b\.?a|b\.?\s?com|bba|bca|ll\.?\s?b|ll\.?\s?m|associate(?:'s)? degree|"
    # a capital may follow: a PDF text layer glues the school on ("M. TechIndian Institute of Technology")
    r"post graduate diploma|pgdm|diploma|hsc|ssc|high school|higher secondary|meng|beng)\.?(?-i:(?![a-z]))|"
    r"博士|硕士|研究生|本科|学士|大专|专科|高中",
    re.IGNORECASE,
)
FIELD_AFTER = re.compile(
    r"^\s*(?:in|of|\(|,|-|–)?\s*(?P<field>[A-Z][A-Za-z&/ ]{2,60}?)(?=\s*(?:[,(|\n]|$| - | – |\d))"
)
FIELD_LABEL = re.compile(r"(?:专业|major|field of study)\s*[:：]\s*(?P<field>[^\n,|，]{2,40})", re.IGNORECASE)
LABELLED = re.compile(
    r"^\s*(?P<label>company|employer|organization|organisation|designation|title|role|position|公司|职位|岗位)"
    r"\s*[-:：]\s*(?P<value>.+?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
STRONG_SEPARATORS = re.compile(r"\s*\|\s*|\s+[-–—]\s+|\t|\s{2,}|·")
WEAK_SEPARATORS = re.compile(r",\s+| at | @ |：")
SEPARATORS = re.compile(f"{STRONG_SEPARATORS.pattern}|{WEAK_SEPARATORS.pattern}")
URL_IN_PARENS = re.compile(r"\(?\s*(?:https?://|www\.)\S+?\s*\)?(?=\s|$)")
CJK_TITLE_THEN_COMPANY = re.compile(
    r"^(?P<title>.*?(?:工程师|经理|实习生|分析师|总监|主管|专员|设计师|架构师|顾问|助理|负责人|开发者|程序员))\s*(?P<company>\S.*)$"
)
MAX_HIGHLIGHTS = 8
# A bullet that ends like this goes on on the next line ("- Runs 14 clusters with\nTerraform and Ansible").
WRAPPED_END = re.compile(r"(?:,|\b(?:and|or|of|the|to|for|in|on|a|an|by|from|at|with|that|as))$")


@dataclass
class _Header:
    title: str | None = None
    company: str | None = None
    location: str | None = None


LABEL_PREFIX = re.compile(
    r"^\s*(?:company|employer|description|designation|title|role|position|duration|公司|职位|岗位)\s*[-:：]\s*",
    re.IGNORECASE,
)


def _clean_part(part: str) -> str:
    return LABEL_PREFIX.sub("", URL_IN_PARENS.sub("", part)).strip(" -–—|,:*#•()[]").strip()


def _split_header(header: str) -> _Header:
    """Title, company and location out of an entry's heading line(s)."""
    result = _Header()
    parts: list[str] = []
    for chunk in STRONG_SEPARATORS.split(URL_IN_PARENS.sub(" ", LABEL_PREFIX.sub("", header))):
        chunk = re.sub(r"\s+,", ",", _clean_part(chunk))
        if (
            result.location is None
            and not (TITLE_WORDS.search(chunk) or COMPANY_WORDS.search(chunk))
            and find_place(chunk)
        ):
            result.location = chunk
            continue
        if result.location is None:
            # a place the layout set next to a title or employer with one space ("Data Engineer Hoboken, NJ")
            chunk, result.location = _trailing_place(chunk)
        for part in WEAK_SEPARATORS.split(chunk):
            part = _clean_part(part)
            chinese = CJK_TITLE_THEN_COMPANY.match(part)
            parts += [chinese.group("title"), chinese.group("company")] if chinese else [part]
    parts = [p for p in parts if p and len(p) <= 80 and re.search(r"[^\W\d_]", p)]
    titles = [p for p in parts if TITLE_WORDS.search(p) and not LEGAL_FORM.search(p)]
    # "Bellecour Audit Partners" has a title word too; a part with only title words is the title
    titles = [p for p in titles if not COMPANY_WORDS.search(p)] or titles
    companies = [p for p in parts if COMPANY_WORDS.search(p) and p not in titles]
    result.title = titles[0] if titles else None
    result.company = companies[0] if companies else None
    rest = [p for p in parts if p not in (result.title, result.company)]
    if result.title is None and rest:
        result.title = rest.pop(0)
    if result.company is None and rest:
        result.company = rest.pop(0)
    return result


def _trailing_place(chunk: str) -> tuple[str, str | None]:
    pieces = chunk.split(", ")
    for size in range(len(pieces) - 1, 0, -1):  # whole comma pieces first ("Merlion Bank, Singapore")
        tail = ", ".join(pieces[-size:])
        if find_place(tail):
            return ", ".join(pieces[:-size]), tail
    words = chunk.split(" ")
    for size in range(min(4, len(words) - 1), 0, -1):
        tail = " ".join(words[-size:])
        if is_city(tail.split(",")[0]) and find_place(tail):
            return " ".join(words[:-size]).rstrip(" ,"), tail
    return chunk, None


def _line_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end == -1 else end


def _is_bullet(line: str) -> bool:
    stripped = line.lstrip()
    return bool(stripped) and stripped[0] in "-*•" and len(stripped.strip("-*• ")) > 0


@dataclass
class _Block:
    """One entry's lines: heading lines (title, employer, place, dates, in any order) and its bullets."""

    start: int
    end: int
    heading: list[str]
    highlights: list[str]
    dates: DateRange | None = None
    date_line: int = 0  # which heading line held the dates
    bare_dates: bool = False  # that line held nothing but the dates (and a place): the heading is complete


def _bare(rest: str) -> bool:
    """Nothing but separators, or a place, is left of a line once its dates are taken out."""
    rest = rest.strip(" |,.;-–—·\t")
    return not re.search(r"[^\W\d_]", rest) or bool(find_place(rest) or CITY_REGION.fullmatch(rest))


def _prose(line: str) -> bool:
    stripped = line.strip()
    return (
        not _is_bullet(line)
        and not find_ranges(line)
        and (
            len(stripped) > 90
            or stripped.endswith((":", "：", "。"))
            or (len(stripped) > 60 and stripped.endswith("."))
        )
    )


def _heading_item(line: str, following: list[tuple[int, str]], current: _Block | None) -> bool:
    """A list item that is an entry's heading (Markdown and pandoc resumes: "- Director, Company 1"
    over a line of dates, or with its dates on it), not a highlight of the entry before."""
    if current is not None and (current.dates is None or current.highlights):
        return False
    if find_ranges(line):
        return True
    after = next((rest for _start, rest in following if rest.strip()), "")
    ranges = find_ranges(after)
    return (
        bool(ranges)
        and not _is_bullet(after)
        and _bare(after[: ranges[0].span[0]] + after[ranges[0].span[1] :])
    )


def _blocks(text: str, start: int, end: int) -> list[_Block]:
    """The section cut into entries, whatever the layout puts first. An entry ends when its dates are
    known and then a bullet list ended, a new date range comes, or (dates below the heading: rendercv's
    classic theme) the dates closed the heading."""
    blocks: list[_Block] = []
    current: _Block | None = None
    bulleted = False
    lines = []
    position = start
    for line in text[start:end].split("\n"):
        lines.append((position, line))
        position += len(line) + 1
    index = 0
    while index < len(lines):
        line_start, line = lines[index]
        index += 1
        if not line.strip():
            continue
        if (
            bulleted
            and current is not None
            and (re.match(r"\s*[a-z(0-9]", line) or WRAPPED_END.search(current.highlights[-1]))
            and not find_ranges(line)
            and not find_place(line.strip())
        ):
            # a wrapped bullet ("- Built Airflow pipelines that load claims\ndata every hour")
            current.highlights[-1:] = [f"{current.highlights[-1]} {line.strip()}"[:300]]
            current.end = line_start + len(line)
            continue
        if not find_ranges(line) and index < len(lines) and re.search(r"[A-Za-z]{3}\.?$|[-–—~]\s*$", line):
            # a date range the layout wrapped ("Jun 2017 – Feb\n2021")
            joined = find_ranges(text, line_start, lines[index][0] + len(lines[index][1]))
            if joined and joined[0].span[0] < lines[index][0] < joined[0].span[1]:
                line = line + " " + lines[index][1]
                index += 1
        if _is_bullet(line) and _heading_item(line, lines[index:], current):
            line = line.lstrip().lstrip("-*• ")
        elif _prose(line):
            continue  # a sentence about the job ("在「支付宝技术部」下主要负责…，主要内容如下:"), no heading
        if _is_bullet(line):
            if current is not None:
                bulleted = True
                if len(current.highlights) < MAX_HIGHLIGHTS:
                    current.highlights.append(line.strip().lstrip("-*• ").strip()[:300])
                current.end = line_start + len(line)
            continue
        ranges = find_ranges(line)
        closed = (
            current is not None
            and current.dates is not None
            and (bulleted or ranges or current.date_line >= 2 or (current.date_line and current.bare_dates))
        )
        if current is None or closed:
            current = _Block(line_start, line_start + len(line), [], [])
            blocks.append(current)
            bulleted = False
        elif bulleted:  # the place and dates below the bullets (rendercv's classic theme)
            bulleted = False
        if ranges and current.dates is None:
            current.dates = ranges[0]
            current.date_line = len(current.heading)
            line = line[: ranges[0].span[0]] + "  " + line[ranges[0].span[1] :]
            current.bare_dates = _bare(line)
        current.heading.append(line)
        current.end = line_start + len(line)
    return [block for block in blocks if block.dates is not None]


def _experience_of(block: _Block) -> Experience:
    parts = _split_header(" | ".join(h for h in block.heading if h.strip(" |")))
    found = block.dates
    return Experience(
        title=parts.title,
        company=parts.company,
        location=parts.location,
        start=str(found.start),
        end=found.end_text,
        duration_months=found.months(),
        highlights=block.highlights,
        evidence=Evidence(start=block.start, end=block.end),
    )


def find_experience(text: str, sections: list[Section]) -> list[Experience]:
    """The entries of the experience sections."""
    entries: list[Experience] = []
    for section in (s for s in sections if s.name == "experience"):
        dated = [_experience_of(block) for block in _blocks(text, section.body_start, section.end)]
        entries += dated
        entries += _labelled_entries(text, section, covered=[e.evidence for e in dated if e.evidence])
    unique: dict[tuple, Experience] = {}
    for entry in entries:
        unique.setdefault((entry.title, entry.company, entry.start, entry.end), entry)
    return list(unique.values())


def experience_years(entries: list[Experience]) -> float | None:
    """Total years of the dated entries, overlapping periods counted once."""
    periods = []
    for entry in entries:
        start = parse_year_month(entry.start)
        if start:
            periods.append((start, None if entry.end == "present" else parse_year_month(entry.end) or start))
    return total_years(periods)


def _labelled_entries(text: str, section: Section, covered: list[Evidence]) -> list[Experience]:
    """Entries written as "company - Acme Corp" lines (exports of job-site profiles)."""
    entries = []
    for match in LABELLED.finditer(text, section.body_start, section.end):
        if match.group("label").lower() not in (
            "company",
            "employer",
            "organization",
            "organisation",
            "公司",
        ):
            continue
        if any(e.start <= match.start() < e.end for e in covered):
            continue
        company = match.group("value").strip(" .")
        if not company or not re.search(r"[^\W\d_]", company):
            continue
        title = None
        for line in re.finditer(
            rf"^(?P<title>[^\n]{{2,60}}?)\s+-\s+{re.escape(company)}\s*$", text, re.MULTILINE
        ):
            if not LABELLED.match(line.group()):
                title = line.group("title").strip()
                break
        entries.append(
            Experience(title=title, company=company, evidence=Evidence(start=match.start(), end=match.end()))
        )
    return entries


def find_education(text: str, sections: list[Section]) -> list[Education]:
    entries: list[Education] = []
    for section in (s for s in sections if s.name == "education"):
        current: Education | None = None
        position = section.body_start
        for line in text[section.body_start : section.end].split("\n"):
            start, end = position, position + len(line)
            position = end + 1
            if not line.strip():
                continue
            degree = DEGREE.search(line)
            school = _school(line)
            if current is None or (degree and current.degree) or (school and current.school and not degree):
                if not (degree or school):
                    continue
                current = Education(evidence=Evidence(start=start, end=end))
                entries.append(current)
            _fill_education(current, text, line, start, end, degree, school)
    return entries


def _school(line: str) -> str | None:
    """The school named on a line, without the degree or dates the layout set beside it ("B.S. Rutgers
    University", "May 2017Rutgers University")."""
    bare = URL_IN_PARENS.sub(" ", line)
    for match in [*find_ranges(bare), *(DateRange(d, None, span) for d, span in find_single_dates(bare))]:
        bare = bare[: match.span[0]] + " " * (match.span[1] - match.span[0]) + bare[match.span[1] :]
    if not re.search(r"[\u4e00-\u9fff]", bare):
        bare = DEGREE.sub(lambda m: "  " + " " * len(m.group()), bare)
    for part in _school_parts(STRONG_SEPARATORS.split(bare)):
        cleaned = _clean_part(part)
        if SCHOOL_WORDS.search(cleaned):
            chinese = re.search(r"[\u4e00-\u9fff]*(?:大学|学院|学校|中学)", cleaned)
            return chinese.group() if chinese else cleaned
    return None


def _school_parts(chunks: list[str]) -> list[str]:
    """The comma-separated parts of a line; a place after a school's comma stays with it ("University of
    California, Berkeley"), a field after it does not ("Rutgers University, Computer Science")."""
    parts: list[str] = []
    for chunk in chunks:
        for piece in chunk.split(","):
            if parts and SCHOOL_WORDS.search(parts[-1]) and piece.strip() and is_city(piece.strip()):
                parts[-1] = f"{parts[-1].rstrip()}, {piece.strip()}"
            else:
                parts.append(piece)
    return parts


def _fill_education(entry: Education, text: str, line: str, start: int, end: int, degree, school) -> None:
    if degree and not entry.degree:
        entry.degree = degree.group().strip()
        after = FIELD_AFTER.match(line[degree.end() :])
        if after and not SCHOOL_WORDS.search(after.group("field")):
            entry.field = re.sub(r"^(?:in|of)\s+", "", after.group("field").strip(), flags=re.IGNORECASE)
    if school and not entry.school:
        entry.school = school
    labelled = FIELD_LABEL.search(line)
    if labelled and not entry.field:
        entry.field = labelled.group("field").strip()
    if entry.school and entry.degree and not entry.field and re.search(r"[\u4e00-\u9fff]", line):
        # "浙江传媒学院 电子信息工程 本科": the field sits between school and degree
        bare = URL_IN_PARENS.sub(" ", line)
        between = bare.split(entry.school, 1)[-1].split(entry.degree, 1)[0].strip(" |,，")
        if 2 <= len(between) <= 20 and not re.search(r"\d", between):
            entry.field = between
    ranges = find_ranges(text, start, end)
    if ranges and not entry.start:
        entry.start, entry.end = str(ranges[0].start), ranges[0].end_text
    elif not ranges and not entry.end:
        singles = find_single_dates(text, start, end)
        if singles:
            entry.end = str(singles[-1][0])
    if entry.evidence:
        entry.evidence = Evidence(start=min(entry.evidence.start, start), end=max(entry.evidence.end, end))
