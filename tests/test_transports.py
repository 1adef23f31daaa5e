"""Real sessions over every transport: stdio subprocess, SSE and streamable HTTP servers on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest
from mcp.client import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters

from servers import cli_command, free_port, http_server, server_env

pytestmark = pytest.mark.anyio


async def exercise(client: Client) -> None:
    """What every transport must do: list tools, call one, list templates, get a prompt."""
    tools = {t.name for t in (await client.list_tools()).tools}
    assert "track_application" in tools
    result = await client.call_tool("track_application", {"job_id": "job-7", "status": "applied", "url": "https://jobs.example/7"})
    assert not result.is_error and result.structured_content["status"] == "applied"
    templates = {t.uri_template for t in (await client.list_resource_templates()).resource_templates}
    assert "application://{application_id}" in templates
    prompt = await client.get_prompt("job_search_assistant", {"goal": "a Rust role in Lisbon"})
    assert "a Rust role in Lisbon" in prompt.messages[0].content.text


async def test_stdio_session(data_dir):
    params = StdioServerParameters(command=sys.executable, args=cli_command("serve")[1:], env=server_env(data_dir))
    async with Client(params) as client:
        await exercise(client)


async def test_sse_session(data_dir):
    with http_server(data_dir, "sse") as base:
        async with Client(sse_client(f"{base}/sse")) as client:
            await exercise(client)


async def test_streamable_http_session(data_dir):
    with http_server(data_dir, "streamable-http") as base:
        async with Client(f"{base}/mcp") as client:
            await exercise(client)
        health = httpx.get(f"{base}/healthz").json()
        assert health["status"] == "ok" and health["transport"] == "streamable-http"


async def test_data_survives_restart(data_dir):
    params = StdioServerParameters(command=sys.executable, args=cli_command("serve")[1:], env=server_env(data_dir))
    async with Client(params) as client:
        await client.call_tool("track_application", {"job_id": "kept", "status": "offer", "title": "Engineer", "company": "Acme"})
    async with Client(params) as client:
        listing = await client.read_resource("applications://all")
    assert '"kept"' in listing.contents[0].text and '"offer"' in listing.contents[0].text


def test_stdio_stdout_carries_only_json_rpc(data_dir):
    """Every line the server writes to stdout is a JSON-RPC message; logs go to stderr."""
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "track_application",
                                                                        "arguments": {"job_id": "j", "status": "nope"}}},
        {"jsonrpc": "2.0", "id": 4, "method": "prompts/list"},
    ]
    process = subprocess.Popen(
        cli_command("--log-level", "DEBUG", "serve"),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=server_env(data_dir),
    )
    replies = []
    try:
        for message in messages:
            process.stdin.write(json.dumps(message) + "\n")
            process.stdin.flush()
            if "id" in message:  # wait for the answer, so the server is never cut off mid-reply
                line = process.stdout.readline()
                replies.append(json.loads(line))
    finally:
        rest, stderr = process.communicate(timeout=30)  # closes stdin: the server's cue to exit
    replies += [json.loads(line) for line in rest.splitlines() if line.strip()]
    assert all(r["jsonrpc"] == "2.0" for r in replies)
    assert [r.get("id") for r in replies] == [1, 2, 3, 4]
    assert replies[2]["result"]["isError"] is True
    assert "serving MCP on stdio" in stderr  # the logs went to stderr


class TestAuth:
    TOKEN = "s3cret-token-for-tests"

    async def test_token_required_and_accepted(self, data_dir):
        with http_server(data_dir, "streamable-http", JOBSEARCH_AUTH_TOKEN=self.TOKEN) as base:
            body = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
            headers = {"Accept": "application/json, text/event-stream"}
            assert httpx.post(f"{base}/mcp", json=body, headers=headers).status_code == 401
            wrong = {**headers, "Authorization": "Bearer wrong"}
            denied = httpx.post(f"{base}/mcp", json=body, headers=wrong)
            assert denied.status_code == 401 and "Bearer" in denied.headers["www-authenticate"]
            assert httpx.get(f"{base}/healthz").status_code == 200  # health stays open for probes
            authed = httpx2_client(self.TOKEN)
            from mcp.client.streamable_http import streamable_http_client

            async with Client(streamable_http_client(f"{base}/mcp", http_client=authed)) as client:
                await exercise(client)

    async def test_sse_token(self, data_dir):
        with http_server(data_dir, "sse", JOBSEARCH_AUTH_TOKEN=self.TOKEN) as base:
            assert httpx.get(f"{base}/sse", timeout=5).status_code == 401
            async with Client(sse_client(f"{base}/sse", headers={"Authorization": f"Bearer {self.TOKEN}"})) as c:
                await exercise(c)

    def test_open_network_bind_refused_without_token(self, data_dir):
        done = subprocess.run(
            cli_command("serve", "--transport", "streamable-http", "--host", "0.0.0.0", "--port", str(free_port())),
            capture_output=True, text=True, timeout=30, env=server_env(data_dir),
        )
        assert done.returncode != 0
        assert "JOBSEARCH_AUTH_TOKEN" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1

    async def test_dns_rebinding_protection(self, data_dir):
        with http_server(data_dir, "streamable-http") as base:
            body = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
            headers = {"Accept": "application/json, text/event-stream", "Host": "evil.example"}
            assert httpx.post(f"{base}/mcp", json=body, headers=headers).status_code == 421


def httpx2_client(token: str):
    import httpx2

    return httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30)


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["serve", "--transport", "carrier-pigeon"], {}, "JOBSEARCH_TRANSPORT"),
        (["serve", "--transport", "sse", "--port", "70000"], {}, "JOBSEARCH_PORT"),
        (["serve"], {"JOBSEARCH_PORT": "eighty"}, "JOBSEARCH_PORT"),
        (["serve"], {"JOBSEARCH_LOG_LEVEL": "LOUD"}, "JOBSEARCH_LOG_LEVEL"),
    ],
)
def test_bad_configuration_exits_with_one_clear_line(data_dir, args, env, expected):
    done = subprocess.run(cli_command(*args), capture_output=True, text=True, timeout=30,
                          env=server_env(data_dir, **env))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]
    assert done.stdout == ""


def test_unwritable_data_dir_exits_with_one_clear_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    done = subprocess.run(cli_command("serve"), capture_output=True, text=True, timeout=30,
                          env=server_env(blocker / "data"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "database" in lines[0] and str(blocker) in lines[0]
