"""Dates and date ranges as resumes write them, in English and Chinese, and years of experience.

"Jan 2019 - Present", "June 2014 – Sep 2014", "05/2016 to 12/2018", "2013 - 2017", "2018/10 - 至今",
"2019.07 ~ 2021.03", "2019年7月-2021年3月", "May 2013 to May 2017". A year alone stands for January.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])(?!\d)"
_DATE = (
    rf"(?:(?P<{{p}}mname>{_MONTH_NAME})\s*[,']?\s*(?P<{{p}}year1>{_YEAR})"
    rf"|(?P<{{p}}year2>{_YEAR})\s*(?:[./\-]|年)\s*(?P<{{p}}mnum2>{_MONTH_NUMBER})(?:\s*月)?"
    rf"|(?<![\d/.])(?P<{{p}}mnum3>{_MONTH_NUMBER})\s*[./\-]\s*(?P<{{p}}year3>{_YEAR})"
    rf"|(?P<{{p}}year4>{_YEAR})(?:\s*年)?)(?!\d)"
)
_PRESENT = (
    r"(?P<present>pre(?:\s*-\s*|-\n)sent|present|current(?:ly)?|now|today|till\s+date|to\s+date|ongoing|date"
    r"|至今|今|现在|目前)"
)
_TO = r"\s*(?:-|–|—|~|～|to|until|till|至|到)\s*"
RANGE = re.compile(
    rf"(?<!\d){_DATE.format(p='s')}{_TO}(?:{_DATE.format(p='e')}|{_PRESENT}\b)",
    re.IGNORECASE,
)
SINGLE = re.compile(rf"(?<!\d){_DATE.format(p='s')}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class YearMonth:
    year: int
    month: int | None = None

    @property
    def index(self) -> int:
        """Months since year 0, for arithmetic; an unknown month counts as January."""
        return self.year * 12 + (self.month or 1) - 1

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"


@dataclass(frozen=True, slots=True)
class DateRange:
    start: YearMonth
    end: YearMonth | None  # None: up to now
    span: tuple[int, int]

    def months(self, today: date | None = None) -> int:
        return months_between(self.start, self.end, today)

    @property
    def end_text(self) -> str:
        return str(self.end) if self.end else "present"


def _date(match: re.Match[str], prefix: str) -> YearMonth | None:
    groups = match.groupdict()
    for year_key, month_key in (("year1", "mname"), ("year2", "mnum2"), ("year3", "mnum3"), ("year4", None)):
        year = groups.get(prefix + year_key)
        if year:
            raw = groups.get(prefix + month_key) if month_key else None
            if raw and not raw.isdigit():
                month = MONTHS[raw.lower()[:3]]
            else:
                month = int(raw) if raw else None
            return YearMonth(int(year), month)
    return None


def find_ranges(text: str, start: int = 0, end: int | None = None) -> list[DateRange]:
    """The date ranges in `text[start:end]` with spans in `text`, skipping backwards ones."""
    found = []
    for match in RANGE.finditer(text, start, len(text) if end is None else end):
        begin = _date(match, "s")
        finish = None if match.group("present") else _date(match, "e")
        if begin and (finish is None or finish.index >= begin.index):
            found.append(DateRange(begin, finish, match.span()))
    return found


def find_single_dates(
    text: str, start: int = 0, end: int | None = None
) -> list[tuple[YearMonth, tuple[int, int]]]:
    result = []
    for match in SINGLE.finditer(text, start, len(text) if end is None else end):
        when = _date(match, "s")
        if when:
            result.append((when, match.span()))
    return result


def parse_year_month(value: str | None) -> YearMonth | None:
    """ "2019-07" or "2019" (as `YearMonth` prints) back to a `YearMonth`; anything else is None."""
    match = re.fullmatch(r"\s*((?:19|20)\d\d)(?:[-/.](0?[1-9]|1[0-2]))?\s*", value or "")
    return YearMonth(int(match.group(1)), int(match.group(2)) if match.group(2) else None) if match else None


def months_between(start: YearMonth, end: YearMonth | None, today: date | None = None) -> int:
    today = today or date.today()
    finish = end.index if end else today.year * 12 + today.month - 1
    return max(0, finish - start.index)


def total_years(periods: list[tuple[YearMonth, YearMonth | None]], today: date | None = None) -> float | None:
    """Years covered by (start, end or None for now) periods, overlapping periods counted once."""
    today = today or date.today()
    now = today.year * 12 + today.month - 1
    spans = sorted((start.index, end.index if end else now) for start, end in periods)
    if not spans:
        return None
    months = 0
    current_start, current_end = spans[0]
    for begin, finish in spans[1:]:
        if begin <= current_end:
            current_end = max(current_end, finish)
        else:
            months += current_end - current_start
            current_start, current_end = begin, finish
    months += current_end - current_start
    return round(months / 12, 1)
