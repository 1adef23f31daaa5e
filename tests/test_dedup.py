"""Cross-source dedup on real postings: the 2020 Glassdoor scrape repeats postings verbatim, lists one
posting under several cities and under company-name variants, and shares one text between roles."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from conftest import SHARED_DATA, require
from jobsearch_mcp_server.jobs.dedup import (
    Fingerprint,
    deduplicate,
    jaccard,
    job_key,
    near_duplicate_pairs,
    seen_before,
    shingles,
)
from jobsearch_mcp_server.jobs.models import Job, Salary, make_job_id

GLASSDOOR = SHARED_DATA / "glassdoor_jobs_2020" / "glassdoor_jobs.csv"


@pytest.fixture(scope="module")
def glassdoor() -> list[Job]:
    """Every row of the scrape as a job with its own URL, as if each came from a separate listing."""
    require(GLASSDOOR.exists(), f"needs the shared Glassdoor data at {GLASSDOOR}")
    csv.field_size_limit(10_000_000)
    with open(GLASSDOOR, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Job(
            job_id=make_job_id("glassdoor", row[""]),
            source="glassdoor",
            source_id=row[""],
            title=row["Job Title"],
            company=row["Company Name"].split("\n")[0],  # "Acme\n3.8": the name, then the rating
            location=row["Location"],
            description=row["Job Description"],
            url=f"https://www.glassdoor.com/job-listing/{row['']}",
        )
        for row in rows
    ]


@pytest.fixture(scope="module")
def merged(glassdoor) -> list[Job]:
    return deduplicate(glassdoor)


def test_verbatim_repeats_collapse_and_every_url_survives(glassdoor, merged):
    distinct_texts = len({job.description for job in glassdoor})
    assert len(merged) < distinct_texts  # repeats collapse, and so do near-identical reposts
    assert sorted(url for job in merged for url in job.sources) == sorted(job.url for job in glassdoor)
    assert len({job.job_id for job in merged}) == len(merged)
    # No two kept jobs share a description: every verbatim repeat went into one job.
    texts = Counter(job.description for job in merged)
    assert texts.most_common(1)[0][1] == 1


def _group_of(merged: list[Job], url: str) -> Job:
    return next(job for job in merged if url in job.sources)


def _find(jobs: list[Job], title: str, company: str, location: str | None = None) -> Job:
    return next(
        job
        for job in jobs
        if job.title == title and job.company == company and (location is None or job.location == location)
    )


def test_company_name_variants_with_one_text_collapse(glassdoor, merged):
    hospital = _find(glassdoor, "Research Scientist", "Boys Town Hospital")
    short_name = _find(glassdoor, "Research Scientist", "Boys Town")
    assert job_key(hospital) != job_key(short_name)
    assert _group_of(merged, hospital.url) is _group_of(merged, short_name.url)


def test_one_posting_in_two_cities_keeps_both_cities(glassdoor, merged):
    woburn = _find(glassdoor, "Data Scientist", "Systems & Technology Research", "Woburn, MA")
    arlington = _find(glassdoor, "Data Scientist", "Systems & Technology Research", "Arlington, VA")
    assert woburn.description == arlington.description
    job = _group_of(merged, woburn.url)
    assert arlington.url in job.sources
    assert "Woburn, MA" in job.location and "Arlington, VA" in job.location


def test_different_roles_sharing_one_text_stay_apart(glassdoor, merged):
    pairs = [
        (("Data Scientist", "Swiss Re"), ("Senior Data Scientist", "Swiss Re")),
        (
            ("Principal Scientist, Chemistry & Immunology", "Rochester Regional Health"),
            ("Principal Scientist, Hematology", "Rochester Regional Health"),
        ),
        (
            ("Head Data Scientist – NLP lead, Novartis AI Innovation Lab", "Novartis"),
            ("Head Data Scientist – Image Analytics lead, Novartis AI Innovation Lab", "Novartis"),
        ),
    ]
    for first, second in pairs:
        a, b = _find(glassdoor, *first), _find(glassdoor, *second)
        assert jaccard(shingles(a.description), shingles(b.description)) >= 0.8  # the texts are near-identical
        assert _group_of(merged, a.url) is not _group_of(merged, b.url)


def test_minhash_finds_the_same_pairs_as_exact_comparison(glassdoor):
    texts = list(dict.fromkeys(job.description for job in glassdoor))[:250]
    sets = [shingles(text) for text in texts]
    exact = {
        (i, j) for i in range(len(texts)) for j in range(i + 1, len(texts)) if jaccard(sets[i], sets[j]) >= 0.8
    }
    assert exact  # the sample holds near-duplicates
    assert set(near_duplicate_pairs(texts)) == exact


def test_agency_repost_merges_into_the_richest_record(glassdoor):
    original = _find(glassdoor, "Data Scientist", "Netskope", "Santa Clara, CA")
    repost = original.model_copy(
        update={
            "job_id": make_job_id("indeed", "agency-1"),
            "source": "indeed",
            "title": "Data Scientist (Contract)",
            "company": "Talent Partners Staffing LLC",
            "description": original.description.replace("Netskope", "our client") + "\n\nApply via our agency.",
            "salary": Salary(min=150000, max=180000, currency="USD", period="year"),
            "url": "https://www.indeed.com/viewjob?jk=agency-1",
        }
    )
    merged = deduplicate([original, repost])
    assert len(merged) == 1
    job = merged[0]
    assert job.salary is not None and job.salary.max == 180000  # the richer record (it has a salary) wins
    assert set(job.sources) == {original.url, repost.url}


def test_same_title_and_company_in_the_same_city_is_one_job():
    linkedin = Job(
        job_id="linkedin-1", source="linkedin", source_id="1", title="Senior Backend Engineer (m/w/d)",
        company="Acme GmbH", location="Berlin, Germany", url="https://www.linkedin.com/jobs/view/1",
    )  # fmt: skip
    greenhouse = Job(
        job_id="greenhouse-2", source="greenhouse", source_id="2", title="Senior Backend Engineer",
        company="ACME", location="Berlin", description="We build things." * 20,
        url="https://boards.greenhouse.io/acme/jobs/2",
    )  # fmt: skip
    unrelated = greenhouse.model_copy(update={"job_id": "greenhouse-3", "location": "Munich", "url": "https://x/3"})
    no_company = [
        Job(job_id=f"hn-{n}", source="hackernews", source_id=str(n), title="Software Engineer", url=f"https://h/{n}")
        for n in range(2)
    ]
    listed_twice = no_company[1].model_copy()  # a board paging over a moving list returns a job again
    merged = deduplicate([linkedin, greenhouse, unrelated, *no_company, listed_twice])
    assert [job.job_id for job in merged] == ["greenhouse-2", "greenhouse-3", "hn-0", "hn-1"]
    assert merged[0].sources == [linkedin.url, greenhouse.url]


def _posting(board_id: str, title: str, text: str, source: str = "greenhouse", **fields) -> Job:
    return Job(job_id=make_job_id(source, board_id), source=source, source_id=board_id, title=title,
               company="Fictional Robotics", location="Munich, Germany", description=text,
               url=f"https://boards.example/{source}/{board_id}", **fields)  # fmt: skip


_TEXT_A = " ".join(f"Our perception team builds sensor fusion part {n} for warehouse robots." for n in range(12))
_TEXT_B = " ".join(f"Our planning team writes motion planners step {n} for the robot fleet." for n in range(12))


def test_one_boards_two_ids_are_two_postings_unless_their_texts_agree():
    first, second = _posting("1", "Robotics Engineer", _TEXT_A), _posting("2", "Robotics Engineer", _TEXT_B)
    assert len(deduplicate([first, second])) == 2  # two openings of one title, different teams' texts
    relisted = _posting("3", "Robotics Engineer", _TEXT_A + " Apply now.")
    merged = deduplicate([first, second, relisted])
    assert len(merged) == 2 and set(merged[0].sources) == {first.url, relisted.url}
    # On another board, the same title, company and city is the same posting whatever the text says.
    elsewhere = _posting("9", "Robotics Engineer", "Short summary.", source="linkedin")
    assert len(deduplicate([first, elsewhere])) == 1


@pytest.mark.parametrize(
    "other",
    ["Robotics Engineer (Perception)", "Robotics Engineer (German speaking)", "Robotics Engineer (2 positions)",
     "Robotics Engineer (Hamburg)"],
)
def test_brackets_that_carry_meaning_keep_postings_apart(other):
    plain = _posting("1", "Robotics Engineer", _TEXT_A)
    assert len(deduplicate([plain, _posting("2", other, _TEXT_A, source="linkedin")])) == 2
    assert job_key(_posting("2", other, "")) != job_key(plain)


@pytest.mark.parametrize("noise", ["(m/w/d)", "(f/m/x)", "(H/F)", "(all genders)", "[m/w/d]", "(Full-time)"])
def test_known_noise_in_brackets_is_dropped(noise):
    plain = _posting("1", "Robotics Engineer", _TEXT_A)
    marked = _posting("2", f"Robotics Engineer {noise}", "", source="linkedin")
    assert job_key(marked) == job_key(plain)
    assert len(deduplicate([plain, marked])) == 1


def test_seen_before_knows_a_posting_again_under_a_new_id():
    seen = [Fingerprint.of(_posting("1", "Robotics Engineer", _TEXT_A))]
    again = _posting("1", "Robotics Engineer", _TEXT_A)
    repost = _posting("77", "Robotics Engineer (m/w/d)", _TEXT_A + " Updated.")
    other_opening = _posting("78", "Robotics Engineer", _TEXT_B)
    other_board = _posting("5", "Robotics Engineer", "Apply on our site.", source="linkedin")
    different_role = _posting("79", "Senior Robotics Engineer", _TEXT_A)
    assert seen_before([again, repost, other_opening, other_board, different_role], seen) == [
        True, True, False, True, False,
    ]
