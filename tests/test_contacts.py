"""Contacts through the CLI: add, list, show, edit, archive, rm, merge, WHO."""

from __future__ import annotations

import pytest

from conftest import days_ago

# words and flows that no engine changes: run on SQLite (the store's SQL is tried on
# PostgreSQL by the modules that exercise it: io, report, nudge, db, search, reliability...)
pytestmark = pytest.mark.one_engine

CONTACT_KEYS = {
    "id",
    "name",
    "email",
    "phone",
    "org",
    "role",
    "location",
    "url",
    "via",
    "met_at",
    "met_on",
    "introduced_by",
    "tier",
    "cadence_days",
    "tags",
    "topics",
    "note",
    "archived",
    "interactions",
    "last_contact",
    "next_due",
}


def test_add_returns_the_contract_keys(cli, today):
    c = cli.json(
        "add",
        "José Núñez",
        "--email",
        "jose@example.org",
        "--org",
        "Acme",
        "--role",
        "SRE",
        "--location",
        "Porto",
        "--url",
        "@jose",
        "--via",
        "event",
        "--met-at",
        "PyCon",
        "--tag",
        "Speaker",
        "--topic",
        "rust",
        "--topic",
        "Rust",
        "--tier",
        "B",
        "--note",
        "hi",
    )
    assert set(c) >= CONTACT_KEYS
    assert c["name"] == "José Núñez"
    assert c["met_on"] == today.isoformat()
    assert c["last_contact"] == today.isoformat()
    assert c["interactions"] == 1
    assert c["tags"] == ["speaker"] and c["topics"] == ["rust"]
    assert c["tier"] == "B" and c["cadence_days"] == 30
    assert c["next_due"] == days_ago(-30)
    assert c["introduced_by"] is None and c["archived"] is False
    history = cli.json("history", "jose")
    assert [(h["kind"], h["contacts"]) for h in history] == [("met", ["José Núñez"])]


def test_add_own_cadence_and_date_and_introducer(cli):
    cli("add", "Ana Lima")
    c = cli.json("add", "Bo Chen", "--on", "3 days ago", "--every", "2w", "--introduced-by", "ana")
    assert c["met_on"] == days_ago(3)
    assert c["cadence_days"] == 14
    assert c["next_due"] == days_ago(3 - 14)
    assert c["introduced_by"] == "Ana Lima"
    shown = cli.json("show", "ana")
    assert shown["introduced"] == ["Bo Chen"]


@pytest.mark.parametrize("who", ["jose", "JOSE NUNEZ", "José", "nun", "#1", "  José   Núñez "])
def test_who_resolution(cli, who):
    cli("add", "José Núñez")
    cli("add", "Maria Souza")
    assert cli.json("show", who)["name"] == "José Núñez"


def test_ambiguous_and_missing_names(cli):
    cli("add", "Ana Lima")
    cli("add", "Ana Souza")
    r = cli("show", "ana", code=1)
    assert "#1 Ana Lima" in r.stderr and "#2 Ana Souza" in r.stderr
    assert r.stderr.count("\n") == 1
    r = cli("show", "Ana Limma", code=1)
    assert "no contact matches 'Ana Limma'" in r.stderr and "Ana Lima" in r.stderr
    r = cli("show", "#99", code=1)
    assert "#99" in r.stderr


def test_archived_match_only_by_exact_name_or_id(cli):
    cli("add", "Ana Lima")
    cli("archive", "ana")
    cli("show", "ana", code=1)
    assert cli.json("show", "ana lima")["archived"] is True
    assert cli.json("show", "#1")["archived"] is True
    assert cli.json("list") == []
    assert [c["name"] for c in cli.json("list", "--archived")] == ["Ana Lima"]
    cli("unarchive", "#1")
    assert [c["name"] for c in cli.json("list")] == ["Ana Lima"]


def test_duplicates_need_force(cli):
    cli("add", "Ana Lima", "--email", "ana@example.org")
    r = cli("add", "ana lima", code=1)
    assert "#1 Ana Lima" in r.stderr and "--force" in r.stderr
    r = cli("add", "Ana L.", "--email", "ANA@example.org", code=1)
    assert "email" in r.stderr
    assert cli.json("add", "Ana Lima", "--force")["id"] == 2


