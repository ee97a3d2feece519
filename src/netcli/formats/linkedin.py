"""LinkedIn's `Connections.csv`, as its data export writes it.

The export starts with a few lines of notes before the real header
(`First Name,Last Name,URL,Email Address,Company,Position,Connected On`);
`Connected On` reads like `28 Nov 2026`; emails are often empty.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

from netcli.formats import Parsed, read_parsed
from netcli.reading import LINKEDIN_FILE


def read(path: Path) -> list[Parsed]:
    return read_parsed(path, parse, limit=LINKEDIN_FILE, what="a LinkedIn export")


def _date(text: str) -> date | None:
    for fmt in ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%Y", "%b %d, %Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def connection(
    *, name: str, email: str | None, url: str | None, org: str | None, role: str | None, met_on: date | None
) -> dict[str, Any]:
    """A connection as a contact record for the one writer (`import linkedin`
    and `capture linkedin`)."""
    return {
        "name": name,
        "email": email,
        "url": url,
        # the profile as a handle too: it fills beside a URL of their own (a conflict), and messages find them by it
        "handles": [f"linkedin:{url}"] if url else [],
        "org": org,
        "role": role,
        "via": "social",
        "met_at": "LinkedIn",
        "met_on": met_on,
        # how you met, for someone new; no claim about someone you know already
        "only_new": ["via", "met_at", "met_on"],
        # the company and position they hold now: a different one held is a job change
        "current": ["org", "role"],
    }


def parse(text: str, *, source: str) -> list[Parsed]:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().strip('"').lower().startswith("first name")), None)
    if start is None:
        return [
            Parsed(
                source, 1, error="no 'First Name,Last Name,...' header: is this LinkedIn's Connections.csv?", whole=True
            )
        ]
    reader = csv.reader(io.StringIO("\n".join(lines[start:])))
    header = [h.strip().lower() for h in next(reader)]
    column = {name: header.index(name) for name in header}
    parsed: list[Parsed] = []
    for offset, row in enumerate(reader, start=start + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            parsed.append(Parsed(source, offset, error=f"expected {len(header)} columns, found {len(row)}"))
            continue

        def cell(name: str, row: list[str] = row) -> str | None:  # bound now: this row's cells
            index = column.get(name)
            value = row[index].strip() if index is not None else ""
            return value or None

        name = " ".join(filter(None, (cell("first name"), cell("last name"))))
        if not name:
            parsed.append(Parsed(source, offset, error="no first or last name"))
            continue
        connected = cell("connected on")
        met_on = _date(connected) if connected else None
        if connected and met_on is None:
            parsed.append(
                Parsed(source, offset, error=f"cannot read the date {connected!r} (expected like 28 Nov 2026)")
            )
            continue
        parsed.append(
            Parsed(
                source,
                offset,
                record=connection(
                    name=name,
                    email=cell("email address"),
                    url=cell("url"),
                    org=cell("company"),
                    role=cell("position"),
                    met_on=met_on,
                ),
            )
        )
    return parsed
