"""Communities and events: finding one by #ID or name, adding, editing
(linking who met there: `met_at.link_back`), deleting, joining, and matching
the free text of `--met-at` to one."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, select

from netcli.errors import Ambiguous, Duplicate, Invalid, NotFound
from netcli.identity import prefix_patterns
from netcli.models import Community, CommunityMember, Contact, Event, Participant
from netcli.names import name_key
from netcli.store.activity import chats_of, taking_part
from netcli.store.clean import clean_name, clean_text
from netcli.store.met_at import edition_day, link_back
from netcli.store.resolve import find_named
from netcli.store.rows import as_date, col, table_of

# `#3`; `event #3` and `community #3` where both an event and a community have that id
_PLACE_ID = re.compile(r"^(?:(event|community)\s*)?#(\d{1,18})$", re.IGNORECASE)


def _place_id(text: str) -> tuple[str | None, int] | None:
    match = _PLACE_ID.match(text.strip())
    return (match.group(1).lower() if match.group(1) else None, int(match.group(2))) if match else None


def _event_label(event: Event) -> str:
    return f"#{event.id} {event.name} ({event.date})"


def _community_label(community: Community) -> str:
    return f"#{community.id} {community.name}"


def _find(session: Session, kind: str, model: Any, text: str, order: Sequence[Any], label: Callable[[Any], str]) -> Any:
    def id_of(cleaned: str) -> int | None:
        ref = _place_id(cleaned)
        return ref[1] if ref is not None and ref[0] in (None, kind) else None

    rows = session.scalars(select(model).order_by(*order)).all()
    return find_named(
        text,
        kind=kind,
        rows=rows,
        key=lambda r: r.name_key,
        name=lambda r: r.name,
        label=label,
        by_id=lambda n: session.get(model, n),
        id_of=id_of,
    )


def find_community(session: Session, *, name: str) -> Community:
    return _find(session, "community", Community, name, [col(Community.name_key), col(Community.id)], _community_label)


def find_event(session: Session, *, name: str) -> Event:
    return _find(session, "event", Event, name, [col(Event.date), col(Event.id)], _event_label)


def _place_name(kind: str, name: str) -> str:
    """A clean event or community name, never one that reads as an #ID."""
    if not " ".join(str(name).split()):
        raise Invalid(f"{'an' if kind == 'event' else 'a'} {kind} name cannot be empty")
    cleaned = clean_name(name)
    if _place_id(cleaned) is not None:
        raise Invalid(f"'{cleaned}' would read as an #ID; give the {kind} a name with words in it")
    return cleaned


def _community_clash(session: Session, name: str, *, exclude: int | None) -> None:
    query = select(Community).where(col(Community.name_key) == name_key(name))
    if exclude is not None:
        query = query.where(col(Community.id) != exclude)
    clash = session.scalars(query.order_by(col(Community.id)).limit(1)).first()
    if clash is not None:
        raise Duplicate(
            f"the community {_community_label(clash)} already exists; name it by its #ID, "
            + ("or choose another name" if exclude is not None else "or add another with --force")
        )


def _event_clash(session: Session, name: str, on: dt.date, *, exclude: int | None) -> None:
    query = select(Event).where(col(Event.name_key) == name_key(name), col(Event.date) == on)
    if exclude is not None:
        query = query.where(col(Event.id) != exclude)
    clash = session.scalars(query.order_by(col(Event.id)).limit(1)).first()
    if clash is not None:
        raise Duplicate(
            f"the event {_event_label(clash)} already exists; name it by its #ID, "
            + ("or choose another name or day" if exclude is not None else "or add another with --force")
        )


def add_community(session: Session, *, name: str, kind: str, url: str | None, force: bool = False) -> Community:
    name = _place_name("community", name)
    if not force:
        _community_clash(session, name, exclude=None)
    community = Community(name=name, name_key=name_key(name), kind=kind, url=clean_text("url", url))
    session.add(community)
    link_back(session, key=community.name_key)
    return community


def add_event(
    session: Session,
    *,
    name: str,
    on: dt.date,
    kind: str,
    online: bool,
    community: Community | None,
    force: bool = False,
) -> Event:
    name = _place_name("event", name)
    if not force:
        _event_clash(session, name, on, exclude=None)
    event = Event(
        name=name,
        name_key=name_key(name),
        date=on,
        kind=kind,
        online=online,
        community_id=community.id if community else None,
    )
    session.add(event)
    link_back(session, key=event.name_key)
    return event


