"""The resume side of matching: what the person is, wants and knows, read once per ranking."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..jobs.models import Salary
from ..jobs.salary import parse_salary
from ..resume.models import Resume, resume_text
from ..skills import extract_skills
from .features import occupation_skills
from .posting import level_from_years, level_of_title
from .text import tokenize

# "Expected salary: $120k", "Expected CTC: 12 LPA", "期望薪资：20-30K": a stated wish, not a past
# salary.
_SALARY_WISH = re.compile(
    r"(?:expected|desired|target|expecting)\s+(?:salary|ctc|compensation|pay)\s*[:：-]?\s*"
    r"(?P<amount>[^\n]{2,40})"
    r"|(?:期望薪资|期望月薪|期望年薪|薪资要求|期望薪酬)\s*[:：]?\s*(?P<zh>[^\n]{2,30})",
    re.IGNORECASE,
)


@dataclass
class ResumeProfile:
    """A resume reduced to what ranking compares with each posting."""

    resume_id: str
    term_counts: Counter[str]  # every word of the resume
    title_terms: set[str]  # words of the headline and job titles held
    titles: list[str]  # as written, most recent first
    skills: set[str]  # canonical names
    title_skills: set[str]  # the fields the headline and job titles name ("Data Scientist" -> Data Science)
    years: float | None
    level: int | None
    location: str | None
    desired_salary: Salary | None
    text: str = field(repr=False, default="")


def desired_salary(text: str) -> Salary | None:
    """The salary the resume asks for, when it states one ("Expected salary: ...")."""
    match = _SALARY_WISH.search(text)
    if not match:
        return None
    salary = parse_salary(match.group("amount") or match.group("zh"))
    return salary if salary and (salary.annual_min or salary.annual_max) else None


def build_profile(
    resume: Resume, location: str | None = None, min_salary: float | None = None
) -> ResumeProfile:
    """`location` and `min_salary` (yearly, in the postings' currency) override what the resume says."""
    text = resume_text(resume)
    titles = [t for t in [resume.headline, *(e.title for e in resume.experience)] if t]
    # a role word ("Data Analyst") names the person's field (title_skills below), not a skill they hold
    skills = set(resume.skills) | {found.name for found in extract_skills(text) if not found.role}
    years = resume.total_years_experience
    level = next((lvl for lvl in (level_of_title(t) for t in titles[:2]) if lvl is not None), None)
    if level is None and years is not None:
        level = level_from_years(years)
    wish = Salary(min=min_salary, annual_min=min_salary) if min_salary else desired_salary(text)
    return ResumeProfile(
        resume_id=resume.resume_id,
        term_counts=Counter(tokenize(text)),
        title_terms={t for title in titles for t in tokenize(title)},
        titles=titles,
        skills=skills,
        title_skills={name for title in titles for name in occupation_skills(title)},
        years=years,
        level=level,
        location=location or resume.location,
        desired_salary=wish,
        text=text,
    )
