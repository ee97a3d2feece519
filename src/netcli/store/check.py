"""What every stored column may hold, table by table: the door cleaners of
`clean`, applied to a backup's rows as `import json` restores them, and to
the stored rows `db check` reads. A value a cleaner refuses stops a restore
(naming the table, row and column) and is listed by `db check`; a value it
would change (a control character, a stray space) is stored cleaned by a
restore and listed by `db check` as a door would not have let it in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from netcli.addresses import address_key
from netcli.errors import BadValue, NetcliError
from netcli.identity import name_key, url_key
from netcli.models import Contact, Participant
from netcli.store.clean import (
    FIELD_CLEANERS,
    clean_birthday,
    clean_cadence,
    clean_choice,
    clean_day,
    clean_email,
    clean_handle,
    clean_kind,
    clean_labels,
    clean_line,
    clean_name,
    clean_note,
    clean_phone,
    clean_url,
)
from netcli.store.rows import col, table_by_name, table_of
from netcli.vocab import CommunityKind, Direction, EventKind, Source

Cleaner = Callable[[Any], Any]
SHOWN_STORED_PROBLEMS = 50  # what `db check` lists at most


def _required(field: str, cleaner: Cleaner) -> Cleaner:
    def check(value: Any) -> Any:
        cleaned = cleaner(value)
        if cleaned is None:
            raise BadValue(field, "cannot be empty")
        return cleaned

    return check


def _label(kind: str) -> Cleaner:
    return lambda value: clean_labels(kind, [value])[0]


def _choice(field: str, allowed: list[str]) -> Cleaner:
    return _required(field, lambda value: clean_choice(field, value, allowed))


def _optional_choice(field: str, allowed: list[str]) -> Cleaner:
    return lambda value: clean_choice(field, value, allowed)


_CONTACT = {key: cleaner for key, cleaner in FIELD_CLEANERS.items() if key not in ("email", "phone", "met_on")}
_CONTACT["tier"] = _required("tier", FIELD_CLEANERS["tier"])
_CONTACT["archived"] = lambda value: bool(FIELD_CLEANERS["archived"](value))

COLUMNS: dict[str, dict[str, Cleaner]] = {
    "contact": _CONTACT,
    "contact_email": {"address": _required("email", clean_email)},
    "contact_phone": {"number": _required("phone", clean_phone)},
    "contact_handle": {"handle": _required("handle", clean_handle)},
    "contact_tag": {"tag": _label("tag")},
    "contact_topic": {"topic": _label("topic")},
    "interaction": {
        "kind": _required("kind", clean_kind),
        "note": clean_note,
        "source": _choice("source", [s.value for s in Source]),
        "direction": _optional_choice("direction", [d.value for d in Direction]),
    },
    "interaction_topic": {"topic": _label("topic")},
    "mentor": {
        "status": _choice("status", ["prospect", "active", "past"]),
        "cadence_days": lambda value: clean_cadence(value, field="cadence_days"),
    },
    "mentor_question": {"text": _required("text", lambda value: clean_note(value, field="text"))},
    "goal": {
        "title": lambda value: clean_name(value, field="title"),
        "why": lambda value: clean_note(value, field="why"),
        "status": _choice("status", ["active", "done", "dropped"]),
    },
    "goal_topic": {"topic": _label("topic")},
    "goal_progress": {"note": _required("note", clean_note)},
    "community": {
        "name": clean_name,
        "kind": _choice("kind", [k.value for k in CommunityKind]),
        "url": clean_url,
    },
    "event": {"name": clean_name, "kind": _choice("kind", [k.value for k in EventKind])},
}
# columns a door derives from another: set from it, never taken as they come
DERIVED: dict[str, dict[str, tuple[str, Callable[[Any], Any]]]] = {
    "contact": {"name_key": ("name", name_key), "url_key": ("url", lambda url: url_key(url) if url else None)},
    "contact_email": {"address_key": ("address", address_key)},
    "community": {"name_key": ("name", name_key)},
    "event": {"name_key": ("name", name_key)},
}


def _dated(today: dt.date) -> dict[str, dict[str, Cleaner]]:
    """The columns a door judges against the day: never after `today`."""
    return {
        "contact": {
            "birthday": lambda value: clean_birthday(value, today=today),
            "met_on": lambda value: clean_day(value, field="met_on", today=today),
        },
        "interaction": {"date": lambda value: clean_day(value, field="date", today=today)},
    }


def cleaners_of(table: str, *, today: dt.date | None = None) -> dict[str, Cleaner]:
    """A table's column cleaners; given `today`, its days judged against it too."""
    cleaners = COLUMNS.get(table, {})
    return cleaners if today is None else {**cleaners, **_dated(today).get(table, {})}


