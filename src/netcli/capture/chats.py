"""One capture of chat exports into interactions: the module that joins the
readers (`capture.chat`) and who is who (`capture.chat_people`) to the store
(`store.capture_chat`), as `capture.run` does for mail and calendars. It
takes the session, the config and the day as arguments and knows nothing
of a terminal.

What counts (contract section 12): a direct chat, or a group of at most
`capture.max_group` people, is one `message` per conversation and local day
with the contacts who wrote that day (the other side, in a direct chat),
`sent`, `received` or `both`. In a larger group or a channel only exchanges
between the user and a contact count (a reply to each other, a mention of
each other, a thread both wrote in): one interaction per contact, thread
and day; with `groups`, also everyone who wrote on a day the user wrote. The
user's own posts in groups are kept (counts only) for the communities they
are. A group's size is what the export says, else the people who wrote in
it. Notes name the app and the chat, never a message's text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from netcli.capture.chat import CHANNEL, DIRECT, Account, BadItem, Chat, ChatMessage, Export, Person, open_export
from netcli.capture.chat.inputs import shown
from netcli.capture.chat_people import APP_NAMES, ME, Identities, Partners
from netcli.capture.match import SKIP_REASONS
from netcli.config import Config
from netcli.errors import Invalid
from netcli.identity import name_key
from netcli.names import command
from netcli.results import ChatGroup, ChatSummary
from netcli.scan import Found, named
from netcli.store.capture import Report, clean_note, context_digest
from netcli.store.capture_chat import DIRECT as DIRECT_TALK
from netcli.store.capture_chat import EXCHANGE, GROUP, ChatCapture, Said, chat_communities, post_counts
from netcli.store.resolve import People

CHAT_READER = "chat-1"  # bumped when what an export's records are made of changes: every export is read again
Warn = Callable[[str], None]
Progress = Callable[[int, int, int], None]


@dataclass
class _Chat:
    """A chat as it is read: its mode once known (`direct`, `small`,
    `large`), the messages held until it is, and the state of each mode."""

    chat: Chat
    mode: str | None
    note: str | None
    held: list[tuple[ChatMessage, dt.date]] = field(default_factory=list)
    senders: set[Person] = field(default_factory=set)
    partner: Person | None = None  # a direct chat's other side
    partner_id: int | None = None
    partner_known: bool = False
    authors: dict[str, int] = field(default_factory=dict)  # large: message key -> ME or a contact
    threads: dict[str | None, dict[int, dict[dt.date, str]]] = field(default_factory=dict)
    exchanged: set[str] = field(default_factory=set)  # large: contacts' messages that made an exchange
    others: int = 0  # large: messages of others
    days: dict[dt.date, tuple[bool, list[Said]]] = field(default_factory=dict)  # large with `groups`


class ChatRun:
    """One `capture chat` (or the messages of `capture linkedin`) over one
    session: `export(path)` for each, then `summary()`."""

    def __init__(
        self,
        session: Session,
        *,
        config: Config,
        today: dt.date,
        since: dt.date | None,
        groups: bool,
        warn: Warn,
        source: str = "chat",
        report: Report | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.session, self.today, self.since, self.groups, self.warn = session, today, since, groups, warn
        self.progress = progress
        self.max_group = int(config.capture["max_group"])
        self.zone = config.zone()
        self.people = People.load(session, region=config.region())
        self.who = Identities(self.people, config)
        self.capture = ChatCapture(session, source=source, today=today, since=since, report=report)
        zone_id = (os.environ.get("TZ"), config.me["timezone"], time.tzname)
        mine = (sorted(config.me["handles"]), sorted(config.me["names"]))
        self.context = context_digest(
            _holders(self.people), config.my_addresses(), mine, self.max_group, groups, zone_id, CHAT_READER
        )
        self.skipped: Counter[str] = Counter({reason: 0 for reason in (*SKIP_REASONS, "group")})
        self.read = 0
        self.files = self.unchanged = 0
        self.partners = Partners()
        self.large: dict[str, Chat] = {}
        self.seen_in: Counter[str] = Counter()  # who wrote in how many chats, while the user is not known
        self._seen: set[tuple[str, str]] = set()
        self._done = 0
        self.apps: set[str] = set()
        self._chats: dict[str, _Chat] = {}
        self._last: _Chat | None = None
        self._file_id = 0

    # ---- exports ---------------------------------------------------------------

    def exports(self, paths: Sequence[Path], *, refuse: Callable[[Export], str | None]) -> None:
        """Read every export named (each checked before anything is read:
        `Invalid` names one that is none, or one `refuse` says is not for
        this command); one unchanged since it was last read in the same
        context is not read again."""
        opened: list[tuple[Found, Path]] = []
        for given in paths:
            path, info = named(given, what="a chat export")
            with open_export(path) as export:
                why = refuse(export)
                if why is not None:
                    raise Invalid(f"{shown(str(given), 200)} {why}")
                self.apps.update(export.apps)
            opened.append((_found(path, info), path))
        self.files = len(opened)
        wanted = {str(item.path) for item in self.capture.to_read([f for f, _ in opened], self.context)}
        self.unchanged = len(opened) - len(wanted)
        for found, path in opened:
            self._done += 1
            if str(found.path) not in wanted:
                continue
            self._file_id = self.capture.begin(found, self.context)
            with open_export(path) as export:
                for record in export.records():
                    self.take(record)
            self._finish_all()
            self.capture.end(due_on=None, sessions={})
            if self.progress is not None:
                self.progress(self._done, self.files, self.read)
        self.capture.finish(folders=[], present=[str(found.path) for found, _ in opened])
        if self.read and not self.who.told:
            raise self.who.missing(self.seen_in)

    def take(self, record: object) -> None:
        """One record of an export."""
        if isinstance(record, ChatMessage):
            self.message(record)
        elif isinstance(record, BadItem):
            self.warn(f"skipped bad: {record.where}: {record.error}")
            self.skipped["bad"] += 1
        elif isinstance(record, Account):
            self.who.account(record)

    # ---- messages --------------------------------------------------------------

    def message(self, m: ChatMessage) -> None:
        sender = m.sender
        if m.system or sender is None:
            return
        when = m.when
        day = when.astimezone(self.zone).date() if when.tzinfo is not None else when.date()
        if day > self.today or (self.since is not None and day < self.since):
            return
        state = self._state(m.chat)
        self.read += 1
        if self.progress is not None and self.read % 10_000 == 0:
            self.progress(self._done - 1, self.files, self.read)
        if sender.bot:
            self.skipped["automated"] += 1
            return
        if not self.who.told:  # who might be the user: who wrote in the most chats
            label = sender.name or sender.handle or "?"
            if (m.chat.id, label) not in self._seen:
                self._seen.add((m.chat.id, label))
                self.seen_in[label] += 1
        if state.mode is None:
            state.held.append((m, day))
            state.senders.add(sender)
            if len(state.senders) > self.max_group:
                self._decide(state, "large")
            return
        self._dispatch(state, m, day)

    def _state(self, chat: Chat) -> _Chat:
        last = self._last
        if last is not None and last.chat.id == chat.id:
            return last
        if last is not None and chat.app != "linkedin":  # the apps that write a chat's messages together
            self._finish(last)
        state = self._chats.get(chat.id)
        if state is None:
            state = self._chats[chat.id] = _Chat(chat, _mode(chat, self.max_group), _note(chat))
        self._last = state
        return state

    def _decide(self, state: _Chat, mode: str) -> None:
        state.mode = mode
        held, state.held = state.held, []
        for m, day in held:
            self._dispatch(state, m, day)

    def _dispatch(self, state: _Chat, m: ChatMessage, day: dt.date) -> None:
        assert m.sender is not None
        who = self.who.who(m.sender)
        if state.mode == "direct":
            self._direct(state, m, day, who)
        elif state.mode == "small":
            self._small(state, m, day, who)
        else:
            self._large(state, m, day, who)

    def _say(
        self,
        key: str,
        conversation: str,
        kind: str,
        day: dt.date,
        note: str | None,
        who: int | None,
        to: int | None = None,
    ) -> None:
        """A message that counts, from `who` (ME: the user, then `to` is the
        contact written to, where one is known)."""
        contacts = (who,) if who is not None and who != ME else ((to,) if to is not None else ())
        direction = "sent" if who == ME else "received"
        self.capture.say(self._file_id, Said(key, conversation, kind, day, note, contacts, direction))

    def _direct(self, state: _Chat, m: ChatMessage, day: dt.date, who: int | None) -> None:
        if who != ME and not state.partner_known:
            assert m.sender is not None
            self._partner(state, m.sender, who)
        if who == ME and not state.partner_known:
            state.held.append((m, day))
            return
        partner = state.partner_id
        if state.partner is not None and partner is None:
            self.partners.saw(state.partner, sent=who == ME, day=day)
        if partner is None:
            self.skipped["no_contact"] += 1
            if state.partner is None:  # the other side unknown here: what the user sent waits for it
                self._say(m.key, state.chat.id, DIRECT_TALK, day, state.note, ME)
            return
        self._say(m.key, state.chat.id, DIRECT_TALK, day, state.note, ME if who == ME else partner, to=partner)

    def _partner(self, state: _Chat, person: Person | None, who: int | None) -> None:
        state.partner, state.partner_id, state.partner_known = person, who if who != ME else None, True
        held, state.held = state.held, []
        for m, day in held:
            self._direct(state, m, day, ME)

    def _small(self, state: _Chat, m: ChatMessage, day: dt.date, who: int | None) -> None:
        if who == ME:
            self.capture.post(m.key, state.chat.id, day)
        elif who is None:
            self.skipped["no_contact"] += 1
            return
        self._say(m.key, state.chat.id, GROUP, day, state.note, who)

    def _large(self, state: _Chat, m: ChatMessage, day: dt.date, who: int | None) -> None:
        """Exchanges between the user and a contact: a reply to each other, a
        mention of each other, a thread both wrote in."""
        chat = state.chat
        self.large.setdefault(chat.id, chat)
        if who == ME:
            self.capture.post(m.key, chat.id, day)
        else:
            state.others += 1
        if who is None:
            return
        state.authors[m.key] = who
        thread = m.thread
        with_whom: dict[int, str] = {}  # contact -> the key of the message that is the exchange
        target = state.authors.get(m.reply_to) if m.reply_to else None
        mentioned = {self.who.who(p) for p in m.mentions}
        if who == ME:
            for cid in mentioned:
                if cid is not None and cid != ME:
                    with_whom.setdefault(cid, m.key)
            if target is not None and target != ME:
                with_whom.setdefault(target, m.key)
        elif target == ME or ME in mentioned:
            with_whom[who] = m.key
        writers = state.threads.setdefault(thread, {}) if thread is not None else None
        if writers is not None:
            if who == ME:
                for cid, days in writers.items():
                    if cid != ME:
                        with_whom.setdefault(cid, m.key)
                        if ME not in writers:  # the user joins: the contact's earlier days are exchanges too
                            for earlier, key in days.items():
                                self._exchange(state, key, thread, earlier, cid, "received")
            elif ME in writers:
                with_whom[who] = m.key
                if who not in writers:
                    for earlier, key in writers[ME].items():
                        self._exchange(state, key, thread, earlier, who, "sent")
            writers.setdefault(who, {}).setdefault(day, m.key)
        for cid, key in with_whom.items():
            self._exchange(state, key, thread, day, cid, "sent" if who == ME else "received")
        if self.groups:  # everyone who wrote on a day the user wrote
            wrote, said = state.days.setdefault(day, (False, []))
            contacts, direction = ((), "sent") if who == ME else ((who,), "received")
            said.append(Said(m.key, chat.id, GROUP, day, state.note, contacts, direction))
            state.days[day] = (wrote or who == ME, said)

    def _exchange(self, state: _Chat, key: str, thread: str | None, day: dt.date, cid: int, direction: str) -> None:
        if direction == "received":
            state.exchanged.add(key)
        conversation = f"{state.chat.id}/{_tag(thread) if thread else '-'}/{cid}"
        note = _note(state.chat, exchange=True)
        said = Said(f"{key}>{cid}", conversation, EXCHANGE, day, note, (cid,), direction)
        self.capture.say(self._file_id, said)

    def _finish(self, state: _Chat) -> None:
        """A chat read to its end (as far as this export goes)."""
        if state.mode is None:
            self._decide(state, "small")
        if state.mode == "direct" and state.held:  # the user wrote, the other side never did
            partner = _partner_of(state.chat)
            self._partner(state, partner, self.who.who(partner) if partner is not None else None)
        if state.mode == "large":
            self.skipped["group"] += state.others - len(state.exchanged)
            for _day, (wrote, said) in sorted(state.days.items()):
                for one in said if wrote else ():
                    self.capture.say(self._file_id, one)
        self._chats.pop(state.chat.id, None)
        if self._last is state:
            self._last = None

    def _finish_all(self) -> None:
        for state in list(self._chats.values()):
            self._finish(state)

    # ---- the end -------------------------------------------------------------------

    def summary(self) -> ChatSummary:
        """The contract's summary document (section 8, `skipped.group` added),
        with `groups`: the large groups read, each with its community and,
        when it has none, the command that links it."""
        self.capture.flush()
        counts = self.capture.counts
        return ChatSummary(
            files=self.files,
            unchanged=self.unchanged,
            read=self.read,
            logged=counts["logged"],
            updated=counts["updated"],
            removed=counts["removed"],
            already=counts["already"],
            skipped=dict(self.skipped),
            suggestions=self.partners.suggestions(),
            groups=self._groups(),
        )

    def _groups(self) -> list[ChatGroup]:
        chats = sorted(self.large.values(), key=lambda c: (c.app, c.name or "", c.id))
        linked = chat_communities(self.session, [c.id for c in chats])
        posts = post_counts(self.session, [c.id for c in chats])
        found = []
        for chat in chats:
            community = linked.get(chat.id)
            name = clean_note(chat.name) or APP_NAMES.get(chat.app, chat.app)
            found.append(
                ChatGroup(
                    chat=chat.id,
                    name=name,
                    app=chat.app,
                    posts=posts.get(chat.id, (0, None))[0],
                    community=community[1] if community else None,
                    command=None if community else link_command(self.session, name, chat.id),
                )
            )
        return found


def link_command(session: Session, name: str, chat: str) -> str:
    """The command that makes a chat a community: `community edit` when one
    of that name exists, else `community add`."""
    from netcli.store.places import communities_by_key

    if name_key(name) in communities_by_key(session):
        return command("community", "edit", name, "--chat", chat)
    return command("community", "add", name, "--kind", "community", "--chat", chat)


def _mode(chat: Chat, max_group: int) -> str | None:
    if chat.kind == DIRECT:
        return "direct"
    if chat.participants is None:  # a channel (a broadcast, a server's), or a group decided by who writes in it
        return "large" if chat.kind == CHANNEL else None
    return "small" if chat.participants <= max_group else "large"


def _note(chat: Chat, *, exchange: bool = False) -> str | None:
    app = APP_NAMES.get(chat.app, chat.app)
    name = clean_note(chat.name)
    if not name:
        return app
    if exchange:
        hashed = chat.app in ("slack", "discord") and not name.startswith("#")
        return clean_note(f"{app}: in {'#' if hashed else ''}{name}")
    return clean_note(f"{app}: {name}")


def _partner_of(chat: Chat) -> Person | None:
    """A direct chat's other side, where the chat itself says."""
    if chat.app == "telegram" and chat.id.startswith("telegram:user"):
        return Person(handle=f"telegram:{chat.id.removeprefix('telegram:user')}", name=chat.name)
    if chat.app == "whatsapp" and chat.name:
        from netcli.capture.chat.whatsapp import person

        return person(chat.name)
    return None


