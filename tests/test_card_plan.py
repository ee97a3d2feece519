"""The decision table of `sync vdir`, alone: three states in, actions out
(`sync.card_plan.decide`). No database, no files."""

from __future__ import annotations

from typing import Any

from netcli.sync.actions import Change, Forget, Keep, Remove, Settle, Unparsable, Write
from netcli.sync.card_plan import NewCard, Rewrite, Row, There, contact_uid, decide

FOLDER = "/book"


def fields(name: str, **values: Any) -> dict[str, Any]:
    base = {"name": name, "emails": [], "phone": None, "org": None, "role": None, "url": None}
    base |= {"note": None, "birthday": None, "tags": []}
    return base | values


def contact(name: str, **values: Any) -> dict[str, Any]:
    return fields(name, **values) | {"archived": False, "name_key": name.lower()}


def kinds(actions: list[Any]) -> list[str]:
    return [a.verb if isinstance(a, Change) else type(a).__name__ for a in actions]


def test_a_new_card_becomes_a_contact_and_a_contact_without_card_gets_one() -> None:
    here = {1: contact("Ana Lima", emails=["ana@example.org"])}
    there = {"bo.vcf": There("bo.vcf", "uid-bo", fields("Bo Chen", emails=["bo@example.org"]))}
    actions = decide(here, there, {}, folder=FOLDER)
    assert kinds(actions) == ["add", "Settle", "Write", "Settle"]
    add, _, write, _ = actions
    assert add.value["name"] == "Bo Chen" and add.value["emails"] == ["bo@example.org"]
    assert isinstance(write, Write) and write.new and isinstance(write.content, NewCard)
    assert write.href == f"{contact_uid(FOLDER, 1, 'ana lima')}.vcf"


def test_a_first_meeting_pairs_by_email_and_fills_both_ways() -> None:
    here = {1: contact("Ana Lima", emails=["ana@example.org"], org="Ferrous")}
    there = {"a.vcf": There("a.vcf", "u", fields("Ana L.", emails=["ana@example.org"], phone="+1 555 0100"))}
    actions = decide(here, there, {}, folder=FOLDER)
    conflicts = [a.detail for a in actions if isinstance(a, Keep)]
    assert [(c.field, c.here, c.there) for c in conflicts] == [("name", "Ana Lima", "Ana L.")]
    update = next(a for a in actions if isinstance(a, Change) and a.verb == "update")
    rewrite = next(a for a in actions if isinstance(a, Write))
    assert update.value == {"phone": "+1 555 0100"} and rewrite.content == Rewrite({"org": "Ferrous"})


def test_changes_since_the_last_sync_go_to_the_other_side_and_both_is_a_conflict() -> None:
    agreed = fields("Ana Lima", org="Ferrous", role="Engineer")
    here = {1: contact("Ana Lima", org="Rust Foundation", role="Engineer")}
    rows = {"a.vcf": Row("a.vcf", 1, "u", agreed)}
    card = There("a.vcf", "u", fields("Ana Lima", org="Ferrous", role="Lead"))
    actions = decide(here, {"a.vcf": card}, rows, folder=FOLDER)
    assert [a.value for a in actions if isinstance(a, Change)] == [{"role": "Lead"}]
    assert [a.content for a in actions if isinstance(a, Write)] == [Rewrite({"org": "Rust Foundation"})]
    both = decide(
        here, {"a.vcf": There("a.vcf", "u", fields("Ana Lima", org="Zalando", role="Engineer"))}, rows, folder=FOLDER
    )
    assert [(a.detail.field, a.detail.why) for a in both if isinstance(a, Keep)] == [("org", "changed on both sides")]
    preferred = decide(
        here,
        {"a.vcf": There("a.vcf", "u", fields("Ana Lima", org="Zalando", role="Engineer"))},
        rows,
        folder=FOLDER,
        prefer="vdir",
    )
    assert [a.value for a in preferred if isinstance(a, Change)] == [{"org": "Zalando"}]


def test_nothing_changed_is_nothing_to_do() -> None:
    agreed = fields("Ana Lima")
    rows = {"a.vcf": Row("a.vcf", 1, "u", agreed)}
    assert kinds(decide({1: contact("Ana Lima")}, {"a.vcf": There("a.vcf", "u")}, rows, folder=FOLDER)) == []


def test_a_card_gone_archives_and_a_renamed_card_stays_paired() -> None:
    rows = {"a.vcf": Row("a.vcf", 1, "uid-a", fields("Ana Lima"))}
    here = {1: contact("Ana Lima")}
    assert kinds(decide(here, {}, rows, folder=FOLDER)) == ["Forget", "archive"]
    renamed = {"b.vcf": There("b.vcf", "uid-a", fields("Ana Lima"))}
    actions = decide(here, renamed, rows, folder=FOLDER)
    assert kinds(actions) == ["Forget", "Settle"] and actions[1].href == "b.vcf"


def test_a_contact_deleted_here_waits_for_delete_and_an_edited_card_is_a_conflict() -> None:
    rows = {"a.vcf": Row("a.vcf", None, "u", fields("Ana Lima"))}
    card = There("a.vcf", "u")
    assert kinds(decide({}, {"a.vcf": card}, rows, folder=FOLDER)) == ["wait"]
    assert [type(a) for a in decide({}, {"a.vcf": card}, rows, folder=FOLDER, delete=True)] == [Remove, Forget]
    edited = There("a.vcf", "u", edited=True)
    assert kinds(decide({}, {"a.vcf": edited}, rows, folder=FOLDER, delete=True)) == ["Keep"]
    assert kinds(decide({}, {"a.vcf": edited}, rows, folder=FOLDER, delete=True, prefer="netcli")) == [
        "Remove",
        "Forget",
    ]


def test_an_address_another_contact_holds_never_moves() -> None:
    here = {1: contact("Ana Lima", emails=["ana@example.org"]), 2: contact("Bo Chen", emails=["bo@example.org"])}
    rows = {"a.vcf": Row("a.vcf", 1, "u", fields("Ana Lima", emails=["ana@example.org"]))}
    card = There("a.vcf", "u", fields("Ana Lima", emails=["ana@example.org", "bo@example.org"]))
    actions = decide(here, {"a.vcf": card}, rows, folder=FOLDER)
    assert not any(isinstance(a, Change) and a.verb == "update" for a in actions)
    assert [a.detail.why for a in actions if isinstance(a, Keep)] == ["#2 Bo Chen already has the email bo@example.org"]
    paired = {"b.vcf": Row("b.vcf", 2, "ub", fields("Bo Chen", emails=["bo@example.org"]))}  # Bo has his card
    cy = There("c.vcf", "x", fields("Cy Diaz", emails=["bo@example.org", "cy@example.org"]))
    new = decide(here, {"b.vcf": There("b.vcf", "ub"), "c.vcf": cy}, paired, folder=FOLDER)
    add = next(a for a in new if isinstance(a, Change) and a.verb == "add")
    assert add.value["emails"] == ["cy@example.org"] and add.value["held"]
    settle = next(a for a in new if isinstance(a, Settle) and a.href == "c.vcf")
    assert "emails" not in settle.agreed["agreed"]  # looked at, and listed, each time


def test_an_unreadable_card_is_listed_and_left_alone() -> None:
    rows = {"a.vcf": Row("a.vcf", 1, "u", fields("Ana Lima"))}
    actions = decide(
        {1: contact("Ana Lima", org="New")}, {"a.vcf": There("a.vcf", why="not a card")}, rows, folder=FOLDER
    )
    assert actions == [Unparsable("a.vcf", "not a card")]
