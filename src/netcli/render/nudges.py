"""How nudges look: a ranked table, plain lines for cron, or with --explain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from rich.table import Table
from rich.text import Text

from netcli.dates import humanize
from netcli.render import line, out
from netcli.render.tables import hanging, listing
from netcli.rules import RULES, Nudge

GRID_MOST = 50  # on a terminal, up to this many nudges are laid out with their reasons below
RULE_STYLE = {name: declared.style for name, declared in RULES.items()}


def when_due(due: date, today: date) -> str:
    """`1 day overdue`, `5 weeks overdue`; else `today`, `tomorrow`, `in 3 days`."""
    if due < today:
        late = "1 day" if due == today - timedelta(days=1) else humanize(due, today=today).removesuffix(" ago")
        return f"{late} overdue"
    return humanize(due, today=today)


def _due(nudge: Nudge, today: date) -> str:
    """A nudge's Due: `now`, `in 3 days`, `6 days overdue`."""
    return "now" if nudge.due == today else when_due(nudge.due, today)


def _due_phrase(nudge: Nudge, today: date) -> str:
    """`due now`, `due in 3 days`, `6 days overdue`."""
    said = _due(nudge, today)
    return said if said.endswith("overdue") else f"due {said}"


def nudge_table(nudges: Sequence[Nudge], *, today: date, explain: bool) -> None:
    console = out()
    if explain:
        for n in nudges:
            hanging(Text.assemble((f"[{n.id}] ", "dim"), (n.rule, RULE_STYLE.get(n.rule, "")), "  "), n.action)
            hanging(Text("    why: "), n.reason)
            console.print(Text(f"    due {n.due.isoformat()}, priority {n.priority}", style="dim"))
            inputs = ", ".join(
                f"{k}={v.isoformat() if isinstance(v, date) else 'none' if v is None else v}"
                for k, v in n.inputs.items()
            )
            hanging("    inputs: ", inputs, style="dim")
        return
    if console.is_terminal and len(nudges) <= GRID_MOST:  # what to do, then why: reads better than a cramped table
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column()
        for n in nudges:
            body = Text(n.action, style="bold")
            body.append(f"  {n.rule}", style=RULE_STYLE.get(n.rule, ""))
            body.append(f" · {_due_phrase(n, today)}\n", style="dim")
            body.append(n.reason, style="dim")
            grid.add_row(n.id, body)
        console.print(grid)
        return
    listing(
        ("ID", "Rule", "Do this", "Why", "Due"),
        [(n.id, n.rule, n.action, n.reason, _due(n, today)) for n in nudges],
        styles=("dim", RULE_STYLE, "bold", "", ""),
        cut=(3, 2),  # the reason, then the action
    )


def nudge_lines(nudges: Sequence[Nudge]) -> None:
    """One line per nudge, tab-free and colour-free, for mail and notifiers."""
    for n in nudges:
        line(f"{n.id} {n.rule}: {n.action} ({n.reason})", one_line=True)
