"""The PII guard: contact details never reach a model off this machine, and come back in the answer."""

from __future__ import annotations

import json
import re
import socket

import pytest
from mcp.client import Client
from mcp_types import CreateMessageResult, TextContent

from conftest import SHARED_FIXTURES, shared
from fake_llm import FakeLLM, Reply
from jobsearch_mcp_server.config import ConfigError, load_settings
from jobsearch_mcp_server.jobs.models import Job
from jobsearch_mcp_server.llm import OpenAICompatibleLLM
from jobsearch_mcp_server.llm.redact import Redaction, is_loopback_url, redaction_on
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server

pytestmark = pytest.mark.anyio

JOB_ID = "remoteok-1130707"
EMAIL = "mara.lindqvist@example.org"
PHONE = "+46 70 123 45 67"
LINKEDIN = "linkedin.com/in/mara-lindqvist"
GITHUB = "https://github.com/maralindqvist"
STREET = "14 Birch Hill Road"
# A project-written resume (a fictional person) with every kind of contact detail in its header.
RESUME = f"""Mara Lindqvist
Data Scientist
{EMAIL} | {PHONE} | {LINKEDIN} | {GITHUB}
{STREET}, Uppsala, Sweden

Summary
Data scientist with four years of Python, SQL and AWS, building forecasting and classification models.

Experience
Data Scientist, Nordvik Analytics (2021 - 2025)
- Built demand forecasting models in Python and SQL on AWS, cutting stock-outs by 18%.
- Deployed classification models with scikit-learn and Docker.

Skills
Python, SQL, AWS, scikit-learn, pandas, Docker, statistics
"""
CONTACT = (EMAIL, PHONE, LINKEDIN, GITHUB, STREET)
# What a model writes when it sees the placeholders: it quotes the ones a letter needs.
LETTER = (
    "Dear SentiLink team,\n\nAt Nordvik Analytics I built demand forecasting models in Python and SQL on "
    "AWS.\n\nYou can reach me at [EMAIL_1] or [PHONE_1].\n\nBest regards,\nMara Lindqvist"
)


