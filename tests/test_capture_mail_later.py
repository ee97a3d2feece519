"""Mail captured before its people were contacts, and what a capture knows
from earlier ones: a contact added later joins the thread-days already
captured (without the archives being read again), suggestions count every
message ever captured, and only a contact who wrote is owed a reply."""

from __future__ import annotations

import datetime as dt
import json
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from capture_help import zone
from conftest import Cli

AS_OF = "2026-12-02"
ME = "ann@example.org"


def message(frm: str, to: str, when: str, mid: str, *, cc: str = "", parent: str = "", subject: str = "Plans") -> str:
    stamp = format_datetime(dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC))
    lines = [f"From: {frm}", f"To: {to}", f"Subject: {subject}", f"Date: {stamp}", f"Message-ID: <{mid}@t>"]
    if cc:
        lines.append(f"Cc: {cc}")
    if parent:
        lines.append(f"References: <{parent}@t>")
    return "\n".join(lines) + "\n\nbody\n"


def mbox(path: Path, *messages: str) -> Path:
    path.write_text("".join(f"From x@y Mon Nov  2 10:00:00 2026\n{m}\n" for m in messages))
    return path


def maildir(folder: Path, *messages: str) -> Path:
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for n, text in enumerate(messages):
        (folder / "cur" / f"{n}.host:2,S").write_text(text)
    return folder


def capture(cli: Cli, *paths: Path) -> Any:
    with zone("UTC"):
        return json.loads(cli("capture", "mail", *map(str, paths), "--as-of", AS_OF, "--json").stdout)


def thread_days(cli: Cli) -> list[tuple[str, str, str | None]]:
    rows = cli.json("history")
    return sorted((r["date"], ", ".join(sorted(r["contacts"])), r["direction"]) for r in rows if r["source"] == "mail")


def test_a_contact_added_later_joins_the_mail_already_captured_without_reading_it_again(cli: Cli, tmp_path: Path):
    cli("config", "set", "me.emails", ME)
    cli("add", "Marco Rossi", "--email", "marco@example.org", "--on", "2026-01-10")
    box = mbox(
        tmp_path / "inbox.mbox",
        message("marco@example.org", ME, "2026-11-20T09:00", "a1", cc="jordan@example.net"),
        message("Jordan Lee <jordan@example.net>", ME, "2026-11-20T11:00", "a2", parent="a1"),
        message("jordan@example.net", ME, "2026-11-22T09:00", "b1", subject="Only Jordan"),
    )
    sent = maildir(tmp_path / "Sent", message(ME, "jordan@example.net", "2026-11-23T09:00", "b2", parent="b1"))
    first = capture(cli, box, sent)
    assert (first["logged"], first["skipped"]["no_contact"]) == (1, 3)
    assert thread_days(cli) == [("2026-11-20", "Marco Rossi", "received")]

    cli("add", "Jordan Lee", "--email", "Jordan@Example.net", "--on", "2026-01-10")
    again = capture(cli, box, sent)
    # the thread-day with Marco takes Jordan in; the two with Jordan alone are logged; no file is read again
    assert (again["updated"], again["logged"], again["read"], again["unchanged"]) == (1, 2, 0, 2)
    assert thread_days(cli) == [
        ("2026-11-20", "Jordan Lee, Marco Rossi", "received"),
        ("2026-11-22", "Jordan Lee", "received"),
        ("2026-11-23", "Jordan Lee", "sent"),
    ]
    assert capture(cli, box, sent)["updated"] == capture(cli, box, sent)["logged"] == 0

    # an address taken away: what only it matched waits again; what the user unlogged stays gone
    cli("edit", "jordan", "--email", "jordan.lee@else.example")
    removed = capture(cli, box, sent)
    assert (removed["removed"], removed["updated"]) == (2, 1)
    assert thread_days(cli) == [("2026-11-20", "Marco Rossi", "received")]
    unlogged = cli.json("history", "marco")[0]["id"]
    cli("unlog", str(unlogged))
    cli("edit", "jordan", "--email", "jordan@example.net")
    back = capture(cli, box, sent)
    assert (back["logged"], back["updated"]) == (2, 0)
    assert [day for day, _, _ in thread_days(cli)] == ["2026-11-22", "2026-11-23"]


def test_a_dry_run_of_a_match_again_writes_nothing(cli: Cli, tmp_path: Path):
    cli("config", "set", "me.emails", ME)
    box = mbox(tmp_path / "a.mbox", message("jordan@example.net", ME, "2026-11-22T09:00", "b1"))
    capture(cli, box)
    cli("add", "Jordan Lee", "--email", "jordan@example.net", "--on", "2026-01-10")
    with zone("UTC"):
        result = cli("capture", "mail", str(box), "--as-of", AS_OF, "--dry-run")
    assert "would log 2026-11-22 message with Jordan Lee: Plans" in result.stdout + result.stderr
    assert thread_days(cli) == []
    assert capture(cli, box)["logged"] == 1


