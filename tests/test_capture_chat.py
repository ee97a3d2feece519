"""`netcli capture chat` (issue 30, items 2-4 and 6): exports as each app
writes them (tests/fixtures/chat) with known answers (who, which days, which
direction, what was skipped), handles and suggestions, a large group and its
community, idempotence and growth, an unlogged day, --since, the dry run,
damaged and foreign files, and the property that capturing a chat twice, or
its two halves in two runs, logs what capturing it once does."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import Cli

FIXTURES = Path(__file__).parent / "fixtures" / "chat"
AS_OF = "2026-12-20"


def network(cli: Cli) -> None:
    """Ann (the user) and her contacts, each known to the apps by what they hold."""
    cli("config", "set", "me.names", "Ann Example")
    cli("config", "set", "me.emails", "ann@example.org")
    cli("config", "set", "me.handles", "discord:80351110224678912, slack:T0123ABCD/U0ANN, telegram:777000111")
    cli("add", "Dana Wu", "--on", "2026-11-01", "--email", "dana@example.org", "--handle", "telegram:5012345678",
        "--handle", "discord:90351110224678913")  # fmt: skip
    cli("add", "Lena Schmidt", "--on", "2026-11-01", "--handle", "telegram:@LenaSchmidt",
        "--handle", "discord:110351110224678915", "--handle", "slack:U0LENA")  # fmt: skip


def capture(cli: Cli, *paths: Path | str, code: int = 0, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    result = cli("capture", "chat", *map(str, paths), "--as-of", AS_OF, *extra, "--json", code=code)
    return json.loads(result.stdout) if code == 0 else {"stderr": result.stderr}


def talks(cli: Cli) -> list[tuple[str, str, str | None, str | None]]:
    """What capture logged: (day, who, direction, note), oldest first."""
    rows = cli.json("history", "--limit", "1000")
    return sorted(
        (i["date"], ", ".join(i["contacts"]), i["direction"], i["note"]) for i in rows if i["source"] == "chat"
    )


def test_a_whatsapp_chat_by_saved_names_day_by_day(cli: Cli):
    network(cli)
    chat = FIXTURES / "whatsapp" / "WhatsApp Chat with Dana Wu.txt"
    summary = capture(cli, chat)
    assert (summary["files"], summary["read"], summary["logged"], summary["already"]) == (1, 6, 3, 0)
    assert talks(cli) == [
        ("2026-12-06", "Dana Wu", "both", "WhatsApp: Dana Wu"),
        ("2026-12-07", "Dana Wu", "received", "WhatsApp: Dana Wu"),
        ("2026-12-14", "Dana Wu", "received", "WhatsApp: Dana Wu"),
    ]
    again = capture(cli, chat)
    assert (again["unchanged"], again["read"], again["logged"]) == (1, 0, 0)
    os.utime(chat, None)  # touched: read again, nothing new
    third = capture(cli, chat)
    assert (third["unchanged"], third["read"], third["logged"], third["updated"], third["already"]) == (0, 6, 0, 0, 6)
    nudges = cli.json("nudge", "--as-of", "2026-12-17", "--rule", "reply-owed")
    assert [n["action"] for n in nudges] == ["Reply to Dana Wu on WhatsApp."]
    assert "wrote on WhatsApp 3 days ago (2026-12-14)" in nudges[0]["reason"]


@pytest.mark.sqlite_only
def test_no_message_text_is_ever_stored(cli: Cli, isolated: Path):
    network(cli)
    capture(cli, FIXTURES / "whatsapp" / "WhatsApp Chat with Dana Wu.txt", FIXTURES / "telegram" / "account.json")
    dump = "\n".join(sqlite3.connect(isolated / "netcli.db").iterdump())
    for text in ("Great meeting you", "slides", "Thanks for the call", "keep in touch", "Say hi"):
        assert text not in dump


@pytest.mark.one_engine
def test_a_telegram_account_export(cli: Cli):
    network(cli)
    cli("config", "set", "me.handles", "")  # the export says whose it is
    summary = capture(cli, FIXTURES / "telegram" / "account.json")
    assert talks(cli) == [("2026-12-06", "Dana Wu", "both", "Telegram: Dana Wu")]
    assert summary["skipped"]["group"] == 1 and summary["skipped"]["no_contact"] == 2
    (group,) = summary["groups"]
    assert (group["chat"], group["name"], group["community"]) == ("telegram:channel1300000001", "Rust Weekly", None)
    assert group["command"] == 'netcli community add "Rust Weekly" --kind community --chat telegram:channel1300000001'


@pytest.mark.one_engine
def test_a_slack_export_matches_by_email_and_user_id(cli: Cli, tmp_path: Path):
    network(cli)
    summary = capture(cli, FIXTURES / "slack")
    assert talks(cli) == [
        ("2026-12-06", "Dana Wu", "both", "Slack"),
        ("2026-12-06", "Dana Wu", "both", "Slack: general"),  # Ann's thread mentions her, she answers in it
        ("2026-12-07", "Lena Schmidt", "received", "Slack: mpdm-ann--dana--lena-1"),
    ]
    assert summary["skipped"]["bad"] == 3  # the fixture's damaged day files and message, each named
    zipped = shutil.make_archive(str(tmp_path / "slack"), "zip", FIXTURES / "slack")
    again = capture(cli, zipped)  # the same workspace zipped: the same messages, nothing new
    assert (again["logged"], again["updated"], again["already"]) == (0, 0, 5)


@pytest.mark.one_engine
def test_a_discord_server_counts_only_exchanges_and_is_a_community(cli: Cli, tmp_path: Path):
    network(cli)
    server = shutil.copytree(FIXTURES / "discord", tmp_path / "discord")
    summary = capture(cli, server)
    assert talks(cli) == [
        ("2026-12-06", "Dana Wu", "both", "Discord: in #general"),  # a reply and mentions, in the channel
        ("2026-12-06", "Dana Wu", "both", "Discord: in #general"),  # the thread both wrote in
        ("2026-12-07", "Dana Wu", "both", "Discord: danawu"),
    ]
    assert summary["skipped"]["group"] == 1  # Lena wrote in #general, never with Ann
    (group,) = summary["groups"]
    assert group["posts"] == 2 and group["command"].startswith("netcli community add general --kind community")
    cli("community", "add", "Rust Learners", "--kind", "community", "--chat", "discord:523331000000000001")
    shown = cli.json("community", "show", "Rust Learners")
    assert shown["chats"] == ["discord:523331000000000001"]
    assert shown["activity"] == [{"month": "2026-12", "posts": 2, "events": 0}]
    cli("community", "edit", "Rust Learners", "--every", "2w")
    for exported in server.iterdir():
        os.utime(exported, None)  # exported again: read again, nothing new, the group now a community
    again = capture(cli, server)
    assert again["logged"] == 0 and again["groups"][0]["community"] == "Rust Learners"
    assert cli.json("community", "list")[0]["every_days"] == 14
    said = cli("community", "edit", "Rust Learners", "--chat", "icq:123", code=1).stderr
    assert "'icq:123' is not a chat; give KIND:ID" in said
    cli("community", "edit", "Rust Learners", "--remove-chat", "discord:523331000000000001", "--every", "none")
    shown = cli.json("community", "show", "Rust Learners")
    assert (shown["chats"], shown["every_days"], shown["activity"]) == ([], None, [])


@pytest.mark.one_engine
def test_google_chat_by_email_and_what_is_skipped(cli: Cli):
    network(cli)
    summary = capture(cli, FIXTURES / "googlechat" / "Google Chat")
    assert talks(cli) == [("2026-12-06", "Dana Wu", "both", "Google Chat")]
    assert (summary["skipped"]["bad"], summary["skipped"]["no_contact"]) == (1, 1)


@pytest.mark.one_engine
def test_a_small_whatsapp_group_and_a_mention_by_number(cli: Cli):
    network(cli)
    cli("add", "Jonas", "--handle", "whatsapp:+491701234567")
    capture(cli, FIXTURES / "whatsapp" / "_chat.txt")
    assert talks(cli) == [
        ("2026-12-06", "Jonas", "received", "WhatsApp: Rust Lernende"),
        ("2026-12-07", "Lena Schmidt", "received", "WhatsApp: Rust Lernende"),
    ]


def whatsapp(lines: list[tuple[int, str, str]], start: dt.date = dt.date(2026, 12, 1)) -> str:
    """An Android export: (day, time, sender) each one message."""
    out = ["01/12/26, 9:00 am - Messages and calls are end-to-end encrypted."]
    for day, time, sender in lines:
        when = start + dt.timedelta(days=day)
        out.append(f"{when:%d/%m/%y}, {time} - {sender}: a message\nwith two lines")
    return "\n".join(out) + "\n"


@pytest.mark.one_engine
def test_growth_an_unlogged_day_since_and_the_dry_run(cli: Cli, tmp_path: Path):
    network(cli)
    chat = tmp_path / "WhatsApp Chat with Dana Wu.txt"
    first = [(0, "9:00 am", "Dana Wu"), (0, "9:05 am", "Ann Example"), (2, "8:00 pm", "Dana Wu")]
    chat.write_text(whatsapp(first))
    assert capture(cli, chat)["logged"] == 2
    (unlogged,) = [i["id"] for i in cli.json("history") if i["date"] == "2026-12-03"]
    cli("unlog", str(unlogged))
    grown = [*first, (2, "9:00 pm", "Ann Example"), (4, "10:00 am", "Ann Example"), (5, "10:00 am", "Dana Wu")]
    chat.write_text(whatsapp(grown))
    dry = capture(cli, chat, extra=("--dry-run",))
    lines = cli("capture", "chat", str(chat), "--as-of", AS_OF, "--dry-run").stdout.splitlines()
    assert lines == [
        "would log 2026-12-05 message with Dana Wu: WhatsApp: Dana Wu",
        "would log 2026-12-06 message with Dana Wu: WhatsApp: Dana Wu",
    ]
    real = capture(cli, chat)
    assert {k: v for k, v in dry.items() if k != "dry_run"} == {k: v for k, v in real.items() if k != "dry_run"}
    assert (real["logged"], real["already"]) == (2, 4)  # the unlogged day stays gone with its new message
    assert talks(cli) == [
        ("2026-12-01", "Dana Wu", "both", "WhatsApp: Dana Wu"),
        ("2026-12-05", "Dana Wu", "sent", "WhatsApp: Dana Wu"),
        ("2026-12-06", "Dana Wu", "received", "WhatsApp: Dana Wu"),
    ]
    later = tmp_path / "later" / chat.name
    later.parent.mkdir()
    later.write_text(whatsapp([*grown, (9, "7:00 am", "Dana Wu")]))
    since = capture(cli, later, extra=("--since", "2026-12-08"))
    assert (since["read"], since["logged"]) == (1, 1)


@pytest.mark.one_engine
def test_suggestions_of_people_written_with_who_are_no_contacts(cli: Cli, tmp_path: Path):
    network(cli)
    chat = tmp_path / "WhatsApp Chat with +49 151 99988877.txt"
    number = "\u202a+49 151 99988877\u202c"
    chat.write_text(whatsapp([(0, "9:00 am", number), (0, "9:01 am", "Ann Example"), (1, "9:00 am", number)]))
    said = cli("capture", "chat", str(chat), "--as-of", AS_OF, "--dry-run").stderr
    assert "not a contact yet: +4915199988877 <whatsapp:+4915199988877>, 3 messages (1 sent)" in said
    summary = capture(cli, chat)
    assert summary["skipped"]["no_contact"] == 3
    assert summary["suggestions"] == [
        {
            "name": "+4915199988877",
            "handle": "whatsapp:+4915199988877",
            "email": None,
            "messages": 3,
            "sent": 1,
            "last": "2026-12-02",
            "command": "netcli add +4915199988877 --handle whatsapp:+4915199988877",
        }
    ]


@pytest.mark.one_engine
def test_foreign_and_damaged_files_and_who_you_are(cli: Cli, tmp_path: Path):
    chat = FIXTURES / "whatsapp" / "WhatsApp Chat with Dana Wu.txt"
    said = capture(cli, chat, code=1)["stderr"]
    assert "capture chat needs to know which messages are yours" in said
    assert "netcli config set me.names" in said and talks(cli) == []
    network(cli)
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\n")
    said = capture(cli, chat, notes, code=1)["stderr"]
    assert "notes.txt is not a chat export netcli reads; give a WhatsApp chat" in said
    assert (
        "is LinkedIn's data export; capture it with: netcli capture linkedin"
        in capture(cli, FIXTURES / "linkedin", code=1)["stderr"]
    )
    assert "does not exist" in capture(cli, tmp_path / "nothing.json", code=1)["stderr"]
    assert talks(cli) == []


# ---- the property: twice, or in two halves, is once ------------------------------------------------------------

ANN, DANA, LENA, SAM = 777000111, 5012345678, 6023456789, 6999999999
NAMES = {ANN: "Ann Example", DANA: "Dana Wu", LENA: "Lena Schmidt", SAM: "Sam Stranger"}


def telegram(chats: dict[str, tuple[str, int, list[tuple[int, int, int]]]]) -> str:
    """A Telegram Desktop account export: chat name -> (type, id, [(id, unix time, sender)])."""
    listed = []
    for name, (kind, ident, messages) in chats.items():
        listed.append(
            {
                "name": name,
                "type": kind,
                "id": ident,
                "messages": [
                    {"id": mid, "type": "message", "date": "2026-01-01T00:00:00", "date_unixtime": str(stamp),
                     "from": NAMES[sender], "from_id": f"user{sender}", "text": "hello"}
                    for mid, stamp, sender in messages
                ],
            }
        )  # fmt: skip
    return json.dumps({"about": "Here is the data you requested.", "chats": {"about": "", "list": listed}})


@st.composite
def exports(draw: st.DrawFn) -> dict[str, tuple[str, int, list[tuple[int, int, int]]]]:
    base = int(dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC).timestamp())
    chats = {}
    for name, kind, ident, people in (
        ("Dana Wu", "personal_chat", DANA, [ANN, DANA]),
        ("Study group", "private_group", 4000000001, [ANN, DANA, LENA, SAM]),
    ):
        times = sorted(draw(st.lists(st.integers(0, 6 * 86400), max_size=12)))
        chats[name] = (kind, ident, [(n + 1, base + t, draw(st.sampled_from(people))) for n, t in enumerate(times)])
    return chats


def _halves(chats: dict[str, Any], cut: int) -> tuple[dict[str, Any], dict[str, Any]]:
    first = {name: (kind, ident, messages[:cut]) for name, (kind, ident, messages) in chats.items()}
    second = {name: (kind, ident, messages[cut:]) for name, (kind, ident, messages) in chats.items()}
    return first, second


@pytest.mark.sqlite_only
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chats=exports(), cut=st.integers(0, 12))
def test_twice_or_in_two_halves_is_once(cli: Cli, tmp_path: Path, chats: dict[str, Any], cut: int):
    from netcli import store
    from netcli.capture.chats import capture_chat
    from netcli.config import load
    from netcli.db import open_database, resolve, session_scope

    if not cli.json("list"):
        network(cli)
        cli("add", "Lena S.", "--handle", f"telegram:{LENA}")
    config = load(Path(os.environ["NETCLI_CONFIG"]))
    whole, first, second = (tmp_path / f"{n}.json" for n in ("whole", "first", "second"))
    whole.write_text(telegram(chats))
    for path, half in zip((first, second), _halves(chats, cut), strict=True):
        path.write_text(telegram(half))

    def run(session: Any, *paths: Path) -> None:
        for path in paths:
            capture_chat(session, [path], config=config, today=dt.date(2026, 12, 20), since=None, warn=lambda _: None)

    def logged(session: Any) -> list[tuple[Any, ...]]:
        rows = store.interaction_dicts(session, kind="message")
        return sorted((i["date"], tuple(i["contacts"]), i["direction"], i["note"]) for i in rows)

    engine = open_database(resolve(None))
    try:
        found = []
        for paths in ((whole,), (whole, whole), (first, second), (second, first)):
            with session_scope(engine, write=True) as session:  # each inside one transaction, rolled back
                run(session, *paths)
                found.append(logged(session))
                session.rollback()
        assert found[1] == found[0] and found[2] == found[0] and found[3] == found[0]
    finally:
        engine.dispose()


@pytest.mark.one_engine
def test_a_quiet_community_asks_for_a_hello(cli: Cli, tmp_path: Path):
    network(cli)
    server = shutil.copytree(FIXTURES / "discord", tmp_path / "discord")
    cli("community", "add", "Rust Learners", "--kind", "community", "--chat", "discord:523331000000000001")
    cli("community", "edit", "Rust Learners", "--every", "2w")
    capture(cli, server)  # Ann's posts there on 2026-12-06
    posts = cli.json("community", "show", "Rust Learners")["activity"]
    assert [a["month"] for a in posts] == ["2026-12"]
    report = cli.json("report", "--month", "2026-12", "--as-of", AS_OF)  # where you were active
    assert report["communities"] == [{"name": "Rust Learners", "posts": posts[0]["posts"], "events": 0}]
    page = cli("report", "--month", "2026-12", "--as-of", AS_OF, "--format", "md").stdout
    assert f"## Where you were active\n\n- Rust Learners ({posts[0]['posts']} post" in page
    quiet = [n for n in cli.json("nudge", "--as-of", "2027-01-10", "--all") if n["rule"] == "community-quiet"]
    assert [n["action"] for n in quiet] == ["Say hello in Rust Learners (Discord)."]
    assert "you last took part 5 weeks ago (2026-12-06)" in quiet[0]["reason"]
    assert [n for n in cli.json("nudge", "--as-of", "2026-12-15", "--all") if n["rule"] == "community-quiet"] == []
    cli("event", "add", "Rust Learners meetup", "--on", "2027-01-08", "--community", "Rust Learners")
    after = cli.json("nudge", "--as-of", "2027-01-10", "--all")
    assert [n for n in after if n["rule"] == "community-quiet"] == []  # an event of it restarts the clock
