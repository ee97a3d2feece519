"""Glue shared by the command modules: the answers of `netcli.documents`
with this invocation's settings, confirmations. Imports of heavy modules stay
inside the functions."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from netcli.errors import NetcliError, UsageError

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
    if not sys.stdin.isatty():  # the command line lacks what it needs here: a usage error
        raise UsageError(f"{question.rstrip('?')}: not on a terminal, so pass --yes to confirm")
    from netcli.defuse import defuse

    if not typer.confirm(defuse(question), default=False, err=True):
        raise NetcliError("cancelled; nothing was changed")


def confirm_overwrite(path: Path, *, force: bool) -> None:
    """Ask before a file that exists is replaced; off a terminal only --force
    replaces it (the file being there is the data's problem: exit 1)."""
    if force or not path.exists():
        return
    if not sys.stdin.isatty():
        raise NetcliError(f"{path} exists; pass --force to overwrite it")
    if not typer.confirm(f"{path} exists. Overwrite it?", default=False, err=True):
        raise NetcliError("cancelled; nothing was written")


def require_change(ctx: typer.Context, *, besides: tuple[str, ...] = ("json_out",)) -> None:
    """An `edit` given no option to change: a usage error listing the options
    (not "Updated", with nothing updated)."""
    from typer._click.core import ParameterSource

    options = [p for p in ctx.command.params if p.param_type_name == "option" and p.name not in besides]
    if any(ctx.get_parameter_source(p.name) == ParameterSource.COMMANDLINE for p in options if p.name):
        return
    names = ["/".join(o for o in (*p.opts, *p.secondary_opts) if o.startswith("--")) for p in options]
    raise UsageError(f"nothing to change: give at least one of {', '.join(n for n in names if n != '--help')}")
