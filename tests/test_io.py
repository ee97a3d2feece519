"""Import, export and search with files written the way other programs write them."""

from __future__ import annotations

import csv
import io
import json
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import Cli
from netcli.formats.card import Card

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def files(tmp_path):
    target = tmp_path / "in"
    shutil.copytree(FIXTURES, target)
    return target


def names(cli):
    return sorted(c["name"] for c in cli.json("list"))


def test_vcards_of_every_version(cli, files):
    summary = cli.json("import", "vcard", str(files / "phone.vcf"), str(files / "apple.vcf"), "--tag", "phone")
    assert (summary["added"], summary["bad"]) == (3, 0)
    jurgen = cli.json("show", "jurgen")
    assert jurgen["name"] == "Jürgen Müller" and jurgen["email"] == "jurgen@example.de"
    assert jurgen["phone"] == "+49 170 1234567"
    assert "kernel summit" in jurgen["note"] and "j.mueller@work.example" not in jurgen["note"]
    assert jurgen["emails"] == ["jurgen@example.de", "j.mueller@work.example"]  # every address, the PREF one first
    ana = cli.json("show", "ana")
    assert ana["org"] == "Ferrous Labs, Embedded" and ana["role"] == "Embedded engineer"
    assert ana["tags"] == ["phone", "rust", "speaker"] and ana["birthday"] == "1990-04-15"
    assert ana["note"] == "A long note that is folded across two lines by the phone that wrote it."
    assert ana["url"] == "https://ana.example"
    bo = cli.json("show", "bo")
    assert bo["phone"] == "+1-416-555-0100" and bo["location"] == "Toronto, Canada" and bo["birthday"] == "--07-04"
    # importing again duplicates nobody
    again = cli.json("import", "vcard", str(files / "phone.vcf"), str(files / "apple.vcf"))
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert len(names(cli)) == 3


def test_a_bad_card_stops_the_import_unless_skip_bad(cli, files):
    r = cli("import", "vcard", str(files / "phone.vcf"), str(files / "broken.vcf"), code=1)
    assert "broken.vcf line 1: card has no END:VCARD" in r.stderr and "nothing imported" in r.stderr
    assert names(cli) == []
    r = cli("import", "vcard", str(files / "phone.vcf"), str(files / "broken.vcf"), "--skip-bad")
    assert r.stdout.strip() == "added 2, updated 0, unchanged 0, conflicts 0, bad 1"
    assert "broken.vcf line 1" in r.stderr


def test_dry_run_writes_nothing(cli, files):
    r = cli("import", "vcard", str(files / "phone.vcf"), "--dry-run")
    assert "would have added 2" in r.stdout
    assert names(cli) == []


def test_linkedin_export(cli, files):
    cli("add", "Ana Lima", "--email", "ana@ferrous.example")
    summary = cli.json("import", "linkedin", str(files / "Connections.csv"))
    assert (summary["added"], summary["updated"]) == (2, 1)
    keiko = cli.json("show", "keiko")
    assert keiko["via"] == "social" and keiko["met_on"] == "2026-11-28" and keiko["email"] is None
    assert keiko["org"] == "Mercari" and keiko["role"] == "ML engineer"
    assert cli.json("show", "farid")["org"] == "Acme, Corp"
    assert cli.json("show", "ana")["role"] == "Staff engineer"
    assert cli.json("import", "linkedin", str(files / "Connections.csv"))["added"] == 0


def test_contacts_csv_lists_every_bad_row(cli, files):
    r = cli("import", "csv", str(files / "contacts.csv"), code=1)
    assert "3 bad records" in r.stderr
    for line in ("line 3: tier 'Z'", "line 4: name cannot be empty", "line 5: met_on '2026-13-01'"):
        assert line in r.stderr
    assert names(cli) == []
    r = cli("import", "csv", str(files / "contacts.csv"), "--skip-bad")
    assert r.stdout.strip() == "added 2, updated 0, unchanged 0, conflicts 0, bad 3"
    grace = cli.json("show", "grace")
    assert grace["tier"] == "B" and grace["tags"] == ["chapter", "mentor"] and grace["met_on"] == "2026-01-10"


def test_interactions_csv(cli, files):
    cli("import", "csv", str(files / "contacts.csv"), "--skip-bad")
    r = cli("import", "interactions", str(files / "history.csv"), code=1)
    assert "line 4: kind 'hug'" in r.stderr and "line 5: no contact matches 'Nobody Known'" in r.stderr
    summary = cli.json("import", "interactions", str(files / "history.csv"), "--skip-bad")
    assert (summary["added"], summary["bad"]) == (3, 2)
    meeting = cli.json("history", "--kind", "meeting")[0]
    assert meeting["contacts"] == ["Grace Kim", "Jamal Wright"] and meeting["date"] == "2026-10-05"
    assert cli.json("history", "jamal", "--kind", "help-received")[0]["topics"] == ["game dev"]
    again = cli.json("import", "interactions", str(files / "history.csv"), "--skip-bad")
    assert (again["added"], again["unchanged"]) == (0, 3)


