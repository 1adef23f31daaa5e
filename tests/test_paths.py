"""The one allowed-path guard (paths.py): parse_resume and import_jobs refuse the same escapes with the
same message, over real MCP sessions, and both accept files under the client's MCP roots."""

from __future__ import annotations

from pathlib import Path

import mcp_types as types
import pytest
from mcp.client import Client

from jobsearch_mcp_server.config import Settings
from jobsearch_mcp_server.paths import PathRefused, allowed_path
from jobsearch_mcp_server.runtime import Runtime
from jobsearch_mcp_server.server import build_server

pytestmark = pytest.mark.anyio

JOBS_CSV = (
    "title,company,location,description\nData Engineer,Acme Analytics,Berlin,Spark and Python pipelines\n"
)
RESUME_TXT = (
    "Priya Raman\nData Engineer\n\nExperience\nData Engineer, Acme Analytics, 2019 - 2024\n"
    "- Built Spark and Python pipelines for the sales team\n\nSkills\nPython, Spark, SQL\n"
)


def _message(result) -> str:
    assert result.is_error
    return result.content[0].text.split(": ", 1)[1]  # after the SDK's "Error executing tool <name>"


@pytest.fixture
def layout(settings: Settings, tmp_path: Path) -> dict[str, str]:
    """An allowed folder holding both kinds of file, a folder outside with the same files, and the ways
    out of the allowed folder that the guard must refuse."""
    allowed = settings.allowed_folders()[0]
    outside = tmp_path / "outside"
    outside.mkdir()
    for folder in (allowed, outside):
        (folder / "jobs.csv").write_text(JOBS_CSV, encoding="utf-8")
        (folder / "resume.txt").write_text(RESUME_TXT, encoding="utf-8")
    (allowed / "link.csv").symlink_to(outside / "jobs.csv")
    (allowed / "link.txt").symlink_to(outside / "resume.txt")
    return {"allowed": str(allowed), "outside": str(outside)}


ESCAPES = {
    "dot-dot": "../outside/{name}",
    "absolute outside": "{outside}/{name}",
    "symlink out": "link{ext}",
    "missing": "nothing{ext}",
}


@pytest.mark.parametrize("escape", ESCAPES)
async def test_both_callers_refuse_the_same_escape_with_the_same_message(runtime: Runtime, layout, escape):
    template = ESCAPES[escape]
    async with Client(build_server(runtime)) as client:
        resume = await client.call_tool(
            "parse_resume", {"path": template.format(name="resume.txt", ext=".txt", **layout)}
        )
        jobs = await client.call_tool(
            "import_jobs", {"path": template.format(name="jobs.csv", ext=".csv", **layout)}
        )
    resume_message = _message(resume).replace("resume.txt", "FILE").replace("link.txt", "FILE")
    jobs_message = _message(jobs).replace("jobs.csv", "FILE").replace("link.csv", "FILE")
    resume_message = resume_message.replace("nothing.txt", "FILE")
    jobs_message = jobs_message.replace("nothing.csv", "FILE")
    assert resume_message == jobs_message
    expected = {
        "dot-dot": "is outside the allowed folders",
        "absolute outside": "is outside the allowed folders",
        "symlink out": "is a symbolic link that leads outside the allowed folders",
        "missing": "No file at",
    }[escape]
    assert expected in jobs_message


async def test_relative_paths_are_taken_from_the_first_allowed_folder(runtime: Runtime, layout):
    async with Client(build_server(runtime)) as client:
        resume = await client.call_tool("parse_resume", {"path": "resume.txt"})
        jobs = await client.call_tool("import_jobs", {"path": "jobs.csv"})
    assert not resume.is_error, resume.content[0].text
    assert resume.structured_content["name"] == "Priya Raman"
    assert not jobs.is_error, jobs.content[0].text
    assert jobs.structured_content["path"] == str(Path(layout["allowed"]) / "jobs.csv")
    assert jobs.structured_content["imported"] == 1


async def test_the_clients_roots_are_allowed_folders_for_both_callers(runtime: Runtime, layout):
    outside = layout["outside"]

    async def roots(context) -> types.ListRootsResult:
        return types.ListRootsResult(roots=[types.Root(uri=Path(outside).as_uri(), name="documents")])

    async with Client(build_server(runtime), list_roots_callback=roots, mode="legacy") as client:
        resume = await client.call_tool("parse_resume", {"path": f"{outside}/resume.txt"})
        jobs = await client.call_tool("import_jobs", {"path": f"{outside}/jobs.csv"})
    assert not resume.is_error, resume.content[0].text
    assert not jobs.is_error, jobs.content[0].text
    assert jobs.structured_content["imported"] == 1


def test_write_mode_allows_a_new_file_in_an_allowed_folder_only(settings: Settings, layout):
    allowed, outside = Path(layout["allowed"]), Path(layout["outside"])
    assert allowed_path("export.csv", settings, mode="write") == allowed / "export.csv"
    with pytest.raises(PathRefused, match="already exists"):
        allowed_path("jobs.csv", settings, mode="write")
    with pytest.raises(PathRefused, match="is outside the allowed folders"):
        allowed_path(outside / "export.csv", settings, mode="write")
    with pytest.raises(PathRefused, match="does not exist"):
        allowed_path("no-such-folder/export.csv", settings, mode="write")
