"""Every fact the rules read, built in SQL: people, birthdays, mentors, goals
and events. Columns are chosen and labelled by fact name, never by position.
No rules here (see `netcli.rules`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, func, null, or_, select  # Core's: statements of tables and columns, of any width
from sqlmodel import Session

from netcli.models import (
    CaptureKey,
    Community,
    Contact,
    ContactTopic,
    Event,
    Interaction,
    JobChange,
    Mentor,
    MentorQuestion,
    Participant,
)
from netcli.store.capture import next_sessions
from netcli.store.capture_parties import wrote
from netcli.store.goals import goal_dicts, people_by_ids, topic_experts
from netcli.store.places import member_ids
from netcli.store.rows import SEPARATOR, as_date, col, grouped_labels, split_labels, table_of
from netcli.store.stats import SCOPE_LIMIT, help_select, stats_source
from netcli.vocab import CHAT_APPS

CHAT_SOURCES = ("chat", "linkedin")  # interactions captured from chats
STREAM_BATCH = 2_000  # rows fetched at a time when facts are made as they are read


def person_facts(
    session: Session,
    *,
    fields: Sequence[str],
    as_of: dt.date,
    give_back_window_days: int,
    contact_ids: Sequence[int] | None = None,
    with_topics: bool = True,
) -> Iterable[Sequence[Any]]:
    """One row per non-archived person with any interaction up to `as_of`, in
    contact id order, holding the facts named in `fields` in that order (the
    caller passes `rules.PersonFacts._fields`; each is one named expression
    below). One query; statistics come from `stats`. Without
    `with_topics` the topics are None: a tenth of the work for a large
    network, and only nudges' words read them."""
    scope = contact_ids if contact_ids is not None and len(contact_ids) < SCOPE_LIMIT else None
    stats = stats_source(session, as_of=as_of, contact_ids=scope)
    helped = help_select(as_of - dt.timedelta(days=give_back_window_days), as_of, scope).subquery()
    read_topics = with_topics and "topics" in fields
    topics = _topics_select(scope).subquery() if read_topics else None
    expressions: dict[str, Any] = {
        "id": col(Contact.id),
        "name": col(Contact.name),
        "tier": col(Contact.tier),
        "own_cadence_days": col(Contact.cadence_days),
        "last_contact": stats.c.last_contact,
        "last_met": stats.c.last_met,
        "last_other": stats.c.last_other,
        "last_owed": stats.c.last_owed,
        "last_owed_kind": stats.c.last_owed_kind,
        "last_thanks": stats.c.last_thanks,
        "received_in_window": func.coalesce(helped.c.received, 0),
        "given_in_window": func.coalesce(helped.c.given, 0),
        "last_received": stats.c.last_received,
        "contact_week_count": stats.c.day_count,
        "median_gap": stats.c.median_gap,
        "topics": topics.c.topics if topics is not None else null(),
    }
    unknown = [f for f in fields if f not in expressions]
    if unknown:
        raise ValueError(f"person_facts has no fact named {', '.join(map(repr, unknown))}")
    query = (
        select(*(expressions[f].label(f) for f in fields))
        .select_from(table_of(Contact))
        .join(stats, stats.c.contact_id == col(Contact.id))
        .outerjoin(helped, helped.c.contact_id == col(Contact.id))
        .where(col(Contact.archived).is_(False), stats.c.interactions > 0)
        .order_by(col(Contact.id))
    )
    if contact_ids is not None:
        query = query.where(col(Contact.id).in_(contact_ids))
    if topics is None:
        # read as they are made into facts: the rows are never all held at once
        return session.connection().execute(query.execution_options(yield_per=STREAM_BATCH))
    query = query.outerjoin(topics, topics.c.contact_id == col(Contact.id))
    at = list(fields).index("topics")
    return [
        (*row[:at], tuple(split_labels(row[at])), *row[at + 1 :]) for row in session.connection().execute(query).all()
    ]


def _topics_select(scope: Sequence[int] | None) -> Any:
    """contact_id, topics: each person's topics aggregated in one string."""
    query = select(
        col(ContactTopic.contact_id), func.aggregate_strings(col(ContactTopic.topic), SEPARATOR).label("topics")
    ).group_by(col(ContactTopic.contact_id))
    if scope is not None:
        query = query.where(col(ContactTopic.contact_id).in_(scope))
    return query


