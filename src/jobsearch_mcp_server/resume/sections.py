"""Finds the section headings of a resume ("Work Experience", "EDUCATION", "专业技能：") and the spans
they cover. A heading is a short line of known heading words, alone or followed by a colon and content
("Skills: Python, SQL"); headings glued to the end of a line by a careless export ("…monthsCompany
Details") count too."""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADINGS: dict[str, tuple[str, ...]] = {
    "contact": (
        "contact",
        "contact information",
        "contact details",
        "contact info",
        "personal information",
        "personal details",
        "personal info",
        "个人信息",
        "基本信息",
        "联系方式",
        "个人资料",
    ),
    "summary": (
        "summary",
        "professional summary",
        "profile",
        "professional profile",
        "about me",
        "about",
        "objective",
        "career objective",
        "career summary",
        "executive summary",
        "personal statement",
        "自我评价",
        "自我描述",
        "个人简介",
        "个人总结",
        "个人优势",
        "自我介绍",
        "个人评价",
        "求职意向",
    ),
    "experience": (
        "experience",
        "work experience",
        "professional experience",
        "employment",
        "employment history",
        "work history",
        "career history",
        "relevant experience",
        "internships",
        "internship",
        "internship experience",
        "company details",
        "research",
        "research experience",
        "experience details",
        "工作经历",
        "工作经验",
        "实习经历",
        "工作履历",
        "实习经验",
        "职业经历",
    ),
    "projects": (
        "projects",
        "personal projects",
        "academic projects",
        "key projects",
        "project experience",
        "project details",
        "selected projects",
        "项目经验",
        "项目经历",
        "项目",
    ),
    "education": (
        "education",
        "education details",
        "educational details",
        "academic background",
        "academic qualifications",
        "educational qualifications",
        "education and training",
        "qualifications",
        "学历",
        "教育经历",
        "教育背景",
        "学习经历",
    ),
    "skills": (
        "skills",
        "technical skills",
        "skill details",
        "key skills",
        "core skills",
        "core competencies",
        "skill set",
        "skillset",
        "it skills",
        "technologies",
        "technical expertise",
        "expertise",
        "professional skills",
        "areas of expertise",
        "tools",
        "专业技能",
        "技能",
        "技能专长",
        "技能特长",
        "技术栈",
        "专业能力",
        "技术能力",
        "职业技能",
        "it技能",
    ),
    "certifications": (
        "certifications",
        "certificates",
        "certification",
        "licenses",
        "licenses and certifications",
        "证书",
        "资格证书",
        "职业证书",
        "技能证书",
    ),
    "languages": (
        "languages",
        "language skills",
        "language",
        "languages known",
        "语言能力",
        "语言",
        "外语能力",
    ),
    "awards": (
        "awards",
        "honors",
        "honours",
        "achievements",
        "awards and honors",
        "accomplishments",
        "获奖情况",
        "个人荣誉",
        "荣誉奖项",
        "获奖经历",
        "荣誉",
    ),
    "publications": ("publications", "papers", "论文", "发表论文", "科研成果"),
    "activities": (
        "activities",
        "extracurricular activities",
        "leadership",
        "volunteer",
        "volunteering",
        "volunteer experience",
        "校园经历",
        "校内经历",
        "社会实践",
        "学生工作",
    ),
    "coursework": (
        "coursework",
        "relevant coursework",
        "courses",
        "training",
        "trainings",
        "主修课程",
        "培训经历",
    ),
    "interests": ("interests", "hobbies", "hobbies and interests", "兴趣爱好", "爱好"),
    "references": ("references", "referees"),
    "links": ("links", "online profiles", "social", "个人主页"),
}
_BY_WORDS = {words: name for name, all_words in HEADINGS.items() for words in all_words}
_ALTERNATIVES = "|".join(sorted((re.escape(w) for w in _BY_WORDS), key=len, reverse=True))
# A heading line: optional decoration, the words, optional trailing colon and inline content.
HEADING = re.compile(
    rf"^[ \t#>*\-=_|•:]*(?P<words>{_ALTERNATIVES})(?:[ \t]*[(（][^)）\n]{{0,40}}[)）])?[ \t]*"
    rf"(?:(?P<colon>[:：*|\-–])[ \t]*(?P<inline>.*))?$",
    re.IGNORECASE | re.MULTILINE,
)
# "…monthsCompany Details": a multi-word capitalised heading glued to the end of a line.
GLUED = re.compile(rf"(?P<words>{_ALTERNATIVES})[ \t]*$", re.IGNORECASE | re.MULTILINE)
MAX_HEADING_CHARS = 40


@dataclass(frozen=True, slots=True)
class Section:
    name: str  # the canonical section: experience, education, skills, ...
    title: str  # as written
    start: int  # where the heading starts
    body_start: int  # where the content starts (after the heading words and colon)
    end: int  # where the next section starts


def _is_heading(match: re.Match[str]) -> bool:
    words = match.group("words")
    inline = (match.group("inline") or "").strip()
    if inline:
        # "Skills: Python, SQL" is a heading with content; "Experience - 24 months" is not.
        return match.group("colon") in (":", "：", "*") and not re.match(r"\d", inline)
    # A lone word in lower case mid-text ("tools") is prose, not a heading.
    return len(match.group().strip()) <= MAX_HEADING_CHARS and (not words.islower() or not words.isascii())


def find_sections(text: str) -> list[Section]:
    """The sections of `text`, in order; text before the first heading belongs to none (the header)."""
    marks: list[tuple[int, int, str, str]] = []
    for match in HEADING.finditer(text):
        if _is_heading(match):
            words = match.group("words")
            body = match.start("inline") if match.group("inline") else match.end()
            marks.append((match.start("words"), body, _BY_WORDS[words.lower()], words))
    for match in GLUED.finditer(text):
        words = match.group("words")
        before = text[match.start() - 1] if match.start() else "\n"
        if " " in words and (words.istitle() or words.isupper()) and (before.islower() or before.isdigit()):
            marks.append((match.start("words"), match.end(), _BY_WORDS[words.lower()], words))
    marks.sort()
    sections = []
    for i, (start, body, name, title) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        sections.append(Section(name, title, start, body, end))
    return sections


def header_end(text: str, sections: list[Section]) -> int:
    """Where the header (name, contact line) ends: the first heading, at most after 12 lines."""
    twelve_lines = min(len(text), sum(len(line) + 1 for line in text.split("\n")[:12]))
    return min(sections[0].start, twelve_lines) if sections else twelve_lines
