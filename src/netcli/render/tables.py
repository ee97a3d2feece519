"""Rich tables that degrade to plain aligned text when stdout is not a terminal."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from netcli.render import out

TIER_STYLE = {"A": "bold magenta", "B": "cyan", "C": "", "D": "dim"}
STATUS_STYLE = {"ok": "green", "due": "yellow", "overdue": "bold red", "never": "dim"}
KIND_STYLE = {
    "met": "bold cyan",
    "thanks": "green",
    "help-given": "blue",
    "help-received": "magenta",
    "mentor-session": "bold yellow",
    "intro": "cyan",
}


def make_table(*columns: str, title: str | None = None) -> Table:
    terminal = out().is_terminal
    table = Table(
        title=title if terminal else None,
        box=box.SIMPLE_HEAD if terminal else None,
        show_header=True,
        header_style="bold" if terminal else "",
        pad_edge=False,
        show_edge=False,
        expand=False,
    )
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def cell(value: Any, style: str = "") -> Text:
    text = "" if value is None else str(value)
    return Text(text, style=style if out().is_terminal else "")