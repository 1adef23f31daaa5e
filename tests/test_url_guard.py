"""get_job_details opens only public http(s) pages: the SSRF guard, directly and through MCP."""

from __future__ import annotations

import pytest

from jobsearch_mcp_server.fetching.url_guard import UnsafeURLError, check_public_url

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "data:text/html,<h1>job</h1>",
        "chrome://settings",
        "javascript:alert(1)",
        "ftp://93.184.215.14/jobs.csv",
        "www.example.org/jobs/1",
    ],
)
async def test_non_http_schemes_are_refused(url):
    with pytest.raises(UnsafeURLError, match="only http:// and https://"):
        await check_public_url(url)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1:8000/jobs", "loopback"),
        ("http://localhost/jobs", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://2130706433/", "loopback"),  # 127.0.0.1 written as one decimal number
        ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped IPv6
        ("http://[64:ff9b::7f00:1]/", "loopback"),  # NAT64 form of 127.0.0.1
        ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 form of 127.0.0.1
        ("http://10.1.2.3/", "private"),
        ("http://172.16.0.1/", "private"),
        ("https://192.168.1.1/admin", "private"),
        ("http://[fc00::1]/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),  # cloud metadata endpoint
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.0.1/", "non-global"),  # carrier-grade NAT
    ],
)
async def test_non_public_addresses_are_refused(url, kind):
    with pytest.raises(UnsafeURLError) as caught:
        await check_public_url(url)
    assert f"the {kind} address" in str(caught.value)
    assert "JOBSEARCH_ALLOW_PRIVATE_URLS" in str(caught.value)


@pytest.mark.parametrize(
    "url", ["http://93.184.215.14/jobs/1", "https://[2606:4700:4700::1111]/careers", "HTTPS://8.8.8.8:8443/x"]
)
async def test_public_addresses_pass(url):
    assert await check_public_url(url) == url


async def test_unresolvable_host_is_refused():
    with pytest.raises(UnsafeURLError, match="cannot resolve"):
        await check_public_url("https://no-such-host.invalid/jobs/1")


async def test_allow_list_lets_named_hosts_and_networks_through():
    assert await check_public_url("http://127.0.0.1:9000/job", ["127.0.0.1"])
    assert await check_public_url("http://localhost:9000/job", ["localhost:9000"])
    assert await check_public_url("http://10.20.30.40/job", ["10.0.0.0/8"])
    with pytest.raises(UnsafeURLError):
        await check_public_url("http://192.168.0.2/job", ["10.0.0.0/8"])
    with pytest.raises(UnsafeURLError):
        await check_public_url("http://localhost:9001/job", ["localhost:9000"])


async def test_invalid_port_is_refused():
    with pytest.raises(UnsafeURLError, match="invalid port"):
        await check_public_url("http://93.184.215.14:99999/")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"url": "file:///etc/passwd"}, "only http:// and https://"),
        ({"url": "http://169.254.169.254/latest/meta-data/"}, "link-local"),
        ({"url": "http://localhost:8000/"}, "loopback"),
        ({}, "either job_id"),
        ({"job_id": "linkedin-0123456789ab", "url": "https://93.184.215.14/"}, "either job_id"),
        ({"job_id": "linkedin-0123456789ab"}, "no job with id"),
    ],
)
async def test_get_job_details_refuses_through_mcp(client, arguments, expected):
    result = await client.call_tool("get_job_details", arguments)
    assert result.is_error
    assert expected in result.content[0].text
