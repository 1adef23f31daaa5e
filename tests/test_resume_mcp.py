"""parse_resume, the resume resources, list_resumes and delete_resume through real MCP sessions:
persistence across a restart, every bad input as an isError result with its own message, stored data
left intact, client roots, symlinks, and the parse timeout."""

from __future__ import annotations

import base64
import json
import shutil
import time
from pathlib import Path

import pytest
from mcp import types
from mcp.client import Client

from conftest import FIXTURES, fixture_resume
from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server

pytestmark = pytest.mark.anyio
RESUMES = FIXTURES / "resumes"


@pytest.fixture
def allowed(settings: Settings) -> Path:
    return settings.allowed_folders()[0]


def put(folder: Path, name: str) -> Path:
    target = folder / name
    shutil.copy(RESUMES / name, target)
    return target


async def read_json(client: Client, uri: str) -> dict:
    return json.loads((await client.read_resource(uri)).contents[0].text)


async def test_parse_read_restart_and_delete(settings, runtime, client, allowed):
    put(allowed, "generated_two_column.pdf")
    parsed = await client.call_tool("parse_resume", {"path": "generated_two_column.pdf"})
    assert not parsed.is_error, parsed.content[0].text
    profile = parsed.structured_content
    resume_id = profile["resume_id"]
    assert (profile["name"], profile["format"], profile["pages"]) == ("Maria Lopez", "pdf", 2)
    assert profile["experience"][0]["company"] == "Northwind Analytics Inc."
    assert "raw_text" not in profile and profile["text_chars"] > 1000

    stored = await read_json(client, f"resume://{resume_id}")
    assert stored["email"] == "maria.lopez@example.org" and "raw_text" not in stored
    text = (await client.read_resource(f"resume://{resume_id}/text")).contents[0].text
    span = stored["evidence"]["phone"]
    assert text[span["start"] : span["end"]] == "+1 (512) 555-0147"
    listing = await read_json(client, "resumes://all")
    assert [r["resume_id"] for r in listing["resumes"]] == [resume_id]

    runtime.close()  # restart: a new process state on the same data dir
    restarted = Runtime(settings)
    try:
        async with Client(build_server(restarted)) as again:
            assert (await read_json(again, f"resume://{resume_id}"))["name"] == "Maria Lopez"
            listed = (await again.call_tool("list_resumes", {})).structured_content["resumes"]
            assert [(r["resume_id"], r["name"], r["filename"]) for r in listed] == [
                (resume_id, "Maria Lopez", "generated_two_column.pdf")
            ]
            deleted = await again.call_tool("delete_resume", {"resume_id": resume_id})
            assert deleted.structured_content["deleted"] is True
            with pytest.raises(Exception, match="no resume with id"):
                await again.read_resource(f"resume://{resume_id}")
            twice = await again.call_tool("delete_resume", {"resume_id": resume_id})
            assert twice.structured_content["deleted"] is False
    finally:
        restarted.close()


async def test_every_bad_input_is_a_specific_error_and_stored_data_survives(client, allowed, tmp_path):
    kept = await client.call_tool("parse_resume", {"text": fixture_resume("real_blankj_en.md").read_text(encoding="utf-8")})
    assert not kept.is_error
    kept_id = kept.structured_content["resume_id"]
    before = await read_json(client, f"resume://{kept_id}")

    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(RESUMES / "generated_tables.docx", outside / "secret.docx")
    (allowed / "escape.docx").symlink_to(outside / "secret.docx")
    (allowed / "folder").mkdir()
    (allowed / "huge.txt").write_bytes(b"x" * (10 * 1024 * 1024 + 1))
    for name in (
        "generated_encrypted.pdf",
        "generated_corrupt.pdf",
        "generated_truncated.pdf",
        "generated_scanned.pdf",
        "generated_empty.txt",
        "generated_legacy.doc",
        "generated_photo.png",
        "generated_zip_bomb.docx",
    ):
        put(allowed, name)
    cases = [
        ({"path": "generated_encrypted.pdf"}, "password-protected"),
        ({"path": "generated_corrupt.pdf"}, "corrupt or truncated"),
        ({"path": "generated_truncated.pdf"}, "corrupt or truncated"),
        ({"path": "generated_scanned.pdf"}, "no text layer. Run it through OCR"),
        ({"path": "generated_empty.txt"}, "The file is empty"),
        ({"path": "generated_legacy.doc"}, "Unsupported file type: this is an old Word 97-2003 .doc"),
        ({"path": "generated_photo.png"}, "Unsupported file type: this is a PNG image"),
        ({"path": "generated_zip_bomb.docx"}, "too large to be a resume"),
        ({"path": "huge.txt"}, "is 10.0 MB; the limit is 10 MB (JOBSEARCH_MAX_FILE_MB)"),
        ({"path": str(outside / "secret.docx")}, "is outside the allowed folders"),
        ({"path": "../outside/secret.docx"}, "is outside the allowed folders"),
        ({"path": "escape.docx"}, "is a symbolic link that leads outside the allowed folders"),
        ({"path": "missing.pdf"}, "No file at missing.pdf"),
        ({"path": "folder"}, "is a folder"),
        ({"content_base64": "this is not base64!"}, "content_base64 is not valid base64"),
        ({"content_base64": ""}, "content_base64 is empty"),
        ({}, "Give exactly one of path"),
        ({"path": "a.pdf", "text": "hello"}, "got path, text"),
        ({"text": "   "}, "The text is empty"),
    ]
    for arguments, message in cases:
        result = await client.call_tool("parse_resume", arguments)
        assert result.is_error, arguments
        assert message in result.content[0].text, (arguments, result.content[0].text)

    assert await read_json(client, f"resume://{kept_id}") == before
    listed = (await client.call_tool("list_resumes", {})).structured_content["resumes"]
    assert [r["resume_id"] for r in listed] == [kept_id]


