"""Several emails per contact (issue #18, first part): add/edit, JSON, imports
matching any address, the 0009 migration's fill, `[me] emails`, and the pure
address matching capture will use."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcli.addresses import MyAddresses, address_key, is_address, is_me
from netcli.config import parse_setting, validate
from netcli.errors import ConfigError

_local = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789._-"), min_size=1, max_size=12)
_domain = st.from_regex(r"[a-zA-Z0-9]{1,10}\.(org|example|com)", fullmatch=True)
_tag = st.text(st.sampled_from("abcxyz0123-_."), max_size=8)


@given(_local, _domain, _tag)
def test_an_address_matches_itself_in_any_case_and_with_any_tag(local, domain, tag):
    plain = f"{local}@{domain}"
    key = address_key(plain)
    assert address_key(f"{local}+{tag}@{domain}") == key
    assert address_key(plain.upper()) == key == address_key(f"  MAILTO:{plain} ")
    assert address_key(key) == key  # a key is its own key
    assert is_me(f"{local.upper()}+{tag}@{domain.upper()}", [plain])


@given(_local, _local, _domain)
def test_different_local_parts_stay_different(one, other, domain):
    if one.lower() != other.lower():
        assert address_key(f"{one}@{domain}") != address_key(f"{other}@{domain}")


def test_address_keys_by_example():
    assert address_key("Ann.Lee+Work@Example.ORG") == "ann.lee@example.org"
    assert address_key("+only@example.org") == "+only@example.org"  # nothing before the +: no tag to drop
    assert address_key("not an address") == "not an address"
    mine = MyAddresses(["ann@example.org", " ", "Ann@Work.example"])
    assert "ann+cal@example.org" in mine and "ANN@work.example" in mine and "bo@example.org" not in mine
    assert bool(mine) and not MyAddresses([]) and 42 not in mine
    assert is_address("a@b") and not is_address("a b@c") and not is_address("nobody")


def test_add_several_emails_and_json_keys(cli):
    ana = cli.json("add", "Ana Lima", "--email", "ana@example.org", "--email", "Ana+Talks@Work.example")
    assert ana["email"] == "ana@example.org" and ana["emails"] == ["ana@example.org", "Ana+Talks@Work.example"]
    assert list(ana)[:4] == ["id", "name", "email", "emails"]
    assert cli.json("show", "ana")["emails"] == ana["emails"]
    assert cli.json("list")[0]["emails"] == ana["emails"]
    shown = cli("show", "ana").stdout
    assert "ana@example.org" in shown and "other emails      Ana+Talks@Work.example" in shown
    assert cli.json("add", "Bo", "--email", "bo@x.org", "--email", "BO@x.org")["emails"] == ["bo@x.org"]
    assert cli.json("add", "Cy")["emails"] == []


def test_an_address_another_contact_holds_is_refused(cli):
    cli("add", "Ana Lima", "--email", "ana@example.org", "--email", "ana@work.example")
    r = cli("add", "Other", "--email", "new@x.org", "--email", "ANA+x@Work.example", code=1)
    assert r.stderr.strip() == "error: #1 Ana Lima already has that email; use that contact, or --force to add another"
    cli("add", "Bo")
    r = cli("edit", "bo", "--add-email", "Ana@Work.example", code=1)
    assert r.stderr.strip() == (
        "error: #1 Ana Lima already has the email Ana@Work.example; merge them with 'netcli merge'"
    )
    r = cli("edit", "bo", "--email", "ana@example.org", code=1)
    assert "already has the email ana@example.org" in r.stderr
    assert cli.json("show", "bo")["emails"] == []
    assert cli.json("add", "Twin", "--email", "ana@example.org", "--force")["emails"] == ["ana@example.org"]


def test_edit_replaces_the_first_adds_and_removes(cli):
    cli("add", "Ana Lima", "--email", "a1@x.org", "--email", "a2@x.org")
    shown = cli.json("edit", "ana", "--email", "new@x.org")
    assert shown["emails"] == ["new@x.org", "a2@x.org"] and shown["email"] == "new@x.org"
    assert cli.json("edit", "ana", "--add-email", "a3@x.org", "--add-email", "A2@x.org")["emails"] == [
        "new@x.org",
        "a2@x.org",
        "a3@x.org",
    ]
    assert cli.json("edit", "ana", "--email", "a3@x.org")["emails"] == ["a3@x.org", "a2@x.org"]  # moves first
    assert cli.json("edit", "ana", "--remove-email", "A3+old@X.org")["emails"] == ["a2@x.org"]
    r = cli("edit", "ana", "--remove-email", "zz@x.org", code=1)
    assert r.stderr.strip() == "error: Ana Lima has no email zz@x.org (their emails: a2@x.org)"
    assert cli.json("edit", "ana", "--email", "")["email"] is None
    r = cli("edit", "ana", "--remove-email", "a2@x.org", code=1)
    assert "(their emails: none)" in r.stderr
    r = cli("edit", "ana", "--add-email", "not-an-address", code=2)
    assert "is not an email address" in r.stderr
    assert cli.json("edit", "ana", "--email", "b@x.org", "--email", "c@x.org")["emails"] == ["b@x.org", "c@x.org"]


def test_merge_keeps_every_address(cli):
    cli("add", "Ana Lima", "--email", "ana@x.org")
    cli("add", "Ana L", "--email", "ana@work.example", "--email", "ANA@x.org", "--force")
    merged = cli.json("merge", "Ana Lima", "Ana L", "--yes")
    assert merged["emails"] == ["ana@x.org", "ana@work.example"]
    cli("add", "Bo")
    cli("add", "Bob", "--email", "bo@x.org")
    assert cli.json("merge", "Bo", "Bob", "--yes")["emails"] == ["bo@x.org"]


def test_imports_match_any_address_and_carry_them_all(cli, tmp_path):
    cli("add", "Ana Lima", "--email", "ana@x.org", "--email", "ana@work.example", "--org", "Old")
    people = tmp_path / "people.csv"
    people.write_text(
        "name,email,emails,org\n"
        "A. Lima,Ana+cal@WORK.example,,New\n"  # the second address, another case, a +tag: Ana
        "Bo Chen,,bo@x.org;bo@home.example,\n"
        "Cy Diaz,cy@x.org,cy2@x.org,\n"  # `email` first, then `emails`
    )
    summary = cli.json("import", "csv", str(people))
    assert (summary["added"], summary["updated"], summary["unchanged"]) == (2, 0, 1)
    assert sorted((c["field"], c["here"], c["there"]) for c in summary["conflicts"]) == [
        ("name", "Ana Lima", "A. Lima"),
        ("org", "Old", "New"),
    ]  # outside data never overwrites what was typed
    ana = cli.json("show", "ana")
    assert ana["org"] == "Old" and ana["emails"] == ["ana@x.org", "ana@work.example"]
    assert cli.json("show", "bo")["emails"] == ["bo@x.org", "bo@home.example"]
    assert cli.json("show", "cy")["emails"] == ["cy@x.org", "cy2@x.org"]
    assert cli.json("import", "csv", str(people))["added"] == 0
    cards = tmp_path / "one.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo C.\r\nEMAIL:x@new.example\r\nEMAIL:BO@home.example\r\nEND:VCARD\r\n"
    )
    assert cli.json("import", "vcard", str(cards))["updated"] == 1
    assert cli.json("show", "bo")["emails"] == ["bo@x.org", "bo@home.example", "x@new.example"]
    history = tmp_path / "history.csv"
    history.write_text("date,kind,contacts,note,topics\n2026-01-05,call,Bo Chen <bo@X.org>,hi,\n")
    assert cli.json("import", "interactions", str(history))["added"] == 1
    r = cli("import", "csv", str(_write(tmp_path, "name,emails\nDee,dee@x.org;nope\n")), code=1)
    assert "'nope' is not an email address" in r.stderr


def _write(tmp_path, text):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    return path


def test_linkedin_brings_one_email(cli):
    cli("import", "linkedin", str(Path(__file__).parent / "fixtures" / "Connections.csv"))
    rows = [c for c in cli.json("list") if c["email"]]
    assert rows and all(c["emails"] == [c["email"]] for c in rows)


@pytest.mark.sqlite_only
def test_a_backup_from_before_several_emails_restores_them(cli, tmp_path):
    cli("add", "Ana Lima", "--email", "ana@x.org")
    backup = json.loads(cli("export", "json").stdout)
    backup["tables"].pop("contact_email")
    old = tmp_path / "old.json"
    old.write_text(json.dumps(backup))
    fresh = str(tmp_path / "fresh.db")
    cli("--db", fresh, "import", "json", str(old))
    assert cli.json("--db", fresh, "show", "ana")["emails"] == ["ana@x.org"]
    r = cli("--db", fresh, "add", "Other", "--email", "ANA@x.org", code=1)
    assert "already has that email" in r.stderr


@pytest.mark.sqlite_only
def test_migration_0009_fills_the_list_from_the_one_email(cli, tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from netcli import migrations

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0008")
        for cid, name, email in ((1, "Ana Lima", "Ana+Work@X.org"), (2, "Bo", None), (3, "Cy", "")):
            conn.exec_driver_sql(
                "INSERT INTO contact (id, name, name_key, email, tier, archived) VALUES (?, ?, ?, ?, 'C', 0)",
                (cid, name, name.lower(), email),
            )
    engine.dispose()
    assert cli.json("--db", str(path), "show", "ana")["emails"] == ["Ana+Work@X.org"]
    assert cli.json("--db", str(path), "show", "bo")["emails"] == []
    rows = sqlite3.connect(path).execute("SELECT contact_id, position, address, address_key FROM contact_email")
    assert rows.fetchall() == [(1, 0, "Ana+Work@X.org", "ana@x.org")]
    r = cli("--db", str(path), "add", "Twin", "--email", "ana@x.org", code=1)
    assert "#1 Ana Lima already has that email" in r.stderr


@pytest.mark.one_engine
def test_me_emails_set_and_shown(cli):
    cli("config", "set", "me.emails", "ann@example.org, Ann+cal@Work.example")
    assert cli.json("config", "show")["me"] == {
        "emails": ["ann@example.org", "Ann+cal@Work.example"],
        "timezone": "",
        "region": "",
        "handles": [],
        "names": [],
    }
    assert 'emails = [\n    "ann@example.org",' in cli("config", "show").stdout
    cli("config", "set", "me.emails", "ann@example.org ann@EXAMPLE.org")
    assert cli.json("config", "show")["me"]["emails"] == ["ann@example.org"]
    r = cli("config", "set", "me.emails", "ann@example.org, nobody", code=2)
    assert r.stderr.strip() == (
        "error: config key 'me.emails': 'nobody' is not an email address (expected ann@example.org)"
    )
    cli("config", "set", "me.emails", "")
    assert cli.json("config", "show")["me"]["emails"] == []
    with open(os.environ["NETCLI_CONFIG"], "w") as handle:
        handle.write('[me]\nemails = "ann@example.org"\n')
    r = cli("config", "show", code=1)
    assert r.stderr.strip() == "error: config key 'me.emails' must be a list of email addresses, not 'ann@example.org'"
    r = cli("config", "set", "me.email", "x@y", code=2)
    assert "unknown config key 'me.email'" in r.stderr


def test_me_emails_in_the_config_module():
    assert (
        validate({}).me == {"emails": [], "timezone": "", "region": "", "handles": [], "names": []}
        and not validate({}).my_addresses()
    )
    config = validate({"me": {"emails": ["Ann@example.org"]}})
    assert "ann+x@EXAMPLE.org" in config.my_addresses()
    assert parse_setting("me.emails", " a@x , b@y,,") == ("me", "emails", ["a@x", "b@y"])
    for bad in ([1], "a@x", ["a b"]):
        with pytest.raises(ConfigError, match=r"me\.emails"):
            validate({"me": {"emails": bad}})


def test_an_import_line_joining_two_contacts_addresses_is_refused(cli, tmp_path):
    """Ana's line also names Bo's address: taking it would give one address to
    two people, and capture matches people by address."""
    cli("add", "Ana Lima", "--email", "ana@example.org")
    cli("add", "Bo Chen", "--email", "bo@example.org")
    path = tmp_path / "people.csv"
    path.write_text("name,email,emails\nAna Lima,ana@example.org,ana@example.org;Bo+work@example.org\n")
    result = cli("import", "csv", str(path), code=1)
    assert "line 2" in result.stderr and "belong to two different contacts" in result.stderr
    assert "ana@example.org and Bo+work@example.org" in result.stderr
    assert cli.json("show", "Ana")["emails"] == ["ana@example.org"]
    skipped = cli.json("import", "csv", str(path), "--skip-bad")
    assert skipped["bad"] == 1 and skipped["updated"] == 0
    assert cli.json("show", "Bo")["emails"] == ["bo@example.org"]
