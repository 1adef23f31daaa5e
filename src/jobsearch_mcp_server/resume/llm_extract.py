"""The optional model pass of parse_resume: ask the LLM for the same structure, keep only what the text
backs up, and merge it into the heuristic result.

A value from the model is kept only if it can be found in the resume text (exactly, or with different
case and spacing), and it then carries that span as evidence; dates only if their year is in the text,
skills only if they are taxonomy skills the text mentions. Everything else is dropped and counted in a
warning: a model that invents a "John Doe" for an empty scan changes nothing.
"""

from __future__ import annotations

import logging
import re

from pydantic import BaseModel, Field, field_validator

from ..llm import BaseLLM, ProgressFn, TemplatePrompt
from ..skills import canonical_skill, extract_skills
from .dates import months_between, parse_year_month
from .history import experience_years
from .models import Education, Evidence, Experience, Resume
from .profile import LANGUAGES, URL, link_kind

log = logging.getLogger(__name__)


class _Item(BaseModel):
    """Model output is loose: numbers where strings are expected become strings, "" becomes None."""

    @field_validator("*", mode="before")
    @classmethod
    def _loose(cls, value: object) -> object:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str) and not value.strip():
            return None
        return value


class ExtractedExperience(_Item):
    title: str | None = None
    company: str | None = None
    location: str | None = None
    start: str | None = None
    end: str | None = None
    highlights: list[str] = Field(default_factory=list)


class ExtractedEducation(_Item):
    degree: str | None = None
    school: str | None = None
    field: str | None = None
    start: str | None = None
    end: str | None = None


class ExtractedResume(_Item):
    """What the model is asked for (prompts/resume_extract.*.md)."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    headline: str | None = None
    summary: str | None = None
    links: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    experience: list[ExtractedExperience] = Field(default_factory=list)
    education: list[ExtractedEducation] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)


PRESENT_WORDS = re.compile(r"present|current|now|till date|to date|ongoing|至今|现在|目前", re.IGNORECASE)


class _Verifier:
    """Finds model values in the resume text and counts the ones it cannot find."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.dropped = 0

    def locate(self, value: str | None) -> Evidence | None:
        if not value or not value.strip():
            return None
        value = value.strip()
        at = self.text.find(value)
        if at < 0:
            words = [re.escape(w) for w in value.split()]
            match = re.search(r"\s*".join(words) if len(words) > 1 else words[0], self.text, re.IGNORECASE)
            if not match:
                self.dropped += 1
                return None
            return Evidence(start=match.start(), end=match.end())
        return Evidence(start=at, end=at + len(value))

    def copied(self, value: str | None) -> str | None:
        """The text's own spelling of `value`, or None if it is not in the text."""
        found = self.locate(value)
        return self.text[found.start : found.end] if found else None

    def date(self, value: str | None) -> str | None:
        if value is None:
            return None
        if value.strip().lower() == "present":
            if PRESENT_WORDS.search(self.text):
                return "present"
            self.dropped += 1
            return None
        parsed = parse_year_month(value)
        if parsed and str(parsed.year) in self.text:
            return str(parsed)
        self.dropped += 1
        return None


def _experience(verify: _Verifier, item: ExtractedExperience) -> Experience | None:
    title, company = verify.copied(item.title), verify.copied(item.company)
    if not (title or company):
        return None
    spans = [e for e in (verify.locate(title), verify.locate(company)) if e]
    start, end = verify.date(item.start), verify.date(item.end)
    start_month, end_month = parse_year_month(start), parse_year_month(end)
    known_end = end == "present" or end_month is not None
    duration = months_between(start_month, end_month) if start_month and known_end else None
    return Experience(
        title=title,
        company=company,
        location=verify.copied(item.location),
        start=start,
        end=end,
        duration_months=duration,
        highlights=[h for h in (verify.copied(h) for h in item.highlights) if h],
        evidence=Evidence(start=min(e.start for e in spans), end=max(e.end for e in spans)),
    )


def _education(verify: _Verifier, item: ExtractedEducation) -> Education | None:
    school, degree = verify.copied(item.school), verify.copied(item.degree)
    if not (school or degree):
        return None
    spans = [e for e in (verify.locate(school), verify.locate(degree)) if e]
    return Education(
        degree=degree,
        school=school,
        field=verify.copied(item.field),
        start=verify.date(item.start),
        end=verify.date(item.end),
        evidence=Evidence(start=min(e.start for e in spans), end=max(e.end for e in spans)),
    )


def _completeness(entries: list[Experience] | list[Education]) -> int:
    """How many of the fields that matter are filled: what, where, from, to."""
    keys = ("title", "company", "degree", "school", "start", "end")
    return sum(1 for entry in entries for key in keys if getattr(entry, key, None))


def merge(resume: Resume, extracted: ExtractedResume) -> Resume:
    """`resume` with the verified parts of the model's `extracted` filled in; the heuristic values of
    contact fields win (they are exact matches), the model's jobs and schools win when they are more
    complete (it splits titles from companies better)."""
    verify = _Verifier(resume.raw_text)
    update: dict = {}
    evidence = dict(resume.evidence)
    for field in ("name", "email", "phone", "location", "headline", "summary"):
        found = verify.locate(getattr(extracted, field))
        if found and not getattr(resume, field):
            update[field] = resume.raw_text[found.start : found.end]
            evidence[field] = found
    links = dict(resume.links)
    for link in extracted.links:
        found = verify.locate(link)
        if found and URL.fullmatch(resume.raw_text[found.start : found.end]):
            url = resume.raw_text[found.start : found.end]
            kind = link_kind(url)
            if kind and kind not in links:
                links[kind] = url
                evidence[f"links.{kind}"] = found
    skills = list(resume.skills)
    in_text = {m.name: m for m in extract_skills(resume.raw_text) if not m.role}
    for written in extracted.skills:
        name = canonical_skill(written)
        if name and name in in_text:
            if name not in skills:
                skills.append(name)
                evidence[f"skills.{name}"] = Evidence(start=in_text[name].start, end=in_text[name].end)
        else:
            verify.dropped += 1
    languages = list(resume.languages)
    for written in extracted.languages:
        name = LANGUAGES.get(written.strip().lower(), written.strip().title())
        found = verify.locate(written)
        if found and name in LANGUAGES.values() and name not in languages:
            languages.append(name)
            evidence[f"languages.{name}"] = found
    experience = [e for e in (_experience(verify, i) for i in extracted.experience) if e]
    education = [e for e in (_education(verify, i) for i in extracted.education) if e]
    if _completeness(experience) > _completeness(resume.experience):
        update["experience"] = experience
        update["total_years_experience"] = experience_years(experience)
    if _completeness(education) > _completeness(resume.education):
        update["education"] = education
    warnings = list(resume.warnings)
    if verify.dropped:
        warnings.append(
            f"{verify.dropped} value(s) from the model were dropped because the resume text does not "
            "contain them"
        )
    return resume.model_copy(
        update={
            **update,
            "links": links,
            "skills": skills,
            "languages": languages,
            "evidence": evidence,
            "parsed_with": [*resume.parsed_with, "llm"],
            "warnings": warnings,
        }
    )


async def refine_with_llm(resume: Resume, llm: BaseLLM, progress: ProgressFn | None = None) -> Resume:
    """`resume` merged with what the model reads from its text. Raises `LLMUnavailable` / `LLMError`."""
    prompt = TemplatePrompt(
        name="resume_extract", language=resume.language, data={"resume": ("resume", resume.raw_text)}
    )
    extracted = await llm.complete_json(prompt, ExtractedResume, progress=progress)
    return merge(resume, extracted)
