"""Which company board to search: careers URLs of the ten applicant-tracking systems, career pages that embed
one of them, and a directory of well-known companies, all turned into a search source ("greenhouse:stripe").

The directory is `company_boards.json` in this package (a few hundred companies, written from their public
careers URLs; companies change providers, so an entry can go stale), plus the user's own
`<data dir>/company_boards.json` in the same form, `{"Company name": "board:slug"}`, whose entries add to the
bundled ones and win over them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import BaseModel, Field

from ..errors import JobsearchError
from ..fetching.url_guard import check_public_url
from .base import SourceContext, SourceError
from .registry import REGISTRY

BUNDLED_DIRECTORY = Path(__file__).with_name("company_boards.json")
USER_DIRECTORY_NAME = "company_boards.json"
_SLUG = r"[A-Za-z0-9][A-Za-z0-9._-]*"


@dataclass(frozen=True)
class _Shape:
    """One URL shape of a board: a host pattern and a path pattern that capture the company (or, with
    `query`, the URL parameter that names it)."""

    board: str
    host: re.Pattern[str]
    path: re.Pattern[str]
    query: str | None = None

    def company(self, host: str, path: str, query: dict[str, list[str]]) -> str | None:
        host_match = self.host.fullmatch(host)
        path_match = self.path.match(path) if host_match else None
        if not host_match or not path_match:
            return None
        parts = {**host_match.groupdict(), **path_match.groupdict()}
        if self.query:
            value = (query.get(self.query) or [""])[0]
            return value if re.fullmatch(_SLUG, value) else None
        if self.board == "workday":
            return f"{parts['tenant']}.{parts['wd']}/{parts['site']}"
        return parts.get("slug")


def _shape(board: str, host: str, path: str = "", query: str | None = None) -> _Shape:
    return _Shape(board, re.compile(host, re.IGNORECASE), re.compile(path), query)


# The careers and API URLs each provider uses. Hosts are matched whole; paths from their start.
_SHAPES: tuple[_Shape, ...] = (
    _shape("greenhouse", r"boards-api\.greenhouse\.io", rf"/v1/boards/(?P<slug>{_SLUG})"),
    _shape("greenhouse", r"(?:job-)?boards(?:\.eu)?\.greenhouse\.io", rf"/(?!embed/)(?P<slug>{_SLUG})"),
    _shape("greenhouse", r"(?:job-)?boards(?:\.eu)?\.greenhouse\.io", r"/embed/job_board", query="for"),
    _shape("lever", r"api(?:\.eu)?\.lever\.co", rf"/v0/postings/(?P<slug>{_SLUG})"),
    _shape("lever", r"jobs(?:\.eu)?\.lever\.co", rf"/(?P<slug>{_SLUG})"),
    _shape("ashby", r"api\.ashbyhq\.com", rf"/posting-api/job-board/(?P<slug>{_SLUG})"),
    _shape("ashby", r"jobs\.ashbyhq\.com", rf"/(?P<slug>{_SLUG})"),
    _shape(
        "workday",
        r"(?P<tenant>[A-Za-z0-9-]+)\.(?P<wd>wd\d+)\.myworkdayjobs\.com",
        r"(?:/wday/cxs/[A-Za-z0-9-]+)?(?:/[a-z]{2}-[A-Z]{2})?/(?P<site>[A-Za-z0-9_-]+)",
    ),
    _shape("smartrecruiters", r"api\.smartrecruiters\.com", rf"/v1/companies/(?P<slug>{_SLUG})"),
    _shape("smartrecruiters", r"(?:jobs|careers)\.smartrecruiters\.com", rf"/(?P<slug>{_SLUG})"),
    _shape("recruitee", rf"(?P<slug>{_SLUG})\.recruitee\.com"),
    _shape("workable", r"apply\.workable\.com", rf"/api/v1/widget/accounts/(?P<slug>{_SLUG})"),
    _shape("workable", r"apply\.workable\.com", rf"/(?!j/|api/)(?P<slug>{_SLUG})"),
    _shape("workable", rf"(?!www\.|apply\.)(?P<slug>{_SLUG})\.workable\.com"),
    _shape("personio", rf"(?P<slug>{_SLUG})\.jobs\.personio\.(?:de|com)"),
    _shape("teamtailor", rf"(?!www\.)(?P<slug>{_SLUG})\.teamtailor\.com"),
    _shape("bamboohr", rf"(?!www\.|api\.)(?P<slug>{_SLUG})\.bamboohr\.com"),
)
# Careers URLs as they appear inside a page (links, iframes, embed scripts).
_URL_IN_PAGE = re.compile(
    r"https?:(?://|\\/\\/)[A-Za-z0-9.-]+\.(?:greenhouse\.io|lever\.co|ashbyhq\.com|myworkdayjobs\.com|"
    r"smartrecruiters\.com|recruitee\.com|workable\.com|personio\.(?:de|com)|teamtailor\.com|bamboohr\.com)"
    r"[^\s\"'<>()]*",
    re.IGNORECASE,
)
_NOT_A_COMPANY = {
    "embed",
    "api",
    "v1",
    "v0",
    "j",
    "jobs",
    "careers",
    "static",
    "assets",
    "cdn",
    "www",
    "en-us",
}
_LEGAL_FORMS = re.compile(
    r"\b(inc|llc|ltd|limited|gmbh|ag|se|sa|plc|corp|corporation|co|company|bv|ab|as|oy|pty|group|holdings)\b\.?"
)


def board_in_url(url: str) -> str | None:
    """The source string of a careers or board-API URL of one of the ten providers, or None."""
    parts = urlsplit(url.strip().replace("\\/", "/"))
    if not parts.netloc and not parts.scheme:  # "jobs.lever.co/netflix" without https://
        parts = urlsplit("https://" + url.strip())
    host = (parts.hostname or "").lower()
    path = unquote(parts.path or "")
    query = parse_qs(parts.query)
    for shape in _SHAPES:
        company = shape.company(host, path, query)
        if company and company.lower() not in _NOT_A_COMPANY:
            return f"{shape.board}:{company}"
    return None


def boards_in_page(html: str) -> list[str]:
    """The boards a career page links to or embeds, in the order they first appear."""
    found = (board_in_url(match.group(0)) for match in _URL_IN_PAGE.finditer(html))
    return list(dict.fromkeys(board for board in found if board))


def _key(name: str) -> str:
    """A company name as looked up: lower case, legal forms and punctuation dropped ("Stripe, Inc." -> "stripe")."""
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "", _LEGAL_FORMS.sub(" ", name.casefold()))


def read_directory(path: Path) -> dict[str, str]:
    """The `{"Company": "board:slug"}` entries of one directory file; a repeated name is an error."""

    def no_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
        seen: dict[str, object] = {}
        for name, board in pairs:
            if name in seen:
                raise JobsearchError(f"{path} names {name!r} twice")
            seen[name] = board
        return seen

    try:
        entries = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=no_repeats)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JobsearchError(f"cannot read the company directory {path}: {exc}") from None
    if not isinstance(entries, dict) or not all(isinstance(board, str) for board in entries.values()):
        raise JobsearchError(f'{path} must be one JSON object of "Company name": "board:slug" entries')
    return entries


class BoardMatch(BaseModel):
    company: str = Field(description="the company's name, as the directory or page has it")
    source: str = Field(description="the search_jobs source string, e.g. 'greenhouse:stripe'")


class CompanyBoard(BaseModel):
    """Where a company posts its jobs, as a `sources` entry for search_jobs."""

    source: str | None = Field(
        None, description="the board to pass to search_jobs(sources=[...]); null: not found"
    )
    found_by: Literal["url", "page", "directory", "none"]
    matches: list[BoardMatch] = Field(default_factory=list, description="other candidates for a name")
    message: str


class CompanyDirectory:
    """The bundled directory and the user's additions, searched by normalised company name."""

    def __init__(self, files: Iterable[Path]) -> None:
        self.entries: dict[str, str] = {}
        for path in files:
            if path.exists():
                self.entries.update(read_directory(path))
        self._by_key = {_key(name): name for name in self.entries}

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> CompanyDirectory:
        return cls([BUNDLED_DIRECTORY, data_dir / USER_DIRECTORY_NAME])

    def lookup(self, name: str, limit: int = 5) -> list[BoardMatch]:
        """The exact match first, then names that start with or contain the name asked for."""
        key = _key(name)
        if not key:
            return []
        exact = [self._by_key[key]] if key in self._by_key else []
        starts = sorted(n for k, n in self._by_key.items() if k.startswith(key) and k != key)
        inside = sorted(n for k, n in self._by_key.items() if key in k and not k.startswith(key))
        return [BoardMatch(company=n, source=self.entries[n]) for n in [*exact, *starts, *inside][:limit]]