def birthday_facts(session: Session, *, contact_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Non-archived contacts with a birthday: `rules.BirthdayFacts`' fields."""
    query = select(col(Contact.id), col(Contact.name), col(Contact.birthday)).where(
        col(Contact.archived).is_(False), col(Contact.birthday).is_not(None)
    )
    if contact_ids is not None:
        query = query.where(col(Contact.id).in_(contact_ids))
    return [
        {"contact_id": cid, "name": name, "birthday": birthday}
        for cid, name, birthday in session.connection().execute(query.order_by(col(Contact.id)))
    ]


def mentor_facts(session: Session, *, as_of: dt.date) -> list[dict[str, Any]]:
    """Every mentor with the facts the mentor rules and `mentor list` need."""
    # per mentor, through the (contact, date, kind) index: never a walk over every session
    # a meeting captured from the calendar with a mentor is a session with them
    calendar_meetings = select(col(Interaction.id)).where(
        col(Interaction.id) == col(Participant.interaction_id), col(Interaction.source) == "calendar"
    )
    last_session = (
        select(func.max(col(Participant.date)))
        .where(
            col(Participant.contact_id) == col(Mentor.contact_id),
            or_(
                col(Participant.kind) == "mentor-session",
                and_(col(Participant.kind) == "meeting", calendar_meetings.exists()),
            ),
            col(Participant.date) <= as_of,
        )
        .scalar_subquery()
    )
    waiting = (
        select(col(MentorQuestion.contact_id), func.count().label("n"))
        .where(
            col(MentorQuestion.asked_on) <= as_of,
            or_(col(MentorQuestion.answered_on).is_(None), col(MentorQuestion.answered_on) > as_of),
        )
        .group_by(col(MentorQuestion.contact_id))
        .subquery()
    )
    mentor = table_of(Mentor)
    rows = (
        session.connection()
        .execute(
            select(mentor, col(Contact.name), col(Contact.archived), last_session.label("last"), waiting.c.n)
            .join(table_of(Contact), col(Contact.id) == mentor.c.contact_id)
            .join(waiting, waiting.c.contact_id == mentor.c.contact_id, isouter=True)
            .order_by(col(Contact.name_key))
        )
        .all()
    )
    topics = grouped_labels(
        session, col(ContactTopic.contact_id), col(ContactTopic.topic), [m.contact_id for m in rows]
    )
    scheduled = next_sessions(session, after=as_of) if rows else {}
    return [
        {
            "contact_id": m.contact_id,
            "name": m.name,
            "status": m.status,
            "archived": m.archived,
            "own_cadence_days": m.cadence_days,
            "started_on": m.started_on,
            "ended_on": m.ended_on,
            "sessions_from": m.sessions_from,
            "last_session": as_date(m.last),
            "open_questions": int(m.n or 0),
            "topics": tuple(topics.get(m.contact_id, ())),
            "scheduled": scheduled[m.contact_id][0] if m.contact_id in scheduled else None,
        }
        for m in rows
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


def event_facts(session: Session, *, as_of: dt.date, window_days: int) -> list[dict[str, Any]]:
    """Events within the window, with people from their community (or earlier
    editions of the same event) worth looking for there, closest first."""
    conn = session.connection()
    events = conn.execute(
        select(table_of(Event), col(Community.name).label("community"))
        .outerjoin(table_of(Community), col(Community.id) == col(Event.community_id))
        .where(col(Event.date) >= as_of, col(Event.date) <= as_of + dt.timedelta(days=window_days))
        .order_by(col(Event.date))
    ).all()
    facts = []
    for event in events:
        same_event = select(col(Event.id)).where(col(Event.name_key) == event.name_key)
        people = or_(col(Contact.met_event_id).in_(same_event))
        if event.community_id is not None:
            people = or_(people, col(Contact.id).in_(member_ids(session, event.community_id)))
        names = session.scalars(
            select(col(Contact.name))
            .where(col(Contact.archived).is_(False), people)
            .order_by(col(Contact.tier), col(Contact.name_key))
            .limit(3)
        ).all()
        facts.append(
            {
                "id": event.id,
                "name": event.name,
                "date": event.date,
                "online": event.online,
                "community": event.community,
                "people": tuple(names),
            }
        )
    return facts


def reply_facts(
    session: Session, *, as_of: dt.date, window_days: int, contact_ids: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """Non-archived contacts whose newest interaction, within the window, is
    captured mail they sent, or a direct chat where only they wrote
    (`rules.ReplyFacts`' fields): the newest such thread- or chat-day, and
    nothing of any other kind, or sent, on that day or since.
    Only someone who wrote is owed a reply: not a contact only copied in."""
    direct = (
        select(col(CaptureKey.interaction_id), col(CaptureKey.key))
        .where(
            col(CaptureKey.source).in_(CHAT_SOURCES),
            col(CaptureKey.thread) == "direct",
            col(CaptureKey.interaction_id).is_not(None),
        )
        .subquery()
    )
    received = (
        select(
            col(Participant.contact_id), col(Contact.name), col(Interaction.date), col(Interaction.note), direct.c.key
        )
        .join(table_of(Interaction), col(Interaction.id) == col(Participant.interaction_id))
        .join(table_of(Contact), col(Contact.id) == col(Participant.contact_id))
        .outerjoin(direct, direct.c.interaction_id == col(Interaction.id))
        .where(
            or_(
                and_(col(Interaction.source) == "mail", wrote(col(Interaction.id), col(Participant.contact_id))),
                and_(col(Interaction.source).in_(CHAT_SOURCES), direct.c.key.is_not(None)),
            ),
            col(Interaction.direction) == "received",
            col(Interaction.date) <= as_of,
            col(Interaction.date) >= as_of - dt.timedelta(days=window_days),
            col(Contact.archived).is_(False),
        )
        .order_by(col(Interaction.date), col(Interaction.id))
    )
    if contact_ids is not None:
        received = received.where(col(Participant.contact_id).in_(contact_ids))
    newest: dict[int, tuple[str, dt.date, str | None, str | None]] = {}
    for cid, name, day, note, chat in session.connection().execute(received):
        app = CHAT_APPS.get(chat[2:].partition(":")[0]) if chat else None  # `t:whatsapp:…`: the app's
        newest[cid] = (name, as_date(day), None if chat else note, app)  # in date order: the last one stays
    if not newest:
        return []
    answered: dict[int, dt.date] = {}
    ids = list(newest)
    for start in range(0, len(ids), SCOPE_LIMIT):
        chunk = ids[start : start + SCOPE_LIMIT]
        since = (
            select(col(Participant.contact_id), func.max(col(Participant.date)))
            .join(table_of(Interaction), col(Interaction.id) == col(Participant.interaction_id))
            .where(
                col(Participant.contact_id).in_(chunk),
                col(Participant.date) <= as_of,
                or_(col(Interaction.source).not_in(("mail", *CHAT_SOURCES)), col(Interaction.direction) != "received"),
            )
            .group_by(col(Participant.contact_id))
        )
        answered.update((cid, as_date(day)) for cid, day in session.connection().execute(since))
    return [
        {"contact_id": cid, "name": name, "received_on": day, "subject": note, "app": app}
        for cid, (name, day, note, app) in sorted(newest.items())
        if cid not in answered or answered[cid] < day
    ]


def job_facts(
    session: Session, *, as_of: dt.date, window_days: int, contact_ids: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """Each non-archived contact's newest job change seen within the window
    up to `as_of` (`rules.JobFacts`' fields)."""
    query = (
        select(
            col(JobChange.contact_id),
            col(Contact.name),
            col(JobChange.seen_on),
            col(JobChange.org),
            col(JobChange.role),
            col(JobChange.org_before),
            col(JobChange.role_before),
            col(Contact.org),
            col(Contact.role),
        )
        .join(table_of(Contact), col(Contact.id) == col(JobChange.contact_id))
        .where(
            col(JobChange.seen_on) <= as_of,
            col(JobChange.seen_on) >= as_of - dt.timedelta(days=window_days),
            col(Contact.archived).is_(False),
        )
        .order_by(col(JobChange.seen_on), col(JobChange.id))
    )
    if contact_ids is not None:
        query = query.where(col(JobChange.contact_id).in_(contact_ids))
    newest: dict[int, dict[str, Any]] = {}
    for cid, name, seen, org, role, org_before, role_before, org_held, role_held in session.connection().execute(query):
        newest[cid] = {  # in date order: the last one stays
            "contact_id": cid,
            "name": name,
            "seen_on": as_date(seen),
            "org": org,
            "role": role,
            "org_before": org_before,
            "role_before": role_before,
            "org_held": org_held,
            "role_held": role_held,
        }
    return [newest[cid] for cid in sorted(newest)]


def newest_job_change(session: Session) -> int:
    """The id of the newest job change kept (0 for none)."""
    return session.scalar(select(func.max(col(JobChange.id)))) or 0


def job_changes_after(session: Session, *, after: int) -> list[tuple[str, Any, Any, Any, Any]]:
    """The job changes kept after the one of id `after`, oldest first:
    (name, org, role, org before, role before)."""
    query = (
        select(
            col(Contact.name),
            col(JobChange.org),
            col(JobChange.role),
            col(JobChange.org_before),
            col(JobChange.role_before),
        )
        .join(table_of(Contact), col(Contact.id) == col(JobChange.contact_id))
        .where(col(JobChange.id) > after)
        .order_by(col(JobChange.id))
    )
    return [
        (name, org, role, org_before, role_before)
        for name, org, role, org_before, role_before in session.connection().execute(query)
    ]
