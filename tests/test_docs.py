"""The docs tell the truth: every setting is documented where a newcomer looks for it."""

import re

import pytest

from conftest import ROOT
from jobsearch_mcp_server.config import Settings

# Every variable of a field, and the one pattern of all boards' base URLs (Settings.board_base_urls).
VARIABLES = [
    *sorted(field.alias for field in Settings.model_fields.values() if field.alias),
    "JOBSEARCH_<SOURCE>_BASE_URL",
]


@pytest.mark.parametrize("document", [".env.example", "README.md"])
def test_every_setting_is_documented(document):
    text = (ROOT / document).read_text(encoding="utf-8")
    missing = [name for name in VARIABLES if not re.search(rf"\b{re.escape(name)}\b", text)]
    assert not missing, f"{document} does not mention {missing}"


def test_env_example_shows_every_default():
    example = dict(
        line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    for name, field in Settings.model_fields.items():
        if field.alias in example and example[field.alias] and field.default not in (None, ...):
            default = field.default.get_secret_value() if hasattr(field.default, "get_secret_value") else field.default
            assert _same(example[field.alias], default), field.alias


def _same(written: str, default: object) -> bool:
    if isinstance(default, bool):
        return written.lower() == str(default).lower()
    if isinstance(default, int | float):
        return float(written) == float(default)
    return written == str(default)


def test_every_readme_table_starts_with_its_header():
    """A Markdown table renders only when its first row is followed by the `| --- |` separator row."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    in_code = False
    broken = []
    for number, (before, line, after) in enumerate(zip(["", *lines], lines, [*lines[1:], ""]), start=1):
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("|") or before.startswith("|"):
            continue
        if not re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|)+", after.strip()):
            broken.append(f"line {number}: {line[:60]}")
    assert not broken, f"tables without a header and separator row: {broken}"
