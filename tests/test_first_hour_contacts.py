"""Issue 16, contacts group: what a new user hits in the first hour with
people, dates, mentors and the database location."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta

import pytest

from conftest import days_ago
from netcli.cli import prompts

# words and flows that no engine changes: run on SQLite (the store's SQL is tried on
# PostgreSQL by the modules that exercise it: io, report, nudge, db, search, reliability...)
pytestmark = pytest.mark.one_engine


def rules_of(cli, *args):
    return {(n["rule"], n["contact"]) for n in cli.json("nudge", "--all", *args)}


def kinds_with(cli, who):
    return sorted((h["kind"], h["date"]) for h in cli.json("history", who))


# ----------------------------------------------------------------- 3. introducers are thanked


def test_add_introduced_by_logs_an_intro_with_the_introducer(cli):
    cli("add", "Ana Lima", "--on", "30 days ago")
    cli("log", "ana", "--kind", "thanks", "--on", "20 days ago")
    cli("add", "Bo Chen", "--introduced-by", "ana", "--on", "3 days ago")
    intros = [h for h in cli.json("history", "ana") if h["kind"] == "intro"]
    assert [(h["date"], h["contacts"]) for h in intros] == [(days_ago(3), ["Ana Lima"])]
    assert "Bo Chen" in intros[0]["note"]
    thank = next(n for n in cli.json("nudge", "--all") if n["rule"] == "thank")
    assert thank["contact"] == "Ana Lima" and "introduction" in thank["action"]
    assert ("thank", "Bo Chen") not in rules_of(cli)  # Bo did not introduce anyone
    assert cli.json("show", "bo")["interactions"] == 1  # just the meeting


def test_edit_introduced_by_moves_or_removes_the_intro(cli):
    cli("add", "Ana Lima", "--on", "30 days ago")
    cli("add", "Cy Diaz", "--on", "30 days ago")
    cli("add", "Bo Chen", "--on", "5 days ago")
    cli("edit", "bo", "--introduced-by", "ana")  # set afterwards: logged on the meeting's day
    assert ("intro", days_ago(5)) in kinds_with(cli, "ana")
    cli("edit", "bo", "--introduced-by", "cy")  # a correction: the intro moves
    assert "intro" not in {k for k, _ in kinds_with(cli, "ana")}
    assert ("intro", days_ago(5)) in kinds_with(cli, "cy")
    cli("edit", "bo", "--met-on", "8 days ago")  # the intro is on the meeting's day
    assert ("intro", days_ago(8)) in kinds_with(cli, "cy")
    cli("edit", "bo", "--introduced-by", "none")
    assert "intro" not in {h["kind"] for h in cli.json("history")}
    assert cli.json("show", "bo")["introduced_by"] is None


def test_edit_introduced_by_keeps_an_intro_the_user_logged_by_hand(cli):
    cli("add", "Ana Lima", "--on", "30 days ago")
    cli("add", "Bo Chen", "--introduced-by", "ana", "--on", "5 days ago")
    cli("log", "ana", "--kind", "intro", "--on", "2 days ago", "--note", "to Dee, for the job")
    cli("edit", "bo", "--introduced-by", "none")
    assert [h["note"] for h in cli.json("history", "ana") if h["kind"] == "intro"] == ["to Dee, for the job"]


def test_imports_do_not_log_intros_and_json_restore_does_not_duplicate(cli, tmp_path):
    cli("add", "Ana Lima", "--on", "30 days ago")
    cli("add", "Bo Chen", "--introduced-by", "ana", "--on", "3 days ago")
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,introduced_by,met_on\nCy Diaz,Ana Lima,2020-05-01\n")
    cli("import", "csv", str(sheet))
    assert cli.json("show", "cy")["introduced_by"] == "Ana Lima"
    assert [h["kind"] for h in cli.json("history", "ana")].count("intro") == 1  # old history is not owed
    backup = tmp_path / "backup.json"
    cli("export", "json", "--output", str(backup))
    fresh = tmp_path / "fresh.db"
    cli("--db", str(fresh), "import", "json", str(backup))
    restored = json.loads(cli("--db", str(fresh), "history", "--json").stdout)
    assert [h["kind"] for h in restored].count("intro") == 1


# ----------------------------------------------------------------- 5. edit --met-on moves the meeting


def test_edit_met_on_moves_the_met_interaction_and_the_stats(cli):
    cli("add", "Ana Lima")
    c = cli.json("edit", "ana", "--met-on", "40 days ago")
    assert c["met_on"] == days_ago(40)
    assert c["last_contact"] == days_ago(40) and c["interactions"] == 1
    assert kinds_with(cli, "ana") == [("met", days_ago(40))]
    assert ("follow-up", "Ana Lima") not in rules_of(cli)  # no "you met today"
    assert ("follow-up", "Ana Lima") in rules_of(cli, "--as-of", "39 days ago")
    listed = cli.json("list")[0]
    assert listed["last_contact"] == days_ago(40)


def test_edit_met_on_of_a_shared_meeting_moves_only_that_person(cli):
    cli("add", "Ana Lima", "--on", "10 days ago")
    cli("add", "Bo Chen", "--on", "10 days ago")
    cli("unlog", "2")  # Bo's own meeting goes; Ana and Bo met together instead
    cli("unlog", "1")
    cli("log", "ana", "bo", "--kind", "met", "--on", "10 days ago", "--topic", "rust", "--note", "meetup")
    cli("edit", "bo", "--met-on", "12 days ago")
    assert kinds_with(cli, "bo") == [("met", days_ago(12))]
    assert kinds_with(cli, "ana") == [("met", days_ago(10))]
    moved = cli.json("history", "bo")[0]
    assert moved["contacts"] == ["Bo Chen"] and moved["topics"] == ["rust"] and moved["note"] == "meetup"


# ----------------------------------------------------------------- 4. merge keeps one meeting


def test_merge_keeps_one_met_the_earlier_and_counts_nothing_twice(cli):
    last_month = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    on = lambda n: (last_month + timedelta(days=n)).isoformat()  # noqa: E731
    cli("add", "Dee Ray", "--on", on(-40))
    cli("add", "Ana Lima", "--on", on(12), "--introduced-by", "dee")
    cli("add", "Ana L", "--force", "--on", on(2), "--introduced-by", "dee")
    cli("log", "#2", "#3", "--kind", "call", "--on", on(14))
    cli("mentor", "add", "#2")
    cli("mentor", "add", "#3")
    cli("mentor", "ask", "#3", "What next?")
    cli("goal", "add", "Learn Rust")
    cli("goal", "link", "rust", "#2", "#3")
    c = cli.json("merge", "#2", "#3", "--yes")
    assert c["met_on"] == on(2)
    assert c["interactions"] == 2  # one meeting (the earlier) and the call once
    assert kinds_with(cli, "ana") == [("call", on(14)), ("met", on(2))]
    assert [h["kind"] for h in cli.json("history", "dee")].count("intro") == 1
    report = cli.json("report", "--month", "last")
    assert report["by_kind"]["met"] == 1 and report["by_kind"]["intro"] == 1
    assert report["by_kind"]["call"] == 1
    assert len(cli.json("mentor", "list")) == 1
    assert cli.json("goal", "show", "rust")["contacts"] == ["Ana Lima"]
    assert [q["text"] for q in cli.json("mentor", "prep", "ana")["questions"]] == ["What next?"]


def test_merge_drops_an_intro_of_one_half_by_the_other(cli):
    cli("add", "Ana Lima", "--on", "10 days ago")
    cli("add", "Ana L", "--force", "--on", "5 days ago", "--introduced-by", "#1")  # "introduced by herself"
    c = cli.json("merge", "#1", "#2", "--yes")
    assert c["introduced_by"] is None
    assert [h["kind"] for h in cli.json("history", "ana")] == ["met"]
    assert ("thank", "Ana Lima") not in rules_of(cli)


# ----------------------------------------------------------------- 10. archived people by their everyday name


def test_archived_people_are_hinted_and_unarchive_takes_any_who(cli):
    cli("add", "Samuel Okoro")
    cli("add", "Ana Lima")
    cli("archive", "samuel")
    r = cli("show", "samuel", code=1)
    assert """'samuel' matches archived Samuel Okoro (#1): netcli unarchive "#1\"""" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = cli("log", "okoro", code=1)
    assert "archived Samuel Okoro (#1)" in r.stderr
    cli("unarchive", "sam")
    assert cli.json("show", "samuel")["archived"] is False
    r = cli("unarchive", "ana", code=1)
    assert "Ana Lima is not archived" in r.stderr
    cli("archive", "ana")
    assert "already archived" in cli("archive", "#2", code=1).stderr


def test_unarchive_prefix_among_several_archived_is_ambiguous(cli):
    cli("add", "Sam One")
    cli("add", "Sam Two")
    cli("archive", "sam one")
    cli("archive", "sam two")
    r = cli("unarchive", "sam", code=1)
    assert "#1 Sam One" in r.stderr and "#2 Sam Two" in r.stderr


# ----------------------------------------------------------------- 11. dates that cannot be meant


FUTURE = [
    ["log", "ana", "--on", "next friday"],
    ["log", "ana", "--on", "tomorrow"],
    ["add", "Bo Chen", "--on", "in 2 weeks"],
    ["edit", "ana", "--met-on", "tomorrow"],
    ["mentor", "meet", "dana", "--on", "tomorrow"],
    ["mentor", "add", "ana", "--since", "tomorrow"],
    ["goal", "progress", "rust", "--note", "x", "--on", "in 3 days"],
    ["goal", "add", "Later", "--on", "tomorrow"],
    ["report", "--month", (date.today().replace(day=1) + timedelta(days=40)).strftime("%Y-%m")],
]


@pytest.mark.parametrize("args", FUTURE, ids=[" ".join(a)[:40] for a in FUTURE])
def test_dates_that_cannot_be_meant_are_refused(cli, args):
    cli("add", "Ana Lima", "--on", "3 days ago")
    cli("mentor", "add", "Dana Novak")
    cli("goal", "add", "Learn Rust")
    before = cli.json("history")
    r = cli(*args, code=1)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert r.stdout == ""
    assert cli.json("history") == before
    assert [c["name"] for c in cli.json("list")] == ["Ana Lima", "Dana Novak"]


def test_future_date_error_names_the_option_and_the_date(cli):
    cli("add", "Ana Lima")
    r = cli("log", "ana", "--on", "tomorrow", code=1)
    assert "--on" in r.stderr and days_ago(-1) in r.stderr and "future" in r.stderr
    r = cli("history", "--since", "today", "--until", "yesterday", code=2)  # the command line could not mean it
    assert "--since" in r.stderr and "--until" in r.stderr


def test_a_past_goal_date_is_a_warning_not_an_error(cli):
    g = cli("goal", "add", "Old ambition", "--by", "2020-01-01", "--json")
    assert json.loads(g.stdout)["by"] == "2020-01-01"
    assert "warning" in g.stderr and "2020-01-01" in g.stderr and "past" in g.stderr
    assert "warning" not in cli("goal", "add", "New ambition", "--by", "in 3 months").stderr


def test_the_add_prompt_refuses_a_future_meeting(cli, monkeypatch):
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    answers = "\n".join(["Rafa Costa", "event", "", "tomorrow", "yesterday", "C", "", "", ""])
    result = cli("add", "--json", input=answers + "\n")
    assert json.loads(result.stdout)["met_on"] == days_ago(1)
    assert "future" in result.stderr


def test_imports_list_future_dates_as_bad_records(cli, tmp_path):
    cli("add", "Ana Lima")
    sheet = tmp_path / "history.csv"
    sheet.write_text(f"date,kind,contacts,note,topics\n{days_ago(1)},call,Ana Lima,,\n{days_ago(-3)},call,Ana Lima,,\n")
    r = cli("import", "interactions", str(sheet), code=1)
    assert "line 3" in r.stderr and "future" in r.stderr
    assert len(cli.json("history")) == 1
    people = tmp_path / "people.csv"
    people.write_text(f"name,met_on\nBo Chen,{days_ago(-10)}\n")
    r = cli("import", "csv", str(people), code=1)
    assert "met_on" in r.stderr and "future" in r.stderr


# ----------------------------------------------------------------- 14. mentor add --since


def test_mentor_since_counts_the_first_session_from_then(cli):
    m = cli.json("mentor", "add", "Dana Novak", "--every", "4w", "--since", "10 days ago")
    assert m["started_on"] == days_ago(10) and m["next_due"] == days_ago(10 - 28)
    assert cli.json("show", "dana")["met_on"] == days_ago(10)  # a new contact, known since then
    assert not any(r.startswith("mentor") for r, _ in rules_of(cli))
    assert ("mentor-meeting", "Dana Novak") in rules_of(cli, "--as-of", "in 18 days")
    listed = cli.json("mentor", "list")[0]
    assert listed["started_on"] == days_ago(10) and listed["next_due"] == days_ago(-18)
    assert days_ago(10) in cli("mentor", "list").stdout
    cli("mentor", "meet", "dana", "--on", "2 days ago")
    assert cli.json("mentor", "list")[0]["next_due"] == days_ago(2 - 28)
    # without --since, the first session is due at once, as before
    assert cli.json("mentor", "add", "Grace Kim")["next_due"] == days_ago(0)


def test_mentor_since_with_prospect_is_refused(cli):
    r = cli("mentor", "add", "Dana Novak", "--since", "10 days ago", "--prospect", code=2)
    assert "--prospect" in r.stderr and "--since" in r.stderr
    assert cli.json("list") == []


# ----------------------------------------------------------------- 22. the add prompt and near matches


def test_the_add_prompt_takes_a_lower_case_tier_and_offers_the_event(cli, monkeypatch):
    cli("event", "add", "PyCon PT 2026", "--on", "3 days ago")
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    answers = "\n".join(["Rafa Costa", "EVENT", "PyCon PT", "y", "yesterday", "b", "", "", ""])
    result = cli("add", "--json", input=answers + "\n")
    contact = json.loads(result.stdout)
    assert contact["tier"] == "B" and contact["via"] == "event"
    assert contact["met_at"] == "PyCon PT 2026"
    assert "PyCon PT 2026" in result.stderr
    assert cli.json("event", "show", "pycon")["people"][0]["name"] == "Rafa Costa"


def test_the_add_prompt_keeps_the_text_when_the_offer_is_declined(cli, monkeypatch):
    cli("event", "add", "PyCon PT 2026", "--on", "3 days ago")
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    answers = "\n".join(["Rafa Costa", "event", "PyCon PT", "n", "yesterday", "C", "", "", ""])
    contact = json.loads(cli("add", "--json", input=answers + "\n").stdout)
    assert contact["met_at"] == "PyCon PT"
    assert cli.json("event", "show", "pycon")["people"] == []


def test_met_at_near_match_on_the_command_line_is_said(cli):
    cli("event", "add", "PyCon PT 2026", "--on", "3 days ago")
    cli("community", "add", "Rust Lisbon", "--kind", "community")
    r = cli("add", "Ana Lima", "--met-at", "Pycon PT2026")
    assert (
        "--met-at 'Pycon PT2026' matches no event or community; did you mean 'PyCon PT 2026'? (stored as text)"
        in r.stderr
    )
    assert cli.json("show", "ana")["met_at"] == "Pycon PT2026"
    r = cli("edit", "ana", "--met-at", "rust lisbn")
    assert "did you mean 'Rust Lisbon'?" in r.stderr
    # a unique start of the name links it, and says which one it linked
    linked = cli("add", "Dee Ray", "--met-at", "PyCon PT")
    assert "--met-at 'PyCon PT' linked to event #1 PyCon PT 2026" in linked.stderr
    assert cli.json("show", "dee")["met_at"] == "PyCon PT 2026"
    quiet = cli("add", "Bo Chen", "--met-at", "pycon pt 2026")
    assert "matches no event" not in quiet.stderr and "linked to" not in quiet.stderr
    assert "matches no event" not in cli("add", "Cy Diaz", "--met-at", "a bar in Porto").stderr


def test_edit_met_at_links_the_event(cli):
    cli("event", "add", "PyCon PT 2026", "--on", "3 days ago")
    cli("add", "Ana Lima", "--met-at", "somewhere")
    cli("edit", "ana", "--met-at", "PyCon PT 2026")
    assert [p["name"] for p in cli.json("event", "show", "pycon")["people"]] == ["Ana Lima"]


# ----------------------------------------------------------------- 8. a mistyped --db


@pytest.mark.sqlite_only
def test_a_new_database_is_announced(cli, tmp_path):
    target = tmp_path / "new.db"
    r = cli("--db", str(target), "add", "Ana Lima")
    assert f"created a new database at {target}" in r.stderr
    r = cli("--db", str(target), "list")
    assert "created a new database" not in r.stderr


@pytest.mark.sqlite_only
def test_a_missing_folder_of_an_explicit_db_is_an_error(cli, tmp_path):
    typo = tmp_path / "Dropbx" / "netcli.db"
    for args in (["add", "Ana Lima"], ["list"], ["list", "--json"]):
        r = cli("--db", str(typo), *args, code=1)
        assert r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1
        said = "does not exist" if args[0] == "add" else f"no database at {typo} (named by --db)"
        assert str(typo.parent) in r.stderr and said in r.stderr
        assert r.stdout == ""
    assert not typo.parent.exists()


@pytest.mark.sqlite_only
def test_netcli_db_counts_as_explicit(cli, tmp_path, monkeypatch):
    typo = tmp_path / "nowhere" / "netcli.db"
    monkeypatch.setenv("NETCLI_DB", str(typo))
    r = cli("add", "Ana", code=1)
    assert "does not exist" in r.stderr and "NETCLI_DB" in r.stderr
    r = cli("list", code=1)
    assert "no database at" in r.stderr and "NETCLI_DB" in r.stderr
    assert not typo.parent.exists()


@pytest.mark.sqlite_only
def test_reading_a_database_that_is_not_there_yet_says_so(cli, tmp_path):
    target = tmp_path / "fresh.db"
    r = cli("--db", str(target), "list", "--json", code=1)
    assert r.stdout == "" and not target.exists()
    assert r.stderr == f"error: no database at {target} (named by --db); `netcli add` or `netcli demo` starts one\n"


@pytest.mark.sqlite_only
def test_the_default_location_creates_its_folder(cli, tmp_path, monkeypatch):
    from netcli import paths

    home = tmp_path / "home" / "share" / "netcli" / "netcli.db"
    monkeypatch.delenv("NETCLI_DB")
    monkeypatch.setattr(paths, "default_database", lambda: home)
    r = cli("add", "Ana Lima")
    assert home.exists() and f"created a new database at {home}" in r.stderr
    assert os.stat(home.parent).st_mode & 0o777 == 0o700


@pytest.mark.sqlite_only
def test_a_command_that_fails_on_a_new_database_leaves_no_file(cli, tmp_path):
    target = tmp_path / "typo.db"
    r = cli("--db", str(target), "show", "ana", code=1)
    assert "created a new database" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not any(p.name.startswith("typo.db") for p in tmp_path.iterdir())


def test_a_prompt_whose_input_ends_says_so(cli, monkeypatch):
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    r = cli("add", input="Rafa Costa\nevent\n", code=1)
    assert r.stderr.splitlines()[-1] == "error: the input ended before every question was answered; nothing was changed"
    assert cli.json("list") == []


def test_merge_names_what_the_other_half_said_otherwise(cli):
    """KEEP's values stay; each value of OTHER that differed is named (nothing
    goes without a word), and an introducer is named as `show` names them."""
    cli("add", "Bo Intro")
    cli("add", "Cy Intro")
    cli("add", "Ana Lima", "--org", "Ferrous", "--introduced-by", "bo")
    cli("add", "Ana L.", "--force", "--org", "Other", "--role", "Dev", "--introduced-by", "cy")
    merged = cli("merge", "ana lima", "ana l.", "--yes", "--json")
    assert merged.stderr.splitlines() == [
        "conflict: Ana Lima has org 'Ferrous' here, #4 Ana L. says 'Other'; kept (netcli edit changes it)",
        "conflict: Ana Lima has introduced_by 'Bo Intro' here, #4 Ana L. says 'Cy Intro'; kept (netcli edit changes it)",
    ]
    ana = json.loads(merged.stdout)
    assert (ana["org"], ana["role"], ana["introduced_by"]) == ("Ferrous", "Dev", "Bo Intro")


# ----------------------------------------------------------------- a person is met once, from every door


def test_a_second_met_is_refused_and_the_first_one_moves(cli):
    cli("add", "Lena Schmidt", "--on", "2026-11-20")
    refused = cli("log", "lena", "--kind", "met", "--on", "2026-11-25", code=1)
    assert refused.stderr == (
        "error: Lena Schmidt was met on 2026-11-20 already, and a person is met once: "
        "'netcli edit #1 --met-on 2026-11-25' moves that meeting, or log this one as --kind meeting\n"
    )
    assert kinds_with(cli, "lena") == [("met", "2026-11-20")]
    cli("unlog", "1")  # no meeting left: the one logged is theirs, and says when they met
    cli("log", "lena", "--kind", "met", "--on", "2026-11-25")
    assert cli.json("show", "lena")["met_on"] == "2026-11-25" and kinds_with(cli, "lena") == [("met", "2026-11-25")]


def test_typing_how_you_met_someone_who_came_from_a_file_logs_the_meeting_add_would(cli, tmp_path):
    cli("add", "Bo Chen", "--on", "2026-10-01")
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,email,introduced_by\nKai Imported,kai@example.org,Bo Chen\n")
    cli("import", "csv", str(sheet))
    assert kinds_with(cli, "kai") == []  # an import logs no meeting
    cli("edit", "kai", "--org", "Acme")
    assert kinds_with(cli, "kai") == []  # nor does an edit that says nothing of it
    cli("edit", "kai", "--met-at", "PyData", "--met-on", "2026-11-20")
    assert kinds_with(cli, "kai") == [("met", "2026-11-20")]
    assert [(i["kind"], i["date"], i["note"]) for i in cli.json("history", "bo") if i["kind"] == "intro"] == [
        ("intro", "2026-11-20", "introduced you to Kai Imported")
    ]
    cli("edit", "kai", "--met-on", "2026-11-21")  # from then on it moves, as ever
    assert kinds_with(cli, "kai") == [("met", "2026-11-21")]


def test_a_history_file_meets_each_person_once(cli, tmp_path):
    cli("add", "Lena Schmidt", "--on", "2026-11-20")
    cli("add", "Bo Chen", "--on", "2026-10-01")
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,email,met_on\nKai Imported,kai@example.org,\nDee Dated,dee@example.org,2026-11-03\n")
    cli("import", "csv", str(sheet))
    history = tmp_path / "history.csv"
    history.write_text(
        "date,kind,contacts,note,topics\n"
        "2026-11-20,met,Lena Schmidt,,\n"  # the meeting held: unchanged
        "2026-11-22,met,Lena Schmidt,after-party,\n"  # another day: a conflict, not a second meeting
        "2026-11-03,met,Kai Imported;Dee Dated;Bo Chen,,\n"  # Kai met then, Dee as her file said; Bo earlier
        "2026-11-05,met,Kai Imported,,\n"  # the file's own first word stands
    )
    dry = cli.json("import", "interactions", str(history), "--dry-run")
    summary = cli.json("import", "interactions", str(history))
    assert {k: v for k, v in dry.items() if k != "dry_run"} == {k: v for k, v in summary.items() if k != "dry_run"}
    assert [(c["contact"], c["here"], c["there"]) for c in summary["conflicts"]] == [
        ("Lena Schmidt", "2026-11-20", "2026-11-22"),
        ("Bo Chen", "2026-10-01", "2026-11-03"),
        ("Kai Imported", "2026-11-03", "2026-11-05"),
    ]
    assert (summary["added"], summary["updated"], summary["unchanged"]) == (1, 1, 3)  # Kai's met_on filled
    assert kinds_with(cli, "lena") == [("met", "2026-11-20")] and kinds_with(cli, "bo") == [("met", "2026-10-01")]
    assert kinds_with(cli, "kai") == [("met", "2026-11-03")] and kinds_with(cli, "dee") == [("met", "2026-11-03")]
    assert cli.json("show", "kai")["met_on"] == "2026-11-03"
    assert cli.json("import", "interactions", str(history))["added"] == 0  # twice is once
    preferred = cli.json("import", "interactions", str(history), "--prefer", "file")
    assert preferred["conflicts"] == [] and preferred["updated"] == 3  # each moved to the file's last word
    assert [kinds_with(cli, who) for who in ("lena", "bo", "kai")] == [
        [("met", "2026-11-22")],
        [("met", "2026-11-03")],
        [("met", "2026-11-05")],
    ]
    assert cli.json("show", "lena")["met_on"] == "2026-11-22"


def test_merge_takes_the_earlier_meeting_whole_and_counts_the_intro_once(cli):
    cli("event", "add", "PyData Berlin", "--on", "2026-11-20")
    cli("add", "Bo Chen", "--on", "2026-10-01")
    cli("add", "Lena Schmidt", "--introduced-by", "bo", "--on", "2026-11-20", "--met-at", "PyData Berlin")
    cli("edit", "lena schmidt", "--via", "event", "--birthday", "1990-05-17")
    cli("add", "Lena S", "--on", "2026-11-10", "--force")
    merged = cli("merge", "Lena S", "Lena Schmidt", "--yes", "--json")
    lena = json.loads(merged.stdout)
    # KEEP's meeting is the earlier: the later one's place and channel are named, not mixed in
    assert (lena["met_on"], lena["met_at"], lena["via"]) == ("2026-11-10", None, None)
    assert "#2 Lena Schmidt says 'PyData Berlin'" in merged.stderr and "says 'event'" in merged.stderr
    assert cli.json("event", "show", "pydata")["people"] == []
    assert (lena["birthday"], lena["introduced_by"]) == ("1990-05-17", "Bo Chen")  # a gap filled is no conflict
    intros = [(i["date"], i["note"]) for i in cli.json("history", "bo") if i["kind"] == "intro"]
    assert intros == [("2026-11-10", "introduced you to Lena S")]  # one, naming who is left
    # the other way round: OTHER's meeting is the earlier, and comes whole
    cli("add", "Ana Lima", "--on", "2026-11-20", "--met-at", "PyData Berlin", "--via", "event")
    cli("add", "Ana L", "--on", "2026-11-25", "--via", "social", "--force")
    taken = cli("merge", "ana l", "ana lima", "--yes", "--json")
    ana = json.loads(taken.stdout)
    assert (ana["met_on"], ana["met_at"], ana["via"]) == ("2026-11-20", "PyData Berlin", "event")
    assert taken.stderr.splitlines() == [  # KEEP's own channel went with its later meeting: said
        "conflict: Ana L has via 'social' here, #4 Ana Lima says 'event' (the earlier meeting, taken whole); "
        "taken (netcli edit changes it)"
    ]
    assert [p["name"] for p in cli.json("event", "show", "pydata")["people"]] == ["Ana L"]
