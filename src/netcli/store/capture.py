"""Captured records into interactions, idempotently.

Every record a source keeps has a key (`capture_key`): a key seen before is
`already` logged, or `updated` when what the file says of it changed; a key
the user unlogged stays gone; a key a file no longer gives is `removed`
with its interaction. Files are remembered (`capture_file`) so that one
unchanged since it was last read in the same context is not read again.
New interactions go in a few thousand at a time through the bulk path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session

from netcli.addresses import MyAddresses
from netcli.models import CaptureFile, CaptureKey, CaptureSession, ContactEmail, Interaction, Participant
from netcli.scan import Found, under
from netcli.store.bulk import allocate_ids, bulk_load, insert_interactions
from netcli.store.clean import MAX_NOTE
from netcli.store.rows import as_date, col, table_of
from netcli.text import plain_line

BATCH = 2_000  # records looked up and written per round: few statements, bounded memory
KEY_BATCH = 900  # keys per IN (...) list


class Kept(NamedTuple):
    """A record to be an interaction: its key, the day, the people (contact ids)."""

    key: str
    thread: str | None
    date: dt.date
    kind: str
    note: str | None
    contacts: tuple[int, ...]
    direction: str | None = None


# what a change reports to the caller (a dry run lists them): "logged", "updated" or "removed", the record
Report = Callable[[str, Kept], None]


def address_holders(session: Session) -> dict[str, int]:
    """Every contact address by its matching key -> the contact holding it."""
    query = select(col(ContactEmail.address_key), col(ContactEmail.contact_id)).order_by(
        col(ContactEmail.contact_id).desc()
    )
    return {key: cid for key, cid in session.connection().execute(query)}


def context_digest(holders: Mapping[str, int] | None, mine: MyAddresses, *settings: object) -> str:
    """What a file's captured records depend on besides the file: when it
    changes (the user's own addresses, a setting; and, for a source that
    keeps no parties, `holders`: a new contact, an address), every file is
    read again."""
    digest = hashlib.sha256()
    digest.update(book_digest(holders).encode() if holders is not None else b"-")
    digest.update(repr((sorted(mine.keys), settings)).encode())
    return digest.hexdigest()[:32]


def clean_note(text: str | None) -> str | None:
    """A summary or subject as an interaction's note: one line as every
    door stores it (`text.plain_line`: nothing that steers a terminal), not too long."""
    if not text:
        return None
    return plain_line(text)[:MAX_NOTE] or None


class Capture:
    """One capture of one source (calendar, mail) inside the caller's
    transaction: `to_read` says which files to read; then, per file,
    `begin`, `add` for each record, `end`; then `finish` once. Rows are
    written a few thousand at a time, whatever the number of files."""

    sweeps = True  # a record a file no longer gives is removed (a cancelled meeting)

    def __init__(
        self,
        session: Session,
        *,
        source: str,
        today: dt.date,
        since: dt.date | None,
        report: Report | None = None,
        joins: tuple[str, ...] = (),
    ) -> None:
        self.session, self.source, self.today, self.since, self.report = session, source, today, since, report
        # the kinds a user logs by hand for what this source captures (a mentor session for a calendar's
        # meeting): a new record of the same day with one of its people becomes that interaction, not a second
        self.joins = joins
        self.counts: Counter[str] = Counter()
        table = table_of(CaptureFile)
        rows = session.connection().execute(select(table).where(table.c.source == source))
        names = list(rows.keys())
        at = names.index("path")
        self.files: dict[str, dict[str, Any]] = {row[at]: dict(zip(names, row, strict=True)) for row in rows}
        self.pending: list[tuple[int, Kept]] = []
        self._fresh_files: list[dict[str, Any]] = []  # new files' rows, inserted at the next flush
        self._read_again: dict[int, dict[str, Any]] = {}  # known files read again, updated at the end
        self._sweeps: list[tuple[int, set[str]]] = []  # (file read again, the keys it gave): swept at the end
        self._sessions: list[dict[str, Any]] = []
        self._ids: list[int] = []
        self._current: dict[str, Any] = {}
        self._produced: set[str] = set()

    def to_read(self, found: Sequence[Found], context: str) -> list[Found]:
        """The files that must be read: new, changed, read in another context
        or from a later `since`, or holding an occurrence that has come to pass."""
        wanted = [item for item in found if self._needs_reading(item, context)]
        fresh = sum(1 for item in wanted if str(item.path) not in self.files)
        self._ids = allocate_ids(self.session, table_of(CaptureFile), fresh)[::-1]
        return wanted

    def _needs_reading(self, found: Found, context: str) -> bool:
        row = self.files.get(str(found.path))
        if row is None or (row["size"], row["mtime_ns"], row["context"]) != (found.size, found.mtime_ns, context):
            return True
        if row["since_on"] is not None and (self.since is None or self.since < row["since_on"]):
            return True
        return row["due_on"] is not None and row["due_on"] <= self.today

    def begin(self, found: Found, context: str) -> int:
        """Start a file's records (a file `to_read` gave); returns the file's id."""
        path = str(found.path)
        values = {"size": found.size, "mtime_ns": found.mtime_ns, "context": context, "since_on": self.since}
        row = self.files.get(path)
        if row is None:
            row = {"id": self._ids.pop(), "source": self.source, "path": path, "due_on": None, **values}
            row |= {"position": None, "head": None}
            self._fresh_files.append(row)
            self.files[path] = row
        else:
            row.update(values)
            self._read_again[row["id"]] = row
        self._current, self._produced = row, set()
        return int(row["id"])

    def add(self, file_id: int, kept: Kept) -> None:
        self._produced.add(kept.key)
        self.pending.append((file_id, kept))
        if len(self.pending) >= BATCH:
            self.flush()

    def end(self, *, due_on: dt.date | None, sessions: Mapping[int, tuple[dt.date, str | None]]) -> None:
        """The file begun last is read to its end: the day it must be read
        again, and its next occurrence with each contact."""
        row = self._current
        row["due_on"] = due_on
        self._sessions += [
            {"file_id": row["id"], "contact_id": cid, "date": day, "note": note}
            for cid, (day, note) in sessions.items()
        ]
        if row["id"] in self._read_again and self.sweeps:
            self._sweeps.append((row["id"], self._produced))
        self._produced = set()

    def finish(self, *, folders: Sequence[Path], present: Iterable[str]) -> None:
        """After the last file: what files read again no longer give is
        removed, and so is what files gone from `folders` gave; the files'
        state and next occurrences are stored."""
        self.flush()
        there = set(present)
        gone = [row for path, row in self.files.items() if path not in there and under(path, folders)]
        swept = [*self._sweeps, *((row["id"], set()) for row in gone)] if self.sweeps else []
        for file_id, produced in swept:
            self._sweep(file_id, produced)
        conn = self.session.connection()
        table = table_of(CaptureFile)
        if self._read_again:
            from sqlalchemy import bindparam

            columns = ("size", "mtime_ns", "context", "since_on", "due_on", "position", "head")
            conn.execute(
                update(table).where(table.c.id == bindparam("file_id")).values({c: bindparam(c) for c in columns}),
                [{"file_id": row["id"], **{c: row[c] for c in columns}} for row in self._read_again.values()],
            )
        stale = [*self._read_again, *(row["id"] for row in gone)]
        for start in range(0, len(stale), KEY_BATCH):
            chunk = stale[start : start + KEY_BATCH]
            conn.execute(delete(CaptureSession).where(col(CaptureSession.file_id).in_(chunk)))
        if self._sessions:
            conn.execute(insert(CaptureSession), self._sessions)
        for start in range(0, len(gone), KEY_BATCH):
            conn.execute(delete(table).where(table.c.id.in_([row["id"] for row in gone[start : start + KEY_BATCH]])))
        for row in gone:
            del self.files[row["path"]]

    def _rows(self, keys: list[str]) -> list[Any]:
        """The stored rows of this source's `keys` (a statement per `KEY_BATCH` of them)."""
        conn = self.session.connection()
        rows: list[Any] = []
        for start in range(0, len(keys), KEY_BATCH):
            query = select(table_of(CaptureKey)).where(
                col(CaptureKey.source) == self.source, col(CaptureKey.key).in_(keys[start : start + KEY_BATCH])
            )
            rows += conn.execute(query)
        return rows

    def flush(self) -> None:
        conn = self.session.connection()
        if self._fresh_files:  # before the keys that name them
            fresh, self._fresh_files = self._fresh_files, []
            conn.execute(insert(table_of(CaptureFile)), fresh)
        batch, self.pending = self.pending, []
        if not batch:
            return
        existing = {row.key: row for row in self._rows(list(dict.fromkeys(kept.key for _, kept in batch)))}
        new: dict[str, tuple[int, Kept, str]] = {}
        moved: list[dict[str, Any]] = []
        digests = {kept.key: _digest(kept) for _, kept in batch}
        # of the records changed in the file, those whose interaction is still capture's to change
        owned = self._owned([row.interaction_id for key, row in existing.items() if row.digest != digests[key]])
        for file_id, kept in batch:
            digest = digests[kept.key]
            row = existing.get(kept.key)
            if row is None:
                if kept.key in new:  # the same record twice in one round (two files with one event)
                    self.counts["already"] += 1
                else:
                    new[kept.key] = (file_id, kept, digest)
            elif row.interaction_id is None or row.digest == digest or row.interaction_id not in owned:
                # unlogged; unchanged; or the user's own (claimed, or logged by hand): theirs to change
                self.counts["already"] += 1
                if (row.file_id, row.digest) != (file_id, digest):
                    moved.append({"k": kept.key, "f": file_id, "d": digest})
            else:
                self._update(row.interaction_id, kept, digest, file_id)
        if moved:
            from sqlalchemy import bindparam

            conn.execute(
                update(table_of(CaptureKey))
                .where(col(CaptureKey.source) == self.source, col(CaptureKey.key) == bindparam("k"))
                .values(file_id=bindparam("f"), digest=bindparam("d")),
                moved,
            )
        if new:
            claimed = self._claimed(list(new.values()))
            for key, interaction_id in claimed.items():
                self._join(interaction_id, *new.pop(key))
            if new:
                self._insert(list(new.values()))

    def _claimed(self, records: Sequence[tuple[int, Kept, str]]) -> dict[str, int]:
        """Records the user logged already by hand, key -> their interaction:
        one of a kind in `joins` on the record's day, with one of its contacts."""
        if not self.joins:
            return {}
        conn = self.session.connection()
        days = sorted({kept.date for _, kept, _ in records})
        logged: dict[tuple[dt.date, int], int] = {}
        for start in range(0, len(days), KEY_BATCH):
            query = (
                select(col(Participant.date), col(Participant.contact_id), col(Participant.interaction_id))
                .join(table_of(Interaction), col(Interaction.id) == col(Participant.interaction_id))
                .where(
                    col(Participant.kind).in_(self.joins),
                    col(Participant.date).in_(days[start : start + KEY_BATCH]),
                    col(Interaction.source) != self.source,
                )
                .order_by(col(Participant.interaction_id))
            )
            for day, cid, iid in conn.execute(query):
                logged.setdefault((as_date(day), cid), iid)
        claimed = {}
        for _, kept, _ in records:
            found = [logged[(kept.date, cid)] for cid in kept.contacts if (kept.date, cid) in logged]
            if found:
                claimed[kept.key] = found[0]
        return claimed

    def _join(self, interaction_id: int, file_id: int, kept: Kept, digest: str) -> None:
        """A record the user logged by hand: its key names their interaction,
        which the record's other contacts join; nothing else of it changes."""
        conn = self.session.connection()
        there = set(
            conn.execute(
                select(col(Participant.contact_id)).where(col(Participant.interaction_id) == interaction_id)
            ).scalars()
        )
        day, kind = conn.execute(
            select(col(Interaction.date), col(Interaction.kind)).where(col(Interaction.id) == interaction_id)
        ).one()
        joining = [cid for cid in kept.contacts if cid not in there]
        if joining:
            conn.execute(
                insert(Participant),
                [{"interaction_id": interaction_id, "contact_id": cid, "date": day, "kind": kind} for cid in joining],
            )
        conn.execute(
            insert(CaptureKey),
            [{"source": self.source, "key": kept.key, "thread": kept.thread, "file_id": file_id,
              "interaction_id": interaction_id, "date": kept.date, "digest": digest, "note": kept.note,
              "direction": kept.direction, "waiting": False}],
        )  # fmt: skip
        self.counts["already"] += 1

    def _owned(self, interaction_ids: Sequence[int | None]) -> set[int]:
        """Of these interactions, those this source made and still holds: not
        the user's (logged by hand, or made theirs as one of `joins`' kinds)."""
        ids = sorted({iid for iid in interaction_ids if iid is not None})
        owned: set[int] = set()
        for start in range(0, len(ids), KEY_BATCH):
            query = select(col(Interaction.id)).where(
                col(Interaction.id).in_(ids[start : start + KEY_BATCH]),
                col(Interaction.source) == self.source,
                col(Interaction.kind).not_in(self.joins),
            )
            owned.update(self.session.connection().execute(query).scalars())
        return owned

    def _insert(self, records: list[tuple[int, Kept, str]], *, waited: bool = False) -> None:
        """New interactions for `records` (file id, record, digest), and their
        keys; `waited`: the keys are kept already, waiting for a contact."""
        pending: list[tuple[dict[str, Any], list[int], list[str]]] = [
            (
                {"date": k.date, "kind": k.kind, "note": k.note, "source": self.source, "direction": k.direction},
                list(k.contacts),
                [],
            )
            for _, k, _ in records
        ]
        with bulk_load(self.session) as bulk:
            ids = insert_interactions(self.session, pending)
            bulk.interactions += ids
        rows = [
            {
                "source": self.source,
                "key": k.key,
                "thread": k.thread,
                "file_id": file_id,
                "interaction_id": iid,
                "date": k.date,
                "digest": digest,
                "note": k.note,
                "direction": k.direction,
                "waiting": False,
            }
            for iid, (file_id, k, digest) in zip(ids, records, strict=True)
        ]
        if waited:
            self._rewrite_keys(rows)
        else:
            self.session.connection().execute(insert(CaptureKey), rows)
        self.counts["logged"] += len(records)
        if self.report is not None:
            for _, kept, _ in records:
                self.report("logged", kept)

    def _update(self, interaction_id: int, kept: Kept, digest: str, file_id: int) -> None:
        conn = self.session.connection()
        conn.execute(
            update(Interaction)
            .where(col(Interaction.id) == interaction_id)
            .values(date=kept.date, note=kept.note, direction=kept.direction)
        )
        conn.execute(delete(Participant).where(col(Participant.interaction_id) == interaction_id))
        kind = conn.execute(select(col(Interaction.kind)).where(col(Interaction.id) == interaction_id)).scalar_one()
        conn.execute(
            insert(Participant),
            [
                {"interaction_id": interaction_id, "contact_id": cid, "date": kept.date, "kind": kind}
                for cid in kept.contacts
            ],
        )
        conn.execute(
            update(CaptureKey)
            .where(col(CaptureKey.source) == self.source, col(CaptureKey.key) == kept.key)
            .values(date=kept.date, digest=digest, file_id=file_id, note=kept.note, direction=kept.direction)
        )
        self.counts["updated"] += 1
        if self.report is not None:
            self.report("updated", kept)

    def _rewrite_keys(self, rows: list[dict[str, Any]]) -> None:
        """Kept keys given new values (each row names its key and every column it sets)."""
        from sqlalchemy import bindparam

        if not rows:
            return
        columns = [c for c in rows[0] if c not in ("source", "key")]
        self.session.connection().execute(
            update(table_of(CaptureKey))
            .where(col(CaptureKey.source) == bindparam("k_source"), col(CaptureKey.key) == bindparam("k_key"))
            .values({c: bindparam(f"v_{c}") for c in columns}),
            [{"k_source": row["source"], "k_key": row["key"], **{f"v_{c}": row[c] for c in columns}} for row in rows],
        )

    def _sweep(self, file_id: int, produced: set[str]) -> None:
        """Remove the records of a file, within the days read, that it did not give this time."""
        conn = self.session.connection()
        query = select(col(CaptureKey.key), col(CaptureKey.interaction_id), col(CaptureKey.date)).where(
            col(CaptureKey.file_id) == file_id, col(CaptureKey.date) <= self.today
        )
        if self.since is not None:
            query = query.where(col(CaptureKey.date) >= self.since)
        gone = [(key, iid, day) for key, iid, day in conn.execute(query) if key not in produced]
        for start in range(0, len(gone), KEY_BATCH):
            chunk = gone[start : start + KEY_BATCH]
            owned = self._owned([iid for _, iid, _ in chunk])  # what the user logged by hand stays
            ids = [iid for _, iid, _ in chunk if iid in owned]
            if ids:
                if self.report is not None:
                    self._report_removed(ids, chunk)
                conn.execute(delete(Interaction).where(col(Interaction.id).in_(ids)))
                self.counts["removed"] += len(ids)
            conn.execute(
                delete(CaptureKey).where(
                    col(CaptureKey.source) == self.source, col(CaptureKey.key).in_([key for key, _, _ in chunk])
                )
            )

    def _report_removed(self, ids: list[int], chunk: list[tuple[str, int | None, dt.date]]) -> None:
        assert self.report is not None
        conn = self.session.connection()
        written = select(col(Interaction.id), col(Interaction.note)).where(col(Interaction.id).in_(ids))
        notes: dict[int, str | None] = {iid: note for iid, note in conn.execute(written)}
        people: dict[int, list[int]] = {}
        members = select(col(Participant.interaction_id), col(Participant.contact_id)).where(
            col(Participant.interaction_id).in_(ids)
        )
        for member_of, cid in conn.execute(members):
            people.setdefault(member_of, []).append(cid)
        for key, gone, day in chunk:
            if gone is not None:
                self.report("removed", Kept(key, None, day, "meeting", notes.get(gone), tuple(people.get(gone, ()))))


