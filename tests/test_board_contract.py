"""The board contract: every registered board reads every posting of its sample folder (the project's own
answers in the board's real format, served by the demo site), and reads the real saved answers in ../shared
with every posting it finds complete, and any failure a `SourceError` (a wall, an answer of another endpoint),
never a crash.

Parametrised over the registry, so a board added anywhere is covered as soon as it is registered, and it
must bring its sample folder (`src/jobsearch_mcp_server/demo/samples/<name>/`, see its README).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from board_site import BoardSiteForTests, search_sample
from conftest import SHARED_DATA, SHARED_FIXTURES, pointed, require
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.demo.site import BoardSample, BoardSite, Route, board_samples
from jobsearch_mcp_server.jobs.models import Job
from jobsearch_mcp_server.sources.base import SearchQuery, Source, SourceContext, SourceError
from jobsearch_mcp_server.sources.registry import REGISTRY

pytestmark = pytest.mark.anyio

SAMPLES = {sample.board: sample for sample in board_samples()}
# Where ../shared keeps real saved answers, one folder per board name.
REAL_ANSWER_DIRS = (SHARED_FIXTURES / "sources", SHARED_DATA / "boards")
# Saved files that are no answer a board gives as it is (boards/SOURCES.md describes them).
NOT_AN_ANSWER = {"zhipin/tmp.html": "a WebDriver log line holding a JSON-escaped page, hard-wrapped"}
# Saved answers of one posting's own endpoint, not of the list a search reads (boards/SOURCES.md), and where
# the board's posting pages begin (after its base URL): each is served in place of the sample's first posting
# page there, which the board reads as a job's details (None: the board reads no posting page).
POSTING_ANSWERS = {
    "lever/jd_lever_posting.json": None,
    "linkedin/linkedin_detail.html": "/jobs-guest/jobs/api/jobPosting/",
    "smartrecruiters/jd_smartrecruiters_posting.json": "/v1/companies/{company}/postings/",
    "smartrecruiters/smartrecruiters_detail.json": "/v1/companies/{company}/postings/",
    "workday/jd_workday_job.json": "/{host}/wday/cxs/{tenant}/{site}/job/",
    "workday/workday_detail.json": "/{host}/wday/cxs/{tenant}/{site}/job/",
}


def every_board() -> list:
    """The registry's boards as test parameters; browser boards need Chromium."""
    return [
        pytest.param(cls, id=cls.name, marks=[pytest.mark.browser] if cls.kind == "browser" else [])
        for cls in REGISTRY.classes()
    ]


def sample_of(board: type[Source]) -> BoardSample:
    assert board.name in SAMPLES, (
        f"{board.name} has no sample folder: add src/jobsearch_mcp_server/demo/samples/{board.name}/ "
        "with its answers in the board's real format and a routes.json (see that folder's README)"
    )
    return SAMPLES[board.name]


def assert_is_a_posting(job: Job, board: type[Source]) -> None:
    # an imported row keeps the site it names (a JobSpy row's `site`)
    assert job.source == board.name or (board.kind == "file" and job.source), job
    assert job.job_id, job
    assert job.title and job.title.strip(), job
    assert job.url and job.url.startswith("http"), job


def kind_settings(board: type[Source], request: pytest.FixtureRequest) -> tuple[Settings, object]:
    """Settings and browser pool for the board: real headless Chromium for a browser board."""
    if board.kind == "browser":
        return request.getfixturevalue("browser_settings"), request.getfixturevalue("browser_pool")
    return request.getfixturevalue("settings"), None


async def read_files(files: list[Path], settings: Settings) -> list[Job]:
    """The file board: each file imported from an allowed folder, as `file:<path>`."""
    folder = settings.allowed_dirs[0]
    context = SourceContext(settings)
    jobs: list[Job] = []
    try:
        for file in files:
            path = Path(shutil.copy(file, folder / file.name))
            source = REGISTRY.get("file")()
            jobs += await source.search(SearchQuery(query="", file=str(path), limit=100), context)
    finally:
        await context.http.aclose()
    return jobs


async def read_pages(
    board: type[Source], site: BoardSite, sample: BoardSample, settings: Settings, pool
) -> list[Job]:
    """A board that reads single pages (not a search): every page its sample routes serve."""
    context = SourceContext(pointed(settings, site.base_urls()), browser_factory=lambda: pool)
    base = site.base_urls()[board.name]
    try:
        return [
            await board().fetch_job(base + route.path, context)  # type: ignore[attr-defined]
            for route in sample.routes
            if not route.path.endswith("*")
        ]
    finally:
        await context.http.aclose()


