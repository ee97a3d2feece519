"""The JSON backup: every table, every row, as `export json` writes it.

Deterministic (rows by primary key, no timestamp), so exporting, restoring
into an empty database and exporting again gives the same document.
"""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

from netcli.errors import Invalid
from netcli.formats import MAX_IMPORT_BYTES, read_text

FORMAT = "netcli-backup"
VERSION = 1


def document(tables: dict[str, list[dict[str, Any]]], *, schema: str) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "schema": schema, "tables": tables}


# compact, so the C encoder writes it: a backup of a million interactions stays quick
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def chunks(tables: Iterable[tuple[str, Iterable[dict[str, Any]]]], *, schema: str) -> Iterator[str]:
    """The backup's text (`document` as compact JSON, keys sorted, then a
    newline) in pieces, from tables read a row at a time: never held whole
    (a million interactions)."""
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


def read(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The tables of a backup file, or Invalid saying what is wrong with it.
    Read whole: up to MAX_IMPORT_BYTES (a network of about 100,000 people
    with a million interactions exports a little more)."""
    if path.is_file() and path.stat().st_size > MAX_IMPORT_BYTES:
        raise Invalid(f"{path.name} is larger than the {MAX_IMPORT_BYTES // 2**20} MB import json restores; for a network "
                      "this large keep copies with 'netcli db backup' (or 'netcli db copy --to' a server)")  # fmt: skip
    text, problem = read_text(path)
    if problem is not None:
        raise Invalid(f"{problem.where}: {problem.error}")
    assert text is not None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Invalid(f"{path.name} line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise Invalid(f"{path.name} is not a netcli backup (made by 'netcli export json')")
    if doc.get("version") != VERSION:
        raise Invalid(f"{path.name} is a version {doc.get('version')} backup; this netcli reads version {VERSION}")
    tables = doc.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(rows, list) and all(isinstance(r, dict) for r in rows) for rows in tables.values()
    ):
        raise Invalid(f"{path.name}: 'tables' must map table names to lists of rows")
    return tables
