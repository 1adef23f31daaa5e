"""JSON Resume (jsonresume.org, the schema resume tools exchange) in and out, and rendercv's YAML in.

A resume that is already structured is taken as it is, not guessed at: `structured_resume` reads a JSON
Resume document or a rendercv YAML file into a `Resume` whose fields are exactly the file's. Its raw text
is written from those fields (name, contact, entries, skills), so that every field keeps an evidence span
like a parsed one. `to_json_resume` gives any stored resume in the JSON Resume schema.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import yaml

from ..skills import extract_skills
from .heuristics import main_language, resume_id_for
from .history import experience_years
from .models import Education, Evidence, Experience, Resume
from .places import find_place

SCHEMA = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
# Bounds for what comes from outside: entries per list, characters per value.
MAX_ITEMS = 60
MAX_CHARS = 2000
DATE = re.compile(r"^\s*((?:19|20)\d\d)(?:-(0[1-9]|1[0-2]))?")


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())[:MAX_CHARS]
    return value or None


def _items(value: Any) -> list:
    return value[:MAX_ITEMS] if isinstance(value, list) else []


def _date(value: Any) -> str | None:
    """A JSON Resume / rendercv date as YYYY-MM or YYYY; "present" for an open end."""
    text = _text(value)
    if text is None:
        return None
    if text.lower() in ("present", "now", "current"):
        return "present"
    match = DATE.match(text)
    return (
        f"{match.group(1)}-{match.group(2)}"
        if match and match.group(2)
        else match.group(1)
        if match
        else None
    )


def _months(start: str | None, end: str | None) -> int | None:
    first = DATE.match(start or "")
    if not first:
        return None
    if end == "present":
        today = date.today()
        last_year, last_month = today.year, today.month
    else:
        last = DATE.match(end or "")
        if not last:
            return None
        last_year, last_month = int(last.group(1)), int(last.group(2) or 1)
    months = (last_year - int(first.group(1))) * 12 + last_month - int(first.group(2) or 1) + 1
    return months if months > 0 else None


class _Writer:
    """Writes the raw text line by line and remembers where each value went."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.evidence: dict[str, Evidence] = {}

    def line(self, value: str | None, field: str | None = None, prefix: str = "") -> Evidence | None:
        if not value:
            return None
        start = self.length + len(prefix)
        self.parts.append(prefix + value + "\n")
        self.length += len(prefix) + len(value) + 1
        span = Evidence(start=start, end=start + len(value))
        if field:
            self.evidence[field] = span
        return span

    @property
    def text(self) -> str:
        return "".join(self.parts).strip("\n")


def looks_structured(text: str, filename: str | None) -> bool:
    name = (filename or "").lower()
    head = text.lstrip()[:2000]
    return (
        name.endswith((".json", ".yaml", ".yml"))
        or (head.startswith("{") and '"basics"' in head)
        or bool(re.match(r"(?:#.*\n|\s*\n)*cv:\s*$", head, re.MULTILINE))
    )


def structured_resume(text: str, filename: str | None = None) -> Resume | None:
    """The resume in a JSON Resume document or a rendercv YAML file; None for any other text."""
    if not looks_structured(text, filename):
        return None
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("basics"), dict):
        return _from_json_resume(data, filename, "jsonresume")
    if isinstance(data.get("cv"), dict) and _text(data["cv"].get("name")):
        return _from_json_resume(_rendercv_to_json_resume(data["cv"]), filename, "rendercv")
    return None


