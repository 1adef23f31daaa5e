"""Each failure class of real layouts, on files made the way people make them (bench/resume_corpus.py:
rendercv themes, python-docx layouts, LibreOffice exports), against the truth in
bench/resume_people/people.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jobsearch_mcp_server.resume.documents import extract_document
from jobsearch_mcp_server.resume.heuristics import parse_resume_text
from jobsearch_mcp_server.resume.models import Resume

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ROOT / "tests" / "fixtures" / "resumes" / "layouts"
PEOPLE = {
    p["id"]: p for p in json.loads((ROOT / "bench" / "resume_people" / "people.json").read_text("utf-8"))
}


def parse(name: str) -> tuple[Resume, dict]:
    extracted = extract_document((LAYOUTS / name).read_bytes(), name)
    return parse_resume_text(extracted.text, name), PEOPLE[name.split("__")[0]]


def _squeeze(value: str | None) -> str | None:
    # a PDF text layer sets a space between Latin and Chinese ("Java 开发工程师")
    return re.sub(r"(?<=[A-Za-z]) (?=[\u4e00-\u9fff])", "", value) if value else value


def jobs(resume: Resume) -> set[tuple]:
    return {(_squeeze(e.title), _squeeze(e.company), e.start, e.end) for e in resume.experience}


def truth_jobs(person: dict) -> set[tuple]:
    return {(j["title"], j["company"], j["start"], j["end"]) for j in person["jobs"]}


def span_of(resume: Resume, field: str) -> str:
    evidence = resume.evidence[field]
    return resume.raw_text[evidence.start : evidence.end]


@pytest.mark.parametrize(
    "name",
    [
        "emily_carter__rendercv-classic.pdf",  # "Employer, Title" above bullets, dates below them
        "grace_lim__rendercv-sb2nov.pdf",  # title line, employer line, place line, dates
        "priya_sharma__rendercv-moderncv.pdf",  # dates on the left, then "Employer, Title, City"
        "emily_carter__word-table.docx",  # employer | dates / title | city table rows
        "emily_carter__wordpdf-table.pdf",  # the same rows exported: cells joined by one space
        "sophie_turner__wordpdf-table.pdf",  # a right cell of dates and places is no page column
        "lukas_weber__word-columns.docx",  # a sidebar next to the main column
        "wang_fang__wordpdf-tabs.pdf",  # Chinese, right-tab dates, 2020年6月 - 至今
    ],
)
def test_every_job_gets_title_employer_and_dates(name):
    resume, person = parse(name)
    assert truth_jobs(person) <= jobs(resume)
    for entry in resume.experience:
        assert " / " not in (entry.title or "") + (entry.company or "")


def test_links_drawn_as_icons_are_read_from_the_pdf_link_annotations():
    resume, person = parse("emily_carter__rendercv-classic.pdf")
    assert "linkedin.com/in/emily-carter-data" not in resume.raw_text.split("Links")[0]  # icon + username
    assert resume.links["linkedin"].endswith("/in/" + person["linkedin"])
    assert resume.links["github"].endswith("/" + person["github"])
    assert span_of(resume, "links.github") == resume.links["github"]


def test_an_email_the_text_layer_split_at_a_dot_is_read_whole():
    resume, person = parse("emily_carter__rendercv-engineeringresumes.pdf")
    assert "emily .carter@" in resume.raw_text
    assert resume.email == person["email"]
    assert span_of(resume, "email").replace(" ", "") == person["email"]


def test_a_name_in_a_word_header_table_is_kept():
    resume, person = parse("emily_carter__word-table.docx")
    assert resume.name == person["name"]
    assert resume.location == "Jersey City, NJ"  # whole, not "NJ"


def test_a_national_phone_number_is_read_in_the_country_of_the_persons_city():
    resume, person = parse("lukas_weber__word-columns.docx")
    assert resume.phone == person["phone"] == "030 90182045"
    assert resume.location == "Berlin, Germany"


def test_chinese_location_and_education():
    resume, _ = parse("wang_fang__wordpdf-tabs.pdf")
    assert resume.location == "北京市海淀区"
    assert [(e.school, e.degree) for e in resume.education] == [("北京邮电大学", "硕士")]


def test_education_school_without_glued_degree_or_dates():
    resume, _ = parse("emily_carter__rendercv-classic.pdf")  # "B.S. Rutgers University, Computer Science"
    assert [(e.school, e.degree) for e in resume.education] == [("Rutgers University", "B.S.")]
    resume, _ = parse("priya_sharma__rendercv-moderncv.pdf")  # "2013-07 – 2015-06 Indian Institute ..."
    assert {e.school for e in resume.education} == {
        "Indian Institute of Technology Bombay",
        "University of Pune",
    }


def test_a_campus_after_the_comma_stays_with_the_school():
    text = "Ada Park\nEducation\nBS in Physics, University of California, Berkeley 2015 - 2019\n"
    assert parse_resume_text(text).education[0].school == "University of California, Berkeley"


def test_a_hyphenated_present_keeps_the_current_job():
    text = "Ada Park\nExperience\nStaff Engineer, Northwind Labs\nJan 2020 - Pre-\nsent\n- Led the platform team\n"
    entry = parse_resume_text(text).experience[0]
    assert (entry.title, entry.company, entry.start, entry.end) == (
        "Staff Engineer",
        "Northwind Labs",
        "2020-01",
        "present",
    )
    text = text.replace("Pre-\nsent", "Pre - sent")
    assert parse_resume_text(text).experience[0].end == "present"


def test_an_unreadable_field_stays_empty():
    resume = parse_resume_text("Ada Park\nExperience\nStaff Engineer, Northwind Labs\n")
    assert resume.phone is None and resume.location is None and resume.email is None


def test_a_degree_the_text_layer_glued_onto_the_school_is_split_off():
    text = "Ada Park\nEducation\nM. TechIndian Institute of Technology Bombay, Computer Science July 2013 – June 2015\n"
    entry = parse_resume_text(text).education[0]
    assert (entry.degree, entry.school) == ("M. Tech", "Indian Institute of Technology Bombay")


def test_an_employer_before_a_city_is_no_place():
    text = "Ada Park\nExperience\nData Analyst\t2019-01 – 2021-06\nOrchid Telecom, Singapore\n- Wrote churn analyses\n"
    entry = parse_resume_text(text).experience[0]
    assert (entry.title, entry.company, entry.location) == ("Data Analyst", "Orchid Telecom", "Singapore")


@pytest.mark.parametrize(
    "name",
    [
        "emily_carter__rendercv-classic.pdf",
        "grace_lim__rendercv-sb2nov.pdf",
        "priya_sharma__rendercv-moderncv.pdf",
        "sophie_turner__wordpdf-table.pdf",
        "lukas_weber__word-columns.docx",
        "wang_fang__wordpdf-tabs.pdf",
    ],
)
def test_skills_are_the_listed_ones_and_those_the_text_names(name):
    """A skill is right when the Skills section lists it or the text names it (people.json's
    mentioned_skills); a job title's role word, a profile username or a wrong sense adds none."""
    resume, person = parse(name)
    assert set(person["skills"]) <= set(resume.skills)
    assert set(resume.skills) <= set(person["skills"]) | set(person["mentioned_skills"])


