"""Google Chat in a Google Takeout export as records: `Google Chat/Groups/
<DM or Space id>/messages.json` (`{"messages": [...]}`, streamed) beside
`group_info.json` (the space's name and its members with their emails), and
`Users/User <id>/user_info.json` (whose export it is).

A message's key is `googlechat:<message_id>` (`group/topic/message`); its
thread is its topic, and a message in a topic that is not the topic's first
replies to it. Senders and mentions (`user_mention_metadata`) are people by
email; a creator whose `user_type` is not `Human` is a bot. `created_date`
reads like `Thursday, November 3, 2016 at 11:59:50 AM UTC` (English or
German words, 12- or 24-hour clock).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from netcli import reading
from netcli.capture.chat.inputs import Input, open_regular
from netcli.capture.chat.jsonstream import JSON_ERRORS, careful, damage
from netcli.capture.chat.records import DIRECT, GROUP, Account, BadItem, Chat, ChatMessage, Person, Record
from netcli.errors import Invalid

MAX_INFO = reading.GOOGLE_CHAT_INFO
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "januar", "jänner"),
            ("february", "feb", "februar"),
            ("march", "mar", "märz", "maerz", "mär"),
            ("april", "apr"),
            ("may", "mai"),
            ("june", "jun", "juni"),
            ("july", "jul", "juli"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct", "oktober", "okt"),
            ("november", "nov"),
            ("december", "dec", "dezember", "dez"),
        ],
        1,
    )
    for name in names
}
_DATE = re.compile(
    r"(?:[^\W\d_]+,\s*)?(?:(\d{1,2})\.?\s+([^\W\d_]+)\.?|([^\W\d_]+)\.?\s+(\d{1,2}),?)\s+(\d{4}),?\s+(?:[^\W\d_]+\s+)?"
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([AaPp])\.?\s?[Mm]\.?)?\s*(UTC|GMT)?\s*$"
)


def sniff(head: bytes) -> bool:
    """Whether a `messages.json`'s first bytes are Google Chat's."""
    text = head.lstrip()
    if text[:1] != b"{" or b'"messages"' not in text[:200]:
        return False
    return b'"created_date"' in text or b'"creator"' in text or b"".join(text.split())[:15] == b'{"messages":[]}'


def groups(names: list[str], source: Input) -> list[str]:
    """The group folders (prefixes ending in `/`, `""` for the top) whose
    `messages.json` is Google Chat's."""
    found = []
    for name in names:
        path = PurePosixPath(name)
        if path.name == "messages.json" and sniff(source.head(name, 4096)):
            found.append("" if str(path.parent) == "." else f"{path.parent}/")
    return found


def owners(names: list[str], source: Input) -> Iterator[Record]:
    """The user's own identity from `user_info.json`."""
    for name in names:
        if PurePosixPath(name).name != "user_info.json":
            continue
        try:
            info = json.loads(source.read(name, cap=MAX_INFO))
        except (Invalid, ValueError, RecursionError, UnicodeDecodeError, OSError):
            continue
        user = info.get("user") if isinstance(info, dict) else None
        person = _person(user)
        if person is not None:
            yield Account("googlechat", person)


