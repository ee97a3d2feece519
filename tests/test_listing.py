"""Long listings (list, history, who, nudge --all): one line per row, fast,
aligned, shortened to the terminal only on a terminal."""

from __future__ import annotations

import io
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

from netcli import render
from netcli.render.tables import listing

# words and flows that no engine changes: run on SQLite (the store's SQL is tried on
# PostgreSQL by the modules that exercise it: io, report, nudge, db, search, reliability...)
pytestmark = pytest.mark.one_engine

HEADERS = ("ID", "Name", "Tags")
ROWS = [
    ("#1", "Ana Lima", "rust, python"),
    ("#22", "張偉 Zhang Wei", ""),
    ("#333", "Bartholomew Featherstonehaugh-Smythe", "a-very-long-tag, another-long-tag"),
]
STYLES = ("dim", "bold", {"rust, python": "green"})


def test_piped_rows_are_whole_and_aligned(monkeypatch):
    monkeypatch.setattr("sys.stdout", io.StringIO())
    listing(HEADERS, ROWS, styles=STYLES, cut=(2, 1))
    lines = __import__("sys").stdout.getvalue().splitlines()
    assert lines[0].split() == ["ID", "Name", "Tags"] and len(lines) == 4
    assert "\x1b[" not in "".join(lines) and all(line == line.rstrip() for line in lines)
    # every column starts at the same cell on every line, wide characters included
    starts = [lines[0].index(h) for h in HEADERS]
    assert starts == [0, 6, 6 + len("Bartholomew Featherstonehaugh-Smythe") + 2]
    assert "Bartholomew Featherstonehaugh-Smythe  a-very-long-tag, another-long-tag" in lines[3]
    wide = lines[2]
    assert wide.startswith("#22   張偉 Zhang Wei") and cell_len(wide) == len("#22   ") + cell_len("張偉 Zhang Wei")


@pytest.mark.parametrize("width", [40, 60, 100])
def test_on_a_terminal_each_row_keeps_to_its_width(monkeypatch, width):
    buffer = io.StringIO()
    monkeypatch.setattr("sys.stdout", buffer)
    monkeypatch.setenv("NETCLI_NO_PAGER", "1")
    monkeypatch.delenv("NO_COLOR")  # as at a colour terminal
    monkeypatch.setattr(render, "_out", Console(file=buffer, force_terminal=True, width=width, color_system="standard"))
    listing(HEADERS, ROWS, styles=STYLES, cut=(2, 1))
    text = buffer.getvalue()
    assert "\x1b[1mName" in text and "\x1b[2m#1" in text  # the header bold, ids dim
    assert width < 60 or "\x1b[32mrust, python" in text  # a style chosen by the text
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in text.splitlines()]
    assert set(plain[1]) == {"─"} and len(plain) == 5
    assert all(cell_len(line) <= width for line in plain), plain
    if width < 100:
        assert "…" in plain[4]  # the tags gave way first, then the name
    assert plain[2].startswith("#1     Ana Lima")


def test_thousands_of_rows_come_back_whole_and_in_order(monkeypatch):
    rows = [(f"#{i}", f"Person {i:05d}", f"t{i % 7}") for i in range(5_000)]
    monkeypatch.setattr("sys.stdout", io.StringIO())
    listing(HEADERS, rows, styles=STYLES)
    lines = __import__("sys").stdout.getvalue().splitlines()
    assert len(lines) == 5_001 and lines[-1].split() == ["#4999", "Person", "04999", "t1"]


def test_list_history_and_nudge_all_are_one_line_per_row(cli):
    cli("demo")
    people = cli.json("list")
    listed = cli("list").stdout.splitlines()
    assert len(listed) == len(people) + 1 and listed[0].split()[:2] == ["ID", "Name"]
    history = cli.json("history")
    assert len(cli("history").stdout.splitlines()) == len(history) + 1
    nudges = cli.json("nudge", "--all")
    assert len(cli("nudge", "--all").stdout.splitlines()) == len(nudges) + 1


def test_the_table_of_people_shows_what_their_json_says(cli):
    """`list` reads only the columns its table shows (`iter_contacts(whole=False)`);
    each line says what `list --json` says of that person."""
    cli("demo")
    people = {f"#{p['id']}": p for p in cli.json("list")}
    header, *lines = cli("list").stdout.splitlines()
    starts = [header.index(h) for h in ("ID", "Name", "Tier", "Via", "Last contact", "Next due", "State", "Tags")]
    assert len(lines) == len(people)
    for line in lines:
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        person = people[cells[0]]
        assert cells[1:4] == [person["name"], person["tier"], person["via"] or ""]
        assert cells[5] == (person["next_due"] or "") and cells[7] == ", ".join(person["tags"])


def _on_terminal(monkeypatch, width: int) -> io.StringIO:
    buffer = io.StringIO()
    monkeypatch.setattr("sys.stdout", buffer)
    monkeypatch.setenv("NETCLI_NO_PAGER", "1")
    monkeypatch.setattr(render, "_out", Console(file=buffer, force_terminal=True, width=width, color_system=None))
    return buffer


def test_names_keep_their_room_on_a_narrow_terminal(monkeypatch):
    """At 80 columns `list` leaves out tags, then via, before it cuts a name."""
    from netcli.render.contacts import contact_table

    rows = [
        (
            "#1",
            "Diego Álvarez Núñez",
            "C",
            "virtual-event",
            "4 weeks ago",
            "2026-12-20",
            "overdue",
            "speaker, rust, mentor",
        ),
        ("#2", "Ana Lima", "A", "event", "yesterday", "2026-12-15", "ok", ""),
    ]
    for width, columns in ((200, 8), (80, 7), (72, 6)):
        buffer = _on_terminal(monkeypatch, width)
        contact_table(rows)
        lines = buffer.getvalue().splitlines()
        assert all(cell_len(line) <= width for line in lines), lines
        assert "Diego Álvarez Núñez " in lines[2]  # whole, not "Diego Álva…"
        assert len(lines[0].split()) == columns + 2  # "Last contact", "Next due": two words
    assert "Tags" not in lines[0] and "Via" not in lines[0]
    buffer = _on_terminal(monkeypatch, 40)  # too narrow for the name too: it gives way last
    contact_table(rows)
    assert "Diego Álvarez Núñez" not in buffer.getvalue() and "Diego" in buffer.getvalue()