_SCHEME_OR_PATH = re.compile(r"(?i)^(https?://|www\.)|/")
_DOMAIN = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


async def find_company_board(name_or_url: str, ctx: SourceContext) -> CompanyBoard:
    """The board of a careers URL, of a career page that embeds one, or of a company named in the directory.

    A bare domain ("acme.com") is a careers page to read unless the directory knows it as a name ("Booking.com")."""
    text = name_or_url.strip()
    if not text:
        raise JobsearchError("give a company name (e.g. 'Stripe') or its careers page URL")
    if _SCHEME_OR_PATH.search(text):
        board = board_in_url(text)
        if board:
            REGISTRY.parse(board)
            return CompanyBoard(source=board, found_by="url", message=f"search it with sources=['{board}']")
        return await _board_of_page(text if "://" in text else "https://" + text, ctx)
    matches = CompanyDirectory.for_data_dir(ctx.settings.data_dir).lookup(text)
    exact = bool(matches) and _key(matches[0].company) == _key(text)
    if not exact and _DOMAIN.fullmatch(text):
        return await _board_of_page("https://" + text, ctx)
    if not matches:
        return CompanyBoard(
            found_by="none",
            message=(
                f"{text!r} is not in the company directory: give its careers page URL instead (find_company_board "
                f"reads the board from it), or add it to {ctx.settings.data_dir / USER_DIRECTORY_NAME}"
            ),
        )
    best = matches[0]
    if exact or len(matches) == 1:
        return CompanyBoard(
            source=best.source,
            found_by="directory",
            matches=matches[1:],
            message=f"search it with sources=['{best.source}']",
        )
    return CompanyBoard(
        found_by="directory",
        matches=matches,
        message=f"several companies match {text!r}: pick one of matches",
    )


async def _board_of_page(url: str, ctx: SourceContext) -> CompanyBoard:
    allow = ctx.settings.allow_private_urls
    await check_public_url(url, allow)
    try:
        response = await ctx.http.get(url)
    except SourceError as exc:
        raise JobsearchError(f"cannot read the careers page {url}: {exc}") from None
    await check_public_url(str(response.url), allow)  # a redirect must not lead to a private address
    boards = boards_in_page(str(response.url) + " " + response.text)
    if not boards:
        return CompanyBoard(
            found_by="none",
            message=(
                f"{url} shows no board of the ten supported providers (Greenhouse, Lever, Ashby, Workday, "
                "SmartRecruiters, Recruitee, Workable, Personio, Teamtailor, BambooHR); its jobs can still be "
                "read one by one with get_job_details(url=...)"
            ),
        )
    others = [BoardMatch(company=board.partition(":")[2], source=board) for board in boards[1:]]
    return CompanyBoard(
        source=boards[0], found_by="page", matches=others, message=f"search it with sources=['{boards[0]}']"
    )
