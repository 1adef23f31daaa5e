"""Job-search advice from the gap between a resume and the jobs that fit it best.

The deterministic analysis ranks the cached jobs for the resume (narrowed to a target role when one is
given), counts the required skills the best of them ask for that the resume does not show, collects
their titles, and checks the resume for fixable gaps. With a model configured, the same numbers feed
the `skill_gap_plan` prompt and the model writes the plan; when it fails, the analysis is the answer.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from ..resume.models import Resume
from .text import tokenize

if TYPE_CHECKING:
    from .ranker import Ranking  # numpy loads with the first ranking, not at start-up

ADVICE_JOBS = 20  # the best-matching jobs the advice is drawn from
NEAR_BEST = 0.6  # ... when they score at least this share of the best job's score
MAX_SKILLS = 5
MAX_TITLES = 5
_FIGURE = re.compile(r"\d+\s*%|[$€£¥]\s?\d|\b\d{2,}\b")


class SkillToLearn(BaseModel):
    skill: str
    why: str
    how: str | None = Field(None, description="how to learn and show it (the model's suggestion)")
    weeks: int | None = Field(None, description="a realistic number of weeks (the model's estimate)")
    jobs_asking: int | None = Field(None, description="how many of the analysed jobs require it")


class GapPlan(BaseModel):
    """The `skill_gap_plan` template's JSON."""

    summary: str
    skills_to_learn: list[SkillToLearn] = Field(default_factory=list)
    titles_to_search: list[str] = Field(default_factory=list)
    resume_fixes: list[str] = Field(default_factory=list)


class SearchAdvice(GapPlan):
    resume_id: str
    target_role: str | None = None
    method: Literal["llm", "gap-analysis"] = Field(
        description="who wrote the plan: the model, or the deterministic analysis"
    )
    jobs_analysed: int = Field(description="cached jobs the advice is drawn from")
    notes: list[str] = Field(default_factory=list)


def target_jobs(ranking: Ranking, target_role: str | None, limit: int = ADVICE_JOBS) -> list[int]:
    """Positions of the best-ranked jobs that fit nearly as well as the best one; with a target role,
    of the best-ranked jobs whose title names it."""
    order = [int(i) for i in ranking.order]
    if not target_role:
        best = float(ranking.score[order[0]]) if order else 0.0
        return [i for i in order[:limit] if ranking.score[i] >= NEAR_BEST * best]
    wanted = set(tokenize(target_role))
    titled = [
        i for i in order if wanted and len(wanted & set(tokenize(ranking.jobs[i].title))) >= len(wanted) / 2
    ]
    return titled[:limit]


def skill_gaps(
    ranking: Ranking, positions: list[int], soft: bool = False
) -> list[tuple[str, int, list[str]]]:
    """Required skills the resume lacks: (skill, how many of the jobs ask for it, a few of their titles),
    most asked first; technical skills, or with `soft` the soft skills."""
    asked: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for i in positions:
        features = ranking.index.features[i]
        for skill in features.required_skills:
            if skill not in ranking.profile.skills and (skill in features.soft_skills) == soft:
                asked[skill] += 1
                titles = examples.setdefault(skill, [])
                if ranking.jobs[i].title not in titles and len(titles) < 2:
                    titles.append(ranking.jobs[i].title)
    return [(skill, count, examples[skill]) for skill, count in asked.most_common()]


def titles_to_search(ranking: Ranking, positions: list[int]) -> list[str]:
    """The titles of the best-fitting jobs, by total score, each once."""
    totals: dict[str, float] = {}
    shown: dict[str, str] = {}
    for i in positions:
        key = " ".join(tokenize(ranking.jobs[i].title))
        totals[key] = totals.get(key, 0.0) + float(ranking.score[i])
        shown.setdefault(key, ranking.jobs[i].title)
    return [shown[key] for key in sorted(totals, key=totals.get, reverse=True)[:MAX_TITLES]]


def resume_fixes(
    resume: Resume, ranking: Ranking, positions: list[int], target_role: str | None
) -> list[str]:
    """Concrete changes that use only what the resume already contains."""
    fixes = []
    profile = ranking.profile
    if not resume.headline:
        example = target_role or (ranking.jobs[positions[0]].title if positions else "the role you want")
        fixes.append(f"Add a one-line headline at the top that names the role you want, e.g. '{example}'.")
    if target_role and not set(tokenize(target_role)) <= {
        t for title in profile.titles for t in tokenize(title)
    }:
        fixes.append(
            f"None of your job titles says '{target_role}': where your work was close to it, describe it in "
            "the words the postings use."
        )
    if resume.total_years_experience is None:
        fixes.append(
            "Give start and end dates (month and year) for every position, so your years of experience "
            "can be counted."
        )
    asked = [ranking.index.features[i].years for i in positions if ranking.index.features[i].years]
    if asked and resume.total_years_experience is not None:
        typical = float(statistics.median([a.minimum for a in asked]))
        if resume.total_years_experience < typical:
            fixes.append(
                f"These jobs typically ask {typical:g}+ years and your resume shows "
                f"{resume.total_years_experience:g}: "
                "count relevant internships, freelance and project work, with dates."
            )
    highlights = [h for job in resume.experience for h in job.highlights]
    if highlights and not any(_FIGURE.search(h) for h in highlights):
        fixes.append(
            "Add numbers to your achievements (%, money, users, time saved): none of your bullet points "
            "has one."
        )
    if not resume.email and not resume.phone:
        fixes.append("Add an email address or phone number: the resume has no way to contact you.")
    if not resume.skills:
        fixes.append("Add a skills section that lists the tools you use by name.")
    soft = skill_gaps(ranking, positions, soft=True)[:2]
    if soft:
        asked = " and ".join(f"{skill} ({count} jobs)" for skill, count, _ in soft)
        fixes.append(
            f"The jobs ask for {asked}: show each with an example from your own work, not as a bare word."
        )
    return fixes


def gap_analysis(resume: Resume, ranking: Ranking, target_role: str | None) -> SearchAdvice:
    """The deterministic advice (also the fallback and the facts handed to the model)."""
    positions = target_jobs(ranking, target_role)
    notes = []
    if target_role and not positions:
        notes.append(
            f"no cached job has a title like '{target_role}': the advice uses the jobs that fit your "
            "resume best"
        )
        positions = target_jobs(ranking, None)
    gaps = skill_gaps(ranking, positions)
    subject = f"'{target_role}' jobs" if target_role and not notes else "best-matching jobs"
    skills = [
        SkillToLearn(
            skill=skill,
            why=f"required by {count} of the {len(positions)} {subject} (e.g. {'; '.join(examples)})",
            jobs_asking=count,
        )
        for skill, count, examples in gaps[:MAX_SKILLS]
    ]
    required = sum(len(ranking.index.features[i].required_skills) for i in positions)
    missing = sum(count for _, count, _ in gaps)
    held = 1 - missing / required if required else None
    summary = f"Based on the {len(positions)} cached {subject}"
    summary += f", your resume shows {held:.0%} of the skills they require." if held is not None else "."
    if gaps:
        skill, count, _ = gaps[0]
        summary += f" The skill they ask for most that your resume does not show is {skill} ({count} jobs)."
    return SearchAdvice(
        resume_id=resume.resume_id,
        target_role=target_role,
        method="gap-analysis",
        jobs_analysed=len(positions),
        summary=summary,
        skills_to_learn=skills,
        titles_to_search=titles_to_search(ranking, positions),
        resume_fixes=resume_fixes(resume, ranking, positions, target_role),
        notes=notes,
    )
