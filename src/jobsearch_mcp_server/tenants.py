"""Who is asking: the tenant of the current request, and the table of tokens that names tenants.

The one boundary between tenants is `current_tenant()`. The HTTP auth layer (transports.py) resolves the
request's bearer token to a tenant name, the MCP server sets it around each request it handles
(`acting_as`), and the store, the file guard and the browser profiles read it here and nowhere else.
stdio, an in-process client and an HTTP server without tokens are the one local tenant; so is the single
`JOBSEARCH_AUTH_TOKEN`, so a server that had one token keeps its data.

`JOBSEARCH_TOKENS_FILE` holds one `<token> <tenant>` per line, or `sha256:<hex of the token's SHA-256>
<tenant>` so the file holds no usable secret. Lines starting with `#` and blank lines are skipped. The
file is read again when its modification time changes (checked on each request); an edit that does not
parse keeps the tokens that were in force and logs what is wrong by line number, never a token.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import threading
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from .errors import JobsearchError

log = logging.getLogger(__name__)

LOCAL_TENANT = "local"
TENANT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
HASHED = re.compile(r"sha256:([0-9a-fA-F]{64})")
# Where the HTTP auth layer leaves the tenant in the ASGI scope's state, for the MCP server to read.
SCOPE_KEY = "jobsearch_tenant"

_current: ContextVar[str] = ContextVar("jobsearch_tenant", default=LOCAL_TENANT)


def current_tenant() -> str:
    """The tenant of the request being handled (the local tenant outside any authenticated request)."""
    return _current.get()


@contextmanager
def acting_as(tenant: str) -> Iterator[None]:
    """Runs the block (and every task and worker thread it starts) as `tenant`."""
    token = _current.set(tenant)
    try:
        yield
    finally:
        _current.reset(token)


def mark_scope(scope: MutableMapping[str, Any], tenant: str) -> None:
    """Leaves the authenticated `tenant` in an ASGI request's scope, where `tenant_of_scope` finds it."""
    scope.setdefault("state", {})[SCOPE_KEY] = tenant


def tenant_of_scope(scope: Mapping[str, Any]) -> str | None:
    """The tenant the auth layer found for the HTTP request of `scope` (None: no auth layer ran)."""
    return scope.get("state", {}).get(SCOPE_KEY)


def tenant_folder(base: Path) -> Path:
    """`base` for the local tenant, `base/tenants/<name>` for any other: each tenant's own files."""
    tenant = current_tenant()
    return base if tenant == LOCAL_TENANT else base / "tenants" / tenant


class TokensFileError(JobsearchError):
    """The tokens file cannot be read or a line of it is malformed (the message never shows a token)."""


def digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def parse_tokens(text: str, origin: str) -> dict[bytes, str]:
    """The SHA-256 digest of each token in `text` -> its tenant. Raises `TokensFileError` naming the line."""
    tenants: dict[bytes, str] = {}
    lines: dict[bytes, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        where = f"{origin} line {number}"
        if len(fields) != 2:
            raise TokensFileError(
                f"{where}: expected '<token> <tenant>' or 'sha256:<hex> <tenant>' ({len(fields)} fields found)"
            )
        secret, tenant = fields
        if not TENANT_NAME.fullmatch(tenant):
            raise TokensFileError(
                f"{where}: the tenant name must be 1-64 letters, digits, '.', '_' or '-', starting with a "
                "letter or digit"
            )
        if secret.lower().startswith("sha256:"):
            hashed = HASHED.fullmatch(secret)
            if hashed is None:
                raise TokensFileError(f"{where}: a hashed token is 'sha256:' and 64 hex digits")
            key = bytes.fromhex(hashed.group(1))
        else:
            key = digest(secret)
        if key in lines:
            raise TokensFileError(f"{where}: the same token is already given on line {lines[key]}")
        tenants[key] = tenant
        lines[key] = number
    return tenants


class TokenBook:
    """Bearer tokens -> tenants: the single token (the local tenant) and the tokens file, if any."""

    def __init__(self, auth_token: str | None = None, tokens_file: Path | None = None) -> None:
        self._fixed = {digest(auth_token): LOCAL_TENANT} if auth_token else {}
        self._file = tokens_file
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._from_file: dict[bytes, str] = {}
        if tokens_file is not None:
            self._load(self._file_stamp())  # a broken file at start-up is an error, not an empty table

    @property
    def empty(self) -> bool:
        return not self._fixed and self._file is None

    def tenant_for(self, token: str) -> str | None:
        """The tenant `token` belongs to, or None. Every known digest is compared in constant time."""
        self._reload_if_changed()
        given = digest(token)
        found = None
        for known, tenant in (*self._fixed.items(), *self._from_file.items()):
            if hmac.compare_digest(given, known):
                found = tenant
        return found

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            info = os.stat(self._file)  # type: ignore[arg-type]
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size, info.st_ino  # an editor's save-by-rename changes the inode

    def _load(self, stamp: tuple[int, int, int] | None) -> None:
        """Reads the file as of `stamp` (its mtime, size and inode); the tokens in force change only if it parses."""
        self._stamp = stamp  # tried once per change of the file, so a broken edit is logged once
        path = self._file
        try:
            text = path.read_text(encoding="utf-8")  # type: ignore[union-attr]
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
            raise TokensFileError(f"cannot read the tokens file {path}: {reason}") from None
        self._from_file = parse_tokens(text, str(path))

    def _reload_if_changed(self) -> None:
        if self._file is None:
            return
        with self._lock:
            stamp = self._file_stamp()
            if stamp == self._stamp:
                return
            try:
                self._load(stamp)
            except TokensFileError as exc:
                log.error("%s; the tokens loaded before stay in force", exc)
                return
            log.info("tokens file reloaded: %d tenants", len(set(self._from_file.values())))
