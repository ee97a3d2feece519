"""Capturing again: nothing logged twice, a moved occurrence updated, a
cancelled one removed, an unlogged one left gone, a vdir's unchanged files
not read again, a deleted file's meetings removed; and the property that
capturing any calendar twice logs what capturing it once does."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capture_help import AS_OF, CALENDARS, capture, copy, meetings, network, zone
from conftest import Cli


def test_capturing_again_logs_nothing_and_keeps_history_as_it_was(cli: Cli):
    network(cli)
    with zone("America/New_York"):
        first = capture(cli, CALENDARS / "google.ics", CALENDARS / "apple.ics")
        before = cli.json("history")
        again = capture(cli, CALENDARS / "google.ics", CALENDARS / "apple.ics")
    assert first["logged"] == 9 and again["logged"] == 0 and again["updated"] == again["removed"] == 0
    assert cli.json("history") == before


@pytest.mark.sqlite_only
def test_a_moved_occurrence_updates_a_cancelled_one_is_removed_an_unlogged_one_stays_gone(cli: Cli, tmp_path: Path):
    network(cli)
    path = copy("google.ics", tmp_path)
    with zone("America/New_York"):
        capture(cli, path)
        rows = {r["date"]: r["id"] for r in cli.json("history") if r["source"] == "calendar"}
        cli("unlog", str(rows["2026-10-13"]))
        text = path.read_bytes().decode()
        moved = "DTSTART:20261029T230000Z\r\nDTEND:20261030T000000Z"
        text = text.replace(moved, "DTSTART:20261030T230000Z\r\nDTEND:20261031T000000Z")  # moved again, to Friday
        text = text.replace("EXDATE:20261020T230000Z", "EXDATE:20261020T230000Z,20261118T000000Z")  # one more off
        path.write_bytes(text.encode())
        os.utime(path, ns=(1, 1))  # another mtime, as any edit gives
        summary = capture(cli, path)
    assert (summary["logged"], summary["updated"], summary["removed"]) == (0, 1, 1)
    days = [day for day, _, _ in meetings(cli)]
    assert days == ["2026-10-06", "2026-10-30", "2026-11-10", "2026-11-24"]  # 10-13 unlogged: still gone
    moved = next(r for r in cli.json("history") if r["date"] == "2026-10-30")
    assert moved["id"] == rows["2026-10-29"] and moved["source"] == "calendar"


@pytest.mark.sqlite_only
def test_a_vdir_reads_only_what_changed_and_a_deleted_file_removes_its_meetings(cli: Cli, tmp_path: Path):
    network(cli)
    vdir = tmp_path / "calendars" / "work"
    for name in ("google.ics", "outlook.ics", "apple.ics"):
        copy(name, vdir)
    with zone("America/New_York"):
        first = capture(cli, vdir)
        assert (first["files"], first["unchanged"], first["logged"]) == (3, 0, 10)
        again = capture(cli, vdir)
        assert (again["unchanged"], again["read"], again["logged"]) == (3, 0, 0)
        (vdir / "outlook.ics").unlink()
        after = capture(cli, vdir)
    assert (after["files"], after["unchanged"], after["removed"]) == (2, 2, 1)
    assert "Chidi Okafor" not in {who for _, who, _ in meetings(cli)}


@pytest.mark.sqlite_only
def test_a_new_contact_makes_unchanged_files_count_for_them(cli: Cli):
    network(cli)
    with zone("America/New_York"):
        assert capture(cli, CALENDARS / "google.ics")["skipped"]["no_contact"] == 1
        cli("add", "Sam Stranger", "--email", "SAM@stranger.example", "--on", "2026-01-10")
        summary = capture(cli, CALENDARS / "google.ics")
    assert (summary["unchanged"], summary["logged"]) == (0, 1)
    assert ("2026-11-12", "Sam Stranger", "Coffee with Sam") in meetings(cli)


@pytest.mark.sqlite_only
def test_an_occurrence_that_comes_to_pass_is_logged_by_the_next_capture(cli: Cli, tmp_path: Path):
    network(cli)
    path = tmp_path / "soon.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\nBEGIN:VEVENT\nUID:soon\nDTSTART;VALUE=DATE:20261203\n"
        "SUMMARY:Coffee\nORGANIZER:mailto:ann@example.org\nATTENDEE:mailto:dana.wu@example.org\nEND:VEVENT\n"
        "END:VCALENDAR\n"
    )
    assert capture(cli, path)["logged"] == 0  # on the 30th it is still to come
    later = cli.json("capture", "calendar", str(path), "--as-of", "2026-12-04")
    assert (later["unchanged"], later["logged"]) == (0, 1)


def test_captured_meetings_count_for_the_rules(cli: Cli):
    network(cli)
    cli("edit", "Dana Wu", "--tier", "A")
    assert "Dana Wu" in {n["contact"] for n in cli.json("nudge", "--as-of", AS_OF)}
    with zone("America/New_York"):
        capture(cli, CALENDARS / "google.ics")
    assert "Dana Wu" not in {n["contact"] for n in cli.json("nudge", "--as-of", AS_OF)}


@pytest.mark.sqlite_only
def test_capture_survives_a_json_backup_and_restore(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    network(cli)
    with zone("America/New_York"):
        capture(cli, CALENDARS / "google.ics")
    backup = tmp_path / "backup.json"
    cli("export", "json", "--output", str(backup))
    monkeypatch.setenv("NETCLI_DB", str(tmp_path / "restored.db"))
    cli("import", "json", str(backup))
    with zone("America/New_York"):
        again = capture(cli, CALENDARS / "google.ics")
    assert (again["unchanged"], again["logged"]) == (1, 0)


# -- the property: capturing twice is capturing once -------------------------------------------

PEOPLE = ["ann@example.org", "dana.wu@example.org", "Chidi.Okafor@Example.org", "maya+x@example.org", "x@y.example"]


@st.composite
def calendars(draw: st.DrawFn) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//hypothesis//EN"]
    for n in range(draw(st.integers(0, 6))):
        day = dt.date(2026, 9, 1) + dt.timedelta(days=draw(st.integers(0, 100)))
        lines += ["BEGIN:VEVENT", f"UID:event-{n}", f"DTSTART:{day:%Y%m%d}T{draw(st.integers(0, 23)):02d}0000Z"]
        lines.append(f"SUMMARY:Event {n}")
        if draw(st.booleans()):
            lines.append(f"RRULE:FREQ={draw(st.sampled_from(['DAILY', 'WEEKLY']))};COUNT={draw(st.integers(1, 5))}")
        if draw(st.booleans()):
            lines.append(f"ORGANIZER:mailto:{draw(st.sampled_from(PEOPLE))}")
        for person in draw(st.lists(st.sampled_from(PEOPLE), max_size=4, unique=True)):
            state = draw(st.sampled_from(["ACCEPTED", "DECLINED", "NEEDS-ACTION"]))
            lines.append(f"ATTENDEE;PARTSTAT={state}:MAILTO:{person}")
        if draw(st.integers(0, 5)) == 0:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    return "\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n"


@pytest.mark.sqlite_only
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=calendars())
def test_capturing_any_calendar_twice_logs_what_capturing_it_once_does(cli: Cli, tmp_path: Path, text: str):
    from netcli import store
    from netcli.capture.run import capture_calendar
    from netcli.config import load
    from netcli.db import open_database, resolve, session_scope

    path = tmp_path / "any.ics"
    path.write_text(text)
    if not store_has_people():
        network(cli)
    config = load(Path(os.environ["NETCLI_CONFIG"]))
    today = dt.date(2026, 11, 30)
    engine = open_database(resolve(None))
    try:
        with session_scope(engine, write=True) as session:  # every run inside one transaction, rolled back
            once = capture_calendar(session, [path], config=config, today=today, since=None, warn=lambda _: None)
            history = store.interaction_dicts(session)
            again = capture_calendar(session, [path], config=config, today=today, since=None, warn=lambda _: None)
            assert (again.unchanged, again.logged) == (1, 0)
            os.utime(path, ns=(7, 7))  # read again, every occurrence: still nothing new
            third = capture_calendar(session, [path], config=config, today=today, since=None, warn=lambda _: None)
            assert third.read == once.read and third.skipped == once.skipped
            assert third.logged == third.updated == third.removed == 0
            assert third.already == once.logged + once.already
            assert store.interaction_dicts(session) == history
            session.rollback()
    finally:
        engine.dispose()


def store_has_people() -> bool:
    from netcli.config import load

    return bool(load(Path(os.environ["NETCLI_CONFIG"])).me["emails"])
