"""The files a capture reads: those named, and those inside the folders
named (a vdir as vdirsyncer and khal keep it: one item per file, subfolders
for collections, names starting with `.` left alone, links out of the folder
passed over), each with what tells whether it changed since the last capture
(size, modification time). What is found is read with `netcli.reading`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from netcli.errors import Invalid
from netcli.reading import inside


class Found(NamedTuple):
    path: Path  # absolute
    size: int
    mtime_ns: int
    named: bool  # named on the command line, not found in a folder


def find(paths: Sequence[Path], *, suffix: str, what: str) -> tuple[list[Found], list[Path]]:
    """The files to read, and the folders they were found in (absolute).
    A name that is neither a file nor a folder, or a folder holding no
    `suffix` file, raises `Invalid`."""
    found: dict[Path, Found] = {}
    folders: list[Path] = []
    for given in paths:
        path, info = named(given, what=what)
        if path.is_dir():
            folders.append(path)
            inside = _walk(path, suffix)
            if not inside:
                raise Invalid(f"{given} holds no {suffix} files (looked in it and its subfolders); give {what}")
            for item in inside:
                found.setdefault(item.path, item)
        else:
            found[path] = Found(path, info.st_size, info.st_mtime_ns, True)
    return sorted(found.values()), folders


def named(given: Path, *, what: str) -> tuple[Path, os.stat_result]:
    """A path named on the command line, absolute, and its `stat`; `Invalid`
    saying what to give when it does not exist or cannot be read."""
    path = Path(os.path.abspath(given.expanduser()))
    try:
        return path, path.stat()
    except FileNotFoundError:
        raise Invalid(f"{given} does not exist; give {what}") from None
    except OSError as exc:
        raise Invalid(f"cannot read {given}: {exc.strerror or exc}") from None


def _walk(folder: Path, suffix: str) -> list[Found]:
    items = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(suffix):
                continue
            path = Path(root, name)
            if os.path.islink(path) and not inside(path, folder):
                continue  # a link out of the folder: nothing outside what was named is read
            try:
                info = path.stat()
            except OSError:  # gone since the listing: nothing to read
                continue
            items.append(Found(path, info.st_size, info.st_mtime_ns, False))
    return items


def under(path: str, folders: Sequence[Path]) -> bool:
    """Whether a stored file path lies inside one of `folders`."""
    return any(Path(path).is_relative_to(folder) for folder in folders)
