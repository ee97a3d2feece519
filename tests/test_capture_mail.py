"""`netcli capture mail` on archives as mutt, Thunderbird, Gmail Takeout and
a Maildir (mbsync, offlineimap) write them, with known answers: one message
per thread and day with its direction, what is skipped and why, capturing
again and after the archive grew, suggestions, the reply-owed rule; and the
properties that capturing twice, or in two halves, logs what once does."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capture_help import SKIPPED_KEYS, SUMMARY_KEYS, zone
from conftest import Cli

MAIL = Path(__file__).parent / "fixtures" / "mail"
AS_OF = "2026-12-02"


def people(cli: Cli) -> None:
    cli("config", "set", "me.emails", "ann@example.org")
    cli("add", "Dana Wu", "--email", "dana@example.org", "--on", "2026-01-10")
    cli("add", "Chidi Okafor", "--email", "chidi.okafor@gmail.com", "--on", "2026-01-10")
    cli("add", "Maya Perez", "--email", "maya@example.net", "--on", "2026-01-10")


def capture(cli: Cli, *paths: Path | str, code: int = 0, extra: tuple[str, ...] = ()) -> Any:
    result = cli("capture", "mail", *map(str, paths), "--as-of", AS_OF, "--json", *extra, code=code)
    return result if code else json.loads(result.stdout)


def messages(cli: Cli) -> list[tuple[str, str, str | None, str | None]]:
    rows = cli.json("history")
    return sorted(
        (r["date"], ", ".join(sorted(r["contacts"])), r["direction"], r["note"]) for r in rows if r["source"] == "mail"
    )


def test_mutt_mbox_threads_days_directions_and_what_is_skipped(cli: Cli):
    people(cli)
    with zone("UTC"):
        summary = capture(cli, MAIL / "mutt.mbox")
    assert set(summary) >= SUMMARY_KEYS and set(summary["skipped"]) == SKIPPED_KEYS
    assert (summary["files"], summary["read"], summary["logged"]) == (1, 6, 2)
    # the list digest, GitHub's no-reply notice, the message with "Date: someday soon"
    assert {k: v for k, v in summary["skipped"].items() if v} == {"list": 1, "automated": 1, "bad": 1}
    assert messages(cli) == [
        ("2026-11-16", "Dana Wu", "both", "Workshop slides"),  # her mail and Ann's reply (from ann+lists@), one thread
        ("2026-11-18", "Dana Wu", "received", "Café next week?"),  # AW: dropped; no Message-ID
    ]


def test_a_body_line_starting_with_from_does_not_split_the_mbox(cli: Cli):
    from netcli.capture.mail import mbox_heads

    with open(MAIL / "mutt.mbox", "rb") as handle:
        assert len(list(mbox_heads(handle))) == 6


def test_gmail_takeout_thread_ids_labels_bulk_and_auto_replies(cli: Cli):
    people(cli)
    with zone("UTC"):
        summary = capture(cli, MAIL / "takeout.mbox")
    assert {k: v for k, v in summary["skipped"].items() if v} == {"draft_spam_trash": 2, "list": 1, "automated": 1}
    assert messages(cli) == [
        ("2026-11-09", "Chidi Okafor", "both", "Pairing on the parser?"),
        ("2026-11-10", "Chidi Okafor", "received", "Pairing on the parser?"),
    ]
    with zone("UTC"):
        assert capture(cli, MAIL / "takeout.mbox", extra=("--lists",))["skipped"]["list"] == 0


def test_maildir_flags_folders_encodings_and_the_users_zone(cli: Cli):
    people(cli)
    with zone("America/Los_Angeles"):
        summary = capture(cli, MAIL / "Maildir")
    # .Trash, .Drafts and the D-flagged file in cur/; tmp/ is never read
    assert (summary["files"], summary["skipped"]["draft_spam_trash"], summary["logged"]) == (6, 3, 3)
    assert messages(cli) == [
        ("2026-11-12", "Dana Wu, Maya Perez", "received", "Mentoring notes – week 3"),  # 23:30 in Los Angeles
        ("2026-11-13", "Maya Perez", "sent", "Mentoring notes – week 3"),  # raw UTF-8 in the header, MAYA@ matched
        ("2026-11-14", "Maya Perez", "received", "Mentoring notes week 3"),  # folded subject, CRLF lines, new/
    ]


def test_the_same_message_in_two_archives_counts_once(cli: Cli, tmp_path: Path):
    people(cli)
    shutil.copytree(MAIL / "Maildir", tmp_path / "copy")
    with zone("UTC"):
        first = capture(cli, MAIL / "Maildir")
        second = capture(cli, tmp_path / "copy")
    assert first["logged"] == 2 and second["logged"] == second["updated"] == 0
    assert second["already"] == 3


def test_capturing_again_reads_nothing_and_a_grown_mbox_only_its_new_part(cli: Cli, tmp_path: Path):
    people(cli)
    box = tmp_path / "mutt.mbox"
    shutil.copyfile(MAIL / "mutt.mbox", box)
    with zone("UTC"):
        capture(cli, box)
        again = capture(cli, box)
        assert (again["unchanged"], again["read"], again["logged"]) == (1, 0, 0)
        with open(box, "a") as handle:
            handle.write(
                "\nFrom dana@example.org Fri Nov 20 10:00:00 2026\nFrom: Dana Wu <dana@example.org>\n"
                "To: ann@example.org\nSubject: Re: Workshop slides\nDate: Fri, 20 Nov 2026 10:00:00 +0000\n"
                "Message-ID: <slides-3@example.org>\nReferences: <slides-1@example.org>\n\nagain\n"
            )
        grown = capture(cli, box)
    assert (grown["read"], grown["logged"], grown["already"]) == (1, 1, 0)
    assert messages(cli)[-1] == ("2026-11-20", "Dana Wu", "received", "Workshop slides")


def test_an_mbox_rewritten_is_read_whole_and_logs_nothing_twice(cli: Cli, tmp_path: Path):
    people(cli)
    box = tmp_path / "mutt.mbox"
    shutil.copyfile(MAIL / "mutt.mbox", box)
    with zone("UTC"):
        capture(cli, box)
        box.write_bytes(box.read_bytes().replace(b"Hi Ann", b"Hi Ann and all of you"))  # compacted, say
        again = capture(cli, box)
    assert (again["read"], again["logged"], again["already"]) == (6, 0, 3)


def test_a_later_message_joins_its_thread_day_and_an_unlogged_one_stays_gone(cli: Cli, tmp_path: Path):
    people(cli)
    first = tmp_path / "a.eml"
    first.write_text(_eml("dana@example.org", "ann@example.org", "Notes", "2026-11-20T09:00", "n1"))
    with zone("UTC"):
        capture(cli, first)
        (tmp_path / "b.eml").write_text(
            _eml("ann@example.org", "dana@example.org, maya@example.net", "Re: Notes", "2026-11-20T11:00", "n2", "n1")
        )
        joined = capture(cli, tmp_path)
        assert (joined["logged"], joined["updated"]) == (0, 1)
        assert messages(cli) == [("2026-11-20", "Dana Wu, Maya Perez", "both", "Notes")]
        row = next(r for r in cli.json("history") if r["source"] == "mail")
        cli("unlog", str(row["id"]))
        (tmp_path / "c.eml").write_text(
            _eml("maya@example.net", "ann@example.org", "Re: Notes", "2026-11-20T12:00", "n3", "n1")
        )
        after = capture(cli, tmp_path)
    assert after["logged"] == after["updated"] == 0 and messages(cli) == []


def test_suggestions_are_people_you_write_with_who_are_not_contacts(cli: Cli, tmp_path: Path):
    people(cli)
    for n, (frm, to) in enumerate(
        [("lee@x.org", "ann@example.org")] * 2
        + [("ann@example.org", "lee@x.org"), ("ann@example.org", "sam@y.org")]
        + [("promo@z.org", "ann@example.org")] * 5
    ):
        (tmp_path / f"{n}.eml").write_text(_eml(frm, to, "Hi", f"2026-11-{n + 1:02d}T10:00", f"s{n}", name="Lee Park"))
    with zone("UTC"):
        summary = capture(cli, tmp_path)
    assert summary["suggestions"] == [
        {
            "name": "Lee Park",
            "email": "lee@x.org",
            "messages": 3,
            "sent": 1,
            "last": "2026-11-03",
            "command": 'netcli add "Lee Park" --email lee@x.org',
        }
    ]
    result = cli("capture", "mail", str(tmp_path), "--as-of", AS_OF)
    assert "not a contact yet: Lee Park <lee@x.org>" in result.stderr


def test_reply_owed_fires_after_two_days_clears_on_a_reply_and_lapses(cli: Cli, tmp_path: Path):
    people(cli)
    (tmp_path / "a.eml").write_text(
        _eml("dana@example.org", "ann@example.org", "Workshop slides", "2026-11-20T09:00", "r1")
    )
    with zone("UTC"):
        capture(cli, tmp_path)

    def owed(as_of: str) -> list[str]:
        return [n["action"] for n in cli.json("nudge", "--all", "--rule", "reply-owed", "--as-of", as_of)]

    assert owed("2026-11-21") == []
    assert owed("2026-11-22") == ['Reply to Dana Wu about "Workshop slides".']
    assert owed("2026-12-21") == []  # past the 30-day window
    (tmp_path / "b.eml").write_text(
        _eml("ann@example.org", "dana@example.org", "Re: Workshop slides", "2026-11-23T09:00", "r2", "r1")
    )
    with zone("UTC"):
        cli("capture", "mail", str(tmp_path), "--as-of", "2026-11-24")
    assert owed("2026-11-24") == []


def test_no_me_names_the_likely_addresses(cli: Cli):
    cli("add", "Dana Wu", "--email", "dana@example.org")
    result = cli("capture", "mail", str(MAIL / "mutt.mbox"), code=1)
    assert result.stderr.startswith("error: capture needs your own email addresses")
    assert "ann@example.org" in result.stderr and "netcli config set me.emails ann@example.org" in result.stderr


def test_files_that_are_not_mail_are_refused_and_nothing_is_written(cli: Cli, tmp_path: Path):
    people(cli)
    before = cli.json("history")
    (tmp_path / "notes.txt").write_text("just some notes\n")
    result = cli("capture", "mail", str(MAIL / "mutt.mbox"), str(tmp_path / "notes.txt"), code=1)
    assert result.stderr.strip().endswith(
        "notes.txt is not a mail archive; give an mbox file, a Maildir folder, a folder of .eml files, or one .eml file"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "holds no mail" in cli("capture", "mail", str(empty), code=1).stderr
    assert "does not exist" in cli("capture", "mail", str(tmp_path / "nope"), code=1).stderr
    assert cli.json("history") == before


def test_dry_run_lists_and_writes_nothing(cli: Cli):
    people(cli)
    with zone("UTC"):
        result = cli("capture", "mail", str(MAIL / "takeout.mbox"), "--dry-run", "--as-of", AS_OF)
    assert "would log 2026-11-09 message with Chidi Okafor: Pairing on the parser?" in result.stdout
    assert "dry run, nothing written" in result.stderr
    assert messages(cli) == []


def _eml(frm: str, to: str, subject: str, when: str, mid: str, parent: str | None = None, name: str = "") -> str:
    stamp = format_datetime(dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC))
    sender = f"{name} <{frm}>" if name and frm != "ann@example.org" else frm
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}", f"Date: {stamp}", f"Message-ID: <{mid}@t>"]
    if parent:
        lines.append(f"References: <{parent}@t>")
    return "\n".join(lines) + "\n\nbody\n"


# --- properties ---------------------------------------------------------------

ADDRESSES = ["ann@example.org", "dana@example.org", "maya@example.net", "lee@x.org"]


@st.composite
def mailboxes(draw: Any) -> list[str]:
    """Messages of a few threads over a few days, between Ann, two contacts and a stranger."""
    found = []
    for n in range(draw(st.integers(0, 8))):
        frm = draw(st.sampled_from(ADDRESSES))
        to = draw(st.lists(st.sampled_from([a for a in ADDRESSES if a != frm]), min_size=1, max_size=3, unique=True))
        thread = draw(st.integers(0, 2))
        when = dt.datetime(2026, 11, 1 + draw(st.integers(0, 3)), draw(st.integers(0, 23)), tzinfo=dt.UTC)
        subject = draw(st.sampled_from(["Notes", "Re: Notes", "Slides", "Fwd: Slides"]))
        headers = [f"From: {frm}", f"To: {', '.join(to)}", f"Subject: {subject}", f"Date: {format_datetime(when)}"]
        if draw(st.booleans()):
            headers.append(f"Message-ID: <m{n}@t>")
        if thread:
            headers.append(f"References: <thread{thread}@t>")
        found.append("\n".join([f"From {frm} Sun Nov  1 00:00:00 2026", *headers]) + "\n\nbody\n")
    return found


def _run(paths: list[Path], db: Path) -> list[tuple[Any, ...]]:
    from netcli import store
    from netcli.capture.run import capture_mail
    from netcli.config import load
    from netcli.db import open_database, resolve, session_scope

    config = load(Path(os.environ["NETCLI_CONFIG"]))
    engine = open_database(resolve(str(db)))
    try:
        for path in paths:
            with session_scope(engine, write=True) as session:
                capture_mail(
                    session,
                    [path],
                    config=config,
                    today=dt.date(2026, 12, 1),
                    since=None,
                    lists=False,
                    warn=lambda _: None,
                )
        with session_scope(engine) as session:
            rows = store.interaction_dicts(session)
    finally:
        engine.dispose()
    return sorted(
        (r["date"], tuple(sorted(r["contacts"])), r["direction"], r["note"]) for r in rows if r["source"] == "mail"
    )


@pytest.mark.sqlite_only
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(box=mailboxes(), cut=st.integers(0, 8))
def test_capturing_twice_or_in_two_halves_logs_what_capturing_once_does(
    cli: Cli, tmp_path_factory: Any, box: list[str], cut: int
):
    from netcli.config import load

    if not load(Path(os.environ["NETCLI_CONFIG"])).me["emails"]:
        people(cli)
    folder = tmp_path_factory.mktemp("box")
    whole = folder / "whole.mbox"
    whole.write_text("\n".join(box))
    first, second = folder / "first.mbox", folder / "second.mbox"
    first.write_text("\n".join(box[:cut]))
    second.write_text("\n".join(box[cut:]))
    base = Path(os.environ["NETCLI_DB"])
    with zone("UTC"):
        import uuid

        tag = uuid.uuid4().hex[:8]
        shutil.copyfile(base, folder / f"once-{tag}.db")
        shutil.copyfile(base, folder / f"halves-{tag}.db")
        once = _run([whole], folder / f"once-{tag}.db")
        assert _run([whole], folder / f"once-{tag}.db") == once
        assert _run([first, second], folder / f"halves-{tag}.db") == once


def test_the_since_examples_in_capture_help_are_read(cli: Cli):
    """The help showed `--since 90d`, which --since refuses."""
    import re
    import shlex

    for command in ("calendar", "mail"):
        page = cli("capture", command, "--help").stdout
        for example in re.findall(r"--since (\"[^\"]+\"|\S+)", page):
            if example != "WHEN":
                cli("capture", command, str(MAIL / "none"), "--since", shlex.split(example)[0], code=1)


@pytest.mark.sqlite_only
def test_a_maildir_file_renamed_by_new_flags_is_read_again_once_and_its_old_name_forgotten(cli: Cli, tmp_path: Path):
    import sqlite3

    people(cli)
    box = tmp_path / "Maildir"
    shutil.copytree(MAIL / "Maildir", box)
    with zone("UTC"):
        capture(cli, box)
        (box / "new" / "1731100000.M2P1.host").rename(box / "cur" / "1731100000.M2P1.host:2,S")  # read in mutt
        again = capture(cli, box)
    assert (again["read"], again["logged"], again["already"]) == (1, 0, 1)
    paths = [row[0] for row in sqlite3.connect(os.environ["NETCLI_DB"]).execute("SELECT path FROM capture_file")]
    files = [path for path in paths if not path.endswith(os.sep)]  # and the Maildir's own row, its fingerprint
    assert len(files) == 6 and not any(path.endswith("M2P1.host") for path in paths) and len(paths) == 7
    assert len(messages(cli)) == 2


def test_an_unchanged_maildir_is_not_listed_again_and_a_new_message_is_seen(cli: Cli, tmp_path: Path):
    from netcli.capture import mail

    people(cli)
    box = tmp_path / "Maildir"
    shutil.copytree(MAIL / "Maildir", box)
    with zone("UTC"):
        capture(cli, box)
        before = mail.folder_fingerprint(box)
        again = capture(cli, box)
        assert (again["files"], again["unchanged"], again["read"]) == (6, 6, 0)
        (box / "new" / "1731200000.M9P1.host").write_text(
            _eml("dana@example.org", "ann@example.org", "New one", "2026-11-25T09:00", "fresh")
        )
        assert mail.folder_fingerprint(box) != before
        grown = capture(cli, box)
        assert (grown["files"], grown["read"], grown["logged"]) == (7, 1, 1)
        assert capture(cli, box)["read"] == 0
    (tmp_path / "eml").mkdir()
    (tmp_path / "eml" / "a.eml").write_text("Subject: x\n")
    assert mail.folder_fingerprint(tmp_path / "eml") is None  # .eml files may change in place: always looked at
