"""Glue shared by the command modules: finishing contact rows for output,
confirmations. Imports of heavy modules stay inside the functions."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any, Iterable, Iterator

import typer

from netcli.errors import NetcliError

CONTACT_KEYS = (
    "id", "name", "email", "phone", "org", "role", "location", "url", "via", "met_at",
    "met_on", "introduced_by", "tier", "cadence_days", "tags", "topics", "note", "archived",
    "interactions", "last_contact", "next_due",
)  # fmt: skip


def finish_contacts(rows: Iterable[dict[str, Any]], *, today: date) -> Iterator[dict[str, Any]]:
    """Add cadence, next_due and status (from the rules) to store rows, one by one."""
    from netcli import rules
    from netcli.cli.app import state

    cadences = rules.Cadences.of(state().config())
    for row in rows:
        found = cadences.rhythm(row["tier"], row["own_cadence_days"], row["contact_day_count"], row["median_gap"])
        row["cadence_days"] = found.cadence_days
        row["next_due"] = rules.next_due(row["last_contact"], found.cadence_days)
        row["cadence_source"] = found.source
        row["status"] = rules.status(row["last_contact"], found.cadence_days, today=today)
        yield row


def public(contact: dict[str, Any]) -> dict[str, Any]:
    """The contact's JSON object: the contract's keys, then our additions."""
    return {
        **{key: contact[key] for key in CONTACT_KEYS},
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
