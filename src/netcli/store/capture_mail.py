"""Captured mail into interactions: one `message` per thread and day.

Each message's key is kept (`m:` + Message-ID) so that none counts twice, in
any file, in any order; each thread-day's key (`t:` + thread + day) holds its
interaction, which a later message of that thread and day joins (contacts
added, direction `both`, the earliest message's subject). A thread-day the
user unlogged stays gone. Mail is never swept: a message deleted from the
archive, or moved to another folder, leaves its interaction as it was.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import insert, select
from sqlmodel import Session, col

from netcli.models import CaptureFile, CaptureKey, Interaction, Participant
from netcli.scan import Found
from netcli.store.bulk import allocate_ids
from netcli.store.capture import BATCH, KEY_BATCH, Capture, Kept
from netcli.store.rows import table_of


class Mailed(NamedTuple):
    """One message with contacts: its key (Message-ID), its thread, the day,
    the subject, the contacts, `sent` or `received`, and when it was written
    (seconds since the epoch: the day's first message names the thread-day)."""

    key: str
    thread: str
    date: dt.date
    note: str | None
    contacts: tuple[int, ...]
    direction: str
    stamp: int


class MailCapture(Capture):
    """One mail capture inside the caller's transaction (see the module's
    docstring): `to_read_from`, then per file `begin`, `add_message` for
    each message with contacts, `read_to`, `end`; then `finish`."""

    sweeps = False

    def __init__(self, session: Session, **kwargs: Any) -> None:
        super().__init__(session, source="mail", **kwargs)
        self.mailed: list[tuple[int, Mailed]] = []

    def to_read_from(
        self, found: Sequence[Found], context: str, *, fingerprint: Callable[[Found, int], str]
    ) -> list[tuple[Found, int]]:
        """The files to read and the byte to start at: an mbox that only grew
        since it was read (same context, its first and last bytes read the
        same) is read from where the last capture stopped."""
        wanted: list[tuple[Found, int]] = []
        for item in found:
            if not self._needs_reading(item, context):
                continue
            row = self.files.get(str(item.path))
            position = row["position"] if row is not None else None
            grew = (
                row is not None
                and position
                and (row["context"], row["since_on"]) == (context, self.since)
                and item.size >= position
                and row["head"] == fingerprint(item, position)
            )
            wanted.append((item, (position or 0) if grew else 0))
        fresh = sum(1 for item, _ in wanted if str(item.path) not in self.files)
        self._ids = allocate_ids(self.session, table_of(CaptureFile), fresh)[::-1]
        return wanted

    def folder_unchanged(self, folder: Path, fingerprint: str | None, context: str) -> int | None:
        """How many files are known under a folder when it is as it was last
        read (same fingerprint, context and `since`); None when it must be listed."""
        key = _folder_key(folder)
        row = self.files.get(key)
        if (
            fingerprint is None
            or row is None
            or (row["head"], row["context"], row["since_on"])
            != (
                fingerprint,
                context,
                self.since,
            )
        ):
            return None
        return sum(1 for path in self.files if path.startswith(key) and not path.endswith(os.sep))

    def remember_folder(self, folder: Path, fingerprint: str | None, context: str) -> str:
        """Keep a folder's fingerprint, taken before it was listed; the key it is kept under."""
        key = _folder_key(folder)
        values = {"context": context, "since_on": self.since, "head": fingerprint}
        row = self.files.get(key)
        if row is None:  # written at once: the ids of the files found next are allocated after it
            (new_id,) = allocate_ids(self.session, table_of(CaptureFile), 1)
            row = {"id": new_id, "source": self.source, "path": key, "size": 0, "mtime_ns": 0, "due_on": None}
            row |= values | {"position": None}
            self.session.connection().execute(insert(table_of(CaptureFile)), [row])
            self.files[key] = row
        else:
            row.update(values)
            self._read_again[row["id"]] = row
        return key

    def read_to(self, position: int | None, head: str | None) -> None:
        """Where the file begun last was read to, and its fingerprint there."""
        self._current["position"], self._current["head"] = position, head

    def add_message(self, file_id: int, mailed: Mailed) -> None:
        self.mailed.append((file_id, mailed))
        if len(self.mailed) >= BATCH:
            self.flush()

    def flush(self) -> None:
        super().flush()
        batch, self.mailed = self.mailed, []
        if not batch:
            return
        conn = self.session.connection()
        fresh: dict[str, tuple[int, Mailed]] = {}
        for file_id, mailed in batch:
            if f"m:{mailed.key}" in fresh:
                self.counts["already"] += 1
            else:
                fresh[f"m:{mailed.key}"] = (file_id, mailed)
        known = self._known(list(fresh))
        for key in known:
            del fresh[key]
        self.counts["already"] += len(known)
        if not fresh:
            return
        days: dict[str, list[Mailed]] = {}
        file_of: dict[str, int] = {}
        for file_id, mailed in fresh.values():
            days.setdefault(_day_key(mailed), []).append(mailed)
            file_of.setdefault(_day_key(mailed), file_id)
        anchors = {row.key: row for row in self._rows(list(days))}
        logged = [key for key in days if key not in anchors]
        self._merge(days, anchors)
        if logged:
            self._insert([(file_of[key], _thread_day(key, days[key]), str(_first(days[key]).stamp)) for key in logged])
        conn.execute(
            insert(CaptureKey),
            [
                {"source": self.source, "key": key, "thread": _day_key(m), "file_id": fid,
                 "interaction_id": None, "date": m.date, "digest": ""}
                for key, (fid, m) in fresh.items()
            ],
        )  # fmt: skip

    def _known(self, keys: list[str]) -> set[str]:
        return {row.key for row in self._rows(keys)}

    def _rows(self, keys: list[str]) -> list[Any]:
        conn = self.session.connection()
        rows: list[Any] = []
        for start in range(0, len(keys), KEY_BATCH):
            query = select(table_of(CaptureKey)).where(
                col(CaptureKey.source) == self.source, col(CaptureKey.key).in_(keys[start : start + KEY_BATCH])
            )
            rows += conn.execute(query)
        return rows

    def _merge(self, days: Mapping[str, list[Mailed]], anchors: Mapping[str, Any]) -> None:
        """New messages of thread-days logged before: their contacts and
        direction join the interaction; the earliest message names it."""
        live = {key: row for key, row in anchors.items() if row.interaction_id is not None}
        self.counts["already"] += sum(len(days[key]) for key, row in anchors.items() if row.interaction_id is None)
        if not live:
            return
        conn = self.session.connection()
        ids = [row.interaction_id for row in live.values()]
        held: dict[int, tuple[str | None, str | None]] = {}
        people: dict[int, set[int]] = {}
        for start in range(0, len(ids), KEY_BATCH):
            chunk = ids[start : start + KEY_BATCH]
            query = select(col(Interaction.id), col(Interaction.note), col(Interaction.direction))
            held.update(
                (iid, (note, direction))
                for iid, note, direction in conn.execute(query.where(col(Interaction.id).in_(chunk)))
            )
            members = select(col(Participant.interaction_id), col(Participant.contact_id)).where(
                col(Participant.interaction_id).in_(chunk)
            )
            for iid, cid in conn.execute(members):
                people.setdefault(iid, set()).add(cid)
        for key, row in live.items():
            iid = row.interaction_id
            note, direction = held.get(iid, (None, None))
            contacts = people.get(iid, set())
            first = _first(days[key])
            earliest = int(row.digest) if row.digest.isdigit() else None
            if earliest is None or first.stamp < earliest:
                note, earliest = first.note, first.stamp
            merged = Kept(
                key, first.thread, row.date, "message", note,
                tuple(sorted(contacts.union(*(m.contacts for m in days[key])))),
                _both(direction, *(m.direction for m in days[key])),
            )  # fmt: skip
            if (merged.note, set(merged.contacts), merged.direction) == (
                held.get(iid, (None, None))[0],
                contacts,
                direction,
            ):
                self.counts["already"] += len(days[key])
                continue
            self._update(iid, merged, str(earliest), row.file_id)


def _folder_key(folder: Path) -> str:
    """A folder's row among the files: its path with a separator after it, which no file has."""
    return str(folder).rstrip(os.sep) + os.sep


def _day_key(mailed: Mailed) -> str:
    return f"t:{mailed.thread}/{mailed.date.isoformat()}"


def _first(messages: Sequence[Mailed]) -> Mailed:
    return min(messages, key=lambda m: (m.stamp, m.key))


def _both(*directions: str | None) -> str:
    seen = {d for d in directions if d}
    return "both" if "both" in seen or len(seen) > 1 else seen.pop()


def _thread_day(key: str, messages: Sequence[Mailed]) -> Kept:
    first = _first(messages)
    contacts = tuple(sorted(set().union(*(m.contacts for m in messages))))
    return Kept(key, first.thread, first.date, "message", first.note, contacts, _both(*(m.direction for m in messages)))
