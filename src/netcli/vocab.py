"""The fixed vocabularies of netcli: interaction kinds, sources and
directions, channels, tiers.

A light module on purpose: the CLI builds its option choices from these enums
without importing SQLAlchemy, so `netcli --help` stays fast.
"""

from __future__ import annotations

from enum import Enum


class Kind(str, Enum):
    """What kind of exchange an interaction was."""

    met = "met"
    message = "message"
    call = "call"
    meeting = "meeting"
    event = "event"
    collab = "collab"
    help_given = "help-given"
    help_received = "help-received"
    thanks = "thanks"
    intro = "intro"
    mentor_session = "mentor-session"
    other = "other"


class Source(str, Enum):
    """Where an interaction came from: typed in, imported, or captured."""

    manual = "manual"
    import_ = "import"
    mail = "mail"
    calendar = "calendar"
    chat = "chat"
    linkedin = "linkedin"


class Direction(str, Enum):
    """Who wrote a captured exchange: the user (sent), the other side, or both."""

    sent = "sent"
    received = "received"
    both = "both"


CAPTURED = tuple(s.value for s in (Source.mail, Source.calendar, Source.chat, Source.linkedin))  # what `history` marks


# the chat apps capture reads, as people name them (a chat's id starts with its key: `whatsapp:…`)
CHAT_APPS = {
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "slack": "Slack",
    "discord": "Discord",
    "googlechat": "Google Chat",
    "linkedin": "LinkedIn",
}


class Channel(str, Enum):
    """How you met someone."""

    forum = "forum"
    social = "social"
    event = "event"
    virtual_event = "virtual-event"
    course = "course"
    community = "community"
    mentoring = "mentoring"
    shadowing = "shadowing"
    project = "project"
    association = "association"
    work = "work"
    intro = "intro"
    other = "other"
    address_book = "address-book"  # arrived from an address book (`sync vdir`): how you met is not known


class Tier(str, Enum):
    """Closeness: A is your inner circle, D the outer edge."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class CommunityKind(str, Enum):
    """What kind of group a community is."""

    forum = "forum"
    social = "social"
    community = "community"
    course = "course"
    association = "association"
    workplace = "workplace"


class EventKind(str, Enum):
    """What kind of gathering an event is."""

    workshop = "workshop"
    conference = "conference"
    meetup = "meetup"
    webinar = "webinar"
    other = "other"


class SortOrder(str, Enum):
    name = "name"
    last = "last"
    due = "due"


KINDS = [k.value for k in Kind]
CHANNELS = [c.value for c in Channel]
TIERS = [t.value for t in Tier]


class Side(str, Enum):
    """Which side wins a field changed on both (`sync vdir --prefer`)."""

    netcli = "netcli"
    vdir = "vdir"
