"""Spreadsheets: contacts CSV (header = contact JSON keys) and interactions CSV
(`date,kind,contacts,note,topics`), in and out. Cells that a spreadsheet
would run as a formula are defused on the way out."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from netcli.formats import Parsed, open_import
from netcli.reading import CSV_RECORD, Capped, size_text
from netcli.wording import plural

CONTACT_COLUMNS = (
    "name",
    "email",
    "emails",  # every address, `;`-joined as tags are; `email` repeats the first
    "phone",
    "phones",  # every number, `;`-joined; `phone` repeats the first
    "org",
    "role",
    "location",
    "url",
    "via",
    "met_at",
    "met_on",
    "introduced_by",
    "tier",
    "cadence_days",
    "tags",
    "topics",
    "note",
    "archived",
    "birthday",
    "handles",  # chat identities (KIND:VALUE), `;`-joined: last, so the older columns keep their places
)
# written by `export csv` and accepted back, but computed, so ignored on import
COMPUTED_COLUMNS = ("id", "interactions", "last_contact", "next_due", "cadence_source", "status")
INTERACTION_COLUMNS = ("date", "kind", "contacts", "note", "topics")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TOO_LONG = f"a row longer than {size_text(CSV_RECORD)}, the limit for one CSV row; the rows after it were not read"


class _BadBytes(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _TooLong(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Lines:
    """The file's lines as text, one at a time, naming the line that is not
    UTF-8; `_TooLong` once the record being read (the lines since `row_done`)
    passes `CSV_RECORD`, so that neither one line nor a cell holding line
    breaks is ever held past it."""

    def __init__(self, handle: Capped) -> None:
        self.handle, self.number, self.record = handle, 0, 0

    def row_done(self) -> None:
        self.record = 0

    def __iter__(self) -> Iterator[str]:
        while raw := self.handle.readline(CSV_RECORD + 1):
            self.number += 1
            self.record += len(raw)
            if self.record > CSV_RECORD:
                raise _TooLong(self.number)
            if self.number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                raise _BadBytes(self.number) from None


def iter_rows(
    path: Path, known: Sequence[str], required: Sequence[str], ignored: Sequence[str] = ()
) -> Iterator[Parsed]:
    """Each data row as a Parsed record (cells as text) or a line-numbered
    error, streamed: a file of millions of rows never sits in memory."""
    source = path.name
    with open_import(path) as handle:
        lines = _Lines(handle)
        reader = csv.reader(lines)
        try:
            header = next(reader)
        except StopIteration:
            yield Parsed(source, 1, error="the file is empty; it needs a header row", whole=True)
            return
        except _BadBytes as bad:
            yield Parsed(source, bad.line, error="not UTF-8 text; save the file as UTF-8 and import it again")
            return
        except _TooLong as long:
            yield Parsed(source, long.line, error=TOO_LONG)
            return
        except csv.Error as exc:
            yield Parsed(source, 1, error=f"not a readable CSV header: {exc}", whole=True)
            return
        names = [h.strip().lower() for h in header]
        unknown = [n for n in names if n not in known and n not in ignored]
        missing = [n for n in required if n not in names]
        if unknown or missing:
            parts = []
            if unknown:  # a file of another kind may have a first line of any length: a few, each short
                cut = [name if len(name) <= 40 else name[:39] + "…" for name in unknown[:5]]
                named = ", ".join(cut) + (" and more" if len(unknown) > 5 else "")
                parts.append(f"unknown {plural('column', len(unknown))} {named}")
            if missing:
                parts.append(f"missing {plural('column', len(missing))} {', '.join(missing)}")
            yield Parsed(source, 1, error="; ".join(parts) + f"; the columns are {', '.join(known)}", whole=True)
            return
        while True:
            line = reader.line_num + 1
            lines.row_done()
            try:
                row = next(reader)
            except StopIteration:
                return
            except _BadBytes as bad:
                yield Parsed(source, bad.line, error="not UTF-8 text; save the file as UTF-8 and import it again")
                return
            except _TooLong:
                yield Parsed(source, line, error=TOO_LONG)
                return
            except csv.Error as exc:
                yield Parsed(source, line, error=f"unreadable CSV: {exc}")
                return
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                yield Parsed(source, line, error=f"expected {len(names)} columns, found {len(row)}")
                continue
            record = {  # a cell without a quote cannot hold one `safe_cell` put first (most cells: at once)
                n: c.strip() if "'" not in c else unescape_cell(c.lstrip()).strip()
                for n, c in zip(names, row, strict=False)
                if n not in ignored
            }
            yield Parsed(source, line, record=record)


def split_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


def read_contacts(path: Path) -> Iterator[Parsed]:
    """Rows of a contacts CSV, still as text: the store validates each value."""
    return iter_rows(path, CONTACT_COLUMNS, ("name",), COMPUTED_COLUMNS)


def read_interactions(path: Path) -> Iterator[Parsed]:
    return iter_rows(path, INTERACTION_COLUMNS, ("date", "kind", "contacts"))


def _quoted(text: str) -> bool:
    """A quote that `safe_cell` put there: before a formula character or a quote."""
    return text.startswith("'") and len(text) > 1 and text[1] in (*FORMULA_START, "'")


def unescape_cell(text: str) -> str:
    """Undo `safe_cell`: the quote it put first comes off."""
    return text[1:] if _quoted(text) else text


def safe_cell(value: Any) -> str:
    """Text a spreadsheet shows as text: a leading formula character gets a
    quote, and so does text that already starts with one (so that "'=x"
    comes back as "'=x", not "=x")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(FORMULA_START) or _quoted(text) else text


def write_rows(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The CSV text, a thousand rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for number, row in enumerate(rows, 1):
        writer.writerow([safe_cell(row.get(c)) for c in columns])
        if number % 1_000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
