"""Clean resume text in, a `Resume` out, by rules alone (no model): every value is copied from the text
and carries the span it came from."""

from __future__ import annotations

import hashlib
import re

from ..skills import extract_skills
from .history import experience_years, find_education, find_experience
from .models import Education, Evidence, Experience, Resume
from .profile import (
    EMAIL,
    URL,
    Found,
    find_email,
    find_headline,
    find_languages,
    find_links,
    find_location,
    find_name,
    find_phone,
    find_summary,
)
from .sections import find_sections, header_end

CJK = re.compile(r"[\u4e00-\u9fff]")
# What stands before a profile's username on the page: its label ("GitHub:") or the glyph name an icon
# font leaves in a PDF's text layer ("/github", "/linkedin-in").
PROFILE_LABEL = r"/?(?:github|gitlab|bitbucket|linkedin)(?:-in|-square|-alt)?[ \t]*[:：|]?[ \t]*"


def resume_id_for(text: str) -> str:
    """A stable id for a resume: the same text always gets the same id, whatever file it came in."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def main_language(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    chinese = sum(1 for c in letters if CJK.match(c))
    return "zh" if letters and chinese / len(letters) > 0.2 else "en"


def _evidence(found: Found) -> Evidence:
    return Evidence(start=found.start, end=found.end)


def _without_names(
    text: str, experience: list[Experience], education: list[Education], links: dict[str, Found]
) -> str:
    """The text with addresses, profile usernames and the names of employers and schools blanked out
    (offsets kept): "Kaveri Logistics", "Orchid Telecom", "github.com/jdoe" and "/github jdoe-cpa" name no
    skill of the person."""
    names = {e.company for e in experience if e.company} | {e.school for e in education if e.school}
    spans = [m.span() for m in URL.finditer(text)] + [m.span() for m in EMAIL.finditer(text)]
    for name in names:
        spans += [m.span() for m in re.finditer(re.escape(name), text)]
    for kind in ("linkedin", "github"):
        username = links[kind].value.rstrip("/").rsplit("/", 1)[-1] if kind in links else ""
        if username:
            profile = re.compile(rf"(?<![\w/-]){PROFILE_LABEL}{re.escape(username)}(?![\w-])", re.IGNORECASE)
            spans += [m.span() for m in profile.finditer(text)]
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def parse_resume_text(text: str, filename: str | None = None) -> Resume:
    """The heuristic profile of clean resume text (see `cleaning.clean_text`)."""
    sections = find_sections(text)
    header = header_end(text, sections)
    # Where contact details are expected: the header and a contact (or links) section.
    contact = [(0, header)] + [(s.body_start, s.end) for s in sections if s.name in ("contact", "links")]
    evidence: dict[str, Evidence] = {}
    located = find_location(text, contact)
    scalars = {
        "name": find_name(text, header),
        "email": find_email(text),
        # a national number ("030 90182045") is read in the country the person lives in
        "phone": find_phone(text, contact, located[1].country if located else None),
        "location": located[0] if located else None,
        "summary": find_summary(text, sections),
    }
    scalars["headline"] = find_headline(text, header, scalars["name"])
    values: dict[str, str | None] = {}
    for field, found in scalars.items():
        values[field] = found.value if found else None
        if found:
            evidence[field] = _evidence(found)
    links = find_links(text)
    for kind, found in links.items():
        evidence[f"links.{kind}"] = _evidence(found)
    experience = find_experience(text, sections)
    education = find_education(text, sections)
    skills: list[str] = []
    for match in extract_skills(_without_names(text, experience, education, links)):
        # "Registered Nurse", "Data Scientist", "产品经理": the person's job, not a skill the text names
        if not match.role and match.name not in skills:
            skills.append(match.name)
            evidence[f"skills.{match.name}"] = Evidence(start=match.start, end=match.end)
    languages = find_languages(text, sections)
    for found in languages:
        evidence[f"languages.{found.value}"] = _evidence(found)
    return Resume(
        resume_id=resume_id_for(text),
        filename=filename,
        links={kind: found.value for kind, found in links.items()},
        skills=skills,
        experience=experience,
        total_years_experience=experience_years(experience),
        education=education,
        languages=[found.value for found in languages],
        sections=list(dict.fromkeys(s.title for s in sections)),
        evidence=evidence,
        language=main_language(text),
        raw_text=text,
        **values,
    )