def read(source: Input, folder: str, *, member: str | None = None, beside: Path | None = None) -> Iterator[Record]:
    """The records of one group folder (`folder` ends in `/` or is `""`),
    or of one `messages.json` named alone (`member`), its `group_info.json`
    read from the folder `beside` it."""
    messages = member or f"{folder}messages.json"
    where = source.label(messages)
    info: dict[str, Any] = {}
    raw: bytes | None = None
    try:
        if beside is not None:
            if (beside / "group_info.json").is_file():
                with open_regular(beside / "group_info.json", cap=MAX_INFO, follow=False) as handle:
                    raw = handle.read()
            folder = f"{beside.name}/"
        elif source.has(f"{folder}group_info.json"):
            raw = source.read(f"{folder}group_info.json", cap=MAX_INFO)
        loaded = json.loads(raw) if raw is not None else {}
        info = loaded if isinstance(loaded, dict) else {}
    except (Invalid, ValueError, RecursionError, UnicodeDecodeError, OSError):  # a link, damage: read without it
        yield BadItem(f"{where} (its group_info.json)", "not Google Chat's group_info.json")
    listed = info.get("members")
    members = [m for m in listed if isinstance(m, dict)] if isinstance(listed, list) else []
    label = PurePosixPath(folder.rstrip("/")).name if folder else ""
    group = label.split(" ", 1)[1] if label.startswith(("DM ", "Space ")) else label
    name = info.get("name") if isinstance(info.get("name"), str) else None
    space = label.startswith("Space ") or bool(name)
    kind = DIRECT if not space and len(members) <= 2 else GROUP
    chat: Chat | None = None
    persons: dict[str, Person] = {}
    number = 0
    try:
        with source.open(messages) as handle:
            found = (value for _kind, _path, value in careful(handle, items=frozenset({("messages", "item")})))
            for number, message in enumerate(found, 1):
                if not isinstance(message, dict):
                    yield BadItem(f"{where} message {number}", "not a message")
                    continue
                ident = message.get("message_id")
                if chat is None:
                    if not group and isinstance(ident, str):
                        group = ident.split("/", 1)[0]
                    chat = Chat(
                        id=f"googlechat:{group or 'chat'}",
                        app="googlechat",
                        name=name,
                        kind=kind,
                        participants=len(members) or None,
                    )
                record = _message(message, chat, persons)
                yield record or BadItem(f"{where} message {number}", "no readable created_date")
    except JSON_ERRORS as exc:
        yield BadItem(f"{where} after message {number}", damage(exc))


def _person(user: Any, persons: dict[str, Person] | None = None) -> Person | None:
    if not isinstance(user, dict):
        return None
    email, name = user.get("email"), user.get("name")
    email = email.strip() if isinstance(email, str) and "@" in email else None
    name = name.strip() if isinstance(name, str) and name.strip() else None
    if email is None and name is None:
        return None
    key = f"{email}\0{name}"
    found = persons.get(key) if persons is not None else None
    if found is None:
        kind = user.get("user_type")
        found = Person(name=name, email=email, bot=isinstance(kind, str) and kind.lower() != "human")
        if persons is not None:
            persons[key] = found
    return found


def _message(message: dict[str, Any], chat: Chat, persons: dict[str, Person]) -> ChatMessage | None:
    when = parse_date(message.get("created_date"))
    if when is None:
        return None
    sender = _person(message.get("creator"), persons)
    ident = message.get("message_id")
    topic = message.get("topic_id")
    group = chat.id.removeprefix("googlechat:")
    if not isinstance(ident, str) or not ident:
        seed = f"{chat.id}\0{when.isoformat()}\0{sender.email if sender else ''}"
        ident = f"{group}/no-id-{hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:16]}"
    thread = reply_to = None
    if isinstance(topic, str) and topic:
        thread = f"googlechat:{group}/{topic}/{topic}"
        parts = ident.split("/")
        if len(parts) == 3 and parts[2] != topic:
            reply_to = thread
    mentions: list[Person] = []
    annotations = message.get("annotations")
    if isinstance(annotations, list):
        for note in annotations:
            meta = note.get("user_mention_metadata") if isinstance(note, dict) else None
            mentioned = _person(meta.get("user"), persons) if isinstance(meta, dict) else None
            if mentioned is not None and mentioned not in mentions:
                mentions.append(mentioned)
    return ChatMessage(
        key=f"googlechat:{ident}",
        chat=chat,
        sender=sender,
        when=when,
        reply_to=reply_to,
        mentions=tuple(mentions),
        thread=thread,
        system=sender is None or sender.bot,
    )


def parse_date(text: object) -> dt.datetime | None:
    """`Thursday, November 3, 2016 at 11:59:50 AM UTC` (and its German and
    day-first forms) as a time in UTC; naive when no zone is written."""
    if not isinstance(text, str):
        return None
    found = _DATE.search(text.replace("\u202f", " ").replace("\u00a0", " "))
    if found is None:
        return None
    day1, month1, month2, day2, year, hour, minute, second, half, zone = found.groups()
    month = _MONTHS.get((month1 or month2 or "").lower())
    if month is None:
        return None
    hour_of = int(hour)
    if half:
        if half in "pP" and hour_of < 12:
            hour_of += 12
        elif half in "aA" and hour_of == 12:
            hour_of = 0
    try:
        when = dt.datetime(int(year), month, int(day1 or day2), hour_of, int(minute), int(second or 0))
    except ValueError:
        return None
    return when.replace(tzinfo=dt.UTC) if zone else when
