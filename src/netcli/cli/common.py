"""Glue shared by the command modules: finishing contact rows for output,
confirmations. Imports of heavy modules stay inside the functions."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from netcli.errors import NetcliError

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcli.pipeline import Pipeline

CONTACT_KEYS = (
    "id",
    "name",
    "email",
    "phone",
    "org",
    "role",
    "location",
    "url",
    "via",
    "met_at",
    "met_on",
    "introduced_by",
    "tier",
    "cadence_days",
    "tags",
    "topics",
    "note",
    "archived",
    "interactions",
    "last_contact",
    "next_due",
)


def finish_contacts(rows: Iterable[dict[str, Any]], *, today: date, session: Any) -> Iterator[dict[str, Any]]:
    """Add the cadence in force, next_due and status (from the rules) to store
    rows, one by one: the same cadence the nudges use (an active mentor's is
    the mentor cadence)."""
    from netcli import rules, store
    from netcli.cli.state import state

    cadences = rules.Cadences(state().config())
    mentors = {m["contact_id"]: rules.MentorFacts(**m) for m in store.mentor_facts(session, as_of=today)}
    for row in rows:
        mentor = mentors.get(row["id"])
        found = cadences.in_force(
            row["tier"], row["own_cadence_days"], row["contact_week_count"], row["median_gap"], mentor
        )
        row["cadence_days"] = found.cadence_days
        row["next_due"] = cadences.next_due(found, row["last_contact"], mentor)
        row["cadence_source"] = found.source
        row["status"] = rules.status(row["next_due"], found.cadence_days, today=today)
        yield row


def pipeline(session: Session, *, today: date) -> Pipeline:
    """The nudge pipeline over `session` for `today`, with the user's settings."""
    from netcli.cli.state import state
    from netcli.pipeline import Pipeline

    return Pipeline(session, today=today, config=state().config())


def public(contact: dict[str, Any]) -> dict[str, Any]:
    """The contact's JSON object: the contract's keys, then our additions."""
    fields: dict[str, Any] = {}
    for key in CONTACT_KEYS:
        fields[key] = contact[key]
        if key == "email":
            fields["emails"] = contact["emails"]  # every address, beside the first (section 8)
        elif key == "phone":
            fields["phones"] = contact["phones"]  # every number, beside the first
    return {
        **fields,
        "birthday": contact["birthday"],
        "cadence_source": contact["cadence_source"],
        "status": contact["status"],
    }


def confirm(question: str, *, yes: bool) -> None:
    """Ask on a terminal; refuse without a terminal unless --yes was given."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise NetcliError(f"{question.rstrip('?')}: not on a terminal, so pass --yes to confirm")
    if not typer.confirm(question, default=False, err=True):
        raise NetcliError("cancelled; nothing was changed")