def test_bad_files(cli, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"name,org\nJos\xe9,Acme\n")
    r = cli("import", "csv", str(latin), code=1)
    assert "latin.csv line 2: not UTF-8" in r.stderr
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,emial\nAna,a@b.c\n")
    assert "unknown column emial" in cli("import", "csv", str(wrong), code=1).stderr
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("name,org\nAna,Acme,extra\n" + "x" * 200_000 + ",y\n")
    r = cli("import", "csv", str(ragged), "--skip-bad")
    assert "line 2: expected 2 columns, found 3" in r.stderr
    assert "ragged.csv line 3: unreadable CSV" in r.stderr
    assert cli("import", "vcard", str(tmp_path / "missing.vcf"), code=1).stderr.startswith("error: ")
    cli("import", "pdf", str(latin), code=2)


def test_json_backup_round_trip(cli, tmp_path):
    cli("demo")
    cli("add", "Late Introducer")
    cli("edit", "ana lima", "--introduced-by", "late introducer")  # points at a later row
    cli("config", "set", "tiers.A", "10")
    first = tmp_path / "backup.json"
    cli("export", "json", "--output", str(first))
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    snooze = cli.json("nudge")[0]["id"]
    cli("snooze", snooze)
    cli("export", "json", "--output", str(first))
    restored = str(tmp_path / "restored.db")
    summary = cli.json("--db", restored, "import", "json", str(first))
    assert summary["added"] == 31
    assert cli.json("--db", restored, "show", "ana lima")["introduced_by"] == "Late Introducer"
    second = cli("--db", restored, "export", "json").stdout
    assert json.loads(second) == json.loads(first.read_text())
    assert second == first.read_text()
    assert cli.json("--db", restored, "nudge", "--all") == cli.json("nudge", "--all")
    found = {(r["kind"], r["id"]) for r in cli.json("search", "rust")}
    assert {(r["kind"], r["id"]) for r in cli.json("--db", restored, "search", "rust")} == found
    # into the database it came from: everyone is there already, nothing changes
    again = cli.json("import", "json", str(first))
    assert (again["added"], again["updated"], again["unchanged"], again["conflicts"]) == (0, 0, 31, [])
    assert cli("export", "json").stdout == first.read_text()


def test_vcard_export_reimports(cli, tmp_path):
    cli("demo")
    out = tmp_path / "all.vcf"
    cli("export", "vcard", "--output", str(out))
    assert out.read_text().count("BEGIN:VCARD") == 30
    again = cli.json("import", "vcard", str(out))
    assert again["added"] == 0 and again["bad"] == 0
    fresh = str(tmp_path / "fresh.db")
    cli("--db", fresh, "import", "vcard", str(out))
    before = {c["name"]: c for c in cli.json("list")}
    after = {c["name"]: c for c in cli.json("--db", fresh, "list")}
    assert set(before) == set(after)
    for name, c in before.items():
        for key in ("email", "org", "role", "url", "tier", "via", "met_at", "met_on", "tags", "topics", "note"):
            assert after[name][key] == c[key], (name, key)


