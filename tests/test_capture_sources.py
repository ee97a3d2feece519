"""The two captures on each other's files: each refuses what is not its
kind (exit 1, naming the file and what it reads, nothing written), keeps
its own state of every file, and never breaks the other; a folder holding
nothing to read is refused by both; and a database from before capture
kept its state per source upgrades with its rows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from capture_help import AS_OF, CALENDARS, meetings, network, zone
from conftest import Cli

MAIL = Path(__file__).parent / "fixtures" / "mail"


def mail_rows(cli: Cli) -> list[str]:
    return [r["date"] for r in cli.json("history") if r["source"] == "mail"]


def test_each_capture_refuses_the_others_file_and_keeps_its_own_state(cli: Cli, tmp_path: Path):
    network(cli)
    cli("add", "Dana Mail", "--email", "dana@example.org", "--on", "2026-01-10")
    ics = shutil.copyfile(CALENDARS / "google.ics", tmp_path / "cal.ics")
    box = shutil.copyfile(MAIL / "mutt.mbox", tmp_path / "box.mbox")
    with zone("UTC"):
        refused = cli("capture", "mail", str(ics), "--as-of", AS_OF, code=1).stderr
        assert "cal.ics is an iCalendar file, not mail" in refused and "an mbox file" in refused
        refused = cli("capture", "calendar", str(box), "--as-of", AS_OF, code=1).stderr
        assert "box.mbox is not an iCalendar file; it is mail" in refused and "BEGIN:VCALENDAR" in refused
        assert meetings(cli) == mail_rows(cli) == []  # nothing written by either
        assert cli.json("capture", "calendar", str(ics), "--as-of", AS_OF)["logged"] > 0
        assert cli.json("capture", "mail", str(box), "--as-of", AS_OF)["logged"] > 0
        # one path, read as mail and later holding a calendar: each capture has its own row for it
        shutil.copyfile(CALENDARS / "apple.ics", box)
        assert cli.json("capture", "calendar", str(box), "--as-of", AS_OF)["logged"] == 3
        assert "is an iCalendar file" in cli("capture", "mail", str(box), "--as-of", AS_OF, code=1).stderr
        assert cli.json("capture", "calendar", str(box), "--as-of", AS_OF)["unchanged"] == 1


def test_a_folder_with_nothing_to_read_is_refused_by_both(cli: Cli, tmp_path: Path):
    network(cli)
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "notes.txt").write_text("no calendar here")
    for kind, looked in (("calendar", "holds no .ics files"), ("mail", "holds no mail")):
        error = cli("capture", kind, str(empty), "--as-of", AS_OF, "--json", code=1)
        assert error.stdout == "" and f"empty {looked}" in error.stderr, error.stderr
    assert meetings(cli) == []


@pytest.mark.sqlite_only
def test_capture_state_from_before_0017_upgrades_with_its_rows(cli: Cli, tmp_path: Path):
    from alembic import command
    from sqlalchemy import create_engine

    from test_db import _alembic_config

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0012")
        conn.exec_driver_sql(
            "INSERT INTO contact (id, name, name_key, email, tier, archived) "
            "VALUES (1, 'Dana Wu', 'dana wu', 'dana@example.org', 'B', 0)"
        )
        conn.exec_driver_sql(
            "INSERT INTO contact_email (contact_id, position, address, address_key) "
            "VALUES (1, 0, 'dana@example.org', 'dana@example.org')"
        )
        conn.exec_driver_sql(
            "INSERT INTO interaction (id, date, kind, note, source, direction) "
            "VALUES (1, '2026-11-16', 'message', 'Workshop slides', 'mail', 'received')"
        )
        conn.exec_driver_sql(
            "INSERT INTO participant (interaction_id, contact_id, date, kind) VALUES (1, 1, '2026-11-16', 'message')"
        )
        conn.exec_driver_sql(
            "INSERT INTO capture_file (id, source, path, size, mtime_ns, context) "
            f"VALUES (1, 'mail', '{tmp_path / 'box.mbox'}', 10, 1, 'old')"
        )
        conn.exec_driver_sql(
            "INSERT INTO capture_key (source, key, thread, file_id, interaction_id, date, digest) VALUES "
            "('mail', 't:x/2026-11-16', 'x', 1, 1, '2026-11-16', '1'),"
            "('mail', 'm:x@t', 't:x/2026-11-16', 1, NULL, '2026-11-16', ''),"
            "('mail', 't:gone/2026-11-10', 'gone', 1, NULL, '2026-11-10', '1')"
        )
    engine.dispose()
    cli("--db", str(path), "config", "set", "me.emails", "ann@example.org")
    assert cli.json("--db", str(path), "db", "check")["revision"] >= "0017"
    with engine.connect() as conn:
        keys = conn.exec_driver_sql("SELECT key, interaction_id, waiting FROM capture_key ORDER BY key").all()
        files = conn.exec_driver_sql("SELECT source, path FROM capture_file").all()
    engine.dispose()
    # the thread-days stay (logged, and unlogged); the message keys go, to be read again with their people
    assert keys == [("t:gone/2026-11-10", None, 0), ("t:x/2026-11-16", 1, 0)]
    assert files == [("mail", str(tmp_path / "box.mbox"))]
    # the same path as a calendar now has its own row beside mail's
    shutil.copyfile(CALENDARS / "apple.ics", tmp_path / "box.mbox")
    with zone("UTC"):
        summary = json.loads(
            cli("--db", str(path), "capture", "calendar", str(tmp_path / "box.mbox"), "--as-of", AS_OF, "--json").stdout
        )
    assert summary["files"] == 1
    shown = cli.json("--db", str(path), "show", "dana")
    assert [t["note"] for t in shown["timeline"] if t["source"] == "mail"] == ["Workshop slides"]
