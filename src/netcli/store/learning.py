"""Mentors and their questions, learning goals, communities and events."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from typing import Any, Iterable, Sequence

from sqlalchemy import delete, func, or_, select, update
from sqlmodel import Session

from netcli.errors import Ambiguous, Duplicate, Invalid, NotFound
from netcli.names import command, like_escape
from netcli.models import (
    Community,
    CommunityMember,
    Contact,
    ContactTopic,
    Event,
    Goal,
    GoalContact,
    GoalProgress,
    GoalTopic,
    Interaction,
    Mentor,
    MentorQuestion,
    Participant,
)
from netcli.store.people import (
    MAX_NOTE,
    _as_date,
    _labels,
    clean_labels,
    clean_name,
    clean_text,
    log_interaction,
    name_key,
)

# ----------------------------------------------------------------- communities and events

# `#3`; `event #3` and `community #3` where both an event and a community have that id
_PLACE_ID = re.compile(r"^(?:(event|community)\s*)?#(\d{1,18})$", re.IGNORECASE)


def _place_id(text: str) -> tuple[str | None, int] | None:
    match = _PLACE_ID.match(text.strip())
    return (match.group(1).lower() if match.group(1) else None, int(match.group(2))) if match else None


def _event_label(event: Event) -> str:
    return f"#{event.id} {event.name} ({event.date})"


def _community_label(community: Community) -> str:
    return f"#{community.id} {community.name}"


def _ambiguous(text: str, what: str, labels: Sequence[str], hint: str) -> Ambiguous:
    more = " and more" if len(labels) > 10 else ""
    return Ambiguous(f"'{text}' matches several {what}: {', '.join(labels[:10])}{more}; {hint}")


def _resolve(session: Session, kind: str, model: Any, text: str, rows: Sequence[Any], label) -> Any:  # type: ignore[no-untyped-def]
    """Name one event or community: its #ID, else the exact name (case and
    accents aside), else a unique prefix of the name or of a word in it, else
    a unique part of it. Several: each with its #ID; none: the closest names."""
    cleaned = str(text).strip()
    if not cleaned:
        raise Invalid(f"name the {kind} by its name or its #ID ('netcli {kind} list' shows them)")
    ref = _place_id(cleaned)
    if ref is not None and ref[0] in (None, kind):
        found = session.get(model, ref[1])
        if found is None:
            raise NotFound(f"no {kind} has the id #{ref[1]}; 'netcli {kind} list' shows the ids")
        return found
    key = name_key(cleaned)
    plural = "communities" if kind == "community" else "events"
    for test in (
        lambda k: k == key,
        lambda k: k.startswith(key) or f" {key}" in k,
        lambda k: key in k,
    ):
        found = [r for r in rows if test(r.name_key)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise _ambiguous(text, plural, [label(r) for r in found], "use more of the name, or the #ID")
    close = difflib.get_close_matches(key, [r.name_key for r in rows], n=3, cutoff=0.6)
    names = list(dict.fromkeys(r.name for r in rows if r.name_key in close))
    hint = f"; did you mean {', '.join(names)}?" if names else f"; 'netcli {kind} list' shows them"
    raise NotFound(f"no {kind} matches '{text}'{hint}")


def find_community(session: Session, *, name: str) -> Community:
    rows = session.exec(select(Community).order_by(Community.name_key, Community.id)).scalars().all()
    return _resolve(session, "community", Community, name, rows, _community_label)


def find_event(session: Session, *, name: str) -> Event:
    rows = session.exec(select(Event).order_by(Event.date, Event.id)).scalars().all()
    return _resolve(session, "event", Event, name, rows, _event_label)


def _place_name(kind: str, name: str) -> str:
    """A clean event or community name, never one that reads as an #ID."""
    if not " ".join(str(name).split()):
        raise Invalid(f"{'an' if kind == 'event' else 'a'} {kind} name cannot be empty")
    cleaned = clean_name(name)
    if _place_id(cleaned) is not None:
        raise Invalid(f"'{cleaned}' would read as an #ID; give the {kind} a name with words in it")
    return cleaned


def _community_clash(session: Session, name: str, *, exclude: int | None) -> None:
    query = select(Community).where(Community.name_key == name_key(name))
    if exclude is not None:
        query = query.where(Community.id != exclude)
    clash = session.exec(query.order_by(Community.id).limit(1)).scalars().first()
    if clash is not None:
        raise Duplicate(f"the community {_community_label(clash)} already exists; name it by its #ID, "
                        + ("or choose another name" if exclude is not None else "or add another with --force"))


def _event_clash(session: Session, name: str, on: dt.date, *, exclude: int | None) -> None:
    query = select(Event).where(Event.name_key == name_key(name), Event.date == on)
    if exclude is not None:
        query = query.where(Event.id != exclude)
    clash = session.exec(query.order_by(Event.id).limit(1)).scalars().first()
    if clash is not None:
        raise Duplicate(f"the event {_event_label(clash)} already exists; name it by its #ID, "
                        + ("or choose another name or day" if exclude is not None else "or add another with --force"))


def add_community(session: Session, *, name: str, kind: str, url: str | None, force: bool = False) -> Community:
    name = _place_name("community", name)
    if not force:
        _community_clash(session, name, exclude=None)
    community = Community(name=name, name_key=name_key(name), kind=kind, url=clean_text("url", url))
    session.add(community)
    session.flush()
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
    session.flush()
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
    session.flush()
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
    session.flush()
    return community


def delete_event(session: Session, *, event: Event) -> int:
    """Delete an event; the people met there stay, unlinked. Returns how many."""
    unlinked = session.exec(update(Contact).where(Contact.met_event_id == event.id).values(met_event_id=None))
    session.exec(delete(Event).where(Event.id == event.id))
    session.expunge(event)
    return int(unlinked.rowcount or 0)


def delete_community(session: Session, *, community: Community) -> tuple[int, int]:
    """Delete a community; its people and events stay, unlinked. Returns
    (people, events) that were linked to it."""
    people = len(_member_ids(session, community.id))
    session.exec(update(Contact).where(Contact.met_community_id == community.id).values(met_community_id=None))
    events = session.exec(update(Event).where(Event.community_id == community.id).values(community_id=None))
    session.exec(delete(CommunityMember).where(CommunityMember.community_id == community.id))
    session.exec(delete(Community).where(Community.id == community.id))
    session.expunge(community)
    return people, int(events.rowcount or 0)


def join_community(session: Session, *, community: Community, contacts: Sequence[Contact]) -> tuple[list[str], list[str]]:
    """Make each contact a member; returns the names (joined, already members)."""
    have = set(
        session.exec(select(CommunityMember.contact_id).where(CommunityMember.community_id == community.id)).scalars()
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


def _edition(text: str, events: Sequence[Event], on: dt.date) -> Event:
    """Of one event's editions, the one on the meeting day, else the latest
    before it, else the next one."""
    day = on if any(e.date == on for e in events) else max(
        (e.date for e in events if e.date < on), default=min(e.date for e in events)
    )
    chosen = [e for e in events if e.date == day]
    if len(chosen) > 1:
        raise _place_ambiguity(text, chosen, [])
    return chosen[0]


def _place_ambiguity(text: str, events: Sequence[Event], communities: Sequence[Community]) -> Ambiguous:
    labels = [f"event {_event_label(e)}" for e in events] + [f"community {_community_label(c)}" for c in communities]
    what = " and ".join(w for w, rows in (("events", events), ("communities", communities)) if rows)
    example = labels[0].split(" ", 2)[:2]
    return _ambiguous(text, what, labels, f"use more of the name, or the #ID as in '{' '.join(example)}'")


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
            raise NotFound(f"no {what} has the id #{number}; 'netcli event list' and 'netcli community list' show the ids")
        return (event, _community_of(session, event)) if event is not None else (None, community)
    key = name_key(text)
    pattern = like_escape(key)
    for matches in (
        lambda column: column == key,
        lambda column: or_(column.like(f"{pattern}%", escape="\\"), column.like(f"% {pattern}%", escape="\\")),
    ):
        events = session.exec(select(Event).where(matches(Event.name_key)).order_by(Event.date, Event.id)).scalars().all()
        communities = session.exec(
            select(Community).where(matches(Community.name_key)).order_by(Community.name_key, Community.id)
        ).scalars().all()
        # an event's own community is no rival to it: the event links both
        communities = [c for c in communities if c.id not in {e.community_id for e in events}]
        names = {e.name_key for e in events}
        if len(names) + len(communities) > 1:
            raise _place_ambiguity(text.strip(), events, communities)
        if communities:
            return None, communities[0]
        if events:
            event = _edition(text.strip(), events, on)
            return event, _community_of(session, event)
    return None, None


def _community_of(session: Session, event: Event) -> Community | None:
    return session.get(Community, event.community_id) if event.community_id else None


def near_places(session: Session, *, text: str | None, limit: int = 3) -> list[str]:
    """Events and communities that `text` comes close to without naming one
    exactly (a start of the name, a part of it, a near spelling)."""
    key = name_key(text or "")
    if not key:
        return []
    names = {c.name_key: c.name for c in session.exec(select(Community)).scalars()}
    names.update((e.name_key, e.name) for e in session.exec(select(Event).order_by(Event.date)).scalars())
    if key in names:
        return []
    close = [k for k in names if k.startswith(key) or f" {key}" in k or (len(key) >= 4 and key in k)]
    close += [k for k in difflib.get_close_matches(key, list(names), n=limit, cutoff=0.75) if k not in close]
    return [names[k] for k in close[:limit]]


def names_exactly(text: str, place: Event | Community) -> bool:
    """Whether `text` is `place`'s #ID or its whole name (case and accents
    aside), rather than a part of it."""
    return _place_id(text.strip()) is not None or name_key(text) == place.name_key


def place_message(
    session: Session, *, text: str | None, event: Event | None, community: Community | None, option: str = "--met-at"
) -> str | None:
    """What to say of the place `text` that `match_place` linked (or did not):
    the record it linked when `text` was not its exact name or #ID; the close
    names when it linked none; None when there is nothing to say. (One place
    for these words: `add`, `edit` and any other command taking a place.)"""
    linked = event or community
    if linked is not None:
        if text is None or _place_id(text.strip()) is not None:  # an #ID says which
            return None
        label = _event_label(event) if event is not None else _community_label(community)
        editions = 0
        if event is not None:
            editions = session.exec(select(func.count()).select_from(Event).where(Event.name_key == event.name_key)).scalar_one()
        if editions > 1:  # told apart by the meeting day: say which one it took
            return (
                f"{option} '{text}' linked to event {label}, one of {editions} editions of that name "
                f"(the meeting day picks it); give --met-at 'event #ID' for another"
            )
        if names_exactly(text, linked):
            return None
        return f"{option} '{text}' linked to {'event' if event is not None else 'community'} {label}"
    close = near_places(session, text=text)
    if not close:
        return None
    names = " or ".join(f"'{name}'" for name in close)
    return f"{option} '{text}' matches no event or community; did you mean {names}? (stored as text)"


def _member_ids(session: Session, community_id: int) -> list[int]:
    events = select(Event.id).where(Event.community_id == community_id)
    joined = select(CommunityMember.contact_id).where(CommunityMember.community_id == community_id)
    return list(
        session.exec(
            select(Contact.id).where(
                Contact.archived.is_(False),
                or_(Contact.met_community_id == community_id, Contact.met_event_id.in_(events), Contact.id.in_(joined)),
            )
        ).scalars()
    )


def community_dicts(session: Session) -> list[dict[str, Any]]:
    communities = session.exec(select(Community).order_by(Community.name_key)).scalars().all()
    events = dict(
        session.exec(
            select(Event.community_id, func.count()).where(Event.community_id.is_not(None)).group_by(Event.community_id)
        ).all()
    )
    return [
        {
            "id": c.id,
            "name": c.name,
            "kind": c.kind,
            "url": c.url,
            "members": len(_member_ids(session, c.id)),
            "events": int(events.get(c.id, 0)),
        }
        for c in communities
    ]


def community_detail(session: Session, *, community: Community) -> dict[str, Any]:
    members = _member_ids(session, community.id)
    names = session.exec(
        select(Contact.id, Contact.name, Contact.tier).where(Contact.id.in_(members)).order_by(Contact.tier, Contact.name_key)
    ).all()
    events = session.exec(
        select(Event).where(Event.community_id == community.id).order_by(Event.date)
    ).scalars().all()
    return {
        "id": community.id,
        "name": community.name,
        "kind": community.kind,
        "url": community.url,
        "members": [{"id": i, "name": n, "tier": t} for i, n, t in names],
        "events": [event_dict(e, community.name) for e in events],
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
    query = select(Event, Community.name).join(Community, Community.id == Event.community_id, isouter=True)
    if from_date is not None:
        query = query.where(Event.date >= from_date)
    rows = session.exec(query.order_by(Event.date, Event.id)).all()
    met = dict(
        session.exec(
            select(Contact.met_event_id, func.count()).where(Contact.met_event_id.is_not(None)).group_by(Contact.met_event_id)
        ).all()
    )
    return [event_dict(e, c) | {"met": int(met.get(e.id, 0))} for e, c in rows]


def event_detail(session: Session, *, event: Event, as_of: dt.date) -> dict[str, Any]:
    """The event and who you met there, with whether you followed each up."""
    community = session.get(Community, event.community_id) if event.community_id else None
    people = session.exec(
        select(Contact).where(Contact.met_event_id == event.id).order_by(Contact.name_key)
    ).scalars().all()
    later = dict(
        session.exec(
            select(Participant.contact_id, func.max(Participant.date))
            .where(Participant.contact_id.in_([p.id for p in people]), Participant.kind != "met")
            .group_by(Participant.contact_id)
        ).all()
    )
    met = []
    for person in people:
        last = _as_date(later.get(person.id))
        followed = last is not None and (person.met_on is None or last >= person.met_on)
        met.append({"id": person.id, "name": person.name, "met_on": person.met_on, "followed_up": followed})
    return event_dict(event, community.name if community else None) | {"people": met}


# ----------------------------------------------------------------- mentors



def get_mentor(session: Session, *, contact: Contact) -> Mentor:
    mentor = session.get(Mentor, contact.id)
    if mentor is None:
        raise NotFound(f"{contact.name} is not one of your mentors; add them with 'netcli mentor add'")
    return mentor


def add_mentor(
    session: Session,
    *,
    contact: Contact,
    cadence_days: int | None,
    prospect: bool,
    topics: Iterable[str],
    today: dt.date,
    since: dt.date | None = None,
) -> Mentor:
    """A new mentorship, active from today, or from `since` with sessions
    counted from then; a prospect has not started."""
    if since is not None and prospect:
        raise Invalid("--since is when the mentorship started, and a --prospect has not started yet; drop one of them")
    existing = session.get(Mentor, contact.id)
    if existing is not None:
        raise Duplicate(
            f"{contact.name} is already a mentor ({existing.status}); "
            "use 'netcli mentor start' or 'netcli mentor end' to change that"
        )
    from netcli.store.people import _add_labels

    mentor = Mentor(
        contact_id=contact.id,
        status="prospect" if prospect else "active",
        cadence_days=cadence_days,
        started_on=None if prospect else (since or today),
        sessions_from=since,
    )
    session.add(mentor)
    _add_labels(session, contact.id, tags=[], topics=clean_labels("topic", topics))
    session.flush()
    return mentor


def set_mentor_status(session: Session, *, contact: Contact, status: str, today: dt.date) -> Mentor:
    mentor = get_mentor(session, contact=contact)
    if mentor.status == status:
        raise Invalid(f"{contact.name} is already a {status} mentor")
    mentor.status = status
    if status == "active":
        mentor.started_on, mentor.ended_on = today, None
    elif status == "past":
        mentor.ended_on = today
    session.add(mentor)
    session.flush()
    return mentor


def ask_mentor(session: Session, *, contact: Contact, text: str, today: dt.date) -> MentorQuestion:
    get_mentor(session, contact=contact)
    question = clean_text("question", text, limit=MAX_NOTE)
    if not question:
        raise Invalid("a question cannot be empty")
    number = session.exec(
        select(func.coalesce(func.max(MentorQuestion.number), 0)).where(MentorQuestion.contact_id == contact.id)
    ).scalar_one()
    asked = MentorQuestion(contact_id=contact.id, number=int(number) + 1, text=question, asked_on=today)
    session.add(asked)
    session.flush()
    return asked


def open_questions(session: Session, *, contact_id: int, as_of: dt.date | None = None) -> list[MentorQuestion]:
    query = select(MentorQuestion).where(MentorQuestion.contact_id == contact_id)
    if as_of is None:
        query = query.where(MentorQuestion.answered_on.is_(None))
    else:
        query = query.where(
            MentorQuestion.asked_on <= as_of,
            or_(MentorQuestion.answered_on.is_(None), MentorQuestion.answered_on > as_of),
        )
    return list(session.exec(query.order_by(MentorQuestion.number)).scalars())


def meet_mentor(
    session: Session,
    *,
    contact: Contact,
    on: dt.date,
    note: str | None,
    answered: Sequence[int] | str | None,
) -> tuple[Interaction, list[MentorQuestion]]:
    """Log a mentor-session and close the questions it answered."""
    mentor = get_mentor(session, contact=contact)
    waiting = open_questions(session, contact_id=contact.id)
    if answered == "all":
        closing = waiting
    else:
        numbers = set(answered or ())
        closing = [q for q in waiting if q.number in numbers]
        unknown = numbers - {q.number for q in closing}
        if unknown:
            raise NotFound(
                f"{contact.name} has no open question numbered {', '.join(map(str, sorted(unknown)))}; "
                f"{command('mentor', 'prep', contact.name)} lists them"
            )
    interaction = log_interaction(session, contacts=[contact], kind="mentor-session", on=on, note=note)
    for question in closing:
        question.answered_on, question.answered_in = on, interaction.id
        session.add(question)
    if mentor.status == "prospect":
        mentor.status, mentor.started_on = "active", on
        session.add(mentor)
    session.flush()
    return interaction, closing


def mentor_facts(session: Session, *, as_of: dt.date) -> list[dict[str, Any]]:
    """Every mentor with the facts the mentor rules and `mentor list` need."""
    # per mentor, through the (contact, date, kind) index: never a walk over every session
    last_session = (
        select(func.max(Participant.date))
        .where(
            Participant.contact_id == Mentor.contact_id,
            Participant.kind == "mentor-session",
            Participant.date <= as_of,
        )
        .scalar_subquery()
    )
    waiting = (
        select(MentorQuestion.contact_id, func.count().label("n"))
        .where(
            MentorQuestion.asked_on <= as_of,
            or_(MentorQuestion.answered_on.is_(None), MentorQuestion.answered_on > as_of),
        )
        .group_by(MentorQuestion.contact_id)
        .subquery()
    )
    rows = session.exec(
        select(Mentor, Contact.name, Contact.archived, last_session, waiting.c.n)
        .join(Contact, Contact.id == Mentor.contact_id)
        .join(waiting, waiting.c.contact_id == Mentor.contact_id, isouter=True)
        .order_by(Contact.name_key)
    ).all()
    topics = _labels(session, ContactTopic.contact_id, ContactTopic.topic, [m.contact_id for m, *_ in rows])
    return [
        {
            "contact_id": m.contact_id,
            "name": name,
            "status": m.status,
            "archived": archived,
            "own_cadence_days": m.cadence_days,
            "started_on": m.started_on,
            "ended_on": m.ended_on,
            "sessions_from": m.sessions_from,
            "last_session": _as_date(last),
            "open_questions": int(n or 0),
            "topics": tuple(topics.get(m.contact_id, ())),
        }
        for m, name, archived, last, n in rows
    ]


def last_session_note(session: Session, *, contact_id: int) -> dict[str, Any] | None:
    row = session.exec(
        select(Interaction.date, Interaction.note)
        .join(Participant, Participant.interaction_id == Interaction.id)
        .where(Participant.contact_id == contact_id, Interaction.kind == "mentor-session")
        .order_by(Interaction.date.desc(), Interaction.id.desc())
        .limit(1)
    ).first()
    return {"date": _as_date(row[0]), "note": row[1]} if row else None


# ----------------------------------------------------------------- goals

_GOAL_ID = re.compile(r"^#?(\d{1,18})$")


def find_goal(session: Session, *, text: str) -> Goal:
    """A goal by id (`3` or `#3`) or a unique part of its title."""
    cleaned = str(text).strip()
    match = _GOAL_ID.match(cleaned)
    if match:
        goal = session.get(Goal, int(match.group(1)))
        if goal is not None:
            return goal
    key = name_key(cleaned)
    if not key:
        raise Invalid("name a goal by its id or part of its title")
    goals = session.exec(select(Goal).order_by(Goal.id)).scalars().all()
    exact = [g for g in goals if name_key(g.title) == key]
    found = exact or [g for g in goals if key in name_key(g.title)]
    if len(found) > 1:
        active = [g for g in found if g.status == "active"]
        found = active if len(active) == 1 else found
    if len(found) == 1:
        return found[0]
    if found:
        shown = ", ".join(f"#{g.id} {g.title}" for g in found[:10])
        raise Ambiguous(f"'{text}' matches several goals: {shown}; use the goal's id")
    raise NotFound(f"no goal matches '{text}'; 'netcli goal list --all' shows them")


def add_goal(
    session: Session, *, title: str, target_on: dt.date | None, topics: Iterable[str], why: str | None, today: dt.date
) -> Goal:
    title = clean_name(title)
    goal = Goal(title=title, why=clean_text("why", why, limit=MAX_NOTE), target_on=target_on, created_on=today)
    session.add(goal)
    session.flush()
    session.add_all(GoalTopic(goal_id=goal.id, topic=t) for t in clean_labels("topic", topics))
    session.flush()
    return goal


def link_goal(session: Session, *, goal: Goal, contacts: Sequence[Contact]) -> list[str]:
    have = set(session.exec(select(GoalContact.contact_id).where(GoalContact.goal_id == goal.id)).scalars())
    added = []
    for contact in contacts:
        if contact.id not in have:
            session.add(GoalContact(goal_id=goal.id, contact_id=contact.id))
            have.add(contact.id)
            added.append(contact.name)
    session.flush()
    return added


def add_progress(session: Session, *, goal: Goal, note: str, percent: int | None, on: dt.date) -> GoalProgress:
    if goal.status != "active":
        raise Invalid(f"the goal '{goal.title}' is {goal.status}; progress goes on active goals")
    text = clean_text("note", note, limit=MAX_NOTE)
    if not text:
        raise Invalid("--note cannot be empty: say what moved")
    if percent is not None and not 0 <= percent <= 100:
        raise Invalid(f"--percent must be between 0 and 100, not {percent}")
    entry = GoalProgress(goal_id=goal.id, date=on, note=text, percent=percent)
    session.add(entry)
    session.flush()
    return entry


def set_goal_status(session: Session, *, goal: Goal, status: str, today: dt.date) -> Goal:
    if goal.status == status:
        raise Invalid(f"the goal '{goal.title}' is already {status}")
    goal.status = status
    goal.closed_on = None if status == "active" else today
    session.add(goal)
    session.flush()
    return goal


def attach_goal(session: Session, *, interaction_id: int, goal: Goal) -> None:
    session.exec(update(Interaction).where(Interaction.id == interaction_id).values(goal_id=goal.id))


def goal_dicts(
    session: Session, *, as_of: dt.date, ids: Sequence[int] | None = None, include_closed: bool = False
) -> list[dict[str, Any]]:
    """Goals with topics, linked people, progress and last activity up to `as_of`."""
    query = select(Goal).where(Goal.created_on <= as_of)
    if ids is not None:
        query = query.where(Goal.id.in_(ids))
    if not include_closed:
        query = query.where(Goal.status == "active")
    goals = session.exec(query.order_by(Goal.target_on.is_(None), Goal.target_on, Goal.id)).scalars().all()
    wanted = [g.id for g in goals]
    if not wanted:
        return []
    topics = _labels(session, GoalTopic.goal_id, GoalTopic.topic, wanted)
    linked: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for gid, cid, name, tier in session.exec(
        select(GoalContact.goal_id, Contact.id, Contact.name, Contact.tier)
        .join(Contact, Contact.id == GoalContact.contact_id)
        .where(GoalContact.goal_id.in_(wanted))
        .order_by(Contact.tier, Contact.name_key)
    ).all():
        linked[gid].append({"id": cid, "name": name, "tier": tier})
    progress: dict[int, list[GoalProgress]] = defaultdict(list)
    for entry in session.exec(
        select(GoalProgress)
        .where(GoalProgress.goal_id.in_(wanted), GoalProgress.date <= as_of)
        .order_by(GoalProgress.date, GoalProgress.id)
    ).scalars():
        progress[entry.goal_id].append(entry)
    last_linked = dict(
        session.exec(
            select(Interaction.goal_id, func.max(Interaction.date))
            .where(Interaction.goal_id.in_(wanted), Interaction.date <= as_of)
            .group_by(Interaction.goal_id)
        ).all()
    )
    rows = []
    for g in goals:
        entries = progress[g.id]
        percents = [e.percent for e in entries if e.percent is not None]
        last_progress = entries[-1].date if entries else None
        interaction_day = _as_date(last_linked.get(g.id))
        activity = max(d for d in (g.created_on, last_progress, interaction_day) if d is not None)
        rows.append(
            {
                "id": g.id,
                "title": g.title,
                "status": g.status,
                "why": g.why,
                "by": g.target_on,
                "topics": topics.get(g.id, []),
                "contacts": [c["name"] for c in linked[g.id]],
                "linked": linked[g.id],
                "percent": percents[-1] if percents else None,
                "created_on": g.created_on,
                "closed_on": g.closed_on,
                "last_progress": last_progress,
                "last_interaction": interaction_day,
                "last_activity": activity,
                "progress": [
                    {"date": e.date, "note": e.note, "percent": e.percent} for e in entries
                ],
            }
        )
    return rows


def goal_helpers(session: Session, *, goal_id: int) -> list[dict[str, Any]]:
    """Who helped with a goal: people in the interactions logged with --goal."""
    rows = session.exec(
        select(Contact.name, func.count(), func.max(Participant.date))
        .join(Participant, Participant.contact_id == Contact.id)
        .join(Interaction, Interaction.id == Participant.interaction_id)
        .where(Interaction.goal_id == goal_id)
        .group_by(Contact.id, Contact.name)
        .order_by(func.count().desc(), Contact.name)
    ).all()
    return [{"name": n, "interactions": int(c), "last": _as_date(d)} for n, c, d in rows]


def goals_of_contact(session: Session, *, contact_id: int) -> list[dict[str, Any]]:
    rows = session.exec(
        select(Goal.id, Goal.title, Goal.status)
        .join(GoalContact, GoalContact.goal_id == Goal.id)
        .where(GoalContact.contact_id == contact_id)
        .order_by(Goal.id)
    ).all()
    return [{"id": i, "title": t, "status": s} for i, t, s in rows]


def topic_experts(session: Session, *, topics: Sequence[str], as_of: dt.date) -> list[dict[str, Any]]:
    """Non-archived people with a topic containing any of `topics`, with the
    facts `who` ranks by: tier, last contact, interactions."""
    wanted = clean_labels("topic", topics)
    if not wanted:
        return []
    conditions = []
    for topic in wanted:
        conditions.append(ContactTopic.topic.like(f"%{like_escape(topic)}%", escape="\\"))
    matching = select(ContactTopic.contact_id).where(or_(*conditions))
    facts = (
        select(Participant.contact_id, func.count().label("n"), func.max(Participant.date).label("last"))
        .where(Participant.date <= as_of, Participant.contact_id.in_(matching))
        .group_by(Participant.contact_id)
        .subquery()
    )
    rows = session.exec(
        select(Contact.id, Contact.name, Contact.tier, Contact.org, facts.c.n, facts.c.last)
        .join(facts, facts.c.contact_id == Contact.id, isouter=True)
        .where(Contact.archived.is_(False), Contact.id.in_(matching))
        # closest first: tier, then most recent contact, then most exchanged
        .order_by(Contact.tier, facts.c.last.desc().nulls_last(), facts.c.n.desc().nulls_last(), Contact.name_key)
    ).all()
    labels = _labels(session, ContactTopic.contact_id, ContactTopic.topic, [r[0] for r in rows])
    return [
        {
            "id": cid,
            "name": name,
            "tier": tier,
            "org": org,
            "topics": labels.get(cid, []),
            "interactions": int(n or 0),
            "last_contact": _as_date(last),
        }
        for cid, name, tier, org, n, last in rows
    ]


def goal_facts(session: Session, *, as_of: dt.date) -> list[dict[str, Any]]:
    """Active goals with their last activity and the people who could help."""
    facts = []
    for goal in goal_dicts(session, as_of=as_of):
        linked_ids = {c["id"] for c in goal["linked"]}
        linked = people_by_ids(session, ids=linked_ids, as_of=as_of)
        experts = [e for e in topic_experts(session, topics=goal["topics"], as_of=as_of) if e["id"] not in linked_ids]
        facts.append(
            {
                "id": goal["id"],
                "title": goal["title"],
                "created_on": goal["created_on"],
                "last_activity": goal["last_activity"],
                "linked": tuple((c["id"], c["name"], c["tier"], c["last_contact"]) for c in linked),
                "experts": tuple((e["id"], e["name"], e["tier"], e["last_contact"]) for e in experts),
            }
        )
    return facts


def people_by_ids(session: Session, *, ids: Iterable[int], as_of: dt.date) -> list[dict[str, Any]]:
    wanted = list(ids)
    if not wanted:
        return []
    rows = session.exec(
        select(Contact.id, Contact.name, Contact.tier, func.max(Participant.date))
        .join(Participant, (Participant.contact_id == Contact.id) & (Participant.date <= as_of), isouter=True)
        .where(Contact.id.in_(wanted), Contact.archived.is_(False))
        .group_by(Contact.id, Contact.name, Contact.tier)
    ).all()
    return [{"id": i, "name": n, "tier": t, "last_contact": _as_date(d)} for i, n, t, d in rows]


def event_facts(session: Session, *, as_of: dt.date, window_days: int) -> list[dict[str, Any]]:
    """Events within the window, with people from their community (or earlier
    editions of the same event) worth looking for there, closest first."""
    events = session.exec(
        select(Event)
        .where(Event.date >= as_of, Event.date <= as_of + dt.timedelta(days=window_days))
        .order_by(Event.date)
    ).scalars().all()
    facts = []
    for event in events:
        community = session.get(Community, event.community_id) if event.community_id else None
        same_event = select(Event.id).where(Event.name_key == event.name_key)
        people = or_(Contact.met_event_id.in_(same_event))
        if community is not None:
            people = or_(people, Contact.id.in_(_member_ids(session, community.id)))
        names = session.exec(
            select(Contact.name)
            .where(Contact.archived.is_(False), people)
            .order_by(Contact.tier, Contact.name_key)
            .limit(3)
        ).scalars().all()
        facts.append(
            {
                "id": event.id,
                "name": event.name,
                "date": event.date,
                "online": event.online,
                "community": community.name if community else None,
                "people": tuple(names),
            }
        )
    return facts


def goal_interactions(session: Session, *, goal_id: int) -> list[dict[str, Any]]:
    from netcli.store.people import interaction_dicts

    ids = list(session.exec(select(Interaction.id).where(Interaction.goal_id == goal_id)).scalars())
    return interaction_dicts(session, ids=ids) if ids else []


def mentorship_of(session: Session, *, contact_id: int, as_of: dt.date) -> dict[str, Any] | None:
    """The contact's mentorship, for `show`: status, cadence, questions."""
    mentor = session.get(Mentor, contact_id)
    if mentor is None:
        return None
    facts = next(m for m in mentor_facts(session, as_of=as_of) if m["contact_id"] == contact_id)
    return {
        "status": mentor.status,
        "cadence_days": mentor.cadence_days,
        "started_on": mentor.started_on,
        "ended_on": mentor.ended_on,
        "last_session": facts["last_session"],
        "questions": [q.text for q in open_questions(session, contact_id=contact_id, as_of=as_of)],
    }
