"""The skills a posting really asks for: its own parts apart from the employer's blurb, word sense,
traits and team names, distinct skills under their own names, and the title's field in ranking.

Each error class is shown on short texts written here and on real postings read in place from
../shared/data (skipped without it, failing in CI with JOBSEARCH_TEST_REQUIRE_ALL=1)."""

from __future__ import annotations

import csv
import json
from functools import cache

import pytest

from conftest import SHARED_DATA, require
from jobsearch_mcp_server.jobs.models import Job
from jobsearch_mcp_server.jobs.text import clean_text, html_to_markdown
from jobsearch_mcp_server.matching.features import Vocabulary, occupation_skills, read_job
from jobsearch_mcp_server.matching.posting import Section, split_sections
from jobsearch_mcp_server.matching.profile import build_profile
from jobsearch_mcp_server.matching.ranker import Ranker
from jobsearch_mcp_server.resume.models import Experience, Resume
from jobsearch_mcp_server.skills import skill_names


def read(description: str, title: str = "Analyst") -> tuple[set[str], set[str]]:
    """(required, nice-to-have) skills of a posting with this text."""
    features = read_job(
        Job(job_id="j", source="t", source_id="j", title=title, description=description),
        Vocabulary(),
        Vocabulary(),
    )
    return set(features.required_skills), set(features.nice_skills)


def asked(description: str, title: str = "Analyst") -> set[str]:
    required, nice = read(description, title)
    return required | nice


# --- sections: only the job's own parts yield skills --------------------------------------------------

MARKDOWN = """## About us
Acme is a leading AI company. Our platform runs on AWS, Azure and GCP, and our customers include
firms in Trading and Real Estate.

## What you'll do
- Build dashboards in Tableau

## Requirements
- 3+ years of SQL and Python

## Nice to have
- dbt

## Benefits
Mental health days, personal training budget, 401(k).

Acme is an equal opportunity employer. We do not discriminate on the basis of race, religion or veteran
status. Our recruitment team provides training and development for all.
"""


def test_markdown_posting_reads_requirements_apart_from_the_blurb():
    required, nice = read(MARKDOWN)
    assert {"Tableau", "SQL", "Python"} <= required
    assert nice == {"dbt"}
    blurb = {
        "Artificial Intelligence",
        "Amazon Web Services",
        "Microsoft Azure",
        "Google Cloud Platform",
        "Trading",
        "Real Estate",
        "Mental Health",
        "Personal Training",
        "Recruitment",
        "Training and Development",
    }
    assert not (required | nice) & blurb


def test_html_description_is_read_like_its_markdown():
    markup = (
        "<h2>About us</h2><p>We are a leading AI company trusted by Fortune 500 banks.</p>"
        "<h2>Requirements</h2><ul><li>Experience with Kubernetes and Helm</li></ul>"
        "<h3>Preferred</h3><ul><li>Terraform</li></ul>"
        "<h2>Benefits</h2><p>Dental, vision and mental health coverage.</p>"
    )
    assert read(markup) == read(html_to_markdown(markup))
    required, nice = read(markup)
    assert required == {"Kubernetes", "Helm"} and nice == {"Terraform"}


def test_german_headings():
    text = (
        "Über uns\nWir sind ein führendes KI-Unternehmen mit Kunden im Banking.\n\n"
        "Deine Aufgaben\n- Du entwickelst ETL-Strecken mit Python\n\n"
        "Dein Profil\n- Erfahrung mit SQL und Docker\n\n"
        "Wünschenswert\n- Kenntnisse in Kafka\n\n"
        "Wir bieten\n- Yoga, Weiterbildung und Mental Health Angebote\n"
    )
    kinds = [p.kind for p in split_sections(text) if text[p.start : p.end].strip()]
    assert kinds[0] is Section.ABOUT and Section.DUTIES in kinds and Section.REQUIRED in kinds
    required, nice = read(text)
    assert {"ETL", "Python", "SQL", "Docker"} <= required and nice == {"Apache Kafka"}
    assert not (required | nice) & {"Banking", "Yoga", "Mental Health"}


