"""Telegram Desktop's JSON export (`result.json`) as records: one chat
(`{"name", "type", "id", "messages": [...]}`) or the whole account
(`{"about", "personal_information", ..., "chats": {"list": [...]},
"left_chats": {"list": [...]}}`).

Read as a stream so that an export of gigabytes runs in bounded memory:
ijson's C parser builds one message at a time, and the raw bytes are cut at
each chat's head (`"name": ..., "type": ..., "id": ..., "messages": [`, in
the order Telegram Desktop writes them) so that every message is read with
its chat's name, type and id and nothing else is held. Telegram Desktop
writes a control character in a text as `\\xNN`, which JSON does not allow;
such escapes are rewritten to `\\u00NN` on the way in.

`date_unixtime` is UTC; an export older than it has only `date`, the
exporting machine's local time, kept naive. A sender is `telegram:<user id>`
(`from_id` is `user123`); mentions are the text's `mention` (`@name`) and
`mention_name` (a user id) entities. Keys are `telegram:<peer><chat id>/<message id>`,
the peer (`user`, `chat`, `channel`) as in `from_id`, since ids of users and
groups may be equal.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from netcli.capture.chat.inputs import Input
from netcli.capture.chat.jsonstream import JSON_ERRORS, OPENS, Tripped, careful, damage, first_value, top_level
from netcli.capture.chat.records import CHANNEL, DIRECT, GROUP, Account, BadItem, Chat, ChatMessage, Person, Record

CHUNK = 1024 * 1024
_PIECE = 16 * 1024  # what ijson asks for at a time: a piece holds far fewer brackets than OPENS
_KEEP = 8192  # bytes held back from ijson: more than any chat head (_HEAD_MAX)
# a chat's head, ending where its "messages" key begins, and what follows a key
_HEAD_MAX = 2400
_HEAD = re.compile(
    rb'\{\s*(?:"name"\s*:\s*("(?:[^"\\]|\\.){0,2000}"|null)\s*,\s*)?"type"\s*:\s*("(?:[^"\\]|\\.){0,100}"|null)'
    rb'\s*,\s*"id"\s*:\s*(-?\d{1,30})\s*,\s*\Z'
)
_AFTER_KEY = re.compile(rb"\s*:\s*(\[)?")
_BAD_ESCAPE = re.compile(rb"(?<!\\)((?:\\\\)*)\\x([0-9A-Fa-f]{2})")
TYPES = {
    "personal_chat": ("user", DIRECT),
    "bot_chat": ("user", DIRECT),
    "saved_messages": ("user", DIRECT),
    "replies": ("user", DIRECT),
    "verification_codes": ("user", DIRECT),
    "private_group": ("chat", GROUP),
    "private_supergroup": ("channel", GROUP),
    "public_supergroup": ("channel", GROUP),
    "private_channel": ("channel", CHANNEL),
    "public_channel": ("channel", CHANNEL),
}
# chats whose every message is the app's or the user's own: never a conversation
_NOT_PEOPLE = frozenset({"bot_chat", "saved_messages", "replies", "verification_codes"})
ACCOUNT_KEYS = frozenset(
    {"personal_information", "profile_pictures", "contacts", "frequent_contacts", "chats", "left_chats", "sessions"}
)


def sniff(head: bytes) -> str | None:
    """`account` or `chat` when a file's first bytes are Telegram Desktop's
    export, else None."""
    keys, values = top_level(head)
    if keys[:1] == ["about"] and ACCOUNT_KEYS.intersection(keys):
        return "account"
    if isinstance(values.get("type"), str) and keys[-3:] == ["type", "id", "messages"]:  # a type added since: a group
        return "chat"
    return None


def read(source: Input, member: str, *, shape: str) -> Iterator[Record]:
    """The records of a `result.json` of the `shape` `sniff` told."""
    where = source.label(member)
    if shape == "account":
        yield from _accounts(source.head(member))
    prefix = "chats.list.item.messages.item" if shape == "account" else "messages.item"
    state = _State(where)
    done = 0  # messages ijson gave
    try:
        with source.open(member) as handle:
            feed = _Feed(handle, state)
            take = state.take
            for message in ijson.items(feed, prefix, use_float=True, buf_size=_PIECE):
                done += 1
                feed.opens = 0
                record = take(message)
                if record is not None:
                    yield record
    except Tripped:  # more brackets than a message holds: from the start again, nesting counted
        yield from _careful(source, member, shape, state, skip=done)
    except JSON_ERRORS as exc:
        yield BadItem(f"{where} after {state.last()}", damage(exc))
    yield from state.unnamed()


def _careful(source: Input, member: str, shape: str, state: _State, *, skip: int) -> Iterator[Record]:
    """The export read with its nesting bounded (`jsonstream.careful`), the
    first `skip` messages left out (they were read already)."""
    items = _ACCOUNT_ITEMS if shape == "account" else frozenset({("messages", "item")})
    chat_depth = 3 if shape == "account" else 0  # where a chat's object is
    head: dict[str, Any] = {}
    begun = False
    state.ordinal = 0  # the chats are counted again from the first
    try:
        with source.open(member) as handle:
            for kind, path, value in careful(handle, items=items, heads=chat_depth + 1):
                if kind == "start" and len(path) == chat_depth:
                    head, begun = {}, False
                elif kind == "scalar" and len(path) == chat_depth + 1:
                    head[path[-1]] = value
                elif kind == "item":
                    if not begun:
                        state.begin(*(_head_value(head.get(k)) for k in ("name", "type", "id")))
                        begun = True
                    if skip:
                        skip -= 1
                        continue
                    record = state.take(value)
                    if record is not None:
                        yield record
    except JSON_ERRORS as exc:
        yield BadItem(f"{state.where} after {state.last()}", damage(exc))


def _head_value(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    return str(value)


_ACCOUNT_ITEMS = frozenset(
    {("chats", "list", "item", "messages", "item"), ("left_chats", "list", "item", "messages", "item")}
)


class _Feed:
    """The export's bytes as ijson reads them (a file's `read`), mended
    (`\\xNN` escapes, `left_chats` read as `chats`) and cut at each chat's
    head: ijson's generator yields every message it has parsed before it
    reads again, so when a read starts at a head, every message of the chat
    before has been yielded, and the state turns to the new chat."""

    def __init__(self, handle: BinaryIO, state: _State) -> None:
        self._handle = handle
        self._state = state
        self._buffer = bytearray()
        self._pos = 0  # what ijson has read ends here
        self._scanned = 0  # heads are found up to here
        self._heads: list[tuple[int, re.Match[bytes] | None]] = []  # (position in the buffer, its match)
        self._held = b""  # an escape cut at a chunk's end
        self._eof = False
        self.opens = 0  # brackets handed to ijson since the last message

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        want = max(size, 1)
        while not self._eof and len(self._buffer) - self._pos < _KEEP + want:
            self._fill()
        start = self._pos
        limit = len(self._buffer) if self._eof else len(self._buffer) - _KEEP
        if self._heads and self._heads[0][0] == start:
            self._state.begin_at(self._heads.pop(0)[1])
        if self._heads:
            limit = min(limit, self._heads[0][0])
        if size > 0:
            limit = min(limit, start + size)
        self._pos = limit
        with memoryview(self._buffer) as view:  # one copy, not two
            piece = bytes(view[start:limit])
        self.opens += piece.count(b"[") + piece.count(b"{")
        if self.opens > OPENS:  # more than a message holds: ijson's prefixes of a deep nest take gigabytes
            raise Tripped
        return piece

    def _fill(self) -> None:
        raw = self._handle.read(CHUNK)
        chunk, self._held = self._held + raw, b""
        if not raw:
            self._eof = True
        else:
            tail = chunk[-4:]
            if b"\\" in tail:  # an escape cut in two: finish it with the next chunk
                cut = len(chunk) - len(tail) + tail.index(b"\\")
                while cut > 0 and chunk[cut - 1] == 0x5C:
                    cut -= 1
                chunk, self._held = chunk[:cut], chunk[cut:]
        if b"\\x" in chunk:
            chunk = _BAD_ESCAPE.sub(rb"\1\\u00\2", chunk)
        if self._pos > CHUNK:  # what ijson has read goes
            del self._buffer[: self._pos]
            self._scanned -= self._pos
            self._heads = [(at - self._pos, found) for at, found in self._heads]
            self._pos = 0
        self._buffer += chunk
        self._scan()

    def _scan(self) -> None:
        """Find the heads (and `left_chats`) whose key begins before the last
        few bytes of the buffer."""
        buffer = self._buffer
        end = len(buffer) if self._eof else len(buffer) - 16  # room to read what follows a key
        for key in (b'"left_chats"', b'"messages"'):
            at = buffer.find(key, self._scanned, end + len(key))
            while 0 <= at < end:
                after = _AFTER_KEY.match(buffer, at + len(key))
                before = at - 1
                while before >= 0 and buffer[before] in b" \t\r\n":
                    before -= 1
                if after is not None and before >= 0 and buffer[before] in b"{,":  # a key, not a value
                    if key == b'"left_chats"':  # read like chats
                        buffer[at : at + 12] = b'"chats"     '
                    elif after.group(1):
                        head = _HEAD.search(buffer, max(0, at - _HEAD_MAX), at)
                        self._heads.append((head.start() if head else before, head))
                at = buffer.find(key, at + 1, end + len(key))
        self._heads.sort(key=lambda pair: pair[0])
        self._scanned = max(self._scanned, end)


class _State:
    """The chat being read and what makes its messages into records."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.chat: Chat | None = None
        self.scope = ""
        self.prefix = "telegram:/"
        self.people = True
        self.ordinal = 0
        self.nameless = 0
        self.last_id: object = None
        self.persons: dict[str, Person] = {}

    def begin_at(self, found: re.Match[bytes] | None) -> None:
        """A chat's head as Telegram Desktop writes it (None: not where it
        writes it)."""
        if found is None:
            self.ordinal += 1
            self.chat = None
            return
        name_raw, type_raw, id_raw = found.group(1), found.group(2), found.group(3)
        self.begin(_json_string(name_raw) if name_raw else None, _json_string(type_raw), id_raw.decode())

    def begin(self, name: str | None, kind: str | None, ident: str | None) -> None:
        """The next chat, by its name, type and id."""
        self.ordinal += 1
        if kind is None and ident is None:
            self.chat = None
            return
        scope, chat_kind = TYPES.get(kind or "", ("peer", GROUP))
        self.scope = f"{scope}{ident or ''}"
        self.prefix = f"telegram:{self.scope}/"
        self.people = kind not in _NOT_PEOPLE
        self.chat = Chat(
            id=f"telegram:{self.scope}",
            app="telegram",
            name=name,
            kind=chat_kind,
            participants=2 if kind == "personal_chat" else None,
        )

    def take(self, message: Any) -> Record | None:
        """A message of the chat being read, as a record if it is one."""
        chat = self.chat
        if chat is None:
            self.nameless += 1
            return None
        if not isinstance(message, dict):
            self.last_id = None
            return BadItem(f"{self.where}: chat {self.ordinal}", "a message that is not an object")
        return self.record(message, chat)

    def record(self, message: dict[str, Any], chat: Chat) -> Record | None:
        """One message as a record (written for speed: a million of them is
        the benchmark)."""
        get = message.get
        ident = get("id")
        self.last_id = ident
        kind = get("type")
        if kind == "unsupported":
            return None  # a message Telegram Desktop could not export: nothing but its id
        stamp = get("date_unixtime")
        try:
            when = _from_unix(int(stamp), _UTC) if type(stamp) is str else _local(get("date"))
        except (ValueError, OverflowError, OSError):
            when = None
        if when is None or type(ident) is not int:
            return BadItem(f"{self.where}: chat {self.ordinal} message {_shown_id(ident)}", "no id or no readable date")
        service = kind == "service"
        who = get("actor_id" if service else "from_id")
        sender = self.persons.get(who) if type(who) is str else None
        if sender is None:
            sender = self._person(who, get("actor" if service else "from"))
        reply = get("reply_to_message_id")
        reply_to = None
        if type(reply) is int:
            peer = get("reply_to_peer_id")
            reply_to = f"telegram:{_peer(peer)}/{reply}" if type(peer) is str else f"{self.prefix}{reply}"
        text = get("text")
        mentions = _mentions(text) if type(text) is list else ()
        return ChatMessage(
            f"{self.prefix}{ident}", chat, sender, when, reply_to, mentions, None, service or not self.people
        )

    def _person(self, ident: object, name: object) -> Person | None:
        """A sender by `from_id` (`user123`; a channel posting as itself is
        `channel123`, no person), remembered by it."""
        if not isinstance(ident, str):
            return Person(name=name) if isinstance(name, str) and name else None
        handle = f"telegram:{ident[4:]}" if ident.startswith("user") and ident[4:].isdigit() else None
        found = self.persons[ident] = Person(handle=handle, name=name if isinstance(name, str) and name else None)
        return found

    def last(self) -> str:
        return f"chat {self.ordinal} message {_shown_id(self.last_id)}"

    def unnamed(self) -> Iterator[Record]:
        if self.nameless:
            yield BadItem(self.where, f"{self.nameless} messages in chats without a readable name, type and id")


