"""The two database engines the store runs on: a SQLite file (one machine) or PostgreSQL (shared by replicas).

The store and its migrations write one SQL text for both: `?` placeholders, `REAL` and `BLOB` column
types, `INSERT ... ON CONFLICT`. `Database` turns that into each engine's dialect and gives both the same
small interface: `execute` (rows, or [] for statements without), `rowcount`, and `write()`, a
transaction that holds the database's one write lock (SQLite's `BEGIN IMMEDIATE`; on PostgreSQL an
advisory lock), so a read-then-write such as tracking an application is never interleaved with another
process's.

PostgreSQL is reached with psycopg 3 alone: the store's few dozen statements are plain SQL that both
engines accept, so a query builder (SQLAlchemy Core) would add a layer and a dependency tree without
removing any SQL; psycopg is the maintained PostgreSQL adapter (SQLAlchemy's own PostgreSQL driver).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

log = logging.getLogger(__name__)

Dialect = Literal["sqlite", "postgresql"]
POSTGRES_SCHEMES = ("postgresql", "postgres")
# Any constant both sides agree on: the key of the advisory lock every write transaction takes.
_WRITE_LOCK = 7_304_112
_POSTGRES_TYPES = {"REAL": "DOUBLE PRECISION", "BLOB": "BYTEA"}  # SQLite's REAL is 8 bytes, PostgreSQL's 4


class DatabaseError(Exception):
    """The database cannot be reached or used; the message never holds a password."""


def is_postgres_url(target: str | Path) -> bool:
    return isinstance(target, str) and urlsplit(target).scheme in POSTGRES_SCHEMES


def displayed(target: str | Path) -> str:
    """`target` as logs and errors show it: a URL's password is replaced by ***."""
    if not isinstance(target, str):
        return str(target)
    parts = urlsplit(target)
    if parts.password is None:
        return target
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def driver_errors(target: str | Path) -> tuple[type[Exception], ...]:
    """The exceptions the engine of `target` raises for a database it cannot use."""
    if is_postgres_url(target):
        import psycopg

        return (DatabaseError, psycopg.Error)
    return (DatabaseError, sqlite3.Error)


class Database:
    """One connection to the file at a Path or the PostgreSQL server at a `postgresql://` URL. Not
    thread-safe by itself: the store serialises its use with a lock."""

    def __init__(self, target: str | Path) -> None:
        self.target = target
        self.dialect: Dialect = "postgresql" if is_postgres_url(target) else "sqlite"
        if self.dialect == "postgresql":
            self._connection = self._connect_postgres(str(target))
        else:
            path = Path(target)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
                self._connection.execute("PRAGMA busy_timeout=5000")
            except (OSError, sqlite3.Error) as exc:
                raise DatabaseError(str(exc)) from None

    def _connect_postgres(self, url: str) -> Any:
        import psycopg  # loads only when the database is PostgreSQL

        try:
            return psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise DatabaseError(_without_password(str(exc), url)) from None

    @property
    def description(self) -> str:
        return displayed(self.target)

    def sql(self, statement: str) -> str:
        """`statement` in this engine's dialect."""
        if self.dialect == "sqlite":
            return statement
        statement = re.sub(r"\b(REAL|BLOB)\b", lambda m: _POSTGRES_TYPES[m.group(1)], statement)
        return statement.replace("%", "%%").replace("?", "%s")

    def _live(self) -> Any:
        """The connection; a new one when PostgreSQL dropped the last (a server restart, a failover, an idle
        timeout): the statement that met the dropped connection failed, the next ones go through."""
        if self.dialect == "postgresql" and self._connection.broken:
            log.warning("the connection to %s was lost: connecting again", self.description)
            self._connection = self._connect_postgres(str(self.target))
        return self._connection

    def execute(self, statement: str, params: Sequence[object] = ()) -> Result:
        cursor = self._live().execute(self.sql(statement), tuple(params))
        rows = cursor.fetchall() if cursor.description is not None else []
        return Result(rows, cursor.rowcount)

    def executemany(self, statement: str, rows: Iterable[Sequence[object]]) -> None:
        rows = [tuple(row) for row in rows]
        if not rows:
            return
        if self.dialect == "sqlite":
            self._connection.executemany(statement, rows)
        else:
            with self._live().cursor() as cursor:
                cursor.executemany(self.sql(statement), rows)

    def script(self, statements: str) -> None:
        """Runs `;`-separated DDL (no literal semicolons inside)."""
        for statement in statements.split(";"):
            if statement.strip():
                self.execute(statement)

    @contextmanager
    def write(self) -> Iterator[Database]:
        """A transaction that holds the write lock until it commits (or rolls back on any exception)."""
        if self.dialect == "sqlite":
            self._connection.execute("BEGIN IMMEDIATE")
        else:
            self._live().execute("BEGIN")
            self._connection.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
        try:
            yield self
        except BaseException:
            if not getattr(self._connection, "broken", False):  # a dropped connection rolled back already
                self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")

    def table_exists(self, name: str) -> bool:
        if self.dialect == "sqlite":
            found = self.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        else:
            found = self.execute(
                "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?",
                (name,),
            )
        return bool(found.rows)

    def close(self) -> None:
        self._connection.close()


class Result:
    """The rows a statement returned and how many rows it changed."""

    __slots__ = ("rowcount", "rows")

    def __init__(self, rows: list[tuple], rowcount: int) -> None:
        self.rows = rows
        self.rowcount = rowcount

    def fetchall(self) -> list[tuple]:
        return self.rows

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None


def _without_password(message: str, url: str) -> str:
    password = urlsplit(url).password
    return message.replace(password, "***") if password else message
