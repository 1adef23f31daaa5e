"""Salary text as boards write it -> `Salary` with a yearly figure, so pay compares across boards.

Covers the forms seen on real boards: "$120k–$150k a year", "$120,000 - $150,000", "€60.000–€75.000
brutto", "£45k", "$45 - $60 an hour", Glassdoor's "$17-$24 Per Hour(Glassdoor est.)", and the Chinese
boards' monthly ranges "15-25K·13薪", "1.5-2万/月", "8千-1.2万", "200-400元/天", "30万/年". "面议"
(negotiable) and amounts of 0 mean unknown.
"""

from __future__ import annotations

import math
import re

from .models import Salary, SalaryPeriod

PERIODS_PER_YEAR: dict[str, float] = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}

_NEGOTIABLE = re.compile(
    r"面议|面谈|negotiable|\bDOE\b|depending on experience|competitive salary|薪资保密", re.IGNORECASE
)

# Longest symbols first, so "US$" wins over "$" and "CN¥" over "¥".
# What CSV exports put in an empty salary cell: Glassdoor's "-1", "0", "N/A".
_PLACEHOLDER = re.compile(r"-\d+|n/?a|none|null|unknown|-+", re.IGNORECASE)

_CURRENCY_SYMBOLS: tuple[tuple[str, str], ...] = (
    ("US$", "USD"),
    ("CA$", "CAD"),
    ("C$", "CAD"),
    ("AU$", "AUD"),
    ("A$", "AUD"),
    ("NZ$", "NZD"),
    ("HK$", "HKD"),
    ("S$", "SGD"),
    ("R$", "BRL"),
    ("CN¥", "CNY"),
    ("RMB", "CNY"),
    ("人民币", "CNY"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("₹", "INR"),
    ("₩", "KRW"),
    ("₽", "RUB"),
    ("zł", "PLN"),
    ("元", "CNY"),
    ("￥", "CNY"),
    ("¥", "CNY"),
    ("$", "USD"),
)
_ISO_CODES = "USD|EUR|GBP|CAD|AUD|NZD|CHF|SEK|NOK|DKK|PLN|CZK|HUF|RON|INR|CNY|JPY|KRW|SGD|HKD|BRL|MXN|ZAR|ILS|AED|TRY|UAH"
_ISO_CODE = re.compile(rf"\b({_ISO_CODES})\b")  # upper case only: "try" is a word, "TRY" a code
_CHINESE = re.compile(r"[\u4e00-\u9fff]")

_PERIOD_PATTERNS: tuple[tuple[SalaryPeriod, re.Pattern[str]], ...] = (
    (
        "hour",
        re.compile(
            r"/\s*h(ou)?r\b|/\s*h\b|\bper\s+hour|\ban\s+hour|\bhourly|\bp/?h\b|小时|时薪|/时", re.IGNORECASE
        ),
    ),
    (
        "day",
        re.compile(r"/\s*day\b|\bper\s+day|\ba\s+day\b|\bdaily|\bp/?d\b|/天|/日|日薪|每天", re.IGNORECASE),
    ),
    ("week", re.compile(r"/\s*w(ee)?k\b|\bper\s+week|\ba\s+week\b|\bweekly|/周|周薪", re.IGNORECASE)),
    (
        "month",
        re.compile(
            r"/\s*mo(nth)?\b|\bper\s+month|\ba\s+month\b|\bmonthly|\bp\.?\s?m\.?(?=\s|$)|/月|月薪",
            re.IGNORECASE,
        ),
    ),
    (
        "year",
        re.compile(
            r"/\s*y(ea)?r\b|/\s*annum|\bper\s+(year|annum)|\ba\s+year|\bannual(ly)?|\byearly|\bp\.?\s?a\.?(?=\s|$)"
            r"|\bLPA\b|/年|年薪|万/年",
            re.IGNORECASE,
        ),
    ),
)

# A number as boards write it, with an optional multiplier: "120,000", "60.000", "1.5", "45k", "2万", "8千".
_AMOUNT = re.compile(
    r"(?P<number>\d{1,3}(?:[,.' ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)\s*"
    r"(?P<unit>k\b|K|千|万|w\b|W\b|mn?\b|million\b|lakhs?\b|lacs?\b|LPA\b)?",
)
_RANGE_SEPARATOR = re.compile(r"^\s*(?:-|–|—|~|～|to|至|到)\s*", re.IGNORECASE)
_UNIT_FACTORS = {
    "k": 1e3,
    "千": 1e3,
    "万": 1e4,
    "w": 1e4,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "lacs": 1e5,
    "lpa": 1e5,
}
_MONTHS_PAID = re.compile(r"(\d{2})\s*薪")
_UP_TO = re.compile(r"\b(up\s+to|max(imum)?|until)\b|以下|以内", re.IGNORECASE)
_FROM = re.compile(r"\b(from|starting\s+at|min(imum)?|at\s+least)\b|以上|起|\+", re.IGNORECASE)


def salary_from_range(
    minimum: float | None,
    maximum: float | None,
    currency: str | None,
    period: SalaryPeriod | None,
    *,
    text: str | None = None,
    months_per_year: int = 12,
) -> Salary | None:
    """A `Salary` from structured fields (APIs, CSV columns). Zero or negative amounts mean unknown.

    `period=None` is guessed from the size of the amounts. `months_per_year` is for Chinese boards'
    "·13薪" (13 monthly salaries a year). Returns None when no amount is known.
    """
    low = float(minimum) if minimum is not None and float(minimum) > 0 else None
    high = float(maximum) if maximum is not None and float(maximum) > 0 else None
    if low is None and high is None:
        return None
    if low is not None and high is not None and low > high:
        low, high = high, low
    period = period or _guess_period(high or low or 0, currency)
    per_year = months_per_year if period == "month" else PERIODS_PER_YEAR[period]
    return Salary(
        min=low,
        max=high,
        currency=currency.upper() if currency else None,
        period=period,
        annual_min=round(low * per_year, 2) if low is not None else None,
        annual_max=round(high * per_year, 2) if high is not None else None,
        text=text,
    )


def parse_salary(text: str | None, *, default_currency: str | None = None) -> Salary | None:
    """The salary stated in `text`, or None when it states none (or says it is negotiable).

    `default_currency` is used when the text names none (e.g. "CNY" for a Chinese board's "20-30K").
    Without a stated period, Chinese-yuan amounts are monthly (as the boards state them) and other
    amounts are guessed by size: under 300 an hour, under 10,000 a month, else a year.
    """
    if not text or not text.strip():
        return None
    original = " ".join(text.split())
    if _NEGOTIABLE.search(original) or _PLACEHOLDER.fullmatch(original):
        return None
    currency = _currency(original) or (default_currency.upper() if default_currency else None)
    if currency is None and _CHINESE.search(original):
        currency = "CNY"
    amounts = _amounts(original)
    if not amounts:
        return None
    period = _period(original)
    if period is None and currency == "CNY":
        period = "month"
    months = _MONTHS_PAID.search(original)
    months_per_year = int(months.group(1)) if months and period == "month" else 12
    if len(amounts) == 1:
        low = high = amounts[0]
        if _UP_TO.search(original):
            low = None
        elif _FROM.search(original):
            high = None
    else:
        low, high = amounts[0], amounts[1]
    return salary_from_range(low, high, currency, period, text=original, months_per_year=months_per_year)


def parse_amount(value: object) -> float | None:
    """A number from a structured field: 118000, "118000.0", "120,000"; None for blanks, NaN and junk."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if math.isnan(value) else float(value)
    text = str(value).strip()
    if not re.fullmatch(r"[\d.,' ]+", text or "x"):
        return None
    try:
        return _number(text)
    except ValueError:
        return None


def format_salary(salary: Salary | None) -> str | None:
    """A short human form, e.g. "USD 120,000–150,000 / year"; the posting's own text when it has one."""
    if salary is None:
        return None
    if salary.text:
        return salary.text
    amounts = "–".join(f"{value:,.0f}" for value in (salary.min, salary.max) if value is not None)
    if salary.min is not None and salary.min == salary.max:
        amounts = f"{salary.min:,.0f}"
    return " ".join(
        part for part in (salary.currency, amounts, f"/ {salary.period}" if salary.period else "") if part
    )


def _currency(text: str) -> str | None:
    code = _ISO_CODE.search(text)
    if code:
        return code.group(1)
    for symbol, iso in _CURRENCY_SYMBOLS:
        if symbol in text:
            return iso
    return None


def _period(text: str) -> SalaryPeriod | None:
    for period, pattern in _PERIOD_PATTERNS:
        if pattern.search(text):
            return period
    return None


def _guess_period(amount: float, currency: str | None) -> SalaryPeriod:
    if currency == "CNY":
        return "month" if amount < 200_000 else "year"
    if amount < 300:
        return "hour"
    if amount < 10_000:
        return "month"
    return "year"


def _amounts(text: str) -> list[float]:
    """The first amount and, when a range follows it, the second; a unit on the second ("15-25K",
    "1.5-2万") applies to the first too. The "13" of "13薪" and percentages are not amounts."""
    found = [
        match
        for match in _AMOUNT.finditer(text)
        if not text[match.end() : match.end() + 2].lstrip().startswith(("薪", "%"))
    ]
    if not found:
        return []
    first_value, first_unit = _number(found[0].group("number")), _unit(found[0])
    if len(found) == 1 or not _RANGE_SEPARATOR.match(
        _without_currency(text[found[0].end() : found[1].start()])
    ):
        return [_scaled(first_value, first_unit)]
    second_value, second_unit = _number(found[1].group("number")), _unit(found[1])
    return [_scaled(first_value, first_unit or second_unit), _scaled(second_value, second_unit)]


def _unit(match: re.Match[str]) -> str | None:
    unit = match.group("unit")
    return unit.lower() if unit else None


def _without_currency(gap: str) -> str:
    """The text between two amounts minus currency marks: "k – $" of "$120k – $150k" -> " – "."""
    for symbol, _ in _CURRENCY_SYMBOLS:
        gap = gap.replace(symbol, "")
    return _ISO_CODE.sub("", gap)


def _number(raw: str) -> float:
    """Thousands: "120,000", "60.000", "60 000"; decimals: "1.5", "1,5"."""
    raw = raw.replace("'", "").replace(" ", "")
    grouped = re.fullmatch(r"(\d{1,3}(?:([,.])\d{3})+)(?:(?!\2)[.,](\d+))?", raw)
    if grouped:
        whole, separator, decimals = grouped.groups()
        return float(whole.replace(separator, "") + (f".{decimals}" if decimals else ""))
    return float(raw.replace(",", "."))


def _scaled(value: float, unit: str | None) -> float:
    return value * _UNIT_FACTORS.get(unit or "", 1.0)