def _from_json_resume(data: dict, filename: str | None, kind: str) -> Resume:
    basics = data["basics"]
    out = _Writer()
    name = _text(basics.get("name"))
    out.line(name, "name")
    out.line(_text(basics.get("label")), "headline")
    out.line(_text(basics.get("email")), "email")
    out.line(_text(basics.get("phone")), "phone")
    location = basics.get("location") if isinstance(basics.get("location"), dict) else {}
    place = (
        ", ".join(p for p in (_text(location.get(k)) for k in ("city", "region", "countryCode")) if p) or None
    )
    out.line(place, "location")
    links: dict[str, str] = {}
    website = _text(basics.get("url"))
    for profile in _items(basics.get("profiles")):
        if not isinstance(profile, dict):
            continue
        url = _text(profile.get("url"))
        network = (_text(profile.get("network")) or "").lower()
        kind_of = "linkedin" if "linkedin" in network else "github" if "github" in network else None
        if url and kind_of and kind_of not in links:
            links[kind_of] = url
            out.line(url, f"links.{kind_of}")
    if website:
        links["website"] = website
        out.line(website, "links.website")
    summary = _text(basics.get("summary"))
    if summary:
        out.line("Summary")
        out.line(summary, "summary")
    experience = []
    if _items(data.get("work")):
        out.line("Experience")
    for job in _items(data.get("work")):
        if not isinstance(job, dict):
            continue
        title, company = _text(job.get("position")), _text(job.get("name") or job.get("company"))
        start, end = (
            _date(job.get("startDate")),
            _date(job.get("endDate")) or ("present" if job.get("startDate") else None),
        )
        heading = out.line(", ".join(p for p in (title, company) if p) or None)
        dates = out.line(f"{start} - {end}" if start else None)
        highlights = [h for h in (_text(h) for h in _items(job.get("highlights"))) if h]
        for highlight in highlights:
            out.line(highlight, prefix="- ")
        spans = [s for s in (heading, dates) if s]
        experience.append(
            Experience(
                title=title,
                company=company,
                location=_text(job.get("location")),
                start=start,
                end=end,
                duration_months=_months(start, end),
                highlights=highlights[:8],
                evidence=Evidence(start=spans[0].start, end=out.length) if spans else None,
            )
        )
    education = []
    if _items(data.get("education")):
        out.line("Education")
    for school in _items(data.get("education")):
        if not isinstance(school, dict):
            continue
        degree, field, institution = (_text(school.get(k)) for k in ("studyType", "area", "institution"))
        start, end = _date(school.get("startDate")), _date(school.get("endDate"))
        heading = out.line(", ".join(p for p in (degree, field, institution) if p) or None)
        out.line(" - ".join(d for d in (start, end) if d) or None)
        education.append(
            Education(
                degree=degree,
                school=institution,
                field=field,
                start=start,
                end=end,
                evidence=Evidence(start=heading.start, end=out.length) if heading else None,
            )
        )
    named = []
    for skill in _items(data.get("skills")):
        if isinstance(skill, dict):
            named += [_text(skill.get("name")), *(_text(k) for k in _items(skill.get("keywords")))]
    named = [n for n in named if n]
    skills: list[str] = []
    if named:
        out.line("Skills")
        line = out.line(", ".join(named))
        line_text = ", ".join(named)
        for match in extract_skills(line_text):
            if match.name not in skills:
                skills.append(match.name)
                out.evidence[f"skills.{match.name}"] = Evidence(
                    start=line.start + match.start, end=line.start + match.end
                )
    languages = []
    for spoken in _items(data.get("languages")):
        value = _text(spoken.get("language")) if isinstance(spoken, dict) else None
        if value:
            if not languages:
                out.line("Languages")
            languages.append(value)
            out.line(value, f"languages.{value}")
    text = out.text
    return Resume(
        resume_id=resume_id_for(text),
        filename=filename,
        format=kind,
        name=name,
        email=_text(basics.get("email")),
        phone=_text(basics.get("phone")),
        links=links,
        location=place,
        headline=_text(basics.get("label")),
        summary=summary,
        skills=skills,
        experience=experience,
        total_years_experience=experience_years(experience),
        education=education,
        languages=languages,
        sections=[
            s
            for s, present in (
                ("Summary", summary),
                ("Experience", experience),
                ("Education", education),
                ("Skills", named),
            )
            if present
        ],
        evidence=out.evidence,
        language=main_language(text),
        parsed_with=[kind],
        raw_text=text,
    )


SOCIAL_URLS = {"linkedin": "https://linkedin.com/in/{}", "github": "https://github.com/{}"}


