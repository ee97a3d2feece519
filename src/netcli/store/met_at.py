"""Where you met someone: a contact's `met_at` text linked to the event or
community it names exactly (case, accents and spacing aside), whichever door
the contact came through and whichever came first, the contact or the place.

`add` and `edit` resolve `--met-at` more loosely first (a unique prefix, an
#ID, with words for the user: `places.match_place`); the one contact writer
then links what a file or a card says (`Places.links`), and a place added or
renamed later links the people already said to have met there (`link_back`).
Ambiguous text, or an event whose every edition is after the meeting day,
stays text."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import select, update
from sqlmodel import Session

from netcli.models import Community, Contact, Event
from netcli.names import name_key
from netcli.store.rows import as_date, col, table_of


def edition_day(days: Iterable[dt.date], on: dt.date) -> dt.date | None:
    """Of one event's editions (their days), the day of the one you met
    someone at on `on`: that day's, else the latest before it; None when
    every edition is after it (a meeting cannot be at an event to come)."""
    days = list(days)
    return on if on in days else max((day for day in days if day < on), default=None)


class _Edition(NamedTuple):
    day: dt.date
    id: int
    community_id: int | None


class Places:
    """The events and communities by name key, read once for a batch."""

    def __init__(self, session: Session) -> None:
        self.events: dict[str, list[_Edition]] = defaultdict(list)
        self.communities: dict[str, list[int]] = defaultdict(list)
        rows = session.connection().execute(
            select(col(Event.name_key), col(Event.date), col(Event.id), col(Event.community_id))
        )
        self.day: dict[int, dt.date] = {}  # each event's day
        for key, day, event_id, community_id in rows:
            self.events[key].append(_Edition(as_date(day), event_id, community_id))
            self.day[event_id] = as_date(day)
        for key, community_id in session.connection().execute(select(col(Community.name_key), col(Community.id))):
            self.communities[key].append(community_id)

    def links(self, text: str | None, on: dt.date | None) -> tuple[int | None, int | None]:
        """(event id, community id) that `text` names exactly for a meeting
        on `on` (None: a day not known, and then an event of one edition
        only): an event links its community too; (None, None) for none, or
        for more than one."""
        if not text or not text.strip():
            return None, None
        key = name_key(text)
        editions = self.events.get(key, [])
        # an event's own community is no rival to it: the event links both
        communities = [c for c in self.communities.get(key, []) if c not in {e.community_id for e in editions}]
        if len(communities) + bool(editions) != 1:
            return None, None
        if communities:
            return None, communities[0]
        day = edition_day((e.day for e in editions), on) if on is not None else None
        chosen = [e for e in editions if e.day == day] if on is not None else editions
        return (chosen[0].id, chosen[0].community_id) if len(chosen) == 1 else (None, None)


def link_back(session: Session, *, key: str) -> int:
    """Link the contacts linked to no place whose `met_at` names the place of
    name key `key` (just added or renamed); how many were linked."""
    session.flush()
    places: Places | None = None
    linked = 0
    unlinked = session.connection().execute(
        select(col(Contact.id), col(Contact.met_at), col(Contact.met_on)).where(
            col(Contact.met_at).is_not(None),
            col(Contact.met_event_id).is_(None),
            col(Contact.met_community_id).is_(None),
        )
    )
    for contact_id, text, on in unlinked.all():
        if not text or name_key(text) != key:
            continue
        places = places or Places(session)
        event_id, community_id = places.links(text, as_date(on) if on is not None else None)
        if event_id is None and community_id is None:
            continue
        session.execute(
            update(table_of(Contact))
            .where(col(Contact.id) == contact_id)
            .values(met_event_id=event_id, met_community_id=community_id)
        )
        linked += 1
    if linked:
        for held in list(session.identity_map.values()):
            if isinstance(held, Contact):
                session.expire(held)  # its links were written under it
    return linked