def clean_row(table: str, row: dict[str, Any], *, today: dt.date | None = None) -> dict[str, Any]:
    """A row as the doors would store it (its derived columns worked out
    again), or `BadValue` naming the column; given `today`, no day after it
    (a backup restored; a copy of a database keeps what it holds)."""
    cleaners = cleaners_of(table, today=today)
    cleaned = dict(row)
    for column, cleaner in cleaners.items():
        if column in cleaned:
            cleaned[column] = cleaner(cleaned[column])
    for column, (source, derive) in DERIVED.get(table, {}).items():
        if source in cleaned:
            cleaned[column] = derive(cleaned[source])
    if table == "contact" and "email" in cleaned and cleaned["email"] is not None:
        cleaned["email"] = clean_email(cleaned["email"])
    if table == "contact" and "phone" in cleaned and cleaned["phone"] is not None:
        cleaned["phone"] = clean_line("phone", cleaned["phone"], limit=60)
    return cleaned


_TITLES = {"contact": "name", "community": "name", "event": "name", "goal": "title"}  # what names a row


def stored_problems(
    session: Session, *, today: dt.date | None = None, limit: int = SHOWN_STORED_PROBLEMS
) -> Iterator[str]:
    """What the doors would refuse or change in the stored rows: one line
    each (`contact #3 Ana Lima: tier 'Z' is not one of A, B, C, D`), at most
    `limit`; given `today`, a day after it too."""
    shown = 0
    for name in COLUMNS:
        cleaners = cleaners_of(name, today=today)
        table = table_by_name(name)
        columns = [c for c in cleaners if c in table.columns]
        keys = [*table.primary_key.columns, table.c[_TITLES.get(name, table.primary_key.columns[0].name)]]
        query = select(*keys, *(table.c[c] for c in columns)).order_by(*table.primary_key.columns)
        for row in session.connection().execute(query):
            ids, title = row[: len(keys) - 1], row[len(keys) - 1]
            label = f"{name} #{'/'.join(str(v) for v in ids)}" + (f" {title}" if name in _TITLES else "")
            for column, value in zip(columns, row[len(keys) :], strict=True):
                problem = _problem(cleaners[column], value)
                if problem is not None:
                    yield f"{label}: {problem}"
                    shown += 1
                    if shown >= limit:
                        return
    for cid, name, meetings in _met_twice(session):  # a person is met once (a backup edited by hand)
        yield f"contact #{cid} {name}: {meetings} `met` interactions; a person is met once (netcli unlog ID the others)"
        shown += 1
        if shown >= limit:
            return


def _met_twice(session: Session) -> list[tuple[int, str, int]]:
    """(id, name, how many) of the contacts who have more than one `met`."""
    times = func.count(func.distinct(col(Participant.interaction_id)))
    query = (
        select(col(Contact.id), col(Contact.name), times)
        .join(table_of(Participant), col(Participant.contact_id) == col(Contact.id))
        .where(col(Participant.kind) == "met")
        .group_by(col(Contact.id), col(Contact.name))
        .having(times > 1)
        .order_by(col(Contact.id))
    )
    return [(cid, name, int(n)) for cid, name, n in session.connection().execute(query)]


def _problem(cleaner: Cleaner, value: Any) -> str | None:
    try:
        cleaned = cleaner(value)
    except NetcliError as exc:
        return exc.message
    if cleaned != value and not (value is None and cleaned is None) and not isinstance(value, bool):
        return f"{value!r} holds what a door removes or changes (stored as {cleaned!r} when typed)"
    return None
