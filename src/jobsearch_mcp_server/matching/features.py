"""What the ranker needs to know about a job, read once per posting and kept in memory by job_id.

Reading a posting (tokens, skills per section, years, level) costs about a millisecond; ranking must
score 100,000 postings in a few seconds, so the reading happens once and ranking works on arrays.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..jobs.models import Job
from ..jobs.text import html_to_markdown
from ..skills import extract_skills, load_taxonomy
from .posting import (
    JOB_PARTS,
    Section,
    YearsAsked,
    field_of_study_spans,
    job_level,
    section_at,
    split_sections,
    years_asked,
)
from .text import tokenize


class Vocabulary:
    """Term -> dense id, shared by every job and resume in the process; it only grows."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._ids)

    def ids(self, terms: list[str]) -> list[int]:
        with self._lock:
            return [self._ids.setdefault(term, len(self._ids)) for term in terms]

    def get(self, term: str) -> int | None:
        return self._ids.get(term)


@dataclass(slots=True, frozen=True)
class JobFeatures:
    job_id: str
    fingerprint: int  # of the fields read below: a changed posting is read again
    terms: np.ndarray  # int32 ids of the distinct terms of title and description, title's first
    body_tf: np.ndarray  # uint16, per term: count in the description (and tags)
    title_tf: np.ndarray  # uint16 count in the title of terms[0], terms[1], ... (the title's terms lead)
    title_terms: np.ndarray  # int32 ids of the title's words without level words ("senior", "ii")
    title_skills: tuple[str, ...]  # the fields the title names ("Data Scientist" -> Data Science)
    title_len: int
    body_len: int
    required_skills: tuple[str, ...]  # canonical names; a skill only named in nice-to-have parts is nice
    nice_skills: tuple[str, ...]
    skill_ids: np.ndarray  # int32 ids of required then nice skills
    skill_weights: np.ndarray  # float32, see `skill_weight`
    soft_skills: frozenset[str]  # those of the skills above that the taxonomy calls soft skills
    domain: np.ndarray  # float32, unit length (or zeros): the technical skills' taxonomy categories
    years: YearsAsked | None
    level: int | None
    remote: bool | None
    location: str | None
    salary_min: float | None  # yearly
    salary_max: float | None
    currency: str | None


SOFT_SKILLS = "soft_skills"  # the taxonomy's category
GENERAL_SKILLS = "general"  # troubleshooting, reporting, people management: real skills of every field
SOFT_SKILL_FACTOR = 0.25
ABOUT_DOMAIN_WEIGHT = 0.25  # skills named only in the company blurb still say which field the employer is in
# "the DevOps team", "our Customer Success group": an organisation's name, not a skill it asks for.
_TEAM_NAME = re.compile(
    r"[ \t]*(?:and [A-Za-z]+ )?(?:teams?|groups?|departments?|divisions?|org|organi[sz]ations?|functions?|squads?|"
    r"orgs|团队|部门)\b",
    re.IGNORECASE,
)


@cache
def domain_categories() -> dict[str, int]:
    """Taxonomy category -> axis of the domain vectors (soft and general skills say nothing about the field)."""
    fieldless = (SOFT_SKILLS, GENERAL_SKILLS)
    return {
        name: axis for axis, name in enumerate(c for c in load_taxonomy().categories if c not in fieldless)
    }


@cache
def _traits() -> frozenset[str]:
    return frozenset(skill.name for skill in load_taxonomy().skills if skill.trait)


@cache
def _fieldless() -> frozenset[str]:
    return frozenset(s.name for s in load_taxonomy().skills if s.category in (SOFT_SKILLS, GENERAL_SKILLS))


def occupation_skills(title: str) -> tuple[str, ...]:
    """The fields of work a job title (or a resume's title) names: "Senior Data Scientist" -> Data
    Science, "Territory Sales Representative" -> Sales; not traits, soft or general skills."""
    fieldless = _fieldless()
    return tuple(dict.fromkeys(m.name for m in extract_skills(title) if m.name not in fieldless))


@cache
def _category_of() -> dict[str, str]:
    return {skill.name: skill.category for skill in load_taxonomy().skills}


def domain_vector(weighted_skills: Iterable[tuple[str, float]]) -> np.ndarray:
    """The field of work a set of skills points to: per taxonomy category the summed skill weights,
    scaled to unit length ("data" and "ml_ai" for a data scientist, "hr" for a recruiter)."""
    axes, category_of = domain_categories(), _category_of()
    vector = np.zeros(len(axes), dtype=np.float32)
    for name, weight in weighted_skills:
        axis = axes.get(category_of.get(name, SOFT_SKILLS))
        if axis is not None:
            vector[axis] += weight
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


# Words that say how senior a title is, not what the job is: kept out of title similarity.
_LEVEL_TERMS = frozenset(
    [
        "senior",
        "sr",
        "sr.",
        "snr",
        "junior",
        "jr",
        "jr.",
        "lead",
        "staff",
        "principal",
        "intern",
        "internship",
        "associate",
        "entry",
        "level",
        "i",
        "ii",
        "iii",
        "iv",
        "v",
        "chief",
        "head",
        "mid",
        "1",
        "2",
        "3",
        "4",
        "5",
        "trainee",
        "graduate",
        "experienced",
    ]
)


def fingerprint(job: Job) -> int:
    salary = job.salary
    return hash(
        (
            job.title,
            job.description,
            tuple(job.tags),
            job.location,
            job.remote,
            job.seniority,
            salary and (salary.annual_min, salary.annual_max, salary.currency),
        )
    )


