"""A session with a mentor logged by hand and the meeting captured from the
calendar that day are one meeting: one interaction, a session, counted once
by the report and `mentor list`, whichever came first; and capture never
changes or removes the session the user made theirs."""

from __future__ import annotations

from pathlib import Path

from capture_help import network, zone
from conftest import Cli

AS_OF = "2026-11-30"


def calendar(path: Path, *days: str, cancelled: str = "") -> Path:
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:mentoring-{day}\r\nDTSTART:{day.replace('-', '')}T160000Z\r\nSUMMARY:Mentoring\r\n"
        f"{'STATUS:CANCELLED' + chr(13) + chr(10) if day == cancelled else ''}"
        "ORGANIZER:mailto:ann@example.org\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:maya@example.org\r\nEND:VEVENT\r\n"
        for day in days
    )
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n")
    return path


def capture(cli: Cli, path: Path) -> dict:
    with zone("UTC"):
        return cli.json("capture", "calendar", str(path), "--as-of", AS_OF)


def with_maya(cli: Cli) -> list[tuple[str, str, str | None, str]]:
    rows = cli.json("history", "maya")
    return sorted((r["date"], r["kind"], r["note"], r["source"]) for r in rows if r["kind"] != "met")


def test_a_session_and_the_meeting_captured_that_day_are_one_in_either_order(cli: Cli, tmp_path: Path):
    network(cli)
    cli("mentor", "add", "maya", "--since", "2026-10-01")
    # logged first, captured after: the captured meeting is the session
    cli("mentor", "meet", "maya", "--on", "2026-11-05", "--note", "Talk outline")
    summary = capture(cli, calendar(tmp_path / "cal.ics", "2026-11-05", "2026-11-19"))
    assert (summary["logged"], summary["already"]) == (1, 1)
    # captured first, logged after: the session is the captured meeting
    cli("mentor", "meet", "maya", "--on", "2026-11-19", "--note", "Reviewed slides")
    assert with_maya(cli) == [
        ("2026-11-05", "mentor-session", "Talk outline", "manual"),
        ("2026-11-19", "mentor-session", "Reviewed slides", "calendar"),
    ]
    again = capture(cli, tmp_path / "cal.ics")
    assert (again["logged"], again["updated"], again["removed"]) == (0, 0, 0)
    report = cli.json("report", "--month", "2026-11", "--as-of", AS_OF)
    assert (report["interactions"], report["mentor_sessions"]) == (2, 2)
    mentor = next(m for m in cli.json("mentor", "list", "--as-of", AS_OF) if m["name"] == "Maya Patel")
    assert mentor["last_session"] == "2026-11-19"
    # a session is the user's: the meeting moved or cancelled in the calendar leaves it as it was
    capture(cli, calendar(tmp_path / "cal.ics", "2026-11-05", "2026-11-19", cancelled="2026-11-19"))
    assert [day for day, *_ in with_maya(cli)] == ["2026-11-05", "2026-11-19"]


def test_a_captured_meeting_with_a_mentor_counts_as_a_session_in_the_report(cli: Cli, tmp_path: Path):
    network(cli)
    cli("mentor", "add", "maya", "--since", "2026-10-01")
    capture(cli, calendar(tmp_path / "cal.ics", "2026-11-12"))
    report = cli.json("report", "--month", "2026-11", "--as-of", AS_OF)
    assert (report["interactions"], report["mentor_sessions"]) == (1, 1)
