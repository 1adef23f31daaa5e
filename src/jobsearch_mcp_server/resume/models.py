"""The structured resume profile shared by parsing, storage, matching and the LLM tools."""

from __future__ import annotations

from pydantic import BaseModel, Field


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
