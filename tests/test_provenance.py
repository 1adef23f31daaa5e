"""No file in the repository is another project's data: third-party files are read in place from
../shared/data, and every fixture or sample README row names this project as the file's author."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SHARED_DATA, shared

READMES = sorted(
    [
        *(ROOT / "tests" / "fixtures").rglob("README.md"),
        *(ROOT / "src" / "jobsearch_mcp_server").rglob("README.md"),
    ]
)


@pytest.mark.parametrize("readme", READMES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_listed_file_is_the_projects_own(readme: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows, f"{readme} lists no file"
    assert all("jobsearch-mcp" in row for row in rows), [row for row in rows if "jobsearch-mcp" not in row]
    assert not re.search(r"\b[0-9a-f]{40}\b", text), "names another repository's commit"


def test_every_fixture_file_is_listed() -> None:
    fixtures = ROOT / "tests" / "fixtures"
    for path in fixtures.rglob("*"):
        if path.is_file() and path.name not in ("README.md", "generate.py"):
            folder = next(f for f in path.parents if (f / "README.md").exists() or f == fixtures)
            listed = (
                (folder / "README.md").read_text(encoding="utf-8") if (folder / "README.md").exists() else ""
            )
            named = path.relative_to(folder).as_posix() in listed
            assert named or (path.name.startswith("generated_") and "generate.py" in listed), (
                f"{path.relative_to(ROOT)} has no README row"
            )


def sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def test_no_tracked_file_is_a_copy_of_the_shared_data() -> None:
    shared(SHARED_DATA)
    third_party = {
        sha1(path) for path in SHARED_DATA.rglob("*") if path.is_file() and path.stat().st_size > 200
    }
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    copies = [
        name
        for name in tracked.decode().split("\0")
        if name and (ROOT / name).is_file() and sha1(ROOT / name) in third_party
    ]
    assert not copies, f"copies of third-party data in ../shared (read them there instead): {copies}"