def test_csv_export_defuses_formulas_and_reimports(cli, tmp_path):
    cli("add", "=SUM(A1:A9)", "--org", "+danger", "--note", "@mention", "--phone", "+351 912 000 000")
    cli("add", "Plain Person", "--tag", "a", "--tag", "b")
    text = cli("export", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    formula = next(r for r in rows if "SUM" in r["name"])
    assert formula["name"] == "'=SUM(A1:A9)" and formula["org"] == "'+danger"
    path = tmp_path / "out.csv"
    path.write_text(text)
    fresh = str(tmp_path / "fresh.db")
    assert cli.json("--db", fresh, "import", "csv", str(path))["added"] == 2
    back = cli.json("--db", fresh, "show", "=SUM(A1:A9)")
    assert back["org"] == "+danger" and back["phone"] == "+351 912 000 000"
    assert cli.json("--db", fresh, "show", "plain")["tags"] == ["a", "b"]


def test_calendar_feed_parses(cli, tmp_path):
    from icalendar import Calendar

    cli("demo")
    out = tmp_path / "netcli.ics"
    cli("export", "ics", "--output", str(out))
    calendar = Calendar.from_ical(out.read_bytes())
    todos = [c for c in calendar.walk("VTODO")]
    events = [c for c in calendar.walk("VEVENT")]
    assert len(todos) == len(cli.json("nudge", "--all"))
    assert all(t.get("due") and t.get("uid") and t.get("dtstamp") for t in todos)
    summaries = {str(e.get("summary")) for e in events}
    assert "Lisbon Rust Meetup #43" in summaries
    assert any(s.startswith("Mentor session with Dana Novak") for s in summaries)
    assert len({str(c.get("uid")) for c in [*todos, *events]}) == len(todos) + len(events)


def test_search_known_answers(cli):
    cli("add", "José Núñez", "--org", "Ferrous Labs", "--topic", "embedded rust")
    cli("add", "Maria Souza", "--note", "knows a lot about Rust compilers")
    cli("add", "Rusty Rhodes")
    cli("log", "maria", "--note", "Airflow DAG templates", "--topic", "data engineering")
    cli("goal", "add", "Ship a Rust crate", "--why", "open source")
    found = cli.json("search", "rust")
    assert {(r["kind"], r["title"].split(" (")[0]) for r in found} >= {
        ("contact", "José Núñez"),
        ("contact", "Maria Souza"),
        ("contact", "Rusty Rhodes"),
        ("goal", "Ship a Rust crate"),
    }
    assert found[0]["title"] in ("Rusty Rhodes", "Ship a Rust crate")  # a name or title hit ranks first
    assert [r["title"] for r in cli.json("search", "nunez")] == ["José Núñez (Ferrous Labs)"]
    assert [r["kind"] for r in cli.json("search", "airflow templ")] == ["interaction"]
    assert cli.json("search", "ferrous embedded")[0]["title"].startswith("José")
    assert cli.json("search", "zzz") == []
    assert cli.json("search", "!!!") == []  # punctuation is looked for as typed
    cli("edit", "maria", "--note", "now into Go")
    assert "Maria Souza" not in {r["title"] for r in cli.json("search", "compilers")}
    cli("rm", "rusty", "--yes")
    assert "Rusty Rhodes" not in {r["title"] for r in cli.json("search", "rust")}


def test_plain_search_fallback_gives_the_same_answers(cli, monkeypatch):
    """Where FTS5 is missing (PostgreSQL, a SQLite without it) search still works."""
    import importlib

    search_module = importlib.import_module("netcli.store.search")

    cli("add", "José Núñez", "--org", "Ferrous Labs", "--topic", "embedded rust")
    cli("add", "Maria Souza", "--note", "knows a lot about Rust compilers")
    cli("log", "maria", "--note", "Airflow DAG templates")
    cli("goal", "add", "Ship a Rust crate")
    fts = {(r["kind"], r["id"]) for r in cli.json("search", "rust")}
    monkeypatch.setattr(search_module, "_has_index", lambda session: False)
    plain = cli.json("search", "rust")
    assert {(r["kind"], r["id"]) for r in plain} == fts
    assert plain[0]["kind"] == "goal"  # the title hit outranks body hits
    assert [r["kind"] for r in cli.json("search", "airflow templ")] == ["interaction"]
    assert [r["title"] for r in cli.json("search", "nunez")] == ["José Núñez (Ferrous Labs)"]


def test_the_backup_is_written_in_pieces_as_one_json_document(cli, tmp_path):
    """`export json` streams its tables; the text is exactly the compact,
    key-sorted JSON of the whole document."""
    import json

    from netcli import migrations
    from netcli.formats import jsonbackup

    cli("demo")
    out = tmp_path / "backup.json"
    cli("export", "json", "--output", str(out))
    text = out.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert text == json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    assert doc["schema"] == migrations.HEAD and len(doc["tables"]["contact"]) == 30
    tables = [("b", iter([{"y": 2, "x": "é"}] * 2_500)), ("a", iter([]))]
    whole = "".join(jsonbackup.chunks(tables, schema="9"))
    doc = {
        "format": "netcli-backup",
        "version": 1,
        "schema": "9",
        "tables": {"a": [], "b": [{"y": 2, "x": "é"}] * 2_500},
    }
    assert whole == json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def test_a_failing_export_leaves_no_file_behind(tmp_path):
    from netcli.errors import NetcliError
    from netcli.privatefile import write_private

    def pieces():
        yield "half a backup"
        raise NetcliError("the database went away")

    target = tmp_path / "backup.json"
    with pytest.raises(NetcliError, match="went away"):
        write_private(target, pieces())
    assert list(tmp_path.iterdir()) == []
    write_private(target, iter(["whole ", "text"]))
    assert target.read_text() == "whole text" and [p.name for p in tmp_path.iterdir()] == ["backup.json"]


def test_backups_are_read_a_row_at_a_time_and_bad_ones_refused_whole(cli, tmp_path):
    """import json checks the whole file before restoring a row; each fault is
    one line, exit 1, and no new database is left behind. A byte-order mark is
    fine. A backup of a newer netcli's schema is refused."""
    from netcli import migrations

    cli("demo")
    backup = tmp_path / "backup.json"
    cli("export", "json", "--output", str(backup))
    good = backup.read_text(encoding="utf-8")
    head = '{"format":"netcli-backup","schema":"0005","tables":'
    faults = {
        good[: len(good) // 2]: "not valid JSON",
        "[1, 2]": "not a netcli backup",
        '{"format":"other","version":1,"tables":{}}': "not a netcli backup",
        good.replace('"version":1}', '"version":7}'): "version 7 backup",
        head + '[],"version":1}': "'tables' must map",
        head + '{"contact":{}},"version":1}': "must be a list of rows",
        head + '{"contact":[1]},"version":1}': "row 1 is not an object",
        head + '{"gadgets":[{"id":1}]},"version":1}': "does not know: gadgets",
        head + '{"contact":[{"id":1,"colour":"red"}]},"version":1}': "contact row 1: unknown field colour",
        good.replace(f'"schema":"{migrations.HEAD}"', '"schema":"9999"'): "database schema '9999', which this netcli",
        good.replace(f'"schema":"{migrations.HEAD}"', '"schema":"x"'): "database schema 'x', which this netcli",
    }
    for number, (text, expected) in enumerate(faults.items()):
        bad = tmp_path / f"bad{number}.json"
        bad.write_text(text, encoding="utf-8")
        target = str(tmp_path / f"new{number}.db")
        r = cli("--db", target, "import", "json", str(bad), code=1)
        assert expected in r.stderr and len(r.stderr.strip().splitlines()) == 1, (expected, r.stderr)
        assert not Path(target).exists()  # nothing was restored, so no new database is left behind
    for name, data, expected in (
        ("random.json", bytes(range(256)) * 4, "not valid JSON (lexical error"),
        ("latin.json", '{"format":"é"}'.encode("latin-1"), "not UTF-8 text"),
        ("empty.json", b"", "not valid JSON"),
    ):
        (tmp_path / name).write_bytes(data)
        r = cli("--db", str(tmp_path / "none.db"), "import", "json", str(tmp_path / name), code=1)
        assert r.stderr.startswith(f"error: {name}: {expected}") and len(r.stderr.strip().splitlines()) == 1, r.stderr
    marked = tmp_path / "marked.json"
    marked.write_bytes(b"\xef\xbb\xbf" + good.encode("utf-8"))
    restored = str(tmp_path / "restored.db")
    assert cli.json("--db", restored, "import", "json", str(marked))["added"] == 30
    assert cli("--db", restored, "export", "json").stdout == good


TRICKY_NOTES = (
    'Met at the "Rust, Embedded" meetup, asked about DMA',
    "two lines\nsecond, with a comma",
    '=HYPERLINK("http://evil.example")',
    "'=already quoted",
    "+351 is her country code; -1 for the idea",
    "@here said ''' and \"\"\"",
)


def build_network(cli, tmp_path):
    """A network with what imports get wrong: introducers on later rows (a
    chain and a cycle), a met_at event, labels, tier, cadence, birthday,
    archived, two people of one name, and notes a spreadsheet would mangle."""
    cli("event", "add", "Lisbon Rust Meetup", "--on", "2026-10-01")
    seed = tmp_path / "seed.csv"
    seed.write_text("name,email,birthday\nYara Young,yara@example.org,1990-04-15\nXi Xu,,--07-04\n")
    cli("import", "csv", str(seed))
    cli(
        "add",
        "Wes West",
        "--introduced-by",
        "Xi Xu",
        "--tier",
        "A",
        "--every",
        "10d",
        "--email",
        "wes@example.org",
        "--email",
        "Wes+Talks@Work.example",
        "--email",
        "w.west@home.example",
    )  # several emails: every export carries them all, in order
    cli(
        "add",
        "Abe Adams",
        "--introduced-by",
        "Wes West",
        "--via",
        "event",
        "--met-at",
        "Lisbon Rust Meetup",
        "--on",
        "2026-10-01",
        "--tag",
        "speaker",
        "--tag",
        "rust",
        "--topic",
        "embedded rust",
        "--topic",
        "dma, timers",
        "--note",
        TRICKY_NOTES[0],
    )
    cli("edit", "Xi Xu", "--introduced-by", "Abe Adams")  # a cycle: Abe <- Wes <- Xi <- Abe
    cli("add", "Sam Lee", "--email", "sam@one.example", "--org", "One", "--note", TRICKY_NOTES[1])
    cli("add", "Sam Lee", "--email", "sam@two.example", "--org", "Two", "--force", "--note", TRICKY_NOTES[2])
    cli(
        "add",
        "Bea Brown",
        "--introduced-by",
        "#6",
        "--url",
        "https://bea.example",
        "--phone",
        "+351 912 000 000",
        "--note",
        TRICKY_NOTES[3],
    )
    cli("add", "Cy Cole", "--tier", "D", "--note", TRICKY_NOTES[4])
    cli("archive", "Cy Cole")
    cli(
        "log", "Abe Adams", "#5", "--kind", "meeting", "--on", "2026-11-02", "--note", TRICKY_NOTES[5], "--topic", "dma"
    )
    cli("log", "#6", "Bea", "--kind", "help-received", "--on", "2026-11-02", "--note", "same day, other people")
    cli("log", "Wes", "--kind", "call", "--on", "2026-11-03", "--note", "twice the same")
    cli("log", "Wes", "--kind", "call", "--on", "2026-11-03", "--note", "twice the same")
    # two of one name with neither email nor URL: only their order tells them apart
    cli("add", "Lee Wong", "--on", "2026-10-05")
    cli("add", "Lee Wong", "--org", "Acme", "--force", "--on", "2026-10-06")
    cli("add", "Kim Park", "--introduced-by", "#10", "--on", "2026-10-07")
    cli("log", "#9", "--kind", "call", "--on", "2026-11-04", "--note", "the first Lee")
    cli("log", "#10", "Kim", "--kind", "meeting", "--on", "2026-11-05", "--note", "the Lee of Acme")


def test_every_export_reimports_into_an_empty_database(cli, tmp_path):
    """export csv + export interactions, export vcard and export json each come
    back whole in an empty database: exporting again gives the same file."""
    build_network(cli, tmp_path)
    assert cli.json("show", "#7")["introduced_by"] == "Sam Lee"
    people, history = tmp_path / "people.csv", tmp_path / "history.csv"
    cli("export", "csv", "--output", str(people))
    cli("export", "interactions", "--output", str(history))
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(people.read_text())))
    assert [r["name"] for r in rows][:2] == ["Abe Adams", "Bea Brown"]  # introducers on later rows
    assert next(csv.reader(io.StringIO(history.read_text()))) == ["date", "kind", "contacts", "note", "topics"]

    fresh = str(tmp_path / "fresh-csv.db")
    summary = cli.json("--db", fresh, "import", "csv", str(people))
    assert (summary["added"], summary["bad"]) == (len(rows), 0)
    assert cli.json("--db", fresh, "import", "interactions", str(history))["bad"] == 0
    assert cli("--db", fresh, "export", "csv").stdout == people.read_text()
    assert cli("--db", fresh, "export", "interactions").stdout == history.read_text()
    bea = next(r for r in csv.DictReader(io.StringIO(people.read_text())) if r["name"] == "Bea Brown")
    assert bea["introduced_by"] == "Sam Lee <sam@two.example>"  # which Sam Lee, by email
    assert "Sam Lee <sam@one.example>" in history.read_text()
    assert sorted(c["org"] for c in cli.json("--db", fresh, "list") if c["name"] == "Sam Lee") == ["One", "Two"]
    kim = next(r for r in csv.DictReader(io.StringIO(people.read_text())) if r["name"] == "Kim Park")
    assert (
        kim["introduced_by"] == "Lee Wong <2>" and "2026-11-04,call,Lee Wong <1>,the first Lee" in history.read_text()
    )
    acme = next(c for c in cli.json("--db", fresh, "list") if c["org"] == "Acme")
    assert [i["note"] for i in cli.json("--db", fresh, "history", f"#{acme['id']}") if i["kind"] == "meeting"] == [
        "the Lee of Acme"
    ]

    cards = tmp_path / "people.vcf"
    cli("export", "vcard", "--output", str(cards))
    fresh = str(tmp_path / "fresh-vcard.db")
    assert cli.json("--db", fresh, "import", "vcard", str(cards))["bad"] == 0
    assert cli("--db", fresh, "export", "vcard").stdout == cards.read_text()
    assert cli.json("--db", fresh, "list", "--archived")[0]["name"] == "Cy Cole"
    assert cli.json("--db", fresh, "show", "Abe Adams")["topics"] == ["dma, timers", "embedded rust"]
    older = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Old Export\r\nX-NETCLI-TOPICS:rust\\,dma\r\nEND:VCARD\r\n"
    assert Card.parse(older).fields().topics == ["rust", "dma"]  # as exports wrote them before

    backup = tmp_path / "backup.json"
    cli("export", "json", "--output", str(backup))
    fresh = str(tmp_path / "fresh-json.db")
    cli("--db", fresh, "import", "json", str(backup))
    assert cli("--db", fresh, "export", "json").stdout == backup.read_text()
    assert cli("--db", fresh, "export", "csv").stdout == people.read_text()


