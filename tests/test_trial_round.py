"""What a demanding new user and an adversary found in the trial round: each
test failed before its fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.one_engine


def test_a_fifo_or_device_link_named_like_a_card_in_a_vdir_is_named_not_passed_over(cli, tmp_path: Path):
    """README: a FIFO or a device inside a folder is a bad file, counted and named."""
    folder = tmp_path / "book"
    folder.mkdir()
    os.mkfifo(folder / "pipe.vcf")
    (folder / "zero.vcf").symlink_to("/dev/zero")
    (folder / "ok.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n")
    cli("add", "Zed")
    summary = cli.json("sync", "vdir", str(folder))
    named = {entry["card"] for entry in summary["unparsable_list"]}
    assert named == {"pipe.vcf", "zero.vcf"}, summary["unparsable_list"]
    assert summary["added_here"] == 1


@pytest.mark.parametrize("url", ["sqlite:///file::memory:?uri=true", "sqlite:///file::memory:?cache=shared&uri=true"])
def test_an_in_memory_sqlite_uri_is_refused_as_the_other_in_memory_forms_are(cli, url):
    """SQLite's URI for memory (`file::memory:`) is the same in-memory database:
    a usage error naming it, not 'no such table' on a file called ':memory:'."""
    result = cli("--db", url, "add", "Ann", code=2)
    assert "in-memory" in result.stderr and "no such table" not in result.stderr


def test_a_backup_edited_by_hand_cannot_give_a_contact_an_address_key_or_a_part_its_address_does_not_hold(
    cli, tmp_path: Path
):
    """`address_key` is what matching compares and `participant`'s date and kind
    copy their interaction's: a restore works them out again, as every door
    does, never taking them as an edited backup gives them."""
    import json

    cli("add", "Ana Lima", "--email", "ana@x.example")
    cli("log", "ana", "--kind", "call", "--on", "2026-11-01")
    backup = tmp_path / "b.json"
    cli("export", "json", "--output", str(backup))
    data = json.loads(backup.read_text())
    data["tables"]["contact_email"][0]["address_key"] = "mallory@evil.example"
    for row in data["tables"]["participant"]:
        if row["kind"] == "call":
            row.update(kind="help-received", date="2026-11-20")
    backup.write_text(json.dumps(data))
    (tmp_path / "netcli.db").unlink()
    cli("import", "json", str(backup))
    assert cli.json("show", "ana@x.example")["name"] == "Ana Lima"
    cli("show", "mallory@evil.example", code=1)
    assert cli.json("show", "ana")["help_received"] == 0
    assert "values: ok" in cli("db", "check").stdout


@pytest.mark.parametrize("flag", ["--json", "--plain", "--explain"])
def test_nudge_notify_takes_no_view_so_stdout_never_holds_its_line_under_json(cli, flag):
    """`nudge --notify --json` printed the brief line, not JSON: a view flag
    beside --notify is refused as it is beside --brief."""
    cli("add", "Nia New")
    result = cli("nudge", "--notify", flag, code=2)
    assert result.stdout == "" and "--notify" in result.stderr and flag in result.stderr
    cli("nudge", "--notify", "--brief", code=2)


def test_a_card_new_to_netcli_gives_the_same_contact_through_sync_vdir_as_through_import_vcard(cli, tmp_path: Path):
    """One card, two commands: `sync vdir` added the contact without the
    card's second number and its address's city and country, which `import
    vcard` keeps (README: it reads a card exactly as sync vdir does)."""
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\n"
        "TEL;TYPE=CELL:+44 20 7946 0001\r\nTEL;TYPE=HOME:+44 20 7946 0002\r\n"
        "ADR;TYPE=HOME:;;12 St James's Square;London;;SW1Y 4JH;United Kingdom\r\nEND:VCARD\r\n"
    )
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "ada.vcf").write_text(card)
    cli("sync", "vdir", str(folder))
    synced = cli.json("show", "ada")
    other = tmp_path / "other.db"
    cli("--db", str(other), "import", "vcard", str(folder / "ada.vcf"))
    imported = cli.json("--db", str(other), "show", "ada")
    for key in ("name", "emails", "phones", "location"):
        assert synced[key] == imported[key], key
    assert synced["location"] == "London, United Kingdom"
    assert cli.json("sync", "vdir", str(folder))["updated_there"] == 0  # and the next sync sees nothing to do


@pytest.mark.parametrize(
    ("table", "column", "value", "said"),
    [
        ("contact", "birthday", "2999-01-01", "birthday"),
        ("contact", "met_on", "2999-01-01", "met_on '2999-01-01' is in the future"),
        ("interaction", "date", "2999-01-01", "date '2999-01-01' is in the future"),
    ],
)
def test_a_backup_cannot_hold_a_day_no_door_lets_in_and_db_check_names_one_held(
    cli, tmp_path: Path, table, column, value, said
):
    """`add`, `log` and every import refuse a day after today; a restored
    backup did not, and `db check` did not say so."""
    import json

    from sqlalchemy import create_engine, text

    cli("add", "Ana Lima", "--birthday", "1990-05-04")
    cli("log", "ana", "--kind", "call", "--on", "2026-11-01")
    backup = tmp_path / "b.json"
    cli("export", "json", "--output", str(backup))
    data = json.loads(backup.read_text())
    data["tables"][table][0][column] = value
    backup.write_text(json.dumps(data))
    db = tmp_path / "netcli.db"
    db.unlink()
    refused = cli("import", "json", str(backup), code=1)
    assert f"{table} row 1: " in refused.stderr and said in refused.stderr, refused.stderr
    assert not db.exists() or cli.json("list") == []  # nothing half-restored
    # a database that holds such a day already (by hand, or an older netcli): db check names it
    db.unlink(missing_ok=True)
    cli("add", "Ana Lima", "--birthday", "1990-05-04")
    cli("log", "ana", "--kind", "call", "--on", "2026-11-01")
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {table} SET {column} = :v"), {"v": value})
    engine.dispose()
    checked = cli("db", "check", code=1).stdout
    assert said in checked, checked