def read_job(job: Job, vocabulary: Vocabulary, skill_vocabulary: Vocabulary) -> JobFeatures:
    """The features of one posting (pure function of the posting, apart from the shared vocabulary)."""
    title_tokens = tokenize(job.title)
    body = job.description or ""
    if "<" in body:  # a source that passed the board's HTML through: read it as the Markdown it renders to
        body = html_to_markdown(body)
    body_tokens = tokenize(body + "\n" + " ".join(job.tags)) if job.tags else tokenize(body)
    title_counts = Counter(title_tokens)
    body_counts = Counter(body_tokens)
    distinct = list(dict.fromkeys([*title_counts, *body_counts]))
    parts = split_sections(body)
    years = years_asked(body, parts)
    required, nice, soft, about = _skills_by_section(job, body, parts)
    salary = job.salary
    return JobFeatures(
        job_id=job.job_id,
        fingerprint=fingerprint(job),
        terms=np.array(vocabulary.ids(distinct), dtype=np.int32),
        body_tf=np.array([min(body_counts.get(t, 0), 65535) for t in distinct], dtype=np.uint16),
        title_tf=np.array(list(title_counts.values()), dtype=np.uint16),
        title_terms=np.array(
            vocabulary.ids([t for t in title_counts if t not in _LEVEL_TERMS]), dtype=np.int32
        ),
        title_skills=occupation_skills(job.title),
        title_len=len(title_tokens),
        body_len=len(body_tokens),
        required_skills=required,
        nice_skills=nice,
        skill_ids=np.array(skill_vocabulary.ids([*required, *nice]), dtype=np.int32),
        skill_weights=np.array(
            [skill_weight(s, True, soft) for s in required] + [skill_weight(s, False, soft) for s in nice],
            dtype=np.float32,
        ),
        soft_skills=soft,
        domain=domain_vector(
            [(s, 1.0) for s in required]
            + [(s, 0.5) for s in nice]
            + [(s, ABOUT_DOMAIN_WEIGHT) for s in about]
        ),
        years=years,
        level=job_level(job.title, job.seniority, years),
        remote=job.remote,
        location=job.location,
        salary_min=salary.annual_min if salary else None,
        salary_max=salary.annual_max if salary else None,
        currency=salary.currency if salary else None,
    )


def _skills_by_section(
    job: Job, body: str, parts: list
) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str], tuple[str, ...]]:
    """Skills the posting requires, those it only calls nice to have (by where they are named), each
    with the technical ones first, which of them are soft skills, and the skills named only in the text
    about the employer.

    Only the job's own parts and its title count. Traits ("attention to detail") are left out, and so
    are team names ("the Customer Success team") and the subjects of a degree ("BS in Statistics")."""
    kinds: dict[str, set[Section]] = {}
    soft: set[str] = set()
    traits = _traits()
    degree_fields = field_of_study_spans(body)
    found_all = [(found, Section.REQUIRED) for found in extract_skills(job.title)]
    for found in extract_skills(body):
        section = section_at(parts, found.start)
        if section in JOB_PARTS and (
            _TEAM_NAME.match(body, found.end) or any(a <= found.start < b for a, b in degree_fields)
        ):
            continue
        found_all.append((found, section))
    for found, section in found_all:
        if found.name in traits:
            continue
        kinds.setdefault(found.name, set()).add(section)
        if found.category == SOFT_SKILLS:
            soft.add(found.name)
    about = tuple(name for name, where in kinds.items() if where == {Section.ABOUT})
    asked = {name: where & JOB_PARTS for name, where in kinds.items() if where & JOB_PARTS}
    names = sorted(asked, key=lambda name: name in soft)  # stable: technical skills keep their order, first
    required = tuple(name for name in names if asked[name] != {Section.NICE})
    nice = tuple(name for name in names if asked[name] == {Section.NICE})
    return required, nice, frozenset(soft & set(asked)), about


def skill_weight(name: str, required: bool, soft: frozenset[str]) -> float:
    """Required 1, nice to have 0.5; a soft skill counts a quarter of that (almost every posting asks
    for communication, so it says little about fit)."""
    return (1.0 if required else 0.5) * (SOFT_SKILL_FACTOR if name in soft else 1.0)


class FeatureCache:
    """Job features by job_id, read again only when the posting changed. Thread-safe."""

    def __init__(self, vocabulary: Vocabulary, skill_vocabulary: Vocabulary, max_jobs: int = 200_000) -> None:
        self.vocabulary = vocabulary
        self.skill_vocabulary = skill_vocabulary
        self.max_jobs = max_jobs
        self._features: dict[str, JobFeatures] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._features)

    def features(self, jobs: list[Job]) -> list[JobFeatures]:
        result: list[JobFeatures] = []
        fresh: dict[str, JobFeatures] = {}
        for job in jobs:
            cached = self._features.get(job.job_id)
            if cached is None or cached.fingerprint != fingerprint(job):
                cached = read_job(job, self.vocabulary, self.skill_vocabulary)
                fresh[job.job_id] = cached
            result.append(cached)
        self.add(fresh.values())
        return result

    def add(self, features: Iterable[JobFeatures]) -> None:
        """Keeps features read elsewhere (they depend on the posting only, not on who read it)."""
        fresh = {f.job_id: f for f in features}
        if fresh:
            with self._lock:
                if len(self._features) + len(fresh) > self.max_jobs:
                    self._features.clear()  # rare: a process that saw more postings than anyone ranks at once
                self._features.update(fresh)