def test_every_import_matches_people_by_name_as_add_does(cli, files, tmp_path):
    """A record with an email or URL still updates the one contact of its name
    when that contact has no other email or URL; when it has, the record is
    added and named as a likely duplicate. The same rule for every import."""
    cli("add", "Keiko Sato")  # typed in by hand: no URL, no email
    cli("add", "Farid Haddad", "--email", "farid@home.example")  # another email: someone else?
    summary = cli.json("import", "linkedin", str(files / "Connections.csv"))
    assert (summary["added"], summary["updated"]) == (2, 1)
    keiko = [c for c in cli.json("list") if c["name"] == "Keiko Sato"]
    assert (
        len(keiko) == 1 and keiko[0]["url"] == "https://www.linkedin.com/in/keikosato" and keiko[0]["org"] == "Mercari"
    )
    assert len(summary["duplicates"]) == 1 and "Farid Haddad" in summary["duplicates"][0]
    r = cli("import", "linkedin", str(files / "Connections.csv"))
    assert (
        r.stdout.strip() == "added 0, updated 0, unchanged 3, conflicts 0, bad 0" and "likely duplicate" not in r.stderr
    )

    cli("add", "Bo Chen", "--phone", "555")
    summary = cli.json("import", "vcard", str(files / "apple.vcf"))
    assert (summary["added"], summary["updated"], summary["duplicates"]) == (0, 1, [])
    assert [c["email"] for c in cli.json("list") if c["name"] == "Bo Chen"] == ["bo@kestrel.example"]

    cli("add", "Ines Duarte")
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,email\nInes Duarte,ines@new.example\nFarid Haddad,farid@third.example\n")
    summary = cli.json("import", "csv", str(sheet))
    assert cli.json("show", "Ines Duarte")["email"] == "ines@new.example"
    assert (summary["added"], summary["updated"]) == (1, 1) and "line 3: Farid Haddad" in summary["duplicates"][0]
    r = cli("import", "csv", str(sheet))
    assert "likely duplicate" not in r.stderr and r.stdout.startswith("added 0")


