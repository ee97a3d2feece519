"""A Slack workspace export (the folder, or the `.zip` Slack gives) as
records: `users.json` (ids, names, emails), `channels.json` (public
channels), `groups.json` (private ones), `dms.json` (direct messages, their
folder named by id), `mpims.json` (group direct messages), and one
`YYYY-MM-DD.json` per channel and day, a list of messages.

A message's key is `slack:<channel id>/<ts>` (`ts` is unique in a channel);
a thread is its parent's `thread_ts`, and a reply's `reply_to` is that
parent. A sender is `slack:<team id>/<user id>`, named from `users.json` or
the message's own `user_profile`. Bot messages (`bot_message`, a `bot_id`
without a user, a user marked `is_bot`) and the app's lines (`channel_join`,
`channel_topic`, ... any subtype but a person's) are system lines. Mentions
are `<@U0456>` in the text, which is otherwise dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from netcli import reading
from netcli.capture.chat.inputs import Input
from netcli.capture.chat.records import CHANNEL, DIRECT, GROUP, BadItem, Chat, ChatMessage, Person, Record
from netcli.errors import Invalid

MAX_INDEX = reading.SLACK_FILE
MAX_DAY = reading.SLACK_FILE
INDEXES = {"channels.json": CHANNEL, "groups.json": CHANNEL, "dms.json": DIRECT, "mpims.json": GROUP}
# subtypes that are still a person writing
_PERSON_SUBTYPES = frozenset({"thread_broadcast", "reply_broadcast", "file_share", "me_message", "file_comment"})
_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,30})(?:\|[^>]{0,200})?>")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\.json")


def roots(names: list[str]) -> list[str]:
    """The folders (`""` for the top) of a set of members that hold a Slack
    export: `users.json` beside one of the channel lists."""
    found = []
    present = set(names)
    for name in names:
        path = PurePosixPath(name)
        if path.name == "users.json":
            folder = "" if str(path.parent) == "." else f"{path.parent}/"
            if any(f"{folder}{index}" in present for index in INDEXES):
                found.append(folder)
    return found


def sniff(head: bytes) -> bool:
    """Whether `users.json`'s first bytes are Slack's list of users."""
    text = head.lstrip()
    return text[:1] == b"[" and b'"id"' in text[:4096] and (b'"team_id"' in text or b'"real_name"' in text)


def read(source: Input, root: str) -> Iterator[Record]:
    """The records of the export under `root` (a folder prefix in `source`).
    A damaged index is bad and named; the messages are read all the same
    (their senders named by their own `user_profile`)."""
    entries, damaged = _index(source, f"{root}users.json")
    yield from damaged
    users, team = _users(entries)
    chats: dict[str, tuple[str, str, str | None, int | None]] = {}  # folder -> (id, kind, name, members)
    for index, kind in INDEXES.items():
        member = f"{root}{index}"
        if not source.has(member):
            continue
        listed, damaged = _index(source, member)
        yield from damaged
        for entry in listed:
            ident = entry.get("id")
            if not isinstance(ident, str) or not ident:
                continue
            name = entry.get("name") if isinstance(entry.get("name"), str) else None
            members = entry.get("members")
            count = len(members) if isinstance(members, list) else None
            folder = name if kind in (CHANNEL, GROUP) and name else ident
            chats[folder] = (ident, kind, name if kind != DIRECT else None, count)
    days: dict[str, list[str]] = {}
    for name in source.names():
        if not name.startswith(root):
            continue
        path = PurePosixPath(name[len(root) :])
        if len(path.parts) == 2 and _DAY.fullmatch(path.name):
            days.setdefault(path.parts[0], []).append(name)
    persons: dict[str, Person] = dict(users)
    for folder in sorted(days):
        ident, kind, title, count = chats.get(folder, (folder, CHANNEL, folder, None))
        chat = Chat(id=f"slack:{ident}", app="slack", name=title, kind=kind, participants=count)
        for member in sorted(days[folder]):
            yield from _day(source, member, chat, ident, team, persons)


def _users(entries: list[dict[str, Any]]) -> tuple[dict[str, Person], str]:
    teams = Counter(e.get("team_id") for e in entries if isinstance(e.get("team_id"), str))
    team = str(teams.most_common(1)[0][0]) if teams else ""
    users: dict[str, Person] = {}
    for entry in entries:
        ident = entry.get("id")
        if not isinstance(ident, str) or not ident:
            continue
        profile = _dict(entry.get("profile"))
        user_team = _first(entry.get("team_id")) or team
        users[ident] = Person(
            handle=_handle(user_team, ident),
            name=_first(
                profile.get("real_name"), entry.get("real_name"), profile.get("display_name"), entry.get("name")
            ),
            email=_first(profile.get("email")),
            phone=_phone(profile.get("phone")),
            bot=bool(entry.get("is_bot")) or ident == "USLACKBOT",
        )
    return users, team


def _index(source: Input, member: str) -> tuple[list[dict[str, Any]], list[BadItem]]:
    """An index's entries, or none and the damage named."""
    try:
        data = json.loads(source.read(member, cap=MAX_INDEX))
    except Invalid as exc:
        return [], [BadItem(source.label(member), str(exc))]
    except (ValueError, RecursionError, UnicodeDecodeError):
        data = None
    if not isinstance(data, list):
        return [], [BadItem(source.label(member), "damaged: not the JSON list Slack's export holds")]
    return [entry for entry in data if isinstance(entry, dict)], []


