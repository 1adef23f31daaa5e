"""The structured resume profile shared by parsing, storage, matching and the LLM tools."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema


class Evidence(BaseModel):
    """Where in the raw text a value was found, so every field can be checked against the source."""

    start: int
    end: int


class Experience(BaseModel):
    title: str | None = None
    company: str | None = None
    location: str | None = None
    start: str | None = Field(None, description="YYYY-MM or YYYY")
    end: str | None = Field(None, description="YYYY-MM, YYYY, or 'present'")
    duration_months: int | None = None
    highlights: list[str] = Field(default_factory=list)
    evidence: Evidence | None = None


class Education(BaseModel):
    degree: str | None = None
    school: str | None = None
    field: str | None = None
    start: str | None = None
    end: str | None = None
    evidence: Evidence | None = None


class Resume(BaseModel):
    """A parsed resume. `resume_id` is a hash of the text, so the same file always gets the same id."""

    resume_id: str
    filename: str | None = None
    format: Literal["pdf", "docx", "text", "markdown", "jsonresume", "rendercv"] | None = Field(
        None, description="what the text came from (jsonresume, rendercv: taken exactly from the file)"
    )
    pages: int | None = Field(None, description="pages read, for PDFs")
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    links: dict[str, str] = Field(default_factory=dict, description="linkedin, github, website, ...")
    location: str | None = None
    headline: str | None = None
    summary: str | None = None
    skills: list[str] = Field(default_factory=list, description="canonical skill names from the taxonomy")
    experience: list[Experience] = Field(default_factory=list)
    total_years_experience: float | None = None
    education: list[Education] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list, description="section headings found in the text")
    evidence: dict[str, Evidence] = Field(default_factory=dict, description="field name -> span in raw_text")
    language: str = Field("en", description="main language of the text: en or zh")
    parsed_with: list[str] = Field(default_factory=lambda: ["heuristic"])
    warnings: list[str] = Field(default_factory=list)
    raw_text: str = ""


class ResumeProfile(Resume):
    """A parsed resume without its raw text (read that from resume://{resume_id}/text)."""

    raw_text: SkipJsonSchema[str] = Field("", exclude=True)
    text_chars: int = Field(0, description="length of the raw text")

    @classmethod
    def of(cls, resume: Resume) -> ResumeProfile:
        return cls.model_validate({**resume.model_dump(), "text_chars": len(resume.raw_text)})


class ResumeSummary(BaseModel):
    """One stored resume, in a listing."""

    resume_id: str
    filename: str | None = None
    name: str | None = None
    headline: str | None = None
    skills: int = Field(0, description="how many skills were found")
    total_years_experience: float | None = None
    language: str = "en"


class ResumeList(BaseModel):
    resumes: list[ResumeSummary]


def resume_text(resume: Resume) -> str:
    """The resume as the model reads it: the original text, or the parsed fields when there is none."""
    if resume.raw_text.strip():
        return resume.raw_text.strip()
    lines = [resume.name or "", resume.headline or "", resume.summary or ""]
    if resume.skills:
        lines.append("Skills: " + ", ".join(resume.skills))
    for job in resume.experience:
        period = " - ".join(p for p in (job.start, job.end) if p)
        lines.append(" | ".join(p for p in (job.title, job.company, period) if p))
        lines.extend(f"- {highlight}" for highlight in job.highlights)
    for school in resume.education:
        lines.append(" | ".join(p for p in (school.degree, school.field, school.school, school.end) if p))
    return "\n".join(line for line in lines if line.strip())