def test_chinese_headings_run_together_on_one_line():
    text = (
        "职位描述\n岗位职责：1、负责后端开发；2、参与API接口设计任职要求：1、精通Java和MySQL；2、熟悉Redis优先"
        "加分项：有Kafka经验\n\n福利待遇\n五险一金，健身房\n\n公司介绍\n公司是物联网和区块链行业的高科技企业"
    )
    required, nice = read(text, title="Java开发工程师")
    assert {"Backend Development", "API Development", "Java", "MySQL"} <= required
    assert {"Redis", "Apache Kafka"} <= nice
    assert not (required | nice) & {"Internet of Things", "Blockchain", "Statutory Compliance"}


def test_plain_text_blurb_without_headings():
    text = (
        "Tableau Gold Partner for 5 consecutive years. Alteryx, Snowflake and Informatica Partner.\n"
        "We are looking for a Data Scientist with experience in Python and scikit-learn.\n"
    )
    assert asked(text, title="Engineer") == {"Data Science", "Python", "scikit-learn"}


def test_what_the_employer_builds_is_its_field_not_a_demand():
    # A Hacker News "Who is hiring" post: the product sentence opens the text, with no heading.
    text = (
        "We build bookkeeping software for independent restaurants. Our data team forecasts cash flow.\n"
        "You will own the forecasting models (Python, pandas) and work with our data engineers (dbt).\n"
    )
    assert "Bookkeeping" not in asked(text, title="Senior Data Scientist")
    assert {"Python", "pandas", "dbt"} <= asked(text, title="Senior Data Scientist")


def test_equal_opportunity_sentence_after_the_requirements():
    text = (
        "Requirements\n- Experience with Salesforce\n"
        "Substack is an equal opportunity employer. All applicants will be considered without regard to race,"
        " color, religion or veteran status.\n"
    )
    assert asked(text) == {"Salesforce"}


# --- word sense -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "meant", "not_meant"),
    [
        ("Build forecasting models in Python", {"Forecasting"}, {"Time Series Analysis"}),
        (
            "Manage pipeline, forecasting, and opportunity progression in the CRM",
            {"Sales Forecasting"},
            set(),
        ),
        ("Experience sourcing data via REST web services", set(), {"Procurement"}),
        ("Strategic sourcing of suppliers and purchase orders", {"Procurement"}, set()),
        ("A passion for translating complex technology into business value", set(), {"Translation"}),
        ("Translation of contracts from Spanish into English", {"Translation"}, set()),
        ("Triage support tickets and defects", set(), {"Triage", "Patient Assessment"}),
        ("Triage patients in the emergency department", {"Triage"}, {"Patient Assessment"}),
        (
            "Write regression tests and a regression test suite",
            {"Regression Testing"},
            {"Regression Analysis"},
        ),
        ("Linear regression and logistic regression models", {"Regression Analysis"}, set()),
        ("Experience utilizing AI tools is required", set(), {"Artificial Intelligence"}),
        ("Stays agile when priorities shift", set(), {"Agile"}),
        ("Agile and Scrum delivery", {"Agile", "Scrum"}, set()),
        ("See https://example.com/python-jobs/aws", set(), {"Python", "Amazon Web Services"}),
    ],
)
def test_an_alias_fires_only_in_its_sense(text, meant, not_meant):
    names = set(skill_names(text))
    assert meant <= names and not names & not_meant, names


def test_traits_and_team_names_are_not_asked_skills():
    text = (
        "Requirements\n- Teamwork and keen attention to detail\n- Adaptability\n"
        "- You will work with our DevOps team and the Customer Success team\n- Experience with Jenkins\n"
    )
    assert asked(text, title="Engineer") == {"Jenkins"}
    assert "DevOps" in asked("Requirements\n- Three years of DevOps experience\n", title="Engineer")


def test_degree_subjects_are_not_skills():
    text = (
        "Requirements\n- BS/MS in Statistics, Mathematics, Marketing or Econometrics\n- Experience with SQL\n"
    )
    assert asked(text) == {"SQL"}
    assert "Statistics" in asked("Requirements\n- Strong statistics and SQL skills\n")


