"""The job tools' MCP surface: annotations, schemas, list_sources, job://, defaults, and a search over a
real streamable-HTTP session against the server process, with progress notifications."""

from __future__ import annotations

import json
from contextlib import ExitStack

import pytest
from mcp.client import Client

from board_site import BoardSiteForTests
from conftest import SHARED_FIXTURES, chrome_paths, pointed, shared
from jobsearch_mcp_server.demo.site import SAMPLES_DIR, BoardSite, Route
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server
from jobsearch_mcp_server.sources.registry import REGISTRY
from scripted_site import Reply, scripted_site
from servers import http_server

pytestmark = pytest.mark.anyio

GREENHOUSE_BOARD = SHARED_FIXTURES / "sources" / "greenhouse" / "jobs_content.json"  # real answers, in place
REMOTEOK_API = SHARED_FIXTURES / "sources" / "remoteok" / "api.json"
WALLS = SHARED_FIXTURES / "walls"
LINKEDIN = SAMPLES_DIR / "linkedin"


async def test_tools_carry_annotations_and_schemas(client):
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    expected = {
        "search_jobs": (True, True),
        "get_job_details": (True, True),
        "list_sources": (True, False),
        "import_jobs": (False, False),
    }
    for name, (read_only, open_world) in expected.items():
        tool = tools[name]
        assert tool.annotations.read_only_hint is read_only, name
        assert tool.annotations.open_world_hint is open_world, name
        assert tool.output_schema is not None, name
        assert len(tool.description) > 80, name
    limit = tools["search_jobs"].input_schema["properties"]["limit"]
    assert (limit["minimum"], limit["maximum"]) == (1, 100)
    assert "greenhouse:stripe" in tools["search_jobs"].description
    assert tools["search_jobs"].input_schema["required"] == ["query"]


async def test_list_sources_describes_every_board(client):
    result = await client.call_tool("list_sources", {})
    sources = {source["name"]: source for source in result.structured_content["sources"]}
    assert set(sources) == set(REGISTRY.names())
    assert sources["remoteok"]["kind"] == "http" and sources["remoteok"]["default"]
    assert sources["remoteok"]["base_url"] == "https://remoteok.com"
    assert sources["lever"]["needs_company"] and not sources["lever"]["default"]
    assert sources["file"]["kind"] == "file" and not sources["file"]["default"]
    assert all(source["health"]["state"] == "closed" for source in sources.values())


@pytest.mark.browser
async def test_search_without_sources_asks_the_default_boards(browser_settings):
    with ExitStack() as stack:
        # a host each, as in real life: no waiting on one another
        boards = {name: stack.enter_context(scripted_site()).base_url for name in REGISTRY.default_names()}
        runtime = Runtime(
            pointed(browser_settings, boards).model_copy(update={"page_timeout_s": 1.0, "source_timeout_s": 4.0})
        )
        stack.callback(runtime.close)
        async with Client(build_server(runtime)) as client:
            result = await client.call_tool("search_jobs", {"query": "python"})
    assert not result.is_error, result.content[0].text
    reports = result.structured_content["sources"]
    assert [report["source"] for report in reports] == REGISTRY.default_names()
    assert {"linkedin", "remoteok"} <= set(REGISTRY.default_names())
    assert all(report["elapsed_s"] <= 4.5 for report in reports if report["elapsed_s"] is not None)


async def test_empty_query_is_refused(client):
    result = await client.call_tool("search_jobs", {"query": "   "})
    assert result.is_error and "query is empty" in result.content[0].text


async def test_job_resource_of_an_unknown_id_says_what_to_do(client):
    with pytest.raises(Exception, match="run search_jobs first"):
        await client.read_resource("job://remoteok-000000000000")


async def test_search_over_streamable_http_with_progress(data_dir):
    progress: list[tuple[float, float | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total))

    with scripted_site() as greenhouse, scripted_site() as remoteok:
        greenhouse.route("/v1/boards/stripe/jobs", Reply.file(shared(GREENHOUSE_BOARD)))
        remoteok.route("/api", Reply.file(shared(REMOTEOK_API)))
        env = {"JOBSEARCH_GREENHOUSE_BASE_URL": greenhouse.base_url, "JOBSEARCH_REMOTEOK_BASE_URL": remoteok.base_url}
        with http_server(data_dir, "streamable-http", JOBSEARCH_MIN_REQUEST_INTERVAL="0", **env) as base:
            async with Client(f"{base}/mcp") as client:
                found = await client.call_tool(
                    "search_jobs",
                    {"query": "engineer", "sources": ["greenhouse:stripe", "remoteok"]},
                    progress_callback=on_progress,
                )
                assert not found.is_error, found.content[0].text
                job_id = found.structured_content["jobs"][0]["job_id"]
                resource = await client.read_resource(f"job://{job_id}")
    statuses = {report["source"]: report["status"] for report in found.structured_content["sources"]}
    assert statuses["greenhouse:stripe"] == "ok"
    assert json.loads(resource.contents[0].text)["job_id"] == job_id
    assert greenhouse.hits[0].headers["User-Agent"].startswith("jobsearch-mcp/")
    assert progress and progress[-1] == (2, 2)


