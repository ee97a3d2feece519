"""Per-person statistics: computed live from `participant`, or read from
`contact_stats`, which triggers mark dirty and `refresh_stats` rebuilds
before each commit of a write session (the hook is in `store/__init__`).
Reads use the stored rows whenever they are valid for the day asked about
(no interaction dated after it, nobody marked dirty); otherwise the same
columns are computed live, so both paths always agree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

# Core's select: these statements are subqueries of any width
from sqlalchemy import Float, Integer, String, case, cast, delete, func, insert, literal, or_, select, text
from sqlalchemy.sql import ColumnElement, FromClause, Select
from sqlmodel import Session

from netcli.models import HELP_ROWS, Contact, ContactStats, Interaction, Participant, StatsDirty
from netcli.store.rows import as_date, col, table_of

OWED_KINDS = ("help-received", "intro", "mentor-session")
# the statistics, in the stored table's column order: a new one is a column
# of `ContactStats` and one expression in `_live_select`
STAT_KEYS = tuple(c.name for c in table_of(ContactStats).columns if c.name != "contact_id")
# a scope of fewer people than this is pushed into every subquery as an IN
# list; for more, computing everyone's and joining is faster
SCOPE_LIMIT = 500
# the owed tag is "YYYY-MM-DD kind": the kind starts after the date and a space (substr counts from 1)
OWED_KIND_START = len("YYYY-MM-DD ") + 1
# the people whose statistics a statement computes: ids, or a select of them; None for everyone
Scope = Sequence[int] | Select | None


def _rhythm_select(session: Session, *, as_of: dt.date | None, contact_ids: Scope) -> Select:
    """contact_id, day_count, median_gap for everyone in touch in two or more
    different weeks (up to `as_of`): the learned rhythm's inputs, as
    `rules.contact_weeks` and `rules.median_gap` define them (day_count counts
    the weeks), computed with window functions."""
    p = Participant
    week: ColumnElement[Any]
    if session.get_bind().dialect.name == "sqlite":  # Monday-to-Sunday weeks since 0001-01-01, a Monday
        week = cast((func.julianday(col(p.date)) - 1721425.5) / 7, Integer)
    else:
        week = (col(p.date) - literal(dt.date(1, 1, 1))) // 7  # date - date is a whole number of days
    days_q = select(col(p.contact_id), week.label("week")).distinct()
    if as_of is not None:
        days_q = days_q.where(col(p.date) <= as_of)
    if contact_ids is not None:
        days_q = days_q.where(col(p.contact_id).in_(contact_ids))
    days = days_q.subquery()
    previous = func.lag(days.c.week).over(partition_by=days.c.contact_id, order_by=days.c.week)
    gap = 7 * (days.c.week - previous)
    gaps = select(days.c.contact_id, gap.label("gap")).subquery()
    ranked = (
        select(
            gaps.c.contact_id,
            gaps.c.gap,
            func.row_number().over(partition_by=gaps.c.contact_id, order_by=gaps.c.gap).label("rn"),
            func.count().over(partition_by=gaps.c.contact_id).label("n"),
        )
        .where(gaps.c.gap.is_not(None))
        .subquery()
    )
    middle = or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    return (
        select(
            ranked.c.contact_id,
            (func.max(ranked.c.n) + 1).label("day_count"),
            cast(func.avg(ranked.c.gap), Float).label("median_gap"),
        )
        .where(middle)
        .group_by(ranked.c.contact_id)
    )


def _live_select(session: Session, *, as_of: dt.date | None, contact_ids: Scope) -> Select:
    """contact_id and the STAT_KEYS of every person with an interaction (up to
    `as_of`), computed from scratch; only `contact_ids`' (a list, or a select
    of ids) when given."""
    p = Participant

    def newest(condition: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.max(case((condition, col(p.date)), else_=None))

    # the newest owed interaction's kind: the largest "date kind" string, less its date
    owed_tag = func.max(case((col(p.kind).in_(OWED_KINDS), cast(col(p.date), String) + " " + col(p.kind)), else_=None))
    totals_of: dict[str, ColumnElement[Any]] = {  # aggregates over each person's participant rows
        "interactions": func.count(),
        "last_contact": func.max(col(p.date)),
        "last_met": newest(col(p.kind) == "met"),
        "last_other": newest(col(p.kind) != "met"),
        "last_owed": newest(col(p.kind).in_(OWED_KINDS)),
        "owed_tag": owed_tag,
        "last_thanks": newest(col(p.kind) == "thanks"),
        "last_received": newest(col(p.kind) == "help-received"),
    }
    query = select(col(p.contact_id).label("contact_id"), *(e.label(k) for k, e in totals_of.items())).group_by(
        col(p.contact_id)
    )
    if as_of is not None:
        query = query.where(col(p.date) <= as_of)
    if contact_ids is not None:
        query = query.where(col(p.contact_id).in_(contact_ids))
    totals = query.subquery()
    rhythms = _rhythm_select(session, as_of=as_of, contact_ids=contact_ids).subquery()
    derived = {  # the statistics that are not a total as it is
        "last_owed_kind": func.substr(totals.c.owed_tag, OWED_KIND_START),
        "day_count": func.coalesce(rhythms.c.day_count, 1),
        "median_gap": rhythms.c.median_gap,
    }
    return select(
        totals.c.contact_id, *(derived[k].label(k) if k in derived else totals.c[k] for k in STAT_KEYS)
    ).outerjoin(rhythms, rhythms.c.contact_id == totals.c.contact_id)


def live_stats(
    session: Session, *, as_of: dt.date | None, contact_ids: Sequence[int] | None = None
) -> dict[int, dict[str, Any]]:
    """The statistics of every person with an interaction (up to `as_of`), from scratch."""
    rows = session.connection().execute(_live_select(session, as_of=as_of, contact_ids=contact_ids)).all()
    return {row[0]: dict(zip(STAT_KEYS, row[1:], strict=True)) for row in rows}


def stats_source(session: Session, *, as_of: dt.date, contact_ids: Sequence[int] | None = None) -> FromClause:
    """The statistics up to `as_of` as something to select from (columns
    contact_id and STAT_KEYS): the stored table when it is valid for that
    day, else the live computation."""
    latest = as_date(session.scalar(select(func.max(col(Interaction.date)))))
    dirty = select(col(StatsDirty.contact_id)).limit(1)
    if contact_ids is not None:
        dirty = dirty.where(col(StatsDirty.contact_id).in_(contact_ids))
    if (latest is None or latest <= as_of) and session.scalars(dirty).first() is None:
        return table_of(ContactStats)
    return _live_select(session, as_of=as_of, contact_ids=contact_ids).subquery()


def refresh_stats(session: Session) -> int:
    """Recompute the stored statistics of everyone marked dirty, in the
    database (`INSERT … SELECT` over the dirty ids: nothing passes through
    Python, however many they are); returns how many were dirty."""
    conn = session.connection()
    count = conn.execute(select(func.count()).select_from(table_of(StatsDirty))).scalar_one()
    if not count:
        return 0
    stats, dirty = table_of(ContactStats), select(col(StatsDirty.contact_id))
    conn.execute(delete(stats).where(stats.c.contact_id.in_(dirty)))
    fresh = _live_select(session, as_of=None, contact_ids=dirty).subquery()
    still_here = fresh.c.contact_id.in_(select(col(Contact.id)))  # a contact deleted since is not kept
    conn.execute(insert(stats).from_select(["contact_id", *STAT_KEYS], select(fresh).where(still_here)))
    conn.execute(delete(table_of(StatsDirty)))
    return int(count)


def help_select(start: dt.date, end: dt.date, contact_ids: Sequence[int] | None = None) -> Select:
    """contact_id, received, given: help counts per person for start < date <= end."""
    p = Participant
    query = (
        select(
            col(p.contact_id),
            func.sum(case((col(p.kind) == "help-received", 1), else_=0)).label("received"),
            func.sum(case((col(p.kind) == "help-given", 1), else_=0)).label("given"),
        )
        .where(text(HELP_ROWS), col(p.date) > start, col(p.date) <= end)  # as written in ix_participant_help
        .group_by(col(p.contact_id))
    )
    if contact_ids is not None:
        query = query.where(col(p.contact_id).in_(contact_ids))
    return query