def test_suggestions_count_everything_captured_not_only_this_run(cli: Cli, tmp_path: Path):
    cli("config", "set", "me.emails", ME)
    received = [message("Lee Park <lee@x.org>", ME, f"2026-11-0{n}T09:00", f"l{n}") for n in (1, 2)]
    box = mbox(tmp_path / "inbox.mbox", *received)
    assert capture(cli, box)["suggestions"] == []  # two messages, none sent: not yet
    # the Maildir holds one of the same messages again (counted once) and Ann's reply
    sent = maildir(tmp_path / "Mail", received[0], message(ME, "lee@x.org", "2026-11-03T09:00", "l3", parent="l1"))
    suggested = capture(cli, sent)["suggestions"]
    assert suggested == [
        {
            "name": "Lee Park",
            "email": "lee@x.org",
            "messages": 3,
            "sent": 1,
            "last": "2026-11-03",
            "command": 'netcli add "Lee Park" --email lee@x.org',
        }
    ]
    assert capture(cli, box, sent)["suggestions"] == suggested  # read again: counted once
    cli("add", "Lee Park", "--email", "lee@x.org")
    assert capture(cli, box, sent)["suggestions"] == []


def test_a_reply_is_owed_only_to_a_contact_who_wrote(cli: Cli, tmp_path: Path):
    cli("config", "set", "me.emails", ME)
    cli("add", "Marco Rossi", "--email", "marco@example.org", "--on", "2026-01-10")
    cli("add", "Dana Wu", "--email", "dana@example.org", "--on", "2026-01-10")
    box = mbox(
        tmp_path / "inbox.mbox",
        # a stranger writes to Ann with Marco copied: nobody Ann knows wrote
        message("someone@strangers.example", ME, "2026-11-20T09:00", "s1", cc="marco@example.org"),
        # Dana writes with Marco copied: a reply is owed to Dana, not to Marco
        message("dana@example.org", ME, "2026-11-21T09:00", "d1", cc="Marco <marco@example.org>", subject="Slides"),
    )
    capture(cli, box)
    owed = cli.json("nudge", "--all", "--rule", "reply-owed", "--as-of", "2026-11-25")
    assert [n["action"] for n in owed] == ['Reply to Dana Wu about "Slides".']


def test_a_thread_day_waiting_for_a_contact_takes_in_later_mail(cli: Cli, tmp_path: Path):
    cli("config", "set", "me.emails", ME)
    cli("add", "Marco Rossi", "--email", "marco@example.org", "--on", "2026-01-10")
    first = [
        message("jordan@example.net", ME, "2026-11-20T12:00", "a1", subject="Later subject"),
        message("kim@example.net", ME, "2026-11-21T09:00", "k1", subject="Kim's plans"),
    ]
    box = mbox(tmp_path / "inbox.mbox", *first)
    assert capture(cli, box)["logged"] == 0
    # the archive grows: an earlier message of Jordan's thread-day, copied to Marco; Ann's reply to Kim
    mbox(
        tmp_path / "inbox.mbox",
        *first,
        message("jordan@example.net", ME, "2026-11-20T08:00", "a0", cc="marco@example.org", subject="First subject"),
        message(ME, "kim@example.net", "2026-11-21T10:00", "k2", parent="k1"),
    )
    grown = capture(cli, box)
    assert (grown["logged"], grown["updated"]) == (1, 0)
    rows = [r for r in cli.json("history") if r["source"] == "mail"]
    assert [(r["date"], r["contacts"], r["note"]) for r in rows] == [("2026-11-20", ["Marco Rossi"], "First subject")]
    cli("add", "Kim Lee", "--email", "kim@example.net", "--on", "2026-01-10")
    assert capture(cli, box)["logged"] == 1
    assert thread_days(cli)[-1] == ("2026-11-21", "Kim Lee", "both")
    # taking Kim's address away again, in a dry run: named, nothing written
    cli("edit", "kim", "--email", "kim.lee@else.example")
    with zone("UTC"):
        result = cli("capture", "mail", str(box), "--as-of", AS_OF, "--dry-run")
    assert "would remove 2026-11-21 message with Kim Lee: Kim's plans" in result.stdout
    assert thread_days(cli)[-1] == ("2026-11-21", "Kim Lee", "both")
