"""Glue shared by the command modules: the answers of `netcli.documents`
with this invocation's settings, confirmations. Imports of heavy modules stay
inside the functions."""

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


def finish_contacts(rows: Iterable[dict[str, Any]], *, today: date, session: Any) -> Iterator[dict[str, Any]]:
    """`documents.finish_contacts` with the user's settings."""
    from netcli import documents
    from netcli.cli.state import state

    return documents.finish_contacts(rows, today=today, session=session, config=state().config())


def pipeline(session: Session, *, today: date) -> Pipeline:
    """The nudge pipeline over `session` for `today`, with the user's settings."""
    from netcli.cli.state import state
    from netcli.pipeline import Pipeline

    return Pipeline(session, today=today, config=state().config())


def confirm(question: str, *, yes: bool) -> None:
    """Ask on a terminal; refuse without a terminal unless --yes was given."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise NetcliError(f"{question.rstrip('?')}: not on a terminal, so pass --yes to confirm")
    if not typer.confirm(question, default=False, err=True):
        raise NetcliError("cancelled; nothing was changed")
