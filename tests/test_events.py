"""Events and communities by name or #ID: duplicates, --met-at, edit, rm, join."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import days_ago
from netcli.cli import app, prompts

# words and flows that no engine changes: run on SQLite (the store's SQL is tried on
# PostgreSQL by the modules that exercise it: io, report, nudge, db, search, reliability...)
pytestmark = pytest.mark.one_engine


def met_at(cli, event: str) -> list[str]:
    return [p["name"] for p in cli.json("event", "show", event)["people"]]


def members(cli, community: str) -> list[str]:
    return sorted(m["name"] for m in cli.json("community", "show", community)["members"])


# ----------------------------------------------------------------- duplicates


def test_same_event_twice_needs_force(cli):
    cli("event", "add", "PyCon PT", "--on", "2026-05-01")
    r = cli("event", "add", "pycon  pt", "--on", "2026-05-01", code=1)
    assert "#1" in r.stderr and "--force" in r.stderr
    assert len(cli.json("event", "list")) == 1
    forced = cli.json("event", "add", "PyCon PT", "--on", "2026-05-01", "--force")
    assert forced["id"] == 2
    # the same event another year is another edition, not a duplicate
    cli("event", "add", "PyCon PT", "--on", "2027-05-01")
    assert [e["id"] for e in cli.json("event", "list")] == [1, 2, 3]


def test_same_community_twice_needs_force(cli):
    cli("community", "add", "Café Python", "--kind", "community")
    r = cli("community", "add", "cafe python", "--kind", "forum", code=1)
    assert "#1" in r.stderr and "--force" in r.stderr
    forced = cli.json("community", "add", "Café Python", "--kind", "forum", "--force")
    assert forced["id"] == 2 and forced["kind"] == "forum"
    assert [c["id"] for c in cli.json("community", "list")] == [1, 2]


@pytest.mark.parametrize("name", ["#3", " #12 "])
def test_a_name_cannot_look_like_an_id(cli, name):
    assert "#ID" in cli("event", "add", name, "--on", "today", code=1).stderr
    assert "#ID" in cli("community", "add", name, "--kind", "forum", code=1).stderr
    assert cli.json("event", "list") == [] and cli.json("community", "list") == []


def test_an_empty_name_is_said_as_an_event_or_community(cli):
    r = cli("event", "add", "  ", "--on", "today", code=2)
    assert "NAME: the value is empty" in r.stderr and "person" not in r.stderr
    r = cli("community", "add", "", "--kind", "forum", code=2)
    assert "NAME: the value is empty" in r.stderr and "person" not in r.stderr
    cli("event", "add", "Rust Night", "--on", "today")
    assert "person" not in cli("event", "edit", "#1", "--name", " ", code=2).stderr


# ----------------------------------------------------------------- naming by #ID


def test_the_id_an_ambiguity_lists_then_works(cli):
    """The issue: `event show "#4"` said no event matches though the error listed #4."""
    for day in ("2025-05-01", "2026-05-01"):
        cli("event", "add", "PyCon PT", "--on", day)
    r = cli("event", "show", "pycon pt", code=1)
    ids = re.findall(r"#(\d+)", r.stderr)
    assert ids == ["1", "2"] and "2025-05-01" in r.stderr
    for number in ids:
        assert cli.json("event", "show", f"#{number}")["id"] == int(number)
    r = cli("event", "show", "#9", code=1)
    assert "#9" in r.stderr and "event list" in r.stderr


def test_communities_are_named_by_id_everywhere(cli):
    cli("community", "add", "Lisbon Rust", "--kind", "community")
    cli("community", "add", "Lisbon Python", "--kind", "community")
    r = cli("community", "show", "lisbon", code=1)
    assert "#1 Lisbon Rust" in r.stderr and "#2 Lisbon Python" in r.stderr
    assert cli.json("community", "show", "#2")["name"] == "Lisbon Python"
    assert cli.json("event", "add", "Rust Night", "--on", "today", "--community", "#1")["community"] == "Lisbon Rust"
    cli("add", "Ana")
    cli("community", "join", "#2", "ana")
    assert members(cli, "#2") == ["Ana"]
    assert cli.json("community", "edit", "#2", "--url", "https://py.example")["url"] == "https://py.example"
    cli("community", "rm", "#2", "--yes")
    assert [c["name"] for c in cli.json("community", "list")] == ["Lisbon Rust"]
    assert "no community has the id #2" in cli("community", "show", "#2", code=1).stderr


