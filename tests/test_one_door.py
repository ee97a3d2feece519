"""One door per fact: every source writes a contact through one writer,
finds people through one resolver, and fills what is missing without
overwriting what the user typed (issue 28, contract section 15)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import Cli


def _on(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


def _linkedin(path: Path, rows: list[str]) -> Path:
    path.write_text(
        "Notes:\n"
        '"When exporting your connection data, you may notice that some of the email addresses are missing."\n'
        "\n"
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    return path


def test_import_linkedin_never_overwrites_how_where_and_when_you_met(cli: Cli, tmp_path: Path) -> None:
    met = _on(20)
    cli("event", "add", "Meetup #52", "--on", met)
    cli("add", "Lena Schmidt", "--via", "event", "--met-at", "Meetup #52", "--on", met, "--email", "lena@example.org")
    connected = (date.today() - timedelta(days=6)).strftime("%d %b %Y")
    export = _linkedin(
        tmp_path / "Connections.csv",
        [
            f"Lena,Schmidt,https://www.linkedin.com/in/lena-schmidt,lena@example.org,Zalando,ML Engineer,{connected}",
            f"Omar,Haddad,https://www.linkedin.com/in/omar-h,,Acme,CTO,{connected}",
        ],
    )
    summary = cli.json("import", "linkedin", str(export))
    assert (summary["read"], summary["added"], summary["updated"], summary["bad"]) == (2, 1, 1, 0)
    assert summary["conflicts"] == []
    lena = cli.json("show", "lena")
    assert (lena["via"], lena["met_at"], lena["met_on"]) == ("event", "Meetup #52", met)
    assert (lena["org"], lena["role"], lena["url"]) == (
        "Zalando",
        "ML Engineer",
        "https://www.linkedin.com/in/lena-schmidt",
    )
    assert [i["date"] for i in lena["timeline"] if i["kind"] == "met"] == [met]
    omar = cli.json("show", "omar")
    assert (omar["via"], omar["met_at"]) == ("social", "LinkedIn")
    # the event still lists her, and a second import finds nothing to do
    again = cli.json("import", "linkedin", str(export))
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_import_csv_lists_conflicts_and_prefer_file_takes_the_file(cli: Cli, tmp_path: Path) -> None:
    cli("add", "Ana Lima", "--on", _on(30), "--org", "Ferrous", "--email", "ana@example.org")
    cli("add", "Bo Chen", "--on", _on(40))
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "name,email,org,met_on,introduced_by,tags,phone\n"
        f"Ana Lima,ana@example.org,Rust Foundation,{_on(10)},Bo Chen,rust,+49 170 1234567\n",
        encoding="utf-8",
    )
    dry = cli.json("import", "csv", str(sheet), "--dry-run")
    real = cli.json("import", "csv", str(sheet))
    assert dry["dry_run"] is True and real["dry_run"] is False
    assert {k: v for k, v in dry.items() if k != "dry_run"} == {k: v for k, v in real.items() if k != "dry_run"}
    assert real["updated"] == 1 and real["added"] == 0
    fields = sorted((c["field"], c["here"], c["there"]) for c in real["conflicts"])
    assert fields == [("met_on", _on(30), _on(10)), ("org", "Ferrous", "Rust Foundation")]
    ana = cli.json("show", "ana")
    assert (ana["org"], ana["met_on"], ana["introduced_by"]) == ("Ferrous", _on(30), "Bo Chen")  # filled, not replaced
    assert ana["tags"] == ["rust"] and ana["phones"] == ["+49 170 1234567"]
    # the introducer's intro was logged on the day they met, so `thank` can ask
    assert [i["date"] for i in cli.json("history", "bo", "--kind", "intro")] == [_on(30)]
    r = cli("import", "csv", str(sheet), "--prefer", "file")
    assert "updated 1" in r.stdout and "conflicts 0" in r.stdout
    ana = cli.json("show", "ana")
    assert (ana["org"], ana["met_on"]) == ("Rust Foundation", _on(10))
    assert [i["date"] for i in ana["timeline"] if i["kind"] == "met"] == [_on(10)]  # the `met` moved with it
    assert [i["date"] for i in cli.json("history", "bo", "--kind", "intro")] == [_on(10)]


@pytest.mark.one_engine
@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("email", "not an email", "email 'not an email' is not an email address (expected name@example.org)"),
        ("tier", "Z", "tier 'Z' is not one of A, B, C, D"),
        ("birthday", "--13-45", "cannot read the birthday '--13-45': no such month and day; use --MM-DD, e.g. --05-17"),
        ("cadence_days", "-5", "cadence_days '-5' must be between 1 and 36500 days"),
    ],
)
def test_the_same_bad_value_gets_the_same_error_from_every_door(
    cli: Cli, tmp_path: Path, column: str, value: str, message: str
) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(f"name,{column}\nZed Quorn,{value}\n", encoding="utf-8")
    r = cli("import", "csv", str(sheet), code=1)
    assert f"bad.csv line 2: {message}" in r.stderr
    backup = tmp_path / "backup.json"
    cli("add", "Yan Ortiz")
    cli("export", "json", "--output", str(backup))
    document = json.loads(backup.read_text())
    contact = document["tables"]["contact"][0] if "tables" in document else document["contact"][0]
    key = {"email": "email", "tier": "tier", "birthday": "birthday", "cadence_days": "cadence_days"}[column]
    contact[key] = value if column != "cadence_days" else int(value)
    backup.write_text(json.dumps(document))
    r = cli("--db", str(tmp_path / "restored.db"), "import", "json", str(backup), code=1)
    assert message in r.stderr


def test_one_resolver_finds_people_by_email_phone_and_url(cli: Cli, tmp_path: Path) -> None:
    cli("config", "set", "me.region", "DE")
    cli(
        "add",
        "Jürgen Müller",
        "--email",
        "Jurgen@Example.de",
        "--phone",
        "0170 1234567",
        "--url",
        "https://www.linkedin.com/in/jmueller/",
    )
    for who in (
        "jurgen+news@example.de",
        "+49 170 1234567",
        "linkedin.com/in/jmueller",
        "jurgen",
        "#1",
        "JÜRGEN MÜLLER",
    ):
        assert cli.json("show", who)["name"] == "Jürgen Müller", who
    r = cli("show", "nobody@example.org", code=1)
    assert "no contact has the email nobody@example.org" in r.stderr
    # an interactions file naming people by `Name <phone>` and `Name <email>`
    history = tmp_path / "history.csv"
    history.write_text(
        "date,kind,contacts,note,topics\n"
        f"{_on(3)},call,Jürgen Müller <+491701234567>,Talked,\n"
        f"{_on(2)},message,J. <jurgen@example.de>,Wrote,\n",
        encoding="utf-8",
    )
    summary = cli.json("import", "interactions", str(history))
    assert (summary["added"], summary["bad"]) == (2, 0)


def test_one_resolver_for_events_communities_and_goals(cli: Cli) -> None:
    cli("event", "add", "PyData Berlin", "--on", _on(3))
    cli("community", "add", "Rust Learners", "--kind", "community")
    cli("goal", "add", "Learn Rust embedded")
    for kind, text in (("event", "pydata"), ("community", "rust"), ("goal", "learn")):
        r = cli(kind, "show", text, "--json") if kind != "goal" else cli("goal", "show", text, "--json")
        assert json.loads(r.stdout)
    r = cli("goal", "show", "nothing like it", code=1)
    assert "no goal matches 'nothing like it'" in r.stderr


@pytest.mark.one_engine
def test_phones_are_many_and_edit_keeps_them_in_order(cli: Cli) -> None:
    cli("add", "Cy Diaz", "--phone", "+1 415 555 0100", "--phone", "+1 415 555 0199")
    assert cli.json("show", "cy")["phones"] == ["+1 415 555 0100", "+1 415 555 0199"]
    cli("edit", "cy", "--remove-phone", "+14155550100", "--add-phone", "+44 20 7946 0000")
    cy = cli.json("show", "cy")
    assert cy["phones"] == ["+1 415 555 0199", "+44 20 7946 0000"] and cy["phone"] == "+1 415 555 0199"
    shown = cli("show", "cy").stdout  # every number, as every address is shown
    assert "+1 415 555 0199" in shown and "other phones      +44 20 7946 0000" in shown
    r = cli("edit", "cy", "--remove-phone", "+1 000 000 0000", code=1)
    assert "Cy Diaz has no phone" in r.stderr
    r = cli("add", "Cy Twin", "--phone", "+1 (415) 555-0199", code=1)
    assert "already has the phone" in r.stderr


@pytest.mark.one_engine
def test_hostile_text_is_cleaned_at_the_door(cli: Cli, tmp_path: Path) -> None:
    cli("add", "Eve\x1b]0;pwned\x07 \u202eTrudy\u200b", "--note", "line one\r\nline two\x1b[2J")
    eve = cli.json("show", "eve")
    assert eve["name"] == "Eve]0;pwned Trudy"
    assert eve["note"] == "line one\nline two[2J"
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,note\nMallory\u009b31m Moe,Hi\x1b[1mthere\n", encoding="utf-8")
    cli("import", "csv", str(sheet))
    moe = cli.json("show", "mallory")
    assert moe["name"] == "Mallory31m Moe" and moe["note"] == "Hi[1mthere"


def test_db_check_finds_what_a_door_would_refuse(cli: Cli, database: str) -> None:
    cli("add", "Ana Lima")
    assert "values: ok" in cli("db", "check").stdout
    from sqlalchemy import create_engine, text

    url = database if "://" in database else f"sqlite:///{database}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE contact SET tier = 'Z', name = 'Ana\x1b[2J Lima', cadence_days = -5"))
    engine.dispose()
    r = cli("db", "check", code=1)
    assert "tier 'Z' is not one of A, B, C, D" in r.stdout
    assert "cadence_days '-5' must be between 1 and 36500 days" in r.stdout
    assert "holds what a door removes" in r.stdout


def test_db_check_finds_a_person_met_twice(cli: Cli, tmp_path: Path) -> None:
    """A backup edited by hand can hold a second `met`, which no door lets in."""
    cli("add", "Ana Lima", "--on", "2026-11-20")
    backup = tmp_path / "backup.json"
    cli("export", "json", "--output", str(backup))
    document = json.loads(backup.read_text())
    tables = document["tables"]
    met = dict(tables["interaction"][0], id=99, date="2026-11-25")
    tables["interaction"].append(met)
    tables["participant"].append(dict(tables["participant"][0], interaction_id=99, date="2026-11-25"))
    backup.write_text(json.dumps(document))
    restored = str(tmp_path / "restored.db")
    cli("--db", restored, "import", "json", str(backup))
    r = cli("--db", restored, "db", "check", code=1)
    assert "contact #1 Ana Lima: 2 `met` interactions; a person is met once (netcli unlog ID the others)" in r.stdout


def test_import_json_into_a_database_that_holds_something_fills_it(cli: Cli, tmp_path: Path) -> None:
    first, second = str(tmp_path / "first.db"), str(tmp_path / "second.db")
    cli("--db", first, "add", "Ana Lima", "--email", "ana@example.org", "--org", "Ferrous", "--tag", "rust")
    cli("--db", first, "add", "Bo Chen", "--introduced-by", "ana")
    cli("--db", first, "log", "ana", "bo", "--kind", "call", "--note", "planned the workshop")
    cli("--db", first, "community", "add", "Rust Learners", "--kind", "community")
    cli("--db", first, "goal", "add", "Learn embedded Rust")
    backup = tmp_path / "first.json"
    cli("--db", first, "export", "json", "--output", str(backup))
    cli("--db", second, "add", "Ana Lima", "--email", "ANA@example.org", "--org", "Rust Foundation")
    dry = cli.json("--db", second, "import", "json", str(backup), "--dry-run")
    real = cli.json("--db", second, "import", "json", str(backup))
    assert {k: v for k, v in dry.items() if k != "dry_run"} == {k: v for k, v in real.items() if k != "dry_run"}
    assert (real["read"], real["added"], real["updated"]) == (2, 1, 1)
    assert [(c["field"], c["here"], c["there"]) for c in real["conflicts"]] == [("org", "Rust Foundation", "Ferrous")]
    ana = cli.json("--db", second, "show", "ana")
    assert ana["org"] == "Rust Foundation" and ana["tags"] == ["rust"]
    assert cli.json("--db", second, "show", "bo")["introduced_by"] == "Ana Lima"
    calls = [h for h in cli.json("--db", second, "history", "--kind", "call")]
    assert [sorted(h["contacts"]) for h in calls] == [["Ana Lima", "Bo Chen"]]
    assert [c["name"] for c in cli.json("--db", second, "community", "list")] == ["Rust Learners"]
    again = cli.json("--db", second, "import", "json", str(backup))
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert len(cli.json("--db", second, "history", "--kind", "call")) == 1


@pytest.mark.one_engine
@pytest.mark.parametrize(
    ("option", "column", "value", "problem", "code"),
    [
        ("--tier", "tier", "Z", "'Z' is not one of A, B, C, D", 2),
        ("--every", "cadence_days", "soon", "'soon' is not a span; use one of: 10d, 2w, 3m, 1y", 2),
        (
            "--on",
            "met_on",
            "2099-01-01",
            "'2099-01-01' is in the future; give the day it happened (today at the latest)",
            1,
        ),
        ("--email", "email", "ana(at)x", "'ana(at)x' is not an email address (expected name@example.org)", 2),
    ],
)
def test_typed_and_filed_the_same_bad_value_gets_the_same_words(
    cli: Cli, tmp_path: Path, option: str, column: str, value: str, problem: str, code: int
) -> None:
    """`add` names the field as its option, a file as its column; what is
    wrong, and how to fix it, are the same words (a command line that cannot
    mean anything exits 2, a day that has not come 1)."""
    typed = cli("add", "Zed Quorn", option, value, code=code).stderr
    assert typed.startswith(f"error: {option}") and problem in typed, typed
    sheet = tmp_path / "bad.csv"
    sheet.write_text(f"name,{column}\nZed Quorn,{value}\n", encoding="utf-8")
    filed = cli("import", "csv", str(sheet), code=1).stderr
    assert f"bad.csv line 2: {column} {problem}" in filed, filed
    assert cli.json("list") == []


def test_a_backup_brings_no_intro_from_an_introducer_that_is_a_conflict(cli: Cli, tmp_path: Path) -> None:
    other, backup = str(tmp_path / "other.db"), tmp_path / "other.json"
    cli("--db", other, "add", "Chidi Obi", "--on", "2026-08-01")
    cli(
        "--db",
        other,
        "add",
        "Amaka Eze",
        "--email",
        "amaka@example.org",
        "--introduced-by",
        "chidi",
        "--on",
        "2026-09-09",
    )
    cli("--db", other, "export", "json", "--output", str(backup))
    cli("add", "Tunde Bakare", "--on", "2026-08-01")
    cli("add", "Amaka Eze", "--email", "amaka@example.org", "--introduced-by", "tunde", "--on", "2026-09-09")
    summary = cli.json("import", "json", str(backup))
    assert [(c["field"], c["here"], c["there"]) for c in summary["conflicts"]] == [
        ("introduced_by", "Tunde Bakare", "Chidi Obi")
    ]
    intros = [(i["date"], i["contacts"]) for i in cli.json("history", "--kind", "intro")]
    assert intros == [("2026-09-09", ["Tunde Bakare"])]  # Chidi's stays in the backup: no thank-you owed twice
    assert [i["kind"] for i in cli.json("history", "amaka")] == ["met"]
