"""Deterministic ranking of jobs for one resume: every part computed for all jobs at once with numpy.

Parts (each in [0, 1], NaN where unknown):
- text: BM25F over title (weight 3) and description (weight 1), the resume's words as the query;
  divided by the best job's value so it reads "relative to the best match in this set".
- skills: (required held + half the nice-to-have held + 0.5) / (required + half nice + 1); the +0.5/+1
  keeps one matched skill out of one from counting as a perfect fit.
- domain: cosine of the taxonomy categories of the job's skills and the resume's skills, i.e. the
  same field of work even where the exact skills differ.
- title: share of the job title's information (IDF-weighted words, level words left out) found in the
  resume's own titles (full weight) or elsewhere in the resume (reduced weight).
- occupation: the fields the job title names as skills (a recruiter's first look: is this person a
  data scientist?), found in the resume's own titles (1) or only among its skills (0.6); by skill, so
  "Data Scientist" meets "Data Science" and "ML Engineer" meets "Machine Learning".
- seniority, experience, location, salary: closeness of the job's level, years asked, place and pay
  to the person's.
The score is the weighted mean of the known parts.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from ..jobs.models import Job
from ..jobs.summary import summarize
from .arrays import CHUNK_ROWS, concat, csr, document_frequency, row_dot, segment_sums
from .features import FeatureCache, JobFeatures, Vocabulary, domain_categories, domain_vector
from .models import JobMatch, PartName, ScoreParts
from .posting import LEVEL_NAMES
from .profile import ResumeProfile

K1 = 1.2
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0
TITLE_B, BODY_B = 0.5, 0.75
QUERY_K3 = 8.0  # a long query (a whole resume): repetition says what it is about, so saturate late
TITLE_QUERY_BOOST = 2.0  # a word of the person's job titles says more than one in a project description
BODY_TITLE_CREDIT = 0.5  # a job-title word found only in the resume's body covers half
SKILL_OCCUPATION_CREDIT = 0.6  # a field the job title names, held as a skill but not in the resume's titles

WEIGHTS: dict[PartName, float] = {
    "text": 0.30,
    "skills": 0.30,
    "domain": 0.15,
    "title": 0.20,
    "occupation": 0.20,
    "seniority": 0.05,
    "experience": 0.07,
    "location": 0.05,
    "salary": 0.03,
    "semantic": 0.25,
    "llm": 2.0,  # the model read both texts: its verdict makes about two thirds of a judged job's score
}
LEXICAL_PARTS: tuple[PartName, ...] = (
    "text",
    "skills",
    "domain",
    "title",
    "occupation",
    "seniority",
    "experience",
    "location",
    "salary",
)
_LEVEL_GAP_FIT = np.array([1.0, 0.6, 0.25, 0.05, 0.05, 0.05], dtype=np.float32)


def weighted_score(parts: dict[PartName, np.ndarray]) -> np.ndarray:
    """The weighted mean of the parts, skipping NaN (unknown) entries; 0 when nothing is known."""
    total = np.zeros_like(next(iter(parts.values())), dtype=np.float64)
    weight = np.zeros_like(total)
    for name, values in parts.items():
        known = ~np.isnan(values)
        total += np.where(known, values, 0.0) * WEIGHTS[name]
        weight += known * WEIGHTS[name]
    return np.divide(total, weight, out=np.zeros_like(total), where=weight > 0)


def _bm25f_weights(features: list[JobFeatures], indptr: np.ndarray) -> np.ndarray:
    """Per (job, term): the BM25F saturated, length-normalised term frequency over title and body.

    At 100,000 postings there are tens of millions of entries: they are computed a chunk of jobs at a
    time into one float32 array, so temporaries stay small.
    """
    n = len(features)
    title_len = np.array([f.title_len for f in features], dtype=np.float32)
    body_len = np.array([f.body_len for f in features], dtype=np.float32)
    title_scale = TITLE_WEIGHT / (
        1 - TITLE_B + TITLE_B * title_len / max(float(title_len.mean()) if n else 1, 1)
    )
    body_scale = BODY_WEIGHT / (1 - BODY_B + BODY_B * body_len / max(float(body_len.mean()) if n else 1, 1))
    weights = np.empty(int(indptr[-1]), dtype=np.float32)
    for start in range(0, n, CHUNK_ROWS):
        chunk = features[start : start + CHUNK_ROWS]
        rows = indptr[start : start + len(chunk) + 1] - indptr[start]
        pseudo = concat([f.body_tf for f in chunk], np.float32)
        pseudo *= np.repeat(body_scale[start : start + len(chunk)], np.diff(rows))
        title_rows, title_tf = csr([f.title_tf for f in chunk], np.float32)
        title_counts = np.diff(title_rows)
        # a job's title terms are the first entries of its row
        at = np.repeat(rows[:-1] - title_rows[:-1], title_counts) + np.arange(len(title_tf))
        pseudo[at] += title_tf * np.repeat(title_scale[start : start + len(chunk)], title_counts)
        weights[indptr[start] : indptr[start] + len(pseudo)] = pseudo * (K1 + 1) / (pseudo + K1)
    return weights


class JobIndex:
    """One set of jobs as flat arrays: BM25F weights per (job, term), skills, and per-job facts."""

    def __init__(self, features: list[JobFeatures], vocabulary: Vocabulary) -> None:
        self.features = features
        n = len(features)
        self.vocab_size = len(vocabulary)
        self.indptr, self.terms = csr([f.terms for f in features], np.int32)
        self.saturated = _bm25f_weights(features, self.indptr)
        df = document_frequency(self.terms, self.vocab_size).astype(np.float32)
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)

        self.title_indptr, self.title_terms = csr([f.title_terms for f in features], np.int32)
        self.title_information = segment_sums(self.idf[self.title_terms], self.title_indptr)

        self.skill_indptr, self.skills = csr([f.skill_ids for f in features], np.int32)
        self.title_skills = [f.title_skills for f in features]
        self.skill_weights = concat([f.skill_weights for f in features], np.float32)
        self.skill_total = segment_sums(self.skill_weights, self.skill_indptr)
        self.domain = np.stack([f.domain for f in features]) if n else np.zeros((0, len(domain_categories())))

        def column(values: list[float | None]) -> np.ndarray:
            return np.array([math.nan if v is None else v for v in values], dtype=np.float32)

        self.years_min = column([f.years.minimum if f.years else None for f in features])
        self.years_max = column([f.years.maximum if f.years else None for f in features])
        self.level = column([f.level for f in features])
        self.remote = np.array([f.remote is True for f in features], dtype=bool)
        self.salary = column([f.salary_max if f.salary_max is not None else f.salary_min for f in features])
        self.currency = [f.currency for f in features]
        self.locations = [f.location for f in features]

    def __len__(self) -> int:
        return len(self.features)


@dataclass
class Ranking:
    """Every job's score and parts, best first in `order`."""

    jobs: list[Job]
    index: JobIndex
    profile: ResumeProfile
    parts: dict[PartName, np.ndarray]
    score: np.ndarray
    order: np.ndarray
    notes: list[str] = field(default_factory=list)
    verdicts: dict[int, str] = field(default_factory=dict)  # job position -> the LLM's one-line verdict

    def rescore(self, candidates: list[int] | None = None) -> None:
        """Recomputes the score; `candidates` (the jobs a later stage looked at) stay ahead of the rest,
        so a job no stage judged cannot overtake those it re-ranked."""
        self.score = weighted_score(self.parts)
        order = np.argsort(-self.score, kind="stable")
        if candidates is not None:
            chosen = np.zeros(len(order), dtype=bool)
            chosen[candidates] = True
            order = np.concatenate([order[chosen[order]], order[~chosen[order]]])
        self.order = order

    def matches(self, top_k: int) -> list[JobMatch]:
        return [self.match(int(i), rank) for rank, i in enumerate(self.order[:top_k], start=1)]

    def match(self, i: int, rank: int) -> JobMatch:
        job, features, profile = self.jobs[i], self.index.features[i], self.profile
        parts = ScoreParts(**{name: _rounded(values[i]) for name, values in self.parts.items()})
        matched = [s for s in (*features.required_skills, *features.nice_skills) if s in profile.skills]
        missing = [s for s in features.required_skills if s not in profile.skills]
        missing_nice = [s for s in features.nice_skills if s not in profile.skills]
        return JobMatch(
            **summarize(job).model_dump(),
            rank=rank,
            score=round(float(self.score[i]), 3),
            parts=parts,
            matched_skills=matched,
            missing_skills=missing,
            missing_nice_to_have=missing_nice,
            years_asked=features.years.text if features.years else None,
            reason=explain(parts, float(self.score[i]), features, profile, matched, missing),
            llm_verdict=self.verdicts.get(i),
        )