def claim_meeting(session: Session, *, contact_id: int, on: dt.date, kind: str, note: str | None) -> int | None:
    """The meeting with the contact on `on` captured from a calendar, made
    the user's own as `kind` (a mentor session), with their `note` (its
    summary kept when they give none): one meeting, one interaction. Capture
    then never changes or removes it. Its id, or None when there is none."""
    conn = session.connection()
    found = conn.execute(
        select(col(Participant.interaction_id))
        .join(table_of(Interaction), col(Interaction.id) == col(Participant.interaction_id))
        .where(
            col(Participant.contact_id) == contact_id,
            col(Participant.date) == on,
            col(Participant.kind) == "meeting",
            col(Interaction.source) == "calendar",
        )
        .order_by(col(Participant.interaction_id))
        .limit(1)
    ).first()
    if found is None:
        return None
    (interaction_id,) = found
    values: dict[str, Any] = {"kind": kind} | ({"note": note} if note else {})
    conn.execute(update(Interaction).where(col(Interaction.id) == interaction_id).values(values))
    conn.execute(update(Participant).where(col(Participant.interaction_id) == interaction_id).values(kind=kind))
    return int(interaction_id)


def next_sessions(session: Session, *, after: dt.date) -> dict[int, tuple[dt.date, str | None]]:
    """Per contact, the first captured occurrence after `after`, over every file."""
    query = (
        select(col(CaptureSession.contact_id), col(CaptureSession.date), col(CaptureSession.note))
        .where(col(CaptureSession.date) > after)
        .order_by(col(CaptureSession.date).desc())
    )
    return {cid: (day, note) for cid, day, note in session.connection().execute(query)}


def book_digest(holders: Mapping[str, int]) -> str:
    """What the address book is for matching: every address key and its holder."""
    digest = hashlib.sha256()
    for key in sorted(holders):
        digest.update(f"{key}={holders[key]}\n".encode())
    return digest.hexdigest()[:32]


def _digest(kept: Kept) -> str:
    text = f"{kept.date.isoformat()}|{kept.note or ''}|{','.join(map(str, sorted(kept.contacts)))}|{kept.direction}"
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]
