"""The scoring parts of matching, each on small real-looking texts, and the ranker as a whole."""

from __future__ import annotations

import math

import numpy as np
import pytest
from baseline import TfidfCosine

from jobsearch_mcp_server.jobs.models import Job, Salary
from jobsearch_mcp_server.matching.posting import Section, job_level, split_sections, years_asked
from jobsearch_mcp_server.matching.profile import build_profile, desired_salary
from jobsearch_mcp_server.matching.ranker import Ranker, location_fit, weighted_score
from jobsearch_mcp_server.matching.text import tokenize
from jobsearch_mcp_server.resume.models import Experience, Resume


def job(job_id: str, title: str, description: str = "", **fields) -> Job:
    return Job(job_id=job_id, source="test", source_id=job_id, title=title, description=description, **fields)


def resume(text: str, **fields) -> Resume:
    return Resume(resume_id="r1", raw_text=text, **fields)


def test_tokens_keep_technology_names_and_fold_plurals():
    tokens = tokenize(
        "Senior Data Scientists: C++, C#, .NET, Node.js, ASP.NET; deep learning.Education, APIs"
    )
    assert tokens == [
        "senior",
        "data",
        "scientist",
        "c++",
        "c#",
        ".net",
        "node.js",
        "asp.net",
        "deep",
        "learning",
        "education",
        "apis",
    ]
    assert tokenize("数据分析师") == ["数据", "据分", "分析", "析师"]


@pytest.mark.parametrize(
    ("text", "minimum", "maximum"),
    [
        ("5+ years of experience with Python", 5, None),
        ("3-5 years experience in data engineering", 3, 5),
        ("at least three years of professional experience", 3, None),
        ("Minimum of 2 years in a similar role", 2, None),
        ("Bachelor degree and 4 years or more experience", 4, None),
        ("5年以上工作经验", 5, None),
        ("3至5年相关经验", 3, 5),
    ],
)
def test_years_asked(text, minimum, maximum):
    asked = years_asked(text)
    assert asked is not None and (asked.minimum, asked.maximum) == (minimum, maximum)


def test_years_that_are_not_asked_of_the_candidate_are_ignored():
    assert years_asked("For over 100 years we have served our customers.") is None
    assert years_asked("We have 20 years leading the market") is None


POSTING = """About us
We build data products.
Requirements:
- 3+ years of Python and SQL
- Spark is a plus
**Preferred Qualifications**
- 8+ years of experience
- AWS
Benefits
- 401k
"""


def test_sections_split_required_from_nice_to_have():
    parts = split_sections(POSTING)
    kinds = {POSTING[p.start : p.end].strip().splitlines()[0]: p.kind for p in parts}
    assert kinds["About us"] is Section.ABOUT
    assert kinds["Requirements:"] is Section.REQUIRED
    assert kinds["- Spark is a plus"] is Section.NICE
    assert kinds["Benefits"] is Section.ABOUT
    # 8+ years is only preferred: the requirement is the 3+ years
    assert years_asked(POSTING, parts).minimum == 3


def test_chinese_sections():
    text = "岗位职责：\n负责数据平台\n任职要求：\n1. 3年以上Python经验\n加分项：\n熟悉Spark\n"
    parts = split_sections(text)
    assert [p.kind for p in parts] == [Section.DUTIES, Section.REQUIRED, Section.NICE]


def test_job_level_from_field_title_or_years():
    assert job_level("Data Scientist", "senior", None) == 3
    assert job_level("Staff Data Engineer", None, None) == 4
    assert job_level("Data Scientist", None, years_asked("5+ years of experience")) == 3
    assert job_level("Data Scientist", None, None) is None


def test_location_fit():
    assert location_fit("Austin, TX", "Austin, TX", remote=False) == 1.0
    assert location_fit("Austin, TX", "Dallas, TX", remote=False) == 0.6
    assert location_fit("Austin, TX", "Berlin, Germany", remote=False) == 0.15
    assert location_fit("Austin, TX", "Anywhere", remote=True) == 1.0
    assert location_fit("Austin, TX", None, remote=False) is None


def test_desired_salary_is_read_from_the_resume():
    wish = desired_salary("Jane Doe\nExpected salary: $120,000 - $140,000 a year\n")
    assert wish is not None and wish.annual_min == 120_000 and wish.currency == "USD"
    assert desired_salary("Salary history: none given") is None


