"""Normalisation helpers on strings taken from real boards: RemoteOK's API, Glassdoor's "Salary Estimate"
column (../shared/data), and salary/date strings of Chinese boards (BOSS直聘, 51job, Liepin) as they
appear in public scrapers' saved data."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime

import pytest

from conftest import SHARED_DATA, require
from jobsearch_mcp_server.jobs.dates import parse_posted
from jobsearch_mcp_server.jobs.salary import format_salary, parse_salary, salary_from_range
from jobsearch_mcp_server.jobs.text import (
    clean_text,
    detect_employment_type,
    detect_remote,
    detect_seniority,
    fix_mojibake,
    html_to_markdown,
)

REMOTEOK = SHARED_DATA / "remoteok_api_2026" / "remoteok.json"
GLASSDOOR = SHARED_DATA / "glassdoor_jobs_2020" / "glassdoor_jobs.csv"
NOW = date(2026, 3, 17)


@pytest.mark.parametrize(
    ("text", "currency", "period", "minimum", "maximum", "annual_min", "annual_max"),
    [
        ("$120k–$150k a year", "USD", "year", 120_000, 150_000, 120_000, 150_000),
        ("$120,000 - $150,000", "USD", "year", 120_000, 150_000, 120_000, 150_000),
        ("€60.000–€75.000 brutto", "EUR", "year", 60_000, 75_000, 60_000, 75_000),
        ("£45k", "GBP", "year", 45_000, 45_000, 45_000, 45_000),
        ("$45 - $60 an hour", "USD", "hour", 45, 60, 93_600, 124_800),
        ("$45 - $60 per hour", "USD", "hour", 45, 60, 93_600, 124_800),
        # Glassdoor "Salary Estimate" column
        ("$53K-$91K (Glassdoor est.)", "USD", "year", 53_000, 91_000, 53_000, 91_000),
        ("Employer Provided Salary:$150K-$160K", "USD", "year", 150_000, 160_000, 150_000, 160_000),
        ("$17-$24 Per Hour(Glassdoor est.)", "USD", "hour", 17, 24, 35_360, 49_920),
        ("Employer Provided Salary:$25-$28 Per Hour", "USD", "hour", 25, 28, 52_000, 58_240),
        # RemoteOK description line
        (
            "Salary Range: PLN 350,700 - 474,400 + Benefits + Equity",
            "PLN",
            "year",
            350_700,
            474_400,
            350_700,
            474_400,
        ),
        # Chinese boards: monthly thousands of yuan, "·13薪" = 13 monthly salaries a year
        ("15-25K·13薪", "CNY", "month", 15_000, 25_000, 195_000, 325_000),
        ("13-22K·13薪", "CNY", "month", 13_000, 22_000, 169_000, 286_000),
        ("2-4K·13薪", "CNY", "month", 2_000, 4_000, 26_000, 52_000),
        ("1.5-2万/月", "CNY", "month", 15_000, 20_000, 180_000, 240_000),
        ("1.5-2.5万", "CNY", "month", 15_000, 25_000, 180_000, 300_000),
        ("8千-1.2万", "CNY", "month", 8_000, 12_000, 96_000, 144_000),
        ("30万/年", "CNY", "year", 300_000, 300_000, 300_000, 300_000),
        ("200-400元/天", "CNY", "day", 200, 400, 52_000, 104_000),
    ],
)
def test_parse_salary_real_forms(text, currency, period, minimum, maximum, annual_min, annual_max) -> None:
    salary = parse_salary(text)
    assert salary is not None
    assert (salary.currency, salary.period) == (currency, period)
    assert (salary.min, salary.max) == (minimum, maximum)
    assert (salary.annual_min, salary.annual_max) == (annual_min, annual_max)
    assert salary.text == text


def test_chinese_k_range_needs_the_board_currency() -> None:
    """A bare "20-30K" is ambiguous: a Chinese board passes CNY and gets a monthly range."""
    assert parse_salary("20-30K", default_currency="CNY").model_dump(include={"period", "annual_max"}) == {
        "period": "month",
        "annual_max": 360_000,
    }
    assert parse_salary("20-30K").period == "year"


@pytest.mark.parametrize(
    "text", ["面议", "薪资面议", "-1", "", "   ", None, "$0 - $0", "Competitive salary", "N/A"]
)
def test_parse_salary_unknown(text) -> None:
    assert parse_salary(text) is None


def test_parse_salary_open_ended() -> None:
    up_to = parse_salary("Up to $150k")
    assert (up_to.min, up_to.max, up_to.annual_max) == (None, 150_000, 150_000)
    start = parse_salary("10K起")
    assert (start.min, start.max, start.currency, start.period) == (10_000, None, "CNY", "month")


def test_salary_from_range_treats_zero_as_unknown() -> None:
    assert salary_from_range(0, 0, "USD", "year") is None
    only_max = salary_from_range(0, 90_000, "usd", None)
    assert (only_max.min, only_max.max, only_max.currency, only_max.period) == (None, 90_000, "USD", "year")
    assert salary_from_range(60, 45, "USD", "hour").model_dump(include={"min", "max", "annual_min"}) == {
        "min": 45,
        "max": 60,
        "annual_min": 93_600,
    }
    assert salary_from_range(15_000, 25_000, "CNY", "month", months_per_year=14).annual_max == 350_000


def test_format_salary() -> None:
    assert format_salary(salary_from_range(120_000, 150_000, "USD", "year")) == "USD 120,000–150,000 / year"
    assert format_salary(parse_salary("15-25K·13薪")) == "15-25K·13薪"
    assert format_salary(None) is None


def test_every_glassdoor_salary_estimate_parses() -> None:
    """All 956 real rows: every stated estimate parses to an ordered, plausible yearly range."""
    require(GLASSDOOR.exists(), f"needs {GLASSDOOR}")
    with GLASSDOOR.open(encoding="utf-8") as handle:
        estimates = [row["Salary Estimate"] for row in csv.DictReader(handle)]
    stated = [text for text in estimates if text != "-1"]
    assert len(estimates) == 956 and len(stated) == 742
    for text in stated:
        salary = parse_salary(text)
        assert salary is not None, text
        assert salary.currency == "USD", text
        assert salary.period == ("hour" if "Per Hour" in text else "year"), text
        assert 10_000 <= salary.annual_min <= salary.annual_max <= 500_000, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-16T00:00:03+00:00", date(2026, 3, 16)),  # RemoteOK "date"
        (1773619203, date(2026, 3, 16)),  # RemoteOK "epoch"
        ("1773619203000", date(2026, 3, 16)),  # milliseconds
        ("2024-01-05T12:00:00Z", date(2024, 1, 5)),
        ("2026-03-05", date(2026, 3, 5)),
        ("2026/3/5", date(2026, 3, 5)),
        ("Mon, 16 Mar 2026 10:00:00 GMT", date(2026, 3, 16)),
        ("March 3, 2026", date(2026, 3, 3)),
        ("Posted 3 Mar 2026", date(2026, 3, 3)),
        ("3 days ago", date(2026, 3, 14)),
        ("Posted 30+ days ago", date(2026, 2, 15)),
        ("Just posted", NOW),
        ("Today", NOW),
        ("yesterday", date(2026, 3, 16)),
        ("2 weeks ago", date(2026, 3, 3)),
        ("1 month ago", date(2026, 2, 15)),
        ("an hour ago", NOW),
        ("5d ago", date(2026, 3, 12)),
        ("刚刚", NOW),
        ("今天", NOW),
        ("昨天", date(2026, 3, 16)),
        ("3天前", date(2026, 3, 14)),
        ("2周前", date(2026, 3, 3)),
        ("1个月前", date(2026, 2, 15)),
        ("3小时前", NOW),
        ("发布于03月10日", date(2026, 3, 10)),
        ("11月20日", date(2025, 11, 20)),  # no year and in the future this year: last year
        ("2025年11月20日", date(2025, 11, 20)),
    ],
)
def test_parse_posted(text, expected) -> None:
    assert parse_posted(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["New York", "", None, "soon", "0", "Remote"])
def test_parse_posted_unknown(text) -> None:
    assert parse_posted(text, now=NOW) is None


def test_parse_posted_accepts_datetimes_and_defaults_to_utc_today() -> None:
    assert parse_posted(datetime(2026, 1, 2, 23, 0, tzinfo=UTC)) == date(2026, 1, 2)
    assert parse_posted("today") == datetime.now(UTC).date()


def _remoteok_jobs() -> list[dict]:
    require(REMOTEOK.exists(), f"needs {REMOTEOK}")
    return json.loads(REMOTEOK.read_text(encoding="utf-8"))[1:]


def test_mojibake_in_the_real_remoteok_response_is_repaired() -> None:
    jobs = _remoteok_jobs()
    broken = [job for job in jobs if "\u00e2\u0080" in job["description"]]
    assert len(broken) > 10
    for job in broken:
        assert "\u00e2\u0080" not in html_to_markdown(job["description"])
    assert fix_mojibake("Gda\u00c5\u0084sk") == "Gdańsk"
    assert fix_mojibake("What You\u00e2\u0080\u0099ll Do") == "What You\u2019ll Do"
    assert fix_mojibake("naïve café, 北京") == "naïve café, 北京"  # correct text stays as it is


def test_html_to_markdown_on_a_real_remoteok_description() -> None:
    first = _remoteok_jobs()[0]
    markdown = html_to_markdown(first["description"])
    assert markdown.startswith("Launch Your Career in Leadership\n\nFisher Organization is seeking")
    assert "\n- Meet virtually with clients to provide information and support\n" in markdown
    assert "What You\u2019ll Do" in markdown
    assert "<" not in markdown and "\n\n\n" not in markdown


def test_html_to_markdown_structure_and_junk() -> None:
    markup = (
        "<h2>About</h2><p>We <b>build</b> <a href='https://example.com/x'>tools</a>.</p>"
        "<script>track()</script><img src='x.png'><ul><li>Python<ul><li>asyncio</li></ul></li></ul>"
        "<p></p><p>&nbsp;</p><strong></strong><p>Done\u200b</p>"
    )
    assert html_to_markdown(markup) == (
        "## About\n\nWe **build** [tools](https://example.com/x).\n\n- Python\n  - asyncio\n\nDone"
    )
    escaped = "&lt;p&gt;Fish &amp;amp; chips&lt;/p&gt;&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;/ul&gt;"
    assert html_to_markdown(escaped) == "Fish & chips\n\n- one"  # Greenhouse sends its HTML escaped
    assert html_to_markdown("Plain text\r\n\r\n\r\n\r\nwith   spaces") == "Plain text\n\nwith spaces"
    assert html_to_markdown(None) == "" and html_to_markdown("  ") == ""
    assert html_to_markdown("<p>unclosed <b>bold <li>item").startswith("unclosed **bold")


def test_clean_text() -> None:
    assert clean_text(" a\u00a0 b \n\n\n\n c&amp;d\x00 ") == "a b\n\nc&d"
    assert clean_text(None) == ""


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("Remote, USA",), True),
        (("Canada (Remote)",), True),
        (("", "Remote flexibility – work from anywhere"), True),
        (("San Francisco, CA", "Hybrid: 3 days in office"), False),
        (("On-site",), False),
        (("远程办公",), True),
        (("北京", None), None),
        (("Saint Louis, MO, USA",), None),
    ],
)
def test_detect_remote(texts, expected) -> None:
    assert detect_remote(*texts) is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Senior Software Engineer", "senior"),
        ("Sr. Data Engineer", "senior"),
        ("Staff Software Engineer", "staff"),
        ("Senior Staff Engineer, Infrastructure", "staff"),
        ("Software Engineer II", "mid"),
        ("Principal Engineer", "principal"),
        ("Tech Lead, Payments", "lead"),
        ("Head of Growth", "director"),
        ("VP Engineering", "executive"),
        ("Junior Developer", "junior"),
        ("Data Science Intern", "intern"),
        ("Benefits Advisor Leadership Training Program", None),
        ("高级Java开发工程师", "senior"),
        ("Java开发实习生", "intern"),
        ("Software Engineer", None),
        (None, None),
    ],
)
def test_detect_seniority(title, expected) -> None:
    assert detect_seniority(title) == expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("FULL_TIME",), "full-time"),
        (("fulltime",), "full-time"),
        (("full_time",), "full-time"),
        (("Part-time",), "part-time"),
        (("contract",), "contract"),
        (("Full-time, Contract to hire",), "full-time"),
        (("", "This is a 6-month contract role"), "contract"),
        (("Internship",), "internship"),
        (("全职",), "full-time"),
        (("Vollzeit",), "full-time"),
        (("Senior Engineer",), None),
    ],
)
def test_detect_employment_type(texts, expected) -> None:
    assert detect_employment_type(*texts) == expected