def _rounded(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 3)


class Ranker:
    """Ranks jobs for a resume. Keeps job features (by job_id) and the last few job sets' indexes."""

    def __init__(self, max_indexes: int = 1) -> None:
        self.vocabulary = Vocabulary()
        self.skill_ids = Vocabulary()
        self.cache = FeatureCache(self.vocabulary, self.skill_ids)
        self._indexes: OrderedDict[tuple, JobIndex] = OrderedDict()
        self._max_indexes = max_indexes
        self._lock = threading.Lock()

    def index(self, jobs: list[Job]) -> JobIndex:
        features = self.cache.features(jobs)
        key = tuple((f.job_id, f.fingerprint) for f in features)
        with self._lock:
            found = self._indexes.get(key)
            if found is not None:
                self._indexes.move_to_end(key)
                return found
            while (
                len(self._indexes) >= self._max_indexes
            ):  # before building: two big indexes at once cost RAM
                self._indexes.popitem(last=False)
        built = JobIndex(features, self.vocabulary)
        with self._lock:
            self._indexes[key] = built
        return built

    def rank(self, profile: ResumeProfile, jobs: list[Job]) -> Ranking:
        index = self.index(jobs)
        parts = {
            "text": self._text(profile, index),
            "skills": self._skills(profile, index),
            "domain": _domain(profile, index),
            "title": self._title(profile, index),
            "occupation": _occupation(profile, index),
            "seniority": _seniority(profile, index),
            "experience": _experience(profile, index),
            "location": _location(profile, index),
            "salary": _salary(profile, index),
        }
        ranking = Ranking(jobs, index, profile, parts, np.zeros(len(jobs)), np.arange(len(jobs)))
        ranking.rescore()
        return ranking

    def _query_weights(self, profile: ResumeProfile, size: int) -> np.ndarray:
        weights = np.zeros(size, dtype=np.float32)
        for term, count in profile.term_counts.items():
            term_id = self.vocabulary.get(term)
            if term_id is not None and term_id < size:
                boost = TITLE_QUERY_BOOST if term in profile.title_terms else 1.0
                weights[term_id] = boost * (QUERY_K3 + 1) * count / (QUERY_K3 + count)
        return weights

    def _text(self, profile: ResumeProfile, index: JobIndex) -> np.ndarray:
        query = self._query_weights(profile, index.vocab_size) * index.idf
        raw = row_dot(query, index.terms, index.saturated, index.indptr)
        best = raw.max() if len(raw) else 0.0
        return (raw / best if best > 0 else raw).astype(np.float32)

    def _title(self, profile: ResumeProfile, index: JobIndex) -> np.ndarray:
        credit = np.zeros(index.vocab_size, dtype=np.float32)
        for term in profile.term_counts:
            term_id = self.vocabulary.get(term)
            if term_id is not None and term_id < index.vocab_size:
                credit[term_id] = 1.0 if term in profile.title_terms else BODY_TITLE_CREDIT
        covered = segment_sums(index.idf[index.title_terms] * credit[index.title_terms], index.title_indptr)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(index.title_information > 0, covered / index.title_information, np.nan).astype(
                np.float32
            )

    def _skills(self, profile: ResumeProfile, index: JobIndex) -> np.ndarray:
        held = np.zeros(len(self.skill_ids) + 1, dtype=np.float32)
        for skill in profile.skills:
            skill_id = self.skill_ids.get(skill)
            if skill_id is not None:
                held[skill_id] = 1.0
        matched = segment_sums(index.skill_weights * held[index.skills], index.skill_indptr)
        with np.errstate(invalid="ignore"):
            fit = (matched + 0.5) / (index.skill_total + 1.0)
        return np.where(index.skill_total > 0, fit, np.nan).astype(np.float32)


