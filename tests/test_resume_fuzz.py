"""Mutated PDFs never crash the reader or the server, and never run past the parse timeout."""

from __future__ import annotations

import base64
import random
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp.client import Client

from conftest import FIXTURES, SHARED_FIXTURES
from jobsearch_mcp_server.resume.documents import ExtractedText
from jobsearch_mcp_server.resume.errors import ResumeError
from jobsearch_mcp_server.resume.worker import ExtractionWorker
from jobsearch_mcp_server.server import build_server

RESUMES = FIXTURES / "resumes"
REAL_PDF = SHARED_FIXTURES / "resumes" / "real_deedy_two_column.pdf"  # read in place from ../shared, if there
SEEDS = [
    *((RESUMES / name).read_bytes() for name in ("generated_two_column.pdf", "generated_chinese.pdf")),
    *([REAL_PDF.read_bytes()] if REAL_PDF.exists() else []),
]
TIMEOUT_S = 5.0
# Time for the reader to be killed and for the answer to travel, on a busy machine.
SLACK_S = 5.0


def mutate(data: bytes, edits: list[tuple[str, int, bytes]]) -> bytes:
    for operation, where, payload in edits:
        at = where % max(len(data), 1)
        if operation == "flip":
            data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :] if data else data
        elif operation == "insert":
            data = data[:at] + payload + data[at:]
        elif operation == "delete":
            data = data[:at] + data[at + len(payload) * 8 :]
        elif operation == "truncate":
            data = data[:at]
        else:  # "repeat": a chunk doubled, as broken uploads do
            data = data[:at] + data[at : at + 512] * 4 + data[at:]
    return data


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]),
        st.integers(min_value=0, max_value=200_000),
        st.binary(min_size=1, max_size=64),
    ),
    min_size=1,
    max_size=6,
)


@pytest.fixture(scope="module")
def worker() -> Iterator[ExtractionWorker]:
    reader = ExtractionWorker(timeout_s=TIMEOUT_S)
    yield reader
    reader.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from(range(len(SEEDS))), edits=EDITS)
def test_mutated_pdfs_end_in_text_or_a_clear_error_within_the_timeout(worker, seed, edits):
    data = mutate(SEEDS[seed], edits)
    started = time.monotonic()
    try:
        result = worker.extract(data, "fuzzed.pdf")
    except ResumeError as exc:
        assert str(exc) and "Traceback" not in str(exc)
    else:
        assert isinstance(result, ExtractedText) and result.text
    assert time.monotonic() - started < TIMEOUT_S + SLACK_S


@pytest.mark.anyio
async def test_server_keeps_serving_through_mutated_uploads(runtime):
    chaos = random.Random(20240607)
    async with Client(build_server(runtime)) as client:
        kept = await client.call_tool(
            "parse_resume", {"text": "Jane Roe\nData Analyst\nSkills: SQL, Tableau"}
        )
        for _ in range(12):
            edits = [
                (
                    chaos.choice(["flip", "insert", "delete", "truncate", "repeat"]),
                    chaos.randrange(60_000),
                    chaos.randbytes(chaos.randint(1, 32)),
                )
                for _ in range(chaos.randint(1, 5))
            ]
            data = mutate(SEEDS[chaos.randrange(len(SEEDS))], edits)
            result = await client.call_tool(
                "parse_resume", {"content_base64": base64.b64encode(data).decode()}
            )
            assert result.is_error or result.structured_content["resume_id"]
        listed = (await client.call_tool("list_resumes", {})).structured_content["resumes"]
        assert kept.structured_content["resume_id"] in [r["resume_id"] for r in listed]
