"""The plain records the chat readers yield: one `ChatMessage` per message,
`BadItem` for what could not be read, `Account` for whose export it is where
the export says, and LinkedIn's `Connection` and `Invitation`.

A message record holds who wrote, where, when and to whom it answered;
NEVER its text (a reader reads the text only to find mentions and system
lines, then drops it). Names and chat titles are stranger-written text:
they are kept as the export has them, and whoever shows them cleans them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

APPS = ("whatsapp", "telegram", "slack", "discord", "googlechat", "linkedin")
DIRECT, GROUP, CHANNEL = "direct", "group", "channel"


@dataclass(frozen=True, slots=True)
class Person:
    """Someone as an export names them. `handle` is `KIND:VALUE` as contract
    section 12 spells it (`telegram:123456789`, `telegram:@name`,
    `slack:T0123/U0456`, `discord:80351110224678912`, `whatsapp:+491701234567`,
    `linkedin:https://www.linkedin.com/in/...`) when the export gives an id;
    `email` and `phone` (`+` and digits) where it has them. `own_name`: the
    name is the one the user saved for this person (WhatsApp shows the
    phone's contact names), so an exact unique name may match; a name the
    person chose (everywhere else, and WhatsApp's `~ Name`) may not. `bot`:
    an app or bot, not a person."""

    handle: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    own_name: bool = False
    bot: bool = False


@dataclass(frozen=True, slots=True)
class Chat:
    """A conversation: `id` is `app:...`, stable across exports (what
    `community edit --chat` names); `kind` is `direct` (two people),
    `group` or `channel` (a broadcast or a workspace's channel), as the app
    says or, for WhatsApp, as the senders and system lines show;
    `participants` is the number of members where the export tells it."""

    id: str
    app: str
    name: str | None
    kind: str
    participants: int | None


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message. `key` is stable and unique across exports of the same
    chat (the app's ids, scoped by chat; a digest for WhatsApp and LinkedIn
    lines). `when` has a zone where the export says (Unix times, ISO times
    with offsets); otherwise it is naive, the writer's local time, to be read
    in `[me] timezone`. `reply_to` and `thread` are keys of other messages
    (a thread's key is its first message's). `system`: written by the app or
    a bot (joins, encryption notices, calls, pins), not a person's message."""

    key: str
    chat: Chat
    sender: Person | None
    when: dt.datetime
    reply_to: str | None = None
    mentions: tuple[Person, ...] = ()
    thread: str | None = None
    system: bool = False

    @property
    def app(self) -> str:
        return self.chat.app


def _fast_init(
    self: ChatMessage,
    key: str,
    chat: Chat,
    sender: Person | None,
    when: dt.datetime,
    reply_to: str | None = None,
    mentions: tuple[Person, ...] = (),
    thread: str | None = None,
    system: bool = False,
) -> None:
    """The frozen dataclass's `__init__` through its slots: half the time of
    the generated one, which goes through `object.__setattr__` field by
    field (a Telegram export of a million messages makes a million)."""
    _KEY(self, key), _CHAT(self, chat), _SENDER(self, sender), _WHEN(self, when)
    _REPLY_TO(self, reply_to), _MENTIONS(self, mentions), _THREAD(self, thread), _SYSTEM(self, system)


_KEY, _CHAT, _SENDER, _WHEN, _REPLY_TO, _MENTIONS, _THREAD, _SYSTEM = (
    getattr(ChatMessage, name).__set__
    for name in ("key", "chat", "sender", "when", "reply_to", "mentions", "thread", "system")
)
ChatMessage.__init__ = _fast_init  # type: ignore[method-assign]


@dataclass(frozen=True, slots=True)
class BadItem:
    """A damaged line, message or file: skipped, named (`where`: the file and
    line or message id) and counted as bad. `error` names no stranger-written
    text."""

    where: str
    error: str


@dataclass(frozen=True, slots=True)
class Account:
    """Whose export this is, where the export says (Telegram's
    `personal_information`, Google Chat's `user_info.json`)."""

    app: str
    person: Person


@dataclass(frozen=True, slots=True)
class Connection:
    """A row of LinkedIn's `Connections.csv`: who, their profile, and their
    company and position at export time (a difference from what is held is a
    job change)."""

    where: str
    name: str
    url: str | None
    email: str | None
    company: str | None
    position: str | None
    connected_on: dt.date | None


@dataclass(frozen=True, slots=True)
class Invitation:
    """A row of LinkedIn's `Invitations.csv`: an invitation to connect, sent
    (`outgoing`) or received (`incoming`), with the other person."""

    where: str
    person: Person
    when: dt.datetime
    direction: str


Record = ChatMessage | BadItem | Account | Connection | Invitation
