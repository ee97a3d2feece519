"""Per-person statistics: computed live from `participant`, or read from
`contact_stats`, which triggers mark dirty and `refresh_stats` rebuilds
before each commit. Reads use the stored rows whenever they are valid for the
day asked about (no interaction dated after it); dirty people and past
`--as-of` days are computed live, so both paths always agree."""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from sqlalchemy import String, case, cast, delete, event, func, insert, or_, select
from sqlmodel import Session

from netcli.models import ContactStats, Participant, StatsDirty
from netcli.store.people import _as_date

OWED_KINDS = ("help-received", "intro", "mentor-session")
STAT_KEYS = ("interactions", "last_contact", "last_met", "last_other", "last_owed", "last_owed_kind",
             "last_thanks", "last_received", "day_count", "median_gap")  # fmt: skip


def rhythm_facts(
    session: Session, *, as_of: dt.date | None, contact_ids: Sequence[int] | None = None
) -> dict[int, tuple[int, float]]:
    """Per person with two or more distinct days of contact (up to `as_of`):
    (how many distinct days, the median gap in days between them). The
    learned rhythm's inputs, computed in SQL with window functions."""
    p = Participant
    days_q = select(p.contact_id, p.date).distinct()
    if as_of is not None:
        days_q = days_q.where(p.date <= as_of)
    if contact_ids is not None:
        days_q = days_q.where(p.contact_id.in_(contact_ids))
    days = days_q.subquery()
    previous = func.lag(days.c.date).over(partition_by=days.c.contact_id, order_by=days.c.date)
    if session.get_bind().dialect.name == "sqlite":
        gap = func.julianday(days.c.date) - func.julianday(previous)
    else:
        gap = days.c.date - previous
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
    rows = session.connection().execute(
        select(ranked.c.contact_id, func.max(ranked.c.n), func.avg(ranked.c.gap))
        .where(middle)
        .group_by(ranked.c.contact_id)
    ).all()
    return {cid: (int(n) + 1, float(median)) for cid, n, median in rows}


def live_stats(
    session: Session, *, as_of: dt.date | None, contact_ids: Sequence[int] | None = None
) -> dict[int, dict[str, Any]]:
    """The statistics of every person with an interaction (up to `as_of`), from scratch."""
    p = Participant

    def newest(condition):  # type: ignore[no-untyped-def]
        return func.max(case((condition, p.date), else_=None))

    owed_tag = func.max(case((p.kind.in_(OWED_KINDS), cast(p.date, String) + " " + p.kind), else_=None))
    query = select(
        p.contact_id,
        func.count(),
        func.max(p.date),
        newest(p.kind == "met"),
        newest(p.kind != "met"),
        owed_tag,
        newest(p.kind == "thanks"),
        newest(p.kind == "help-received"),
    ).group_by(p.contact_id)
    if as_of is not None:
        query = query.where(p.date <= as_of)
    if contact_ids is not None:
        query = query.where(p.contact_id.in_(contact_ids))
    rhythms = rhythm_facts(session, as_of=as_of, contact_ids=contact_ids)
    result = {}
    for cid, count, last, met, other, owed, thanks, received in session.connection().execute(query):
        owed_on, _, owed_kind = (owed or "").partition(" ")
        days, median = rhythms.get(cid, (1, None))
        result[cid] = {
            "interactions": int(count),
            "last_contact": _as_date(last),
            "last_met": _as_date(met),
            "last_other": _as_date(other),
            "last_owed": _as_date(owed_on) if owed_on else None,
            "last_owed_kind": owed_kind or None,
            "last_thanks": _as_date(thanks),
            "last_received": _as_date(received),
            "day_count": days,
            "median_gap": median,
        }
    return result


def _dirty_ids(session: Session, contact_ids: Sequence[int] | None = None) -> list[int]:
    query = select(StatsDirty.contact_id)
    if contact_ids is not None:
        query = query.where(StatsDirty.contact_id.in_(contact_ids))
    return list(session.exec(query).scalars())


def stats_for(
    session: Session, *, as_of: dt.date, contact_ids: Sequence[int] | None = None
) -> dict[int, dict[str, Any]]:
    """Statistics up to `as_of`: stored rows where valid, live otherwise."""
    latest = _as_date(session.exec(select(func.max(Participant.date))).scalar())
    if latest is not None and latest > as_of:
        return live_stats(session, as_of=as_of, contact_ids=contact_ids)
    dirty = _dirty_ids(session, contact_ids)
    query = select(ContactStats.__table__)
    if contact_ids is not None:
        query = query.where(ContactStats.contact_id.in_(contact_ids))
    stored = {row["contact_id"]: {k: row[k] for k in STAT_KEYS} for row in session.connection().execute(query).mappings()}
    for cid in dirty:
        stored.pop(cid, None)
    if dirty:
        stored.update(live_stats(session, as_of=None, contact_ids=dirty))
    return stored


def refresh_stats(session: Session) -> int:
    """Recompute the stored statistics of everyone marked dirty; returns how many."""
    dirty = _dirty_ids(session)
    if not dirty:
        return 0
    for start in range(0, len(dirty), 5_000):  # bounded memory on a million-row import
        chunk = dirty[start : start + 5_000]
        fresh = live_stats(session, as_of=None, contact_ids=chunk)
        session.exec(delete(ContactStats).where(ContactStats.contact_id.in_(chunk)))
        from netcli.models import Contact

        existing = set(session.exec(select(Contact.id).where(Contact.id.in_(list(fresh)))).scalars())
        rows = [{"contact_id": cid, **values} for cid, values in fresh.items() if cid in existing]
        if rows:
            session.execute(insert(ContactStats), rows)
        session.exec(delete(StatsDirty).where(StatsDirty.contact_id.in_(chunk)))
    return len(dirty)


def help_counts(
    session: Session, *, start: dt.date, end: dt.date, contact_ids: Sequence[int] | None = None
) -> dict[int, tuple[int, int]]:
    """(help received, help given) per person for start < date <= end."""
    p = Participant
    query = (
        select(
            p.contact_id,
            func.sum(case((p.kind == "help-received", 1), else_=0)),
            func.sum(case((p.kind == "help-given", 1), else_=0)),
        )
        .where(p.kind.in_(("help-received", "help-given")), p.date > start, p.date <= end)
        .group_by(p.contact_id)
    )
    if contact_ids is not None:
        query = query.where(p.contact_id.in_(contact_ids))
    return {cid: (int(r or 0), int(g or 0)) for cid, r, g in session.connection().execute(query)}


@event.listens_for(Session, "before_commit")
def _refresh_before_commit(session: Session) -> None:
    """Write sessions leave no dirty statistics behind."""
    if session.info.get("netcli_write"):
        refresh_stats(session)
