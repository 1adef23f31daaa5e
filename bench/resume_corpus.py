"""Makes resume files the way people make them, from the truth in bench/resume_people/people.json (the
people the parser was tuned on) and heldout.json (people written afterwards, scored but never tuned on).

Layouts (each person in each that fits their language):
- rendercv 1.x themes classic, sb2nov, moderncv, engineeringresumes (PDF through LaTeX); people alternate
  between icon + username links (the URL only in the PDF's link annotation) and written URLs, letter and A4,
  national and international phone forms. Needs rendercv in its own environment: RENDERCV=~/rcv/bin/rendercv.
- Word files made with python-docx: `tabs` (one column, right-tab-aligned dates), `table` (the "template"
  look: name and contact in a table in the page header, job lines in table rows), `textbox` (contact block
  in a text box), `columns` (a two-column table: sidebar and main column); and each one's PDF export by
  LibreOffice (`soffice`).
Chinese people get the Word layouts only (LaTeX here has no CJK fonts).

Run: `uv run python bench/resume_corpus.py OUT_DIR` (bench/resume_fields.py calls it when OUT_DIR is empty).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml
from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

PEOPLE = Path(__file__).with_name("resume_people") / "people.json"
HELDOUT = PEOPLE.with_name("heldout.json")
THEMES = ("classic", "sb2nov", "moderncv", "engineeringresumes")
WORD_LAYOUTS = ("tabs", "table", "textbox", "columns")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# rendercv's date_style placeholders and "present"/"to" words for the people's date styles.
RENDERCV_DATES = {
    "Mon YYYY": ("MONTH_ABBREVIATION YEAR", "Present", "–"),
    "Mon YYYY to": ("MONTH_ABBREVIATION YEAR", "Present", "to"),
    "Month YYYY": ("MONTH_NAME YEAR", "Present", "–"),
    "MM/YYYY": ("MONTH_IN_TWO_DIGITS/YEAR", "Present", "-"),
    "YYYY.MM": ("YEAR.MONTH_IN_TWO_DIGITS", "Present", "-"),
    "MM.YYYY today": ("MONTH_IN_TWO_DIGITS.YEAR", "today", "–"),
    "YYYY-MM": ("YEAR-MONTH_IN_TWO_DIGITS", "Present", "–"),
}
SECTION_TITLES = (
    ("Experience", "Education", "Skills"),
    ("Work Experience", "Education", "Technical Skills"),
    ("Professional Experience", "Education", "Core Competencies"),
    ("Employment History", "Education", "Skills"),
)
ZH_TITLES = ("工作经历", "教育背景", "专业技能")


def people() -> list[dict]:
    """The tuned-on people, then the held-out ones (each marked `"heldout": true`)."""
    tuned = json.loads(PEOPLE.read_text(encoding="utf-8"))
    heldout = json.loads(HELDOUT.read_text(encoding="utf-8"))
    return tuned + [{**person, "heldout": True} for person in heldout]


def write_date(value: str, style: str) -> str:
    """A YYYY-MM date (or "present") as the person writes it."""
    if value == "present":
        return {"YYYY年M月": "至今", "MM.YYYY today": "today"}.get(style, "Present")
    year, month = (int(part) for part in value.split("-"))
    return {
        "Mon YYYY": f"{MONTHS[month - 1][:3]} {year}",
        "Mon YYYY to": f"{MONTHS[month - 1][:3]} {year}",
        "Month YYYY": f"{MONTHS[month - 1]} {year}",
        "MM/YYYY": f"{month:02d}/{year}",
        "YYYY.MM": f"{year}.{month:02d}",
        "MM.YYYY today": f"{month:02d}.{year}",
        "YYYY-MM": f"{year}-{month:02d}",
        "YYYY年M月": f"{year}年{month}月",
        "YYYY/MM": f"{year}/{month:02d}",
    }[style]


def write_range(start: str, end: str, style: str) -> str:
    joiner = {"Mon YYYY to": " to ", "MM/YYYY": " - ", "YYYY.MM": " - ", "YYYY年M月": " - "}.get(style, " – ")
    return write_date(start, style) + joiner + write_date(end, style)


def _titles(person: dict, index: int) -> tuple[str, str, str]:
    return ZH_TITLES if person["lang"] == "zh" else SECTION_TITLES[index % len(SECTION_TITLES)]


# ---------------------------------------------------------------- rendercv


def rendercv_yaml(person: dict, theme: str, index: int) -> dict:
    icons = index % 2 == 0
    experience_title, education_title, skills_title = _titles(person, index)
    socials = [
        {"network": network, "username": person[key]}
        for network, key in (("LinkedIn", "linkedin"), ("GitHub", "github"))
        if person.get(key)
    ]
    date_style, present, to = RENDERCV_DATES[person["date_style"]]

    def rcv_date(value: str) -> str:
        return "present" if value == "present" else value

    cv = {
        "name": person["name"],
        "label": person["headline"],
        "location": person["location"],
        "email": person["email"],
        "phone": "tel:" + person["phone_e164"],
        "social_networks": socials,
        "sections": {
            "summary": [f"{person['headline']} with a record of shipping work people rely on."],
            experience_title.lower().replace(" ", "_"): [
                {
                    "company": job["company"],
                    "position": job["title"],
                    "location": job["location"],
                    "start_date": job["start"],
                    "end_date": rcv_date(job["end"]),
                    "highlights": job["highlights"] * (2 if person.get("long") else 1),
                }
                for job in person["jobs"]
            ],
            education_title.lower().replace(" ", "_"): [
                {
                    "institution": school["school"],
                    "area": school["area"],
                    "degree": school["degree"],
                    "start_date": school["start"],
                    "end_date": school["end"],
                }
                for school in person["education"]
            ],
            skills_title.lower().replace(" ", "_"): [
                {"label": "Tools", "details": ", ".join(person["skills_written"])}
            ],
        },
    }
    design = {
        "theme": theme,
        "page_size": "a4paper" if index % 3 == 0 else "letterpaper",
    }
    if theme != "moderncv":  # moderncv always draws icons and has no "last updated" line
        design["use_icons_for_connections"] = icons
        design["disable_last_updated_date"] = True
    return {
        "cv": cv,
        "design": design,
        "locale_catalog": {
            "date_style": date_style,
            "present": present,
            "to": to,
            "phone_number_format": "international" if index % 2 else "national",
        },
    }


def render_rendercv(person: dict, theme: str, index: int, out: Path, rendercv: str) -> Path | None:
    target = out / f"{person['id']}__rendercv-{theme}.pdf"
    if target.exists():
        return target
    work = out / "work" / f"{person['id']}_{theme}"
    work.mkdir(parents=True, exist_ok=True)
    source = work / "cv.yaml"
    source.write_text(yaml.safe_dump(rendercv_yaml(person, theme, index), allow_unicode=True), "utf-8")
    done = subprocess.run(
        [
            rendercv,
            "render",
            str(source),
            "--output-folder-name",
            "output",
            "--dont-generate-png",
            "--dont-generate-markdown",
            "--dont-generate-html",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    pdfs = list((work / "output").glob("*.pdf"))
    if done.returncode or not pdfs:
        print(
            f"rendercv failed for {person['id']} {theme}: {done.stdout[-500:]} {done.stderr[-500:]}",
            file=sys.stderr,
        )
        return None
    shutil.copy(pdfs[0], target)
    shutil.copy(source, out / f"{person['id']}__rendercv-{theme}.yaml")
    return target


# ---------------------------------------------------------------- Word


def _font(document: Document, chinese: bool) -> None:
    style = document.styles["Normal"]
    style.font.name = "Noto Sans CJK SC" if chinese else "Liberation Sans"
    style.font.size = Pt(10)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")


def _contact_parts(person: dict) -> list[str]:
    parts = [person["email"], person["phone"], person["location"]]
    if person.get("linkedin"):
        parts.append(f"linkedin.com/in/{person['linkedin']}")
    if person.get("github"):
        parts.append(f"github.com/{person['github']}")
    return parts


def _heading(document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text.upper() if text.isascii() else text)
    run.bold = True
    run.font.size = Pt(12)


def _right_tab(paragraph, document) -> None:
    width = (
        document.sections[0].page_width - document.sections[0].left_margin - document.sections[0].right_margin
    )
    paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def _bullets(container, highlights: list[str]) -> None:
    for line in highlights:
        container.add_paragraph(line, style="List Bullet")


def _skills_line(person: dict) -> str:
    return ("、" if person["lang"] == "zh" else ", ").join(person["skills_written"])


def _education_line(person: dict, school: dict) -> tuple[str, str]:
    if person["lang"] == "zh":
        return f"{school['school']}  {school['area']}  {school['degree']}", ""
    return f"{school['degree']} in {school['area']}", school["school"]


def word_tabs(person: dict, index: int) -> Document:
    """One column: name, contact line, then 'Title<TAB>dates' over 'Company, City' (or company first)."""
    document = Document()
    _font(document, person["lang"] == "zh")
    experience_title, education_title, skills_title = _titles(person, index)
    name = document.add_paragraph()
    run = name.add_run(person["name"])
    run.bold, run.font.size = True, Pt(20)
    document.add_paragraph(person["headline"])
    document.add_paragraph(" | ".join(_contact_parts(person)))
    _heading(document, experience_title)
    company_first = index % 2 == 1
    for job in person["jobs"]:
        first, second = (job["company"], job["title"]) if company_first else (job["title"], job["company"])
        line = document.add_paragraph()
        _right_tab(line, document)
        line.add_run(first).bold = True
        line.add_run("\t" + write_range(job["start"], job["end"], person["date_style"]))
        document.add_paragraph(f"{second}, {job['location']}" if person["lang"] == "en" else second)
        _bullets(document, job["highlights"])
    _heading(document, education_title)
    for school in person["education"]:
        line = document.add_paragraph()
        _right_tab(line, document)
        first, second = _education_line(person, school)
        line.add_run(first).bold = True
        line.add_run("\t" + write_range(school["start"], school["end"], person["date_style"]))
        if second:
            document.add_paragraph(second)
    _heading(document, skills_title)
    document.add_paragraph(_skills_line(person))
    return document


def _cell_text(cell, text: str, bold: bool = False, size: int | None = None) -> None:
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def word_table(person: dict, index: int) -> Document:
    """The template look: name and contact in a table in the page header; each job a 2x2 table
    (employer | dates / title | city); skills in a table."""
    document = Document()
    _font(document, person["lang"] == "zh")
    experience_title, education_title, skills_title = _titles(person, index)
    header = document.sections[0].header
    table = header.add_table(rows=1, cols=2, width=Cm(17))
    _cell_text(table.cell(0, 0), person["name"], bold=True, size=18)
    _cell_text(table.cell(0, 0), person["headline"])
    for part in _contact_parts(person):
        _cell_text(table.cell(0, 1), part)
    _heading(document, experience_title)
    for job in person["jobs"]:
        rows = document.add_table(rows=2, cols=2)
        _cell_text(rows.cell(0, 0), job["company"], bold=True)
        _cell_text(rows.cell(0, 1), write_range(job["start"], job["end"], person["date_style"]))
        _cell_text(rows.cell(1, 0), job["title"])
        _cell_text(rows.cell(1, 1), job["location"])
        _bullets(document, job["highlights"])
    _heading(document, education_title)
    for school in person["education"]:
        rows = document.add_table(rows=2, cols=2)
        _cell_text(rows.cell(0, 0), school["school"], bold=True)
        _cell_text(rows.cell(0, 1), write_range(school["start"], school["end"], person["date_style"]))
        _cell_text(rows.cell(1, 0), f"{school['degree']}, {school['area']}")
    _heading(document, skills_title)
    skills = document.add_table(rows=1, cols=3)
    for i, skill in enumerate(person["skills_written"]):
        _cell_text(skills.cell(0, i % 3), skill)
    return document


TEXTBOX = (
    '<w:r {ns}><w:pict><v:shape id="contact" type="#_x0000_t202" '
    'style="width:170mm;height:38mm;mso-position-horizontal:center"><v:textbox><w:txbxContent>'
    "{paragraphs}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)


def word_textbox(person: dict, index: int) -> Document:
    """Name and contact block in a text box, then dates on their own line under 'Title, Company'."""
    document = Document()
    _font(document, person["lang"] == "zh")
    experience_title, education_title, skills_title = _titles(person, index)
    lines = [person["name"], person["headline"], *_contact_parts(person)]
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{_xml(line)}</w:t></w:r></w:p>' for line in lines
    )
    anchor = document.add_paragraph()
    anchor._p.append(
        parse_xml(
            TEXTBOX.format(
                ns=nsdecls("w") + ' xmlns:v="urn:schemas-microsoft-com:vml"', paragraphs=paragraphs
            )
        )
    )
    _heading(document, experience_title)
    for job in person["jobs"]:
        joiner = " at " if person["lang"] == "en" else "  "
        document.add_paragraph().add_run(f"{job['title']}{joiner}{job['company']}").bold = True
        document.add_paragraph(
            write_range(job["start"], job["end"], person["date_style"])
            + (f" | {job['location']}" if person["lang"] == "en" else "")
        )
        _bullets(document, job["highlights"])
    _heading(document, education_title)
    for school in person["education"]:
        if person["lang"] == "zh":
            document.add_paragraph(f"{school['school']}  {school['area']}  {school['degree']}")
        else:
            document.add_paragraph(f"{school['school']}, {school['degree']} {school['area']}")
        document.add_paragraph(write_range(school["start"], school["end"], person["date_style"]))
    _heading(document, skills_title)
    document.add_paragraph(_skills_line(person))
    return document


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def word_columns(person: dict, index: int) -> Document:
    """A two-column page: a sidebar (contact, skills, education) and the main column (experience)."""
    document = Document()
    _font(document, person["lang"] == "zh")
    experience_title, education_title, skills_title = _titles(person, index)
    name = document.add_paragraph()
    run = name.add_run(person["name"])
    run.bold, run.font.size = True, Pt(20)
    document.add_paragraph(person["headline"])
    table = document.add_table(rows=1, cols=2)
    side, main = table.cell(0, 0), table.cell(0, 1)
    side.width, main.width = Cm(5.5), Cm(11.5)
    for part in _contact_parts(person):
        _cell_text(side, part)
    _cell_text(side, skills_title, bold=True)
    for skill in person["skills_written"]:
        _cell_text(side, skill)
    _cell_text(side, education_title, bold=True)
    for school in person["education"]:
        _cell_text(side, school["school"])
        _cell_text(side, f"{school['degree']}, {school['area']}")
        _cell_text(side, write_range(school["start"], school["end"], person["date_style"]))
    _cell_text(main, experience_title, bold=True)
    for job in person["jobs"]:
        _cell_text(main, job["title"], bold=True)
        _cell_text(main, f"{job['company']} | {write_range(job['start'], job['end'], person['date_style'])}")
        for line in job["highlights"]:
            main.add_paragraph(line, style="List Bullet")
    return document


WORD = {"tabs": word_tabs, "table": word_table, "textbox": word_textbox, "columns": word_columns}


def make(out: Path, rendercv: str | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rendercv = rendercv or os.environ.get("RENDERCV", str(Path.home() / "rcv" / "bin" / "rendercv"))
    everyone = people()
    docx_files = []
    for index, person in enumerate(everyone):
        for layout in WORD_LAYOUTS:
            target = out / f"{person['id']}__word-{layout}.docx"
            WORD[layout](person, index).save(target)
            docx_files.append(target)
    docx_files = [
        f
        for f in docx_files
        if not f.with_name(f.name.replace("__word-", "__wordpdf-")).with_suffix(".pdf").exists()
    ]
    soffice = shutil.which("soffice")
    if soffice and docx_files:
        subprocess.run(
            [
                soffice,
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out / "pdf"),
                *map(str, docx_files),
            ],
            capture_output=True,
            timeout=900,
            check=False,
        )
        for pdf in (out / "pdf").glob("*.pdf"):
            if "textbox" in pdf.name:
                continue  # LibreOffice does not draw the VML text box: its PDF has no contact block at all
            pdf.rename(out / pdf.name.replace("__word-", "__wordpdf-"))
    elif not soffice:
        print("soffice not found: no PDF exports of the Word files", file=sys.stderr)
    if Path(rendercv).exists():
        jobs = [
            (person, theme, index)
            for index, person in enumerate(everyone)
            if person["lang"] == "en"
            for theme in THEMES
        ]
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda job: render_rendercv(*job, out, rendercv), jobs))
    else:
        print(f"rendercv not found at {rendercv}: no rendercv PDFs", file=sys.stderr)
    shutil.rmtree(out / "work", ignore_errors=True)
    shutil.rmtree(out / "pdf", ignore_errors=True)


if __name__ == "__main__":
    make(Path(sys.argv[1]))
