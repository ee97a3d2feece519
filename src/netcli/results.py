"""What commands hand back, typed: the summaries of imports (and the
conflicts every door reports), and `document`, the one function that turns
any of them into the JSON document `--json` prints. Pure data; imports
nothing of netcli.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


@dataclass(frozen=True)
class Conflict:
    """A value a source gave that differs from the one held: neither side
    is changed (unless the source is preferred). `here` is netcli's value,
    `there` the source's."""

    contact: str
    field: str
    here: Any
    there: Any
    contact_id: int | None = None
    why: str | None = None


@dataclass
class ImportSummary:
    """The summary of every import (contract section 15), and what a dry run predicts."""

    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    bad: int = 0
    problems: list[str] = field(default_factory=list)
    dry_run: bool = False
    restored: dict[str, int] | None = None  # `import json` into an empty database: rows per table
    skipped_tables: list[str] = field(default_factory=list)  # `import json` into a database that holds something


def document(value: Any) -> Any:
    """A result as JSON-ready data: dataclasses as objects (their fields in
    order, `None` kept), enums as their values, dates as `YYYY-MM-DD`, tuples
    and sets as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: document(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): document(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [document(v) for v in value]
    return value
