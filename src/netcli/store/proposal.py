"""What a source says of one person, before the writer (`contacts`)
decides what to do with it: a `Proposal`, every field cleaned by its one
cleaner (`propose`), the `Policy` it comes with, and the lists `edit`
leaves (`list_edits`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlmodel import Session

from netcli.errors import Invalid
from netcli.models import Contact
from netcli.store.clean import FIELD_CLEANERS, clean_birthday, clean_day, clean_labels
from netcli.store.emails import EMAILS, HANDLES, PHONES, clean_listed, keyer, listed_of
from netcli.store.rows import labels_of


class Policy(str, Enum):
    typed = "typed"
    fill = "fill"
    prefer = "prefer"


class _Clear:
    def __repr__(self) -> str:
        return "CLEAR"


CLEAR: Any = _Clear()  # a typed value that empties its field

# the fields a contact holds one value of, as the contact's columns
SCALARS = (
    "name",
    "org",
    "role",
    "location",
    "url",
    "via",
    "met_at",
    "met_on",
    "introduced_by_id",
    "tier",
    "cadence_days",
    "note",
    "birthday",
    "archived",
)
LISTS = ("emails", "phones", "handles", "tags", "topics")
# where you met comes with its event or community link: they move together
PLACE_LINKS = ("met_event_id", "met_community_id")


@dataclass
class Proposal:
    """What one source says of one person. `None` is "says nothing"; lists
    are `None` when not given. Values are cleaned (`propose`)."""

    name: str | None = None
    emails: list[str] | None = None
    phones: list[str] | None = None
    handles: list[str] | None = None
    org: Any = None
    role: Any = None
    location: Any = None
    url: Any = None
    via: Any = None
    met_at: Any = None
    met_on: Any = None
    introduced_by_id: Any = None
    tier: Any = None
    cadence_days: Any = None
    note: Any = None
    birthday: Any = None
    archived: Any = None
    tags: list[str] | None = None
    topics: list[str] | None = None
    met_event_id: Any = None
    met_community_id: Any = None
    # fields a source gives for a new contact only (LinkedIn's "how you met":
    # a default for someone new, no claim about someone known)
    only_new: frozenset[str] = frozenset()
    # fields a source gives as they are now (LinkedIn's company and position):
    # a differing value held is also a job change (`JobChange`), and like any
    # other conflict it stays unless the policy is `prefer`
    current: frozenset[str] = frozenset()


def propose(
    raw: Mapping[str, Any], *, today: dt.date | None = None, region: str | None = None, typed: bool = False
) -> Proposal:
    """A record from any door (CLI options, a CSV row, a backup's contact, a
    card) as a Proposal: each field through its one cleaner (`BadValue`
    naming the field when it cannot be held). `email` and `emails` (a list,
    or `;`-joined) make one list, `phone` and `phones` too; `tags` and
    `topics` take a list or a `;`-joined cell, and so do `handle` and
    `handles` (each `KIND:VALUE`). With `typed`, a key given empty clears its
    field (`edit --org ""`)."""
    proposal = Proposal()
    for key, value in raw.items():
        if key in ("email", "emails", "phone", "phones", "handle", "handles", "tags", "topics", "introduced_by", "uid"):
            continue  # lists below; an introducer is the door's to resolve; a card's UID is the card's
        cleaner = FIELD_CLEANERS.get(key)
        if cleaner is None:
            if key in PLACE_LINKS or key == "introduced_by_id":
                setattr(proposal, key, CLEAR if value is None and typed else value)
                continue
            raise TypeError(f"unknown contact field {key!r}")
        cleaned: Any
        if key == "met_on":
            cleaned = clean_day(value, field="met_on", today=today)
        elif key == "birthday":
            cleaned = clean_birthday(value, today=today)
        else:
            cleaned = cleaner(value)
        setattr(proposal, key, CLEAR if cleaned is None and typed else cleaned)
    for kind, one, many in ((EMAILS, "email", "emails"), (PHONES, "phone", "phones"), (HANDLES, "handle", "handles")):
        if one in raw or many in raw:
            given = [*_split(raw.get(one)), *_split(raw.get(many))]
            setattr(proposal, many, clean_listed(kind, given, region=region))
    for labels in ("tags", "topics"):
        if labels in raw:
            setattr(proposal, labels, clean_labels(labels[:-1], _split(raw[labels])))
    return proposal


def _split(value: Any) -> list[Any]:
    """A list as given (each item judged, an empty one refused), or a
    spreadsheet's cell split at `;` (empty parts skipped)."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None]
    return [part for part in str(value).split(";") if part.strip()]


def list_edits(
    session: Session,
    *,
    contact: Contact,
    region: str | None = None,
    emails: Sequence[str] | None = None,
    add_emails: Sequence[str] = (),
    remove_emails: Sequence[str] = (),
    phones: Sequence[str] | None = None,
    add_phones: Sequence[str] = (),
    remove_phones: Sequence[str] = (),
    add_handles: Sequence[str] = (),
    remove_handles: Sequence[str] = (),
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    add_topics: Sequence[str] = (),
    remove_topics: Sequence[str] = (),
) -> dict[str, list[str]]:
    """The lists `edit` leaves, for a typed Proposal (only those edited):
    `emails`/`phones` take the first one's place (an empty one drops it),
    the added go last, the removed must be held."""
    assert contact.id is not None
    edits: dict[str, list[str]] = {}
    for kind, first, add, remove in (
        (EMAILS, emails, add_emails, remove_emails),
        (PHONES, phones, add_phones, remove_phones),
        (HANDLES, None, add_handles, remove_handles),
    ):
        if first is None and not add and not remove:
            continue
        key = keyer(kind, region)
        after = listed_of(session, kind, contact_ids=[contact.id]).get(contact.id, [])
        if first is not None:
            after = [*clean_listed(kind, first, region=region), *after[1:]]
        seen: dict[str, str] = {}
        for value in [*after, *clean_listed(kind, add, region=region)]:
            seen.setdefault(key(value), value)
        after = list(seen.values())
        for value in clean_listed(kind, remove, region=region):
            found = [v for v in after if key(v) == key(value)]
            if not found:
                shown = ", ".join(after) if after else "none"
                raise Invalid(f"{contact.name} has no {kind.what} {value} (their {kind.what}s: {shown})")
            after.remove(found[0])
        edits[f"{kind.what}s"] = after
    for labels, add, remove in (("tags", add_tags, remove_tags), ("topics", add_topics, remove_topics)):
        if add or remove:
            held = labels_of(session, contact_id=contact.id, kind=labels)
            gone = set(clean_labels(labels[:-1], remove))
            edits[labels] = [
                label for label in dict.fromkeys([*held, *clean_labels(labels[:-1], add)]) if label not in gone
            ]
    return edits
