"""The board samples this project writes (`demo/samples/<board>/`, fictional companies in each board's real
format) served by the local board site, each board under its own prefix `/<board>`, as `routes.json` says."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..sources.registry import REGISTRY
from .site import Route

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"


def sample_boards(samples_dir: Path = SAMPLES_DIR) -> list[str]:
    """The boards that have a sample folder."""
    return sorted(path.parent.name for path in samples_dir.glob("*/routes.json"))


def sample_routes(samples_dir: Path = SAMPLES_DIR) -> list[Route]:
    """Every sample's routes, under `/<board>`, with the files' absolute paths."""
    routes = []
    for board in sample_boards(samples_dir):
        folder = samples_dir / board
        for entry in json.loads((folder / "routes.json").read_text(encoding="utf-8"))["routes"]:
            routes.append(
                Route(
                    f"/{board}{entry['path']}",
                    folder / entry["file"],
                    entry.get("query") or {},
                    cookie=entry.get("cookie"),
                    status=entry.get("status", 200),
                    content_type=entry.get("content_type", "application/json"),
                )
            )
    return routes


def sample_companies(samples_dir: Path = SAMPLES_DIR) -> dict[str, str]:
    """The company of each company board's sample, read from the route of its board answer."""
    companies = {}
    for board in sample_boards(samples_dir):
        if board not in REGISTRY.names() or not REGISTRY.get(board).needs_company:
            continue
        routes = json.loads((samples_dir / board / "routes.json").read_text(encoding="utf-8"))["routes"]
        found = (_route_company(REGISTRY.get(board), route["path"]) for route in routes)
        company = next((company for company in found if company), None)
        if company:
            companies[board] = company
    return companies


def _route_company(cls: type, path: str) -> str | None:
    """`kestrel` from `/kestrel/api/offers/`, `northwind.wd1/Careers` from Workday's `/northwind.wd1/wday/cxs/...`."""
    board_path = getattr(cls, "board_path", None)
    if board_path is None:
        return None
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(board_path))
    if "{company}" in cls.default_base_url:
        pattern = r"/(?P<company>[^/]+)" + pattern
    match = re.fullmatch(pattern, path)
    if match is None:
        return None
    parts = match.groupdict()
    if "site" in parts:  # Workday: the host part and the career site
        return f"{parts['company']}/{parts['site']}"
    return parts.get("slug") or parts.get("company")


def sample_env(site_url: str, boards: list[str]) -> dict[str, str]:
    """`JOBSEARCH_<BOARD>_BASE_URL` pointing each board at its prefix (`/<board>/{company}` on subdomain boards)."""
    env = {}
    for board in boards:
        if board not in REGISTRY.names():  # a sample folder of no board of this version
            continue
        cls = REGISTRY.get(board)
        suffix = "/{company}" if "{company}" in cls.default_base_url else ""
        env[f"JOBSEARCH_{board.upper()}_BASE_URL"] = f"{site_url}/{board}{suffix}"
    return env
