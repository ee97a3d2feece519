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

FORMAT = "netcli-backup"
VERSION = 1
MAX_BACKUP_BYTES = 16 * 2**30  # read a row at a time, so far more than other imports


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


def read(path: Path) -> dict[str, Iterable[dict[str, Any]]]:
    """The tables of a backup file, each as rows read from the file when
    wanted (never the whole file at once: a million interactions), or Invalid
    saying what is wrong with it. One pass checks the whole document first."""
    import ijson

    counts: dict[str, int] = {}
    found: dict[str, Any] = {}
    with open_import(path, limit=MAX_BACKUP_BYTES) as handle:
        _skip_bom(handle)
        try:
            for prefix, event, value in ijson.parse(handle, use_float=True):
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
    return {name: (_rows(path, name) if n else []) for name, n in counts.items()}


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

    with open_import(path, limit=MAX_BACKUP_BYTES) as handle:
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