@pytest.mark.parametrize("board", every_board())
async def test_the_board_reads_every_posting_of_its_sample(board: type[Source], request) -> None:
    sample = sample_of(board)
    assert all(route.file.is_file() for route in sample.routes), (
        f"{board.name}: routes.json names a missing file"
    )
    if board.needs_company and board.kind != "file":
        assert sample.company, (
            f'{board.name}: routes.json must name the company whose board it holds ("company")'
        )
    settings, pool = kind_settings(board, request)
    if board.kind == "file":
        jobs = await read_files(sample.files, settings)
    elif not board.searchable:
        with BoardSiteForTests([sample]) as site:
            jobs = await read_pages(board, site, sample, settings, pool)
    else:
        jobs = await search_sample(sample, settings, pool)

    # `postings` (optional in routes.json) says how many the sample holds; without it, at least one
    assert len(jobs) == sample.postings if sample.postings else jobs, [job.title for job in jobs]
    assert len({job.job_id for job in jobs}) == len(jobs)
    for job in jobs:
        assert_is_a_posting(job, board)
        assert job.company, job


def real_answers(board: type[Source]) -> list[Path]:
    return sorted(
        path
        for folder in REAL_ANSWER_DIRS
        if (folder / board.name).is_dir()
        for path in (folder / board.name).iterdir()
        if f"{board.name}/{path.name}" not in NOT_AN_ANSWER
    )


def route_for(answer: Path, sample: BoardSample) -> Route | None:
    """The sample route a real answer stands in for: one serving the same kind of file, whose file name has
    the most of the answer's name words in it ("items_44159528.json" -> "items.json", "indeed_job.html" ->
    "viewjob-....html"), the first such route when none does. A posting's own answer (`POSTING_ANSWERS`)
    stands in for the sample's page of one posting, none when the sample has only its list."""
    same_kind = [route for route in sample.routes if route.file.suffix == answer.suffix]
    if (key := f"{sample.board}/{answer.name}") in POSTING_ANSWERS:
        pattern = POSTING_ANSWERS[key]
        return next((route for route in same_kind if pattern and posting_page(pattern, route.path)), None)
    words = [word for word in re.split(r"[^a-z]+", answer.stem.lower()) if len(word) > 2]
    return max(same_kind, key=lambda route: sum(word in route.file.stem for word in words), default=None)


def posting_page(pattern: str, path: str) -> bool:
    """Whether `path` begins as `pattern` ({...}: one path segment) says."""
    regex = "".join(
        "[^/]+" if part.startswith("{") else re.escape(part) for part in re.split(r"({\w+})", pattern)
    )
    return re.match(regex, path) is not None


def reads_the_answer(real: Route, requests: list[str]) -> bool:
    return any(real.matches(urlsplit(asked).path, {}, set()) for asked in requests)


async def read_real_answer(
    board: type[Source], sample: BoardSample, answer: Path, route: Route, settings: Settings, pool
) -> list[Job]:
    """The board searched (or its page read) against the sample site with `answer` in place of `route`'s
    file. When the search read the answer (a real list), its jobs are what it found: their posting pages
    were not saved. Otherwise the answer stands for a posting page: each job found gets its details, but a
    job whose page the sample does not hold (a company board's sample keeps one posting page) is left out."""
    real = Route(BoardSite.prefix(sample) + route.path, answer, {}, None, 200, route.content_type)
    with BoardSiteForTests([sample], routes=[real], signed_in=True) as site:
        if not board.searchable:
            return await read_pages(board, site, sample, settings, pool)
        context = SourceContext(pointed(settings, site.base_urls()), browser_factory=lambda: pool)
        try:
            query = SearchQuery(query="", company=sample.company, limit=100)
            jobs = await board().search(query, context)
            if reads_the_answer(real, site.requests):
                return jobs
            detailed = []
            for job in jobs:
                asked_before = len(site.requests)
                try:
                    detailed.append(await board().details(job, context))
                except SourceError:
                    if reads_the_answer(real, site.requests[asked_before:]):
                        raise
            return detailed
        finally:
            await context.http.aclose()


@pytest.mark.parametrize("board", every_board())
async def test_the_board_reads_the_real_saved_answers(board: type[Source], request) -> None:
    require(SHARED_FIXTURES.is_dir(), f"needs the real saved answers in {SHARED_FIXTURES}")
    answers = real_answers(board)
    if not answers:
        pytest.skip(f"../shared holds no real saved answer of {board.name}")
    sample = sample_of(board)
    settings, pool = kind_settings(board, request)
    read: dict[str, int] = {}
    walls: dict[str, str] = {}  # answer -> the error it gave
    for answer in answers:
        if board.kind == "file":
            jobs = await read_files([answer], settings)
        elif (route := route_for(answer, sample)) is None:
            continue  # an answer of another endpoint than the board reads (e.g. a JSON API of a page board)
        else:
            try:
                jobs = await read_real_answer(board, sample, answer, route, settings, pool)
            except SourceError as error:  # a wall, or an answer of another endpoint: reported, never a crash
                assert str(error), answer.name
                read[answer.name] = 0
                walls[answer.name] = f"{type(error).__name__}: {error}"
                continue
        for job in jobs:
            assert_is_a_posting(job, board)
        read[answer.name] = len(jobs)
    if not read:
        pytest.skip(f"no real saved answer of {board.name} is one of the pages or answers it reads")
    assert any(read.values()), f"{board.name} found no posting in any real saved answer: {read}, {walls}"
    # an answer the board reads without a wall yields its postings
    assert all(count for name, count in read.items() if name not in walls), read
