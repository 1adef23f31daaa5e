"""Loads the prompt templates in `prompts/`.

A template is a Markdown file `<name>.<language>.md` that starts with TOML front matter between
`+++` lines (description and arguments) followed by the text, where `{{ argument }}` marks a slot.
The English file carries the front matter; other languages reuse it and may omit it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
FRONT_MATTER = re.compile(r"\A\+\+\+\s*\n(.*?)\n\+\+\+\s*\n", re.S)
DEFAULT_LANGUAGE = "en"


class PromptTemplateError(ValueError):
    """A template is missing, malformed, or rendered without a required argument."""


@dataclass(frozen=True)
class PromptArgument:
    name: str
    description: str
    required: bool = False
    default: str = ""


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    title: str
    description: str
    arguments: tuple[PromptArgument, ...]
    texts: dict[str, str] = field(hash=False)

    @property
    def languages(self) -> list[str]:
        return sorted(self.texts)

    def render(self, language: str = DEFAULT_LANGUAGE, **values: str | None) -> str:
        """The template's text in `language` (falling back to English) with its slots filled."""
        language = (language or DEFAULT_LANGUAGE).lower()
        if language.startswith("zh"):
            language = "zh"
        text = self.texts.get(language) or self.texts[DEFAULT_LANGUAGE]
        filled: dict[str, str] = {}
        for arg in self.arguments:
            value = values.get(arg.name)
            if value in (None, "") and arg.required:
                raise PromptTemplateError(f"prompt '{self.name}' needs the argument '{arg.name}': {arg.description}")
            filled[arg.name] = str(value) if value not in (None, "") else arg.default
        return PLACEHOLDER.sub(lambda m: filled.get(m.group(1), values.get(m.group(1)) or ""), text).strip() + "\n"


def prompts_dir() -> Path:
    """The `prompts/` folder: packaged inside the wheel, or at the repository root in a checkout."""
    packaged = Path(__file__).resolve().parent.parent / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "prompts"


def _split(path: Path) -> tuple[dict, str]:
    raw = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    try:
        return tomllib.loads(match.group(1)), raw[match.end() :]
    except tomllib.TOMLDecodeError as exc:
        raise PromptTemplateError(f"{path.name}: bad front matter: {exc}") from None


@cache
def load_templates(directory: Path | None = None) -> dict[str, PromptTemplate]:
    """All templates in `directory` (default: `prompts_dir()`), by name."""
    directory = directory or prompts_dir()
    metas: dict[str, dict] = {}
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.md")):
        parts = path.name.split(".")
        if len(parts) != 3:
            continue
        name, language = parts[0], parts[1]
        meta, text = _split(path)
        if meta:
            metas[name] = meta
        texts.setdefault(name, {})[language] = text
    templates = {}
    for name, by_language in texts.items():
        if DEFAULT_LANGUAGE not in by_language or name not in metas:
            raise PromptTemplateError(f"prompt '{name}' needs {name}.{DEFAULT_LANGUAGE}.md with +++ front matter")
        meta = metas[name]
        arguments = tuple(
            PromptArgument(
                name=a["name"],
                description=a.get("description", ""),
                required=bool(a.get("required", False)),
                default=str(a.get("default", "")),
            )
            for a in meta.get("arguments", [])
        )
        templates[name] = PromptTemplate(
            name=name,
            title=meta.get("title", name.replace("_", " ").capitalize()),
            description=meta.get("description", ""),
            arguments=arguments,
            texts=by_language,
        )
    return templates
