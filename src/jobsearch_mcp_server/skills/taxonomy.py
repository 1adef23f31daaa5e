"""The shipped skill taxonomy (`taxonomy.json`): canonical names, categories and aliases.

Each skill has case-insensitive `aliases` (the canonical name is one of them), case-sensitive `exact`
aliases (``React``, ``SAS``, ``dbt`` — written that way they mean the skill, lower-cased they are
ordinary words), and `contextual` aliases that are ambiguous even in the right case (``Go``, ``R``,
``C``, ``Swift``, ``Chef``): those count only next to a related skill or one of the skill's `context`
words. A canonical name listed as exact or contextual is matched only that way.

Word sense, per alias (lower-cased; ``"*"`` for every alias of the skill):
- `needs`: the alias means the skill only with one of these words or phrases nearby ("triage" with
  patient, nurse, emergency ...; "translation" with a language);
- `unless`: phrases in which it means something else, ``_`` standing for the alias ("_ tools" for
  "AI tools", "is _" for "is recruiting", "_ test" for "regression test");
- `senses`: another skill it means when that skill's words are nearby ("forecasting" next to
  pipeline, quota, territory is Sales Forecasting).

`roles` marks the aliases (of any kind) that name the person doing the work ("Data scientist", "Nurse",
"产品经理"): a posting asking for one asks for the skill, but a resume's own job title is an occupation,
not a claim of the skill ("Financial Analyst" names no financial analysis); see `SkillMatch.role`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

TAXONOMY_PATH = Path(__file__).with_name("taxonomy.json")
# Hyphens, underscores and whitespace between an alias's words are alike ("Data-Scientist").
WORD_GAPS = re.compile(r"[\s\-_]+")


def role_key(written: str) -> str:
    """How a role alias and a matched text are compared: lower case, one space between words."""
    return WORD_GAPS.sub(" ", written.lower()).strip()


# Categories whose skills vouch for each other's ambiguous aliases ("Go" next to "Docker" is the
# language); a skill outside this group is vouched for only by skills of its own category.
TECH_CATEGORIES = frozenset(
    {
        "programming",
        "frontend",
        "backend",
        "mobile",
        "database",
        "cloud",
        "devops",
        "networking",
        "security",
        "software",
        "testing",
        "embedded",
        "data",
        "ml_ai",
    }
)


class TaxonomyError(ValueError):
    """The taxonomy file is malformed (a packaging bug, never the user's input)."""


@dataclass(frozen=True, slots=True)
class Skill:
    name: str
    category: str
    aliases: tuple[str, ...]
    exact: tuple[str, ...] = ()
    contextual: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    trait: bool = (
        False  # a personal quality ("attention to detail"): a resume may claim it, a job asks no skill
    )
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unless: dict[str, tuple[str, ...]] = field(default_factory=dict)
    senses: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()  # role_key of the aliases that name a person, not the work

    @property
    def case_insensitive_aliases(self) -> tuple[str, ...]:
        if self.name in self.exact or self.name in self.contextual:
            return self.aliases
        return (self.name, *self.aliases)

    def vouches_for(self, other: Skill) -> bool:
        """Whether a sure match of this skill makes a nearby ambiguous alias of `other` plausible."""
        if self.name == other.name:
            return False
        both_tech = self.category in TECH_CATEGORIES and other.category in TECH_CATEGORIES
        return both_tech or self.category == other.category


@dataclass(frozen=True)
class Taxonomy:
    skills: tuple[Skill, ...]
    categories: dict[str, str]

    def by_name(self) -> dict[str, Skill]:
        return {skill.name: skill for skill in self.skills}


@cache
def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    """The taxonomy at `path` (default: the shipped one), validated: unique names, known categories."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        categories = dict(data["categories"])
        skills = tuple(
            Skill(
                name=item["name"],
                category=item["category"],
                aliases=tuple(item.get("aliases", ())),
                exact=tuple(item.get("exact", ())),
                contextual=tuple(item.get("contextual", ())),
                context=tuple(word.lower() for word in item.get("context", ())),
                trait=bool(item.get("trait", False)),
                needs={a.lower(): tuple(w.lower() for w in ws) for a, ws in item.get("needs", {}).items()},
                unless={a.lower(): tuple(w.lower() for w in ws) for a, ws in item.get("unless", {}).items()},
                senses={
                    a.lower(): {other: tuple(w.lower() for w in ws) for other, ws in by_skill.items()}
                    for a, by_skill in item.get("senses", {}).items()
                },
                roles=frozenset(role_key(a) for a in item.get("roles", ())),
            )
            for item in data["skills"]
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise TaxonomyError(f"cannot load the skill taxonomy {path}: {exc}") from None
    names = [skill.name for skill in skills]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    unknown = sorted({skill.category for skill in skills} - set(categories))
    # An alias is matched one way only: listed as exact or contextual, it must not also be plain.
    mixed = sorted(
        s.name
        for s in skills
        if set(s.aliases) & {*s.exact, *s.contextual} or set(s.exact) & set(s.contextual)
    )
    unknown_senses = sorted(
        {other for s in skills for by_skill in s.senses.values() for other in by_skill} - set(names)
    )
    # A role is a marker on an alias the skill already has, never an alias of its own.
    stray_roles = sorted(
        s.name
        for s in skills
        if s.roles - {role_key(a) for a in (s.name, *s.aliases, *s.exact, *s.contextual)}
    )
    if duplicates or unknown or mixed or unknown_senses or stray_roles:
        raise TaxonomyError(
            f"{path}: duplicate skills {duplicates}, unknown categories {unknown}, "
            f"mixed alias kinds in {mixed}, senses naming unknown skills {unknown_senses}, "
            f"roles that are not aliases in {stray_roles}"
        )
    return Taxonomy(skills=skills, categories=categories)