async def test_base64_upload_and_llm_fallback_warning(client):
    content = base64.b64encode((RESUMES / "generated_tables.docx").read_bytes()).decode()
    result = await client.call_tool(
        "parse_resume", {"content_base64": f"data:application/octet-stream;base64,{content}", "use_llm": True}
    )
    assert not result.is_error, result.content[0].text
    profile = result.structured_content
    assert (profile["name"], profile["format"]) == ("Priya Raman", "docx")
    assert profile["parsed_with"] == ["heuristic"]
    assert any("LLM_BACKEND=none" in w and "heuristic parse stands alone" in w for w in profile["warnings"])


async def test_chinese_text_input(client):
    text = (RESUMES / "generated_chinese_gb18030.txt").read_bytes().decode("gb18030")
    profile = (await client.call_tool("parse_resume", {"text": text})).structured_content
    assert (profile["name"], profile["language"]) == ("张伟", "zh")
    assert profile["experience"][0]["company"] == "上海云图科技有限公司"


async def test_client_roots_widen_the_allowed_folders(runtime, tmp_path):
    shared = tmp_path / "client-root"
    shared.mkdir()
    put(shared, "generated_tables.docx")

    async def roots(context) -> types.ListRootsResult:
        return types.ListRootsResult(roots=[types.Root(uri=shared.as_uri(), name="documents")])

    async with Client(build_server(runtime), list_roots_callback=roots, mode="legacy") as with_roots:
        result = await with_roots.call_tool("parse_resume", {"path": str(shared / "generated_tables.docx")})
        assert not result.is_error, result.content[0].text
        assert result.structured_content["name"] == "Priya Raman"
    async with Client(build_server(runtime), mode="legacy") as without_roots:
        refused = await without_roots.call_tool(
            "parse_resume", {"path": str(shared / "generated_tables.docx")}
        )
        assert refused.is_error and "outside the allowed folders" in refused.content[0].text


async def test_a_hanging_parse_is_cut_off_and_the_server_keeps_serving(data_dir, tmp_path):
    from jobsearch_mcp_server.config import load_settings

    folder = tmp_path / "slow"
    folder.mkdir()
    put(folder, "generated_slow.pdf")
    put(folder, "generated_two_column.pdf")
    settings = load_settings(
        env_file=None, data_dir=str(data_dir), allowed_dirs=str(folder), llm_backend="none", parse_timeout_s=2
    )
    runtime = Runtime(settings)
    try:
        runtime.resumes.worker.extract(b"warm-up text")  # start the reader process before timing
        async with Client(build_server(runtime)) as client:
            started = time.monotonic()
            slow = await client.call_tool("parse_resume", {"path": "generated_slow.pdf"})
            elapsed = time.monotonic() - started
            assert slow.is_error and "took longer than 2 s and was stopped" in slow.content[0].text
            assert elapsed < 10, elapsed  # 2 s limit; pypdf alone needs far longer for this file
            after = await client.call_tool("parse_resume", {"path": "generated_two_column.pdf"})
            assert not after.is_error and after.structured_content["name"] == "Maria Lopez"
    finally:
        runtime.close()
