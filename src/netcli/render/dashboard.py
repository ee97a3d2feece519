"""The dashboard `netcli` shows with no command."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text

from netcli.render import out
from netcli.render.nudges import RULE_STYLE, when_due
from netcli.render.tables import hanging
from netcli.rules import Nudge
from netcli.wording import count

TOP = 5


def dashboard(
    *,
    today: date,
    people: int,
    overdue: int,
    thanks_owed: int,
    goals: int,
    next_mentor: tuple[date, str] | None,
    nudges: Sequence[Nudge],
    open_count: int,
) -> None:
    """`nudges`: the first few open nudges in order, of `open_count`."""
    console = out()
    if people == 0:
        console.print(Text("No one in your network yet.", style="bold"))
        console.print('Start with  netcli add "Ana Lima" --via event --met-at "PyCon"  or try  netcli demo')
        console.print(Text("netcli --help lists every command.", style="dim"))
        return
    line = Text("netcli  ", style="bold")
    line.append(f"{count(people, 'person')}, ")
    line.append(f"{overdue} overdue", style="yellow" if overdue else "")
    line.append(", ")
    line.append(f"{count(thanks_owed, 'thank-you')} owed", style="green" if thanks_owed else "")
    line.append(f", {count(goals, 'goal')} active")
    console.print(line)
    if next_mentor is not None:
        due, name = next_mentor
        console.print(Text(f"Next mentor session: {name}, due {due.isoformat()} ({when_due(due, today)})"))
    console.print(Text("\nToday", style="bold"))
    if not nudges:
        console.print("  Nothing to do: your network is in good shape.")
    for n in nudges[:TOP]:
        hanging(f"  {n.id}  ", n.action, style=RULE_STYLE.get(n.rule, ""))
    if open_count > TOP:
        console.print(Text(f"  ... and {open_count - TOP} more: netcli nudge", style="dim"))
    console.print(
        Text("\nnetcli log NAME after each exchange · netcli done ID · netcli --help for every command", style="dim")
    )