def _tag(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def _holders(people: People) -> dict[str, int]:
    """Every identity a contact is matched by, for the context digest."""
    found = {f"h:{k}": v for k, v in people.handle.items()}
    found |= {f"e:{k}": v for k, v in people.email.items()}
    found |= {f"p:{k}": v for k, v in people.phone.items()}
    found |= {f"n:{k}": v[0] for k, v in people.name.items() if len(v) == 1}
    return found


def _found(path: Path, info: os.stat_result) -> Found:
    """A file as it is; a folder (a Slack export) as its files' names, sizes and times."""
    if not path.is_dir():
        return Found(path, info.st_size, info.st_mtime_ns, True)
    digest = hashlib.sha1(usedforsecurity=False)
    size = 0
    for here, folders, files in os.walk(path):
        folders.sort()
        for name in sorted(files):
            try:
                stat = os.stat(os.path.join(here, name), follow_symlinks=False)
            except OSError:
                continue
            size += stat.st_size
            digest.update(f"{os.path.join(here, name)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return Found(path, size, int(digest.hexdigest()[:15], 16), True)


def records_of(paths: Sequence[Path]) -> Iterator[object]:
    """Every record of these exports (what the benchmark's floor reads)."""
    for path in paths:
        with open_export(path) as export:
            yield from export.records()


def capture_chat(
    session: Session,
    paths: Sequence[Path],
    *,
    config: Config,
    today: dt.date,
    since: dt.date | None,
    groups: bool = False,
    warn: Warn,
    report: Report | None = None,
    progress: Progress | None = None,
) -> ChatSummary:
    """`netcli capture chat`: log the conversations with contacts in chat
    exports since `since`; the summary document of the contract."""
    run = ChatRun(
        session, config=config, today=today, since=since, groups=groups, warn=warn, report=report, progress=progress
    )
    run.exports(paths, refuse=_not_linkedin)
    return run.summary()


def _not_linkedin(export: Export) -> str | None:
    if export.apps == ["linkedin"]:
        return f"is LinkedIn's data export; capture it with: {command('capture', 'linkedin', str(export.path))}"
    return None
