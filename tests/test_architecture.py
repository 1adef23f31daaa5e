"""The import contract (pyproject.toml, [tool.importlinter]) holds, and breaking it fails the check.

CI runs `lint-imports` too; this test makes `uv run pytest` catch an upward import or a cycle locally.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(project / "pyproject.toml")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_import_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_that_makes_a_cycle_breaks_the_contract(tmp_path: Path):
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    models = tmp_path / "src" / "jobsearch_mcp_server" / "jobs" / "models.py"
    # the core reaching up into the boards, which import the core: both contracts must fail
    models.write_text(models.read_text() + "\nfrom ..sources import base  # noqa: E402\n")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert "Layers import downward only BROKEN" in result.stdout
    assert "jobsearch_mcp_server.jobs.models -> jobsearch_mcp_server.sources.base" in result.stdout
    assert "No import cycles between packages or modules BROKEN" in result.stdout
    assert "- .jobs -> .sources (1 import)" in result.stdout