@pytest.mark.parametrize("name", ["café conf", "CAFE CONF", "cafe", "conf"])
def test_exact_accent_free_name_or_unique_prefix(cli, name):
    cli("event", "add", "Café Conf", "--on", "today")
    cli("event", "add", "Rust Night", "--on", "today")
    assert cli.json("event", "show", name)["name"] == "Café Conf"


def test_no_match_names_the_closest(cli):
    cli("event", "add", "PyCon PT", "--on", "today")
    cli("community", "add", "Lisbon Rust", "--kind", "community")
    assert "did you mean PyCon PT" in cli("event", "show", "pycn pt", code=1).stderr
    assert "did you mean Lisbon Rust" in cli("community", "show", "lisbn rust", code=1).stderr


def test_listings_show_the_id(cli):
    cli("community", "add", "Lisbon Rust", "--kind", "community")
    cli("event", "add", "Rust Night", "--on", "today", "--community", "lisbon")
    assert re.search(r"#1\s+Lisbon Rust", cli("community", "list").stdout)
    assert re.search(r"#1\s+\S+\s+Rust Night", cli("event", "list").stdout)
    assert cli.json("event", "list")[0]["id"] == 1 and cli.json("community", "list")[0]["id"] == 1


# ----------------------------------------------------------------- --met-at


def test_ambiguous_met_at_lists_the_candidates_and_writes_nothing(cli):
    cli("event", "add", "PyCon PT", "--on", "2026-05-01")
    cli("event", "add", "PyCon US", "--on", "2026-06-01")
    r = cli("add", "Ana", "--met-at", "pycon", code=1)
    assert "event #1 PyCon PT (2026-05-01)" in r.stderr and "event #2 PyCon US (2026-06-01)" in r.stderr
    assert cli.json("list") == []
    cli("add", "Ana", "--met-at", "#2")
    assert met_at(cli, "#2") == ["Ana"] and cli.json("show", "ana")["met_at"] == "PyCon US"
    cli("add", "Bo", "--met-at", "pycon p")  # a unique prefix links
    assert met_at(cli, "#1") == ["Bo"]


def test_met_at_id_clash_between_an_event_and_a_community(cli):
    cli("event", "add", "Rust Night", "--on", "today")
    cli("community", "add", "Lisbon Python", "--kind", "community")
    r = cli("add", "Ana", "--met-at", "#1", code=1)
    assert "event #1 Rust Night" in r.stderr and "community #1 Lisbon Python" in r.stderr
    cli("add", "Ana", "--met-at", "community #1")
    cli("add", "Bo", "--met-at", "event #1")
    assert members(cli, "#1") == ["Ana"] and met_at(cli, "#1") == ["Bo"]
    r = cli("add", "Cy", "--met-at", "#7", code=1)
    assert "#7" in r.stderr
    assert "Cy" not in [c["name"] for c in cli.json("list")]


def test_met_at_an_event_and_a_community_of_the_same_name(cli):
    cli("community", "add", "PyData London", "--kind", "community")
    cli("event", "add", "PyData London", "--on", "today", "--community", "pydata")
    cli("add", "Ana", "--met-at", "PyData London")  # the event, run by that community
    assert met_at(cli, "#1") == ["Ana"] and members(cli, "#1") == ["Ana"]
    cli("community", "add", "PyData Paris", "--kind", "community")
    cli("event", "add", "PyData Paris", "--on", "today")  # not run by it: which one?
    r = cli("add", "Bo", "--met-at", "pydata paris", code=1)
    assert "event #2 PyData Paris" in r.stderr and "community #2 PyData Paris" in r.stderr


