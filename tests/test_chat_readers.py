"""The chat export readers alone, no database: files as each app writes them
(tests/fixtures/chat, written by hand from the apps' writers and public
samples) in, plain keyed records out."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcli.capture import chat
from netcli.capture.chat import (
    CHANNEL,
    DIRECT,
    GROUP,
    Account,
    BadItem,
    ChatMessage,
    Connection,
    Invitation,
    Person,
    inputs,
    telegram,
    whatsapp,
)
from netcli.errors import Invalid

FIXTURES = Path(__file__).parent / "fixtures" / "chat"
UTC = dt.UTC


def records(path: Path) -> list[chat.Record]:
    return list(chat.read(path))


def messages(path: Path) -> list[ChatMessage]:
    return [r for r in records(path) if isinstance(r, ChatMessage)]


def bad(path: Path) -> list[BadItem]:
    return [r for r in records(path) if isinstance(r, BadItem)]


def zipped(folder: Path, target: Path, *, under: str = "", extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, under + path.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target


# --- WhatsApp ----------------------------------------------------------------------------


def test_whatsapp_android_day_first_twelve_hour_clock_read_from_the_whole_file():
    found = records(FIXTURES / "whatsapp" / "WhatsApp Chat with Dana Wu.txt")
    assert all(isinstance(r, ChatMessage) for r in found)
    got = [(m.when, m.sender.name if m.sender else None, m.system) for m in found]  # type: ignore[union-attr]
    assert got == [
        (dt.datetime(2026, 12, 6, 9, 14), None, True),  # the encryption notice: no sender
        (dt.datetime(2026, 12, 6, 9, 14), "Dana Wu", False),
        (dt.datetime(2026, 12, 6, 9, 15), "Ann Example", False),  # two lines, one message
        (dt.datetime(2026, 12, 6, 9, 15), "Ann Example", False),  # <Media omitted> is Ann's message
        (dt.datetime(2026, 12, 7, 18, 2), "Dana Wu", False),
        (dt.datetime(2026, 12, 14, 11, 30), "Dana Wu", False),  # 14/12 decides: day first, for every line
        (dt.datetime(2026, 12, 14, 12, 5), "Dana Wu", False),
    ]
    first = found[1]
    assert isinstance(first, ChatMessage)
    assert first.chat.id == "whatsapp:Dana Wu" and first.chat.name == "Dana Wu"
    assert (first.chat.kind, first.chat.participants, first.app) == (DIRECT, 2, "whatsapp")
    assert first.sender == Person(name="Dana Wu", own_name=True)  # the user's saved name for her
    assert first.when.tzinfo is None  # the phone's local time, read in [me] timezone
    assert len({m.key for m in found}) == len(found)  # two of Ann's in one minute: two keys


def test_whatsapp_ios_german_group_zipped_with_its_media(tmp_path: Path):
    export = tmp_path / "WhatsApp Chat - Rust Lernende.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.write(FIXTURES / "whatsapp" / "_chat.txt", "_chat.txt")
        archive.writestr("00000012-PHOTO-2026-12-06-09-16-00.jpg", b"\xff\xd8\xff\xe0 not text")
    found = messages(export)
    assert [m.system for m in found] == [True, True, False, False, False, False, False, True]
    chat_of = found[0].chat
    assert (chat_of.id, chat_of.kind, chat_of.participants) == ("whatsapp:Rust Lernende", GROUP, 4)
    senders = [m.sender for m in found if not m.system]
    assert senders[0] == Person(name="Anna Beispiel", own_name=True)
    assert senders[1] == Person(name="Jonas")  # "~ Jonas": the name he chose, not the user's
    assert senders[3] == Person(handle="whatsapp:+491701234567", phone="+491701234567")
    assert found[3].mentions == (Person(name="Anna Beispiel", own_name=True),)
    assert found[6].mentions == (Person(handle="whatsapp:+491701234567", phone="+491701234567"),)
    assert found[5].when == dt.datetime(2026, 12, 6, 9, 17, 45)  # the U+200E before the line is no damage
    # no day over 12, no AM/PM, and the lines run forward either way: day first, as Germans write
    assert found[-1].when == dt.datetime(2026, 12, 7, 10, 2)


def test_whatsapp_us_month_first_capital_am_pm():
    found = messages(FIXTURES / "whatsapp" / "WhatsApp Chat with Sam Lee.txt")
    assert [m.when for m in found] == [
        dt.datetime(2026, 12, 6, 21, 14),
        dt.datetime(2026, 12, 6, 21, 14),
        dt.datetime(2026, 12, 6, 21, 20),
        dt.datetime(2026, 12, 6, 0, 1),  # 12:01 AM
    ]


@pytest.mark.parametrize(
    ("lines", "first"),
    [
        # days and months all under 13: the order in which the messages run forward in time decides
        (["11/01/26, 10:00 - A: x", "12/01/26, 10:00 - B: y", "01/02/26, 10:00 - A: z"], dt.datetime(2026, 1, 11, 10)),
        (["01/11/26, 10:00 - A: x", "01/12/26, 10:00 - B: y", "02/01/26, 10:00 - A: z"], dt.datetime(2026, 1, 11, 10)),
        # a year first (Android in some locales), trailing dot after the time, Spanish "p. m."
        (["2026/12/06, 13:34. - A: x"], dt.datetime(2026, 12, 6, 13, 34)),
        (["9/24/2019 11:30 p. m. - A: x"], dt.datetime(2019, 9, 24, 23, 30)),
        (["[10.21.21, 15:21:45] A: x"], dt.datetime(2021, 10, 21, 15, 21, 45)),
        (["[01/01/19 11:25] A: x"], dt.datetime(2019, 1, 1, 11, 25)),
    ],
)
def test_whatsapp_date_shapes(tmp_path: Path, lines: list[str], first: dt.datetime):
    path = tmp_path / "chat.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert messages(path)[0].when == first


def test_whatsapp_damage_is_named_and_counted(tmp_path: Path):
    path = tmp_path / "WhatsApp Chat with X.txt"
    path.write_bytes(
        b"some preamble\n"
        b"14/12/26, 10:00 - A: x\n"
        b"31/13/26, 10:00 - A: a thirteenth month\n"
        b"14/12/26, 25:00 - B: a 25th hour\n"
        b"15/12/26, 10:00 - B: \xff\xfe not UTF-8\n"
    )
    found = records(path)
    assert [(r.where.rsplit(" ", 2)[-2:], r.error[:10]) for r in found if isinstance(r, BadItem)] == [
        (["line", "1"], "not a What"),
        (["line", "3"], "a date or "),
        (["line", "4"], "a date or "),
    ]
    assert len([r for r in found if isinstance(r, ChatMessage)]) == 2


def test_whatsapp_a_chat_without_whatsapps_name_is_named_by_its_file(tmp_path: Path):
    text = (FIXTURES / "whatsapp" / "WhatsApp Chat with Sam Lee.txt").read_text()
    (tmp_path / "notes.txt").write_text(text)
    assert {m.chat.id for m in messages(tmp_path / "notes.txt")} == {"whatsapp:notes"}
    (tmp_path / "Family").mkdir()
    (tmp_path / "Family" / "_chat.txt").write_text(text)
    assert {m.chat.id for m in messages(tmp_path / "Family")} == {"whatsapp:Family"}
    (tmp_path / "all" / "WhatsApp Chat - Rust Lernende").mkdir(parents=True)  # an iOS zip, unpacked
    (tmp_path / "all" / "WhatsApp Chat - Rust Lernende" / "_chat.txt").write_text(text)
    (tmp_path / "all" / "Family").mkdir()
    (tmp_path / "all" / "Family" / "_chat.txt").write_text(text)
    assert {m.chat.id for m in messages(tmp_path / "all")} == {"whatsapp:Rust Lernende", "whatsapp:Family"}


def test_whatsapp_keys_stand_for_the_chat_time_sender_and_ordinal(tmp_path: Path):
    one = tmp_path / "WhatsApp Chat with Dana Wu.txt"
    shutil.copy(FIXTURES / "whatsapp" / "WhatsApp Chat with Dana Wu.txt", one)
    keys = [m.key for m in messages(one)]
    assert keys == [m.key for m in messages(FIXTURES / "whatsapp" / "WhatsApp Chat with Dana Wu.txt")]
    # the same chat exported with its media: a text changes, the keys do not
    one.write_text(one.read_text().replace("<Media omitted>", "IMG-20261206-WA0001.jpg (file attached)"))
    assert [m.key for m in messages(one)] == keys
    # another chat: other keys
    other = tmp_path / "WhatsApp Chat with Sam Lee.txt"
    shutil.copy(one, other)
    assert not set(keys) & {m.key for m in messages(other)}


_CLOCKS = ["24", "12-lower", "12-upper", "12-nnbsp", "12-dots"]


def _render(
    when: dt.datetime, sender: str, *, shape: str, order: str, clock: str, long_year: bool, padded: bool = True
) -> str:
    year = f"{when.year}" if long_year else f"{when.year % 100:02d}"
    first, second = (when.day, when.month) if order == "dmy" else (when.month, when.day)
    sep = "." if shape == "ios" and order == "dmy" else "/"
    date = f"{first:02d}{sep}{second:02d}{sep}{year}" if padded else f"{first}{sep}{second}{sep}{year}"
    if clock == "24":
        time = f"{when:%H:%M}"
    else:
        hour = when.hour % 12 or 12
        half = "am" if when.hour < 12 else "pm"
        mark = {"12-lower": " " + half, "12-upper": " " + half.upper(), "12-nnbsp": "\u202f" + half}.get(clock)
        time = f"{hour}:{when:%M}" + (mark or (" a. m." if half == "am" else " p. m."))
    if shape == "ios":
        seconds = f":{when:%S}" if clock == "24" else ""
        return f"[{date}, {time}{seconds}] {sender}: hello"
    return f"{date}, {time} - {sender}: hello"


_names = st.text(st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=12).map(str.strip)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    times=st.lists(st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2099, 12, 31)), min_size=1, max_size=6),
    sender=_names.filter(bool),
    shape=st.sampled_from(["android", "ios"]),
    order=st.sampled_from(["dmy", "mdy"]),
    clock=st.sampled_from(_CLOCKS),
    long_year=st.booleans(),
    padded=st.booleans(),
)
def test_whatsapp_lines_round_trip_and_the_date_order_is_the_whole_files(
    tmp_path: Path, times, sender, shape, order, clock, long_year, padded
):
    """Any day over 12 anywhere decides the order for every line (a day of 13
    is put in to make it decidable), and each line reads back as written."""
    times = [t.replace(microsecond=0) for t in times] + [dt.datetime(2020, 5, 13, 8, 7, 6)]
    if shape == "android" or clock != "24":
        times = [t.replace(second=0) for t in times]
    lines = [
        _render(t, sender, shape=shape, order=order, clock=clock, long_year=long_year, padded=padded) for t in times
    ]
    path = tmp_path / "WhatsApp Chat with Someone.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = messages(path)
    assert [m.when for m in found] == times
    assert all(m.sender is not None and m.sender.name == sender.strip() for m in found)
    # the same lines in another order decide the same
    path.write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")
    assert [m.when for m in messages(path)] == list(reversed(times))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    script=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)), min_size=2, max_size=30),
    cut=st.integers(1, 29),
    order=st.sampled_from(["dmy", "mdy"]),
)
def test_whatsapp_an_export_in_two_halves_gives_the_keys_of_the_whole(tmp_path: Path, script, cut, order):
    """Split where the minute changes, each half keeps the keys the whole
    gives. (The key holds no text: a cut inside a minute in which someone
    wrote on both sides of it gives their later lines of that minute other
    keys. An export again later holds the earlier one whole: same keys.)"""
    when, lines, stamps = dt.datetime(2026, 3, 13, 9, 0), [], []
    for step, who in script:
        when += dt.timedelta(minutes=step)
        stamps.append((when, who))
        clock = "24" if order == "dmy" else "12-upper"  # each locale's own clock: halves decide alike
        lines.append(_render(when, f"Person {who}", shape="android", order=order, clock=clock, long_year=False))
    cut = min(cut, len(lines) - 1)
    if stamps[cut][0] == stamps[cut - 1][0]:
        return
    whole, first, second = (tmp_path / name for name in ("a", "b", "c"))
    for folder, part in ((whole, lines), (first, lines[:cut]), (second, lines[cut:])):
        folder.mkdir(exist_ok=True)
        (folder / "WhatsApp Chat with Group.txt").write_text("\n".join(part) + "\n", encoding="utf-8")
    keys = [m.key for m in messages(whole / "WhatsApp Chat with Group.txt")]
    halves = [m.key for f in (first, second) for m in messages(f / "WhatsApp Chat with Group.txt")]
    assert halves == keys


# --- Telegram ----------------------------------------------------------------------------


def test_telegram_one_chat_with_entities_replies_calls_and_telegrams_escapes():
    found = records(FIXTURES / "telegram" / "result.json")
    kept = [r for r in found if isinstance(r, ChatMessage)]
    assert [m.key for m in kept] == [f"telegram:user5012345678/{n}" for n in (101, 102, 103, 104)]
    call, thanks, reply, photo = kept
    assert call.system and call.sender == Person(handle="telegram:5012345678", name="Dana Wu")
    assert thanks.when == dt.datetime(2026, 12, 6, 9, 20, tzinfo=UTC)  # date_unixtime, not the local `date`
    assert not thanks.system  # its text held a "\x1B" escape, which JSON does not allow: read all the same
    assert reply.reply_to == "telegram:user5012345678/102"
    assert reply.mentions == (
        Person(handle="telegram:@lenaschmidt"),
        Person(handle="telegram:6023456789", name="Jonas"),
    )
    assert reply.chat.kind == DIRECT and reply.chat.participants == 2 and reply.chat.name == "Dana Wu"
    assert not photo.system
    # the unsupported message (id only) is left out; the one without a date is bad, named by chat and id
    assert [(b.where.rsplit(": ", 1)[-1], b.error) for b in found if isinstance(b, BadItem)] == [
        ("chat 1 message 106", "no id or no readable date")
    ]


def test_telegram_whole_account_export():
    found = records(FIXTURES / "telegram" / "account.json")
    accounts = [r for r in found if isinstance(r, Account)]
    assert [a.person.handle for a in accounts] == ["telegram:777000111", "telegram:@annexample"]
    assert accounts[0].person.phone == "+491512345678"
    kept = [r for r in found if isinstance(r, ChatMessage)]
    chats = {m.chat.id: m.chat for m in kept}
    assert {(c.id, c.kind, c.name) for c in chats.values()} == {
        ("telegram:user777000111", DIRECT, None),  # saved messages
        ("telegram:user5012345678", DIRECT, "Dana Wu"),
        ("telegram:channel1456789012", GROUP, 'Rust Learners "Berlin" {messages: []}'),
        ("telegram:channel1300000001", CHANNEL, "Rust Weekly"),
        ("telegram:channel1456789099", GROUP, "Old Meetup"),  # from left_chats
    }
    by_key = {m.key: m for m in kept}
    assert by_key["telegram:user777000111/1"].system  # notes to oneself are nobody's conversation
    assert by_key["telegram:channel1456789012/1"].system  # invite_members
    assert not by_key["telegram:channel1456789012/2"].system  # its text holds "messages": [ , escaped
    assert by_key["telegram:channel1456789012/3"].sender == Person(handle="telegram:6222222222")  # a deleted account
    assert by_key["telegram:channel1300000001/55"].sender == Person(name="Rust Weekly")  # the channel itself
    assert by_key["telegram:user5012345678/8"].reply_to == "telegram:user5012345678/7"
    assert not [r for r in found if isinstance(r, BadItem)]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64, 1000])
def test_telegram_chunks_cut_anywhere_read_the_same(monkeypatch: pytest.MonkeyPatch, chunk: int):
    expected = {name: records(FIXTURES / "telegram" / name) for name in ("result.json", "account.json")}
    monkeypatch.setattr(telegram, "CHUNK", chunk)
    monkeypatch.setattr(telegram, "_KEEP", 2500)
    for name, wanted in expected.items():
        assert records(FIXTURES / "telegram" / name) == wanted


def test_telegram_damage_midway_keeps_what_came_before(tmp_path: Path):
    text = (FIXTURES / "telegram" / "account.json").read_text()
    path = tmp_path / "result.json"
    path.write_text(text[: text.index('"id": 3,')] + "{{{ broken")
    found = records(path)
    assert [m.key for m in found if isinstance(m, ChatMessage)][-1] == "telegram:channel1456789012/2"
    assert isinstance(found[-1], BadItem) and "damaged JSON" in found[-1].error
    assert found[-1].where.endswith("after chat 3 message 2")


def test_telegram_a_chat_whose_head_is_not_where_telegram_writes_it_is_counted_bad(tmp_path: Path):
    path = tmp_path / "result.json"
    text = (FIXTURES / "telegram" / "account.json").read_text()
    path.write_text(text.replace('"type": "public_channel",\n    "id": 1300000001,', '"id": 1300000001, "type": "x",'))
    found = records(path)
    assert "telegram:channel1300000001/55" not in {m.key for m in found if isinstance(m, ChatMessage)}
    assert [b.error for b in found if isinstance(b, BadItem)] == [
        "1 messages in chats without a readable name, type and id"
    ]


def _telegram_chat(ids: list[int]) -> str:
    messages_json = ",\n".join(
        json.dumps(
            {
                "id": i,
                "type": "message",
                "date": "2026-12-06T10:00:00",
                "date_unixtime": str(1796548800 + 60 * i),
                "from": "Dana",
                "from_id": "user42",
                "text": "hi",
            }
        )
        for i in ids
    )
    return f'{{\n "name": "Dana",\n "type": "personal_chat",\n "id": 42,\n "messages": [\n{messages_json}\n ]\n}}\n'


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(1, 40), data=st.data())
def test_telegram_an_export_in_two_halves_gives_the_keys_of_the_whole(tmp_path: Path, count: int, data):
    cut = data.draw(st.integers(0, count))
    ids = list(range(1, count + 1))
    keys = []
    for part in (ids, ids[:cut], ids[cut:]):
        path = tmp_path / "result.json"
        path.write_text(_telegram_chat(part))
        keys.append([m.key for m in messages(path)])
    assert keys[1] + keys[2] == keys[0]


# --- Slack -------------------------------------------------------------------------------


def _slack_expected(found: list[chat.Record]) -> None:
    kept = {m.key: m for m in found if isinstance(m, ChatMessage)}
    root = kept["slack:C0GENERAL/1796548443.000200"]
    assert root.chat.id == "slack:C0GENERAL" and root.chat.name == "general"
    assert (root.chat.kind, root.chat.participants) == (CHANNEL, 4)
    assert root.sender == Person(
        handle="slack:T0123ABCD/U0ANN", name="Ann Example", email="ann@example.org"
    )  # from users.json, with the email
    assert root.mentions[0].handle == "slack:T0123ABCD/U0DANA" and root.mentions[0].phone == "+491702222222"
    assert root.thread == "slack:C0GENERAL/1796548443.000200" and root.reply_to is None
    reply = kept["slack:C0GENERAL/1796548900.000400"]
    assert reply.reply_to == reply.thread == root.key
    assert reply.sender == Person(handle="slack:T0123ABCD/U0MIA", name="Mia Chen")  # user_profile: not in users.json
    assert kept["slack:C0GENERAL/1796548000.000100"].system  # channel_join
    assert kept["slack:C0GENERAL/1796551200.000500"].system  # a bot
    assert kept["slack:C0GENERAL/1796551300.000600"].system  # Slackbot
    dm = kept["slack:D0ANNDANA/1796560000.000100"]
    assert (dm.chat.kind, dm.chat.participants, dm.when) == (DIRECT, 2, dt.datetime(2026, 12, 6, 12, 26, 40, 100, UTC))
    assert not kept["slack:D0ANNDANA/1796560100.000200"].system  # a file shared is a message
    assert kept["slack:G0MPIM/1796630400.000100"].chat.kind == GROUP
    assert sorted(b.where.rsplit(": ", 1)[-1] for b in found if isinstance(b, BadItem)) == [
        "D0ANNDANA/2026-12-06.json message 3",
        "general/2026-12-07.json",
        "general/2026-12-08.json",
    ]


def test_slack_export_folder():
    _slack_expected(records(FIXTURES / "slack"))


def test_slack_export_zip_as_slack_gives_it(tmp_path: Path):
    _slack_expected(records(zipped(FIXTURES / "slack", tmp_path / "Rust Learners Slack export Dec 8 2026.zip")))


def test_slack_a_damaged_index_is_bad_and_the_messages_are_read_all_the_same(tmp_path: Path):
    shutil.copytree(FIXTURES / "slack", tmp_path / "slack")
    (tmp_path / "slack" / "users.json").write_text('[{"id": "U1", "team_id": "T1", "real_name": "x"}')
    found = records(tmp_path / "slack")
    assert next(b.where.rsplit(": ", 1)[-1] for b in found if isinstance(b, BadItem)) == "users.json"
    kept = {m.key: m for m in found if isinstance(m, ChatMessage)}
    assert kept["slack:C0GENERAL/1796548443.000200"].sender == Person(
        handle="slack:T0123ABCD/U0ANN", name="Ann Example"
    )


# --- Discord -----------------------------------------------------------------------------


def test_discord_chat_exporter_channels_threads_and_direct_messages():
    found = records(FIXTURES / "discord")
    kept = {m.key.rsplit("/", 1)[1]: m for m in found if isinstance(m, ChatMessage)}
    asked, answer = kept["1181000000000000002"], kept["1181000000000000003"]
    assert asked.sender == Person(handle="discord:80351110224678912", name="Ann")  # the server nickname
    assert asked.mentions == (Person(handle="discord:90351110224678913", name="Dana W."),)
    assert asked.when == dt.datetime(2026, 12, 6, 9, 14, 3, 500000, UTC)
    assert answer.reply_to == asked.key and not answer.system
    assert (asked.chat.id, asked.chat.kind, asked.chat.name) == ("discord:523331000000000001", CHANNEL, "general")
    assert kept["1181000000000000001"].system  # a join
    assert kept["1181000000000000004"].system  # a bot
    assert kept["1181000000000000005"].reply_to is None  # a forward is no reply
    assert kept["1181000000000000006"].system  # a pin
    carpool = kept["1181000000000000101"]  # a thread's messages belong to its channel
    assert carpool.chat.id == "discord:523331000000000001" and carpool.thread == "discord:1181000000000000100"
    direct = kept["1182000000000000001"]
    assert (direct.chat.kind, direct.chat.participants) == (DIRECT, 2) and kept["1182000000000000002"].system
    assert [b.where.rsplit(" ", 2)[-2:] for b in found if isinstance(b, BadItem)] == [["message", "7"]]


def test_discord_damage_midway_keeps_what_came_before(tmp_path: Path):
    source = FIXTURES / "discord" / "Direct Messages - danawu [912345678901234567].json"
    text = source.read_text()
    path = tmp_path / "dm.json"
    path.write_text(text[: text.index('"id": "1182000000000000003"')] + "!!")
    found = records(path)
    assert len([m for m in found if isinstance(m, ChatMessage)]) == 2
    assert isinstance(found[-1], BadItem) and "after message 2" in found[-1].where


# --- Google Chat -------------------------------------------------------------------------


def test_google_chat_takeout(tmp_path: Path):
    for path in (
        FIXTURES / "googlechat",
        zipped(FIXTURES / "googlechat", tmp_path / "takeout-1.zip", under="Takeout/"),
    ):
        found = records(path)
        assert [a.person.email for a in found if isinstance(a, Account)] == ["ann@example.org"]
        kept = {m.key: m for m in found if isinstance(m, ChatMessage)}
        first = kept["googlechat:k6oxHQAAAAE/LqFDi4ScZAQ/LqFDi4ScZAQ"]
        assert first.sender == Person(name="Dana Wu", email="dana@example.org")
        assert first.when == dt.datetime(2026, 12, 6, 9, 14, 3, tzinfo=UTC)  # "9:14:03\u202fAM UTC"
        assert (first.chat.id, first.chat.kind, first.chat.participants) == ("googlechat:k6oxHQAAAAE", DIRECT, 2)
        space = kept["googlechat:AAAAFyOfy4w/T1/T1"]
        assert (space.chat.name, space.chat.kind, space.chat.participants) == ("Rust study group", GROUP, 3)
        assert space.mentions == (Person(name="Ann Example", email="ann@example.org"),)
        reply = kept["googlechat:AAAAFyOfy4w/T1/R2"]
        assert reply.thread == reply.reply_to == space.key
        assert kept["googlechat:AAAAFyOfy4w/T2/T2"].system  # a bot; its date in German
        assert kept["googlechat:AAAAFyOfy4w/T2/T2"].when == dt.datetime(2026, 12, 7, 18, 10, tzinfo=UTC)
        assert [b.where.rsplit(" ", 2)[-2:] for b in found if isinstance(b, BadItem)] == [["message", "3"]]


def test_google_chat_a_group_info_that_is_a_link_is_not_followed(tmp_path: Path):
    folder = tmp_path / "Space X"
    folder.mkdir()
    shutil.copy(FIXTURES / "googlechat" / "Google Chat" / "Groups" / "Space AAAAFyOfy4w" / "messages.json", folder)
    (folder / "group_info.json").symlink_to(tmp_path / "elsewhere.json")
    (tmp_path / "elsewhere.json").write_text('{"name": "Somewhere else"}')
    found = records(folder / "messages.json")
    assert {m.chat.name for m in found if isinstance(m, ChatMessage)} == {None}
    assert [b.error for b in found if isinstance(b, BadItem)] == ["not Google Chat's group_info.json"]


def test_google_chat_messages_json_named_alone_reads_its_group_info():
    found = messages(FIXTURES / "googlechat" / "Google Chat" / "Groups" / "Space AAAAFyOfy4w" / "messages.json")
    assert {(m.chat.id, m.chat.name, m.chat.kind) for m in found} == {
        ("googlechat:AAAAFyOfy4w", "Rust study group", GROUP)
    }


# --- LinkedIn ----------------------------------------------------------------------------


def test_linkedin_data_export(tmp_path: Path):
    for path in (FIXTURES / "linkedin", zipped(FIXTURES / "linkedin", tmp_path / "Basic_LinkedInDataExport.zip")):
        found = records(path)
        connections = [r for r in found if isinstance(r, Connection)]
        assert next((c.name, c.company, c.position, c.connected_on) for c in connections) == (
            "Keiko Sato", "Mercari", "ML engineer", dt.date(2026, 11, 28),
        )  # fmt: skip
        assert connections[0].url == "https://www.linkedin.com/in/keikosato"
        invitations = [r for r in found if isinstance(r, Invitation)]
        assert [(i.person.name, i.direction, i.when) for i in invitations] == [
            ("Keiko Sato", "incoming", dt.datetime(2026, 11, 28, 18, 2)),
            ("Lena Schmidt", "outgoing", dt.datetime(2026, 12, 1, 9, 15)),
        ]
        assert invitations[1].person.handle == "linkedin:https://www.linkedin.com/in/lena-schmidt-42"
        kept = [m for m in found if isinstance(m, ChatMessage)]
        assert [m.sender.name for m in kept if m.sender] == ["Keiko Sato", "Ann Example", "Farid Haddad", "Sponsored"]
        keiko, ann, farid, spam = kept
        assert ann.sender is not None and ann.sender.handle == "linkedin:https://www.linkedin.com/in/ann-example/"
        assert keiko.chat is ann.chat and (keiko.chat.kind, keiko.chat.participants) == (DIRECT, 2)
        assert (farid.chat.kind, farid.chat.participants, farid.chat.name) == (GROUP, 3, "Rust Meetup organisers")
        assert spam.system and not ann.system  # the draft is no message at all
        assert keiko.when == dt.datetime(2026, 12, 6, 9, 14, 3, tzinfo=UTC)
        assert [b.where.rsplit(": ", 1)[-1] for b in found if isinstance(b, BadItem)] == [
            "Invitations.csv line 4",
            "messages.csv line 8",  # the multi-line message before it counts its lines
        ]


# --- what a path holds, and what is refused ----------------------------------------------


def test_the_format_comes_from_the_content_not_the_name(tmp_path: Path):
    disguised = tmp_path / "result.json"
    shutil.copy(FIXTURES / "whatsapp" / "WhatsApp Chat with Sam Lee.txt", disguised)
    assert chat.open_export(disguised).apps == ["whatsapp"]
    telegram_as_txt = tmp_path / "notes.txt"
    shutil.copy(FIXTURES / "telegram" / "result.json", telegram_as_txt)
    assert chat.open_export(telegram_as_txt).apps == ["telegram"]


@pytest.mark.parametrize(
    "content",
    [b"", b"hello\n", b'{"messages": [1, 2]}', b"[1, 2, 3]", b"First,Last\nA,B\n", b"\x00\x01\x02", b"PK\x03\x04junk"],
)
def test_a_file_that_is_no_chat_export_is_refused_naming_it_and_the_formats(tmp_path: Path, content: bytes):
    path = tmp_path / "export.json"
    path.write_bytes(content)
    with pytest.raises(Invalid) as caught:
        records(path)
    assert str(path) in str(caught.value)
    assert "damaged zip" in str(caught.value) or "WhatsApp" in str(caught.value)


def test_an_empty_folder_and_a_missing_path_are_refused(tmp_path: Path):
    with pytest.raises(Invalid, match="not a chat export"):
        records(tmp_path)
    with pytest.raises(Invalid, match="does not exist"):
        records(tmp_path / "nope.zip")


def test_a_folder_of_several_exports_reads_them_all(tmp_path: Path):
    shutil.copytree(FIXTURES / "whatsapp", tmp_path / "wa")
    shutil.copy(FIXTURES / "telegram" / "result.json", tmp_path / "result.json")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    export = chat.open_export(tmp_path)
    assert sorted(export.apps) == ["telegram", "whatsapp"]
    chats = Counter(m.chat.id for m in export.records() if isinstance(m, ChatMessage))
    assert set(chats) == {
        "telegram:user5012345678",
        "whatsapp:Dana Wu",
        "whatsapp:Sam Lee",
        "whatsapp:Rust Lernende",
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_never_hangs_the_read(tmp_path: Path):
    fifo = tmp_path / "result.json"
    os.mkfifo(fifo)
    with pytest.raises(Invalid, match="not a regular file"):
        records(fifo)
    folder = tmp_path / "export"
    shutil.copytree(FIXTURES / "whatsapp", folder)
    os.mkfifo(folder / "WhatsApp Chat with Nobody.txt")
    assert len(messages(folder)) == 19  # the FIFO inside is left alone


def test_links_are_not_followed_out_of_a_folder(tmp_path: Path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "chat.txt").symlink_to(FIXTURES / "whatsapp" / "WhatsApp Chat with Sam Lee.txt")
    with pytest.raises(Invalid, match="not a chat export"):
        records(folder)


def test_zip_members_that_leave_the_archive_or_are_bombs(tmp_path: Path):
    path = tmp_path / "export.zip"
    text = (FIXTURES / "whatsapp" / "WhatsApp Chat with Sam Lee.txt").read_bytes()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../../evil/WhatsApp Chat with Evil.txt", text)
        archive.writestr("/abs/WhatsApp Chat with Abs.txt", text)
        archive.writestr("WhatsApp Chat with Sam Lee.txt", text)
        archive.writestr("bomb \x1b[31m.txt", text + b"\n" * (3 * 2**20))
    found = records(path)
    assert {m.chat.id for m in found if isinstance(m, ChatMessage)} == {"whatsapp:Sam Lee"}
    [bomb] = [b for b in found if isinstance(b, BadItem)]
    assert "zip bomb" in bomb.error and "\x1b" not in bomb.where and "\\x1b" in bomb.where


def test_a_member_over_the_cap_is_bad_and_a_file_named_alone_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setattr(whatsapp, "MAX_TEXT", 100)
    folder = tmp_path / "export"
    shutil.copytree(FIXTURES / "whatsapp", folder)
    found = records(folder)
    assert len([b for b in found if isinstance(b, BadItem) and "larger than" in b.error]) == 3
    with pytest.raises(Invalid, match="larger than"):
        records(folder / "_chat.txt")


def test_shown_escapes_what_could_steer_a_terminal():
    assert inputs.shown("a\x1b[2Jb\u202ec\nd") == "a\\x1b[2Jb\\u202ec\\nd"  # as every terminal writer shows it
    assert inputs.shown("x" * 100, 10) == "x" * 9 + "…"


# --- damage and odd values, app by app ---------------------------------------------------


def _google_group(tmp_path: Path, messages_json: str, info: str | None = '{"members": []}') -> Path:
    folder = tmp_path / "Google Chat" / "Groups" / "DM abc"
    folder.mkdir(parents=True)
    (folder / "messages.json").write_text(messages_json)
    if info is not None:
        (folder / "group_info.json").write_text(info)
    return tmp_path / "Google Chat"


def test_google_chat_odd_messages_and_damage(tmp_path: Path):
    ann = '{"name": "Ann", "email": "ann@example.org", "user_type": "Human"}'
    text = (
        '{"messages": [\n'
        f'{{"creator": {ann}, "created_date": "Monday, December 7, 2026 at 12:05:00 AM UTC", "topic_id": "t"}},\n'
        f'{{"creator": {ann}, "created_date": "Monday, December 7, 2026 at 12:05:00 PM UTC", "message_id": "abc/t/u", "topic_id": "t"}},\n'
        f'{{"creator": {ann}, "created_date": "Monday, Smarch 7, 2026 at 1:05:00 PM"}},\n'
        f'{{"creator": {ann}, "created_date": "Monday, February 30, 2026 at 1:05:00 PM"}},\n'
        f'{{"creator": {{"name": ""}}, "created_date": "Monday, December 7, 2026 at 13:05:00"}},\n'
        '"not a message",\n'
        "{{ broken"
    )
    found = records(_google_group(tmp_path, text, info="not json"))
    kept = [m for m in found if isinstance(m, ChatMessage)]
    assert [m.when for m in kept] == [
        dt.datetime(2026, 12, 7, 0, 5, tzinfo=UTC),
        dt.datetime(2026, 12, 7, 12, 5, tzinfo=UTC),
        dt.datetime(2026, 12, 7, 13, 5),  # no zone written: naive
    ]
    assert kept[0].key.startswith("googlechat:abc/no-id-") and kept[1].reply_to == "googlechat:abc/t/t"
    assert kept[2].system and kept[2].sender is None  # nobody named
    assert [b.error[:22] for b in found if isinstance(b, BadItem)] == [
        "not Google Chat's grou",
        "no readable created_da",
        "no readable created_da",
        "not a message",
        "damaged JSON, the rest",
    ]


def test_google_chat_a_damaged_user_info_is_left_alone(tmp_path: Path):
    root = _google_group(tmp_path, '{"messages": []}')
    (root / "Users" / "User 1").mkdir(parents=True)
    (root / "Users" / "User 1" / "user_info.json").write_text("{")
    assert records(root) == []


def test_discord_odd_messages(tmp_path: Path):
    path = tmp_path / "export.json"
    path.write_text('{"guild": {"id": "1", "name": "G"}, "channel": {"name": "no id"}, "messages": []}')
    assert [b.error for b in bad(path)] == ["no channel id in the export's head"]
    path.write_text(
        '{"guild": {"id": "1"}, "channel": {"id": "2", "type": "DirectGroupTextChat"}, "messages": ['
        '"x", {"id": "3", "timestamp": "2026-12-06T10:00:00+01:00", "type": "20", "author": {"id": "4", "isBot": false}},'
        '{"id": "5", "timestamp": "2026-13-06T10:00:00+01:00"}, {"id": "6", "timestamp": "2026-12-06T10:00:00Z",'
        ' "author": "nobody", "mentions": "none", "reference": {"type": "Default", "messageId": "3"}}]}'
    )
    found = records(path)
    kept = [m for m in found if isinstance(m, ChatMessage)]
    assert [(m.chat.kind, m.system, m.sender) for m in kept] == [
        (GROUP, False, Person(handle="discord:4")),  # a command's number: the author's
        (GROUP, True, None),  # no type, no author: nobody's
    ]
    assert kept[1].reply_to == "discord:2/3"
    assert len([b for b in found if isinstance(b, BadItem)]) == 2


def test_linkedin_damaged_rows_and_files(tmp_path: Path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "messages.csv").write_text(
        "CONVERSATION ID,FROM,SENDER PROFILE URL,RECIPIENT PROFILE URLS,DATE,FOLDER\n"
        "c1,Keiko,https://WWW.LinkedIn.com/in/keiko/?trk=x,not a url,2026-12-06T09:14:03+01:00,INBOX\n"
        "c1,Keiko,,,2026-12-06 09:15:00,INBOX,extra\n"
        "\n"
        'c2,Ana,,,"2026-12-06 09:16:00",' + '"' + "x" * 200_000 + '"\n'
    )
    (folder / "Connections.csv").write_bytes(b"First Name,Last Name,URL,Connected On\nA,\xff,u,28 Nov 2026\n")
    (folder / "Invitations.csv").write_text(
        "From,To,Sent At,Message,Direction\nX,Y,2026-12-01 09:15:00 UTC,hi,INCOMING\n"
    )
    found = records(folder)
    kept = [m for m in found if isinstance(m, ChatMessage)]
    assert len(kept) == 1  # the URL as written: matching compares identity.url_key of it
    assert kept[0].sender == Person(handle="linkedin:https://WWW.LinkedIn.com/in/keiko/?trk=x", name="Keiko")
    assert kept[0].when == dt.datetime(2026, 12, 6, 8, 14, 3, tzinfo=UTC)
    assert kept[0].chat.participants == 2  # a recipient without a readable URL counts too
    [invitation] = [r for r in found if isinstance(r, Invitation)]
    assert invitation.person == Person(name="X") and invitation.when.tzinfo == UTC
    assert sorted(b.where.rsplit(": ", 1)[-1] + " " + b.error[:12] for b in found if isinstance(b, BadItem)) == [
        "Connections.csv not UTF-8 te",
        "messages.csv line 3 expected 6 c",
        "messages.csv line 5 damaged CSV ",
    ]
    assert chat.linkedin.profile("   ") is None and chat.linkedin.profile("/in/x") is None
    assert chat.linkedin.profile("https://[www.linkedin.com/in/x") is None  # urlsplit's ValueError


def test_telegram_replies_to_another_chat_and_odd_values(tmp_path: Path):
    path = tmp_path / "result.json"
    path.write_text(
        '{"name": null, "type": "weird_type", "id": 7, "messages": [\n'
        '{"id": 1, "type": "message", "date": "2026-12-06T10:00:00", "from": null, "from_id": "user12x",'
        ' "reply_to_message_id": 5, "reply_to_peer_id": "channel99", "text": [{"type": "mention", "text": "@"},'
        ' {"type": "mention_name", "text": "A", "user_id": true}, "plain"]},\n'
        '{"id": 2, "type": "message", "date_unixtime": "99999999999999999999", "from_id": 5, "from": "X"},\n'
        '{"id": 3, "type": "message", "date_unixtime": "1796548800", "actor": "x", "reply_to_message_id": 1,'
        ' "reply_to_peer_id": "odd9"}\n'
        "]}"
    )
    found = records(path)
    first, third = [m for m in found if isinstance(m, ChatMessage)]
    assert (first.chat.id, first.chat.kind, first.chat.name) == ("telegram:peer7", GROUP, None)
    assert first.when == dt.datetime(2026, 12, 6, 10, 0)  # an old export: local time only
    assert first.reply_to == "telegram:channel99/1".replace("/1", "/5") and first.mentions == ()
    assert first.sender == Person(handle=None, name=None)
    assert third.reply_to == "telegram:peer9/1" and third.sender is None
    assert [b.where.rsplit(": ", 1)[-1] for b in found if isinstance(b, BadItem)] == ["chat 1 message 2"]


def test_telegram_personal_information_that_is_not_an_object(tmp_path: Path):
    path = tmp_path / "result.json"
    text = (FIXTURES / "telegram" / "account.json").read_text()
    start = text.index('"personal_information": {')
    end = text.index("},", start) + 1
    path.write_text(text[:start] + '"personal_information": "hidden"' + text[end:])
    assert not [r for r in records(path) if isinstance(r, Account)]


def test_inputs_odd_members(tmp_path: Path):
    folder = tmp_path / "export"
    (folder / "deep").mkdir(parents=True)
    (folder / ".hidden.txt").write_text("06/12/26, 9:14 am - A: x\n")
    (folder / "linked").symlink_to(FIXTURES / "whatsapp")
    deep = folder
    for level in range(inputs.MAX_DEPTH + 2):
        deep = deep / f"d{level}"
    deep.mkdir(parents=True)
    (deep / "chat.txt").write_text("06/12/26, 9:14 am - A: x\n")
    with pytest.raises(Invalid, match="not a chat export"):  # hidden, linked and too deep: none read
        records(folder)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as made:
        made.writestr("__MACOSX/._chat.txt", b"06/12/26, 9:14 am - A: x\n")
        made.writestr("sub/", b"")
        made.writestr("C:evil.txt", b"06/12/26, 9:14 am - A: x\n")
        made.writestr("a\x00b.txt", b"06/12/26, 9:14 am - A: x\n")
        made.writestr("big.txt", b"06/12/26, 9:14 am - A: x\n")
    export = chat.open_export(archive)
    assert export.source.names() == ["a", "big.txt"]  # zipfile reads a name up to its NUL
    with pytest.raises(Invalid, match="larger than"):
        export.source.open("big.txt", cap=5)
    export.close()


def test_a_named_file_that_cannot_be_opened_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "result.json"
    shutil.copy(FIXTURES / "telegram" / "result.json", path)
    real_open = os.open

    def refuse(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(target) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(target, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(Invalid, match=r"cannot read .*Permission denied"):
        records(path)


_SINGLE_FILES = [
    FIXTURES / "whatsapp" / "WhatsApp Chat with Dana Wu.txt",
    FIXTURES / "whatsapp" / "_chat.txt",
    FIXTURES / "telegram" / "result.json",
    FIXTURES / "telegram" / "account.json",
    FIXTURES / "discord" / "Direct Messages - danawu [912345678901234567].json",
    FIXTURES / "linkedin" / "messages.csv",
    FIXTURES / "linkedin" / "Invitations.csv",
    FIXTURES / "googlechat" / "Google Chat" / "Groups" / "Space AAAAFyOfy4w" / "messages.json",
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=st.sampled_from(_SINGLE_FILES),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), st.binary(max_size=12)), min_size=1, max_size=4),
)
def test_damaged_exports_never_end_in_a_traceback(tmp_path: Path, source: Path, cuts):
    """Bytes cut out and put in anywhere: records, bad items, or `Invalid`
    naming the file; never another exception."""
    data = bytearray(source.read_bytes())
    for where, length, inserted in cuts:
        at = int(where * len(data))
        data[at : at + length] = inserted
    path = tmp_path / source.name
    path.write_bytes(bytes(data) + b"\x1b[2J")
    try:
        found = records(path)
    except Invalid as exc:
        assert str(path) in str(exc)
        return
    for record in found:
        if isinstance(record, BadItem):  # named, and nothing of the file's own bytes that could steer a terminal
            assert str(path) in record.where and record.error
            assert (record.where + record.error).isprintable()


@pytest.mark.parametrize(
    "nest",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b'[" ] ",' * 30_000 + b"1" + b"]" * 30_000,
    ],
)
def test_deep_nesting_is_damage_not_gigabytes(tmp_path: Path, nest: bytes):
    """ijson's own prefixes of 100,000 levels take gigabytes (this ran out of
    memory); nesting is counted, and past what an app writes it is damage."""
    head = b'{\n "name": "x",\n "type": "personal_chat",\n "id": 1,\n "messages": [\n'
    ok = b'{"id": 1, "type": "message", "date_unixtime": "1796548800", "from_id": "user2", "text": "hi"}'
    for name, data in (
        ("result.json", head + ok + b"," + nest + b"," + ok.replace(b'"id": 1', b'"id": 2') + b"]}"),
        ("dc.json", b'{"guild": {"id": "1"}, "channel": {"id": "2"}, "messages": [' + nest + b"]}"),
        ("lead.json", nest),  # not even an export: refused by what its first bytes hold
    ):
        path = tmp_path / name
        path.write_bytes(data)
        if name == "lead.json":
            with pytest.raises(Invalid, match="not a chat export"):
                records(path)
            continue
        found = records(path)
        kept = [m.key for m in found if isinstance(m, ChatMessage)]
        assert kept == (["telegram:user1/1"] if name == "result.json" else [])
        assert any(isinstance(b, BadItem) and ("nested more than" in b.error or "damaged" in b.error) for b in found)
    slack = tmp_path / "slack"
    shutil.copytree(FIXTURES / "slack", slack)
    (slack / "general" / "2026-12-09.json").write_bytes(nest)
    assert any(b.where.endswith("general/2026-12-09.json") for b in bad(slack))


def test_a_message_full_of_brackets_is_read_all_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Brackets in texts count too: past the count, the careful reader takes
    over where the fast one stopped, and nothing is read twice or lost."""
    text = (FIXTURES / "telegram" / "account.json").read_text()
    path = tmp_path / "result.json"
    path.write_text(text.replace('"text": "hello"', '"text": "' + "[{" * 3000 + '"', 1))
    assert records(path) == records(FIXTURES / "telegram" / "account.json")