def test_list_filters_and_sorting(cli):
    cli("add", "Old Friend", "--tier", "A", "--on", "40 days ago", "--tag", "x", "--via", "work")
    cli("add", "New Face", "--topic", "rust", "--via", "event")
    cli("add", "Middle", "--tier", "B", "--on", "10 days ago", "--topic", "rust")
    names = lambda *a: [c["name"] for c in cli.json("list", *a)]  # noqa: E731
    assert names() == ["Middle", "New Face", "Old Friend"]
    assert names("--topic", "RUST") == ["Middle", "New Face"]
    assert names("--tag", "x") == ["Old Friend"]
    assert names("--via", "event") == ["New Face"]
    assert names("--tier", "b") == ["Middle"]
    assert names("--overdue") == ["Old Friend"]
    assert names("--sort", "last") == ["New Face", "Middle", "Old Friend"]
    assert names("--sort", "due") == ["Old Friend", "Middle", "New Face"]
    assert names("--overdue", "--as-of", "100 days ago") == []
    assert names("--as-of", "20 days ago", "--sort", "last")[0] == "Old Friend"


def test_edit_fields_labels_and_cadence(cli):
    cli("add", "Ana Lima", "--tag", "a", "--topic", "rust", "--email", "ana@example.org")
    cli("add", "Bo Chen")
    c = cli.json(
        "edit",
        "ana",
        "--name",
        "Ana Lima Souza",
        "--org",
        "Ferrous",
        "--add-tag",
        "b",
        "--remove-tag",
        "a",
        "--add-topic",
        "wasm",
        "--remove-topic",
        "rust",
        "--tier",
        "A",
        "--every",
        "10d",
        "--introduced-by",
        "bo",
        "--email",
        "",
    )
    assert c["name"] == "Ana Lima Souza" and c["org"] == "Ferrous"
    assert c["tags"] == ["b"] and c["topics"] == ["wasm"]
    assert c["tier"] == "A" and c["cadence_days"] == 10
    assert c["introduced_by"] == "Bo Chen" and c["email"] is None
    c = cli.json("edit", "ana", "--every", "none")
    assert c["cadence_days"] == 14
    r = cli("edit", "ana", "--name", "bo chen", code=1)
    assert "already" in r.stderr


def test_rm_needs_yes_without_terminal_and_keeps_shared_interactions(cli):
    cli("add", "Ana Lima")
    cli("add", "Bo Chen")
    cli("log", "ana", "bo", "--kind", "meeting")
    r = cli("rm", "ana", code=2)
    assert "--yes" in r.stderr
    assert len(cli.json("list")) == 2
    cli("rm", "ana", "--yes")
    assert [c["name"] for c in cli.json("list")] == ["Bo Chen"]
    history = cli.json("history")
    assert {h["kind"] for h in history} == {"met", "meeting"}
    assert all(h["contacts"] == ["Bo Chen"] for h in history)


def test_merge_moves_everything_onto_keep(cli):
    cli("add", "Ana Lima", "--tag", "a", "--on", "10 days ago")
    cli(
        "add",
        "Ana L",
        "--force",
        "--email",
        "ana@example.org",
        "--tag",
        "b",
        "--topic",
        "rust",
        "--on",
        "20 days ago",
        "--note",
        "from the forum",
    )
    cli("add", "Bo Chen", "--introduced-by", "#2")
    cli("log", "#1", "#2", "--kind", "call")
    cli("log", "#2", "--kind", "help-received")
    c = cli.json("merge", "#1", "#2", "--yes")
    assert c["email"] == "ana@example.org"
    assert c["tags"] == ["a", "b"] and c["topics"] == ["rust"]
    assert c["met_on"] == days_ago(20)
    assert c["note"] == "from the forum"
    assert c["interactions"] == 4  # the earlier met, the shared call once, the help, the intro of Bo
    assert cli.json("show", "bo")["introduced_by"] == "Ana Lima"
    cli("show", "#2", code=1)
    cli("merge", "ana", "ana lima", "--yes", code=1)


def test_show_lists_timeline_and_give_and_take(cli):
    cli("add", "Ana Lima", "--on", "5 days ago")
    cli("log", "ana", "--kind", "help-received", "--on", "yesterday")
    cli("log", "ana", "--kind", "help-given")
    detail = cli.json("show", "ana")
    assert set(detail) >= CONTACT_KEYS
    assert [t["kind"] for t in detail["timeline"]] == ["help-given", "help-received", "met"]
    assert detail["help_given"] == 1 and detail["help_received"] == 1
    assert [n["rule"] for n in detail["nudges"]] == ["thank"]
    text = cli("show", "ana").stdout
    assert "Ana Lima" in text and "help-received" in text and "Thank Ana Lima" in text
