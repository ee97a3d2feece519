"""Interaction commands: log, history, unlog."""

from typing import TYPE_CHECKING, Annotated

import typer

from netcli.cli import complete
from netcli.cli import options as opt
from netcli.cli.app import app
from netcli.cli.state import state
from netcli.cli.values import parse_past, parse_range, resolve_today

if TYPE_CHECKING:  # for annotations only: a command module imports no SQLAlchemy at startup
    from datetime import date

    from netcli.vocab import Kind


@app.command(rich_help_panel="Interactions")
def log(
    who: Annotated[
        list[str],
        typer.Argument(help="One or more people (names, prefixes or #IDs).", autocompletion=complete.contact_names),
    ],
    kind: opt.KindOpt = None,
    on: Annotated[str | None, typer.Option("--on", metavar="WHEN", help="When (default today).")] = None,
    note: opt.Note = None,
    topic: Annotated[list[str] | None, typer.Option("--topic", help="What it was about (repeatable).")] = None,
    goal: Annotated[
        str | None,
        typer.Option(
            "--goal", metavar="GOAL", help="The learning goal it served.", autocompletion=complete.goal_titles
        ),
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Write the note in $EDITOR.")] = False,
    json_out: opt.JsonOut = False,
) -> None:
    """Log an exchange; several people make one shared interaction.

    Examples:
      netcli log ana --kind call --note "talked about her Rust workshop"
      netcli log ana bo --kind meeting --on "last friday" --topic embedded
      netcli log bo --kind help-received --note "reviewed my CV" --goal "job search"
    """
    from netcli import render
    from netcli.cli.prompts import resolve_note
    from netcli.db import session_scope
    from netcli.documents import log_exchange

    today = resolve_today(None)
    when = parse_past(on, today=today, option="--on") if on else today
    note = resolve_note(note, edit=edit)
    with session_scope(state().engine(), write=True) as session:
        result = log_exchange(
            session,
            who=who,
            kind=(kind.value if kind else "message"),
            on=when,
            note=note,
            topics=topic or [],
            goal=goal,
        )
    render.emit(
        result,
        json_out=json_out,
        view=f"Logged #{result['id']} {result['kind']} with {', '.join(result['contacts'])} on {result['date']}.",
    )


@app.command(rich_help_panel="Interactions")
def history(
    who: Annotated[
        str | None, typer.Argument(help="Only this person's interactions.", autocompletion=complete.contact_names)
    ] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="WHEN", help="From this date on.")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="WHEN", help="Up to this date.")] = None,
    kind: opt.KindOpt = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N interactions.")] = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Interactions, newest first.

    Examples:
      netcli history ana --limit 5
      netcli history --kind thanks --since "1 month ago"
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.render.contacts import interaction_rows, interaction_table

    today = resolve_today(None)
    start, end = parse_range(since, until, today=today)
    with session_scope(state().engine()) as session:
        contact = store.find_contact(session, who=who) if who else None
        contact_id, contact_name = (contact.id, contact.name) if contact else (None, None)
        rows = store.iter_interactions(
            session,
            contact_id=contact_id,
            since=start,
            until=end,
            kind=kind.value if kind else None,
            limit=limit,
        )
        if json_out:  # streamed, like list --json
            render.emit_json_rows(rows)
            return
        shown = interaction_rows(rows)
    if shown:
        interaction_table(shown)
    else:
        render.message(_no_interactions(who=who and contact_name, since=start, until=end, kind=kind))


def _no_interactions(*, who: str | None, since: "date | None", until: "date | None", kind: "Kind | None") -> str:
    """What an empty `history` found: under a filter, how many there are without it."""
    from datetime import date

    from netcli import store
    from netcli.db import session_scope

    with session_scope(state().engine()) as session:
        total = store.interaction_count(session, start=date.min, end=date.max)
    if not total:
        return "No interactions yet: netcli log WHO --kind call"
    filters = [f"of kind {kind.value}"] if kind else []
    filters += [f"with {who}"] if who else []
    filters += [f"since {since.isoformat()}"] if since else []
    filters += [f"until {until.isoformat()}"] if until else []
    return f"No interactions {' '.join(filters)}; {total} in all: netcli history"


@app.command(rich_help_panel="Interactions")
def unlog(
    interaction_id: Annotated[int, typer.Argument(metavar="ID", help="The interaction's id (see 'netcli history').")],
    json_out: opt.JsonOut = False,
) -> None:
    """Delete one interaction.

    Examples:
      netcli unlog 42
      netcli history ana --limit 5    (to find the id)
    """
    from netcli import render, store
    from netcli.db import session_scope

    with session_scope(state().engine(), write=True) as session:
        removed = store.delete_interaction(session, interaction_id=interaction_id)
    render.emit(
        removed,
        json_out=json_out,
        view=f"Deleted #{removed['id']} {removed['kind']} with {', '.join(removed['contacts'])} on {removed['date']}.",
    )