def test_met_at_editions_are_told_apart_by_the_meeting_day(cli):
    for when in ("400 days ago", "35 days ago", "in 150 days"):
        cli("event", "add", "PyCon PT", "--on", when)
    a = cli.json("add", "Ana", "--met-at", "pycon pt")  # the edition just before today
    assert met_at(cli, "#2") == ["Ana"] and a["met_on"] == days_ago(35)
    cli("add", "Bo", "--met-at", "pycon pt", "--on", "400 days ago")
    assert met_at(cli, "#1") == ["Bo"]
    cli("event", "add", "PyCon PT", "--on", "35 days ago", "--force")
    r = cli("add", "Cy", "--met-at", "pycon pt", code=1)  # two on that day: only #ID tells them apart
    assert "event #2" in r.stderr and "event #4" in r.stderr


def test_edit_met_at_relinks(cli):
    cli("event", "add", "Rust Night", "--on", "today")
    cli("event", "add", "PyCon PT", "--on", "today")
    cli("add", "Ana", "--met-at", "rust night")
    cli("edit", "ana", "--met-at", "#2")
    assert met_at(cli, "#1") == [] and met_at(cli, "#2") == ["Ana"]
    assert cli.json("show", "ana")["met_at"] == "PyCon PT"
    cli("event", "add", "PyCon US", "--on", "today")
    r = cli("edit", "ana", "--met-at", "pycon", code=1)
    assert "event #2" in r.stderr and "event #3" in r.stderr
    assert met_at(cli, "#2") == ["Ana"]
    cli("edit", "ana", "--met-at", "")
    assert met_at(cli, "#2") == [] and cli.json("show", "ana")["met_at"] is None


def test_merge_keeps_where_they_met_with_its_link(cli):
    cli("event", "add", "Rust Night", "--on", "3 days ago")
    cli("add", "Ana Lima")
    cli("add", "Ana L.", "--met-at", "rust night")
    cli("merge", "ana lima", "ana l.", "--yes")
    assert met_at(cli, "rust night") == ["Ana Lima"]
    assert cli.json("show", "ana lima")["met_at"] == "Rust Night"


def test_the_add_prompt_says_an_ambiguous_place_and_asks_again(cli, monkeypatch):
    cli("event", "add", "PyCon PT", "--on", "2026-05-01")
    cli("event", "add", "PyCon US", "--on", "2026-06-01")
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    answers = ["Rafa Costa", "event", "pycon", "#2", "2026-06-01", "B", "", "", ""]
    result = cli("add", "--json", input="\n".join(answers) + "\n")
    assert "event #1 PyCon PT (2026-05-01)" in result.stderr
    contact = json.loads(result.stdout)
    assert contact["met_at"] == "PyCon US" and contact["met_on"] == "2026-06-01"
    assert met_at(cli, "#2") == ["Rafa Costa"]


# ----------------------------------------------------------------- edit


def test_event_edit(cli):
    cli("community", "add", "Lisbon Rust", "--kind", "community")
    cli("event", "add", "Rust Nite", "--on", "today", "--online")
    e = cli.json(
        "event",
        "edit",
        "rust nite",
        "--name",
        "Rust Night",
        "--on",
        "2026-03-12",
        "--kind",
        "meetup",
        "--community",
        "lisbon",
        "--offline",
    )
    assert e == {
        "id": 1,
        "name": "Rust Night",
        "date": "2026-03-12",
        "kind": "meetup",
        "online": False,
        "community": "Lisbon Rust",
    }
    assert cli.json("event", "show", "rust night")["community"] == "Lisbon Rust"
    assert cli.json("event", "edit", "#1", "--community", "none")["community"] is None
    assert cli.json("event", "edit", "#1", "--online")["online"] is True
    cli("event", "add", "PyCon", "--on", "2026-03-12")
    r = cli("event", "edit", "#2", "--name", "rust night", code=1)
    assert "#1" in r.stderr
    assert cli.json("event", "show", "#2")["name"] == "PyCon"
    cli("event", "edit", "#2", "--name", "rust night", "--on", "2026-03-13")  # another day: fine
    assert "nothing to change" in cli("event", "edit", "#1", code=2).stderr
    assert "#ID" in cli("event", "edit", "#1", "--name", "#5", code=1).stderr


