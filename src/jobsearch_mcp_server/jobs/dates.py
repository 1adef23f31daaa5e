"""Posting dates as boards write them -> `date`.

Absolute forms: ISO dates and datetimes, unix timestamps (seconds or milliseconds), RFC 2822, "March 3,
2026", "3 Mar 2026", "2026年3月16日", "11月20日". Relative forms, counted back from `now`: "3 days ago",
"30+ days ago", "just posted", "today", "yesterday", "2 weeks ago", "1 month ago", "刚刚", "今天", "昨天",
"3天前", "2周前", "1个月前". Anything else is None: an unknown date is better than a wrong one.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

_UNIT_DAYS = {"minute": 0, "hour": 0, "day": 1, "week": 7, "month": 30, "year": 365}
_UNIT_ALIASES = {
    "min": "minute",
    "mins": "minute",
    "minute": "minute",
    "minutes": "minute",
    "m": "minute",
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "hour": "hour",
    "hours": "hour",
    "d": "day",
    "day": "day",
    "days": "day",
    "w": "week",
    "wk": "week",
    "wks": "week",
    "week": "week",
    "weeks": "week",
    "mo": "month",
    "mos": "month",
    "month": "month",
    "months": "month",
    "y": "year",
    "yr": "year",
    "yrs": "year",
    "year": "year",
    "years": "year",
    "分钟": "minute",
    "小时": "hour",
    "天": "day",
    "日": "day",
    "周": "week",
    "星期": "week",
    "个月": "month",
    "月": "month",
    "年": "year",
}
_RELATIVE = re.compile(
    r"(?P<count>\d+|an?|one)\s*\+?\s*(?P<unit>minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mos?|years?"
    r"|yrs?|[hdwmy])\b\+?\s*ago",
    re.IGNORECASE,
)
_RELATIVE_ZH = re.compile(r"(?P<count>\d+)\s*(?P<unit>分钟|小时|天|日|周|星期|个月|月|年)\s*前")
_TODAY = re.compile(
    r"just\s+(now|posted)|\btoday\b|moments?\s+ago|刚刚|今天|今日|\d+\s*(分钟|小时)前", re.IGNORECASE
)
_YESTERDAY = re.compile(r"\byesterday\b|昨天|昨日", re.IGNORECASE)
_DAY_BEFORE = re.compile(r"前天")
_CHINESE_DATE = re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]")
_NUMERIC_DATE = re.compile(r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAME = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_MONTH_FIRST = re.compile(
    _MONTH_NAME + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?\b", re.IGNORECASE
)
_DAY_FIRST = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_NAME + r"(?:,?\s+(?P<year>\d{4}))?\b", re.IGNORECASE
)


def parse_posted(value: str | float | date | None, *, now: datetime | date | None = None) -> date | None:
    """The date a job was posted, from what the board shows; None when it cannot be told."""
    today = _as_date(now) if now is not None else datetime.now(UTC).date()
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return _from_timestamp(float(value))
    text = " ".join(str(value).split())
    if not text:
        return None
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return _from_timestamp(float(text))
    return _absolute(text, today) or _relative(text, today)


def _as_date(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _from_timestamp(seconds: float) -> date | None:
    if seconds > 1e11:  # milliseconds, as JavaScript APIs send them
        seconds /= 1000
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


def _absolute(text: str, today: date) -> date | None:
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    if numeric := _NUMERIC_DATE.search(text):
        return _safe_date(int(numeric["year"]), int(numeric["month"]), int(numeric["day"]))
    if chinese := _CHINESE_DATE.search(text):
        return _dated(chinese["year"], int(chinese["month"]), int(chinese["day"]), today)
    if "," in text and ":" in text:
        try:
            return parsedate_to_datetime(text).date()
        except (TypeError, ValueError, IndexError):
            pass
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        if named := pattern.search(text):
            return _dated(named["year"], _MONTHS[named["month"].lower()], int(named["day"]), today)
    return None


def _dated(year: str | None, month: int, day: int, today: date) -> date | None:
    """A date whose year may be missing ("11月20日", "Mar 3"): this year, or last year if that is in the future."""
    if year:
        return _safe_date(int(year), month, day)
    candidate = _safe_date(today.year, month, day)
    if candidate and candidate > today:
        candidate = _safe_date(today.year - 1, month, day)
    return candidate


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _relative(text: str, today: date) -> date | None:
    if _TODAY.search(text):
        return today
    if _YESTERDAY.search(text):
        return today - timedelta(days=1)
    if _DAY_BEFORE.search(text):
        return today - timedelta(days=2)
    match = _RELATIVE.search(text) or _RELATIVE_ZH.search(text)
    if not match:
        return None
    raw_count = match["count"].lower()
    count = 1 if raw_count in {"a", "an", "one"} else int(raw_count)
    unit = _UNIT_ALIASES[match["unit"].lower()]
    return today - timedelta(days=count * _UNIT_DAYS[unit])
