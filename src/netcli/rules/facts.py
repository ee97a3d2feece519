"""What the rules read and what they make: facts about people, mentors,
goals, events and birthdays (gathered by `store.facts`, up to as-of), the
`Facts` of one evaluation, and `Nudge`, one thing to do. Pure data.

The records are named tuples, not frozen dataclasses: a dataclass writes and
compiles its methods when its module is imported, about a millisecond a class
on every command's start, and every command that reads a contact imports these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol


class Settings(Protocol):
    """What the rules read of the user's configuration (`config.Config` is one)."""

    @property
    def tiers(self) -> dict[str, int]: ...

    @property
    def enabled(self) -> dict[str, bool]: ...

    def rule(self, key: str) -> Any: ...

    def tier_cadence(self, tier: str) -> int: ...


class PersonFacts(NamedTuple):
    """What the rules know about one (non-archived) person, up to as-of (a
    network of 100,000 people is 100,000 of these). The store
    selects its columns by these field names (`store.person_facts(fields=…)`)."""

    id: int
    name: str
    tier: str
    own_cadence_days: int | None
    last_contact: dt.date | None
    last_met: dt.date | None  # newest `met` interaction
    last_other: dt.date | None  # newest interaction of any other kind
    last_owed: dt.date | None  # newest help-received, intro or mentor-session
    last_owed_kind: str | None
    last_thanks: dt.date | None
    received_in_window: int  # help-received within give_back_window_days
    given_in_window: int
    last_received: dt.date | None
    contact_week_count: int = 0  # distinct weeks of contact (see `cadence.contact_weeks`)
    median_gap: float | None = None  # median days between them
    topics: tuple[str, ...] | None = ()  # None when not read: only words read them (`Rule.reads_topics`)


class MentorFacts(NamedTuple):
    contact_id: int
    name: str
    status: str
    archived: bool
    own_cadence_days: int | None
    started_on: dt.date | None
    ended_on: dt.date | None
    last_session: dt.date | None
    open_questions: int
    topics: tuple[str, ...] = ()
    sessions_from: dt.date | None = None  # mentor add --since: the rhythm counts from then
    scheduled: dt.date | None = None  # the next session on the user's calendar (capture calendar)


# (contact id, name, tier, last contact)
Helper = tuple[int, str, str, dt.date | None]


class GoalFacts(NamedTuple):
    id: int
    title: str
    created_on: dt.date
    last_activity: dt.date
    linked: tuple[Helper, ...] = ()  # people linked to the goal
    experts: tuple[Helper, ...] = ()  # others whose topics match it


class EventFacts(NamedTuple):
    id: int
    name: str
    date: dt.date
    online: bool
    community: str | None
    people: tuple[str, ...] = ()  # whom to look for there, closest first


class BirthdayFacts(NamedTuple):
    contact_id: int  # a contact who is not archived
    name: str
    birthday: str  # as stored: YYYY-MM-DD, --MM-DD, or as a vCard gave it


class ReplyFacts(NamedTuple):
    """A contact whose newest interaction is captured mail they sent
    (`capture mail`), or a direct chat where only they wrote (`capture
    chat`), with nothing from the user since."""

    contact_id: int  # a contact who is not archived
    name: str
    received_on: dt.date  # the day of that thread's mail, or of that chat
    subject: str | None
    app: str | None = None  # the chat app they wrote in (WhatsApp, Telegram...); None for mail


class CommunityFacts(NamedTuple):
    """A community with a cadence (`community edit --every`): when the user
    last took part (a post in one of its chats, one of its events, `done`)."""

    id: int
    name: str
    app: str | None  # the chat app of its first chat (Discord, Slack...); None without one
    every_days: int
    since: dt.date  # the day the cadence was set: its clock starts then
    last: dt.date | None  # the last day the user took part, up to today


class JobFacts(NamedTuple):
    """A contact's newest job change (`capture linkedin`, `import linkedin`):
    what they hold since `seen_on`, and what before."""

    contact_id: int  # a contact who is not archived
    name: str
    seen_on: dt.date
    org: str | None
    role: str | None
    org_before: str | None
    role_before: str | None
    # what the contact holds now: the old job still, when an import listed the
    # new one as a conflict rather than replacing what the user typed
    org_held: str | None = None
    role_held: str | None = None


class Facts(NamedTuple):
    """Everything one evaluation reads. A rule declares which of these
    collections holds its subjects (`Rule.subject`); a new kind of subject is
    one more field here and one more query in `store.facts`."""

    people: Sequence[PersonFacts] = ()
    mentors: Sequence[MentorFacts] = ()
    goals: Sequence[GoalFacts] = ()
    events: Sequence[EventFacts] = ()
    birthdays: Sequence[BirthdayFacts] = ()
    replies: Sequence[ReplyFacts] = ()
    communities: Sequence[CommunityFacts] = ()
    jobs: Sequence[JobFacts] = ()


Words = tuple[str, str, dict[str, Any]]  # action, reason, inputs


class Nudge:
    """One thing to do. Its id and words (action, reason, inputs) are made
    only when read: with a large network most nudges are ranked and never
    shown. `subject` is the person, goal or event the rule is about, and
    `cycle` what a new cycle changes (e.g. the last contact): the id is a hash
    of the rule, the subject and the cycle, so it stays the same until the
    facts move on."""

    __slots__ = ("_id", "_words", "contact", "contact_id", "cycle", "due", "priority", "rule", "subject")

    def __init__(
        self,
        *,
        rule: str,
        subject: int,
        cycle: object,
        contact: str | None,
        contact_id: int | None,
        due: dt.date,
        priority: float,
        words: Callable[[], Words],
    ) -> None:
        self.rule, self.subject, self.cycle = rule, subject, cycle
        self.contact, self.contact_id, self.due, self.priority = contact, contact_id, due, priority
        self._id: str | None = None
        self._words: Callable[[], Words] | Words = words

    @property
    def id(self) -> str:
        if self._id is None:
            self._id = nudge_id(self.rule, self.subject, self.cycle)
        return self._id

    def _text(self) -> Words:
        if callable(self._words):
            self._words = self._words()
        return self._words

    @property
    def action(self) -> str:
        return self._text()[0]

    @property
    def reason(self) -> str:
        return self._text()[1]

    @property
    def inputs(self) -> dict[str, Any]:
        return self._text()[2]

    def __repr__(self) -> str:
        return f"Nudge({self.id} {self.rule} {self.contact!r} due {self.due} priority {self.priority})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "action": self.action,
            "contact": self.contact,
            "contact_id": self.contact_id,
            "due": self.due,
            "priority": self.priority,
            "reason": self.reason,
        }


def nudge_id(rule: str, subject: object, cycle: object) -> str:
    """Short and stable: the same rule, subject and cycle give the same id."""
    from hashlib import sha1  # loads OpenSSL: a fifth of `netcli --help`, which never makes an id

    return sha1(f"{rule}|{subject}|{cycle}".encode()).hexdigest()[:7]


class NudgeMark(NamedTuple):
    """What the user did with a nudge id: snoozed until a day, dismissed or
    done; `contact_id` is the marked nudge's contact."""

    state: str
    until: dt.date | None = None
    contact_id: int | None = None
