"""The skill taxonomy and matcher: coverage of the shipped data, word boundaries, ambiguous names,
Chinese aliases, and real job-description and resume text."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest

from conftest import SHARED_DATA, require
from jobsearch_mcp_server.skills import (
    canonical_skill,
    default_matcher,
    extract_skills,
    load_taxonomy,
    skill_names,
)
from jobsearch_mcp_server.skills.matcher import CJK
from jobsearch_mcp_server.skills.taxonomy import TaxonomyError

TAXONOMY = load_taxonomy()


def found(text: str) -> list[tuple[str, str]]:
    """(canonical name, the text it was found in) for every match."""
    return [(m.name, text[m.start : m.end]) for m in extract_skills(text)]


def test_taxonomy_spans_several_hundred_skills_across_occupations():
    per_category = Counter(skill.category for skill in TAXONOMY.skills)
    assert len(TAXONOMY.skills) >= 600
    assert len(per_category) >= 25
    for category in (
        "programming",
        "data",
        "design",
        "product",
        "finance",
        "healthcare",
        "sales",
        "legal",
        "hr",
        "operations",
        "engineering",
    ):
        assert per_category[category] >= 10, category
    chinese = [a for s in TAXONOMY.skills for a in (*s.aliases, *s.exact, *s.contextual) if CJK.search(a)]
    assert len(chinese) >= 300


def test_every_alias_finds_its_own_skill_and_nothing_else():
    """Self-consistency of the data file: no alias is shadowed by another skill or split in two."""
    for skill in TAXONOMY.skills:
        for alias in (*skill.case_insensitive_aliases, *skill.exact):
            needs = skill.needs.get(alias.lower()) or skill.needs.get("*")
            # an alias with several senses is tried next to a word of the sense it has here
            lead = f"{needs[0]}: " if needs else ""
            found_here = [
                (m.name, m.start - len(lead), m.end - len(lead))
                for m in extract_skills(lead + alias)
                if m.start >= len(lead)
            ]
            assert found_here == [(skill.name, 0, len(alias))], alias
        for alias in skill.contextual:
            text = f"{skill.context[0] if skill.context else 'Python'}, {alias}"
            assert (skill.name, alias) in found(text), alias


def test_no_plain_alias_belongs_to_two_skills():
    owners: dict[str, set[str]] = {}
    for skill in TAXONOMY.skills:
        for alias in skill.case_insensitive_aliases:
            owners.setdefault(alias.lower(), set()).add(skill.name)
    assert {alias: names for alias, names in owners.items() if len(names) > 1} == {}


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("JS", "JavaScript"),
        ("k8s", "Kubernetes"),
        ("机器学习", "Machine Learning"),
        ("golang", "Go"),
        ("reactjs", "React"),
        ("Node JS", "Node.js"),
        ("c#", "C#"),
        ("scikit learn", "scikit-learn"),
        ("  Machine   learning ", "Machine Learning"),
        ("PowerBI", "Power BI"),
        ("ci/cd", "CI/CD"),
        ("go", "Go"),
        ("数据分析", "Data Analysis"),
        ("微服务", "Microservices"),
        ("Python 3", "Python"),
    ],
)
def test_canonical_skill_normalises_aliases(written, canonical):
    assert canonical_skill(written) == canonical


@pytest.mark.parametrize("written", ["", "   ", "underwater basket weaving", "Python Java", "the"])
def test_canonical_skill_rejects_non_skills(written):
    assert canonical_skill(written) is None


def test_punctuated_names_are_whole_tokens():
    text = "Stack: C++, C#, .NET Core, ASP.NET MVC, Node.js, Vue.js/React, CI/CD, TCP/IP, A/B testing, F#."
    assert found(text) == [
        ("C++", "C++"),
        ("C#", "C#"),
        (".NET", ".NET Core"),
        ("ASP.NET", "ASP.NET MVC"),
        ("Node.js", "Node.js"),
        ("Vue.js", "Vue.js"),
        ("React", "React"),
        ("CI/CD", "CI/CD"),
        ("TCP/IP", "TCP/IP"),
        ("A/B Testing", "A/B testing"),
        ("F#", "F#"),
    ]


def test_single_letters_and_common_words_are_not_skills_in_prose():
    prose = (
        "Our R&D team reports to the C-level. I'm a quick learner; let's go live with the rest of the plan. "
        "Data's R-squared was high. Plan C is a spring cleaning. Luke Swift Are you ready?"
    )
    assert [name for name, _ in found(prose)] == []


def test_ambiguous_names_count_next_to_related_skills():
    assert found("Languages: Python, R, C, Go") == [
        ("Python", "Python"),
        ("R", "R"),
        ("C", "C"),
        ("Go", "Go"),
    ]
    assert ("Go", "Go") in found("Backend services written in Node and Go.")
    assert ("Chef", "Chef") in found("Configuration management with Puppet or Chef")
    assert ("Swift", "Swift") not in found("Swift delivery of parcels is our promise.")
    # a lower-cased "go" is the verb even next to skills
    assert [n for n, _ in found("ready to go with python")] == ["Python"]


def test_alias_separators_must_match():
    assert found("M&A advisory") == [("Mergers and Acquisitions", "M&A")]
    assert found("I'm a builder, I'm an expert") == []
    assert found("CI CD") == []  # neither "CI" nor "CD" is a skill alone


def test_versions_glued_to_names_still_count():
    assert [n for n, _ in found("Python3.8, Angular8, HTML5, Vue3 and C9")] == [
        "Python",
        "Angular",
        "HTML",
        "Vue.js",
    ]


def test_chinese_resume_text():
    text = "专业技能：熟悉Python、Java，精通C语言和Go语言；掌握机器学习、深度学习、自然语言处理；熟练使用Linux系统、Docker与K8s；了解微服务架构。"
    assert skill_names(text) == [
        "Python",
        "Java",
        "C",
        "Go",
        "Machine Learning",
        "Deep Learning",
        "Natural Language Processing",
        "Linux",
        "Docker",
        "Kubernetes",
        "Microservices",
    ]


def test_spans_point_at_the_text():
    text = "Built ETL pipelines in PySpark and Airflow; dashboards in Tableau."
    for match in extract_skills(text):
        assert text[match.start : match.end] == text[slice(*match.span)]
        assert match.category in TAXONOMY.categories
    assert skill_names(text) == ["ETL", "Apache Spark", "Apache Airflow", "Data Visualization", "Tableau"]


def test_real_glassdoor_job_description():
    path = SHARED_DATA / "glassdoor_jobs_2020" / "glassdoor_jobs.csv"
    require(path.exists(), f"needs the shared data set {path}")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    posting = next(r["Job Description"] for r in rows if r["Company Name"].startswith("ManTech\n"))
    # checked by reading the posting; its equal-opportunity boilerplate ("external recruitment ... agency",
    # "full compliance with our equal opportunity policy") names no skill
    assert skill_names(posting) == [
        "Problem Solving",
        "Data Analysis",
        "Troubleshooting",
        "Reporting",
        "Mathematics",
        "Probability",
        "Statistics",
        "Machine Learning",
        "Classification",
        "Regression Analysis",
        "Clustering",
        "Anomaly Detection",
        "SQL",
        "Distributed Systems",
        "Apache Hadoop",
    ]
    # every match is a real occurrence of one of the skill's aliases
    by_name = TAXONOMY.by_name()
    for match in extract_skills(posting):
        skill = by_name[match.name]
        written = posting[match.start : match.end]
        aliases = {a.lower() for a in (*skill.case_insensitive_aliases, *skill.exact, *skill.contextual)}
        assert written.lower() in aliases or written.lower().rstrip("0123456789.") in aliases, written


def test_real_resume_from_the_categorised_set():
    path = SHARED_DATA / "resume_categories" / "UpdatedResumeDataSet.csv"
    require(path.exists(), f"needs the shared data set {path}")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    devops = next(r["Resume"] for r in rows if r["Category"] == "DevOps Engineer")
    # the resume's first 900 characters, checked by reading them
    assert skill_names(devops[:900]) == [
        "Telecommunications",
        "DevOps",
        "Cloud Computing",
        "Shell Scripting",
        "Python",
        "Solution Architecture",
        "Microsoft Azure",
        "Amazon Web Services",
        "AWS EC2",
        "AWS CloudFormation",
        "AWS Lambda",
        "DynamoDB",
        "Amazon CloudWatch",
    ]


@pytest.mark.parametrize(
    ("other_sense", "this_sense", "skill"),
    [
        (
            "Designed the merchant onboarding flow in Figma",
            "Rebuilt onboarding for 600 new starters",
            "Onboarding",
        ),
        (
            "Leads budgeting for the freight division",
            "Booked freight with carriers across Europe",
            "Logistics",
        ),
        (
            "Introduced a GraphQL gateway for the mobile apps",
            "Shipped mobile apps in Flutter",
            "Mobile Development",
        ),
        ("B.E., Electronics and Communication", "Clear written communication", "Communication"),
        ("用Python和SQL搭建用户增长分析体系", "负责用户增长和拉新活动", "Growth Marketing"),
        ("开发支付对账模块，使用MySQL部署", "每月完成银行对账", "Reconciliation"),
    ],
)
def test_an_alias_in_another_sense_is_not_the_skill(other_sense, this_sense, skill):
    assert skill not in skill_names(other_sense)
    assert skill in skill_names(this_sense)


def test_month_end_close_is_its_own_skill():
    assert skill_names("Leads month-end close in SAP") == ["Month-End Close", "SAP"]
    assert skill_names("Prepares the financial statements") == ["Financial Reporting"]


@pytest.mark.parametrize(
    ("text", "skill", "role"),
    [
        ("Registered Nurse", "Nursing", True),
        ("Senior Data-Scientist", "Data Science", True),
        ("产品经理", "Product Management", True),
        ("HR Business Partner", "HR Business Partner", True),
        ("Data science and statistics", "Data Science", False),
        ("HR business partnering", "HR Business Partner", False),
        ("Patient care and wound care", "Patient Care", False),
    ],
)
def test_a_role_word_is_marked_as_naming_a_person(text, skill, role):
    """A posting asking for a data scientist asks for data science; a resume's job title does not claim it
    (the resume parser skips role matches)."""
    assert [(m.name, m.role) for m in extract_skills(text) if m.name == skill] == [(skill, role)]


def test_a_role_must_be_one_of_the_skills_aliases(tmp_path):
    path = tmp_path / "taxonomy.json"
    skill = {
        "name": "Data Science",
        "category": "data",
        "aliases": ["Data scientist"],
        "roles": ["Data guru"],
    }
    path.write_text(json.dumps({"categories": {"data": "Data"}, "skills": [skill]}), encoding="utf-8")
    with pytest.raises(TaxonomyError, match="roles that are not aliases in \\['Data Science'\\]"):
        load_taxonomy(path)


def test_matcher_is_shared_and_built_once():
    assert default_matcher() is default_matcher()
