"""Tenants: each token's tenant sees only what it made, through every tool, resource and completion, over
real SSE and streamable HTTP servers; the tokens file is checked, hashed tokens work, and edits apply
without a restart."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from mcp.client import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ResourceTemplateReference

from conftest import FIXTURES
from jobsearch_mcp_server.store import Store
from jobsearch_mcp_server.tenants import LOCAL_TENANT, TokenBook, TokensFileError, acting_as, parse_tokens
from servers import http_server

pytestmark = pytest.mark.anyio

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "jobsearch_mcp_server" / "demo" / "samples" / "file"
DEMO_RESUME = Path(__file__).resolve().parents[1] / "src" / "jobsearch_mcp_server" / "demo" / "resume"
ALICE_TOKEN = "alice-token-4b1d0c"
BOB_TOKEN = "bob-token-93e7aa"
CAROL_TOKEN = "carol-token-5f20e1"


def sha256(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


def tokens_file(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(["# jobsearch tokens: <token> <tenant>", "", *lines]) + "\n", encoding="utf-8")
    return path


# --- the tokens file --------------------------------------------------------------------------------


def test_plain_and_hashed_tokens_with_comments_and_blank_lines():
    hashed = "sha256:" + hashlib.sha256(BOB_TOKEN.encode()).hexdigest().upper()  # hex in either case
    table = parse_tokens(f"# the team\n\n{ALICE_TOKEN} alice\n   \n  {hashed}\tbob\n", "tokens")
    assert table == {
        hashlib.sha256(ALICE_TOKEN.encode()).digest(): "alice",
        hashlib.sha256(BOB_TOKEN.encode()).digest(): "bob",
    }


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (f"{ALICE_TOKEN}", "expected '<token> <tenant>'"),
        (f"{ALICE_TOKEN} alice extra", "3 fields found"),
        (f"{ALICE_TOKEN} ../alice", "the tenant name must be"),
        ("sha256:abc123 alice", "64 hex digits"),
    ],
)
def test_a_malformed_line_is_named_by_number_and_never_shows_the_token(line, says):
    with pytest.raises(TokensFileError) as raised:
        parse_tokens(f"# header\n{BOB_TOKEN} bob\n{line}\n", "tokens.txt")
    message = str(raised.value)
    assert message.startswith("tokens.txt line 3: ") and says in message
    assert ALICE_TOKEN not in message and "abc123" not in message and BOB_TOKEN not in message


def test_the_same_token_twice_is_refused_with_both_line_numbers():
    with pytest.raises(TokensFileError, match="line 3: the same token is already given on line 1") as raised:
        parse_tokens(f"{ALICE_TOKEN} alice\n{BOB_TOKEN} bob\n{sha256(ALICE_TOKEN)} mallory\n", "f")
    assert ALICE_TOKEN not in str(raised.value)


def test_a_broken_edit_keeps_the_tokens_in_force_and_logs_no_token(tmp_path, caplog):
    path = tokens_file(tmp_path / "tokens", f"{ALICE_TOKEN} alice")
    book = TokenBook("the-single-token", path)
    assert book.tenant_for(ALICE_TOKEN) == "alice"
    assert book.tenant_for("the-single-token") == LOCAL_TENANT
    assert book.tenant_for(BOB_TOKEN) is None

    tokens_file(path, f"{ALICE_TOKEN} alice", f"{BOB_TOKEN} bob and more")
    with caplog.at_level(logging.ERROR, logger="jobsearch_mcp_server.tenants"):
        assert book.tenant_for(ALICE_TOKEN) == "alice"
        assert book.tenant_for(BOB_TOKEN) is None
    logged = caplog.text
    assert "line 4" in logged and "stay in force" in logged
    assert BOB_TOKEN not in logged and ALICE_TOKEN not in logged
    assert logged.count("line 4") == 1  # logged once for the broken edit, not on every request

    tokens_file(path, f"{BOB_TOKEN} bob")
    assert book.tenant_for(BOB_TOKEN) == "bob"
    assert book.tenant_for(ALICE_TOKEN) is None


def test_a_malformed_tokens_file_stops_the_start_with_the_line_number(tmp_path, data_dir):
    import subprocess

    from servers import cli_command, free_port, server_env

    path = tokens_file(tmp_path / "tokens", f"{ALICE_TOKEN} alice", f"{BOB_TOKEN}")
    done = subprocess.run(
        cli_command("serve", "--transport", "streamable-http", "--port", str(free_port())),
        capture_output=True, text=True, timeout=60, check=False,
        env=server_env(data_dir, JOBSEARCH_TOKENS_FILE=str(path)),
    )  # fmt: skip
    assert done.returncode != 0
    assert f"{path} line 4: expected '<token> <tenant>'" in done.stderr
    assert BOB_TOKEN not in done.stderr and ALICE_TOKEN not in done.stderr


# --- the store ----------------------------------------------------------------------------------------


def test_rows_of_an_older_release_are_the_local_tenants_alone(tmp_path):
    path = tmp_path / "jobsearch.db"
    shutil.copy(FIXTURES / "store" / "release-0.1.0.db", path)
    store = Store(path)
    try:
        assert store.get_resume("res-fixture1") is not None and len(store.list_applications()) == 2
        with acting_as("alice"):
            assert store.get_resume("res-fixture1") is None
            assert store.list_resumes() == [] and store.list_applications() == []
            assert store.get_search("search-fixt1") is None and store.list_jobs() == []
            assert store.ids_starting_with("resume", "res", 10) == ([], 0)
    finally:
        store.close()
    with sqlite3.connect(path) as db:
        tenants = {row[0] for table in ("resumes", "jobs", "searches", "applications")
                   for row in db.execute(f"SELECT DISTINCT tenant FROM {table}")}  # fmt: skip
    assert tenants == {LOCAL_TENANT}


# --- two tenants on real servers ----------------------------------------------------------------------


async def http_status(method: str, url: str, token: str) -> int:
    """The HTTP status of one request (a ping when POSTed) with `token`."""
    headers = {"Accept": "application/json, text/event-stream", "Authorization": f"Bearer {token}"}
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.request(method, url, headers=headers, json=ping if method == "POST" else None)
    return response.status_code


@asynccontextmanager
async def connected(base: str, transport: str, token: str):
    headers = {"Authorization": f"Bearer {token}"}
    if transport == "sse":
        async with Client(sse_client(f"{base}/sse", headers=headers)) as client:
            yield client
    else:
        import httpx2

        async with (
            httpx2.AsyncClient(headers=headers, timeout=60) as http,
            Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client,
        ):
            yield client


async def call(client: Client, tool: str, **arguments) -> dict:
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content[0].text
    return result.structured_content


async def refusal(client: Client, tool: str, **arguments) -> str:
    result = await client.call_tool(tool, arguments)
    assert result.is_error
    return result.content[0].text


async def resource_refusal(client: Client, uri: str) -> str:
    with pytest.raises(Exception) as raised:  # the SDK's error for a missing resource
        await client.read_resource(uri)
    return str(raised.value)


async def read_json(client: Client, uri: str):
    return json.loads((await client.read_resource(uri)).contents[0].text)


async def completed(client: Client, template: str, argument: str) -> set[str]:
    ref = ResourceTemplateReference(type="ref/resource", uri=template)
    return set((await client.complete(ref, {"name": argument, "value": ""})).completion.values)


async def make_a_world(client: Client, resume_text: str, jobs_file: str, watch: str) -> dict:
    """What one tenant makes: a resume, imported jobs, a ranking, a saved search run, an application, an export."""
    resume_id = (await call(client, "parse_resume", text=resume_text))["resume_id"]
    page = (await call(client, "import_jobs", path=jobs_file))["page"]
    job_ids = [job["job_id"] for job in page["jobs"]]
    ranking = await call(client, "match_jobs", resume_id=resume_id, job_ids=job_ids)
    await call(client, "save_search", name=watch, query="data", sources=[f"file:{jobs_file}"])
    run = await call(client, "run_saved_search", name=watch)
    application = await call(client, "track_application", job_id=job_ids[0], status="applied")
    export = await call(client, "export_jobs", what=page["search_id"], format="csv", path="export.csv")
    return {
        "resume_id": resume_id,
        "search_id": page["search_id"],
        "job_ids": set(job_ids),
        "match_id": ranking["match_id"],
        "watch": watch,
        "run_search_id": run["page"]["search_id"] if "page" in run else run["search_id"],
        "application_id": application["application_id"],
        "export": export["path"],
    }


async def sees_only_its_own(me: Client, mine: dict, theirs: dict) -> None:
    """`me` sees `mine` everywhere and nothing of `theirs`: each id of theirs answers like an unknown id."""
    listed = (await call(me, "list_resumes"))["resumes"]
    assert [r["resume_id"] for r in listed] == [mine["resume_id"]]
    assert [r["resume_id"] for r in (await read_json(me, "resumes://all"))["resumes"]] == [mine["resume_id"]]
    assert (await read_json(me, f"resume://{mine['resume_id']}"))["resume_id"] == mine["resume_id"]
    assert [s["name"] for s in (await call(me, "list_saved_searches"))["saved_searches"]] == [mine["watch"]]
    applications = (await call(me, "list_applications"))["applications"]
    assert [a["application_id"] for a in applications] == [mine["application_id"]]
    assert [a["application_id"] for a in (await read_json(me, "applications://all"))["applications"]] == [
        mine["application_id"]
    ]
    assert await completed(me, "resume://{resume_id}", "resume_id") == {mine["resume_id"]}
    assert await completed(me, "job://{job_id}", "job_id") == mine["job_ids"]
    assert await completed(me, "application://{application_id}", "application_id") == {mine["application_id"]}

    async def like_unknown(ask, their_id: str, unknown_id: str) -> None:
        theirs_said, unknown_said = await ask(their_id), await ask(unknown_id)
        assert theirs_said.replace(their_id, "<id>") == unknown_said.replace(unknown_id, "<id>")

    unknown = "0123456789ab"
    for template in ("resume://{}", "resume://{}/text", "resume://{}/jsonresume"):
        await like_unknown(
            lambda i, t=template: resource_refusal(me, t.format(i)), theirs["resume_id"], unknown
        )
    their_job = min(theirs["job_ids"] - mine["job_ids"])
    await like_unknown(lambda i: resource_refusal(me, f"job://{i}"), their_job, unknown)
    await like_unknown(
        lambda i: resource_refusal(me, f"application://{i}"), theirs["application_id"], unknown
    )
    await like_unknown(lambda i: refusal(me, "get_job_details", job_id=i), their_job, unknown)
    await like_unknown(
        lambda i: refusal(me, "search_jobs", query="x", search_id=i), theirs["search_id"], unknown
    )
    await like_unknown(lambda i: refusal(me, "match_jobs", resume_id=i), theirs["resume_id"], unknown)
    await like_unknown(
        lambda i: refusal(me, "match_jobs", resume_id=mine["resume_id"], match_id=i),
        theirs["match_id"],
        unknown,
    )
    await like_unknown(lambda i: refusal(me, "run_saved_search", name=i), theirs["watch"], "nobody watch")
    await like_unknown(
        lambda i: refusal(me, "export_jobs", what=i, format="jsonl", path="x.jsonl"),
        theirs["search_id"],
        unknown,
    )
    await like_unknown(
        lambda i: refusal(me, "export_jobs", what=i, format="jsonl", path="x.jsonl"),
        theirs["watch"],
        "no watch",
    )
    await like_unknown(lambda i: refusal(me, "track_application", job_id=i), their_job, unknown)
    await like_unknown(lambda i: refusal(me, "hide_job", job_id=i), their_job, unknown)
    await like_unknown(
        lambda i: refusal(me, "hide_job", job_id=min(mine["job_ids"]), saved_search=i),
        theirs["watch"],
        "nobody watch",
    )
    await like_unknown(
        lambda i: refusal(me, "track_application", job_id=min(mine["job_ids"]), resume_id=i),
        theirs["resume_id"],
        unknown,
    )
    checked, unknown_checked = (
        await call(me, "check_jobs", job_ids=[their_job]),
        await call(me, "check_jobs", job_ids=[unknown]),
    )
    assert json.dumps(checked).replace(their_job, "<id>") == json.dumps(unknown_checked).replace(
        unknown, "<id>"
    )
    deleted = await call(me, "delete_resume", resume_id=theirs["resume_id"])
    assert deleted["deleted"] is False
    # Its export went to its own folder.
    assert Path(mine["export"]).is_file() and Path(mine["export"]) != Path(theirs["export"])


@pytest.mark.parametrize("transport", ["streamable-http", "sse"])
async def test_two_tenants_each_see_only_their_own(transport, data_dir, tmp_path):
    path = tokens_file(tmp_path / "tokens", f"{ALICE_TOKEN} alice", f"{sha256(BOB_TOKEN)} bob")
    for tenant, sample in (("alice", "jobs.csv"), ("bob", "jobs.jsonl")):
        folder = data_dir / "tenants" / tenant / "files"
        folder.mkdir(parents=True)
        shutil.copy(SAMPLES / sample, folder / sample)
    alice_resume = (DEMO_RESUME / "data_scientist.txt").read_text(encoding="utf-8")
    bob_resume = (FIXTURES / "resumes" / "jsonresume_kim.json").read_text(encoding="utf-8")
    with http_server(data_dir, transport, JOBSEARCH_TOKENS_FILE=str(path)) as base:
        async with (
            connected(base, transport, ALICE_TOKEN) as alice,
            connected(base, transport, BOB_TOKEN) as bob,
        ):
            alices = await make_a_world(alice, alice_resume, "jobs.csv", "alice watch")
            bobs = await make_a_world(bob, bob_resume, "jobs.jsonl", "bob watch")
            assert alices["job_ids"].isdisjoint(bobs["job_ids"])
            await sees_only_its_own(alice, alices, bobs)
            await sees_only_its_own(bob, bobs, alices)
            # The same resume parsed by both tenants is two rows: deleting one leaves the other.
            again = (await call(bob, "parse_resume", text=alice_resume))["resume_id"]
            assert again == alices["resume_id"]
            assert (await call(bob, "delete_resume", resume_id=again))["deleted"] is True
            assert (await read_json(alice, f"resume://{again}"))["name"]

        assert Path(alices["export"]).parent == (data_dir / "tenants" / "alice" / "files").resolve()
        assert Path(bobs["export"]).parent == (data_dir / "tenants" / "bob" / "files").resolve()
        posts = f"{base}/mcp" if transport == "streamable-http" else f"{base}/messages/?session_id=x"
        assert await http_status("POST", posts, f"{ALICE_TOKEN}x") == 401
        # The hash in the file is not a token.
        opens = f"{base}/sse" if transport == "sse" else f"{base}/mcp"
        assert await http_status("GET", opens, sha256(BOB_TOKEN)) == 401


async def test_the_tokens_file_reloads_without_a_restart(data_dir, tmp_path):
    path = tokens_file(tmp_path / "tokens", f"{ALICE_TOKEN} alice", f"{BOB_TOKEN} bob")

    async def status(base: str, token: str) -> int:
        return await http_status("POST", f"{base}/mcp", token)

    with http_server(data_dir, "streamable-http", JOBSEARCH_TOKENS_FILE=str(path)) as base:
        async with connected(base, "streamable-http", BOB_TOKEN) as bob:
            await call(bob, "track_application", job_id="bobs", status="saved", url="https://jobs.example/b")
        assert await status(base, CAROL_TOKEN) == 401

        tokens_file(path, f"{ALICE_TOKEN} alice", f"{BOB_TOKEN} bob", f"{sha256(CAROL_TOKEN)} carol")
        async with connected(base, "streamable-http", CAROL_TOKEN) as carol:
            assert (await call(carol, "list_applications"))["applications"] == []

        tokens_file(path, f"{ALICE_TOKEN} alice", f"{sha256(CAROL_TOKEN)} carol")
        assert await status(base, BOB_TOKEN) == 401
        assert await status(base, CAROL_TOKEN) != 401 and await status(base, ALICE_TOKEN) != 401

        tokens_file(path, f"{ALICE_TOKEN} alice", "carol-without-a-tenant")  # a broken edit
        assert await status(base, CAROL_TOKEN) != 401 and await status(base, BOB_TOKEN) == 401

        # Bob's token back, on another tenant's name: bob's data stays bob's, and this tenant sees none of it.
        tokens_file(path, f"{BOB_TOKEN} robert")
        async with connected(base, "streamable-http", BOB_TOKEN) as robert:
            assert (await call(robert, "list_applications"))["applications"] == []
        assert await status(base, ALICE_TOKEN) == 401


@pytest.mark.parametrize("transport", ["streamable-http", "sse"])
async def test_another_tenants_session_answers_like_a_session_that_does_not_exist(
    transport, data_dir, tmp_path
):
    import re
    import uuid

    path = tokens_file(tmp_path / "tokens", f"{ALICE_TOKEN} alice", f"{BOB_TOKEN} bob")
    accept = {"Accept": "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25"}
    alice, bob = ({**accept, "Authorization": f"Bearer {token}"} for token in (ALICE_TOKEN, BOB_TOKEN))
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "t", "version": "1"},
        },
    }
    ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
    with http_server(data_dir, transport, JOBSEARCH_TOKENS_FILE=str(path)) as base:
        async with httpx.AsyncClient(timeout=30) as http:
            if transport == "streamable-http":
                opened = await http.post(f"{base}/mcp", json=initialize, headers=alice)
                session = opened.headers["mcp-session-id"]

                async def ping_on(session_id: str, headers: dict) -> httpx.Response:
                    return await http.post(
                        f"{base}/mcp", json=ping, headers={**headers, "mcp-session-id": session_id}
                    )

                unknown = uuid.uuid4().hex
                theirs, nobodys = await ping_on(session, bob), await ping_on(unknown, bob)
                assert (
                    (theirs.status_code, theirs.text)
                    == (nobodys.status_code, nobodys.text)
                    == (
                        404,
                        nobodys.text,
                    )
                )
                assert (await ping_on(session, alice)).status_code == 200
            else:
                async with http.stream("GET", f"{base}/sse", headers=alice) as stream:
                    lines = stream.aiter_lines()  # held open: the session lives as long as its stream
                    while not (found := re.search(r"session_id=([0-9a-f]{32})", await anext(lines))):
                        pass
                    session = found.group(1)

                    async def post_on(session_id: str, headers: dict) -> httpx.Response:
                        url = f"{base}/messages/?session_id={session_id}"
                        return await http.post(url, json=initialize, headers=headers)

                    theirs, nobodys = await post_on(session, bob), await post_on(uuid.uuid4().hex, bob)
                    assert (theirs.status_code, theirs.text) == (nobodys.status_code, nobodys.text)
                    assert theirs.status_code == 404
                    assert (await post_on(session, alice)).status_code == 202


# --- board sign-ins -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zhipin_site():
    from board_site import BoardSiteForTests

    with BoardSiteForTests() as site:
        yield site


@pytest.mark.browser
async def test_a_board_sign_in_is_the_tenants_own(browser_settings, zhipin_site):
    from selenium.webdriver.remote.webdriver import WebDriver

    from conftest import pointed
    from jobsearch_mcp_server.browser.pool import BrowserPool, profile_dir
    from jobsearch_mcp_server.errors import LoginRequiredError
    from jobsearch_mcp_server.jobs.models import SearchQuery
    from jobsearch_mcp_server.sources.base import SourceContext
    from jobsearch_mcp_server.sources.login import run_login
    from jobsearch_mcp_server.sources.zhipin import ZhipinSource

    settings = pointed(browser_settings, zhipin_site.base_urls())

    def sign_in(browser: WebDriver) -> None:  # what alice does in the window
        browser.get(f"{zhipin_site.url}/__login?to=/zhipin/web/geek/job")

    with acting_as("alice"):
        profile = run_login(settings, "zhipin", headless=True, wait_for_person=sign_in)
    assert profile == profile_dir(settings, "tenants/alice/zhipin") and (profile / "Default").is_dir()
    query = SearchQuery(query="数据", location="上海")
    with BrowserPool(settings) as pool:  # one pool for every tenant, as in the server
        context = SourceContext(settings, browser_factory=lambda: pool)
        with acting_as("alice"):
            assert len(await ZhipinSource().search(query, context)) == 2
        for someone_else in ("bob", LOCAL_TENANT):
            with acting_as(someone_else), pytest.raises(LoginRequiredError):
                await ZhipinSource().search(query, context)


def test_the_sign_in_question_names_the_tenants_own_login_command():
    from jobsearch_mcp_server.jobs.models import SourceReport, SourceStatus
    from jobsearch_mcp_server.tools.login_retry import sign_in_question

    walled = [SourceReport(source="zhipin", status=SourceStatus.LOGIN_REQUIRED)]
    with acting_as("alice"):
        assert "Run `jobsearch-mcp login zhipin --tenant alice` in a terminal" in sign_in_question(walled)
    assert "Run `jobsearch-mcp login zhipin` in a terminal" in sign_in_question(walled)


async def test_stdio_and_the_single_token_are_the_one_local_tenant(data_dir, tmp_path):
    import sys

    from mcp.client.stdio import StdioServerParameters

    from servers import cli_command, server_env

    stdio = StdioServerParameters(
        command=sys.executable, args=cli_command("serve")[1:], env=server_env(data_dir)
    )
    async with Client(stdio) as local:
        made = await call(
            local, "track_application", job_id="mine", status="applied", url="https://jobs.example/1"
        )
    path = tokens_file(tmp_path / "tokens", f"{ALICE_TOKEN} alice")
    owner = "the-owners-single-token"
    env = {"JOBSEARCH_TOKENS_FILE": str(path), "JOBSEARCH_AUTH_TOKEN": owner}
    with http_server(data_dir, "streamable-http", **env) as base:
        async with connected(base, "streamable-http", owner) as client:
            listed = (await call(client, "list_applications"))["applications"]
            assert [a["application_id"] for a in listed] == [made["application_id"]]
        async with connected(base, "streamable-http", ALICE_TOKEN) as alice:
            assert (await call(alice, "list_applications"))["applications"] == []
            said = await resource_refusal(alice, f"application://{made['application_id']}")
            assert said == (await resource_refusal(alice, "application://0123456789ab")).replace(
                "0123456789ab", made["application_id"]
            )
