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
    from netcli import render
    from netcli.db import session_scope
    from netcli.documents import month_report, report_month
    from netcli.privatefile import write_private
    from netcli.render import report as views

    today = resolve_today(as_of)
    first, end, just_ended = report_month(month, today=today, option="--month")
    config = state().config()
    with session_scope(state().engine()) as session:
        built = month_report(session, first=first, end=end, just_ended=just_ended, config=config)
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
        typer.echo(text, nl=False)
    else:
        write_private(output, text)
        render.message(f"Wrote the {built.month} report to {output}")
