"""Every job board by name, and how a search names them ("remoteok", "greenhouse:stripe").

Adding a board: a module in this package with a `Source` subclass that declares its `name` (and a sample
folder, `demo/samples/<name>/`). The registry finds it: every concrete `Source` subclass defined in the
package's modules is a board.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import threading
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import JobsearchError
from .base import Source


def board_classes() -> tuple[type[Source], ...]:
    """The concrete `Source` subclasses the modules of this package define, by name."""
    found: dict[str, type[Source]] = {}
    for module_info in pkgutil.iter_modules(importlib.import_module(__package__).__path__):
        module = importlib.import_module(f"{__package__}.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Source) and cls.__module__ == module.__name__ and not inspect.isabstract(cls):
                found[cls.name] = cls
    return tuple(found[name] for name in sorted(found))


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
    """The boards by name. `load` finds them on first use: importing every board module is work a
    server's start-up (the `initialize` answer) need not wait for."""

    def __init__(self, load: Callable[[], tuple[type[Source], ...]]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._by_name: dict[str, type[Source]] | None = None

    @property
    def _classes(self) -> dict[str, type[Source]]:
        with self._lock:
            if self._by_name is None:
                self._by_name = {cls.name: cls for cls in self._load()}
            return self._by_name

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
            example = getattr(cls, "slug_example", "stripe")
            form = getattr(cls, "careers_url_form", f"the company's {cls.name} board URL")
            raise JobsearchError(
                f"{cls.name} searches one company's job board: write it as '{cls.name}:<company slug>', "
                f"e.g. '{cls.name}:{example}' (the slug comes from {form}; find_company_board finds it)"
            )
        if company and not cls.needs_company:
            raise JobsearchError(f"{cls.name} is not a company board: write just '{cls.name}', without ':{company}'")
        return SourceSpec(cls, company or None)

    def needing_a_query(self, entries: list[str] | None) -> list[str]:
        """The boards among `entries` (the defaults when empty) that cannot list jobs without search words:
        all but the company boards and files, which an empty query lists whole."""
        return [spec.label for spec in self.specs(entries) if not spec.source.needs_company]

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


REGISTRY = SourceRegistry(board_classes)
