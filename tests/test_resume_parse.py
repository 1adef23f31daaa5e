"""The fields parsed from real and generated resumes: contact, skills, jobs, dates, years, schools."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import fixture_resume
from jobsearch_mcp_server.resume.dates import YearMonth, find_ranges, total_years
from jobsearch_mcp_server.resume.documents import extract_document
from jobsearch_mcp_server.resume.heuristics import parse_resume_text, resume_id_for
from jobsearch_mcp_server.resume.models import Resume


def parse(name: str) -> Resume:
    return parse_resume_text(extract_document(fixture_resume(name).read_bytes(), name).text, name)


def jobs(resume: Resume) -> list[tuple]:
    return [(e.title, e.company, e.start, e.end) for e in resume.experience]


def assert_evidence_matches(resume: Resume) -> None:
    """Every scalar value and every skill points at text that really says it."""
    text = resume.raw_text
    for field in ("name", "email", "phone", "location", "headline"):
        value = getattr(resume, field)
        if value:
            span = resume.evidence[field]
            assert text[span.start : span.end] == value, field
    for skill in resume.skills:
        span = resume.evidence[f"skills.{skill}"]
        assert text[span.start : span.end], skill
    for entry in resume.experience:
        if entry.evidence and entry.title:
            assert entry.title in text[entry.evidence.start : entry.evidence.end]


def test_generated_two_column_pdf():
    resume = parse("generated_two_column.pdf")
    assert (resume.name, resume.headline) == ("Maria Lopez", "Senior Data Engineer")
    assert (resume.email, resume.phone, resume.location) == (
        "maria.lopez@example.org",
        "+1 (512) 555-0147",
        "Austin, TX",
    )
    assert resume.links == {
        "linkedin": "linkedin.com/in/maria-lopez-data",
        "github": "github.com/mlopez-data",
    }
    assert {
        "Python",
        "SQL",
        "Apache Spark",
        "Apache Airflow",
        "dbt",
        "Snowflake",
        "Docker",
        "Kubernetes",
        "Terraform",
        "Tableau",
        "Power BI",
        "CI/CD",
        "Teradata",
    } <= set(resume.skills)
    assert jobs(resume) == [
        ("Senior Data Engineer", "Northwind Analytics Inc.", "2020-03", "present"),
        ("Data Engineer", "Contoso Bank", "2017-06", "2020-04"),
        ("Data Analyst", "Fabrikam Retail LLC", "2015-01", "2017-08"),
    ]
    assert resume.experience[1].duration_months == 34
    assert resume.experience[0].highlights == [
        "Designed the Airflow and dbt platform for 40 analysts.",
        "Moved 120 TB from Teradata to Snowflake.",
    ]
    # Jan 2015 until today, the overlaps of 2017 and 2020 counted once
    today = date.today()
    assert resume.total_years_experience == round(((today.year * 12 + today.month - 1) - (2015 * 12)) / 12, 1)
    assert [(e.degree, e.school, e.field, e.start, e.end) for e in resume.education] == [
        ("Master of Science", "University of Texas at Austin", "Computer Science", "2013", "2015"),
        ("Bachelor of Science", "Texas State University", "Mathematics", "2009", "2013"),
    ]
    assert resume.languages == ["English", "Spanish"]
    assert resume.sections == ["CONTACT", "SKILLS", "LANGUAGES", "SUMMARY", "EXPERIENCE", "EDUCATION"]
    assert resume.summary.startswith("Data engineer building efficient batch")
    assert_evidence_matches(resume)


def test_generated_docx_with_tables():
    resume = parse("generated_tables.docx")
    assert (resume.name, resume.email, resume.phone, resume.location) == (
        "Priya Raman",
        "priya.raman@example.com",
        "+44 20 7946 0958",
        "London, UK",
    )
    assert resume.headline == "Registered Nurse (RN), Intensive Care"
    assert jobs(resume) == [
        ("Senior Staff Nurse", "St Mary's Hospital", "2019-02", "present"),
        ("Staff Nurse", "Royal Free Hospital", "2015-09", "2019-01"),
    ]
    assert resume.experience[0].location == "London, UK"
    assert {
        "Nursing",
        "Advanced Cardiac Life Support",
        "Basic Life Support",
        "Electronic Health Records",
        "Patient Assessment",
        "Medication Administration",
        "Microsoft Excel",
    } <= set(resume.skills)
    assert [(e.degree, e.school, e.start, e.end) for e in resume.education] == [
        ("BSc", "King's College London", "2012", "2015")
    ]
    assert resume.languages == ["English", "Tamil", "Mandarin Chinese"]
    assert_evidence_matches(resume)


def test_generated_chinese_pdf():
    resume = parse("generated_chinese.pdf")
    assert resume.language == "zh"
    assert (resume.name, resume.headline) == ("张伟", "高级后端开发工程师")
    assert (resume.email, resume.phone, resume.location) == ("zhangwei@example.cn", "138 0013 8000", "上海")
    assert jobs(resume) == [
        ("高级后端开发工程师", "上海云图科技有限公司", "2018-03", "present"),
        ("Java 开发工程师", "杭州数联网络有限公司", "2014-07", "2018-02"),
    ]
    assert [(e.degree, e.school, e.field, e.start, e.end) for e in resume.education] == [
        ("本科", "浙江大学", "计算机科学与技术", "2010-09", "2014-06")
    ]
    assert {
        "Java",
        "Go",
        "Python",
        "MySQL",
        "Redis",
        "Apache Kafka",
        "Docker",
        "Kubernetes",
        "Machine Learning",
        "Microservices",
        "Spring Boot",
        "Apache Flink",
        "Data Analysis",
    } <= set(resume.skills)
    assert resume.languages == ["English", "Mandarin Chinese"]
    assert resume.sections == ["教育经历", "工作经历", "项目经验", "专业技能", "语言能力"]
    assert_evidence_matches(resume)


def test_same_resume_as_gb18030_text_gets_the_same_fields():
    pdf, text = parse("generated_chinese.pdf"), parse("generated_chinese_gb18030.txt")
    assert jobs(text) == jobs(pdf) and text.skills == pdf.skills and text.name == pdf.name


def test_real_deedy_resume():
    resume = parse("real_deedy_two_column.pdf")
    assert (resume.name, resume.email, resume.phone) == ("Debarghya Das", "deedy@fb.com", "607.379.5733")
    assert jobs(resume)[:3] == [
        ("SOFTWARE ENGINEER", "FACEBOOK", "2015-01", "present"),
        ("KPCB FELLOW + SOFTWARE ENGINEERING INTERN", "COURSERA", "2014-06", "2014-09"),
        ("SOFTWARE ENGINEERING INTERN", "GOOGLE", "2013-05", "2013-08"),
    ]
    assert resume.experience[1].location == "Mountain View, CA"
    assert [(e.degree, e.school, e.field, e.end) for e in resume.education[:2]] == [
        ("MENG", "CORNELL UNIVERSITY", "COMPUTER SCIENCE", "2014-12"),
        ("BS", "CORNELL UNIVERSITY", "COMPUTER SCIENCE", "2014-05"),
    ]
    assert {"Java", "Python", "JavaScript", "C", "C++", "PHP", "MySQL", "Android", "iOS", "Scala"} <= set(
        resume.skills
    )
    assert_evidence_matches(resume)


def test_real_chinese_markdown_resume():
    resume = parse("real_blankj_zh.md")
    assert (resume.name, resume.headline, resume.email) == ("蔡梦杰", "安卓开发工程师", "blankj@qq.com")
    assert resume.phone is None  # the file masks it: "+86 1xx-xxxx-xxxx"
    assert resume.links == {"website": "http://blankj.com", "github": "https://github.com/Blankj"}
    assert jobs(resume) == [
        ("高级 Android 开发工程师", "阿里巴巴", "2018-10", "present"),
        ("高级 Android 开发工程师", "51 信用卡", "2018-03", "2018-08"),
        ("高级 Android 开发工程师", "吉利亿咖通科技有限公司", "2017-02", "2018-03"),
        ("Android 开发工程师", "杭州纳帕科技有限公司", "2015-06", "2017-02"),
    ]
    assert [(e.degree, e.school, e.field, e.start, e.end) for e in resume.education] == [
        ("本科", "浙江传媒学院", "电子信息工程", "2012", "2016")
    ]
    assert {"Android", "Java", "Kotlin", "Python", "Git", "Jira", "Postman", "Data Structures"} <= set(
        resume.skills
    )
    assert resume.summary.startswith("我是一名热爱开源的安卓开发者")
    assert_evidence_matches(resume)


def test_real_english_markdown_resume():
    resume = parse("real_blankj_en.md")
    assert resume.email == "blankj@qq.com" and resume.language == "en"
    assert jobs(resume)[0] == ("Android Software Engineer", "51NB", "2018-03", "present")
    assert len(resume.experience) == 3 and resume.experience[-1].start == "2015-06"
    assert {"Android", "Java", "Kotlin"} <= set(resume.skills)


def test_real_pandoc_docx_template():
    resume = parse("real_mfr_pandoc.docx")
    assert resume.name == "Person With Name"
    assert jobs(resume) == [
        ("Director", "Company 1", "2020-01", "present"),
        ("Senior Researcher", "Company 2", "2012-02", "2020-12"),
        ("Researcher", "Company 3", "2002-07", "2012-01"),
    ]
    assert resume.email is None and resume.phone is None  # the template leaves them blank: nothing invented


def test_real_data_set_resume():
    resume = parse("real_dataset_data_science.txt")
    assert resume.name is None  # the data set is anonymised
    assert jobs(resume) == [("Data Scientist", "Matelabs", None, None)]
    assert resume.links["github"] == "github.com/rathorology"
    assert [(e.degree, e.start, e.end) for e in resume.education] == [("B.E", "2013-05", "2017-05")]
    assert {"Python", "Amazon Web Services", "Machine Learning", "scikit-learn", "Keras"} <= set(
        resume.skills
    )


@pytest.mark.parametrize("name", ["Tomás Herrera", "Łukasz Nowak", "Zoë Müller-Lüdenscheidt"])
def test_a_name_with_accented_letters_is_read(name):
    text = f"{name}\nMarketing Manager\nperson@mail.example | +34 612 34 56 78 | Madrid, Spain\n"
    assert parse_resume_text(text).name == name


def test_nothing_is_invented_for_text_without_a_resume():
    resume = parse_resume_text("Lorem ipsum dolor sit amet.")
    assert resume.name is None and resume.email is None and resume.experience == [] and resume.skills == []
    assert resume.total_years_experience is None


def test_resume_id_is_a_stable_hash_of_the_text():
    assert resume_id_for("Jane  Doe\nEngineer") == resume_id_for("Jane Doe Engineer")
    assert resume_id_for("Jane Doe") != resume_id_for("John Doe")
    assert len(resume_id_for("x")) == 16


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("Jan 2019 - Present", YearMonth(2019, 1), None),
        ("June 2014 – Sep 2014", YearMonth(2014, 6), YearMonth(2014, 9)),
        ("05/2016 to 12/2018", YearMonth(2016, 5), YearMonth(2018, 12)),
        ("2013 - 2017", YearMonth(2013), YearMonth(2017)),
        ("2018/10 - 至今", YearMonth(2018, 10), None),
        ("2019.07 ~ 2021.03", YearMonth(2019, 7), YearMonth(2021, 3)),
        ("2019年7月-2021年3月", YearMonth(2019, 7), YearMonth(2021, 3)),
        ("January 2020 - till date.", YearMonth(2020, 1), None),
    ],
)
def test_date_ranges(written, start, end):
    [found] = find_ranges(written)
    assert (found.start, found.end) == (start, end)


def test_total_years_merges_overlaps():
    today = date(2024, 1, 1)
    periods = [
        (YearMonth(2015, 1), YearMonth(2017, 1)),
        (YearMonth(2016, 1), YearMonth(2018, 1)),
        (YearMonth(2020, 1), None),
    ]
    assert total_years(periods, today) == 7.0  # 2015-2018 (3 years) + 2020-2024 (4 years)
    assert total_years([], today) is None
