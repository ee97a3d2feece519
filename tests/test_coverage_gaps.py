"""Behaviour the rest of the suite did not reach (found by branch coverage),
checked through the CLI as a user meets it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def test_linkedin_rows_that_cannot_be_read_are_each_named(cli, tmp_path):
    export = tmp_path / "Connections.csv"
    export.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Keiko,Sato,,,Mercari,ML engineer,2026-11-28\n"
        "Farid,,,,,,11/03/2025\n"
        ',Haddad,,,,,"Jan 05, 2025"\n'
        "Only,Three,Cells\n"
        ",,,x@example.org,,,\n"
        "Bad,Date,,,,,someday\n"
        "\n"
        "Long,Month,,,,,3 January 2025\n"
    )
    r = cli("import", "linkedin", str(export), code=1)
    assert "3 bad records" in r.stderr
    for problem in (
        "line 5: expected 7 columns, found 3",
        "line 6: no first or last name",
        "line 7: cannot read the date 'someday' (expected like 28 Nov 2026)",
    ):
        assert problem in r.stderr
    assert cli.json("list") == []
    summary = json.loads(cli("import", "linkedin", str(export), "--skip-bad", "--json").stdout)
    assert (summary["added"], summary["bad"]) == (4, 3)
    met = {c["name"]: c["met_on"] for c in cli.json("list")}
    assert met == {
        "Keiko Sato": "2026-11-28",
        "Farid": "2025-11-03",
        "Haddad": "2025-01-05",
        "Long Month": "2025-01-03",
    }


@pytest.mark.one_engine  # the file is refused before the database is opened
def test_a_file_that_is_not_linkedins_export(cli, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("name,email\nAna,ana@example.org\n")
    for extra in ((), ("--skip-bad",)):  # the file is not its kind: no --skip-bad passes it
        r = cli("import", "linkedin", str(other), *extra, code=1)
        assert r.stderr == (
            "error: other.csv: no 'First Name,Last Name,...' header: is this LinkedIn's Connections.csv?; "
            "it looks like a CSV of contacts: netcli import csv\n"
        )
    assert cli.json("list") == []


@pytest.mark.one_engine  # the file is refused before the database is opened
@pytest.mark.parametrize(
    "name,content,problem",
    [
        ("missing.csv", None, "missing.csv does not exist"),
        ("folder", "folder", "folder is a folder; give the file inside it"),
        (
            "latin.csv",
            b"name,org\nJos\xe9,Acme\n",
            "latin.csv line 2: not UTF-8 text; save the file as UTF-8 and import it again",
        ),
        ("empty.csv", b"", "empty.csv: the file is empty; it needs a header row"),
        (
            "odd.csv",
            b"name,shoe size,hat\nAna,38,\n",
            "odd.csv: unknown columns shoe size, hat; the columns are",
        ),
        ("noname.csv", b"org\nAcme\n", "noname.csv: missing column name; the columns are"),
    ],
)
def test_import_files_that_cannot_be_read(cli, tmp_path, name, content, problem):
    path = tmp_path / name
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    r = cli("import", "csv", str(path), code=1)
    assert problem in r.stderr and r.stdout == ""
    assert "Traceback" not in r.stderr and r.stderr.startswith("error: ")
    assert cli.json("list") == []


@pytest.mark.one_engine  # the file is refused before the database is opened
def test_a_vcard_file_that_is_not_utf8(cli, tmp_path):
    path = tmp_path / "old.vcf"
    path.write_bytes(b"BEGIN:VCARD\nVERSION:3.0\nFN:Jos\xe9\nEND:VCARD\n")
    r = cli("import", "vcard", str(path), code=1)
    assert "old.vcf line 3: not UTF-8 text; save the file as UTF-8 and import it again" in r.stderr


@pytest.mark.one_engine
def test_a_config_file_that_is_not_text_or_not_toml(cli, tmp_path):
    import os
    from pathlib import Path

    config = Path(os.environ["NETCLI_CONFIG"])
    config.write_bytes(b"[tiers]\nA = 1\xff\n")
    r = cli("nudge", code=1)
    assert r.stderr.startswith(f"error: cannot read the config file {config}")
    r = cli("config", "set", "tiers.A", "10", code=1)
    assert r.stderr.startswith(f"error: cannot read the config file {config}")
    config.write_text("[tiers]\nA = \n")
    assert f"the config file {config} is not valid TOML" in cli("nudge", code=1).stderr


@pytest.mark.parametrize(
    "raw,message",
    [
        ({"rules": {"learned_factor": "fast"}}, "config key 'rules.learned_factor' must be a number, not 'fast'"),
        ({"rules": {"learned_factor": True}}, "config key 'rules.learned_factor' must be a number, not True"),
        (
            {"rules": {"learned_factor": -1.5}},
            "config key 'rules.learned_factor' must be between 1 and 36500, not -1.5",
        ),
        (
            {"rules": {"birthday_days": 40}},
            "config key 'rules.birthday_days' must be between 1 and 31 (days before a birthday), not 40",
        ),
        ({"rules": 3}, "config key 'rules' must be a table of settings"),
        ({"tiers": {"A": 40, "B": 30}}, "config keys 'tiers.A' to 'tiers.D' must not decrease from A to D"),
    ],
)
def test_config_values_of_the_wrong_kind(raw, message):
    from netcli.config import validate
    from netcli.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        validate(raw)
    assert str(info.value) == message


def test_a_float_setting_takes_a_whole_number_and_is_kept_a_float():
    from netcli.config import parse_setting, validate

    assert validate({"rules": {"learned_factor": 2}}).rule("learned_factor") == 2.0
    assert parse_setting("rules.learned_factor", " 2.5 ") == ("rules", "learned_factor", 2.5)
    assert parse_setting("enabled.thank", "Off") == ("enabled", "thank", False)


def test_db_backup_goes_beside_or_into_a_folder_never_onto_itself(cli, database, tmp_path):
    import sqlite3
    from pathlib import Path

    cli("add", "Ana")
    if database.startswith("postgresql"):
        r = cli("db", "backup", code=1)
        assert r.stderr.strip() == (
            "error: db backup copies SQLite files; for a server use 'netcli export json' or the server's own tools"
        )
        return
    folder = tmp_path / "backups"
    folder.mkdir()
    written = Path(cli("db", "backup", str(folder)).stdout.strip())
    assert written.parent == folder and written.name.startswith("netcli-backup-") and written.suffix == ".db"
    copy = sqlite3.connect(written)
    assert copy.execute("SELECT name FROM contact").fetchall() == [("Ana",)]
    copy.close()
    r = cli("db", "backup", database, code=1)
    assert "the backup must go to another file than the database itself" in r.stderr


def test_encryption_needs_an_existing_file_and_a_key(cli, database, monkeypatch):
    monkeypatch.delenv("NETCLI_KEY", raising=False)
    if database.startswith("postgresql"):
        r = cli("db", "encrypt", code=1)
        assert "encryption applies to an existing SQLite file; check 'netcli db path'" in r.stderr
        return
    Path(database).unlink()  # no file yet
    assert "encryption applies to an existing SQLite file" in cli("db", "decrypt", code=1).stderr
    cli("add", "Ana")
    r = cli("db", "encrypt", code=1)  # tests have no terminal to ask on
    assert "no key: set NETCLI_KEY, or run this on a terminal to be asked for one" in r.stderr
    assert cli.json("list")[0]["name"] == "Ana"


@pytest.mark.one_engine
def test_config_show_as_toml(cli):
    cli("config", "set", "tiers.A", "10")
    shown = cli("config", "show").stdout
    assert "[tiers]\nA = 10\nB = 30" in shown and "learned_factor = 1.5" in shown


@pytest.mark.sqlite_only
def test_a_sqlite_url_names_a_file_like_a_path(cli, tmp_path):
    target = tmp_path / "by-url.db"
    url = f"sqlite:///{target}"
    r = cli("--db", url, "add", "Ana")
    assert f"created a new database at {target}" in r.stderr and target.exists()
    assert cli("--db", url, "db", "path").stdout.strip() == str(target)
    assert [c["name"] for c in cli.json("--db", str(target), "list")] == ["Ana"]


@pytest.mark.sqlite_only
def test_a_folder_is_not_a_database(cli, tmp_path):
    r = cli("--db", str(tmp_path), "list", code=1)
    assert r.stderr.strip() == f"error: {tmp_path} is a folder, not a database file; give --db a file path"


def test_vcard_files_with_broken_card_boundaries(cli, tmp_path):
    path = tmp_path / "cards.vcf"
    path.write_text(
        "stray text\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:No End\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:Sato;Keiko;;Dr.;PhD\nEMAIL:keiko@example.org\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nEMAIL:nobody@example.org\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Cut Short\n"
    )
    r = cli("import", "vcard", str(path), code=1)
    for problem in (
        "cards.vcf line 1: text outside a BEGIN:VCARD ... END:VCARD card",
        "cards.vcf line 2: card has no END:VCARD before the next BEGIN:VCARD",
        "cards.vcf line 10: card has no name (FN or N)",
        "cards.vcf line 14: card has no END:VCARD",
    ):
        assert problem in r.stderr, r.stderr
    assert cli.json("list") == []
    summary = json.loads(cli("import", "vcard", str(path), "--skip-bad", "--json").stdout)
    assert (summary["added"], summary["bad"]) == (1, 4)
    keiko = cli.json("show", "keiko")
    assert keiko["name"] == "Dr. Keiko Sato PhD" and keiko["email"] == "keiko@example.org"


@pytest.mark.one_engine  # refused before the database is opened
def test_a_file_with_no_card_at_all(cli, tmp_path):
    path = tmp_path / "notes.vcf"
    path.write_text("\n\n")
    r = cli("import", "vcard", str(path), "--skip-bad", code=1)
    assert r.stderr == "error: notes.vcf: no BEGIN:VCARD found: is this a vCard file?\n"
    calendar = tmp_path / "meetings.ics"
    calendar.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    r = cli("import", "vcard", str(calendar), "--skip-bad", code=1)
    assert r.stderr.endswith("is this a vCard file?; it looks like a calendar: netcli capture calendar\n")


@pytest.mark.one_engine  # refused before the database is opened
@pytest.mark.parametrize(
    ("kind", "header", "hint"),
    [
        ("csv", "Notes:\n\nFirst Name,Last Name,URL", "LinkedIn's Connections.csv: netcli import linkedin"),
        ("csv", "date,kind,contacts,note,topics", "a history CSV: netcli import interactions"),
        ("interactions", "name,email", "a CSV of contacts: netcli import csv"),
        ("json", "name,email", "a CSV of contacts: netcli import csv"),
        (
            "csv",
            '{"format":"netcli-backup",' + ",".join(f'"t{n}":[]' for n in range(50)),
            "a backup: netcli import json",
        ),
    ],
)
def test_a_spreadsheet_of_another_kind_is_refused_whole_and_named(cli, tmp_path, kind, header, hint):
    path = tmp_path / "sheet.csv"
    path.write_text(header + "\nsomething,else\n")
    r = cli("import", kind, str(path), "--skip-bad", "--json", code=1)
    assert r.stdout == "" and r.stderr.startswith("error: sheet.csv: ") and r.stderr.endswith(f"looks like {hint}\n")
    assert len(r.stderr) < 600  # a first line of any length is not echoed whole


def test_a_contacts_csv_with_bad_cadences_and_archived_flags(cli, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,cadence_days,archived\nAna,often,\nBo,0,\nCy,36501,\nDi,14,maybe\nEd, 21 ,Yes\nFlo,,false\n")
    r = cli("import", "csv", str(path), code=1)
    for problem in (
        "people.csv line 2: cadence_days 'often' is not a span; use one of: 10d, 2w",
        "people.csv line 3: cadence_days '0' must be between 1 and 36500",
        "people.csv line 4: cadence_days '36501' must be between 1 and 36500",
        "people.csv line 5: archived 'maybe' must be true or false",
    ):
        assert problem in r.stderr, r.stderr
    summary = json.loads(cli("import", "csv", str(path), "--skip-bad", "--json").stdout)
    assert (summary["added"], summary["bad"]) == (2, 4)
    assert [c["name"] for c in cli.json("list")] == ["Flo"]
    ed = cli.json("list", "--archived")
    assert [c["name"] for c in ed] == ["Ed"] and cli.json("show", "#" + str(ed[0]["id"]))["cadence_days"] == 21


def test_an_import_adds_an_introducer_and_labels_to_someone_known(cli, tmp_path):
    cli("add", "Ana Lima", "--email", "ana@example.org", "--tag", "rust")
    cli("add", "Bo Chen")
    path = tmp_path / "update.csv"
    path.write_text("name,email,introduced_by,tags,topics\nAna Lima,ana@example.org,Bo Chen,rust;chapter,wasm\n")
    summary = cli.json("import", "csv", str(path))
    assert (summary["added"], summary["updated"]) == (0, 1)
    ana = cli.json("show", "ana")
    assert ana["introduced_by"] == "Bo Chen" and ana["tags"] == ["chapter", "rust"] and ana["topics"] == ["wasm"]
    assert cli.json("import", "csv", str(path))["updated"] == 0  # the same file again changes nothing


@pytest.mark.one_engine  # words of a refusal, before anything is written
@pytest.mark.parametrize(
    "args,message",
    [
        (("--org", "x" * 501), "error: --org: can be at most 500 characters (this one has 501); shorten it"),
        (
            ("--email", "ana at example.org"),
            "error: --email: 'ana at example.org' is not an email address (expected name@example.org)",
        ),
        (("--tag", "   "), "error: --tag: the value is empty; leave the option out, or give TEXT"),
        (("--topic", "t" * 101), "error: --topic: can be at most 100 characters: " + repr("t" * 40) + "…"),
    ],
)
def test_fields_no_person_should_hold(cli, args, message):
    """The store's cleaners judge them, from the command line: a usage error naming the option."""
    r = cli("add", "Ana Lima", *args, code=2)
    assert r.stderr.strip() == f"{message} (see 'netcli add --help')"
    assert cli.json("list") == []


