"""The monthly reflection's numbers, as SQL aggregates over a date range."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, exists, func, literal_column
from sqlalchemy import select as core_select
from sqlmodel import Session, select

from netcli.models import Contact, Goal, GoalProgress, Interaction, Mentor, Participant, SyncCard
from netcli.store.activity import month_activity
from netcli.store.rows import as_date, col, table_of
from netcli.store.stats import stats_source
from netcli.vocab import Channel


def interaction_count(session: Session, *, start: dt.date, end: dt.date) -> int:
    return int(
        session.scalars(
            select(func.count())
            .select_from(table_of(Interaction))
            .where(col(Interaction.date) >= start, col(Interaction.date) <= end)
        ).one()
    )


# How a new contact came: the channel given, else `address-book` for one a card
# brought before sync gave it that channel (its card kept, no `met` logged),
# else "unknown".
_FROM_A_CARD = exists().where(col(SyncCard.contact_id) == col(Contact.id)) & ~exists().where(
    col(Participant.contact_id) == col(Contact.id), col(Participant.kind) == "met"
)
CHANNEL = case(
    (col(Contact.via).is_not(None), col(Contact.via)),
    (_FROM_A_CARD, literal_column(f"'{Channel.address_book.value}'")),
    else_=literal_column("'unknown'"),
).label("channel")


def month_facts(session: Session, *, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Counts for the days start..end (inclusive)."""
    in_range = (col(Interaction.date) >= start) & (col(Interaction.date) <= end)
    by_kind = dict(
        session.exec(select(col(Interaction.kind), func.count()).where(in_range).group_by(col(Interaction.kind))).all()
    )
    by_day = {
        as_date(day): int(n)
        for day, n in session.exec(
            select(col(Interaction.date), func.count()).where(in_range).group_by(col(Interaction.date))
        ).all()
    }
    # interactions per person: only people whose last contact is on or after
    # `start` can have any, each counted through their (contact, date) index;
    # then the five busiest named, and how many people in all, in one pass
    recent = stats_source(session, as_of=dt.date.max)
    counts = (
        select(recent.c.contact_id, func.count().label("n"))
        .join(table_of(Participant), col(Participant.contact_id) == recent.c.contact_id)
        .where(recent.c.last_contact >= start, col(Participant.date) >= start, col(Participant.date) <= end)
        .group_by(recent.c.contact_id)
        .subquery()
    )
    busiest = session.exec(
        select(col(Contact.name), counts.c.n, func.count().over())
        .join(counts, counts.c.contact_id == col(Contact.id))
        .order_by(counts.c.n.desc(), col(Contact.name_key))
        .limit(5)
    ).all()
    people = busiest[0][2] if busiest else 0
    top = [(name, n) for name, n, _ in busiest]
    # a meeting captured from a calendar with a mentor is a session with them (as `mentor list` counts it)
    mentor_meetings = session.exec(
        select(func.count(func.distinct(col(Interaction.id))))
        .join(table_of(Participant), col(Participant.interaction_id) == col(Interaction.id))
        .join(table_of(Mentor), col(Mentor.contact_id) == col(Participant.contact_id))
        .where(in_range, col(Interaction.kind) == "meeting", col(Interaction.source) == "calendar")
    ).one()
    met = (col(Contact.met_on) >= start) & (col(Contact.met_on) <= end)
    new_by_channel = dict(session.exec(select(CHANNEL, func.count()).where(met).group_by(CHANNEL)).all())
    return {
        "interactions": sum(by_kind.values()),
        "by_kind": {k: int(v) for k, v in by_kind.items()},
        "mentor_meetings": int(mentor_meetings),
        "by_day": by_day,
        "people": int(people),
        "top_contacts": [{"name": n, "interactions": int(c)} for n, c in top],
        "new_by_channel": {k: int(v) for k, v in new_by_channel.items()},
        "communities": month_activity(session, start=start, end=end),
    }


def goal_progress_between(session: Session, *, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Goals alive during start..end with their percent before start and at
    end, and what moved them in start..end: the interactions linked to them
    and the progress notes (with a percent or without)."""
    goals = (
        session.connection()
        .execute(  # rows, not objects (see `rows.col`)
            core_select(table_of(Goal))
            .where(col(Goal.created_on) <= end)
            .where((col(Goal.closed_on).is_(None)) | (col(Goal.closed_on) >= start))
            .order_by(col(Goal.id))
        )
        .all()
    )
    if not goals:
        return []
    entries = session.exec(
        select(col(GoalProgress.goal_id), col(GoalProgress.date), col(GoalProgress.percent))
        .where(
            col(GoalProgress.goal_id).in_([g.id for g in goals]),
            col(GoalProgress.percent).is_not(None),
            col(GoalProgress.date) <= end,
        )
        .order_by(col(GoalProgress.date), col(GoalProgress.id))
    ).all()
    ids = [g.id for g in goals]
    linked = _per_goal(session, col(Interaction.goal_id), col(Interaction.date), ids, start, end)
    noted = _per_goal(session, col(GoalProgress.goal_id), col(GoalProgress.date), ids, start, end)
    result = []
    for goal in goals:
        mine = [(as_date(d), p) for gid, d, p in entries if gid == goal.id]
        before = [p for d, p in mine if d < start]
        closed = goal.closed_on is not None and goal.closed_on <= end
        result.append(
            {
                "title": goal.title,
                "status": goal.status if closed else "active",
                "progress_start": before[-1] if before else None,
                "progress_end": mine[-1][1] if mine else None,
                "created_on": goal.created_on,
                "interactions": linked.get(goal.id, 0),
                "updates": noted.get(goal.id, 0),
            }
        )
    return result


def _per_goal(session: Session, goal_id: Any, day: Any, ids: list[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """How many rows of a table with `goal_id` and `day` columns each goal has in start..end."""
    rows = session.exec(
        select(goal_id, func.count()).where(goal_id.in_(ids), day >= start, day <= end).group_by(goal_id)
    ).all()
    return {int(gid): int(n) for gid, n in rows}
