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


@dataclass(frozen=True)
class Suggestion:
    """Someone the user writes with who is not a contact yet (capture mail),
    and the command adding them, every word quoted for the shell."""

    name: str
    email: str
    messages: int
    sent: int
    last: dt.date
    command: str


@dataclass(frozen=True)
class CaptureCounts:
    """What every capture counts (contract section 8): files seen (and of
    them unchanged since the last capture, not read again), records read,
    what became of them, what was skipped and why (every reason, zero or not)."""

    files: int
    unchanged: int
    read: int
    logged: int
    updated: int
    removed: int
    already: int
    skipped: dict[str, int]


@dataclass(frozen=True)
class CaptureSummary(CaptureCounts):
    """The summary of `capture calendar` and `capture mail`: the counts,
    suggestions, and whether it was a dry run."""

    suggestions: list[Suggestion] = field(default_factory=list)
    dry_run: bool = False


@dataclass(frozen=True)
class ChatSuggestion:
    """Someone the user writes with in direct chats who is not a contact
    yet (capture chat), and the command adding them with their handle."""

    name: str
    handle: str | None
    email: str | None
    messages: int
    sent: int
    last: dt.date | None
    command: str


@dataclass(frozen=True)
class ChatGroup:
    """A large group or channel read by capture chat: the user's posts kept
    for it, its community, and, when it has none, the command linking it."""

    chat: str
    name: str
    app: str
    posts: int
    community: str | None
    command: str | None


@dataclass(frozen=True)
class ChatSummary(CaptureCounts):
    """The summary of `capture chat` and `capture linkedin` (contract
    sections 8 and 12): the counts (`skipped.group` added), chat
    suggestions, and the large groups read."""

    suggestions: list[ChatSuggestion] = field(default_factory=list)
    groups: list[ChatGroup] = field(default_factory=list)
    dry_run: bool = False


@dataclass(frozen=True)
class JobChangeSeen:
    """A contact's new company or position, and the one held before."""

    name: str
    org: str | None
    role: str | None
    org_before: str | None
    role_before: str | None


@dataclass(frozen=True)
class LinkedInSummary(ChatSummary):
    """The summary of `capture linkedin`: `ChatSummary`'s (its messages), and
    the connections read, added as contacts, and filled in (with the conflicts
    left as they are and the job changes seen)."""

    connections: int = 0
    added: int = 0
    filled: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # added beside others of their name, as import says
    job_changes: list[JobChangeSeen] = field(default_factory=list)


@dataclass
class SyncSummary:
    """The summary of `sync vdir` (contract section 9), and the lists behind its counts."""

    folder: str = ""
    cards: int = 0
    contacts: int = 0
    added_here: int = 0
    added_there: int = 0
    updated_here: int = 0
    updated_there: int = 0
    conflicts: int = 0
    archived: int = 0
    deleted_there: int = 0
    unparsable: int = 0
    waiting_delete: int = 0
    conflict_list: list[dict[str, Any]] = field(default_factory=list)
    unparsable_list: list[dict[str, str]] = field(default_factory=list)
    changes: list[dict[str, str]] = field(default_factory=list)
    dry_run: bool = False


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
