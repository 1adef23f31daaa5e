"""The one guard for the user's files that tools read or write (parse_resume, import_jobs, the `file:`
source, exports).

A path is allowed when its fully resolved form lies inside an allowed folder: `Settings.allowed_folders()`
(JOBSEARCH_ALLOWED_DIRS, else `<data dir>/resumes`) plus the MCP client's roots. A relative path is taken
relative to the first allowed folder, never to the server's working directory (which the client does not
know). Symbolic links are followed before the check, so a link inside a folder that leads out is refused,
and so is `..` that climbs out. Files to read must be regular files within JOBSEARCH_MAX_FILE_MB.

A tenant of JOBSEARCH_TOKENS_FILE other than the local one has one folder instead, its own
`<data dir>/tenants/<name>/files` (its exports land there): the configured folders are the server owner's,
and a remote client's roots name folders on its own machine, not on this one.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from .config import Settings
from .errors import JobsearchError
from .tenants import LOCAL_TENANT, current_tenant, tenant_folder


class PathRefused(JobsearchError):
    """A path the guard does not let a tool use; the message says why and what to do."""


def allowed_folders(settings: Settings, roots: Sequence[Path] = ()) -> list[Path]:
    """The configured folders, then the client's roots, each resolved; a remote tenant's own folder."""
    if current_tenant() != LOCAL_TENANT:
        own = tenant_folder(settings.data_dir) / "files"
        own.mkdir(parents=True, exist_ok=True)
        return [own.resolve()]
    return [*settings.allowed_folders(), *(Path(root).expanduser().resolve() for root in roots)]


def too_large(size: int, settings: Settings, what: str) -> PathRefused:
    return PathRefused(
        f"{what} is {size / 1024 / 1024:.1f} MB; the limit is {settings.max_file_mb:g} MB "
        "(JOBSEARCH_MAX_FILE_MB)."
    )


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(path == folder or path.is_relative_to(folder) for folder in folders)


def allowed_path(
    path: str | Path,
    settings: Settings,
    roots: Sequence[Path] = (),
    *,
    mode: Literal["read", "write"] = "read",
    overwrite: bool = False,
) -> Path:
    """The real path behind `path` when a tool may use it: an existing regular file within the size
    limit to read, or a new file in an existing folder to write (an existing regular file too, with
    `overwrite`). Raises `PathRefused` otherwise."""
    if not str(path).strip():
        raise PathRefused("No path given: name a file inside an allowed folder.")
    folders = allowed_folders(settings, roots)
    listed = ", ".join(str(f) for f in folders) or "(none)"
    given = Path(path).expanduser()
    if not given.is_absolute():
        if not folders:
            raise PathRefused("A relative path needs an allowed folder; give an absolute path.")
        given = folders[0] / given
    lexical = Path(os.path.normpath(given))
    real = lexical.resolve()
    if not _inside(real, folders):
        if _inside(lexical, folders) or _inside(lexical.parent.resolve() / lexical.name, folders):
            raise PathRefused(
                f"{path} is a symbolic link that leads outside the allowed folders ({listed}); refused. "
                "Copy the file itself into one of them."
            )
        raise PathRefused(
            f"{path} is outside the allowed folders: {listed}. "
            + ("Write inside one of them" if mode == "write" else "Move the file into one of them")
            + ", or add its "
            "folder to JOBSEARCH_ALLOWED_DIRS."
        )
    if mode == "write":
        if real.is_dir():
            raise PathRefused(f"{path} is a folder: give a file name inside it, e.g. jobs.csv.")
        replaceable = overwrite and real.is_file() and not lexical.is_symlink()
        if (lexical.exists() or lexical.is_symlink()) and not replaceable:
            raise PathRefused(
                f"{path} already exists: pass overwrite=true to replace it, or give the name of a new file."
            )
        if not real.parent.is_dir():
            raise PathRefused(f"The folder of {path} does not exist.")
        return real
    try:
        info = real.stat()
    except FileNotFoundError:
        raise PathRefused(f"No file at {path}.") from None
    except OSError as exc:
        raise PathRefused(f"{path} cannot be read: {exc.strerror}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise PathRefused(f"{path} is a folder; give the file inside it.")
    if not stat.S_ISREG(info.st_mode):
        raise PathRefused(f"{path} is not a regular file.")
    if info.st_size > settings.max_file_mb * 1024 * 1024:
        raise too_large(info.st_size, settings, real.name)
    return real
