"""Interactions: logging one, deleting one, reading them (newest or oldest
first, one at a time), and moving one person's part in one to another day or
out of it (what editing and merging contacts need)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy import select as core_select  # any number of columns, read through the connection
from sqlmodel import Session, select

from netcli.errors import Invalid, NotFound
from netcli.models import Contact, Goal, Interaction, InteractionTopic, Participant
from netcli.store.clean import MAX_NOTE, clean_labels, clean_text
from netcli.store.rows import NAME_MARK, READ_BATCH, SEPARATOR, as_date, col, split_labels, table_of


def log_interaction(
    session: Session,
    *,
    contacts: Sequence[Contact],
    kind: str,
    on: dt.date,
    note: str | None,
    topics: Iterable[str] = (),
) -> Interaction:
    """One interaction shared by every contact given. A person is met once:
    a `met` with someone met already is refused, and it sets the met_on of
    each person it is the meeting of."""
    unique: dict[int, Contact] = {}
    for contact in contacts:
        assert contact.id is not None
        unique.setdefault(contact.id, contact)
    if not unique:
        raise Invalid("an interaction needs at least one contact")
    if kind == "met":
        for cid, day in met_days(session, list(unique)).items():
            raise Invalid(
                f"{unique[cid].name} was met on {day.isoformat()} already, and a person is met once: "
                f"'netcli edit #{cid} --met-on {on.isoformat()}' moves that meeting, or log this one as "
                "--kind meeting"
            )
        for contact in unique.values():
            if contact.met_on != on:
                contact.met_on = on
                session.add(contact)
    interaction = Interaction(date=on, kind=kind, note=clean_text("note", note, limit=MAX_NOTE))
    session.add(interaction)
    session.flush()
    assert interaction.id is not None
    session.add_all(Participant(interaction_id=interaction.id, contact_id=cid, date=on, kind=kind) for cid in unique)
    session.add_all(InteractionTopic(interaction_id=interaction.id, topic=t) for t in clean_labels("topic", topics))
    session.flush()
    return interaction


def met_days(session: Session, contact_ids: Sequence[int] | None = None) -> dict[int, dt.date]:
    """The day each of these people (None: everyone) was met (their `met`), for those who were."""
    query = core_select(col(Participant.contact_id), func.min(col(Participant.date))).where(
        col(Participant.kind) == "met"
    )
    if contact_ids is not None:
        query = query.where(col(Participant.contact_id).in_(contact_ids))
    rows = session.connection().execute(query.group_by(col(Participant.contact_id)))
    return {cid: as_date(day) for cid, day in rows}


def delete_interaction(session: Session, *, interaction_id: int) -> dict[str, Any]:
    rows = interaction_dicts(session, ids=[interaction_id])
    if not rows:
        raise NotFound(f"no interaction has the id {interaction_id}; 'netcli history' shows the ids")
    session.exec(delete(Interaction).where(col(Interaction.id) == interaction_id))
    return rows[0]


def interaction_dicts(session: Session, **filters: Any) -> list[dict[str, Any]]:
    """`iter_interactions` as a list."""
    return list(iter_interactions(session, **filters))


def iter_interactions(
    session: Session,
    *,
    ids: Sequence[int] | None = None,
    contact_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    kind: str | None = None,
    limit: int | None = None,
    oldest_first: bool = False,
) -> Iterator[dict[str, Any]]:
    """Interactions newest first (or oldest first), as the contract's JSON objects, one at a
    time from one query (a million never held at once): each one's people
    (in name order) and topics are aggregated in SQL."""
    people = (
        select(func.aggregate_strings(col(Contact.name_key) + NAME_MARK + col(Contact.name), SEPARATOR))
        .select_from(table_of(Participant))
        .join(table_of(Contact), col(Contact.id) == col(Participant.contact_id))
        .where(col(Participant.interaction_id) == col(Interaction.id))
        .scalar_subquery()
    )
    topics = (
        select(func.aggregate_strings(col(InteractionTopic.topic), SEPARATOR))
        .where(col(InteractionTopic.interaction_id) == col(Interaction.id))
        .scalar_subquery()
    )
    query = core_select(
        col(Interaction.id),
        col(Interaction.date),
        col(Interaction.kind),
        people,
        col(Interaction.note),
        topics,
        col(Goal.title),
        col(Interaction.source),
        col(Interaction.direction),
    ).outerjoin(table_of(Goal), col(Goal.id) == col(Interaction.goal_id))
    if ids is not None:
        query = query.where(col(Interaction.id).in_(ids))
    if contact_id is not None:
        query = query.where(
            col(Interaction.id).in_(
                select(col(Participant.interaction_id)).where(col(Participant.contact_id) == contact_id)
            )
        )
    if since is not None:
        query = query.where(col(Interaction.date) >= since)
    if until is not None:
        query = query.where(col(Interaction.date) <= until)
    if kind is not None:
        query = query.where(col(Interaction.kind) == kind)
    if oldest_first:
        query = query.order_by(col(Interaction.date), col(Interaction.id))
    else:
        query = query.order_by(col(Interaction.date).desc(), col(Interaction.id).desc())
    if limit is not None:
        query = query.limit(limit)
    for iid, day, kind_, names, note, labels, goal, source, direction in session.connection().execute(
        query.execution_options(yield_per=READ_BATCH)
    ):
        yield {
            "id": iid,
            "date": as_date(day).isoformat(),
            "kind": kind_,
            "contacts": [name.partition(NAME_MARK)[2] for name in split_labels(names)],  # by name key
            "note": note,
            "topics": split_labels(labels),
            "goal": goal,
            "source": source,
            "direction": direction,
        }


def redate_part(session: Session, *, interaction_id: int, contact_id: int, on: dt.date) -> None:
    """Move one person's part in an interaction to another day: the whole
    interaction when it is theirs alone, else a copy of it for them."""
    shared = (
        session.scalars(
            select(func.count())
            .select_from(table_of(Participant))
            .where(col(Participant.interaction_id) == interaction_id)
        ).one()
        > 1
    )
    if not shared:
        session.exec(update(Interaction).where(col(Interaction.id) == interaction_id).values(date=on))
        session.exec(update(Participant).where(col(Participant.interaction_id) == interaction_id).values(date=on))
        return
    original = session.get_one(Interaction, interaction_id)
    topics = session.scalars(
        select(col(InteractionTopic.topic)).where(col(InteractionTopic.interaction_id) == interaction_id)
    ).all()
    session.exec(
        delete(Participant).where(
            col(Participant.interaction_id) == interaction_id, col(Participant.contact_id) == contact_id
        )
    )
    copy = log_interaction(
        session,
        contacts=[session.get_one(Contact, contact_id)],
        kind=original.kind,
        on=on,
        note=original.note,
        topics=topics,
    )
    copy.goal_id = original.goal_id
    copy.source, copy.direction = original.source, original.direction  # still where it came from
    session.add(copy)


def drop_part(session: Session, *, interaction_ids: Sequence[int], contact_ids: Sequence[int]) -> None:
    """Take these people out of these interactions; delete any left with nobody."""
    if not interaction_ids:
        return
    session.exec(
        delete(Participant).where(
            col(Participant.interaction_id).in_(interaction_ids), col(Participant.contact_id).in_(contact_ids)
        )
    )
    anyone = select(col(Participant.interaction_id)).where(col(Participant.interaction_id).in_(interaction_ids))
    session.exec(
        delete(Interaction).where(col(Interaction.id).in_(interaction_ids), col(Interaction.id).not_in(anyone))
    )