def test_a_profile_username_beside_its_icon_is_no_skill():
    # the text layer reads "/github ecarter-dev" (an icon font's glyph name and the username)
    resume, _ = parse("emily_carter__rendercv-classic.pdf")
    assert re.search(r"/github\s+ecarter-dev", resume.raw_text)
    assert "Git" not in resume.skills


def test_a_job_title_names_the_job_not_the_skill():
    resume, _ = parse("grace_lim__rendercv-sb2nov.pdf")
    assert "Data Scientist" in resume.raw_text
    assert "Data Science" not in resume.skills
    assert "Statistics" in resume.skills  # her MSc in Statistics names it
    resume, _ = parse("sophie_turner__wordpdf-table.pdf")
    assert "HR Business Partner" not in resume.skills
    resume, _ = parse("lukas_weber__word-columns.docx")  # Software Developer
    assert "Software Engineering" not in resume.skills


def test_a_word_in_another_sense_is_no_skill():
    resume, _ = parse("lukas_weber__word-columns.docx")  # "a GraphQL gateway for the mobile apps"
    assert "Mobile Development" not in resume.skills
    resume, _ = parse("wang_fang__wordpdf-tabs.pdf")  # 开发支付对账模块: built a reconciliation module
    assert "Reconciliation" not in resume.skills
    assert "Backend Development" in resume.skills  # 高级后端开发工程师 says "backend development"