def test_what_other_readers_choke_on_never_blocks_a_card(cli, files):
    """Photos, logos and keys that are not base64, unknown properties and
    parameters, unknown charsets and tel: URIs: the card comes in with
    everything netcli reads. A card without a name is bad, and so is one whose
    birthday names no day, or with an EMAIL that is no address (base64 or
    not), with the words `add` has for each."""
    r = cli("import", "vcard", str(files / "damaged.vcf"), code=1)
    assert r.stderr.count("damaged.vcf line") == 3 and "line 44: card has no name" in r.stderr
    assert "line 15: cannot read the birthday 'sometime in spring'; use a date (1990-05-17) or --MM-DD" in r.stderr
    assert "line 48: email 'not an address' is not an email address (expected name@example.org)" in r.stderr
    assert "vobject" not in r.stderr
    summary = cli.json("import", "vcard", str(files / "damaged.vcf"), "--skip-bad")
    assert (summary["added"], summary["bad"]) == (5, 3)
    people = {c["name"]: c for c in cli.json("list")}
    assert people["Pia Photo"]["email"] == "pia@example.org"
    assert people["Viktor Vogel"]["phone"] == "+49 30 1234"
    assert people["Uma Params"]["email"] == "uma@example.org" and people["Uma Params"]["org"] == "Acme"
    assert people["Uma Params"]["phone"] == "+44 20 7946 0000"
    cleo = people["Cleo Charset"]
    assert cleo["emails"] == ["cleo@b64.example.org", "cleo@example.org"] and cleo["role"] == "Chief bell officer"
    assert cleo["note"] == "café"
    assert people["Nao Nakamura"]["email"] == "nao@example.org"