def update_event(session: Session, *, event: Event, changes: dict[str, Any]) -> Event:
    """Apply `changes` (name, date, kind, online, community: a Community or None)."""
    for key, value in changes.items():
        if key == "name":
            event.name = _place_name("event", value)
            event.name_key = name_key(event.name)
        elif key == "community":
            event.community_id = value.id if value is not None else None
        elif key in ("date", "kind", "online"):
            setattr(event, key, value)
        else:
            raise TypeError(f"unknown event field {key!r}")
    if "name" in changes or "date" in changes:
        _event_clash(session, event.name, event.date, exclude=event.id)
    session.add(event)
    link_back(session, key=event.name_key)
    return event


def update_community(session: Session, *, community: Community, changes: dict[str, Any]) -> Community:
    """Apply `changes` (name, kind, url; an empty url clears it)."""
    for key, value in changes.items():
        if key == "name":
            community.name = _place_name("community", value)
            community.name_key = name_key(community.name)
            _community_clash(session, community.name, exclude=community.id)
        elif key == "url":
            community.url = clean_text("url", value)
        elif key == "kind":
            community.kind = value
        else:
            raise TypeError(f"unknown community field {key!r}")
    session.add(community)
    link_back(session, key=community.name_key)
    return community


def delete_event(session: Session, *, event: Event) -> int:
    """Delete an event; the people met there stay, unlinked. Returns how many."""
    unlinked = session.exec(update(Contact).where(col(Contact.met_event_id) == event.id).values(met_event_id=None))
    session.exec(delete(Event).where(col(Event.id) == event.id))
    session.expunge(event)
    return int(unlinked.rowcount or 0)


def delete_community(session: Session, *, community: Community) -> tuple[int, int]:
    """Delete a community; its people and events stay, unlinked. Returns
    (people, events) that were linked to it."""
    people = len(member_ids(session, community.id))
    session.exec(update(Contact).where(col(Contact.met_community_id) == community.id).values(met_community_id=None))
    events = session.exec(update(Event).where(col(Event.community_id) == community.id).values(community_id=None))
    session.exec(delete(CommunityMember).where(col(CommunityMember.community_id) == community.id))
    session.exec(delete(Community).where(col(Community.id) == community.id))
    session.expunge(community)
    return people, int(events.rowcount or 0)


def join_community(
    session: Session, *, community: Community, contacts: Sequence[Contact]
) -> tuple[list[str], list[str]]:
    """Make each contact a member; returns the names (joined, already members)."""
    have = set(
        session.scalars(
            select(col(CommunityMember.contact_id)).where(col(CommunityMember.community_id) == community.id)
        )
    )
    joined, already = [], []
    for contact in {c.id: c for c in contacts}.values():
        if contact.id in have:
            already.append(contact.name)
            continue
        session.add(CommunityMember(community_id=community.id, contact_id=contact.id))
        joined.append(contact.name)
    session.flush()
    return joined, already


def _edition(text: str, events: Sequence[Event], on: dt.date) -> Event | None:
    """Of one event's editions, the one you met someone at on `on` (`edition_day`)."""
    day = edition_day((e.date for e in events), on)
    chosen = [e for e in events if e.date == day]
    if len(chosen) > 1:
        raise _place_ambiguity(text, chosen, [])
    return chosen[0] if chosen else None


def _place_ambiguity(text: str, events: Sequence[Event], communities: Sequence[Community]) -> Ambiguous:
    labels = [f"event {_event_label(e)}" for e in events] + [f"community {_community_label(c)}" for c in communities]
    what = " and ".join(w for w, rows in (("events", events), ("communities", communities)) if rows)
    example = " ".join(labels[0].split(" ", 2)[:2])
    more = " and more" if len(labels) > 10 else ""
    return Ambiguous(
        f"'{text}' matches several {what}: {', '.join(labels[:10])}{more}; "
        f"use more of the name, or the #ID as in '{example}'"
    )


