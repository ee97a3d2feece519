"""Learning-goal commands: add, list, show, link, progress, done, drop."""

from typing import Annotated

import typer

from netcli.cli import complete
from netcli.cli import options as opt
from netcli.cli.app import app
from netcli.cli.state import state
from netcli.cli.values import parse_past, parse_when, resolve_today

goal_app = typer.Typer(help="Learning goals, linked to the people who can help.", no_args_is_help=True)
app.add_typer(goal_app, name="goal", rich_help_panel="Learning")

GoalArg = Annotated[
    str,
    typer.Argument(
        metavar="GOAL", help="The goal's id or a unique part of its title.", autocompletion=complete.goal_titles
    ),
]


@goal_app.command("add")
def goal_add(
    title: Annotated[str, typer.Argument(help="What you want to learn or achieve.")],
    by: Annotated[str | None, typer.Option("--by", metavar="WHEN", help="Target date.")] = None,
    topic: Annotated[list[str] | None, typer.Option("--topic", help="A topic it involves (repeatable).")] = None,
    why: Annotated[str | None, typer.Option("--why", help="Why it matters to you.")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="WHEN", help="When you set it (default today).")] = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Set a learning goal.

    Examples:
      netcli goal add "Give a talk on embedded Rust" --by 2027-05-01 --topic rust --topic embedded
      netcli goal add "Learn MLOps basics" --topic mlops --why "to ship my models"
    """
    from netcli import render
    from netcli.db import session_scope
    from netcli.documents import set_goal

    today = resolve_today(None)
    target = parse_when(by, today=today, option="--by") if by else None
    started = parse_past(on, today=today, option="--on") if on else today
    if target is not None and target < today:  # a deadline already gone may still be worth keeping
        render.message(f"warning: --by {target.isoformat()} is in the past; the goal is set with it anyway")
    with session_scope(state().engine(), write=True) as session:
        row = set_goal(
            session, title=title, target_on=target, topics=topic or [], why=why, started=started, today=today
        )
    render.emit(
        row,
        json_out=json_out,
        view=f"Goal #{row['id']} set: {row['title']}. Link people who can help: netcli goal link {row['id']} NAME",
    )


@goal_app.command("list")
def goal_list(
    show_all: Annotated[bool, typer.Option("--all", help="Include done and dropped goals.")] = False,
    as_of: opt.AsOf = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Your learning goals (active ones unless --all).

    Examples:
      netcli goal list
      netcli goal list --all --json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.documents import goal_document
    from netcli.render.learning import goal_table

    today = resolve_today(as_of)
    with session_scope(state().engine()) as session:
        rows = store.goal_dicts(session, as_of=today, include_closed=show_all)
        closed = 0 if rows or show_all else len(store.goal_dicts(session, as_of=today, include_closed=True))
    empty = "No goals yet: netcli goal add TITLE"
    if closed:
        empty = f"No active goals; {closed} done or dropped: netcli goal list --all"
    render.emit(
        [goal_document(r) for r in rows],
        json_out=json_out,
        view=lambda rows: goal_table(rows, today=today),
        empty=empty,
    )


@goal_app.command("show")
def goal_show(goal: GoalArg, json_out: opt.JsonOut = False) -> None:
    """The story of a goal: progress over time, who is linked, who helped.

    Examples:
      netcli goal show rust
      netcli goal show 2 --json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.documents import goal_detail
    from netcli.render.learning import goal_story

    today = resolve_today(None)
    with session_scope(state().engine()) as session:
        detail = goal_detail(session, goal=store.find_goal(session, text=goal), today=today)
    render.emit(detail, json_out=json_out, view=lambda detail: goal_story(detail, today=today))


@goal_app.command("link")
def goal_link(
    goal: GoalArg,
    who: Annotated[
        list[str],
        typer.Argument(help="People who can help (names, prefixes or #IDs).", autocompletion=complete.contact_names),
    ],
) -> None:
    """Link people who can help with a goal.

    Examples:
      netcli goal link rust ana "Dana Novak"
      netcli goal link 3 "#12"
    """
    from netcli import render, store
    from netcli.db import session_scope

    with session_scope(state().engine(), write=True) as session:
        found = store.find_goal(session, text=goal)
        contacts = [store.find_contact(session, who=name) for name in who]
        added = store.link_goal(session, goal=found, contacts=contacts)
    render.message(f"Linked {', '.join(added)} to '{found.title}'." if added else "Already linked.")


@goal_app.command("progress")
def goal_progress(
    goal: GoalArg,
    note: Annotated[str, typer.Option("--note", help="What moved.")],
    percent: Annotated[int | None, typer.Option("--percent", help="How far along, 0-100.")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="WHEN", help="When (default today).")] = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Log progress on a goal.

    Examples:
      netcli goal progress rust --note "Outline accepted by the meetup" --percent 40
      netcli goal progress 2 --note "Read chapter 3" --on yesterday
    """
    from netcli import render, store
    from netcli.db import session_scope

    today = resolve_today(None)
    when = parse_past(on, today=today, option="--on") if on else today
    with session_scope(state().engine(), write=True) as session:
        found = store.find_goal(session, text=goal)
        entry = store.add_progress(session, goal=found, note=note, percent=percent, on=when)
        result = {"goal": found.title, "date": entry.date, "note": entry.note, "percent": entry.percent}
    pct = f" ({result['percent']}%)" if result["percent"] is not None else ""
    render.emit(result, json_out=json_out, view=f"Progress on '{result['goal']}'{pct} logged.")


def _close(goal: str, status: str) -> None:
    from netcli import render, store
    from netcli.db import session_scope

    today = resolve_today(None)
    with session_scope(state().engine(), write=True) as session:
        found = store.find_goal(session, text=goal)
        store.set_goal_status(session, goal=found, status=status, today=today)
    render.message(f"Goal '{found.title}' marked {status}.")


@goal_app.command("done")
def goal_done(goal: GoalArg) -> None:
    """Mark a goal achieved.

    Examples:
      netcli goal done rust
      netcli goal done 2
    """
    _close(goal, "done")


@goal_app.command("drop")
def goal_drop(goal: GoalArg) -> None:
    """Drop a goal you no longer pursue.

    Examples:
      netcli goal drop "MLOps"
      netcli goal drop 4
    """
    _close(goal, "dropped")


@app.command(rich_help_panel="People")
def who(
    topic: Annotated[str, typer.Argument(help="A topic, or part of one.")],
    json_out: opt.JsonOut = False,
) -> None:
    """Who in your network knows about a topic, closest relationships first.

    Examples:
      netcli who rust
      netcli who "machine learning" --json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.render.contacts import expert_table

    today = resolve_today(None)
    with session_scope(state().engine()) as session:
        rows = store.topic_experts(session, topics=[topic], as_of=today)
    render.emit(
        rows,
        json_out=json_out,
        view=lambda rows: expert_table(rows, today=today),
        empty=f"Nobody in your network is tagged with the topic '{topic}' yet.",
    )