def _domain(profile: ResumeProfile, index: JobIndex) -> np.ndarray:
    wanted = domain_vector((skill, 1.0) for skill in profile.skills)
    if not wanted.any():
        return np.full(len(index), np.nan, dtype=np.float32)
    fit = index.domain @ wanted
    return np.where(index.domain.any(axis=1), fit, np.nan).astype(np.float32)


def _occupation(profile: ResumeProfile, index: JobIndex) -> np.ndarray:
    credit = {s: 1.0 for s in profile.title_skills}
    fits: dict[tuple[str, ...], float] = {}  # postings share a few hundred distinct titles' fields
    values = np.full(len(index), np.nan, dtype=np.float32)
    for i, named in enumerate(index.title_skills):
        if named:
            if named not in fits:
                fits[named] = sum(
                    credit.get(s, SKILL_OCCUPATION_CREDIT if s in profile.skills else 0.0) for s in named
                ) / len(named)
            values[i] = fits[named]
    return values


def _seniority(profile: ResumeProfile, index: JobIndex) -> np.ndarray:
    if profile.level is None:
        return np.full(len(index), np.nan, dtype=np.float32)
    gap = np.abs(index.level - profile.level)
    fit = _LEVEL_GAP_FIT[np.nan_to_num(gap, nan=0).astype(np.int64).clip(0, len(_LEVEL_GAP_FIT) - 1)]
    return np.where(np.isnan(gap), np.nan, fit).astype(np.float32)


