"""The polite HTTP layer against a real local server: spacing, 429 back-off, retries, walls, robots.txt."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED_FIXTURES, shared
from jobsearch_mcp_server.config import load_settings
from jobsearch_mcp_server.errors import BlockedError, SourceError
from jobsearch_mcp_server.fetching.http import HTTPStatusError, PoliteClient, retry_after_seconds
from jobsearch_mcp_server.fetching.politeness import CircuitBreaker, Outcome, Throttle, bot_wall_reason
from jobsearch_mcp_server.jobs.models import SourceStatus
from jobsearch_mcp_server.sources.base import SourceContext
from scripted_site import Reply, scripted_site

pytestmark = pytest.mark.anyio

WALLS = SHARED_FIXTURES / "walls"  # real Cloudflare pages, read in place


@pytest.fixture
def managed_challenge() -> str:
    return shared(WALLS / "cloudflare_managed_challenge_2021.html").read_text(encoding="utf-8")


@pytest.fixture
def recaptcha_wall() -> str:
    return shared(WALLS / "cloudflare_recaptcha_2019.html").read_text(encoding="utf-8")


def make_client(tmp_path: Path, *, interval: float = 0.0, **settings) -> PoliteClient:
    config = load_settings(env_file=None, data_dir=str(tmp_path), min_request_interval_s=interval, **settings)
    return PoliteClient(config, Throttle(interval, backoff_floor_s=0.2), retry_base_s=0.05)


@pytest.fixture
def site():
    with scripted_site() as running:
        yield running


async def test_requests_to_one_host_are_spaced(site, tmp_path):
    site.route("/jobs", Reply.json('{"ok": true}'))
    client = make_client(tmp_path, interval=0.25)
    for _ in range(3):
        assert await client.get_json(site.base_url + "/jobs") == {"ok": True}
    await client.aclose()
    times = [hit.at for hit in site.hits_of("/jobs")]
    assert [b - a >= 0.24 for a, b in zip(times, times[1:])] == [True, True]


async def test_other_hosts_are_not_held_up(site, tmp_path):
    site.route("/jobs", Reply.json("[]"))
    client = make_client(tmp_path, interval=5.0)
    await client.get_json(site.base_url + "/jobs")
    other_host = site.base_url.replace("127.0.0.1", "localhost")
    assert client.throttle.wait_for(other_host + "/jobs") == 0
    assert client.throttle.wait_for(site.base_url + "/jobs") > 4
    await client.aclose()


async def test_429_honours_retry_after_then_succeeds(site, tmp_path):
    site.route("/api", Reply(429, "slow down", headers={"Retry-After": "1"}), Reply.json('{"jobs": [1]}'))
    client = make_client(tmp_path)
    assert await client.get_json(site.base_url + "/api") == {"jobs": [1]}
    first, second = site.hits_of("/api")
    assert second.at - first.at >= 0.95
    assert client.throttle.delay_for(site.base_url) >= 0.2  # slowed down, then eased by one clean answer
    await client.aclose()


async def test_persistent_429_becomes_blocked(site, tmp_path):
    site.route("/api", Reply(429, "slow down"))
    client = make_client(tmp_path)
    with pytest.raises(BlockedError, match="429"):
        await client.get_json(site.base_url + "/api")
    assert len(site.hits_of("/api")) == client.max_retries + 1
    await client.aclose()


async def test_long_retry_after_is_not_waited_out(site, tmp_path):
    site.route("/api", Reply(429, "come back tomorrow", headers={"Retry-After": "86400"}))
    client = make_client(tmp_path)
    with pytest.raises(BlockedError, match="86400 s"):
        await client.get_json(site.base_url + "/api")
    assert len(site.hits_of("/api")) == 1
    await client.aclose()


async def test_server_error_is_retried(site, tmp_path):
    site.route("/api", Reply(500, "oops"), Reply(503, "busy"), Reply.json('{"n": 2}'))
    client = make_client(tmp_path)
    assert await client.get_json(site.base_url + "/api") == {"n": 2}
    assert len(site.hits_of("/api")) == 3
    await client.aclose()


async def test_lasting_server_error_names_status_and_url(site, tmp_path):
    site.route("/api", Reply(502, "bad gateway"))
    client = make_client(tmp_path)
    with pytest.raises(SourceError) as caught:
        await client.get_json(site.base_url + "/api")
    assert caught.value.status is SourceStatus.ERROR
    assert "502" in str(caught.value) and "/api" in str(caught.value)
    assert len(site.hits_of("/api")) == client.max_retries + 1
    await client.aclose()


async def test_403_is_blocked_without_retry(site, tmp_path, recaptcha_wall):
    site.route("/search", Reply(403, "<html><title>Forbidden</title></html>"))
    site.route("/jobs", Reply(403, recaptcha_wall))
    client = make_client(tmp_path)
    with pytest.raises(BlockedError, match="403"):
        await client.get_text(site.base_url + "/search")
    with pytest.raises(BlockedError, match="attention required"):
        await client.get_text(site.base_url + "/jobs")
    assert len(site.hits_of("/search")) == len(site.hits_of("/jobs")) == 1
    assert client.throttle.delay_for(site.base_url) >= 0.2
    await client.aclose()


async def test_challenge_pages_are_blocked_not_retried(site, tmp_path, managed_challenge):
    site.route("/search", Reply(200, managed_challenge))
    site.route("/api", Reply(503, managed_challenge))  # a 503 that is a wall, not an outage
    client = make_client(tmp_path)
    with pytest.raises(BlockedError, match="Cloudflare challenge"):
        await client.get_text(site.base_url + "/search")
    with pytest.raises(BlockedError, match="Cloudflare challenge"):
        await client.get_json(site.base_url + "/api")
    assert len(site.hits_of("/api")) == 1
    await client.aclose()


async def test_client_error_is_not_retried(site, tmp_path):
    client = make_client(tmp_path)
    with pytest.raises(HTTPStatusError) as caught:
        await client.get_json(site.base_url + "/boards/no-such-company")
    assert caught.value.http_status == 404
    assert "404" in str(caught.value) and "/boards/no-such-company" in str(caught.value)
    assert len(site.hits) == 1
    await client.aclose()


async def test_slow_server_times_out(site, tmp_path):
    site.route("/slow", Reply(200, "late", delay_s=1.5))
    client = make_client(tmp_path, page_timeout_s=0.3)
    client.max_retries = 0
    with pytest.raises(SourceError) as caught:
        await client.get_text(site.base_url + "/slow")
    assert caught.value.status is SourceStatus.TIMEOUT
    await client.aclose()


async def test_user_agent_names_the_project_unless_configured(site, tmp_path):
    site.route("/", Reply(200, "<html><title>home</title></html>"))
    default = make_client(tmp_path)
    await default.get_text(site.base_url + "/")
    custom = make_client(tmp_path, user_agent="Mozilla/5.0 (X11) test")
    await custom.get_text(site.base_url + "/")
    assert site.hits[0].headers["User-Agent"].startswith("jobsearch-mcp/")
    assert site.hits[1].headers["User-Agent"] == "Mozilla/5.0 (X11) test"
    await default.aclose()
    await custom.aclose()


async def test_robots_is_ignored_by_default(site, tmp_path):
    site.route("/robots.txt", Reply(200, "User-agent: *\nDisallow: /\n", content_type="text/plain"))
    site.route("/jobs", Reply.json("[]"))
    client = make_client(tmp_path)
    assert await client.get_json(site.base_url + "/jobs") == []
    assert not site.hits_of("/robots.txt")
    await client.aclose()


async def test_robots_disallowed_path_is_skipped_when_respected(site, tmp_path):
    rules = "User-agent: *\nDisallow: /private\n\nUser-agent: jobsearch-mcp\nDisallow: /search\n"
    site.route("/robots.txt", Reply(200, rules, content_type="text/plain"))
    site.route("/jobs", Reply.json("[]"))
    client = make_client(tmp_path, respect_robots=True)
    with pytest.raises(SourceError) as caught:
        await client.get_text(site.base_url + "/search?q=python")
    assert caught.value.status is SourceStatus.SKIPPED
    assert "robots.txt" in str(caught.value) and "/search" in str(caught.value)
    assert await client.get_json(site.base_url + "/jobs") == []
    assert not site.hits_of("/search")
    assert len(site.hits_of("/robots.txt")) == 1  # cached per host
    await client.aclose()


async def test_missing_robots_allows_everything(site, tmp_path):
    site.route("/jobs", Reply.json("[]"))
    client = make_client(tmp_path, respect_robots=True)
    assert await client.get_json(site.base_url + "/jobs") == []
    await client.aclose()


def test_delay_eases_back_after_clean_answers():
    throttle = Throttle(0.5, backoff_floor_s=1.0)
    url = "https://boards.example.org/api"
    throttle.report(url, Outcome.RATE_LIMITED)
    throttle.report(url, Outcome.BLOCKED)
    assert throttle.delay_for(url) == 2.0
    throttle.report(url, Outcome.RATE_LIMITED, retry_after_s=500)
    assert throttle.delay_for(url) == throttle.max_delay_s
    for _ in range(30):
        throttle.report(url, Outcome.OK)
    assert throttle.delay_for(url) == 0.5


def test_retry_after_reads_seconds_and_dates():
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412420.0) == 60
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_breaker_pauses_after_repeated_failures_and_retries_half_open():
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=3, cool_down_s=60, clock=clock)
    for _ in range(2):
        assert breaker.allow("indeed")
        breaker.record_failure("indeed", "captcha")
    assert breaker.status("indeed").state == "closed"
    breaker.record_failure("indeed", "captcha")
    assert breaker.status("indeed").state == "open"
    assert not breaker.allow("indeed")
    assert breaker.status("indeed").last_error == "captcha"
    assert breaker.allow("remoteok")  # other sources are not affected

    clock.now += 61
    assert breaker.status("indeed").state == "half_open"
    assert breaker.allow("indeed")  # the one trial
    assert not breaker.allow("indeed")  # no second trial while it runs
    breaker.record_failure("indeed", "captcha again")
    assert breaker.status("indeed").state == "open"
    clock.now += 61
    assert breaker.status("indeed").state == "open"  # the cool-down doubled
    clock.now += 60
    assert breaker.allow("indeed")
    breaker.record_success("indeed")
    assert breaker.status("indeed").state == "closed"
    assert breaker.status("indeed").consecutive_failures == 0


def test_bot_walls_are_told_apart_from_job_pages(managed_challenge, recaptcha_wall):
    assert bot_wall_reason(managed_challenge) == "Cloudflare challenge"
    assert "attention required" in bot_wall_reason(recaptcha_wall)
    assert bot_wall_reason("<html><title>Security Check</title></html>") is not None
    assert bot_wall_reason("", {"cf-mitigated": "challenge"}) == "Cloudflare challenge"
    assert bot_wall_reason("<html><title>BOSS直聘安全验证</title></html>") is not None
    application_form = (
        "<html><title>Senior Robotics Engineer - Acme</title><body><h1>Senior Robotics Engineer</h1>"
        '<form><div class="g-recaptcha" data-sitekey="x"></div></form></body></html>'
    )
    assert bot_wall_reason(application_form) is None


async def test_fetch_page_without_browser_says_how_to_get_one(tmp_path):
    context = SourceContext(load_settings(env_file=None, data_dir=str(tmp_path)))
    with pytest.raises(SourceError, match="Chromium"):
        await context.fetch_page("https://www.linkedin.com/jobs/search?keywords=python")
    await context.http.aclose()


async def test_browser_pages_follow_robots_when_respected(site, tmp_path):
    site.route("/robots.txt", Reply(200, "User-agent: *\nDisallow: /jobs/search\n", content_type="text/plain"))
    settings = load_settings(env_file=None, data_dir=str(tmp_path), respect_robots=True, min_request_interval_s=0)
    context = SourceContext(settings)
    with pytest.raises(SourceError) as caught:
        await context.fetch_page(site.base_url + "/jobs/search?keywords=python")
    assert caught.value.status is SourceStatus.SKIPPED
    await context.http.aclose()
