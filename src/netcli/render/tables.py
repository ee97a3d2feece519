"""Rich tables that degrade to plain aligned text when stdout is not a
terminal, and `listing`: the same look for thousands of rows, drawn by hand."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Table
from rich.text import Text

from netcli.defuse import defuse, plain
from netcli.render import out, write_long

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
    """A table cell: one line, defused before the table measures it."""
    text = "" if value is None else defuse(str(value), one_line=True)
    return Text(text, style=style if out().is_terminal else "")


def hanging(lead: str | Text, body: str, *, style: str = "", console: Console | None = None) -> None:
    """`lead` (dim, unless a Text) then `body` on stdout (or `console`), the
    body's wrapped lines (and its own line breaks) starting under its first
    character: a hanging indent, so that a long note or reason never runs
    back to column 0."""
    console = console or out()
    lead = lead if isinstance(lead, Text) else Text(lead, style="dim")
    indent = lead.cell_len
    text = Text(defuse(body), style=style if console.is_terminal else "")
    for i, line in enumerate(text.wrap(console, max(console.width - indent, 20), overflow="fold")):
        line.rstrip()
        console.print(Text.assemble(lead if i == 0 else " " * indent, line), soft_wrap=True)


Style = str | dict[str, str]  # one style for a column, or a style for each text


def listing(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    styles: Sequence[Style],
    cut: Sequence[int] = (),
    drop: Sequence[int] = (),
    page: bool = True,
    wrap: bool = False,
) -> None:
    """One line per row in `make_table`'s look: a bold header and a rule on a
    terminal, plain columns two spaces apart when piped. Rich lays a table out
    cell by cell (seconds for 5,000 people, minutes for 100,000); this measures
    each column once. On a terminal the columns in `cut` give way, in that
    order, so that every row keeps to one line (…); before a column in `cut`
    that is not in `drop` (a name) is shortened, the `drop` columns are left
    out. With `wrap`, the last column is never cut: it keeps what room the
    others leave (at least `WRAP_LEAST` cells) and wraps there, its further
    lines under its first. Piped output is whole. With `page`, through a
    pager on a terminal it does not fit."""
    console = out()
    terminal = console.is_terminal
    rows = [_defused(row) for row in rows]
    widths = [cell_len(h) for h in headers]
    for row in rows:
        for i, text in enumerate(row):
            if len(text) > widths[i] or not text.isascii():
                widths[i] = max(widths[i], cell_len(text))
    gap = "   " if terminal else "  "
    if terminal:
        last, whole = len(widths) - 1, widths[-1]
        if wrap:  # the others fit beside the least of it, then it takes the room they leave
            widths[last] = min(whole, WRAP_LEAST)
            cut = [i for i in cut if i != last]
        shown = _fit(widths, cut, drop, console.width, len(gap))
        if wrap:
            others = sum(widths[i] + len(gap) for i in shown if i != last)
            widths[last] = max(min(whole, console.width - others), WRAP_LEAST)
        if len(shown) < len(widths):
            headers, styles, widths = (
                [headers[i] for i in shown],
                [styles[i] for i in shown],
                [widths[i] for i in shown],
            )
            rows = [[row[i] for i in shown] for row in rows]
    paint = _painter() if terminal else None
    head = [_line(headers, widths, gap, paint and (lambda text, _: paint(text, "bold")))]
    if terminal:
        head.append("─" * (sum(widths) + len(gap) * (len(widths) - 1)))
    stylers = [_styler(style) for style in styles]
    colour = (lambda text, i: paint(text, stylers[i](text.rstrip()))) if paint else None
    if terminal and wrap:
        lines = [line for row in rows for line in _wrapped(row, widths, gap, colour)]
        write_long(chain(head, lines), len(lines) + len(head) if page else 0)
        return
    write_long(chain(head, (_line(row, widths, gap, colour) for row in rows)), len(rows) + len(head) if page else 0)


WRAP_LEAST = 30  # a wrapped column keeps at least this many cells


def _wrapped(
    row: Sequence[str], widths: Sequence[int], gap: str, colour: Callable[[str, int], str] | None
) -> list[str]:
    """A row whose last cell wraps to its width, each further line under the cell's first."""
    last = len(row) - 1
    text = row[last]
    if cell_len(text) <= widths[last]:
        return [_line(row, widths, gap, colour)]
    pieces = [line.plain.rstrip() for line in Text(text).wrap(out(), widths[last], overflow="fold")]
    first = _line([*row[:last], pieces[0]], widths, gap, colour)
    indent = " " * (sum(widths[:last]) + len(gap) * last)
    return [first] + [indent + (colour(piece, last) if colour else piece) for piece in pieces[1:]]


def _defused(row: Sequence[str]) -> Sequence[str]:
    """A row's cells one line each, defused before they are measured (one
    test for the whole row: nearly every row is plain)."""
    if plain("".join(row)):
        return row
    return [defuse(text, one_line=True) for text in row]


def _styler(style: Style) -> Callable[[str], str]:
    if isinstance(style, str):
        return lambda _: style
    return lambda text: style.get(text, "")


def _fit(widths: list[int], cut: Sequence[int], drop: Sequence[int], room: int, gap: int) -> list[int]:
    """Shorten the `cut` columns, in that order, until the row fits `room`,
    none below 6 cells (narrower says nothing: the terminal wraps instead).
    Before shortening one that is not in `drop` (a name), leave the `drop`
    columns out, one by one, giving the others back their room. Returns the
    columns still shown."""
    full = list(widths)
    shown = list(range(len(widths)))

    def over() -> int:
        return sum(widths[i] for i in shown) + gap * (len(shown) - 1) - room

    def shorten(columns: Sequence[int]) -> None:
        for i in columns:
            if over() > 0 and i in shown:
                widths[i] = max(min(full[i], 6), widths[i] - over())

    for position, i in enumerate(cut):
        if i not in drop:
            for gone in drop:
                if over() <= 0:
                    break
                if gone in shown:
                    shown.remove(gone)
                    for j in cut[:position]:
                        widths[j] = full[j]
                    shorten(cut[:position])
        shorten([i])
    return shown


def _line(row: Sequence[str], widths: Sequence[int], gap: str, colour: Callable[[str, int], str] | None) -> str:
    parts = []
    last = len(row) - 1
    for i, text in enumerate(row):
        width = widths[i]
        size = len(text) if text.isascii() else cell_len(text)
        if size > width:
            text, size = set_cell_size(text, width - 1) + "…", width
        if i < last:
            text += " " * (width - size)
        parts.append(colour(text, i) if colour and text.strip() else text)
    return gap.join(parts).rstrip()


_MARK = "\ue000"  # a private-use character: nothing but this code writes it, defusing keeps it


def _painter() -> Callable[[str, str], str]:
    """text, style -> text in the terminal's escape codes for that style, as
    the console would print it (colour system, NO_COLOR)."""
    console = out()
    codes: dict[str, tuple[str, str]] = {}

    def paint(text: str, style: str) -> str:
        if not style:
            return text
        if style not in codes:
            with console.capture() as captured:
                console.print(Text(_MARK, style=style), end="")
            before, _, after = captured.get().partition(_MARK)
            codes[style] = (before, after)
        before, after = codes[style]
        return before + text + after

    return paint
