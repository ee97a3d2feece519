"""Learning goals: finding, adding, linking people, progress, status, the
interactions that served one, and the people whose topics could help."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, or_, update
from sqlalchemy import select as core_select
from sqlmodel import Session, select

from netcli.errors import Invalid
from netcli.models import Contact, ContactTopic, Goal, GoalContact, GoalProgress, GoalTopic, Interaction, Participant
from netcli.names import like_escape, name_key
from netcli.store.clean import MAX_NOTE, clean_labels, clean_name, clean_text
from netcli.store.interactions import interaction_dicts
from netcli.store.resolve import find_named
from netcli.store.rows import as_date, col, grouped_labels, table_of

_GOAL_ID = re.compile(r"^#?(\d{1,18})$")


def find_goal(session: Session, *, text: str) -> Goal:
    """A goal by id (`#3`, or `3` as the contract allows) or its title, as
    events and communities are found; of several, the one still active."""
    goals = session.scalars(select(Goal).order_by(col(Goal.id))).all()

    def id_of(cleaned: str) -> int | None:
        match = _GOAL_ID.match(cleaned)
        if match is None or (
            not cleaned.startswith("#") and any(name_key(g.title) == name_key(cleaned) for g in goals)
        ):
            return None
        return int(match.group(1))

    return find_named(
        text,
        kind="goal",
        rows=goals,
        key=lambda g: name_key(g.title),
        name=lambda g: g.title,
        label=lambda g: f"#{g.id} {g.title}",
        by_id=lambda n: session.get(Goal, n),
        id_of=id_of,
        prefer=lambda g: g.status == "active",
        listing="netcli goal list --all",
    )


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
    have = set(session.scalars(select(col(GoalContact.contact_id)).where(col(GoalContact.goal_id) == goal.id)))
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
    session.exec(update(Interaction).where(col(Interaction.id) == interaction_id).values(goal_id=goal.id))


def goal_dicts(
    session: Session, *, as_of: dt.date, ids: Sequence[int] | None = None, include_closed: bool = False
) -> list[dict[str, Any]]:
    """Goals with topics, linked people, progress and last activity up to `as_of`."""
    conn = session.connection()  # rows, not objects: read as Core, no mapper is configured (see `rows.col`)
    query = core_select(table_of(Goal)).where(col(Goal.created_on) <= as_of)
    if ids is not None:
        query = query.where(col(Goal.id).in_(ids))
    if not include_closed:
        query = query.where(col(Goal.status) == "active")
    goals = conn.execute(query.order_by(col(Goal.target_on).is_(None), col(Goal.target_on), col(Goal.id))).all()
    wanted = [g.id for g in goals]
    if not wanted:
        return []
    topics = grouped_labels(session, col(GoalTopic.goal_id), col(GoalTopic.topic), wanted)
    linked: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for gid, cid, name, tier in session.exec(
        select(col(GoalContact.goal_id), col(Contact.id), col(Contact.name), col(Contact.tier))
        .join(table_of(Contact), col(Contact.id) == col(GoalContact.contact_id))
        .where(col(GoalContact.goal_id).in_(wanted))
        .order_by(col(Contact.tier), col(Contact.name_key))
    ).all():
        linked[gid].append({"id": cid, "name": name, "tier": tier})
    progress: dict[int, list[Any]] = defaultdict(list)
    for entry in conn.execute(
        core_select(table_of(GoalProgress))
        .where(col(GoalProgress.goal_id).in_(wanted), col(GoalProgress.date) <= as_of)
        .order_by(col(GoalProgress.date), col(GoalProgress.id))
    ):
        progress[entry.goal_id].append(entry)
    last_linked = dict(
        session.exec(
            select(col(Interaction.goal_id), func.max(col(Interaction.date)))
            .where(col(Interaction.goal_id).in_(wanted), col(Interaction.date) <= as_of)
            .group_by(col(Interaction.goal_id))
        ).all()
    )
    rows = []
    for g in goals:
        entries = progress[g.id]
        percents = [e.percent for e in entries if e.percent is not None]
        last_progress = entries[-1].date if entries else None
        interaction_day = as_date(last_linked.get(g.id))
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
                "progress": [{"date": e.date, "note": e.note, "percent": e.percent} for e in entries],
            }
        )
    return rows


def goal_helpers(session: Session, *, goal_id: int) -> list[dict[str, Any]]:
    """Who helped with a goal: people in the interactions logged with --goal."""
    rows = session.exec(
        select(col(Contact.name), func.count(), func.max(col(Participant.date)))
        .join(table_of(Participant), col(Participant.contact_id) == col(Contact.id))
        .join(table_of(Interaction), col(Interaction.id) == col(Participant.interaction_id))
        .where(col(Interaction.goal_id) == goal_id)
        .group_by(col(Contact.id), col(Contact.name))
        .order_by(func.count().desc(), col(Contact.name))
    ).all()
    return [{"name": n, "interactions": int(c), "last": as_date(d)} for n, c, d in rows]


def goals_of_contact(session: Session, *, contact_id: int) -> list[dict[str, Any]]:
    rows = session.exec(
        select(col(Goal.id), col(Goal.title), col(Goal.status))
        .join(table_of(GoalContact), col(GoalContact.goal_id) == col(Goal.id))
        .where(col(GoalContact.contact_id) == contact_id)
        .order_by(col(Goal.id))
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
        conditions.append(col(ContactTopic.topic).like(f"%{like_escape(topic)}%", escape="\\"))
    matching = select(col(ContactTopic.contact_id)).where(or_(*conditions))
    facts = (
        select(col(Participant.contact_id), func.count().label("n"), func.max(col(Participant.date)).label("last"))
        .where(col(Participant.date) <= as_of, col(Participant.contact_id).in_(matching))
        .group_by(col(Participant.contact_id))
        .subquery()
    )
    # SQLModel types select() for at most four columns; at runtime it takes any number
    rows = session.exec(
        select(col(Contact.id), col(Contact.name), col(Contact.tier), col(Contact.org), facts.c.n, facts.c.last)  # type: ignore[call-overload]
        .join(facts, facts.c.contact_id == col(Contact.id), isouter=True)
        .where(col(Contact.archived).is_(False), col(Contact.id).in_(matching))
        # closest first: tier, then most recent contact, then most exchanged
        .order_by(
            col(Contact.tier), facts.c.last.desc().nulls_last(), facts.c.n.desc().nulls_last(), col(Contact.name_key)
        )
    ).all()
    labels = grouped_labels(session, col(ContactTopic.contact_id), col(ContactTopic.topic), [r[0] for r in rows])
    return [
        {
            "id": cid,
            "name": name,
            "tier": tier,
            "org": org,
            "topics": labels.get(cid, []),
            "interactions": int(n or 0),
            "last_contact": as_date(last),
        }
        for cid, name, tier, org, n, last in rows
    ]


def people_by_ids(session: Session, *, ids: Iterable[int], as_of: dt.date) -> list[dict[str, Any]]:
    wanted = list(ids)
    if not wanted:
        return []
    rows = session.exec(
        select(col(Contact.id), col(Contact.name), col(Contact.tier), func.max(col(Participant.date)))
        .join(
            table_of(Participant),
            (col(Participant.contact_id) == col(Contact.id)) & (col(Participant.date) <= as_of),
            isouter=True,
        )
        .where(col(Contact.id).in_(wanted), col(Contact.archived).is_(False))
        .group_by(col(Contact.id), col(Contact.name), col(Contact.tier))
    ).all()
    return [{"id": i, "name": n, "tier": t, "last_contact": as_date(d)} for i, n, t, d in rows]


def goal_interactions(session: Session, *, goal_id: int) -> list[dict[str, Any]]:
    ids = list(session.scalars(select(col(Interaction.id)).where(col(Interaction.goal_id) == goal_id)))
    return interaction_dicts(session, ids=ids) if ids else []
