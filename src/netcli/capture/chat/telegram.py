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
from typing import Any

import ijson

from netcli.capture.chat.inputs import Input
from netcli.capture.chat.records import CHANNEL, DIRECT, GROUP, Account, BadItem, Chat, ChatMessage, Person, Record

CHUNK = 1024 * 1024
_KEEP = 8192  # bytes held back at a chunk's end: more than any chat head
_HEAD = re.compile(
    rb'\{\s*(?:"name"\s*:\s*("(?:[^"\\]|\\.){0,2000}"|null)\s*,\s*)?"type"\s*:\s*("(?:[^"\\]|\\.){0,100}"|null)'
    rb'\s*,\s*"id"\s*:\s*(-?\d{1,30})\s*,\s*"messages"\s*:\s*\['
    rb'|([{,]\s*)"left_chats"(\s*:)'
    rb'|[{,]\s*"messages"\s*:\s*\['
)
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
    keys: list[str] = []
    kind = None
    try:
        for prefix, event, value in ijson.parse(head):
            if prefix == "" and event == "map_key":
                keys.append(value)
            elif prefix == "type" and event == "string":
                kind = value
            elif event == "start_array" and prefix == "messages":
                break
            if len(keys) > 12:
                break
    except (ijson.JSONError, ijson.IncompleteJSONError, ValueError):
        pass
    if keys[:1] == ["about"] and ACCOUNT_KEYS.intersection(keys):
        return "account"
    if kind in TYPES and "id" in keys and keys[-1:] == ["messages"]:
        return "chat"
    return None


def read(source: Input, member: str, *, shape: str) -> Iterator[Record]:
    """The records of a `result.json` of the `shape` `sniff` told."""
    where = source.label(member)
    if shape == "account":
        yield from _accounts(source.head(member))
    prefix = "chats.list.item.messages.item" if shape == "account" else "messages.item"
    sink: list[dict[str, Any]] = []
    parser = ijson.items_coro(_Sink(sink), prefix, use_float=True)
    state = _State(where)
    try:
        with source.open(member) as handle:
            carry = b""
            held = b""
            final = False
            while not final:
                read = handle.read(CHUNK)
                final = not read
                chunk, held = held + read, b""
                tail = chunk[-4:]
                if not final and b"\\" in tail:  # an escape cut in two: finish it with the next chunk
                    cut = len(chunk) - len(tail) + tail.index(b"\\")
                    while cut > 0 and chunk[cut - 1] == 0x5C:
                        cut -= 1
                    chunk, held = chunk[:cut], chunk[cut:]
                if b"\\x" in chunk:
                    chunk = _BAD_ESCAPE.sub(rb"\1\\u00\2", chunk)
                data = carry + chunk
                end = len(data) if final else max(0, len(data) - _KEEP)
                fed = 0
                for found in _HEAD.finditer(data):
                    if found.start() >= end:
                        break
                    if found.start() > fed:
                        parser.send(data[fed : found.start()])
                    yield from state.drain(sink)
                    if found.group(4) is not None:  # left chats: read like chats
                        parser.send(found.group(4) + b'"chats"     ' + found.group(5))
                    else:
                        state.begin(found)
                        parser.send(found.group(0))
                    fed = found.end()
                fed_to = max(fed, end)
                if fed_to > fed:
                    parser.send(data[fed:fed_to])
                yield from state.drain(sink)
                carry = data[fed_to:]
            parser.close()
            yield from state.drain(sink)
    except (ijson.JSONError, ijson.IncompleteJSONError, ValueError, RecursionError) as exc:
        yield from state.drain(sink)
        yield BadItem(f"{where} after {state.last()}", f"damaged JSON, the rest is not read ({_first_line(exc)})")
    yield from state.unnamed()


class _Sink:
    """ijson's target: appends each message built."""

    def __init__(self, into: list[dict[str, Any]]) -> None:
        self.send = into.append


class _State:
    """The chat being read and what makes its messages into records."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.chat: Chat | None = None
        self.scope = ""
        self.people = True
        self.ordinal = 0
        self.nameless = 0
        self.last_id: object = None
        self.persons: dict[str, Person] = {}

    def begin(self, found: re.Match[bytes]) -> None:
        self.ordinal += 1
        name_raw, type_raw, id_raw = found.group(1), found.group(2), found.group(3)
        if type_raw is None:
            self.chat = None
            return
        kind = _json_string(type_raw) or ""
        name = _json_string(name_raw) if name_raw else None
        scope, chat_kind = TYPES.get(kind, ("peer", GROUP))
        self.scope = f"{scope}{id_raw.decode()}"
        self.people = kind not in _NOT_PEOPLE
        self.chat = Chat(
            id=f"telegram:{self.scope}",
            app="telegram",
            name=name,
            kind=chat_kind,
            participants=2 if kind == "personal_chat" else None,
        )

    def drain(self, sink: list[dict[str, Any]]) -> Iterator[Record]:
        if not sink:
            return
        chat = self.chat
        for message in sink:
            if chat is None:
                self.nameless += 1
                continue
            record = self.record(message, chat)
            if record is not None:
                yield record
        sink.clear()

    def record(self, message: dict[str, Any], chat: Chat) -> Record | None:
        ident = message.get("id")
        self.last_id = ident
        kind = message.get("type")
        if kind == "unsupported":
            return None  # a message Telegram Desktop could not export: nothing but its id
        when = _when(message)
        if not isinstance(ident, int) or when is None:
            return BadItem(f"{self.where}: chat {self.ordinal} message {_shown_id(ident)}", "no id or no readable date")
        service = kind == "service"
        sender = (
            self._person(message.get("actor_id"), message.get("actor"))
            if service
            else self._person(message.get("from_id"), message.get("from"))
        )
        reply = message.get("reply_to_message_id")
        reply_to = None
        if isinstance(reply, int):
            peer = message.get("reply_to_peer_id")
            scope = _peer(peer) if isinstance(peer, str) else self.scope
            reply_to = f"telegram:{scope}/{reply}"
        text = message.get("text")
        mentions = _mentions(text) if isinstance(text, list) else ()
        return ChatMessage(
            key=f"telegram:{self.scope}/{ident}",
            chat=chat,
            sender=sender,
            when=when,
            reply_to=reply_to,
            mentions=mentions,
            system=service or not self.people,
        )

    def _person(self, ident: object, name: object) -> Person | None:
        if not isinstance(ident, str):
            return Person(name=name) if isinstance(name, str) and name else None
        found = self.persons.get(ident)
        if found is None:
            handle = f"telegram:{ident[4:]}" if ident.startswith("user") and ident[4:].isdigit() else None
            found = Person(handle=handle, name=name if isinstance(name, str) and name else None)
            self.persons[ident] = found
        return found

    def last(self) -> str:
        return f"chat {self.ordinal} message {_shown_id(self.last_id)}"

    def unnamed(self) -> Iterator[Record]:
        if self.nameless:
            yield BadItem(self.where, f"{self.nameless} messages in chats without a readable name, type and id")


def _when(message: dict[str, Any]) -> dt.datetime | None:
    stamp = message.get("date_unixtime")
    try:
        if isinstance(stamp, str | int) and not isinstance(stamp, bool):
            return dt.datetime.fromtimestamp(int(stamp), dt.UTC)
        date = message.get("date")
        if isinstance(date, str):
            return dt.datetime.fromisoformat(date).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None
    return None


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
    try:
        info = next(ijson.items(head, "personal_information"), None)
    except (ijson.JSONError, ijson.IncompleteJSONError, ValueError):
        return
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


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:120]