def match_place(session: Session, *, text: str | None, on: dt.date) -> tuple[Event | None, Community | None]:
    """The event (with its community) or community that `--met-at TEXT` names:
    #ID, else the exact name (case and accents aside), else a unique prefix of
    the name or of a word in it; never a mere part of a word, as the text is
    free. Editions of one event are told apart by the meeting day `on`.
    Nothing matches: (None, None), the text is kept as text. Several: Ambiguous."""
    if not text or not text.strip():
        return None, None
    ref = _place_id(text)
    if ref is not None:
        kind, number = ref
        event = session.get(Event, number) if kind in (None, "event") else None
        community = session.get(Community, number) if kind in (None, "community") else None
        if event is not None and community is not None:
            raise Ambiguous(
                f"'{text.strip()}' is both event {_event_label(event)} and community {_community_label(community)}; "
                f"say 'event #{number}' or 'community #{number}'"
            )
        if event is None and community is None:
            what = kind or "event or community"
            raise NotFound(
                f"no {what} has the id #{number}; 'netcli event list' and 'netcli community list' show the ids"
            )
        if event is not None and event.date > on:
            raise Invalid(
                f"event {_event_label(event)} is after the day you met ({on.isoformat()}); "
                "a meeting cannot be at an event that had not happened: give --on, or another event"
            )
        return (event, _community_of(session, event)) if event is not None else (None, community)
    key = name_key(text)
    whole, word = prefix_patterns(key)
    for matches in (
        lambda column: column == key,
        lambda column: or_(column.like(whole, escape="\\"), column.like(word, escape="\\")),
    ):
        events = session.scalars(
            select(Event).where(matches(col(Event.name_key))).order_by(col(Event.date), col(Event.id))
        ).all()
        communities = session.scalars(
            select(Community)
            .where(matches(col(Community.name_key)))
            .order_by(col(Community.name_key), col(Community.id))
        ).all()
        # an event's own community is no rival to it: the event links both
        communities = [c for c in communities if c.id not in {e.community_id for e in events}]
        names = {e.name_key for e in events}
        if len(names) + len(communities) > 1:
            raise _place_ambiguity(text.strip(), events, communities)
        if communities:
            return None, communities[0]
        if events:
            event = _edition(text.strip(), events, on)
            return (event, _community_of(session, event)) if event is not None else (None, None)
    return None, None


def _later_editions(session: Session, text: str | None, on: dt.date | None) -> list[Event]:
    """The editions of the event `text` names, when all of them are after `on`."""
    if on is None or not text or not text.strip() or _place_id(text) is not None:
        return []
    key = name_key(text)
    whole, word = prefix_patterns(key)
    for matches in (
        col(Event.name_key) == key,
        or_(col(Event.name_key).like(whole, escape="\\"), col(Event.name_key).like(word, escape="\\")),
    ):
        events = session.scalars(select(Event).where(matches).order_by(col(Event.date), col(Event.id))).all()
        if events:
            return list(events) if all(e.date > on for e in events) and len({e.name_key for e in events}) == 1 else []
    return []


def _community_of(session: Session, event: Event) -> Community | None:
    return session.get(Community, event.community_id) if event.community_id else None


def near_places(session: Session, *, text: str | None, limit: int = 3) -> list[str]:
    """Events and communities that `text` comes close to without naming one
    exactly (a start of the name, a part of it, a near spelling)."""
    key = name_key(text or "")
    if not key:
        return []
    names = {c.name_key: c.name for c in session.scalars(select(Community))}
    names.update((e.name_key, e.name) for e in session.scalars(select(Event).order_by(col(Event.date))))
    if key in names:
        return []
    close = [k for k in names if k.startswith(key) or f" {key}" in k or (len(key) >= 4 and key in k)]
    close += [k for k in difflib.get_close_matches(key, list(names), n=limit, cutoff=0.75) if k not in close]
    return [names[k] for k in close[:limit]]


def communities_by_key(session: Session) -> dict[str, Community]:
    """Every community by its name key (of several with one key, any one)."""
    return {c.name_key: c for c in session.scalars(select(Community))}


def event_keys(session: Session) -> set[tuple[str, dt.date]]:
    """(name key, date) of every event: what tells one edition from another."""
    return {(e.name_key, e.date) for e in session.scalars(select(Event))}


def names_exactly(text: str, place: Event | Community) -> bool:
    """Whether `text` is `place`'s #ID or its whole name (case and accents
    aside), rather than a part of it."""
    return _place_id(text.strip()) is not None or name_key(text) == place.name_key


def place_message(
    session: Session,
    *,
    text: str | None,
    event: Event | None,
    community: Community | None,
    option: str = "--met-at",
    on: dt.date | None = None,
) -> str | None:
    """What to say of the place `text` that `match_place` linked (or did not):
    the record it linked when `text` was not its exact name or #ID; the close
    names when it linked none; None when there is nothing to say. (One place
    for these words: `add`, `edit` and any other command taking a place.)"""
    linked = event or community
    if linked is not None:
        if text is None or _place_id(text.strip()) is not None:  # an #ID says which
            return None
        label = _event_label(event) if event is not None else _community_label(linked)  # type: ignore[arg-type]  # linked is the community here
        editions = 0
        if event is not None:
            editions = session.scalars(
                select(func.count()).select_from(table_of(Event)).where(col(Event.name_key) == event.name_key)
            ).one()
        if editions > 1:  # told apart by the meeting day: say which one it took
            return (
                f"{option} '{text}' linked to event {label}, one of {editions} editions of that name "
                f"(the meeting day picks it); give --met-at 'event #ID' for another"
            )
        if names_exactly(text, linked):
            return None
        return f"{option} '{text}' linked to {'event' if event is not None else 'community'} {label}"
    later = _later_editions(session, text, on)
    if later:
        return (
            f"{option} '{text}' is kept as text, not linked: event {_event_label(later[0])} is after the day you "
            f"met ({on}); a meeting cannot be at an event that had not happened"
        )
    close = near_places(session, text=text)
    if not close:
        return None
    names = " or ".join(f"'{name}'" for name in close)
    return f"{option} '{text}' matches no event or community; did you mean {names}? (stored as text)"