def test_introducers_anywhere_in_the_file_and_bad_ones_named(cli, tmp_path):
    """introduced_by resolves among the file's own rows in any order (a chain
    backwards, a cycle), then as WHO; a name nobody has is a bad line and, with
    --skip-bad, that row alone stays out."""
    cli("add", "Olga Old")
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "name,email,introduced_by\n"
        "Ann A,,Ben B\n"  # line 2: a chain, each introducer further down
        "Ben B,,Cat C\n"
        "Cat C,,Olga\n"  # a prefix of someone stored: WHO rules
        "Dov D,,Eve E\n"  # line 5: a cycle
        "Eve E,,Dov D\n"
        "Fay F,,Nobody Known\n"  # line 7: bad
        "Gil G,,Sam Lee <sam@two.example>\n"
        "Sam Lee,sam@one.example,\n"
        "Sam Lee,sam@two.example,\n"
        "Hal H,,Sam Lee\n"  # line 11: which one? bad
    )
    r = cli("import", "csv", str(sheet), code=1)
    assert "line 7: no contact matches 'Nobody Known'" in r.stderr and "line 11: 'Sam Lee' names 2 contacts" in r.stderr
    assert "2 bad records" in r.stderr and cli.json("list", "--sort", "name")[0]["name"] == "Olga Old"
    summary = cli.json("import", "csv", str(sheet), "--skip-bad")
    assert (summary["added"], summary["bad"]) == (8, 2)
    introducer = {c["name"]: c["introduced_by"] for c in cli.json("list")}
    assert introducer["Ann A"] == "Ben B" and introducer["Ben B"] == "Cat C" and introducer["Cat C"] == "Olga Old"
    assert (introducer["Dov D"], introducer["Eve E"]) == ("Eve E", "Dov D")
    assert "Fay F" not in introducer and "Hal H" not in introducer
    assert cli.json("show", "Gil G")["introduced_by"] == "Sam Lee"
    people = tmp_path / "back.csv"
    cli("export", "csv", "--output", str(people))
    assert "Gil G,,,,,,,,,,,,Sam Lee <sam@two.example>" in people.read_text()  # no met_on: the file did not say when