# --- distinct skills keep their own names (issue 12) ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "skill", "not_merged_into"),
    [
        ("Helm charts", "Helm", "Kubernetes"),
        ("PALS certified", "Pediatric Advanced Life Support", "Advanced Cardiac Life Support"),
        ("Wound care", "Wound Care", "Medication Administration"),
        ("Phlebotomy", "Phlebotomy", "Medication Administration"),
        ("Epic charting for hospital patients", "Epic", "Electronic Health Records"),
        ("Zabbix", "Zabbix", "Nagios"),
        ("Infrastructure as Code", "Infrastructure as Code", "Terraform"),
        ("qPCR and ELISA", "PCR", "Laboratory Skills"),
        ("FACS sorting", "Flow Cytometry", "Laboratory Skills"),
        ("Claims processing", "Claims Processing", "Underwriting"),
        ("Territory management", "Territory Management", "Sales Pipeline Management"),
        ("Quality control testing", "Quality Control", "Quality Management"),
        ("Screens built in SwiftUI", "SwiftUI", "Swift"),
        ("Month-end close", "Month-End Close", "Financial Reporting"),
    ],
)
def test_distinct_skills_keep_their_own_names(text, skill, not_merged_into):
    names = skill_names(text)
    assert skill in names and not_merged_into not in names, names


# --- the title's field in ranking ------------------------------------------------------------------


def test_occupation_is_read_from_the_title():
    assert occupation_skills("Senior Data Scientist") == ("Data Science",)
    assert occupation_skills("Territory Sales Representative") == ("Sales",)
    assert occupation_skills("Teamwork Champion") == ()


def test_a_data_scientist_ranks_data_science_jobs_above_neighbouring_roles():
    resume = Resume(
        resume_id="r",
        raw_text="Data Scientist. Python, SQL, machine learning, statistics, Excel, risk models.",
        headline="Data Scientist",
        experience=[Experience(title="Data Scientist", company="Acme")],
        skills=["Python", "SQL", "Machine Learning", "Statistics", "Microsoft Excel", "Risk Management"],
    )
    common = "Requirements\n- Python, SQL and statistics\n- Excel\n- Risk management\n"
    jobs = [
        Job(job_id="risk", source="t", source_id="risk", title="Risk Associate", description=common),
        Job(job_id="ds", source="t", source_id="ds", title="Data Scientist", description=common),
        Job(
            job_id="acct",
            source="t",
            source_id="acct",
            title="Accountant",
            description=common + "- Accounting\n",
        ),
    ]
    ranking = Ranker().rank(build_profile(resume), jobs)
    assert jobs[int(ranking.order[0])].job_id == "ds"
    match = ranking.match(int(ranking.order[0]), 1)
    assert match.parts.occupation == 1.0 and "Data Science: your field" in match.reason


# --- real postings, read in place -----------------------------------------------------------------------


@cache
def _glassdoor() -> dict[str, dict[str, str]]:
    path = SHARED_DATA / "glassdoor_jobs_2020" / "glassdoor_jobs.csv"
    require(path.exists(), f"needs the shared data set {path}")
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8") as handle:
        return {row[""]: row for row in csv.DictReader(handle)}


@cache
def _remoteok() -> dict[str, dict]:
    path = SHARED_DATA / "remoteok_api_2026" / "remoteok.json"
    require(path.exists(), f"needs the shared data set {path}")
    return {str(item["id"]): item for item in json.loads(path.read_text(encoding="utf-8"))[1:]}


def glassdoor(row: str) -> tuple[set[str], set[str]]:
    item = _glassdoor()[row]
    return read(clean_text(item["Job Description"]), title=item["Job Title"])


def remoteok(job_id: str, title: str | None = None) -> tuple[set[str], set[str]]:
    item = _remoteok()[job_id]
    return read(html_to_markdown(item["description"]), title=title or item["position"])


def test_real_partner_list_and_customer_domains_are_blurb():
    required, nice = glassdoor("66")  # USEReady: "Tableau Gold Partner", "Alteryx, Collibra, Snowflake ..."
    assert {"SQL", "Apache Hadoop", "Apache Spark", "Natural Language Processing"} <= required
    assert "Databricks" in nice
    assert not (required | nice) & {"Tableau", "Alteryx", "Snowflake", "Informatica", "Capital Markets"}