def test_community_edit(cli):
    cli("community", "add", "Lisbon Rust", "--kind", "community", "--url", "https://a.example")
    cli("community", "add", "ACM", "--kind", "association")
    c = cli.json("community", "edit", "lisbon", "--name", "Lisbon Rustaceans", "--kind", "forum", "--url", "")
    assert (c["id"], c["name"], c["kind"], c["url"]) == (1, "Lisbon Rustaceans", "forum", None)
    r = cli("community", "edit", "#1", "--name", "acm", code=1)
    assert "#2" in r.stderr
    assert cli.json("community", "show", "#1")["name"] == "Lisbon Rustaceans"
    cli("community", "edit", "#1", "--kind", "club", code=2)


# ----------------------------------------------------------------- rm


def test_event_rm_keeps_people_and_clears_their_link(cli):
    cli("community", "add", "Lisbon Rust", "--kind", "community")
    cli("event", "add", "Rust Night", "--on", "3 days ago", "--community", "lisbon")
    cli("add", "Ana", "--met-at", "rust night")
    cli("add", "Bo", "--met-at", "lisbon rust")
    r = cli("event", "rm", "rust night", code=2)  # no terminal and no --yes
    assert "--yes" in r.stderr and met_at(cli, "rust night") == ["Ana"]
    cli("event", "rm", "rust night", "--yes")
    assert cli.json("event", "list") == []
    ana = cli.json("show", "ana")
    assert ana["met_at"] == "Rust Night" and ana["interactions"] == 1
    assert members(cli, "lisbon") == ["Ana", "Bo"]  # met at one of its events: still one of its people
    assert cli.json("community", "list")[0]["events"] == 0
    cli("event", "show", "rust night", code=1)


def test_community_rm_keeps_people_and_events(cli):
    cli("community", "add", "Lisbon Rust", "--kind", "community")
    cli("event", "add", "Rust Night", "--on", "3 days ago", "--community", "lisbon")
    cli("add", "Ana", "--met-at", "lisbon rust")
    cli("add", "Bo", "--met-at", "rust night")
    cli("add", "Cy")
    cli("community", "join", "lisbon", "cy")
    cli("community", "rm", "lisbon", code=2)
    assert members(cli, "lisbon") == ["Ana", "Bo", "Cy"]
    cli("community", "rm", "lisbon", "--yes")
    assert cli.json("community", "list") == []
    assert [c["name"] for c in cli.json("list")] == ["Ana", "Bo", "Cy"]
    night = cli.json("event", "show", "rust night")
    assert night["community"] is None and [p["name"] for p in night["people"]] == ["Bo"]
    # a new community of the same name: nothing pointed at the old one (Cy's join went with it), and
    # Ana, whose "where we met" still names it, is linked to it as she would be to any place added later
    cli("community", "add", "Lisbon Rust", "--kind", "community")
    assert members(cli, "lisbon") == ["Ana"]


# ----------------------------------------------------------------- join