def non_loopback_address() -> str | None:
    """One of this machine's own addresses that is not loopback (the route a packet would leave by)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: connect() on UDP only picks the route
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if is_loopback_url(f"http://{address}/") else address


async def cover_letter(runtime: Runtime, client_options: dict | None = None) -> dict:
    """parse_resume + draft_cover_letter through a real MCP session; the letter the user sees."""
    job = Job.model_validate_json(shared(SHARED_FIXTURES / "llm" / "job_remoteok_data_scientist.json").read_text("utf-8"))
    runtime.store.save_jobs([job])
    async with Client(build_server(runtime), **(client_options or {})) as client:
        parsed = await client.call_tool("parse_resume", {"text": RESUME})
        assert not parsed.is_error, parsed.content
        assert parsed.structured_content["email"] == EMAIL  # the profile itself keeps them
        result = await client.call_tool(
            "draft_cover_letter", {"resume_id": parsed.structured_content["resume_id"], "job_id": JOB_ID}
        )
    assert not result.is_error, result.content
    return result.structured_content


async def endpoint_runtime(settings, fake: FakeLLM, **changes) -> Runtime:
    runtime = Runtime(fake.endpoint_settings(settings, **changes))
    runtime.llm_endpoint = OpenAICompatibleLLM(runtime.settings, backoff_s=0.01)
    return runtime


def assert_scrubbed(prompt: str) -> None:
    for value in CONTACT:
        assert value not in prompt
    assert "maralindqvist" not in prompt and "mara-lindqvist" not in prompt
    assert "[EMAIL_1]" in prompt and "[PHONE_1]" in prompt and "[ADDRESS_1]" in prompt
    assert "Nordvik Analytics" in prompt and "SentiLink" in prompt  # the facts the model needs stay


def assert_letter_restored(letter: dict) -> None:
    assert f"reach me at {EMAIL} or {PHONE}." in letter["text"]
    assert not re.search(r"\[(EMAIL|PHONE|LINK|ADDRESS)_\d+\]", letter["text"])


async def test_a_remote_endpoint_gets_placeholders_and_the_user_gets_the_real_details(settings):
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to play a remote endpoint")
    remote = FakeLLM(host=address).start()  # listens on that one address only, for this test
    try:
        remote.queue(Reply(answer=LETTER, reasoning="The letter should give [EMAIL_1] for replies."))
        runtime = await endpoint_runtime(settings, remote)  # JOBSEARCH_REDACT left at auto
        assert runtime.settings.redact == "auto" and not is_loopback_url(runtime.settings.llm_base_url)
        letter = await cover_letter(runtime)
        await runtime.llm_endpoint.aclose()
        runtime.close()
        prompt = remote.requests[-1]["messages"][0]["content"]
    finally:
        remote.stop()
    assert_scrubbed(prompt)
    assert_letter_restored(letter)


async def test_redact_always_scrubs_even_a_local_endpoint(settings, fake_llm):
    fake_llm.queue(Reply(answer=LETTER))
    runtime = await endpoint_runtime(settings, fake_llm, redact="always")
    letter = await cover_letter(runtime)
    await runtime.llm_endpoint.aclose()
    runtime.close()
    assert_scrubbed(fake_llm.requests[-1]["messages"][0]["content"])
    assert_letter_restored(letter)


async def test_auto_sends_a_local_endpoint_the_prompt_as_it_is(settings, fake_llm):
    fake_llm.queue(Reply(answer=LETTER.replace("[EMAIL_1]", EMAIL).replace("[PHONE_1]", PHONE)))
    runtime = await endpoint_runtime(settings, fake_llm)
    letter = await cover_letter(runtime)
    await runtime.llm_endpoint.aclose()
    runtime.close()
    prompt = fake_llm.requests[-1]["messages"][0]["content"]
    assert all(value in prompt for value in (EMAIL, PHONE, STREET)) and "[EMAIL_1]" not in prompt
    assert_letter_restored(letter)


@pytest.mark.parametrize("mode", ["legacy", "auto"], ids=["2025-11-25-mid-call", "2026-07-28-input-required"])
async def test_the_clients_model_gets_placeholders_too(settings, mode):
    asked: list[str] = []

    async def sample(context, params):
        asked.append(params.messages[0].content.text)
        return CreateMessageResult(
            role="assistant", content=TextContent(type="text", text=LETTER), model="host-model"
        )

    runtime = Runtime(settings.model_copy(update={"llm_backend": "sampling"}))
    letter = await cover_letter(runtime, {"sampling_callback": sample, "mode": mode})
    runtime.close()
    assert asked and all(prompt == asked[0] for prompt in asked)  # rounds replay the same request
    assert_scrubbed(asked[0])
    assert_letter_restored(letter)


async def test_never_sends_the_details_to_any_endpoint(settings):
    assert not redaction_on(settings.model_copy(update={"redact": "never", "llm_backend": "sampling"}))
    assert redaction_on(settings.model_copy(update={"llm_base_url": "https://llm.example.org/v1"}))
    assert not redaction_on(settings.model_copy(update={"llm_base_url": "http://[::1]:8000/v1"}))


def test_a_bad_redact_value_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBSEARCH_REDACT", "sometimes")
    with pytest.raises(ConfigError, match="JOBSEARCH_REDACT"):
        load_settings(env_file=None, data_dir=str(tmp_path))


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("Call +1 (415) 555-0132 or 415-555-0199.", ["+1 (415) 555-0132", "415-555-0199"]),
        ("Mobile: 07700 900123", ["07700 900123"]),
        ("手机 13812345678，北京市海淀区中关村大街27号", ["13812345678", "北京市海淀区中关村大街27号"]),
        ("Hauptstraße 12, 10115 Berlin", ["Hauptstraße 12"]),
        (
            "See www.example.dev/work, or https://example.org/a?b=1.",
            ["www.example.dev/work", "https://example.org/a?b=1"],
        ),
        ("2013 - 2017, 2019-2021, $120,000 - $150,000, 401(k), req R-1234567, v3.10.2, 2019.07.01", []),
    ],
)
def test_what_counts_as_a_contact_detail(text, hidden):
    redaction = Redaction()
    scrubbed = redaction.scrub(text)
    assert all(value not in scrubbed for value in hidden)
    assert (
        len(set(re.findall(r"\[(?:EMAIL|PHONE|LINK|ADDRESS)_\d+\]", scrubbed)))
        == redaction.hidden
        == len(hidden)
    )
    assert redaction.restore(scrubbed) == text


def test_one_value_keeps_one_placeholder_and_unknown_placeholders_stay():
    redaction = Redaction()
    scrubbed = redaction.scrub(f"{EMAIL}; again {EMAIL}; {PHONE}")
    assert scrubbed == "[EMAIL_1]; again [EMAIL_1]; [PHONE_1]"
    assert redaction.restore("write to EMAIL_1, not [EMAIL_7]") == f"write to {EMAIL}, not [EMAIL_7]"
    assert json.loads(redaction.restore('{"contact": "[EMAIL_1]"}')) == {"contact": EMAIL}
