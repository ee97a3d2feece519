"""Chat handles on contacts (issue 30, item 1): `add/edit --handle`, `edit
--remove-handle`, the `handles` JSON key, `show`, WHO by handle, every
export and import, merge, `db check`, `[me] handles` and `[me] names`, and
the one normaliser behind them (`identity.handle_key`)."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcli.config import ConfigError, parse_setting, validate
from netcli.errors import BadValue
from netcli.identity import HANDLE_KINDS, handle_key, kind_of
from netcli.store.clean import clean_handle
from netcli.store.resolve import People


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("telegram:@Ana_Lima", "telegram:@ana_lima"),
        ("Telegram: https://t.me/AnaLima", "telegram:@analima"),
        ("telegram:0123456789", "telegram:123456789"),
        ("whatsapp:+49 170 1234567", "whatsapp:+491701234567"),
        ("whatsapp:0049 170 1234567", "whatsapp:+491701234567"),
        ("signal:Ana.42", "signal:ana.42"),
        ("slack:t0123abc/u0456def", "slack:T0123ABC/U0456DEF"),
        ("slack:U0456DEF", "slack:U0456DEF"),
        ("discord:80351110224678912", "discord:80351110224678912"),
        ("linkedin:https://www.LinkedIn.com/in/Ana-Lima/?trk=x", "linkedin:linkedin.com/in/ana-lima"),
        ("linkedin:ana-lima", "linkedin:linkedin.com/in/ana-lima"),
        ("mastodon:https://Hachyderm.io/@Ana", "mastodon:@ana@hachyderm.io"),
        ("mastodon:ana@fosstodon.org", "mastodon:@ana@fosstodon.org"),
        ("matrix:@Ana:Matrix.org", "matrix:@ana:matrix.org"),
        ("github:https://github.com/Octo-Cat/", "github:octo-cat"),
        ("other:Skype  ana.lima", "other:Skype ana.lima"),
    ],
)
def test_each_kind_is_normalised_as_matching_compares_it(typed, stored):
    assert clean_handle(typed) == stored == handle_key(stored)  # a stored handle is its own key


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("ana", "is not a handle (expected KIND:VALUE, KIND one of telegram"),
        ("icq:12345", "is not a handle"),
        ("telegram:@a b", "is not a telegram handle (expected e.g. telegram:@name"),
        ("discord:ana", "is not a discord handle (expected e.g. discord:80351110224678912"),
        ("linkedin:https://example.org/in/ana", "is not a linkedin handle"),
        ("whatsapp:0170 1234567", "without its country: write it with + (e.g. whatsapp:+491701234567)"),
        ("slack:general", "is not a slack handle"),
        ("github:-bad-", "is not a github handle"),
    ],
)
def test_a_handle_that_cannot_be_read_is_refused_saying_how(typed, said):
    with pytest.raises(BadValue) as caught:
        clean_handle(typed)
    assert said in caught.value.message
    assert clean_handle("whatsapp:0170 1234567", region="DE") == "whatsapp:+491701234567"


_names = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{2,31}", fullmatch=True)


@given(_names, st.sampled_from(["", "@", "https://t.me/", "t.me/"]))
def test_every_spelling_of_a_telegram_name_is_one_handle(name, prefix):
    assert handle_key(f"TELEGRAM:{prefix}{name}") == f"telegram:@{name.lower()}"


@given(st.sampled_from(HANDLE_KINDS), st.text(max_size=40))
def test_any_text_is_a_handle_or_a_clear_refusal(kind, value):
    try:
        key = clean_handle(f"{kind}:{value}")
    except BadValue as exc:
        assert "\n" not in exc.message and exc.message
        return
    if key is not None:
        assert key.startswith(f"{kind}:") and handle_key(key) == key
        assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in key)  # nothing steers a terminal


def test_who_may_be_a_handle_and_people_index_them():
    assert kind_of("telegram:@Ana") == ("handle", "telegram:@ana")
    assert kind_of("Signal: the band")[0] == "name"  # not readable as a handle: a name
    people = People()
    people.add(7, name="Ana", handles=["slack:T01/U02", "telegram:@ana"])
    assert people.by_handle("slack:T01/U02") == 7 and people.by_handle("TELEGRAM:@Ana") == 7
    assert people.by_handle("slack:U02") is None and people.by_handle("nonsense") is None
    people.add(8, name="Bo", handles=["slack:U09"])
    assert people.by_handle("slack:T01/U09") == 8  # an export's user with its workspace: the user alone matches
    assert people.match(name="Someone", handles=["telegram:@ana"]) == (7, [])


@pytest.mark.one_engine
def test_add_edit_show_and_find_by_handle(cli):
    dana = cli.json("add", "Dana Wu", "--handle", "telegram:@DanaWu", "--handle", "whatsapp:+49 170 1234567")
    assert dana["handles"] == ["telegram:@danawu", "whatsapp:+491701234567"]
    assert list(dana)[list(dana).index("phones") + 1] == "handles"
    assert cli.json("add", "Bo")["handles"] == []
    assert cli.json("show", "telegram:@danawu")["id"] == dana["id"]
    assert cli.json("show", "whatsapp:+491701234567")["id"] == dana["id"]
    edited = cli.json(
        "edit", "telegram:@DANAWU", "--handle", "discord:80351110224678912", "--remove-handle", "telegram:@danawu"
    )
    assert edited["handles"] == ["whatsapp:+491701234567", "discord:80351110224678912"]
    assert "handles           whatsapp:+491701234567, discord:80351110224678912" in cli("show", "dana").stdout
    said = cli("edit", "dana", "--remove-handle", "telegram:@nobody", code=1).stderr
    assert "Dana Wu has no handle telegram:@nobody (their handles: whatsapp:+491701234567, discord:" in said
    assert (
        "already has the handle whatsapp:+491701234567"
        in cli("add", "Eve", "--handle", "whatsapp:+491701234567", code=1).stderr
    )
    assert "already has the handle" in cli("edit", "bo", "--handle", "discord:80351110224678912", code=1).stderr
    assert "is not a handle" in cli("add", "Fay", "--handle", "fax:123", code=1).stderr
    assert "no contact has the handle telegram:@ghost" in cli("show", "telegram:@ghost", code=1).stderr
    assert [c["handles"] for c in cli.json("list")] == [[], edited["handles"]]


def test_handles_survive_every_export_and_import(cli, tmp_path: Path):
    cli("add", "Dana Wu", "--email", "dana@example.org", "--handle", "telegram:@danawu", "--handle", "slack:T01/U02")
    cli("add", "Bo Chen", "--email", "bo@example.org")
    backup = tmp_path / "all.json"
    cli("export", "json", "--output", str(backup))
    rows = json.loads(backup.read_text())["tables"]["contact_handle"]
    assert [row["handle"] for row in rows] == ["telegram:@danawu", "slack:T01/U02"]
    for kind in ("csv", "vcard"):
        cli("export", kind, "--output", str(tmp_path / f"people.{kind}"))
    assert "telegram:@danawu;slack:T01/U02" in (tmp_path / "people.csv").read_text()
    assert "X-NETCLI-HANDLE:telegram:@danawu" in (tmp_path / "people.vcard").read_text()
    cli("rm", "Dana Wu", "--yes")
    cli("rm", "Bo Chen", "--yes")
    for kind in ("csv", "vcard"):
        cli("import", kind, str(tmp_path / f"people.{kind}"))
        assert cli.json("show", "telegram:@danawu")["handles"] == ["telegram:@danawu", "slack:T01/U02"]
        cli("rm", "Dana Wu", "--yes")
        cli("rm", "Bo Chen", "--yes")
    cli("import", "json", str(backup))
    assert cli.json("show", "slack:T01/U02")["name"] == "Dana Wu"
    cli("edit", "dana", "--remove-handle", "slack:T01/U02")
    summary = cli.json("import", "json", str(backup))  # into a database that holds something: it fills
    assert summary["updated"] == 1 and cli.json("show", "dana")["handles"] == ["telegram:@danawu", "slack:T01/U02"]


def test_an_import_matches_by_handle_and_a_merge_moves_them(cli, tmp_path: Path):
    cli("add", "Dana Wu", "--handle", "discord:80351110224678912")
    people = tmp_path / "people.csv"
    people.write_text("name,handles,org\nDana W.,discord:80351110224678912;github:danawu,Ferrous\n")
    summary = cli.json("import", "csv", str(people))
    assert (summary["added"], summary["updated"]) == (0, 1)
    assert cli.json("show", "dana")["handles"] == ["discord:80351110224678912", "github:danawu"]
    cli("add", "Dana (work)", "--handle", "slack:T01/U02", "--handle", "github:danawu2")
    merged = cli.json("merge", "Dana Wu", "Dana (work)", "--yes")
    assert merged["handles"] == ["discord:80351110224678912", "github:danawu", "slack:T01/U02", "github:danawu2"]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,handles\nEve,telegram:@no way\n")
    assert "line 2: 'telegram:@no way' is not a telegram handle" in cli("import", "csv", str(bad), code=1).stderr


@pytest.mark.sqlite_only
def test_db_check_names_a_stored_handle_no_door_would_take(cli, isolated: Path):
    cli("add", "Dana Wu", "--handle", "telegram:@danawu")
    with sqlite3.connect(isolated / "netcli.db") as db:
        db.execute("UPDATE contact_handle SET handle = 'telegram:@Dana Wu'")
    said = cli("db", "check", code=1).stdout + cli("db", "check", code=1).stderr
    assert "contact_handle #1/0" in said and "is not a telegram handle" in said


def test_who_the_user_is_in_chats_is_set_and_checked():
    config = validate(
        {
            "me": {
                "handles": ["Telegram:@Ann", "telegram:@ann", "slack:t01/u02"],
                "names": ["Ann  Example", "ann example"],
            }
        }
    )
    assert config.me["handles"] == ["telegram:@ann", "slack:T01/U02"] and config.me["names"] == ["Ann Example"]
    assert config.capture["max_group"] == 8
    assert parse_setting("me.names", "Ann Example, Anna E.") == ("me", "names", ["Ann Example", "Anna E."])
    assert parse_setting("me.handles", "whatsapp:+49 170 1234567")[2] == ["whatsapp:+491701234567"]
    for key, value, said in (
        ("handles", ["ann"], "is not a handle"),
        ("handles", "telegram:@ann", "must be a list of handles"),
        ("names", [""], "is not a name"),
        ("names", ["Ann\x1b[2J"], "is not a name"),
    ):
        with pytest.raises(ConfigError, match=said):
            validate({"me": {key: value}})
    with pytest.raises(ConfigError, match="between 1 and 1000"):
        validate({"capture": {"max_group": 0}})
