"""Reading contacts: the listing behind `list`, `show` and exports (one query,
one row at a time), counts, and small lookups by id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, select  # Core's: the listing reads any number of columns through the connection
from sqlmodel import Session

from netcli.models import Contact, ContactTag, ContactTopic
from netcli.store.clean import PROFILE_FIELDS, clean_labels
from netcli.store.emails import HANDLES, PHONES, emails_column, listed_column, split_emails, split_listed
from netcli.store.rows import READ_BATCH, SEPARATOR, col, split_labels, table_of
from netcli.store.stats import SCOPE_LIMIT, stats_source


def iter_contacts(
    session: Session,
    *,
    as_of: dt.date,
    ids: Sequence[int] | None = None,
    tag: str | None = None,
    topic: str | None = None,
    via: str | None = None,
    tier: str | None = None,
    archived: bool | None = False,
    whole: bool = True,
) -> Iterator[dict[str, Any]]:
    """Contacts in name order with their labels and contact facts up to
    `as_of`, one at a time from one query (a listing of 100,000 people never
    holds them all).

    Each dict has the contract's profile keys, `emails`, `phones`, `handles`, `interactions`,
    `last_contact`, and the learned rhythm's inputs (`contact_week_count`,
    `median_gap`). Cadence and due dates are the rules' business. Not
    `whole`: only what a table of people shows and the cadence reads (id,
    name, via, tier, tags, archived and the statistics), without the
    subqueries of the rest.
    """
    wanted = list(ids) if ids is not None else None
    stats = stats_source(session, as_of=as_of, contact_ids=wanted if wanted and len(wanted) < SCOPE_LIMIT else None)
    contact = table_of(Contact)
    introducer = contact.alias("introducer")

    def labels(table: Any, column: str) -> Any:
        return (
            select(func.aggregate_strings(table.c[column], SEPARATOR))
            .where(table.c.contact_id == contact.c.id)
            .scalar_subquery()
        )

    shown = [  # (expression, whether a table of people reads it too)
        (contact.c.id, True),
        (contact.c.name, True),
        *((contact.c[key], False) for key in PROFILE_FIELDS),
        (emails_column(contact.c.id).label("emails"), False),
        (listed_column(PHONES, contact.c.id).label("phones"), False),
        (listed_column(HANDLES, contact.c.id).label("handles"), False),
        (contact.c.via, True),
        (contact.c.met_at, False),
        (contact.c.met_on, False),
        (introducer.c.name.label("introduced_by"), False),
        (contact.c.introduced_by_id, False),
        (contact.c.tier, True),
        (contact.c.cadence_days.label("own_cadence_days"), True),
        (labels(table_of(ContactTag), "tag").label("tags"), True),
        (labels(table_of(ContactTopic), "topic").label("topics"), False),
        (contact.c.note, False),
        (contact.c.archived, True),
        (contact.c.birthday, False),
        (func.coalesce(stats.c.interactions, 0).label("interactions"), True),
        (stats.c.last_contact, True),
        (func.coalesce(stats.c.day_count, 0).label("contact_week_count"), True),
        (stats.c.median_gap, True),
    ]
    query = select(*(expression for expression, brief in shown if whole or brief))
    if whole:
        query = query.outerjoin(introducer, introducer.c.id == contact.c.introduced_by_id)
    query = query.outerjoin(stats, stats.c.contact_id == contact.c.id).order_by(contact.c.name_key, contact.c.id)
    if wanted is not None:
        query = query.where(contact.c.id.in_(wanted))
    if archived is not None:
        query = query.where(contact.c.archived.is_(archived))
    if tag:
        chosen = clean_labels("tag", [tag])[0]
        query = query.where(contact.c.id.in_(select(col(ContactTag.contact_id)).where(col(ContactTag.tag) == chosen)))
    if topic:
        chosen = clean_labels("topic", [topic])[0]
        query = query.where(
            contact.c.id.in_(select(col(ContactTopic.contact_id)).where(col(ContactTopic.topic) == chosen))
        )
    if via:
        query = query.where(contact.c.via == via)
    if tier:
        query = query.where(contact.c.tier == tier)
    result = session.connection().execute(query.execution_options(yield_per=READ_BATCH))
    keys = tuple(result.keys())
    for row in result:
        found = dict(zip(keys, row, strict=True))
        found["tags"] = split_labels(found["tags"])
        if whole:
            found["topics"] = split_labels(found["topics"])
            found["emails"] = split_emails(found["emails"])
            found["phones"] = split_listed(found["phones"])
            found["handles"] = split_listed(found["handles"])
        yield found


def contact_count(session: Session, *, include_archived: bool = True) -> int:
    query = select(func.count()).select_from(table_of(Contact))
    if not include_archived:
        query = query.where(col(Contact.archived).is_(False))
    return int(session.scalars(query).one())


def contacts_by_ids(session: Session, *, ids: Iterable[int]) -> list[Contact]:
    wanted = list(ids)
    if not wanted:
        return []
    return list(session.scalars(select(Contact).where(col(Contact.id).in_(wanted))))


def introduced_names(session: Session, *, contact_id: int) -> list[str]:
    """Whom this person introduced you to."""
    return list(
        session.scalars(
            select(col(Contact.name)).where(col(Contact.introduced_by_id) == contact_id).order_by(col(Contact.name_key))
        )
    )