def test_who_matches_only_archived_people_is_told_how_to_bring_them_back(cli):
    for name in ("Ana Lima", "Ana Sousa"):
        cli("add", name)
        cli("archive", name)
    r = cli("log", "ana", "--kind", "call", code=1)
    assert (
        "'ana' matches only archived contacts: #1 Ana Lima, #2 Ana Sousa; 'netcli unarchive \"#ID\"' brings one back"
        in r.stderr
    )
    cli("unarchive", "#2")
    cli("rm", "#2", "--yes")
    r = cli("log", "ana", "--kind", "call", code=1)
    assert "'ana' matches archived Ana Lima (#1): netcli unarchive \"#1\"" in r.stderr


def test_goals_are_found_by_title_and_refused_what_cannot_be(cli):
    cli("goal", "add", "Learn Rust")
    cli("goal", "add", "Learn Rust macros")
    cli("goal", "add", "Give a talk")
    r = cli("goal", "show", "learn", code=1)
    assert (
        "'learn' matches several goals: #1 Learn Rust, #2 Learn Rust macros; use more of the name, or the #ID"
        in r.stderr
    )
    assert cli.json("goal", "show", "learn rust")["title"] == "Learn Rust"  # the exact title wins
    cli("goal", "done", "macros")
    assert cli.json("goal", "show", "rust")["title"] == "Learn Rust"  # the one still active
    assert "no goal matches 'paint'; 'netcli goal list --all' shows them" in cli("goal", "show", "paint", code=1).stderr
    assert "the goal 'Learn Rust macros' is already done" in cli("goal", "done", "#2", code=1).stderr
    assert "--note: the value is empty" in cli("goal", "progress", "talk", "--note", " ", code=2).stderr
    r = cli("goal", "progress", "talk", "--note", "outline", "--percent", "120", code=2)
    assert "--percent: 120 is too large: at most 100" in r.stderr
    r = cli("goal", "progress", "macros", "--note", "more", code=1)
    assert "the goal 'Learn Rust macros' is done; progress goes on active goals" in r.stderr


def test_mentor_statuses_and_questions_that_cannot_be(cli):
    cli("add", "Ana Lima")
    cli("mentor", "add", "Ana")
    assert cli.json("mentor", "list")[0]["status"] == "active"
    r = cli("mentor", "start", "Ana", code=1)
    assert r.stderr.strip() == "error: Ana Lima is already an active mentor"
    cli("mentor", "end", "Ana")
    assert cli("mentor", "end", "Ana", code=1).stderr.strip() == "error: Ana Lima is already a past mentor"
    assert "TEXT: the value is empty" in cli("mentor", "ask", "Ana", "  ", code=2).stderr
