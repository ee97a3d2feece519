"""DiscordChatExporter's JSON export (one channel per file) as records:
`{"guild": {...}, "channel": {"id", "type", "categoryId", "category",
"name"}, "messages": [...]}`, streamed with ijson one message at a time.

A message's key is `discord:<channel id>/<message id>`; its author is
`discord:<user id>`, named by their server nickname; `reference` (not a
forward) is the message it replies to, `mentions` the users it mentions.
A thread's file names its parent channel in `category`/`categoryId`: its
messages belong to the parent channel, in the thread `discord:<thread id>`.
System messages (joins, pins, calls, `RecipientAdd`...) and bots' messages
are system lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from netcli.capture.chat.inputs import Input
from netcli.capture.chat.jsonstream import JSON_ERRORS, careful, damage, first_value, top_level
from netcli.capture.chat.records import CHANNEL, DIRECT, GROUP, BadItem, Chat, ChatMessage, Person, Record

# message types a person writes; DiscordChatExporter writes a type it does not know as its number, and
# those past 19 (commands, thread starters) are the author's (a bot's answer is a bot's)
_PERSON_TYPES = frozenset({"Default", "Reply"})
_MESSAGES = frozenset({("messages", "item")})
_THREADS = frozenset({"GuildNewsThread", "GuildPublicThread", "GuildPrivateThread"})


def sniff(head: bytes) -> bool:
    """Whether a file's first bytes are a DiscordChatExporter export."""
    keys, _values = top_level(head, most=3)
    return keys[:2] == ["guild", "channel"]


def read(source: Input, member: str) -> Iterator[Record]:
    where = source.label(member)
    found = first_value(source.head(member, 1024 * 1024), "channel")
    channel = found if isinstance(found, dict) else {}
    ident = channel.get("id") if channel else None
    if not isinstance(ident, str) or not ident:
        yield BadItem(where, "no channel id in the export's head")
        return
    kind = channel.get("type") if isinstance(channel.get("type"), str) else ""
    thread = None
    chat_id, name = ident, channel.get("name")
    parent = channel.get("categoryId")
    if kind in _THREADS and isinstance(parent, str) and parent:
        thread, chat_id, name = f"discord:{ident}", parent, channel.get("category")
    chat_kind = DIRECT if kind == "DirectTextChat" else GROUP if kind == "DirectGroupTextChat" else CHANNEL
    chat = Chat(
        id=f"discord:{chat_id}",
        app="discord",
        name=name if isinstance(name, str) else None,
        kind=chat_kind,
        participants=2 if chat_kind == DIRECT else None,
    )
    persons: dict[str, Person] = {}
    number = 0
    try:
        with source.open(member) as handle:
            messages = (value for _kind, _path, value in careful(handle, items=_MESSAGES))
            for number, message in enumerate(messages, 1):
                yield _message(message, chat, ident, thread, persons) or BadItem(
                    f"{where} message {number}", "no id or no readable timestamp"
                )
    except JSON_ERRORS as exc:
        yield BadItem(f"{where} after message {number}", damage(exc))


def _person(user: Any, persons: dict[str, Person]) -> Person | None:
    if not isinstance(user, dict):
        return None
    ident = user.get("id")
    if not isinstance(ident, str) or not ident:
        return None
    found = persons.get(ident)
    if found is None:
        nick, name = user.get("nickname"), user.get("name")
        shown = nick if isinstance(nick, str) and nick else name if isinstance(name, str) and name else None
        found = persons[ident] = Person(handle=f"discord:{ident}", name=shown, bot=user.get("isBot") is True)
    return found


def _message(
    message: Any, chat: Chat, channel: str, thread: str | None, persons: dict[str, Person]
) -> ChatMessage | None:
    if not isinstance(message, dict):
        return None
    ident, stamp = message.get("id"), message.get("timestamp")
    if not isinstance(ident, str) or not ident or not isinstance(stamp, str):
        return None
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None
    author = _person(message.get("author"), persons)
    reply_to = None
    reference = message.get("reference")
    if isinstance(reference, dict) and reference.get("type") in (None, "Default"):
        target = reference.get("messageId")
        where = reference.get("channelId")
        if isinstance(target, str) and target:
            reply_to = f"discord:{where if isinstance(where, str) and where else channel}/{target}"
    mentioned = message.get("mentions")
    mentions = tuple(
        dict.fromkeys(p for p in (_person(user, persons) for user in mentioned) if p is not None)
    ) if isinstance(mentioned, list) else ()  # fmt: skip
    kind = message.get("type")
    person_type = kind in _PERSON_TYPES or (isinstance(kind, str) and kind.isdigit() and int(kind) >= 19)
    system = not person_type or (author is not None and author.bot)
    return ChatMessage(
        key=f"discord:{channel}/{ident}",
        chat=chat,
        sender=author,
        when=when,
        reply_to=reply_to,
        mentions=mentions,
        thread=thread,
        system=system,
    )