@pytest.fixture
def browser_settings(settings):
    """Real headless Chromium, no spacing between requests, and 127.0.0.1 allowed for URLs."""
    chrome, driver = chrome_paths()
    return settings.model_copy(
        update={
            "chrome_binary": chrome,
            "chromedriver": driver,
            "min_request_interval_s": 0.0,
            "page_timeout_s": 10.0,
            "source_timeout_s": 30.0,
            "allow_private_urls": ["127.0.0.1"],
        }
    )


@pytest.fixture
def browser_runtime(browser_settings):
    runtime = Runtime(browser_settings)
    yield runtime
    runtime.close()


@pytest.mark.browser
async def test_job_page_by_url_through_the_browser(browser_runtime):
    with BoardSite() as site:
        async with Client(build_server(browser_runtime)) as client:
            url = f"{site.url}/generic/careers/senior-data-scientist"
            details = await client.call_tool("get_job_details", {"url": url})
            assert not details.is_error, details.content[0].text
            job = details.structured_content["job"]
            cached = await client.read_resource(f"job://{job['job_id']}")
    assert (job["title"], job["company"], job["source"]) == ("Senior Data Scientist", "Marlowe & Finch", "generic")
    assert job["description"].startswith("Marlowe & Finch is a family-owned chain of 40 bookshops.")
    assert job["posted_at"] == "2026-11-24" and job["salary"]["currency"] == "GBP"
    assert json.loads(cached.contents[0].text)["title"] == "Senior Data Scientist"


@pytest.mark.browser
async def test_a_redirect_to_a_private_host_is_not_shown(browser_settings):
    with BoardSiteForTests() as site, ExitStack() as stack:
        # Only this host and port are allowed; the redirect goes to the same server under another name.
        runtime = Runtime(browser_settings.model_copy(update={"allow_private_urls": [site.url.removeprefix("http://")]}))
        stack.callback(runtime.close)
        private = site.url.replace("127.0.0.1", "localhost") + "/generic/careers/senior-data-scientist"
        async with Client(build_server(runtime)) as client:
            result = await client.call_tool("get_job_details", {"url": f"{site.url}/__login?to={private}"})
    assert result.is_error
    assert "refusing to open localhost" in result.content[0].text


@pytest.mark.browser
async def test_linkedin_details_load_once_and_a_wall_becomes_a_note(browser_settings):
    wall = shared(WALLS / "cloudflare_managed_challenge_2021.html")  # a real Cloudflare challenge page
    walled = (  # the sample LinkedIn board, where only one posting's page gets through
        Route("/jobs-guest/jobs/api/seeMoreJobPostings/search", LINKEDIN / "search.html", {"start": "0"}),
        Route("/jobs-guest/jobs/api/seeMoreJobPostings/search", LINKEDIN / "empty.html"),
        Route("/jobs-guest/jobs/api/jobPosting/4102000102", LINKEDIN / "job-4102000102.html"),
        Route("/jobs/view/4102000102", LINKEDIN / "job-4102000102.html"),
        Route("/jobs-guest/jobs/api/jobPosting/*", wall, status=403),
        Route("/jobs/view/*", wall, status=403),
    )
    with BoardSite(samples=[], routes=walled) as site, ExitStack() as stack:
        runtime = Runtime(pointed(browser_settings, {"linkedin": site.url}))
        stack.callback(runtime.close)
        async with Client(build_server(runtime)) as client:
            found = await client.call_tool("search_jobs", {"query": "data scientist", "sources": ["linkedin"]})
            assert not found.is_error, found.content[0].text
            ids = {job["source"] + ":" + job["title"]: job["job_id"] for job in found.structured_content["jobs"]}
            readable = ids["linkedin:Data Scientist, Experimentation"]
            first = await client.call_tool("get_job_details", {"job_id": readable})
            asked = len(_posting_requests(site))
            again = await client.call_tool("get_job_details", {"job_id": readable})
            blocked_id = next(job_id for job_id in ids.values() if job_id != readable)
            blocked = await client.call_tool("get_job_details", {"job_id": blocked_id})
    assert "variance-reduction (CUPED)" in first.structured_content["job"]["description"]
    assert again.structured_content == first.structured_content
    assert len(_posting_requests(site)) == asked + 1  # the second read came from the cache; one for the walled job
    assert not blocked.is_error
    assert blocked.structured_content["job"]["job_id"] == blocked_id
    assert "blocked" in blocked.structured_content["note"] and "Cloudflare" in blocked.structured_content["note"]


def _posting_requests(site: BoardSite) -> list[str]:
    return [path for path in site.requests if path.startswith(("/jobs-guest/jobs/api/jobPosting/", "/jobs/view/"))]