def _rendercv_to_json_resume(cv: dict) -> dict:
    """rendercv's `cv` block as a JSON Resume document (rendercv 1.x and 2.x use the same fields)."""
    profiles = []
    for social in _items(cv.get("social_networks")):
        if isinstance(social, dict) and _text(social.get("username")):
            network = _text(social.get("network")) or ""
            pattern = SOCIAL_URLS.get(network.lower())
            url = pattern.format(social["username"]) if pattern else None
            profiles.append({"network": network, "username": social["username"], "url": url})
    work, education, skills, summary = [], [], [], None
    sections = cv.get("sections") if isinstance(cv.get("sections"), dict) else {}
    for title, entries in list(sections.items())[:MAX_ITEMS]:
        for entry in _items(entries):
            if isinstance(entry, str) and str(title).lower() in ("summary", "profile", "about", "about_me"):
                summary = f"{summary} {entry}" if summary else entry
            elif not isinstance(entry, dict):
                continue
            elif "company" in entry and "position" in entry:
                work.append(
                    {
                        "name": entry.get("company"),
                        "position": entry.get("position"),
                        "location": entry.get("location"),
                        "startDate": entry.get("start_date") or entry.get("date"),
                        "endDate": entry.get("end_date"),
                        "highlights": entry.get("highlights"),
                    }
                )
            elif "institution" in entry:
                education.append(
                    {
                        "institution": entry.get("institution"),
                        "area": entry.get("area"),
                        "studyType": entry.get("degree"),
                        "startDate": entry.get("start_date"),
                        "endDate": entry.get("end_date") or entry.get("date"),
                    }
                )
            elif "label" in entry and "details" in entry:
                details = _text(entry.get("details")) or ""
                skills.append(
                    {"name": entry.get("label"), "keywords": [d.strip() for d in details.split(",")]}
                )
    location = _text(cv.get("location"))
    place = find_place(location) if location else None
    phone = _text(cv.get("phone"))
    return {
        "basics": {
            "name": cv.get("name"),
            "label": cv.get("label") or cv.get("headline"),
            "email": cv.get("email"),
            "phone": phone.removeprefix("tel:") if phone else None,
            "url": cv.get("website"),
            "summary": summary,
            "location": {"city": location}
            if location and not place
            else {"city": place.text}
            if place
            else {},
            "profiles": profiles,
        },
        "work": work,
        "education": education,
        "skills": skills,
    }


def to_json_resume(resume: Resume) -> dict:
    """A parsed or imported resume in the JSON Resume schema (v1.0.0); empty fields are left out."""
    place = find_place(resume.location) if resume.location else None
    basics: dict[str, Any] = {
        "name": resume.name,
        "label": resume.headline,
        "email": resume.email,
        "phone": resume.phone,
        "url": resume.links.get("website"),
        "summary": resume.summary,
        "location": {
            "city": place.city if place and place.city else resume.location,
            "countryCode": place.country if place else None,
        }
        if resume.location
        else None,
        "profiles": [
            {"network": network, "username": url.rstrip("/").rsplit("/", 1)[-1], "url": url}
            for network, url in (
                ("LinkedIn", resume.links.get("linkedin")),
                ("GitHub", resume.links.get("github")),
            )
            if url
        ],
    }
    work = [
        {
            "name": job.company,
            "position": job.title,
            "location": job.location,
            "startDate": job.start,
            "endDate": None if job.end == "present" else job.end,
            "highlights": job.highlights,
        }
        for job in resume.experience
    ]
    education = [
        {
            "institution": school.school,
            "area": school.field,
            "studyType": school.degree,
            "startDate": school.start,
            "endDate": None if school.end == "present" else school.end,
        }
        for school in resume.education
    ]
    document = {
        "$schema": SCHEMA,
        "basics": basics,
        "work": work,
        "education": education,
        "skills": [{"name": skill} for skill in resume.skills],
        "languages": [{"language": language} for language in resume.languages],
        "meta": {"version": "v1.0.0", "resume_id": resume.resume_id},
    }
    return _pruned(document)


def _pruned(value: Any) -> Any:
    """`value` without None, empty strings, lists and objects (the schema has no null fields)."""
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (_pruned(v) for v in value) if v not in (None, "", [], {})]
    return value
