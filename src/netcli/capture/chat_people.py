"""Who is who in chat exports: the user (`[me] handles`, `[me] names`,
`[me] emails`, and whose export it is where the export says), the contacts
(through the one resolver's `People` index: a handle, a phone number in
E.164, an email, and an exact unique name only where the app shows the
user's own saved name for the person, WhatsApp), and everyone else, who is
no one's guess: the people the user writes with most in direct chats are
suggested, with the command that adds them.

No database of its own: `People` is loaded by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from netcli.capture.chat import Account, Person
from netcli.config import Config
from netcli.errors import MissingChatMe
from netcli.identity import handle_key, name_key, phone_key
from netcli.names import command
from netcli.results import ChatSuggestion
from netcli.store.resolve import People, handle_keys
from netcli.vocab import CHAT_APPS

ME = -1  # who a message is from or with, when it is the user
SUGGESTIONS = 10
SUGGEST_MESSAGES = 3  # at least this many messages in a direct chat, one of them the user's
APP_NAMES = CHAT_APPS


class Identities:
    """Who a person in an export is: `ME`, a contact's id, or None."""

    def __init__(self, people: People, config: Config) -> None:
        self.people = people
        self.region = config.region()
        self.handles: set[str] = set()
        self.phones: set[str] = set()
        for handle in config.me["handles"]:
            self._mine(handle)
        self.emails = config.my_addresses()
        self.names = {name_key(name) for name in config.me["names"]}
        self.told = bool(self.handles or self.names or config.me["emails"])  # the user said who they are
        self.cache: dict[Person, int | None] = {}

    def _mine(self, handle: str) -> None:
        try:
            key = handle_key(handle, self.region)
        except ValueError:
            return
        self.handles.update(handle_keys(key))
        kind, _, value = key.partition(":")
        if kind in ("whatsapp", "signal") and value.startswith("+"):
            self.phones.add(value)

    def account(self, account: Account) -> None:
        """Whose export it is, where the export says: that person is the user."""
        person = account.person
        if person.handle:
            self._mine(person.handle)
        if person.phone:
            self.phones.add(phone_key(person.phone, self.region))
        self.told = True
        self.cache.clear()

    def is_me(self, person: Person) -> bool:
        if person.handle:
            try:
                if handle_key(person.handle, self.region) in self.handles:
                    return True
            except ValueError:
                pass
        if person.phone and phone_key(person.phone, self.region) in self.phones:
            return True
        if person.email and person.email in self.emails:
            return True
        return bool(person.name and name_key(person.name) in self.names)

    def who(self, person: Person) -> int | None:
        """`ME`, the contact this person is, or None: by handle, phone,
        email, or (only a name the user saved themselves) the one contact of
        that exact name."""
        if person in self.cache:
            return self.cache[person]
        found = self.cache[person] = ME if self.is_me(person) else self._contact(person)
        return found

    def _contact(self, person: Person) -> int | None:
        people = self.people
        for cid in (
            people.by_handle(person.handle) if person.handle else None,
            people.by_phone(person.phone) if person.phone else None,
            people.by_email(person.email) if person.email else None,
        ):
            if cid is not None:
                return cid
        if person.own_name and person.name:
            same = people.by_name(person.name)
            if len(same) == 1:
                return same[0]
        return None

    def missing(self, seen: Counter[str]) -> MissingChatMe:
        """The error for a capture that cannot tell the user's messages: the
        names seen in the most chats are the likely candidates."""
        likely = [name for name, _ in seen.most_common(3)]
        example = likely[0] if likely else "Your Name"
        seen_text = f"the names seen in the most chats are {', '.join(likely)}; " if likely else ""
        return MissingChatMe(
            "capture chat needs to know which messages are yours; "
            f"{seen_text}set how chats name you with: {command('config', 'set', 'me.names', example)} "
            f"(or your handles: {command('config', 'set', 'me.handles', 'telegram:@you')})"
        )


@dataclass
class _Partner:
    messages: int = 0
    sent: int = 0
    last: dt.date | None = None


@dataclass
class Partners:
    """The people the user writes with in direct chats who are not contacts."""

    found: dict[Person, _Partner] = field(default_factory=dict)

    def saw(self, person: Person, *, sent: bool, day: dt.date) -> None:
        partner = self.found.setdefault(person, _Partner())
        partner.messages += 1
        partner.sent += sent
        partner.last = max(partner.last or day, day)

    def suggestions(self) -> list[ChatSuggestion]:
        """Up to `SUGGESTIONS` with at least `SUGGEST_MESSAGES` messages, one
        sent: `{name, handle, email, messages, sent, last, command}`."""
        chosen = [(p, n) for p, n in self.found.items() if n.messages >= SUGGEST_MESSAGES and n.sent > 0]
        chosen.sort(key=lambda pn: (-pn[1].messages, -(pn[1].last or dt.date.min).toordinal(), str(pn[0].name)))
        found = []
        for person, partner in chosen[:SUGGESTIONS]:
            handle = _handle_of(person)
            name = person.name or (handle.partition(":")[2] if handle else None) or person.email or "Someone"
            words = ["add", name]
            if handle:
                words += ["--handle", handle]
            if person.email:
                words += ["--email", person.email]
            found.append(
                ChatSuggestion(
                    name=name,
                    handle=handle,
                    email=person.email,
                    messages=partner.messages,
                    sent=partner.sent,
                    last=partner.last,
                    command=command(*words),
                )
            )
        return found


def _handle_of(person: Person) -> str | None:
    for text in (person.handle, f"whatsapp:{person.phone}" if person.phone else None):
        if text:
            try:
                return handle_key(text)
            except ValueError:
                continue
    return None
