"""Captured chat messages into interactions: one `message` per
conversation and day.

A conversation is a direct chat or a small group (its chat id), or, in a
large group, one contact's exchanges with the user in one thread (`chat id /
thread / contact`). Each message that counts (`Said`) keeps its key (`m:` +
the message's key) so that none counts twice, in any export, in any order;
each conversation-day's key (`t:` + conversation + day) holds its
interaction, which a later message of that conversation and day joins
(contacts added, direction `both`). Its `thread` column says which kind of
conversation it is (`direct`, `group`, `exchange`: `reply-owed` reads the
direct ones), its `digest` the directions seen. A conversation-day with
no contact yet (the user wrote first, in a chat whose other side is not
known yet) waits as a key without an interaction whose digest starts with
`~`, so that a later export (the other half of a chat) finds what the user
sent; one the user unlogged stays gone. Chats are never swept: a message
gone from a later export leaves its interaction as it was.

The user's own messages in groups are kept as `chat_post` rows (key, chat,
day; no text): a community's activity is counted from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import func, insert, select, update
from sqlmodel import Session

from netcli.models import CaptureKey, ChatPost, Community, CommunityChat, Interaction, Participant
from netcli.store.bulk import bulk_load, insert_interactions
from netcli.store.capture import BATCH, KEY_BATCH, Capture, Kept
from netcli.store.rows import as_date, col, table_of

DIRECT, GROUP, EXCHANGE = "direct", "group", "exchange"
WAITING = "~"  # a conversation-day's digest while it has no contact: the directions seen so far follow


class Said(NamedTuple):
    """One message that counts: its key, its conversation and that
    conversation's kind (`direct`, `group`, `exchange`), the day, the note,
    the contacts it is with (none: the user wrote, the other side unknown
    yet), `sent` or `received`."""

    key: str
    conversation: str
    kind: str
    date: dt.date
    note: str | None
    contacts: tuple[int, ...]
    direction: str


class ChatCapture(Capture):
    """One chat capture inside the caller's transaction (see the module's
    docstring): `to_read`, then per export `begin`, `say` for each message
    that counts, `post` for each of the user's own in a group, `end`; then
    `finish`."""

    sweeps = False

    def __init__(self, session: Session, *, source: str = "chat", **kwargs: Any) -> None:
        super().__init__(session, source=source, **kwargs)
        self.said: list[tuple[int, Said]] = []
        self.posts: dict[str, tuple[str, dt.date]] = {}
        self.posted: dict[str, int] = {}  # chat -> the user's posts new in this capture

    def say(self, file_id: int, said: Said) -> None:
        self.said.append((file_id, said))
        if len(self.said) >= BATCH:
            self.flush()

    def post(self, key: str, chat: str, day: dt.date) -> None:
        self.posts[key] = (chat, day)
        if len(self.posts) >= BATCH:
            self._flush_posts()

    def flush(self) -> None:
        super().flush()
        self._flush_posts()
        batch, self.said = self.said, []
        if not batch:
            return
        fresh: dict[str, tuple[int, Said]] = {}
        for file_id, said in batch:  # one message read twice in a run (two exports of a chat) counts once
            fresh.setdefault(f"m:{said.key}", (file_id, said))
        known = {row.key for row in self._rows(list(fresh))}
        for key in known:
            del fresh[key]
        self.counts["already"] += len(known)
        if not fresh:
            return
        days: dict[str, list[Said]] = {}
        file_of: dict[str, int] = {}
        for file_id, said in fresh.values():
            days.setdefault(_day_key(said), []).append(said)
            file_of.setdefault(_day_key(said), file_id)
        anchors = {row.key: row for row in self._rows(list(days))}
        self._join_days(days, anchors)
        new = {key: said for key, said in days.items() if key not in anchors or _waiting(anchors[key])}
        self._start(new, anchors, file_of)
        self.session.connection().execute(
            insert(CaptureKey),
            [
                {"source": self.source, "key": key, "thread": said.kind, "file_id": fid,
                 "interaction_id": None, "date": said.date, "digest": said.direction, "note": None,
                 "direction": said.direction, "waiting": False}
                for key, (fid, said) in fresh.items()
            ],
        )  # fmt: skip

    def _start(self, days: Mapping[str, list[Said]], anchors: Mapping[str, Any], file_of: Mapping[str, int]) -> None:
        """Conversation-days new here, or waiting for a contact: logged when
        they have one, else (still) waiting with the directions seen."""
        conn = self.session.connection()
        logged: list[tuple[str, Kept]] = []
        waiting: list[dict[str, Any]] = []
        for key, messages in days.items():
            row = anchors.get(key)
            before = row.digest[len(WAITING) :].split(",") if row is not None else []
            kept = _conversation_day(key, messages, before)
            if kept.contacts:
                logged.append((key, kept))
            elif row is None:
                waiting.append(
                    {"source": self.source, "key": key, "thread": messages[0].kind, "file_id": file_of[key],
                     "interaction_id": None, "date": kept.date, "digest": WAITING + str(kept.direction),
                     "note": kept.note, "direction": kept.direction, "waiting": False}
                )  # fmt: skip
            else:
                conn.execute(
                    update(CaptureKey)
                    .where(col(CaptureKey.source) == self.source, col(CaptureKey.key) == key)
                    .values(digest=WAITING + str(kept.direction))
                )
        if waiting:
            conn.execute(insert(CaptureKey), waiting)
        if not logged:
            return
        pending: list[tuple[dict[str, Any], list[int], list[str]]] = [
            ({"date": k.date, "kind": "message", "note": k.note, "source": self.source, "direction": k.direction},
             list(k.contacts), [])
            for _, k in logged
        ]  # fmt: skip
        with bulk_load(self.session) as bulk:
            ids = insert_interactions(self.session, pending)
            bulk.interactions += ids
        rows = [
            {"source": self.source, "key": key, "thread": days[key][0].kind, "file_id": file_of[key],
             "interaction_id": iid, "date": kept.date, "digest": kept.direction, "note": kept.note,
             "direction": kept.direction, "waiting": False}
            for iid, (key, kept) in zip(ids, logged, strict=True)
        ]  # fmt: skip
        fresh = [row for row in rows if row["key"] not in anchors]
        if fresh:
            conn.execute(insert(CaptureKey), fresh)
        for row in rows:
            if row["key"] in anchors:
                conn.execute(
                    update(CaptureKey)
                    .where(col(CaptureKey.source) == self.source, col(CaptureKey.key) == row["key"])
                    .values(interaction_id=row["interaction_id"], digest=row["digest"])
                )
        self.counts["logged"] += len(logged)
        if self.report is not None:
            for _, kept in logged:
                self.report("logged", kept)

    def _join_days(self, days: Mapping[str, list[Said]], anchors: Mapping[str, Any]) -> None:
        """New messages of conversation-days logged before: their contacts
        and direction join the interaction. One the user unlogged stays gone."""
        live = {key: row for key, row in anchors.items() if row.interaction_id is not None}
        gone = [key for key, row in anchors.items() if row.interaction_id is None and not _waiting(row)]
        self.counts["already"] += sum(len(days[key]) for key in gone)
        if not live:
            return
        conn = self.session.connection()
        ids = [row.interaction_id for row in live.values()]
        people: dict[int, set[int]] = {}
        notes: dict[int, str | None] = {}
        for start in range(0, len(ids), KEY_BATCH):
            chunk = ids[start : start + KEY_BATCH]
            members = select(col(Participant.interaction_id), col(Participant.contact_id)).where(
                col(Participant.interaction_id).in_(chunk)
            )
            for iid, cid in conn.execute(members):
                people.setdefault(iid, set()).add(cid)
            query = select(col(Interaction.id), col(Interaction.note)).where(col(Interaction.id).in_(chunk))
            notes.update((iid, note) for iid, note in conn.execute(query))
        for key, row in live.items():
            iid = row.interaction_id
            held = people.get(iid, set())
            merged = _conversation_day(key, days[key], row.digest.split(","))
            contacts = tuple(sorted(held.union(merged.contacts)))
            if set(contacts) == held and merged.direction == row.digest:
                self.counts["already"] += len(days[key])
                continue
            joined = merged._replace(contacts=contacts, note=notes.get(iid))
            self._update(iid, joined, str(merged.direction), row.file_id)

    def _flush_posts(self) -> None:
        posts, self.posts = self.posts, {}
        if not posts:
            return
        conn = self.session.connection()
        keys = list(posts)
        for start in range(0, len(keys), KEY_BATCH):
            query = select(col(ChatPost.key)).where(col(ChatPost.key).in_(keys[start : start + KEY_BATCH]))
            for (key,) in conn.execute(query):
                del posts[key]
        if posts:
            conn.execute(insert(ChatPost), [{"key": k, "chat": c, "date": d} for k, (c, d) in posts.items()])
            for chat, _ in posts.values():
                self.posted[chat] = self.posted.get(chat, 0) + 1


def _day_key(said: Said) -> str:
    return f"t:{said.conversation}/{said.date.isoformat()}"


def _waiting(row: Any) -> bool:
    return row.interaction_id is None and str(row.digest).startswith(WAITING)


def _both(directions: Iterable[str]) -> str:
    seen = {d for d in directions if d}
    return "both" if "both" in seen or len(seen) > 1 else (seen.pop() if seen else "")


def _conversation_day(key: str, messages: Sequence[Said], before: Sequence[str]) -> Kept:
    first = messages[0]
    contacts = tuple(sorted(set().union(*(m.contacts for m in messages))))
    direction = _both([*before, *(m.direction for m in messages)])
    return Kept(key, first.kind, first.date, "message", first.note, contacts, direction or None)


def chat_communities(session: Session, chats: Iterable[str]) -> dict[str, tuple[int, str]]:
    """The community each of these chats is linked to: chat -> (id, name)."""
    wanted = list(dict.fromkeys(chats))
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(wanted), KEY_BATCH):
        query = (
            select(col(CommunityChat.chat), col(Community.id), col(Community.name))
            .join(table_of(Community), col(Community.id) == col(CommunityChat.community_id))
            .where(col(CommunityChat.chat).in_(wanted[start : start + KEY_BATCH]))
        )
        found.update((chat, (cid, name)) for chat, cid, name in session.connection().execute(query))
    return found


def post_counts(session: Session, chats: Sequence[str]) -> dict[str, tuple[int, dt.date | None]]:
    """Per chat, the user's posts kept and the day of the last one."""
    found: dict[str, tuple[int, dt.date | None]] = {}
    for start in range(0, len(chats), KEY_BATCH):
        query = (
            select(col(ChatPost.chat), func.count(), func.max(col(ChatPost.date)))
            .where(col(ChatPost.chat).in_(list(chats[start : start + KEY_BATCH])))
            .group_by(col(ChatPost.chat))
        )
        found.update((chat, (int(n), as_date(last))) for chat, n, last in session.connection().execute(query))
    return found