def member_ids(session: Session, community_id: int) -> list[int]:
    events = select(col(Event.id)).where(col(Event.community_id) == community_id)
    joined = select(col(CommunityMember.contact_id)).where(col(CommunityMember.community_id) == community_id)
    return list(
        session.scalars(
            select(col(Contact.id)).where(
                col(Contact.archived).is_(False),
                or_(
                    col(Contact.met_community_id) == community_id,
                    col(Contact.met_event_id).in_(events),
                    col(Contact.id).in_(joined),
                ),
            )
        )
    )


def community_dicts(session: Session) -> list[dict[str, Any]]:
    communities = session.scalars(select(Community).order_by(col(Community.name_key))).all()
    events = dict(
        session.exec(
            select(col(Event.community_id), func.count())
            .where(col(Event.community_id).is_not(None))
            .group_by(col(Event.community_id))
        ).all()
    )
    chats = chats_of(session)
    return [
        {
            "id": c.id,
            "name": c.name,
            "kind": c.kind,
            "url": c.url,
            "members": len(member_ids(session, c.id)),
            "events": int(events.get(c.id, 0)),
            **{"chats": chats.get(c.id, []), "every_days": c.cadence_days},
        }
        for c in communities
    ]


def community_detail(session: Session, *, community: Community, today: dt.date | None = None) -> dict[str, Any]:
    members = member_ids(session, community.id)
    names = session.exec(
        select(col(Contact.id), col(Contact.name), col(Contact.tier))
        .where(col(Contact.id).in_(members))
        .order_by(col(Contact.tier), col(Contact.name_key))
    ).all()
    events = session.scalars(
        select(Event).where(col(Event.community_id) == community.id).order_by(col(Event.date))
    ).all()
    return {
        "id": community.id,
        "name": community.name,
        "kind": community.kind,
        "url": community.url,
        "members": [{"id": i, "name": n, "tier": t} for i, n, t in names],
        "events": [event_dict(e, community.name) for e in events],
        **taking_part(session, community, today=today),
    }


def event_dict(event: Event, community: str | None) -> dict[str, Any]:
    return {
        "id": event.id,
        "name": event.name,
        "date": event.date,
        "kind": event.kind,
        "online": event.online,
        "community": community,
    }


def event_row(session: Session, *, event: Event) -> dict[str, Any]:
    community = _community_of(session, event)
    return event_dict(event, community.name if community else None)


def event_dicts(session: Session, *, from_date: dt.date | None = None) -> list[dict[str, Any]]:
    query = select(Event, col(Community.name)).join(
        table_of(Community), col(Community.id) == col(Event.community_id), isouter=True
    )
    if from_date is not None:
        query = query.where(col(Event.date) >= from_date)
    rows = session.exec(query.order_by(col(Event.date), col(Event.id))).all()
    met = dict(
        session.exec(
            select(col(Contact.met_event_id), func.count())
            .where(col(Contact.met_event_id).is_not(None))
            .group_by(col(Contact.met_event_id))
        ).all()
    )
    return [event_dict(e, c) | {"met": int(met.get(e.id, 0))} for e, c in rows]


def event_detail(session: Session, *, event: Event, as_of: dt.date) -> dict[str, Any]:
    """The event and who you met there, with whether you followed each up."""
    community = session.get(Community, event.community_id) if event.community_id else None
    people = session.scalars(
        select(Contact).where(col(Contact.met_event_id) == event.id).order_by(col(Contact.name_key))
    ).all()
    later = dict(
        session.exec(
            select(col(Participant.contact_id), func.max(col(Participant.date)))
            .where(col(Participant.contact_id).in_([p.id for p in people]), col(Participant.kind) != "met")
            .group_by(col(Participant.contact_id))
        ).all()
    )
    met = []
    for person in people:
        last = as_date(later.get(person.id))
        followed = last is not None and (person.met_on is None or last >= person.met_on)
        met.append({"id": person.id, "name": person.name, "met_on": person.met_on, "followed_up": followed})
    return event_dict(event, community.name if community else None) | {"people": met}
