"""Mentor commands: add, list, ask, prep, meet, start, end."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from netcli.cli import complete
from netcli.cli import options as opt
from netcli.cli.app import app
from netcli.cli.state import state
from netcli.cli.values import parse_past, parse_span, resolve_today
from netcli.wording import article, count

if TYPE_CHECKING:  # for annotations only: a command module imports no SQLAlchemy at startup
    from datetime import date

    from sqlmodel import Session

mentor_app = typer.Typer(
    help="Mentors: a rhythm of sessions, and questions prepared before each.", no_args_is_help=True
)
app.add_typer(mentor_app, name="mentor", rich_help_panel="Learning")

Who = Annotated[
    str,
    typer.Argument(
        metavar="WHO", help="The mentor: name, unique part of a name, or #ID.", autocompletion=complete.contact_names
    ),
]


def _mentor_rows(session: "Session", today: "date") -> list[dict[str, Any]]:
    from netcli.documents import mentor_rows

    return mentor_rows(session, today=today, config=state().config())


@mentor_app.command("add")
def mentor_add(
    who: Who,
    every: Annotated[
        str | None, typer.Option("--every", metavar="SPAN", help="How often you meet (default 4w).")
    ] = None,
    topic: Annotated[list[str] | None, typer.Option("--topic", help="What they mentor you on (repeatable).")] = None,
    prospect: Annotated[
        bool, typer.Option("--prospect", help="Someone you would like as a mentor, not yet active.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="WHEN", help="When the mentorship started (sessions count from then)."),
    ] = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Make someone your mentor (creates the contact, via mentoring, if new).

    Examples:
      netcli mentor add "Dana Novak" --every 4w --topic career
      netcli mentor add "Grace Kim" --prospect
      netcli mentor add "Liam O'Brien" --since 2026-09-01
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.errors import NotFound

    today = resolve_today(None)
    cadence = parse_span(every, option="--every") if every else None
    started = parse_past(since, today=today, option="--since") if since else None
    with session_scope(state().engine(), write=True) as session:
        try:
            contact = store.find_contact(session, who=who)
            created = False
        except NotFound:
            proposal = store.propose({"name": who, "met_on": started or today, "via": "mentoring"}, today=today)
            contact = store.add_contact(session, proposal=proposal, today=today)
            created = True
        store.add_mentor(
            session,
            contact=contact,
            cadence_days=cadence,
            prospect=prospect,
            topics=topic or [],
            today=today,
            since=started,
        )
        row = next(r for r in _mentor_rows(session, today) if r["contact_id"] == contact.id)
    made = " (new contact)" if created else ""
    render.emit(
        row,
        json_out=json_out,
        view=f"{row['name']}{made} is now {article(row['status'])} mentor; "
        f"sessions every {count(row['cadence_days'], 'day')}.",
    )


@mentor_app.command("list")
def mentor_list(as_of: opt.AsOf = None, json_out: opt.JsonOut = False) -> None:
    """Your mentors, with when each next session is due.

    Examples:
      netcli mentor list
      netcli mentor list --json
    """
    from netcli import render
    from netcli.db import session_scope
    from netcli.render.learning import mentor_table

    today = resolve_today(as_of)
    with session_scope(state().engine()) as session:
        rows = _mentor_rows(session, today)
    render.emit(
        rows,
        json_out=json_out,
        view=lambda rows: mentor_table(rows, today=today),
        empty="No mentors yet: netcli mentor add NAME",
    )


@mentor_app.command("ask")
def mentor_ask(
    who: Who,
    text: Annotated[str, typer.Argument(help="The question to bring to the next session.")],
    json_out: opt.JsonOut = False,
) -> None:
    """Note a question for your next session with a mentor.

    Examples:
      netcli mentor ask dana "How do I pitch a conference talk?"
      netcli mentor ask "Liam O'Brien" "Is a staff role right for me?"
    """
    from netcli import render, store
    from netcli.db import session_scope

    today = resolve_today(None)
    with session_scope(state().engine(), write=True) as session:
        contact = store.find_contact(session, who=who)
        question = store.ask_mentor(session, contact=contact, text=text, today=today)
        result = {
            "mentor": contact.name,
            "number": question.number,
            "text": question.text,
            "asked_on": question.asked_on,
        }
    render.emit(result, json_out=json_out, view=f"Question {result['number']} for {result['mentor']} noted.")


@mentor_app.command("prep")
def mentor_prep(who: Who, json_out: opt.JsonOut = False) -> None:
    """What to bring to the next session: open questions, last notes, goals.

    Examples:
      netcli mentor prep dana
      netcli mentor prep dana --json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.documents import prep_document
    from netcli.render.learning import prep_view

    today = resolve_today(None)
    with session_scope(state().engine()) as session:
        contact = store.find_contact(session, who=who)
        prep = prep_document(session, contact=contact, today=today, config=state().config())
    render.emit(prep, json_out=json_out, view=prep_view)


@mentor_app.command("meet")
def mentor_meet(
    who: Who,
    on: Annotated[str | None, typer.Option("--on", metavar="WHEN", help="When (default today).")] = None,
    note: opt.Note = None,
    answered: Annotated[
        list[str] | None,
        typer.Option("--answered", metavar="N|all", help="Question numbers answered (repeatable), or all."),
    ] = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Log a mentor session and close the questions it answered.

    Examples:
      netcli mentor meet dana --note "Talk outline agreed" --answered all
      netcli mentor meet dana --on yesterday --answered 1 --answered 3
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.errors import UsageError

    today = resolve_today(None)
    when = parse_past(on, today=today, option="--on") if on else today
    closing: list[int] | str | None = None
    if answered:
        if any(a.strip().lower() == "all" for a in answered):
            closing = "all"
        else:
            try:
                closing = [int(a.strip().lstrip("#")) for a in answered]
            except ValueError:
                raise UsageError("--answered takes question numbers (see 'netcli mentor prep') or 'all'") from None
    with session_scope(state().engine(), write=True) as session:
        contact = store.find_contact(session, who=who)
        interaction, closed = store.meet_mentor(session, contact=contact, on=when, note=note, answered=closing)
        result = store.interaction_dicts(session, ids=[interaction.id])[0] | {"answered": [q.number for q in closed]}
    done = f", closed {count(len(result['answered']), 'question')}" if result["answered"] else ""
    render.emit(
        result,
        json_out=json_out,
        view=f"Logged a mentor session with {contact.name} on {result['date']}{done}.",
    )


def _set_status(who: str, status: str) -> None:
    from netcli import render, store
    from netcli.db import session_scope

    today = resolve_today(None)
    with session_scope(state().engine(), write=True) as session:
        contact = store.find_contact(session, who=who)
        store.set_mentor_status(session, contact=contact, status=status, today=today)
    render.message(f"{contact.name} is now {article(status)} mentor.")


@mentor_app.command("start")
def mentor_start(who: Who) -> None:
    """Make a prospect (or past) mentor active.

    Examples:
      netcli mentor start "Grace Kim"
      netcli mentor start grace
    """
    _set_status(who, "active")


@mentor_app.command("end")
def mentor_end(who: Who) -> None:
    """End a mentorship; the person stays in your network.

    Examples:
      netcli mentor end dana
      netcli mentor end "#4"
    """
    _set_status(who, "past")