def test_community_join_links_people(cli):
    cli("community", "add", "Lisbon Rust", "--kind", "community")
    cli("add", "Ana Lima")
    cli("add", "Bo Chen", "--met-at", "lisbon rust")
    cli("add", "Cy Diaz")
    shown = cli.json("community", "join", "lisbon", "ana", "bo", "cy")
    assert sorted(m["name"] for m in shown["members"]) == ["Ana Lima", "Bo Chen", "Cy Diaz"]
    assert cli.json("community", "list")[0]["members"] == 3
    again = cli("community", "join", "lisbon", "ana")
    assert "already" in again.stderr
    assert cli.json("community", "list")[0]["members"] == 3
    cli("community", "add", "ACM", "--kind", "association")
    r = cli("community", "join", "acm", "ana", "nobody", code=1)
    assert "nobody" in r.stderr and members(cli, "acm") == []  # all or nothing
    cli("community", "join", "acm", "#1")
    assert members(cli, "acm") == ["Ana Lima"]
    # a merged duplicate's memberships move; a deleted person's go
    cli("add", "Ana L.", "--force")
    cli("community", "join", "acm", "ana l.")
    cli("merge", "ana lima", "ana l.", "--yes")
    assert members(cli, "acm") == ["Ana Lima"]
    cli("rm", "cy", "--yes")
    assert members(cli, "lisbon") == ["Ana Lima", "Bo Chen"]


def test_joining_survives_export_and_import(cli, tmp_path):
    cli("community", "add", "Lisbon Rust", "--kind", "community")
    cli("add", "Ana")
    cli("community", "join", "lisbon", "ana")
    backup = tmp_path / "backup.json"
    cli("export", "json", "--output", str(backup))
    cli("--db", str(tmp_path / "restored.db"), "import", "json", str(backup))
    assert cli.json("--db", str(tmp_path / "restored.db"), "community", "show", "lisbon")["members"][0]["name"] == "Ana"


# ----------------------------------------------------------------- property


