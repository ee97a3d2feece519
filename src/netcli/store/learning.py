"""Mentors and their questions, learning goals, communities and events."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from typing import Any, Iterable, Sequence

from sqlalchemy import func, or_, select, update
from sqlmodel import Session

from netcli.errors import Ambiguous, Duplicate, Invalid, NotFound
from netcli.names import like_escape
from netcli.models import (
    Community,
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


def _pick(kind: str, text: str, rows: Sequence[Any], label) -> Any:  # type: ignore[no-untyped-def]
    """Exact key, else a unique prefix or word prefix, else a unique substring."""
    key = name_key(text)
    if not key:
        raise Invalid(f"a {kind} name cannot be empty")
    for test in (
        lambda k: k == key,
        lambda k: k.startswith(key) or f" {key}" in k,
        lambda k: key in k,
    ):
        found = [r for r in rows if test(r.name_key)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            shown = ", ".join(label(r) for r in found[:10])
            raise Ambiguous(f"'{text}' matches several {kind}s: {shown}; use more of the name")
    close = difflib.get_close_matches(key, [r.name_key for r in rows], n=3, cutoff=0.6)
    names = [label(r) for r in rows if r.name_key in close]
    hint = f"; did you mean {', '.join(names)}?" if names else f"; 'netcli {kind} list' shows them"
    raise NotFound(f"no {kind} matches '{text}'{hint}")


def find_community(session: Session, *, name: str) -> Community:
    rows = session.exec(select(Community).order_by(Community.name_key)).scalars().all()
    return _pick("community", name, rows, lambda c: c.name)


def find_event(session: Session, *, name: str) -> Event:
    rows = session.exec(select(Event).order_by(Event.date, Event.id)).scalars().all()
    key = name_key(name)
    exact = [e for e in rows if e.name_key == key]
    if len(exact) > 1:  # the same event every year: the exact date tells them apart
        shown = ", ".join(f"#{e.id} {e.name} ({e.date})" for e in exact)
        raise Ambiguous(f"'{name}' names several events: {shown}; use the name with its year, or edit one")
    return _pick("event", name, rows, lambda e: f"{e.name} ({e.date})")


def add_community(session: Session, *, name: str, kind: str, url: str | None) -> Community:
    name = clean_name(name)
    existing = session.exec(select(Community).where(Community.name_key == name_key(name))).scalars().first()
    if existing is not None:
        raise Duplicate(f"the community '{existing.name}' already exists")
    community = Community(name=name, name_key=name_key(name), kind=kind, url=clean_text("url", url))
    session.add(community)
    session.flush()
    return community


def add_event(
    session: Session, *, name: str, on: dt.date, kind: str, online: bool, community: Community | None
) -> Event:
    name = clean_name(name)
    clash = session.exec(
        select(Event).where(Event.name_key == name_key(name), Event.date == on)
    ).scalars().first()
    if clash is not None:
        raise Duplicate(f"the event '{clash.name}' on {on} already exists")
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


def match_place(session: Session, *, text: str | None, on: dt.date) -> tuple[Event | None, Community | None]:
    """The event (nearest to `on`) or community whose name is exactly `text`."""
    if not text or not text.strip():
        return None, None
    key = name_key(text)
    events = session.exec(select(Event).where(Event.name_key == key)).scalars().all()
    if events:
        event = min(events, key=lambda e: abs((e.date - on).days))
        community = session.get(Community, event.community_id) if event.community_id else None
        return event, community
    community = session.exec(select(Community).where(Community.name_key == key)).scalars().first()
    return None, community


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


def unmatched_place_message(session: Session, *, text: str | None, option: str = "--met-at") -> str | None:
    """What to say when `text` links to no event or community but some come
    close; None when nothing does. (One place for these words: `add`,
    `edit` and any other command taking a place.)"""
    close = near_places(session, text=text)
    if not close:
        return None
    names = " or ".join(f"'{name}'" for name in close)
    return f"{option} '{text}' matches no event or community; did you mean {names}? (stored as text)"


def _member_ids(session: Session, community_id: int) -> list[int]:
    events = select(Event.id).where(Event.community_id == community_id)
    return list(
        session.exec(
            select(Contact.id).where(
                Contact.archived.is_(False),
                or_(Contact.met_community_id == community_id, Contact.met_event_id.in_(events)),
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
        select(Contact.name, Contact.tier).where(Contact.id.in_(members)).order_by(Contact.tier, Contact.name_key)
    ).all()
    events = session.exec(
        select(Event).where(Event.community_id == community.id).order_by(Event.date)
    ).scalars().all()
    return {
        "id": community.id,
        "name": community.name,
        "kind": community.kind,
        "url": community.url,
        "members": [{"name": n, "tier": t} for n, t in names],
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
                f"'netcli mentor prep {contact.name}' lists them"
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
