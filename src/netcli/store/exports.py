"""What exports write and imports read back: people by name, or
`Name <email or URL>` / `Name <N>` where several share one name, and every
interaction, oldest first, in that form."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from netcli.models import Contact, Participant
from netcli.store.interactions import iter_interactions
from netcli.store.rows import col, table_of

REFERENCE = re.compile(r"^(?P<name>.*?)\s*<(?P<address>[^<>\s]+)>$")


def shared_names() -> Any:
    return select(col(Contact.name_key)).group_by(col(Contact.name_key)).having(func.count() > 1)


def nth_without_address(same_name: Sequence[tuple[int, str | None, str | None]], n: int) -> int | None:
    """The `n`th (from 1, in the order they were added) of the contacts of one
    name that have neither email nor URL: what `Name <2>` refers to."""
    bare = [cid for cid, email, url in same_name if not email and not url]
    return bare[n - 1] if 1 <= n <= len(bare) else None


def shared_name_labels(session: Session) -> dict[int, tuple[str, str]]:
    """(name, label) of each contact whose name another shares: how exports
    write them so that an import into an empty database (where ids differ)
    can tell them apart: `Name <email or URL>`, else `Name <N>`, the Nth of
    that name with neither, in the order they were added (which is the order
    an export lists them, and so the order its import adds them)."""
    # SQLModel types select() for at most four columns; at runtime it takes any number
    query = (
        select(col(Contact.id), col(Contact.name), col(Contact.name_key), col(Contact.email), col(Contact.url))  # type: ignore[call-overload]
        .where(col(Contact.name_key).in_(shared_names()))
        .order_by(col(Contact.id))
    )
    labels: dict[int, tuple[str, str]] = {}
    bare: Counter[str] = Counter()
    for cid, name, key, email, url in session.exec(query):
        if email or url:
            labels[cid] = (name, f"{name} <{email or url}>")
        else:
            bare[key] += 1
            labels[cid] = (name, f"{name} <{bare[key]}>")
    return labels


def iter_history(session: Session) -> Iterator[dict[str, Any]]:
    """Every interaction, oldest first, as `import interactions` reads it:
    contacts by name, `Name <email>` where several share the name."""
    labels = shared_name_labels(session)
    shared: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if labels:
        query = (
            select(col(Participant.interaction_id), col(Participant.contact_id))
            .join(table_of(Contact), col(Contact.id) == col(Participant.contact_id))
            .where(col(Contact.name_key).in_(shared_names()))
            .order_by(col(Participant.interaction_id), col(Participant.contact_id))
        )
        for iid, cid in session.connection().execute(query):
            name, label = labels[cid]
            shared[iid][name].append(label)
    for row in iter_interactions(session, oldest_first=True):
        people = shared.pop(row["id"], None)
        if people:
            row["contacts"] = [people[name].pop(0) if people.get(name) else name for name in row["contacts"]]
        yield row