_UTC = dt.UTC
_from_unix = dt.datetime.fromtimestamp


def _local(date: object) -> dt.datetime | None:
    """An export older than `date_unixtime`: the exporting machine's local time."""
    return dt.datetime.fromisoformat(date).replace(tzinfo=None) if isinstance(date, str) else None


def _mentions(parts: list[Any]) -> tuple[Person, ...]:
    found: list[Person] = []
    for part in parts:
        if not isinstance(part, dict):
            continue
        kind = part.get("type")
        if kind == "mention":
            name = part.get("text")
            if isinstance(name, str) and name.startswith("@") and len(name) > 1:
                found.append(Person(handle=f"telegram:{name.lower()}"))
        elif kind == "mention_name":
            user = part.get("user_id")
            if isinstance(user, int) and not isinstance(user, bool):
                name = part.get("text")
                found.append(Person(handle=f"telegram:{user}", name=name if isinstance(name, str) else None))
    return tuple(dict.fromkeys(found))


def _peer(peer: str) -> str:
    return peer if re.fullmatch(r"(?:user|chat|channel)\d+", peer) else "peer" + "".join(c for c in peer if c.isdigit())


def _accounts(head: bytes) -> Iterator[Record]:
    """The user's own identity from `personal_information`."""
    info = first_value(head, "personal_information")
    if not isinstance(info, dict):
        return
    name = " ".join(str(info[k]) for k in ("first_name", "last_name") if isinstance(info.get(k), str) and info[k])
    phone = info.get("phone_number")
    digits = "".join(c for c in phone if c.isdigit()) if isinstance(phone, str) else ""
    user = info.get("user_id")
    if isinstance(user, int) and not isinstance(user, bool):
        phone_of = f"+{digits}" if digits else None
        yield Account("telegram", Person(handle=f"telegram:{user}", name=name or None, phone=phone_of))
    username = info.get("username")
    if isinstance(username, str) and username.startswith("@") and len(username) > 1:
        yield Account("telegram", Person(handle=f"telegram:{username.lower()}", name=name or None))


def _json_string(raw: bytes) -> str | None:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, str) else None


def _shown_id(ident: object) -> str:
    return str(ident) if isinstance(ident, int) else "?"