def test_weighted_score_skips_unknown_parts():
    parts = {"skills": np.array([1.0, np.nan]), "location": np.array([0.0, 0.5])}
    score = weighted_score(parts)
    assert score[0] == pytest.approx(0.30 / 0.35)  # skills 0.30 * 1 + location 0.05 * 0
    assert score[1] == pytest.approx(0.5)  # only location known


PYTHON_RESUME = resume(
    "Jane Doe\nSenior Data Engineer\n6 years building data pipelines with Python, SQL, Apache Spark and "
    "Airflow on AWS. Built Kafka streaming jobs and dbt models.\nExpected salary: $150,000 a year",
    headline="Senior Data Engineer",
    experience=[Experience(title="Senior Data Engineer"), Experience(title="Data Engineer")],
    skills=["Python", "SQL", "Apache Spark", "Airflow", "AWS", "Kafka"],
    total_years_experience=6,
    location="Austin, TX",
)
JOBS = [
    job(
        "de",
        "Senior Data Engineer",
        "Requirements:\n- 5+ years of Python and SQL\n- Apache Spark, Airflow\n"
        "Nice to have:\n- Kafka\n- Snowflake",
        location="Austin, TX",
        salary=Salary(annual_min=150_000, annual_max=180_000, currency="USD"),
    ),
    job(
        "fe",
        "Frontend Developer",
        "Requirements:\n- 3+ years of React and TypeScript\n- CSS",
        location="Austin, TX",
    ),
    job(
        "nurse",
        "Registered Nurse",
        "Requirements:\n- BLS certification\n- 2 years of hospital experience",
        location="Boston, MA",
    ),
    job(
        "jr",
        "Junior Data Analyst",
        "Requirements:\n- Excel and SQL\n- 0-1 years of experience",
        remote=True,
        salary=Salary(annual_min=50_000, annual_max=60_000, currency="USD"),
    ),
]


def test_ranker_puts_the_fitting_job_first_with_its_reasons():
    ranking = Ranker().rank(build_profile(PYTHON_RESUME), JOBS)
    matches = ranking.matches(4)
    assert matches[0].job_id == "de"
    assert matches[-1].job_id in ("nurse", "fe")
    best = matches[0]
    assert 0 <= best.score <= 1 and best.score > matches[1].score
    assert {"Python", "SQL", "Apache Spark", "Apache Airflow"} <= set(best.matched_skills)
    assert "Snowflake" in best.missing_nice_to_have and "Snowflake" not in best.missing_skills
    assert best.parts.location == 1.0 and best.parts.salary == 1.0 and best.parts.experience == 1.0
    assert best.years_asked == "5+ years"
    assert best.reason.startswith(("strong match", "good match"))
    analyst = next(m for m in matches if m.job_id == "jr")
    assert analyst.parts.salary < 0.2  # pays a third of what the resume asks
    assert analyst.parts.seniority < 0.6  # junior role for a senior engineer
    assert "pays below your expectation" in analyst.reason


def test_missing_required_skills_are_named_in_the_reason():
    ranking = Ranker().rank(build_profile(PYTHON_RESUME), JOBS)
    frontend = next(m for m in ranking.matches(4) if m.job_id == "fe")
    assert {"React", "TypeScript"} <= set(frontend.missing_skills)
    assert "missing" in frontend.reason and "React" in frontend.reason


def test_features_are_cached_by_job_id_and_refreshed_when_the_posting_changes():
    ranker = Ranker()
    first = ranker.cache.features(JOBS)
    again = ranker.cache.features(JOBS)
    assert all(a is b for a, b in zip(first, again, strict=True))
    changed = JOBS[0].model_copy(update={"description": "Requirements:\n- Terraform"})
    refreshed = ranker.cache.features([changed])[0]
    assert refreshed is not first[0] and refreshed.required_skills == ("Terraform",)


def test_empty_and_unknown_parts_do_not_break_ranking():
    ranking = Ranker().rank(build_profile(resume("")), [job("x", "Data Engineer")])
    match = ranking.matches(1)[0]
    assert match.parts.skills is None and match.parts.experience is None and match.parts.location is None
    assert not math.isnan(match.score)
    assert Ranker().rank(build_profile(PYTHON_RESUME), []).matches(5) == []


def test_tfidf_baseline_prefers_shared_rare_words():
    baseline = TfidfCosine(["python spark airflow data engineer", "react typescript css frontend", ""])
    scores = baseline.scores("data engineer python airflow")
    assert scores[0] > scores[1] == 0 and scores[2] == 0