def _day(
    source: Input, member: str, chat: Chat, channel: str, team: str, persons: dict[str, Person]
) -> Iterator[Record]:
    where = source.label(member)
    try:
        messages = json.loads(source.read(member, cap=MAX_DAY))
    except Invalid as exc:
        yield BadItem(where, str(exc))
        return
    except (ValueError, RecursionError, UnicodeDecodeError):
        yield BadItem(where, "not a Slack day file (a JSON list of messages)")
        return
    if not isinstance(messages, list):
        yield BadItem(where, "not a Slack day file (a JSON list of messages)")
        return
    for number, message in enumerate(messages, 1):
        record = _message(message, chat, channel, team, persons)
        yield record if record is not None else BadItem(f"{where} message {number}", "no ts (time and id)")


def _message(message: Any, chat: Chat, channel: str, team: str, persons: dict[str, Person]) -> Record | None:
    if not isinstance(message, dict):
        return None
    ts = message.get("ts")
    try:
        when = dt.datetime.fromtimestamp(float(ts), dt.UTC) if isinstance(ts, str) else None
    except (ValueError, OverflowError, OSError):
        when = None
    if when is None or not isinstance(ts, str):
        return None
    user = message.get("user") if isinstance(message.get("user"), str) else None
    sender = None
    if user:
        sender = persons.get(user)
        profile = _dict(message.get("user_profile"))
        if sender is None or (sender.name is None and profile):  # not in users.json: the message's own profile
            user_team = _first(message.get("user_team"), profile.get("team"), message.get("team")) or team
            sender = persons[user] = Person(
                handle=_handle(user_team, user),
                name=_first(profile.get("real_name"), profile.get("display_name"), profile.get("name")),
            )
    elif isinstance(message.get("username"), str):
        sender = Person(name=message["username"], bot=True)
    subtype = message.get("subtype")
    system = (
        (subtype is not None and subtype not in _PERSON_SUBTYPES)
        or (bool(message.get("bot_id")) and not user)
        or (sender is not None and sender.bot)
    )
    thread_ts = message.get("thread_ts") if isinstance(message.get("thread_ts"), str) else None
    thread = f"slack:{channel}/{thread_ts}" if thread_ts else None
    text = message.get("text")
    mentions: tuple[Person, ...] = ()
    if isinstance(text, str) and "<@" in text:
        found = []
        for ident in dict.fromkeys(_MENTION.findall(text)):
            found.append(persons.get(ident) or Person(handle=_handle(team, ident)))
        mentions = tuple(found)
    return ChatMessage(
        key=f"slack:{channel}/{ts}",
        chat=chat,
        sender=sender,
        when=when,
        reply_to=thread if thread_ts and thread_ts != ts else None,
        mentions=mentions,
        thread=thread,
        system=system,
    )


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _handle(team: str, user: str) -> str:
    return f"slack:{team}/{user}" if team else f"slack:{user}"


def _first(*values: object) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _phone(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    digits = "".join(ch for ch in value if ch.isdigit())
    if not 7 <= len(digits) <= 15:
        return None
    return f"+{digits}" if value.strip().startswith("+") else digits
