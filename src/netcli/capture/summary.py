"""What one capture did, typed: the contract's summary document (section
8). `render.to_json` writes any dataclass as its fields, in order, so this
is also its JSON: `{files, unchanged, read, logged, updated, removed,
already, skipped: {...}, suggestions: [{name, email, messages, sent, last,
command}], dry_run}`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Suggestion:
    """Someone the user writes with who is not a contact, and the command adding them."""

    name: str
    email: str
    messages: int
    sent: int
    last: dt.date
    command: str


@dataclass(frozen=True)
class Summary:
    """Files seen (and of them unchanged since the last capture, not read
    again), records read, what became of them, what was skipped and why
    (every reason of `capture.match.SKIP_REASONS`, zero or not)."""

    files: int
    unchanged: int
    read: int
    logged: int
    updated: int
    removed: int
    already: int
    skipped: dict[str, int]
    suggestions: list[Suggestion] = field(default_factory=list)
    dry_run: bool = False
