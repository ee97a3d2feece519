"""The JSON backup: every table, every row, as `export json` writes it.

Deterministic (rows by primary key, no timestamp), so exporting, restoring
into an empty database and exporting again gives the same document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from netcli.errors import Invalid
from netcli.formats import open_import
from netcli.reading import BACKUP_DEPTH, BACKUP_FILE, BACKUP_VALUE, Capped, too_large

FORMAT = "netcli-backup"
VERSION = 1


# compact, so the C encoder writes it: a backup of a million interactions stays quick
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def chunks(tables: Iterable[tuple[str, Iterable[dict[str, Any]]]], *, schema: str) -> Iterator[str]:
    """The backup's text, {"format", "schema", "tables": {name: [rows]},
    "version"} as compact JSON with sorted keys and a newline, in pieces from
    tables read a row at a time: never held whole (a million interactions)."""
    head = _encode({"format": FORMAT, "schema": schema})
    yield head[:-1] + ',"tables":{'
    for number, (name, rows) in enumerate(sorted(tables, key=lambda table: table[0])):
        yield ("," if number else "") + _encode(name) + ":["
        rows = iter(rows)
        first = True
        while batch := list(islice(rows, 1_000)):
            yield ("" if first else ",") + _encode(batch)[1:-1]
            first = False
        yield "]"
    yield '},"version":' + _encode(VERSION) + "}\n"


def read(path: Path, *, newest_schema: str | None = None) -> dict[str, Iterable[dict[str, Any]]]:
    """The tables of a backup file, each as rows read from the file when
    wanted (never the whole file at once: a million interactions), or Invalid
    saying what is wrong with it. One pass checks the whole document first,
    its nesting and the length of each value included (`reading` LIMITS).
    A backup of a database schema after `newest_schema` (a newer netcli's)
    is refused: its tables may hold what this one cannot."""
    import ijson

    counts: dict[str, int] = {}
    found: dict[str, Any] = {}
    with _Watched(open_import(path, limit=BACKUP_FILE, what="a backup")) as handle:
        _skip_bom(handle)
        try:
            for prefix, event, value in _events(path, handle, ijson.basic_parse(handle, use_float=True)):
                if prefix == "tables":
                    if event == "map_key":
                        counts[value] = 0
                    elif event not in ("start_map", "end_map"):
                        raise Invalid(f"{path.name}: 'tables' must map table names to lists of rows")
                elif prefix in ("format", "version", "schema"):
                    found[prefix] = value
                elif prefix.startswith("tables.") and prefix.count(".") <= 2:
                    _check_row(path, prefix, event, counts)
                elif prefix == "" and event not in ("start_map", "map_key", "end_map"):
                    break  # not an object: said below
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            why = _first_line(exc)
            if isinstance(exc, UnicodeDecodeError) or "UTF8" in why:
                raise Invalid(f"{path.name}: not UTF-8 text; save the file as UTF-8 and import it again") from None
            raise Invalid(f"{path.name}: not valid JSON ({why})") from None
    if found.get("format") != FORMAT:
        raise Invalid(f"{path.name} is not a netcli backup (made by 'netcli export json')")
    if found.get("version") != VERSION:
        raise Invalid(f"{path.name} is a version {found.get('version')} backup; this netcli reads version {VERSION}")
    schema = str(found.get("schema") or "")
    if newest_schema is not None and (
        not schema.isdigit() or len(schema) != len(newest_schema) or schema > newest_schema
    ):
        raise Invalid(
            f"{path.name} was written with database schema {schema[:20]!r}, which this netcli does not know "
            f"(it knows up to {newest_schema}): restore it with the netcli that wrote it, or a newer one"
        )
    return {name: (_rows(path, name) if n else []) for name, n in counts.items()}


def _events(path: Path, handle: _Watched, events: Iterable[tuple[str, Any]]) -> Iterator[tuple[str, str, Any]]:
    """ijson's (prefix, event, value) from its basic events, as `ijson.parse`
    gives them, for the first three levels only (deeper ones are a row's
    values, which the check does not look into): building every prefix of a
    document nested 100,000 deep would take gigabytes. Nesting past
    `BACKUP_DEPTH` is refused."""
    keys: list[str | None] = []
    for event, value in events:
        handle.mark()  # the parser got this far: a value is being read no longer
        if event == "map_key":
            keys[-1] = value
            depth = len(keys) - 1
        elif event in ("start_map", "start_array"):
            depth = len(keys)
            keys.append(None if event == "start_map" else "item")
            if len(keys) > BACKUP_DEPTH:
                raise Invalid(
                    f"{path.name}: lists and objects nested more than {BACKUP_DEPTH} deep, the limit for a backup "
                    "(a backup's rows are 4 deep); this is not a file 'netcli export json' wrote"
                )
        elif event in ("end_map", "end_array"):
            keys.pop()
            depth = len(keys)
        else:
            depth = len(keys)
        if depth <= 3:
            yield ".".join(str(key) for key in keys[:depth]), event, value


class _Watched:
    """The backup as the parser reads it, refused once it has read more than
    `BACKUP_VALUE` bytes without finishing a value: a text of gigabytes would
    be held whole before the parser gave it. `mark` is called at each event."""

    def __init__(self, handle: Capped) -> None:
        self.handle, self.since = handle, 0

    def mark(self) -> None:
        self.since = self.handle.tell()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        if self.handle.tell() - self.since > BACKUP_VALUE + max(size, 0):
            raise too_large(f"{self.handle.name}: one value", BACKUP_VALUE, "one value in a backup")
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.handle.seek(offset, whence)

    def __enter__(self) -> _Watched:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.handle.close()


def _check_row(path: Path, prefix: str, event: str, counts: dict[str, int]) -> None:
    """One event inside 'tables': each table a list, each row an object."""
    table, _, rest = prefix[len("tables.") :].partition(".")
    if table not in counts:  # a name with a dot in it: no table has one
        raise Invalid(f"{path.name}: 'tables' holds an unknown table {table!r}")
    if not rest:
        if event not in ("start_array", "end_array"):
            raise Invalid(f"{path.name}: table {table!r} must be a list of rows")
    elif event == "start_map":
        counts[table] += 1
    elif event not in ("map_key", "end_map"):
        raise Invalid(f"{path.name}: table {table!r} row {counts[table] + 1} is not an object")


def _rows(path: Path, table: str) -> Iterator[dict[str, Any]]:
    import ijson

    with open_import(path, limit=BACKUP_FILE, what="a backup") as handle:
        _skip_bom(handle)
        yield from ijson.items(handle, f"tables.{table}.item", use_float=True)


def _skip_bom(handle: Any) -> None:
    if handle.read(3) != b"\xef\xbb\xbf":
        handle.seek(0)


def _first_line(exc: Exception) -> str:
    """The parser's own words, first line only (the next ones quote the file)."""
    said = exc.args[0] if exc.args else ""
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    return (text.strip().splitlines() or ["unreadable"])[0].strip()