def test_real_customer_list_and_about_section_are_blurb():
    required, nice = glassdoor("801")  # Veraset: "Customers have used our data to: ... equity trading ..."
    assert {"Salesforce", "Prospecting", "Business Development"} <= required
    assert not (required | nice) & {
        "Trading",
        "Real Estate",
        "Advertising",
        "Machine Learning",
        "Procurement",
    }


def test_real_ai_company_describing_itself():
    required, nice = remoteok("1130736")  # ABBYY: "a trusted partner for purpose-built AI"
    assert "Artificial Intelligence" not in required | nice


def test_real_benefits_and_mission_are_blurb():
    required, nice = remoteok("1130710")  # BetterHelp: "world's largest online therapy service"
    assert "Mental Health" not in required | nice
    assert {"Social Media Marketing", "Content Creation"} & required


def test_real_equal_opportunity_text_is_no_recruitment():
    required, nice = glassdoor("167")  # Maximus: EEO and Fair Chance Ordinance text
    assert {"SQL", "Financial Modeling"} <= required and "Yardi" in nice
    assert not (required | nice) & {"Recruitment", "Regulatory Compliance"}


def test_real_forecasting_senses():
    required, _ = glassdoor("87")  # "classification, clustering, forecasting, regression"
    assert "Forecasting" in required and "Time Series Analysis" not in required
    required, _ = remoteok("1130713")  # Trackman: "Manage pipeline, forecasting, and opportunity progression"
    assert "Sales Forecasting" in required and "Computer Vision" not in required


def test_real_translating_complex_technology_is_no_translation():
    assert "Translation" not in asked(clean_text(_glassdoor()["478"]["Job Description"]))


def test_real_sourcing_data_is_no_procurement():
    assert "Procurement" not in asked(clean_text(_glassdoor()["40"]["Job Description"]))


def test_real_triage_of_issues_is_no_patient_assessment():
    for names in (
        asked(clean_text(_glassdoor()["91"]["Job Description"])),  # "defect triage"
        asked(clean_text(_glassdoor()["664"]["Job Description"])),  # "triage infra issues"
        remoteok("1130745", title="Engineer")[0],  # "debug/diagnose/triage emergency production issues"
    ):
        assert not names & {"Triage", "Patient Assessment"}


def test_real_regression_testing_is_no_regression_analysis():
    for row in ("134", "510"):  # "automation regression test frameworks", "regression tests to validate"
        names = asked(clean_text(_glassdoor()[row]["Job Description"]))
        assert "Regression Analysis" not in names, row


def test_real_traits_and_team_names():
    names = asked(clean_text(_glassdoor()["17"]["Job Description"]), title="Analyst")
    assert not names & {"Customer Success", "Teamwork", "Attention to Detail"}
    required, nice = remoteok("1130673", title="Engineer")  # "the shaping and direction of a DevOps team?"
    assert "Teamwork" not in required | nice


def test_real_clinical_laboratory_methods():
    required, _ = glassdoor("437")
    assert {"CLIA", "Hematology", "Blood Bank", "Microbiology", "Coagulation", "Serology"} <= required
    assert {
        "Molecular Diagnostics",
        "Quality Control",
        "Calibration",
        "ASCP Certification",
        "HIPAA",
    } <= required


def test_real_chinese_posting_company_part_is_blurb():
    path = SHARED_DATA / "boards" / "china_dataset" / "horti_boss_jobs.csv"
    require(path.exists(), f"needs the shared data set {path}")
    with path.open(encoding="utf-8-sig") as handle:
        row = list(csv.DictReader(handle))[19]  # PHP开发工程师 at a horticulture company
    text = (
        f"职位描述\n{row['职位描述']}\n\n福利待遇\n{row['福利待遇（详细）']}\n\n公司介绍\n{row['公司介绍']}"
    )
    required, nice = read(clean_text(text), title=row["职位"])
    assert {"PHP", "Linux", "Object-Oriented Programming"} <= required
    assert {"ThinkPHP", "jQuery"} <= nice
    assert not (required | nice) & {"Internet of Things", "Horticulture"}
