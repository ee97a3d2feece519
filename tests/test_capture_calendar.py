"""`netcli capture calendar` on calendars as Google, Outlook, Apple and khal
write them, with known answers: which occurrences become meetings, on which
day in the user's zone, with whom, and why the others are skipped."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from capture_help import AS_OF, CALENDARS, SKIPPED_KEYS, SUMMARY_KEYS, capture, meetings, network, zone
from conftest import Cli

pytestmark = pytest.mark.sqlite_only

STUDY = [
    ("2026-10-06", "Study circle"),
    ("2026-10-13", "Study circle"),
    ("2026-10-29", "Study circle (moved to Thursday)"),
    ("2026-11-10", "Study circle"),
    ("2026-11-17", "Study circle"),
    ("2026-11-24", "Study circle"),
]


def test_google_export_weekly_with_exdate_moved_and_cancelled_occurrences(cli: Cli):
    network(cli)
    with zone("America/New_York"):  # the calendar's own zone: every Tuesday at 19:00, before and after DST ends
        summary = capture(cli, CALENDARS / "google.ics")
    assert set(summary) >= SUMMARY_KEYS and set(summary["skipped"]) == SKIPPED_KEYS
    assert (summary["files"], summary["logged"], summary["updated"], summary["removed"]) == (1, 6, 0, 0)
    # the cancelled occurrence and the sync Ann declined; the coffee with a stranger
    assert summary["skipped"]["declined_cancelled"] == 2 and summary["skipped"]["no_contact"] == 1
    assert summary["read"] == 9 and summary["suggestions"] == []
    assert meetings(cli) == [(day, "Dana Wu", note) for day, note in STUDY]


def test_x_wr_timezone_and_the_users_zone_decide_the_day(cli: Cli):
    network(cli)
    with zone("Europe/Berlin"):  # 19:00 in New York is 01:00 the next day in Berlin
        capture(cli, CALENDARS / "google.ics")
    days = [day for day, _, _ in meetings(cli)]
    assert days == ["2026-10-07", "2026-10-14", "2026-10-30", "2026-11-11", "2026-11-18", "2026-11-25"]


def test_me_timezone_config_applies_when_tz_is_not_set(cli: Cli, monkeypatch: pytest.MonkeyPatch):
    network(cli)
    cli("config", "set", "me.timezone", "Asia/Tokyo")
    monkeypatch.delenv("TZ", raising=False)
    capture(cli, CALENDARS / "outlook.ics")
    assert meetings(cli) == [("2026-11-06", "Chidi Okafor", "Late review")]  # 23:30 in Berlin is morning in Tokyo


def test_a_bad_timezone_in_config_is_refused_with_an_example(cli: Cli):
    result = cli("config", "set", "me.timezone", "Mars/Olympus", code=2)
    assert "Mars/Olympus" in result.stderr and "Europe/Berlin" in result.stderr


def test_outlook_windows_zone_uppercase_mailto_comma_names_broadcast_and_declined_attendee(cli: Cli):
    network(cli)
    with zone("UTC"):
        summary = capture(cli, CALENDARS / "outlook.ics")
    assert meetings(cli) == [("2026-11-05", "Chidi Okafor", "Late review")]
    assert summary["skipped"]["broadcast"] == 1  # 13 attendees, over the default 12
    assert summary["skipped"]["declined_cancelled"] == 1  # Chidi declined the planning meeting


def test_max_attendees_setting_lets_a_larger_meeting_count(cli: Cli):
    network(cli)
    cli("config", "set", "capture.max_attendees", "20")
    with zone("UTC"):
        summary = capture(cli, CALENDARS / "outlook.ics")
    assert summary["skipped"]["broadcast"] == 0
    assert ("2026-11-10", "Chidi Okafor", "All-hands") in meetings(cli)


def test_apple_all_day_floating_and_zoned_times_organizer_by_email_parameter(cli: Cli):
    network(cli)
    with zone("UTC"):
        capture(cli, CALENDARS / "apple.ics")
    assert meetings(cli) == [
        ("2026-11-12", "Maya Patel", "Workshop day"),  # all day, +tag address: the day as written
        ("2026-11-14", "Maya Patel", "Breakfast"),  # floating time: the day as written, second address any case
        ("2026-11-21", "Maya Patel", "Evening call"),  # 19:00 in Los Angeles is the next day in UTC
    ]
    with zone("America/Los_Angeles"):
        capture(cli, CALENDARS / "apple.ics")
    assert ("2026-11-20", "Maya Patel", "Evening call") in meetings(cli)


def test_every_program_in_one_run_and_show_and_nudge_see_the_meetings(cli: Cli):
    network(cli)
    with zone("America/New_York"):
        summary = capture(cli, *(CALENDARS / n for n in ("google.ics", "outlook.ics", "apple.ics")))
    assert (summary["files"], summary["logged"]) == (3, 10)
    shown = cli.json("show", "dana wu", "--as-of", AS_OF)
    assert shown["last_contact"] == "2026-11-24"
    captured = [row for row in shown["timeline"] if row["source"] == "calendar"]
    assert len(captured) == 6 and {row["kind"] for row in captured} == {"meeting"}
    history = cli("history", "dana wu").stdout
    assert "(calendar)" in history


def test_no_contact_and_not_yours_and_strangers_are_never_added(cli: Cli):
    network(cli)
    before = len(cli.json("list"))
    with zone("UTC"):
        capture(cli, CALENDARS / "google.ics")
    assert len(cli.json("list")) == before


def test_without_me_emails_names_the_likely_addresses_and_writes_nothing(cli: Cli):
    cli("add", "Dana Wu", "--email", "dana.wu@example.org", "--on", "2026-01-10")
    result = cli("capture", "calendar", str(CALENDARS / "google.ics"), code=1)
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "ann@example.org" in line and "dana.wu@example.org" not in line  # a contact is not you
    assert "netcli config set me.emails ann@example.org" in line
    assert meetings(cli) == []


def test_a_named_file_that_is_not_a_calendar_exits_1_naming_it(cli: Cli, tmp_path: Path):
    network(cli)
    vcard = Path(__file__).parent / "fixtures" / "apple.vcf"
    result = cli("capture", "calendar", str(CALENDARS / "google.ics"), str(vcard), code=1)
    assert "apple.vcf" in result.stderr and "BEGIN:VCALENDAR" in result.stderr
    assert meetings(cli) == []  # the good file named beside it is not half-captured
    missing = cli("capture", "calendar", str(tmp_path / "nowhere.ics"), code=1)
    assert "nowhere.ics does not exist" in missing.stderr


def test_a_damaged_event_is_named_counted_and_the_rest_kept(cli: Cli, tmp_path: Path):
    network(cli)
    text = (CALENDARS / "apple.ics").read_text()
    damaged = text.replace("DTSTART:20261114T090000", "DTSTART:2026-11-14 nine o'clock")
    path = tmp_path / "damaged.ics"
    path.write_text(damaged)
    with zone("UTC"):
        result = cli("capture", "calendar", str(path), "--as-of", AS_OF, "--json")
    summary = json.loads(result.stdout)
    assert summary["skipped"]["bad"] == 1 and summary["logged"] == 2
    assert "8D2F4E3B" in result.stderr and "DTSTART" in result.stderr


def test_a_damaged_file_inside_a_folder_is_skipped_and_counted(cli: Cli, tmp_path: Path):
    network(cli)
    vdir = tmp_path / "cal"
    vdir.mkdir()
    shutil.copyfile(CALENDARS / "apple.ics", vdir / "apple.ics")
    (vdir / "broken.ics").write_text("this is no calendar\n")
    (vdir / ".hidden.ics").write_text("BEGIN:VCALENDAR\nnot read at all")
    (vdir / "notes.txt").write_text("not an .ics, not read")
    with zone("UTC"):
        result = cli("capture", "calendar", str(vdir), "--as-of", AS_OF, "--json")
    summary = json.loads(result.stdout)
    assert (summary["files"], summary["logged"], summary["skipped"]["bad"]) == (2, 3, 1)
    assert "broken.ics" in result.stderr


def test_dry_run_lists_the_meetings_and_writes_nothing(cli: Cli):
    network(cli)
    with zone("UTC"):
        result = cli("capture", "calendar", str(CALENDARS / "apple.ics"), "--as-of", AS_OF, "--dry-run")
    assert "would log 2026-11-12 meeting with Maya Patel: Workshop day" in result.stdout
    assert "dry run, nothing written" in result.stderr
    assert meetings(cli) == []
    with zone("UTC"):
        assert capture(cli, CALENDARS / "apple.ics")["logged"] == 3  # nor was the file remembered


def test_since_reads_only_what_happened_from_then(cli: Cli):
    network(cli)
    with zone("America/New_York"):
        summary = capture(cli, CALENDARS / "google.ics", extra=("--since", "2026-11-01"))
    assert summary["logged"] == 3
    assert [day for day, _, _ in meetings(cli)] == ["2026-11-10", "2026-11-17", "2026-11-24"]
    with zone("America/New_York"):  # an earlier --since reads the file again though it did not change
        assert capture(cli, CALENDARS / "google.ics")["logged"] == 3


def test_a_future_session_with_an_active_mentor_is_their_next_session(cli: Cli, tmp_path: Path):
    network(cli)
    cli("mentor", "add", "Maya Patel", "--since", "2026-10-01")
    text = (
        (CALENDARS / "apple.ics")
        .read_text()
        .replace("20261120T19", "20261203T09")
        .replace("20261120T20", "20261203T10")
    )
    path = tmp_path / "next.ics"
    path.write_text(text)
    with zone("UTC"):
        capture(cli, path)
    mentor = cli.json("mentor", "list", "--as-of", AS_OF)[0]
    assert (mentor["scheduled"], mentor["next_due"], mentor["last_session"]) == (
        "2026-12-03",
        "2026-12-03",
        "2026-11-14",
    )
    nudges = {n["rule"]: n for n in cli.json("nudge", "--as-of", AS_OF)}
    assert nudges["mentor-prep"]["reason"] == "session with Maya Patel on Thursday; no questions prepared"
    assert "mentor-meeting" in nudges and "on Thursday" in nudges["mentor-meeting"]["action"]
    cli("mentor", "ask", "Maya Patel", "How do I pick a thesis topic?")
    assert "mentor-prep" not in {n["rule"] for n in cli.json("nudge")}  # asked today, the session tomorrow


def test_khal_written_vdir(cli: Cli, tmp_path: Path):
    """Events made with khal itself: `khal new` (no attendees: nobody to match)
    and an invitation accepted with `khal import` into the vdir."""
    khal = shutil.which("khal") or str(Path(sys.executable).with_name("khal"))
    vdir = tmp_path / "calendars" / "home"
    vdir.mkdir(parents=True)
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[home]]\npath = {vdir}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "default_timezone = Europe/Berlin\nlocal_timezone = Europe/Berlin\n"
        f"[sqlite]\npath = {tmp_path / 'khal.db'}\n"
    )
    run = [khal, "-c", str(config)]
    subprocess.run(
        [*run, "new", "-a", "home", "2026-11-02", "10:00", "11:00", "Study group", "-r", "weekly"], check=True
    )
    invite = tmp_path / "invite.ics"
    invite.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\nMETHOD:REQUEST\n"
        "BEGIN:VEVENT\nUID:invite-1@google.com\nDTSTART;TZID=Europe/Berlin:20261110T233000\n"
        "DTEND;TZID=Europe/Berlin:20261110T235900\nSUMMARY:Pairing with Maya\n"
        "ORGANIZER;CN=Maya Patel:mailto:maya@example.org\nATTENDEE;CN=Ann;PARTSTAT=ACCEPTED:mailto:ann@example.org\n"
        "ATTENDEE;CN=Maya Patel;PARTSTAT=ACCEPTED:mailto:maya@example.org\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    subprocess.run([*run, "import", "--batch", "-a", "home", str(invite)], check=True)
    assert len(list(vdir.glob("*.ics"))) == 2
    network(cli)
    with zone("Europe/Berlin"):
        summary = capture(cli, vdir.parent)
    assert meetings(cli) == [("2026-11-10", "Maya Patel", "Pairing with Maya")]
    assert summary["skipped"]["no_contact"] == 5  # the study group's Mondays up to the 30th: nobody to match
    with zone("UTC"):  # 23:30 in Berlin is 22:30 UTC: the same day
        assert capture(cli, vdir.parent)["logged"] == 0
