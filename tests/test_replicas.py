"""Replicas: two server processes on one PostgreSQL answer one client alternately, as behind a load balancer
that sends each request to the next server. A search made on one is paged on the other, a ranking made on
one is paged on the other, an application tracked on one is listed by the other.

The balancer is the client's HTTP transport: it sends each tools/call to the next server in turn (and
every other request, such as initialize, round-robin on its own), and records which server answered
which call, so the test knows each handle crossed from one process to the other.
"""

from __future__ import annotations

import json
from contextlib import ExitStack

import httpx2
import pytest
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

from hunt_boards import Posting, board_env, serve
from servers import http_server

pytestmark = pytest.mark.anyio

# More postings than one page holds (50 jobs at most), so the search has a second page.
POSTINGS = [
    Posting(
        str(9000 + n), f"Robotics Software Engineer {n}", f"Fictional Robotics {n} GmbH", f"robot arm {n}"
    )
    for n in range(64)
]
TOKEN = "replicas-test-token"
RESUME = """Ada Example
ada@example.invalid
Robotics Software Engineer

Experience
Robotics Software Engineer, Fictional Motion GmbH, 2019 - 2025
Built robot arm controllers in C++ and Python with ROS.

Skills: C++, Python, ROS, robotics, computer vision
"""


class Balancer(httpx2.AsyncBaseTransport):
    """Round-robin over the servers' ports; `calls` lists (port, tool) of every tools/call sent."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.calls: list[tuple[int, str]] = []
        self._inner = httpx2.AsyncHTTPTransport()
        self._tool_calls = 0
        self._others = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = await request.aread()
        message = json.loads(body) if body.startswith(b"{") else {}
        if message.get("method") == "tools/call":
            port = self.ports[self._tool_calls % len(self.ports)]
            self._tool_calls += 1
            self.calls.append((port, message["params"]["name"]))
        else:
            port = self.ports[self._others % len(self.ports)]
            self._others += 1
        request.url = request.url.copy_with(port=port)
        request.headers["host"] = f"127.0.0.1:{port}"
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


@pytest.fixture
def shared_database(postgres):
    url = postgres.create_database()
    yield url
    postgres.drop_database(url)


@pytest.fixture
def replicas(hunt_site, shared_database, tmp_path):
    """Two `jobsearch-mcp serve --transport streamable-http` processes, each with its own data dir, on one
    PostgreSQL database; JOBSEARCH_STATELESS_HTTP is left to its default (on with a database URL)."""
    serve(hunt_site, POSTINGS, [])
    env = {
        **board_env(hunt_site),
        "JOBSEARCH_DATABASE_URL": shared_database,
        "JOBSEARCH_ALLOW_PRIVATE_URLS": "127.0.0.1",
        "JOBSEARCH_MIN_REQUEST_INTERVAL": "0",
        "JOBSEARCH_AUTH_TOKEN": TOKEN,  # one token, checked by each replica on each request
    }
    with ExitStack() as stack:
        bases = []
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            bases.append(stack.enter_context(http_server(tmp_path / name, "streamable-http", **env)))
        yield [int(base.rsplit(":", 1)[1]) for base in bases]


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_two_servers_on_one_database_serve_one_client_alternately(replicas, mode):
    """legacy: the initialize handshake of protocols up to 2025-11-25 (what stateless mode is for); auto:
    the 2026-07-28 protocol, where every request stands alone."""
    balancer = Balancer(replicas)
    http = httpx2.AsyncClient(transport=balancer, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"})
    async with Client(streamable_http_client("http://127.0.0.1/mcp", http_client=http), mode=mode) as client:
        searched = await client.call_tool(
            "search_jobs", {"query": "robotics engineer", "sources": ["remotive", "remoteok"], "limit": 100}
        )
        assert not searched.is_error, searched.content
        page_one = searched.structured_content
        assert page_one["total"] == len(POSTINGS) and page_one["next_offset"] is not None

        pages = [page_one]
        while pages[-1]["next_offset"] is not None:  # each page from the other server than the last one
            paged = await client.call_tool(
                "search_jobs",
                {
                    "query": "robotics engineer",
                    "search_id": page_one["search_id"],
                    "offset": pages[-1]["next_offset"],
                },
            )
            assert not paged.is_error, paged.content
            pages.append(paged.structured_content)
        assert len(pages) >= 2
        found = [job for page in pages for job in page["jobs"]]
        assert sorted(job["title"] for job in found) == sorted(
            posting.title for posting in POSTINGS
        )  # each once

        parsed = await client.call_tool("parse_resume", {"text": RESUME})
        assert not parsed.is_error, parsed.content
        resume_id = parsed.structured_content["resume_id"]

        job_ids = [job["job_id"] for job in found]
        ranked = await client.call_tool(
            "match_jobs", {"resume_id": resume_id, "job_ids": job_ids, "top_k": 60}
        )
        assert not ranked.is_error, ranked.content
        ranking = ranked.structured_content
        assert ranking["total"] == 60

        rest = await client.call_tool(
            "match_jobs",
            {"resume_id": resume_id, "match_id": ranking["match_id"], "offset": ranking["next_offset"] or 0},
        )
        assert not rest.is_error, rest.content
        assert rest.structured_content["match_id"] == ranking["match_id"]
        assert rest.structured_content["offset"] == (ranking["next_offset"] or 0)

        best = ranking["matches"][0]["job_id"]
        tracked = await client.call_tool("track_application", {"job_id": best, "status": "applied"})
        assert not tracked.is_error, tracked.content
        listed = await client.call_tool("list_applications", {})
        assert not listed.is_error, listed.content
        assert [app["job_id"] for app in listed.structured_content["applications"]] == [best]
    await balancer.aclose()

    # Each call went to the other server than the call before it: every handle crossed processes.
    tools = ["search_jobs"] * len(pages) + ["parse_resume", "match_jobs", "match_jobs", "track_application"]
    tools.append("list_applications")
    assert balancer.calls == [(replicas[n % 2], tool) for n, tool in enumerate(tools)]
