"""File formats: parse files into plain records, and write records out.

Each parser returns `Parsed` items (the record, or an error, with the line
it starts on) and never touches the database. Nothing here imports the CLI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netcli.errors import NetcliError
from netcli.reading import IMPORT_FILE, Capped, read_bytes

MAX_IMPORT_BYTES = IMPORT_FILE  # the limit of a file to import (`netcli.reading` holds every limit)


@dataclass(frozen=True)
class Parsed:
    """One record read from a file: either `record` or `error` is set."""

    source: str
    line: int
    record: dict[str, Any] | None = None
    error: str | None = None
    whole: bool = False  # the error is the file's: not the kind of file asked for (no --skip-bad skips it)

    @property
    def where(self) -> str:
        return f"{self.source} line {self.line}"


def open_import(path: Path, *, limit: int = IMPORT_FILE, what: str = "an import file") -> Capped:
    """An import file opened for reading (a regular file: never a FIFO or a
    device), refused with `TooLarge` once more than `limit` bytes are read."""
    return Capped(path, limit=limit, what=what, fix="split it")


def read_parsed(
    path: Path, parse: Callable[..., list[Parsed]], *, limit: int = IMPORT_FILE, what: str = "an import file"
) -> list[Parsed]:
    """`parse(text, source=name)` over a file read whole (at most `limit`
    bytes), or its one decoding error."""
    text, problem = read_text(path, limit=limit, what=what)
    if problem is not None:
        return [problem]
    assert text is not None
    return parse(text, source=path.name)


def read_text(
    path: Path, *, limit: int = IMPORT_FILE, what: str = "an import file"
) -> tuple[str | None, Parsed | None]:
    """A file's text (UTF-8, byte-order mark dropped), or a line-numbered error."""
    source = path.name
    data = read_bytes(path, limit=limit, what=what, fix="split it")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Parsed(source, line, error="not UTF-8 text; save the file as UTF-8 and import it again")


def looks_like(path: Path) -> tuple[str, str] | None:
    """(the command that reads it, what it is) for a file whose first lines
    tell its kind, else None: a hint for a file given to the wrong import."""
    try:
        with open_import(path) as handle:
            head = handle.read(4096).decode("utf-8", "replace").lstrip("\ufeff \r\n\t")
    except (OSError, ValueError, NetcliError):  # what cannot be read is said by the import itself
        return None
    first = head.splitlines()[0].strip().lower() if head else ""
    columns = [c.strip().strip('"') for c in first.split(",")]
    if first.startswith("begin:vcalendar"):
        return "capture calendar", "a calendar"
    if first.startswith("begin:vcard"):
        return "import vcard", "a vCard file"
    if first.startswith("notes:") or {"first name", "last name"} <= set(columns):
        return "import linkedin", "LinkedIn's Connections.csv"
    if columns[:3] == ["date", "kind", "contacts"]:
        return "import interactions", "a history CSV"
    if "name" in columns:
        return "import csv", "a CSV of contacts"
    if head.startswith("{"):
        return "import json", "a backup"
    if first.startswith(("from ", "received:", "return-path:", "from:", "delivered-to:")):
        return "capture mail", "mail"
    return None