def test_interactions_name_people_who_share_a_name_by_address(cli, tmp_path):
    cli("add", "Sam Lee", "--email", "sam@one.example", "--on", "2026-01-01")
    cli("add", "Sam Lee", "--url", "https://two.example", "--force", "--on", "2026-01-01")
    cli("add", "Ana Lima", "--on", "2026-01-01")
    sheet = tmp_path / "history.csv"
    sheet.write_text(
        "date,kind,contacts,note,topics\n"
        "2026-02-01,call,Sam Lee <https://two.example>;Ana,a call,\n"
        "2026-02-02,call,Sam Lee <SAM@one.example>,,\n"
        "2026-02-03,call,Sam Lee,,\n"
        "2026-02-04,call,Sam Lee <nobody@example.org>,,\n"
    )
    r = cli("import", "interactions", str(sheet), code=1)
    assert "line 4: 'Sam Lee' names 2 contacts; write it as 'Name <email>' to say which" in r.stderr
    assert "line 5: no contact matches 'Sam Lee <nobody@example.org>'" in r.stderr
    assert cli.json("import", "interactions", str(sheet), "--skip-bad")["added"] == 2
    calls = cli.json("history", "--kind", "call")
    assert [(c["date"], c["contacts"]) for c in calls] == [
        ("2026-02-02", ["Sam Lee"]),
        ("2026-02-01", ["Ana Lima", "Sam Lee"]),
    ]
    out = cli("export", "interactions").stdout.splitlines()
    assert out[-2:] == [
        "2026-02-01,call,Ana Lima;Sam Lee <https://two.example>,a call,",
        "2026-02-02,call,Sam Lee <sam@one.example>,,",
    ]


_cell_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@given(st.lists(st.lists(_cell_text, min_size=3, max_size=3), max_size=8))
@example([["", "", "\r"], ["=1 ", "'", "' "]])  # a quoted blank: trimmed after the quote comes off, not before
def test_csv_cells_come_back_as_written(tmp_path_factory, rows):
    """Whatever text a cell holds (quotes, commas, newlines, formula
    characters, a quote before one), the CSV netcli writes reads back as that
    text, trimmed as every import trims it, and no cell starts a formula."""
    from netcli.formats import tables

    path = tmp_path_factory.mktemp("cells") / "cells.csv"
    columns = ("name", "org", "note")
    path.write_text("".join(tables.write_rows(columns, (dict(zip(columns, r, strict=True)) for r in rows))), newline="")
    with path.open(newline="") as handle:
        written = list(csv.reader(handle))[1:]
    assert all(not cell.startswith(tables.FORMULA_START) for row in written for cell in row)
    back = [p.record for p in tables.iter_rows(path, columns, ()) if any(p.record.values())]
    expected = [dict(zip(columns, (c.strip() for c in r), strict=True)) for r in rows if any(c.strip() for c in r)]
    assert back == expected


_plain = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
_label = st.text(
    st.characters(whitelist_categories=("Ll", "Nd"), whitelist_characters=" -=+@'"), min_size=1, max_size=12
)
_person = st.fixed_dictionaries(
    {
        "name": _plain.filter(lambda s: s.split()),
        "org": _plain,
        "note": st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60),
        "tags": st.lists(_label.filter(lambda s: s.split()), max_size=3),
    }
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_person, min_size=1, max_size=3), st.data())
def test_csv_round_trip_of_any_network(tmp_path, people, data):
    """Any people, each introduced by any of them: export csv, import into an
    empty database, export again: the same file (but for the interaction
    columns: `add` logs a meeting, an import does not)."""
    import uuid

    # both ends are SQLite files named by --db, so a PostgreSQL variant would only repeat this
    cli = Cli()

    first = str(tmp_path / f"{uuid.uuid4().hex}.db")
    for p in people:
        args = ["--db", first, "add", "--force"]
        for option in ("org", "note"):
            if p[option].strip():  # an empty value is a usage error: one leaves the option out
                args += [f"--{option}", p[option]]
        for t in p["tags"]:
            args += ["--tag", t]
        cli(*args, "--", p["name"])  # a name may start with '-' ("-0"), as at a shell
    for number in range(len(people)):
        introducer = data.draw(st.integers(1, len(people)))
        if introducer != number + 1:
            cli("--db", first, "edit", f"#{number + 1}", "--introduced-by", f"#{introducer}")
    exported = tmp_path / f"{uuid.uuid4().hex}.csv"
    cli("--db", first, "export", "csv", "--output", str(exported))
    second = str(tmp_path / f"{uuid.uuid4().hex}.db")
    assert cli.json("--db", second, "import", "csv", str(exported))["added"] == len(people)

    def contacts(text):
        return [row[:-3] for row in csv.reader(io.StringIO(text, newline=""))]

    again = tmp_path / f"{uuid.uuid4().hex}.csv"  # a file: CliRunner's stdout turns every \r\n into \n
    cli("--db", second, "export", "csv", "--output", str(again))
    with again.open(newline="") as mine, exported.open(newline="") as theirs:
        assert contacts(mine.read()) == contacts(theirs.read())


def test_csv_round_trip_keeps_a_notes_lines(cli, tmp_path):
    """A note's \\r\\n and lone \\r (a spreadsheet's) are stored as the line
    breaks they are, \\n (a CR is a control character: cards and terminals
    choke on it), and come back as the same lines."""
    cli("add", "Rx Test", "--note", "line\r\nnext\rend")
    assert cli.json("show", "Rx Test")["note"] == "line\nnext\nend"
    exported = tmp_path / "people.csv"
    cli("export", "csv", "--output", str(exported))
    cli("rm", "Rx Test", "--yes")
    cli("import", "csv", str(exported))
    assert cli.json("show", "Rx Test")["note"] == "line\nnext\nend"