# each example runs a dozen whole commands: a few examples cover six names on two days
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    events=st.lists(
        st.tuples(
            st.sampled_from(["PyCon", "pycon", "PyCon PT", "Rust", "Rust Night", "Café"]),
            st.sampled_from(["2026-01-01", "2026-02-01"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_every_event_can_be_named(events):
    """Whatever names and dates collide, a name shows one event or lists #IDs
    that each show that event; an event's #ID always shows it."""
    folder = Path(tempfile.mkdtemp(prefix="netcli-events-"))
    runner = CliRunner()
    env = {"NETCLI_DB": str(folder / "n.db"), "NETCLI_CONFIG": str(folder / "c.toml"), "NO_COLOR": "1"}

    def run(*args: str):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code in (0, 1) and "Traceback" not in result.stderr, result.stderr
        return result

    added = {}
    for name, day in events:
        result = run("event", "add", name, "--on", day, "--force", "--json")
        event = json.loads(result.stdout)
        added[event["id"]] = event
    for number, event in added.items():
        assert json.loads(run("event", "show", f"#{number}", "--json").stdout)["id"] == number
        result = run("event", "show", event["name"], "--json")
        if result.exit_code == 0:
            assert json.loads(result.stdout)["name"].casefold() == event["name"].casefold()
        else:
            listed = [int(i) for i in re.findall(r"#(\d+)", result.stderr)]
            assert number in listed
            for other in listed:
                assert json.loads(run("event", "show", f"#{other}", "--json").stdout)["id"] == other


def test_met_at_an_event_of_several_editions_says_which_it_linked(cli):
    """Two editions of one name: the meeting day picks one, and netcli says so."""
    cli("event", "add", "PyCon", "--on", "2026-05-01")
    cli("event", "add", "PyCon", "--on", "2026-11-20", "--force")
    said = cli("add", "Gus Hill", "--met-at", "PyCon").stderr
    assert "--met-at 'PyCon' linked to event #2 PyCon (2026-11-20), one of 2 editions" in said
    assert "'event #ID'" in said
    said = cli("add", "Ida Cole", "--met-at", "PyCon", "--on", "2026-05-03").stderr
    assert "event #1 PyCon (2026-05-01)" in said
    assert "linked to" not in cli("add", "Jo Ray", "--met-at", "event #1").stderr


def test_the_add_prompt_offers_nothing_for_an_exact_name_of_several_editions(cli, monkeypatch):
    cli("event", "add", "PyCon", "--on", "2026-05-01")
    cli("event", "add", "PyCon", "--on", "2026-11-20", "--force")
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    answers = ["Rafa Costa", "event", "PyCon", "2026-05-02", "B", "", "", ""]
    result = cli("add", "--json", input="\n".join(answers) + "\n")
    assert "Did you mean" not in result.stderr
    assert json.loads(result.stdout)["met_at"] == "PyCon"
    assert met_at(cli, "#1") == ["Rafa Costa"]


def test_where_you_met_links_the_place_whichever_door_or_order(cli, tmp_path):
    """A `met_at` naming an event or community exactly links it from every
    door (a file as well as `add`), and a place added or renamed later links
    the people already said to have met there; ambiguous text, or an event
    after the meeting, stays text."""
    cli("add", "Cy Early", "--met-at", "Meetup #52", "--on", "2026-08-20")  # no such event yet: text
    assert cli.json("event", "add", "Meetup #52", "--on", "2026-08-20")["id"] == 1
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "name,met_at,met_on\n"
        "Ana Lima,meetup  #52,2026-08-21\n"  # case and spacing aside, a day later: that edition
        "Zed Before,Meetup #52,2026-08-01\n"  # before the only edition: text
        "Dee Member,rust learners,2026-08-01\n"  # no such community yet
    )
    cli("import", "csv", str(sheet))
    assert met_at(cli, "#1") == ["Ana Lima", "Cy Early"]
    assert [e["met"] for e in cli.json("event", "list")] == [2]
    cli("community", "add", "Rust Learners", "--kind", "community")
    assert members(cli, "rust learners") == ["Dee Member"]
    assert cli.json("show", "zed")["met_at"] == "Meetup #52"  # kept as text, linked to nothing
    cli("event", "add", "PyData", "--on", "2026-08-01")
    cli("community", "add", "PyData", "--kind", "community")  # the same name, not its community: which?
    cli("add", "Eve Unsure", "--met-at", "event #1", "--on", "2026-08-20")
    cli("edit", "eve", "--met-at", "Later Talk")
    cli("event", "edit", "#1", "--name", "Later Talk")  # renamed to what Eve's text says
    assert met_at(cli, "later talk") == ["Ana Lima", "Cy Early", "Eve Unsure"]
    before = cli.json("event", "show", "pydata")["people"], members(cli, "#2")
    sheet.write_text("name,met_at,met_on\nFay Both,PyData,2026-08-02\n")
    cli("import", "csv", str(sheet))
    assert (cli.json("event", "show", "pydata")["people"], members(cli, "#2")) == before


def test_a_file_naming_an_event_without_a_day_links_it_and_takes_its_day(cli, tmp_path):
    """No meeting day in the file: an event of one edition is linked and its
    (past) day is the meeting's, as `add --met-at` does; an event or
    community added later links such people too, accents aside."""
    cli("event", "add", "RustConf", "--on", "2026-09-10")
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,met_at\nPat Day,RustConf\nLou Later,PyData Porto\nCaf Accent,Café Berlin\nLee Plain,\n")
    cli("import", "csv", str(sheet), "--skip-bad")
    pat = cli.json("show", "pat")
    assert (pat["met_on"], met_at(cli, "rustconf")) == ("2026-09-10", ["Pat Day"])
    assert pat["timeline"] == []  # a file logs no meeting
    cli("event", "add", "PyData Porto", "--on", "2026-10-10")
    cli("community", "add", "Cafe Berlin", "--kind", "community")
    assert met_at(cli, "pydata porto") == ["Lou Later"] and members(cli, "cafe berlin") == ["Caf Accent"]
    hinted = cli("edit", "lee", "--via", "forum")
    assert "no meeting logged: when you met Lee Plain is not known; --met-on WHEN says it" in hinted.stderr
    cli("edit", "lee", "--met-at", "RustConf")  # typed: the event's day, and the meeting `add` would log
    lee = cli.json("show", "lee")
    assert lee["met_on"] == "2026-09-10" and [(t["kind"], t["date"]) for t in lee["timeline"]] == [
        ("met", "2026-09-10")
    ]
