"""Shared fixtures: an isolated data dir per test, settings, a runtime, and an in-memory MCP client."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from mcp.client import Client

from jobsearch_mcp_server.browser.discovery import INSTALL_HINT, find_browser, missing_browser_parts
from jobsearch_mcp_server.config import Settings, load_settings
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"  # files the project made itself
SHARED_DATA = ROOT.parent / "shared" / "data"  # third-party data, read in place, never copied here
# Other projects' files the project's fixtures and demo pages once held (each folder's README names them).
SHARED_FIXTURES = SHARED_DATA / "project-fixtures" / "tests-fixtures"
SHARED_PAGES = SHARED_DATA / "project-fixtures" / "demo" / "pages"


def require(condition: bool, reason: str) -> None:
    """Skips a test whose external tool is missing, but fails it in CI (JOBSEARCH_TEST_REQUIRE_ALL=1)."""
    if condition:
        return
    if os.environ.get("JOBSEARCH_TEST_REQUIRE_ALL") == "1":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def shared(path: Path) -> Path:
    """`path`, a file of third-party data under ../shared/data: the test is skipped where it is missing
    (a checkout without ../shared) and fails in CI (JOBSEARCH_TEST_REQUIRE_ALL=1)."""
    require(path.exists(), f"needs the shared data {path} (../shared/data beside the checkout)")
    return path


def fixture_resume(name: str) -> Path:
    """A resume fixture: one the project generated (tests/fixtures/resumes), else a real one read in place."""
    generated = FIXTURES / "resumes" / name
    return generated if generated.exists() else shared(SHARED_FIXTURES / "resumes" / name)


def pointed(settings: Settings, base_urls: dict[str, str]) -> Settings:
    """`settings` with boards pointed at local sites (what JOBSEARCH_<NAME>_BASE_URL sets)."""
    return settings.model_copy(update={"board_base_urls": {**settings.board_base_urls, **base_urls}})


def chrome_paths() -> tuple[str, str]:
    """The Chromium and chromedriver binaries for browser tests (Debian's by default)."""
    binary, driver = find_browser(os.environ.get("JOBSEARCH_CHROME_BINARY"), os.environ.get("JOBSEARCH_CHROMEDRIVER"))
    missing = missing_browser_parts(binary, driver)
    require(not missing and bool(binary and driver), f"needs {' and '.join(missing)}: {INSTALL_HINT}")
    return binary, driver  # type: ignore[return-value]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# The store's tests run on both engines: a module with `pytestmark = pytest.mark.both_databases` runs each
# test that uses the settings once on SQLite and once on a fresh database of the throwaway PostgreSQL.
DATABASES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_databases"):
        metafunc.parametrize("database_url", DATABASES, indirect=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """A throwaway PostgreSQL cluster for the session (tests/postgres_cluster.py): skipped where
    PostgreSQL is not installed, a failure in CI."""
    from postgres_cluster import Cluster, server_binaries

    binaries = server_binaries()
    require(binaries is not None, "needs PostgreSQL's initdb and pg_ctl (Debian: apt-get install postgresql)")
    cluster = Cluster(binaries).start()  # type: ignore[arg-type]
    yield cluster
    cluster.stop()


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None (the SQLite file in the data dir), or the URL of a new empty PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield None
        return
    cluster = request.getfixturevalue("postgres")
    url = cluster.create_database()
    yield url
    cluster.drop_database(url)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def settings(data_dir: Path, tmp_path: Path, database_url: str | None) -> Settings:
    """Settings isolated from the developer's environment and .env: a fresh data dir (and database), no LLM."""
    resumes = tmp_path / "resumes"
    resumes.mkdir()
    return load_settings(
        env_file=None,
        data_dir=str(data_dir),
        allowed_dirs=str(resumes),
        llm_backend="none",
        log_level="DEBUG",
        database_url=database_url,
    )


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = Runtime(settings)
    yield rt
    rt.close()


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[Client]:
    async with Client(build_server(runtime)) as c:
        yield c


@pytest.fixture(scope="session")
def fake_llm_server() -> Iterator[object]:
    from fake_llm import FakeLLM

    server = FakeLLM().start()
    yield server
    server.stop()


@pytest.fixture
def fake_llm(fake_llm_server) -> object:
    """A local OpenAI-compatible server answering like vLLM / Ollama serving DeepSeek-R1 (tests/fake_llm),
    reset to well-behaved vLLM with a reasoning parser; tests script replies and failures on it."""
    fake_llm_server.reset()
    return fake_llm_server


@pytest.fixture(scope="module")
def browser_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for real headless Chromium (skipped where it is missing): no host throttle, 30 s pages (a
    real saved Indeed page once gave no posting in CI under load with 15 s)."""
    binary, driver = chrome_paths()
    return load_settings(
        env_file=None,
        data_dir=str(tmp_path_factory.mktemp("browser-data")),
        chrome_binary=binary,
        chromedriver=driver,
        llm_backend="none",
        min_request_interval_s=0,
        page_timeout_s=30,
    )


@pytest.fixture(scope="module")
def browser_pool(browser_settings: Settings) -> Iterator[object]:
    """One warm browser pool shared by a test module (starting Chromium per test would dominate the time)."""
    from jobsearch_mcp_server.browser.pool import BrowserPool

    with BrowserPool(browser_settings) as pool:
        yield pool


# The job hunt's tests (tests/hunt_boards.py): two boards on a local site, and a server that restarts.
@pytest.fixture
def hunt_site():
    from scripted_site import scripted_site

    with scripted_site() as running:
        yield running


@pytest.fixture
def hunt_settings(hunt_site, monkeypatch, tmp_path, database_url):
    from hunt_boards import board_env

    for name, value in board_env(hunt_site).items():
        monkeypatch.setenv(name, value)
    (tmp_path / "exports").mkdir()
    return load_settings(
        env_file=None, data_dir=str(tmp_path / "data"), allowed_dirs=str(tmp_path / "exports"),
        llm_backend="none", min_request_interval_s=0, allow_private_urls="127.0.0.1", database_url=database_url,
    )  # fmt: skip


@pytest.fixture
async def hunt_server(hunt_settings):
    from hunt_boards import Server

    running = Server(hunt_settings).start()
    yield running
    await running.stop()