def _experience(profile: ResumeProfile, index: JobIndex) -> np.ndarray:
    if profile.years is None:
        return np.full(len(index), np.nan, dtype=np.float32)
    years = profile.years
    with np.errstate(invalid="ignore", divide="ignore"):
        short = np.clip(years / index.years_min, 0, 1)
        over = ~np.isnan(index.years_max) & (years > index.years_max + 5)  # far above a capped range
        fit = np.where(years >= index.years_min, np.where(over, 0.8, 1.0), short)
    return np.where(np.isnan(index.years_min), np.nan, fit).astype(np.float32)


def location_fit(wanted: str, job_location: str | None, remote: bool) -> float | None:
    """1 remote or same place, 0.6 same region/country, 0.15 elsewhere, None when the job says nothing."""
    if remote:
        return 1.0
    if not job_location:
        return None
    wanted_parts = [p.strip().lower() for p in wanted.replace("·", ",").split(",") if p.strip()]
    where = job_location.lower()
    if not wanted_parts:
        return None
    if wanted_parts[0] in ("remote", "anywhere", "远程"):
        return 0.15
    if wanted_parts[0] in where:
        return 1.0
    if any(part in where for part in wanted_parts[1:]):
        return 0.6
    return 0.15


def _location(profile: ResumeProfile, index: JobIndex) -> np.ndarray:
    if not profile.location:
        return np.full(len(index), np.nan, dtype=np.float32)
    fits: dict[tuple[str | None, bool], float | None] = {}
    values = []
    for place, remote in zip(index.locations, index.remote, strict=True):
        key = (place, bool(remote))
        if key not in fits:
            fits[key] = location_fit(profile.location, place, bool(remote))
        values.append(math.nan if fits[key] is None else fits[key])
    return np.array(values, dtype=np.float32)


def _salary(profile: ResumeProfile, index: JobIndex) -> np.ndarray:
    wish = profile.desired_salary
    wanted = wish and (wish.annual_min or wish.annual_max)
    if not wanted:
        return np.full(len(index), np.nan, dtype=np.float32)
    comparable = np.array(
        [wish.currency is None or c is None or c == wish.currency for c in index.currency], dtype=bool
    )
    with np.errstate(invalid="ignore"):
        fit = np.clip(index.salary / wanted, 0, 1) ** 2
    return np.where(comparable & ~np.isnan(index.salary), fit, np.nan).astype(np.float32)


def explain(
    parts: ScoreParts,
    score: float,
    features: JobFeatures,
    profile: ResumeProfile,
    matched: list[str],
    missing: list[str],
) -> str:
    """One line a person reads in a table: the verdict, then the facts behind it."""
    verdict = "strong" if score >= 0.7 else "good" if score >= 0.5 else "partial" if score >= 0.3 else "weak"
    facts = []
    if parts.title is not None:
        facts.append(
            "title fits your roles"
            if parts.title >= 0.7
            else "title differs from your roles"
            if parts.title < 0.35
            else "title partly fits"
        )
    if parts.occupation is not None and features.title_skills:
        fields = ", ".join(features.title_skills[:2])
        if parts.occupation >= 0.99:
            facts.append(f"{fields}: your field")
        elif parts.occupation < 0.3:
            facts.append(f"{fields}: not your field")
    required = len(features.required_skills)
    if required:
        held = required - len(missing)
        shown = ", ".join([s for s in matched if s in features.required_skills][:3])
        facts.append(f"{held}/{required} required skills" + (f" ({shown})" if shown else ""))
    if missing:
        facts.append("missing " + ", ".join(missing[:3]) + (" ..." if len(missing) > 3 else ""))
    if features.years and profile.years is not None and parts.experience is not None and parts.experience < 1:
        facts.append(f"asks {features.years.text}, you have {profile.years:g}")
    if (
        features.level is not None
        and profile.level is not None
        and parts.seniority is not None
        and parts.seniority < 0.6
    ):
        facts.append(
            f"{LEVEL_NAMES[int(features.level)]}-level role, you read as {LEVEL_NAMES[int(profile.level)]}"
        )
    if features.remote:
        facts.append("remote")
    elif parts.location is not None and parts.location < 0.6:
        facts.append(f"located in {features.location}")
    if parts.salary is not None and parts.salary < 0.8:
        facts.append("pays below your expectation")
    if not facts and parts.text is not None:
        facts.append(
            "wording close to your resume" if parts.text >= 0.5 else "few words in common with your resume"
        )
    return f"{verdict} match: " + "; ".join(facts)
