"""`netcli report`: the monthly reflection."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from netcli.cli import options as opt
from netcli.cli.app import app
from netcli.cli.state import state
from netcli.cli.values import resolve_today


class ReportFormat(str, Enum):
    text = "text"
    md = "md"
    html = "html"
    json = "json"


@app.command(rich_help_panel="Reflection")
def report(
    month: Annotated[
        str | None,
        typer.Option(
            "--month", metavar="YYYY-MM|this|last", help="Which month (default this; in its first 3 days, last)."
        ),
    ] = None,
    as_of: opt.AsOf = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", help="Text on the terminal, Markdown, one HTML file, or JSON.", case_sensitive=False),
    ] = ReportFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of the terminal.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """Look back on a month: activity, new people, gratitude, give and take, goals.

    Examples:
      netcli report
      netcli report --month last --format html --output november.html
      netcli report --month 2026-10 --format md
    """
    from netcli import reflection, render, rules, store
    from netcli.cli.common import pipeline
    from netcli.dates import month_end
    from netcli.db import session_scope
    from netcli.errors import NetcliError, UsageError
    from netcli.pipeline import thanks_owed
    from netcli.privatefile import write_private
    from netcli.render import report as views

    today = resolve_today(as_of)
    try:
        first, just_ended = reflection.choose_month(month, today=today)
    except ValueError as exc:
        raise UsageError(f"--month: {exc}") from None
    if first > today:
        raise NetcliError(f"{first:%Y-%m} has not started yet (as of {today}); pick this month or an earlier one")
    end = min(month_end(first), today)
    config = state().config()
    with session_scope(state().engine()) as session:
        nudges = pipeline(session, today=end)
        facts = nudges.gather(topics=False)
        fired = nudges.fire(facts)
        shown = nudges.open(fired)
        previous = reflection.previous_window(first, end)
        month_facts = reflection.MonthFacts(
            first=first,
            end=end,
            counts=store.month_facts(session, start=first, end=end),
            interactions_prev_month=store.interaction_count(session, start=previous[0], end=previous[1]),
            thanks_owed=thanks_owed(fired),
            went_quiet=rules.went_quiet(facts.people, start=first, end=end, config=config, mentors=facts.mentors),
            goals=store.goal_progress_between(session, start=first, end=end),
            trend=[
                (m.strftime("%Y-%m"), store.interaction_count(session, start=m, end=min(month_end(m), end)))
                for m in reflection.previous_months(first, 6)
            ],
            focus=[n.action for n in nudges.word(rules.order(shown, limit=3))],
            just_ended=just_ended,
        )
    built = reflection.build(month_facts)
    chosen = ReportFormat.json if json_out else fmt
    if built.just_ended and (chosen is ReportFormat.json or output is not None):
        render.message(views.just_ended_note(built))  # the terminal's text says it itself
    if chosen is ReportFormat.json:
        text = render.to_json(built.as_dict()) + "\n"
    elif chosen is ReportFormat.md:
        text = views.markdown(built)
    elif chosen is ReportFormat.html:
        text = views.html(built)
    elif output is None:
        views.terminal(built)
        return
    else:
        text = views.plain(built)
    if output is None:
        render.line(text.removesuffix("\n"))
    else:
        write_private(output, text)
        render.message(f"Wrote the {built.month} report to {output}")
