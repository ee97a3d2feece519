"""Captured mail into interactions: one `message` per thread and day.

Each message's key is kept (`m:` + Message-ID) so that none counts twice, in
any file, in any order; each thread-day's key (`t:` + thread + day) holds its
interaction, which a later message of that thread and day joins (contacts
added, direction `both`, the earliest message's subject). Every thread-day
keeps its parties (address keys, and who wrote): one with no contact yet
waits, and is logged once one of them becomes a contact, without the
archives being read again (`Capture.rematch`). A thread-day the user
unlogged stays gone. Mail is never swept: a message deleted from the
archive, or moved to another folder, leaves its interaction as it was.
What the user exchanged with each address is counted as messages are first
seen (`capture_correspondent`): suggestions are made from everything captured.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import insert, select, update
from sqlmodel import Session

from netcli.addresses import MyAddresses
from netcli.models import CaptureCorrespondent, CaptureFile, CaptureKey, Interaction, Participant
from netcli.scan import Found
from netcli.store.bulk import allocate_ids
from netcli.store.capture import BATCH, KEY_BATCH, Kept
from netcli.store.capture_parties import PartyCapture
from netcli.store.rows import as_date, col, table_of


class Party(NamedTuple):
    """Someone in a message other than the user: the matching key of their
    address, the address and name as written, whether they wrote it, and
    whether it counts as mail exchanged with them (a received message for
    its sender, a sent one for each recipient)."""

    key: str
    address: str
    name: str | None
    wrote: bool
    counted: bool


class Mailed(NamedTuple):
    """One message of a conversation: its key (Message-ID), its thread, the
    day, the subject, the people in it but the user, `sent` or `received`,
    and when it was written (seconds since the epoch: the day's first
    message names the thread-day)."""

    key: str
    thread: str
    date: dt.date
    note: str | None
    parties: tuple[Party, ...]
    direction: str
    stamp: int


class MailCapture(PartyCapture):
    """One mail capture inside the caller's transaction (see the module's
    docstring): `rematch`, `to_read_from`, then per file `begin`,
    `add_message` for each message of a conversation, `read_to`, `end`;
    then `finish` and `suggestions`. `holders`: address key -> contact."""

    sweeps = False

    def __init__(self, session: Session, *, holders: Mapping[str, int], **kwargs: Any) -> None:
        super().__init__(session, source="mail", **kwargs)
        self.holders = holders
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
                self._already(mailed)
            else:
                fresh[f"m:{mailed.key}"] = (file_id, mailed)
        for key in self._known(list(fresh)):
            self._already(fresh.pop(key)[1])
        if not fresh:
            return
        self._count([mailed for _, mailed in fresh.values()])
        days: dict[str, list[Mailed]] = {}
        file_of: dict[str, int] = {}
        for file_id, mailed in fresh.values():
            days.setdefault(_day_key(mailed), []).append(mailed)
            file_of.setdefault(_day_key(mailed), file_id)
        anchors = {row.key: row for row in self._rows(list(days))}
        stored = self.parties_of(list(anchors))
        parties: dict[str, dict[str, bool]] = {}
        new_parties: dict[str, dict[str, bool]] = {}
        now_wrote: list[tuple[str, str]] = []
        for key, messages in days.items():
            before = stored.get(key, {})
            merged = dict(before)
            for mailed in messages:
                for party in mailed.parties:
                    merged[party.key] = merged.get(party.key, False) or party.wrote
            parties[key] = merged
            new_parties[key] = {p: w for p, w in merged.items() if p not in before}
            now_wrote += [(key, p) for p, w in merged.items() if w and p in before and not before[p]]
        made = [self._thread_day(key, days[key], parties[key]) for key in days if key not in anchors]
        waiting = [self._waiting_row(kept, days[kept.key], file_of[kept.key]) for kept in made if not kept.contacts]
        if waiting:
            conn.execute(insert(CaptureKey), waiting)
        self._merge(days, anchors, parties)
        if len(waiting) < len(made):
            first = [(kept, _first(days[kept.key]).stamp) for kept in made if kept.contacts]
            self._insert([(file_of[kept.key], kept, str(stamp)) for kept, stamp in first])
        self.keep_parties({key: p for key, p in new_parties.items() if p}, now_wrote)
        conn.execute(
            insert(CaptureKey),
            [
                {"source": self.source, "key": key, "thread": _day_key(m), "file_id": fid,
                 "interaction_id": None, "date": m.date, "digest": "", "note": None, "direction": None,
                 "waiting": False}
                for key, (fid, m) in fresh.items()
            ],
        )  # fmt: skip

    def _contacts(self, parties: Mapping[str, bool]) -> tuple[int, ...]:
        return tuple(sorted({self.holders[p] for p in parties if p in self.holders}))

    def _thread_day(self, key: str, messages: Sequence[Mailed], parties: Mapping[str, bool]) -> Kept:
        first = _first(messages)
        direction = _both(*(m.direction for m in messages))
        return Kept(key, first.thread, first.date, "message", first.note, self._contacts(parties), direction)

    def _with_contact(self, mailed: Mailed) -> bool:
        """Whether a contact is in the message (if not, the capture counted it `no_contact`)."""
        return any(party.key in self.holders for party in mailed.parties)

    def _already(self, mailed: Mailed) -> None:
        self.counts["already"] += self._with_contact(mailed)

    def _waiting_row(self, kept: Kept, messages: Sequence[Mailed], file_id: int) -> dict[str, Any]:
        """A thread-day with no contact yet, kept to be logged once one of its parties is."""
        return {
            "source": self.source, "key": kept.key, "thread": kept.thread, "file_id": file_id, "interaction_id": None,
            "date": kept.date, "digest": str(_first(messages).stamp), "note": kept.note, "direction": kept.direction,
            "waiting": True,
        }  # fmt: skip

    def _known(self, keys: list[str]) -> set[str]:
        return {row.key for row in self._rows(keys)}

    def _merge(
        self, days: Mapping[str, list[Mailed]], anchors: Mapping[str, Any], parties: Mapping[str, Mapping[str, bool]]
    ) -> None:
        """New messages of thread-days kept before: their contacts and
        direction join the interaction (one waiting for a contact is logged
        once it has one); the earliest message names it. A thread-day the
        user unlogged stays gone."""
        for key, row in anchors.items():
            if row.interaction_id is None and not row.waiting:
                self.counts["already"] += sum(map(self._with_contact, days[key]))
        waited = {key: row for key, row in anchors.items() if row.waiting}
        adopted: list[tuple[int, Kept, str]] = []
        changed: list[dict[str, Any]] = []
        for key, row in waited.items():
            first = _first(days[key])
            earliest = int(row.digest) if row.digest.isdigit() else None
            note = row.note
            if earliest is None or first.stamp < earliest:
                note, earliest = first.note, first.stamp
            direction = _both(row.direction, *(m.direction for m in days[key]))
            if contacts := self._contacts(parties[key]):
                kept = Kept(key, row.thread, row.date, "message", note, contacts, direction)
                adopted.append((row.file_id, kept, str(earliest)))
            else:
                changed.append({"source": self.source, "key": key, "note": note, "direction": direction,
                                "digest": str(earliest)})  # fmt: skip
        self._rewrite_keys(changed)
        if adopted:
            self._insert(adopted, waited=True)
        live = {key: row for key, row in anchors.items() if row.interaction_id is not None}
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
            written, way = held.get(iid, (None, None))
            present = people.get(iid, set())
            first = _first(days[key])
            name, earliest = written, int(row.digest) if row.digest.isdigit() else None
            if earliest is None or first.stamp < earliest:
                name, earliest = first.note, first.stamp
            merged = Kept(
                key, first.thread, row.date, "message", name,
                tuple(sorted(present.union(self._contacts(parties[key])))),
                _both(way, *(m.direction for m in days[key])),
            )  # fmt: skip
            if (merged.note, set(merged.contacts), merged.direction) == (written, present, way):
                self.counts["already"] += sum(map(self._with_contact, days[key]))
                continue
            self._update(iid, merged, str(earliest), row.file_id)

    # --- what the user exchanged with whom: suggestions ---------------------------------------

    def _count(self, messages: Sequence[Mailed]) -> None:
        """Add messages seen for the first time to the counts per address."""
        seen: dict[str, Correspondent] = {}
        for mailed in messages:
            for party in mailed.parties:
                if party.counted:
                    one = Correspondent(party.address, party.name, 1, int(mailed.direction == "sent"), mailed.date)
                    seen[party.key] = _plus(seen[party.key], one) if party.key in seen else one
        if not seen:
            return
        conn = self.session.connection()
        table = table_of(CaptureCorrespondent)
        keys = list(seen)
        known: dict[str, Correspondent] = {}
        for start in range(0, len(keys), KEY_BATCH):
            query = select(table).where(
                table.c.source == self.source, table.c.party.in_(keys[start : start + KEY_BATCH])
            )
            known.update(
                (row.party, Correspondent(row.address, row.name, row.messages, row.sent, as_date(row.last)))
                for row in conn.execute(query)
            )
        fresh = [{"source": self.source, "party": key, **c._asdict()} for key, c in seen.items() if key not in known]
        if fresh:
            conn.execute(insert(table), fresh)
        grown = [{"p": key, **_plus(known[key], c)._asdict()} for key, c in seen.items() if key in known]
        if grown:
            from sqlalchemy import bindparam

            conn.execute(
                update(table)
                .where(table.c.source == self.source, table.c.party == bindparam("p"))
                .values({column: bindparam(column) for column in Correspondent._fields}),
                grown,
            )

    def suggestions(
        self, mine: MyAddresses, *, least: int, limit: int, settable: Callable[[str], bool]
    ) -> list[Correspondent]:
        """The people the user exchanged at least `least` messages with, one
        of them sent by the user, over everything captured, who are neither
        contacts nor the user, and whose address is `settable` on a contact:
        most messages first, then the latest."""
        table = table_of(CaptureCorrespondent)
        query = (
            select(table)
            .where(table.c.source == self.source, table.c.messages >= least, table.c.sent > 0)
            .order_by(table.c.messages.desc(), table.c.last.desc(), table.c.party)
        )
        found: list[Correspondent] = []
        for row in self.session.connection().execute(query):
            if row.party in self.holders or row.party in mine.keys or not settable(row.address):
                continue
            found.append(Correspondent(row.address, row.name, row.messages, row.sent, as_date(row.last)))
            if len(found) >= limit:
                break
        return found


class Correspondent(NamedTuple):
    """Someone the user exchanges mail with: as last written, and how much."""

    address: str
    name: str | None
    messages: int
    sent: int
    last: dt.date


def _plus(before: Correspondent, more: Correspondent) -> Correspondent:
    """Two counts of one person as one: the later one's address and name (a name once known is kept)."""
    early, late = (before, more) if more.last >= before.last else (more, before)
    return Correspondent(
        late.address, late.name or early.name, before.messages + more.messages, before.sent + more.sent, late.last
    )


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
