"""Words and layout a person reads (issue 29, items 11, 20, 21): dues in
English, messages that read as sentences, notes that wrap under themselves
at 80 columns, COLUMNS honoured when piped, and a report that says what
moved a goal and where new people came from."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from netcli.cli import app
from netcli.render.nudges import when_due

# words and flows that no engine changes: run on SQLite (the store's SQL is tried on
# PostgreSQL by the modules that exercise it: io, report, nudge, db, search, reliability...)
pytestmark = pytest.mark.one_engine

FIXTURES = Path(__file__).parent / "fixtures"
TERMINAL = {"FORCE_COLOR": "1", "NETCLI_NO_PAGER": "1"}  # as a terminal of COLUMNS draws it
NOTE = (
    "She gave a great talk at RustConf about embedded Rust on microcontrollers, and we agreed to "
    "co-write a blog post next spring about the tooling story and the probe-rs debugger."
)


def _plain(text: str) -> list[str]:
    import re

    return [re.sub("\x1b\\[[0-9;]*m", "", line) for line in text.splitlines()]


def test_a_due_is_said_in_english():
    today = date(2026, 12, 6)
    assert when_due(today - timedelta(days=6), today) == "6 days overdue"
    assert when_due(today - timedelta(days=1), today) == "1 day overdue"
    assert when_due(today - timedelta(days=40), today) == "5 weeks overdue"
    assert when_due(today, today) == "today"
    assert when_due(today + timedelta(days=1), today) == "tomorrow"
    assert when_due(today + timedelta(days=3), today) == "in 3 days"


@pytest.mark.one_engine
def test_every_view_of_a_late_nudge_says_how_late(cli):
    cli("add", "Ana Lima", "--on", "10 days ago")  # follow-up due 2 days after: 8 days late
    piped = cli("nudge").stdout
    assert "8 days overdue" in piped and "since" not in piped.split("Due")[1].split("\n")[1][-20:]
    grid = CliRunner().invoke(app, ["nudge"], env=TERMINAL | {"COLUMNS": "100"}).stdout
    assert "· 8 days overdue" in _plain(grid)[0] and "due since" not in grid
    assert "since 8 days" not in cli("nudge", "--all").stdout + grid


@pytest.mark.one_engine
def test_messages_read_as_sentences(cli):
    said = cli("community", "add", "MLOps Community Discord", "--kind", "social").stderr
    assert "Added community #1 'MLOps Community Discord' (social)." in said.splitlines()
    said = cli("community", "add", "Lisbon Rust Meetup", "--kind", "community").stderr
    assert said.strip() == "Added community #2 'Lisbon Rust Meetup'."
    said = cli("community", "edit", "#1", "--kind", "forum").stderr
    assert said.strip() == "Updated community #1 'MLOps Community Discord' (forum)."
    runner = CliRunner()
    community = " ".join(runner.invoke(app, ["community", "add", "--help"], env={"COLUMNS": "200"}).stdout.split())
    event = " ".join(runner.invoke(app, ["event", "add", "--help"], env={"COLUMNS": "200"}).stdout.split())
    assert "a community of that name exists" in community and "day" not in community.split("--force")[1][:80]
    assert "an event of that name on that day exists" in event
    log = " ".join(runner.invoke(app, ["log", "--help"], env={"COLUMNS": "200"}).stdout.split())
    assert "(default message)" in log


@pytest.mark.one_engine
def test_event_show_lines_up_who_was_followed_up(cli):
    cli("event", "add", "PyData London", "--on", "20 days ago")
    cli("add", "Bo", "--met-at", "PyData", "--on", "20 days ago")
    cli("add", "Maximiliana Oyelaran-Smith", "--met-at", "PyData", "--on", "20 days ago")
    cli("log", "bo", "--on", "10 days ago")
    for shown in (
        cli("event", "show", "pydata").stdout,
        CliRunner().invoke(app, ["event", "show", "pydata"], env=TERMINAL).stdout,
    ):
        lines = [line for line in _plain(shown) if "followed up" in line]
        assert len(lines) == 2 and len({line.index("followed up") - ("not " in line) * 4 for line in lines}) == 1, lines
        assert (
            len({line.index("not followed up yet") if "not" in line else line.index("followed up") for line in lines})
            == 1
        )


@pytest.mark.one_engine
def test_show_wraps_notes_and_reasons_under_themselves_at_80_columns(cli):
    cli("add", "Ana Lima", "--note", NOTE, "--on", "3 days ago")
    cli("log", "ana", "--note", NOTE, "--on", "3 days ago")
    for env in ({"COLUMNS": "80"}, TERMINAL | {"COLUMNS": "80"}):  # piped with COLUMNS, and on a terminal
        lines = _plain(CliRunner().invoke(app, ["show", "ana"], env=env).stdout)
        at = next(i for i, line in enumerate(lines) if line.startswith("  note "))
        following = lines[at + 1 : at + 3]
        assert all(cell_len(line) <= 80 for line in lines[: at + 3]), lines
        assert all(line.startswith(" " * 20) and line[20] != " " for line in following), lines
        assert " ".join([lines[at][20:], *(line.strip() for line in following)]) == NOTE
    # on the terminal, the timeline's note whole too, each further line under the Note column
    assert all(cell_len(line) <= 80 for line in lines), lines
    note_at = next(line for line in lines if line.startswith("ID")).index("Note")
    row = next(i for i, line in enumerate(lines) if "She gave" in line and not line.startswith("  note"))
    assert lines[row].index("She gave") == note_at and lines[row + 1].startswith(" " * note_at)
    assert " ".join(line.strip() for line in lines[row : row + 6]).count("probe-rs debugger.") == 1
    assert "…" not in " ".join(lines[row : row + 6])


@pytest.mark.one_engine
def test_history_shows_whole_notes_with_full(cli):
    cli("add", "Ana Lima", "--on", "3 days ago")
    cli("log", "ana", "--note", NOTE)
    cut = cli("history").stdout
    assert "…" in cut and "probe-rs debugger." not in cut
    assert NOTE in cli("history", "--full").stdout  # piped: one whole line
    lines = _plain(CliRunner().invoke(app, ["history", "--full"], env=TERMINAL | {"COLUMNS": "80"}).stdout)
    assert all(cell_len(line) <= 80 for line in lines) and "…" not in "".join(lines)
    note_at = lines[0].index("Note")
    body = [line for line in lines[2:] if line.startswith(" " * note_at) or "She gave" in line]
    assert " ".join(line[note_at:].strip() for line in body) == NOTE


@pytest.mark.one_engine
def test_an_explicit_columns_is_honoured_when_piped(cli):
    cli("add", "Ana Lima", "--note", NOTE)
    narrow = cli.runner.invoke(app, ["show", "ana"], env={"COLUMNS": "60"}).stdout
    assert max(map(cell_len, narrow.splitlines())) <= 60
    wide = cli("show", "ana").stdout  # no COLUMNS: piped output is read by programs, lines kept whole
    assert any(NOTE in line for line in wide.splitlines())


# ----------------------------------------------------------------- the report


def test_a_goal_says_what_moved_it_in_the_month(cli):  # the month's counts are SQL: both engines
    cli("add", "Ana Lima", "--on", "2026-09-01")
    cli("goal", "add", "Learn MLOps", "--on", "2026-09-02")
    cli("log", "ana", "--on", "2026-10-05", "--goal", "mlops", "--kind", "call")
    cli("log", "ana", "--on", "2026-10-20", "--goal", "mlops")
    cli("goal", "progress", "mlops", "--note", "read the book", "--on", "2026-10-21")
    goal = json.loads(cli("report", "--month", "2026-10", "--as-of", "2026-11-28", "--json").stdout)["goals"][0]
    assert (goal["progress_start"], goal["progress_end"], goal["interactions"], goal["updates"]) == (None, None, 2, 1)
    text = cli("report", "--month", "2026-10", "--as-of", "2026-11-28").stdout
    assert "Learn MLOps (active): – → –; 2 exchanges, 1 note" in text
    md = cli("report", "--month", "2026-10", "--as-of", "2026-11-28", "--format", "md").stdout
    assert "| Learn MLOps | active | – | – | 2 exchanges, 1 note |" in md
    html = cli("report", "--month", "2026-10", "--as-of", "2026-11-28", "--format", "html").stdout
    assert "<td>2 exchanges, 1 note</td>" in html
    quiet = json.loads(cli("report", "--month", "2026-11", "--as-of", "2026-11-28", "--json").stdout)["goals"][0]
    assert (quiet["interactions"], quiet["updates"]) == (0, 0)


@pytest.mark.one_engine
def test_the_focus_is_the_months_end(cli):
    """The October report, read on 28 November: what was due on 31 October,
    not what is due today."""
    cli("add", "Ana Lima", "--tier", "A", "--on", "2026-09-01")
    cli("log", "ana", "--on", "2026-10-01")
    cli("log", "ana", "--on", "2026-11-20")  # in touch again since: no reconnect today
    cli("add", "Bo Chen", "--on", "2026-09-01", "--tier", "D")
    cli("log", "bo", "--kind", "help-received", "--on", "2026-11-25")  # a thank-you owed today, not in October
    focus = json.loads(cli("report", "--month", "2026-10", "--as-of", "2026-11-28", "--json").stdout)["focus"]
    assert any("Reconnect with Ana Lima" in f for f in focus) and not any("Bo Chen" in f for f in focus)
    now = [n["action"] for n in cli.json("nudge", "--as-of", "2026-11-28")]
    assert any("Thank Bo Chen" in a for a in now) and not any("Ana Lima" in a for a in now)


def test_people_an_address_book_brought_are_counted_as_such(cli, tmp_path: Path, today: date, database):
    """A card does not say when you met: no meeting day is made up (an old
    address book is not this month's new people), and its contact's channel
    is `address-book`. One an older netcli synced, with a day made up and no
    channel, counts under `address-book` too: the card tells."""
    book = tmp_path / "book"
    shutil.copytree(FIXTURES / "vdir", book)
    cli("add", "Zed Typed", "--via", "event")
    cli("add", "Yan Untold")  # no channel given, and no card: unknown
    cli("sync", "vdir", str(book))
    synced = [c for c in cli.json("list") if c["name"] not in ("Zed Typed", "Yan Untold")]
    assert len(synced) >= 3 and {(c["met_on"], c["via"]) for c in synced} == {(None, "address-book")}
    assert json.loads(cli("report", "--json").stdout)["new_by_channel"] == {"event": 1, "unknown": 1}
    from sqlalchemy import create_engine, text

    engine = create_engine(database if "://" in database else f"sqlite:///{database}")
    with engine.begin() as conn:  # as an older netcli left them
        conn.execute(text("UPDATE contact SET met_on = :day, via = NULL WHERE via = 'address-book'"), {"day": today})
    engine.dispose()
    channels = json.loads(cli("report", "--json").stdout)["new_by_channel"]
    assert channels == {"address-book": len(synced), "event": 1, "unknown": 1}
    assert f"address-book {len(synced)}" in cli("report").stdout
