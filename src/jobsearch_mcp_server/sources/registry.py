"""Every job board by name, and how a search names them ("remoteok", "greenhouse:stripe").

Adding a board: import its `Source` subclass here and add it to `SOURCE_CLASSES`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import JobsearchError
from .arbeitnow import ArbeitnowSource
from .ashby import AshbySource
from .base import Source
from .file_source import FileSource
from .generic import GenericSource
from .greenhouse import GreenhouseSource
from .hackernews import HackerNewsSource
from .indeed import IndeedSource
from .lever import LeverSource
from .linkedin import LinkedInSource
from .remoteok import RemoteOKSource
from .remotive import RemotiveSource
from .zhipin import ZhipinSource

SOURCE_CLASSES: tuple[type[Source], ...] = (
    ArbeitnowSource,
    AshbySource,
    FileSource,
    GenericSource,
    GreenhouseSource,
    HackerNewsSource,
    IndeedSource,
    LeverSource,
    LinkedInSource,
    RemoteOKSource,
    RemotiveSource,
    ZhipinSource,
)


@dataclass(frozen=True)
class SourceSpec:
    """One entry of a search's `sources`: a board, and for company boards the company's slug."""

    source: type[Source]
    company: str | None = None

    @property
    def label(self) -> str:
        """How reports and the circuit breaker name this entry: "remoteok", "greenhouse:stripe"."""
        return f"{self.source.name}:{self.company}" if self.company else self.source.name


class SourceRegistry:
    def __init__(self, classes: tuple[type[Source], ...]) -> None:
        self._classes = {cls.name: cls for cls in classes}

    def names(self) -> list[str]:
        return sorted(self._classes)

    def classes(self) -> list[type[Source]]:
        return [self._classes[name] for name in self.names()]

    def get(self, name: str) -> type[Source]:
        try:
            return self._classes[name.strip().lower()]
        except KeyError:
            raise JobsearchError(
                f"unknown source {name!r}; valid sources: {', '.join(self.names()) or 'none installed'}"
            ) from None

    def default_names(self) -> list[str]:
        """The boards a search asks when it names none: those needing neither a company slug nor a login
        (and not the generic page reader, which has no search)."""
        return [
            cls.name
            for cls in self.classes()
            if not cls.needs_company and not cls.requires_login and cls.kind != "file" and cls.searchable
        ]

    def parse(self, entry: str) -> SourceSpec:
        """`"lever:netflix"` -> the Lever board of the company `netflix`; errors say how to write it."""
        name, _, company = entry.partition(":")
        cls = self.get(name)
        if not cls.searchable:
            raise JobsearchError(
                f"{cls.name} cannot search; it reads single job pages: use get_job_details with the page's url"
            )
        company = company.strip()
        if cls.needs_company and not company:
            if cls.kind == "file":
                raise JobsearchError(f"{cls.name} reads jobs from a file: write it as '{cls.name}:<path>'")
            raise JobsearchError(
                f"{cls.name} searches one company's job board: write it as '{cls.name}:<company slug>', "
                f"e.g. '{cls.name}:stripe' (the slug is the last part of the company's {cls.name} board URL)"
            )
        if company and not cls.needs_company:
            raise JobsearchError(f"{cls.name} is not a company board: write just '{cls.name}', without ':{company}'")
        return SourceSpec(cls, company or None)

    def specs(self, entries: list[str] | None) -> list[SourceSpec]:
        """The parsed entries (duplicates dropped), or the default boards when `entries` is None.

        An empty list is refused rather than read as "every default board": a caller that filtered its
        boards down to none wants no search, not six."""
        if entries is None:
            return [SourceSpec(self._classes[name]) for name in self.default_names()]
        specs = [self.parse(entry) for entry in entries if entry.strip()]
        if not specs:
            raise JobsearchError(
                "sources is empty: leave it out to ask the default boards "
                f"({', '.join(self.default_names())}), or name boards, e.g. ['remoteok', 'greenhouse:stripe'] "
                "(list_sources shows them all)"
            )
        return list({spec.label: spec for spec in specs}.values())


REGISTRY = SourceRegistry(SOURCE_CLASSES)