def _schema(db: str) -> list[tuple[str, str]]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").fetchall()


@pytest.mark.sqlite_only
def test_a_large_import_sets_indexes_aside_and_makes_them_again(cli, tmp_path, monkeypatch, database):
    """Past the threshold an import drops the interaction tables' indexes and
    triggers and makes them again at its end: the schema is as it was, the
    search index and statistics know every row, and a dry run leaves all as is."""
    from netcli.store import bulk, imports

    monkeypatch.setattr(bulk, "SET_ASIDE_AFTER", 3)
    monkeypatch.setitem(imports.import_interactions.__kwdefaults__, "batch", 10)  # most rows go in set aside
    set_aside = []
    monkeypatch.setattr(
        bulk, "_set_aside", lambda conn, tables, real=bulk._set_aside: set_aside.append(1) or real(conn, tables)
    )
    cli("add", "Ana Lima", "--email", "ana@example.org")
    cli("add", "Bo Chen")
    history = tmp_path / "history.csv"
    rows = [
        f"2026-0{1 + i % 9}-1{i % 9},{'help-received' if i % 4 else 'call'},Ana Lima;Bo Chen,note {i} kiwi,"
        for i in range(40)
    ]
    history.write_text("date,kind,contacts,note,topics\n" + "\n".join(rows) + "\n2026-10-01,thanks,Bo Chen,,rust\n")
    before, logged = _schema(database), cli.json("history")
    dry = cli.json("import", "interactions", str(history), "--dry-run")
    assert dry["added"] == 41 and _schema(database) == before and cli.json("history") == logged
    assert cli.json("import", "interactions", str(history))["added"] == 41
    assert _schema(database) == before and set_aside == [1, 1]  # the dry run's and the real one's
    assert "note 7 [kiwi]" in {hit["match"] for hit in cli.json("search", "kiwi")}  # the search index caught up
    ana, bo = cli.json("show", "Ana Lima"), cli.json("show", "Bo Chen")
    assert (ana["interactions"], ana["help_received"], bo["interactions"]) == (41, 30, 42)  # statistics too
    cli("log", "Ana Lima", "--kind", "call", "--note", "after the import, a lychee")  # the triggers are back
    assert cli.json("search", "lychee") and cli.json("show", "Ana Lima")["interactions"] == 42
    cli("db", "check")


def test_an_introducer_in_conflict_is_named_as_show_names_them(cli, tmp_path):
    cli("add", "Bo Intro")
    cli("add", "Cy Intro")
    cli("add", "Ana Lima", "--email", "ana@example.org", "--introduced-by", "bo")
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,email,introduced_by\nAna Lima,ana@example.org,Cy Intro\n")
    result = cli("import", "csv", str(sheet), "--json")
    (conflict,) = json.loads(result.stdout)["conflicts"]
    assert (conflict["field"], conflict["here"], conflict["there"]) == ("introduced_by", "Bo Intro", "Cy Intro")
    assert "conflict: Ana Lima has introduced_by 'Bo Intro' here, the file says 'Cy Intro'" in result.stderr
    assert cli.json("show", "ana")["introduced_by"] == "Bo Intro"


def test_a_file_that_does_not_say_when_you_met_leaves_it_unknown(cli, tmp_path):
    """An import makes up no meeting day (it was "today", so an old address
    book counted as this month's new people), whatever the row order."""
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "name,email,emails,introduced_by,met_on,note,tier\n"
        "Lena Schmidt,lena@schmidt.example,,Bo Chen,2026-11-20,first,B\n"  # waits for Bo, further down
        "Lena Schmidt,lena@gmail.example,lena@gmail.example;lena@schmidt.example,,,second,A\n"
        "Bo Chen,bo@chen.example,,,2026-10-01,,\n"
        "Old Friend,old@example.org,,,,,\n"
    )
    cli("import", "csv", str(sheet))
    assert cli.json("show", "old friend")["met_on"] is None
    assert cli.json("show", "lena")["met_on"] == "2026-11-20"  # the row that says it, not a made-up today
    assert sum(cli.json("report", "--json")["new_by_channel"].values()) == 0  # nobody new this month


def test_a_vcard_export_carries_every_phone_and_reads_back_as_itself(cli, tmp_path):
    cli("add", "Obi Nwosu", "--phone", "+2348012345678", "--phone", "+234 802 000 0000", "--email", "obi@example.org")
    cards = tmp_path / "out.vcf"
    cli("export", "vcard", "--output", str(cards))
    assert cards.read_text().count("TEL:") == 2
    restored = str(tmp_path / "restored.db")
    cli("--db", restored, "import", "vcard", str(cards))
    assert cli.json("--db", restored, "show", "obi")["phones"] == cli.json("show", "obi")["phones"]
