"""`netcli mcp` through the MCP SDK's own stdio client, as an assistant uses it:
the installed `netcli mcp` over the demo network, one server per fixture for
the whole module (one reading and writing, one started --read-only). Each
tool's answer is compared with the command that gives it in a terminal, and
each write is read back through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from mcp.shared.exceptions import MCPError
from typer.testing import CliRunner

from mcp_client import Served, server_env
from netcli import __version__
from netcli.cli import app

READS = {"find_people", "get_person", "list_nudges", "mentor_prep", "list_goals", "monthly_report", "search"}
WRITES = {"add_person", "log_interaction", "act_on_nudge", "add_goal"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mcp")
    run(folder, "demo")
    return folder


@pytest.fixture(scope="module")
def served(folder: Path):
    server = Served(folder)
    yield server
    server.close()


@pytest.fixture(scope="module")
def read_only(folder: Path):
    server = Served(folder, "--read-only")
    yield server
    server.close()


def run(folder: Path, *args: str, code: int = 0) -> Any:
    """`netcli ARGS` in a terminal, over the server's database and settings."""
    result = CliRunner().invoke(app, list(args), env=server_env(folder))
    assert result.exit_code == code, result.stderr
    return result


def cli_json(folder: Path, *args: str) -> Any:
    return json.loads(run(folder, *args, "--json").stdout)


def cli_error(folder: Path, *args: str) -> str:
    return run(folder, *args, code=1).stderr.strip().removeprefix("error: ")


def tools(served: Served) -> dict[str, Any]:
    return {tool.name: tool for tool in served.run(lambda session: session.list_tools()).tools}


def valid(served: Served, tool: str, arguments: dict[str, Any]) -> bool:
    return Draft202012Validator(tools(served)[tool].input_schema).is_valid(arguments)


def test_the_server_introduces_itself(served: Served) -> None:
    init = served.initialized
    assert (init.server_info.name, init.server_info.version) == ("netcli", __version__)
    assert init.capabilities.tools and init.capabilities.resources and init.capabilities.prompts
    assert "find_people" in init.instructions and "#ID" in init.instructions


def test_the_contracts_tools_with_schemas_a_model_can_read(served: Served) -> None:
    listed = tools(served)
    assert set(listed) == READS | WRITES
    for name, tool in listed.items():
        Draft202012Validator.check_schema(tool.input_schema)
        assert tool.input_schema["type"] == "object" and len(tool.description) > 80, name
        for key, schema in tool.input_schema["properties"].items():
            assert schema.get("description"), (name, key)
        assert tool.annotations.read_only_hint is (name in READS), name
        assert not tool.description.startswith("Refused")


def test_each_reading_tool_answers_as_its_command_does(served: Served, folder: Path) -> None:
    cases = [
        ("list_nudges", {}, ["nudge"]),
        ("list_nudges", {"limit": 3, "as_of": "in 2 weeks"}, ["nudge", "--limit", "3", "--as-of", "in 2 weeks"]),
        ("search", {"text": "rust", "limit": 5}, ["search", "rust", "--limit", "5"]),
        ("mentor_prep", {"who": "dana"}, ["mentor", "prep", "dana"]),
        ("monthly_report", {}, ["report"]),
        ("monthly_report", {"month": "last"}, ["report", "--month", "last"]),
        ("get_person", {"who": "Ana Lima", "timeline_limit": 1000}, ["show", "Ana Lima"]),
    ]
    for tool, arguments, command in cases:
        assert valid(served, tool, arguments), (tool, arguments)
        assert served.answer(tool, arguments) == cli_json(folder, *command), tool
    goals = served.answer("list_goals")
    assert [{k: v for k, v in g.items() if k != "experts"} for g in goals] == cli_json(folder, "goal", "list")
    experts = {e["name"] for g in goals for e in g["experts"]}
    assert experts >= {"Ana Lima", "Carmen Ruiz"}  # the embedded Rust talk: people who know rust
    story = served.answer("list_goals", {"goal": goals[0]["title"][:8]})
    assert {k: v for k, v in story.items() if k != "experts"} == cli_json(folder, "goal", "show", str(goals[0]["id"]))


def test_find_people_answers_the_questions_a_user_asks(served: Served, folder: Path) -> None:
    def names(**arguments: Any) -> list[str]:
        assert valid(served, "find_people", arguments)
        return [person["name"] for person in served.answer("find_people", arguments)]

    everyone = {c["name"]: c for c in cli_json(folder, "list")}
    found = served.answer("find_people", {"met_at": "PyData", "topic": "python"})
    assert [p["name"] for p in found] == ["Maya Patel", "Quinn Taylor"]  # who did I meet at PyData who knows Python?
    assert found == [everyone[p["name"]] for p in found]  # the objects of `netcli list --json`
    assert names(org="acme") == ["Aisha Bello", "Farid Haddad", "Hugo Martin", "Liam O'Brien"]
    assert names(met_at="Lisbon Rust Meetup") == ["Ana Lima", "Carmen Ruiz", "Pedro Alves", "Xavier Dubois"]
    assert names(topic="rust", tier="A") == [n for n in names(topic="rust") if everyone[n]["tier"] == "A"]
    assert names(text="stripe") == ["Zoe Fischer"]
    assert names(met_at="no such place anywhere") == []
    assert len(names(limit=3)) == 3
    assert set(names(overdue=True)) == {c["name"] for c in cli_json(folder, "list", "--overdue")}


def test_a_person_is_named_as_in_the_cli_and_mistakes_get_its_message(served: Served, folder: Path) -> None:
    assert served.answer("get_person", {"who": "#4"})["name"] == "Dana Novak"
    assert served.answer("get_person", {"who": "novak"})["name"] == "Dana Novak"
    assert served.answer("get_person", {"who": "Dana@Novak.example"})["name"] == "Dana Novak"
    assert len(served.answer("get_person", {"who": "ana", "timeline_limit": 2})["timeline"]) == 2
    for tool, arguments, command in [
        ("get_person", {"who": "nobody at all"}, ["show", "nobody at all"]),
        ("get_person", {"who": "a"}, ["show", "a"]),  # several: each with its #ID
        ("mentor_prep", {"who": "Ben Carter"}, ["mentor", "prep", "Ben Carter"]),  # not a mentor
        ("list_goals", {"goal": "no such goal"}, ["goal", "show", "no such goal"]),
        ("act_on_nudge", {"nudge_id": "0000000", "action": "dismiss"}, ["dismiss", "0000000"]),
        ("monthly_report", {"month": "2099-01"}, ["report", "--month", "2099-01"]),
        ("log_interaction", {"who": ["ana", "nobody at all"]}, ["log", "ana", "nobody at all"]),
    ]:
        assert served.error(tool, arguments) == cli_error(folder, *command), tool
    assert "#1 Ana Lima" in served.error("get_person", {"who": "a"})


def test_values_a_tool_cannot_read_name_the_argument(served: Served) -> None:
    assert served.error("list_nudges", {"as_of": "someday"}).startswith("as_of: cannot read the date 'someday'")
    assert "in the future" in served.error("log_interaction", {"who": ["ana"], "on": "tomorrow"})
    assert served.error("act_on_nudge", {"nudge_id": "x", "action": "snooze", "snooze_for": "ages"}).startswith(
        "snooze_for: "
    )
    assert served.error("monthly_report", {"month": "Smarch"}).startswith("month: ")
    assert served.error("add_person", {"name": "Someone New", "birthday": "soon"}).startswith("birthday: ")


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("list_nudges", {"limit": 0}),
        ("list_nudges", {"rule": "no-such-rule"}),
        ("log_interaction", {"who": []}),
        ("log_interaction", {"who": ["ana"], "kind": "party"}),
        ("act_on_nudge", {"nudge_id": "abc", "action": "forget"}),
        ("get_person", {"who": "x" * 100_000}),
        ("search", {"text": ""}),
        ("find_people", {"limit": "many"}),
        ("add_person", {}),
    ],
)
def test_arguments_outside_the_schema_are_refused_as_the_schema_says(
    served: Served, tool: str, arguments: dict
) -> None:
    assert not valid(served, tool, arguments)
    assert served.call(tool, arguments).is_error


def test_an_unknown_tool_is_an_error_not_a_crash(served: Served) -> None:
    result = served.call("delete_everyone", {})
    assert result.is_error and "delete_everyone" in result.content[0].text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=60))
def test_hostile_text_is_answered_or_refused_never_a_crash(served: Served, text: str) -> None:
    """Whatever a stranger's text makes the model pass on, the server answers
    or says what was wrong: never the SDK's word for a crash."""
    for tool, arguments in [("get_person", {"who": text}), ("find_people", {"text": text, "met_at": text})]:
        result = served.call(tool, arguments)
        if result.is_error:
            assert "Error executing tool" not in result.content[0].text or not valid(served, tool, arguments)
        else:
            json.loads(result.content[0].text)


def test_writes_are_what_the_cli_then_reads(served: Served, folder: Path) -> None:
    added = served.answer(
        "add_person",
        {
            "name": "Zora Writer",
            "emails": ["zora@example.org"],
            "met_at": "PyData",
            "on": "yesterday",
            "topics": ["Rust"],
            "via": "event",
            "tier": "B",
        },
    )
    assert added == next(c for c in cli_json(folder, "list") if c["name"] == "Zora Writer")
    assert (added["tier"], added["met_at"], added["topics"]) == ("B", "PyData London", ["rust"])
    note = served.call("add_person", {"name": "Zora Writer 2", "met_at": "PyData"}).content
    assert "linked to event #" in note[1].text  # what netcli says of the link, beside the document
    logged = served.answer(
        "log_interaction", {"who": ["Zora Writer", "#4"], "kind": "help-received", "note": "reviewed my CV"}
    )
    assert logged == cli_json(folder, "history", "Zora Writer", "--limit", "1")[0]
    assert logged["contacts"] == ["Dana Novak", "Zora Writer"]
    assert served.error("add_person", {"name": "Zora Writer"}) == cli_error(folder, "add", "Zora Writer")
    goal = served.answer("add_goal", {"title": "Write a Rust CLI", "topics": ["rust"], "by": "in 3 months"})
    assert goal in cli_json(folder, "goal", "list")
    nudges = served.answer("list_nudges", {"limit": 500})
    dismissed = served.answer("act_on_nudge", {"nudge_id": nudges[-1]["id"], "action": "dismiss"})
    assert dismissed == {"nudge": nudges[-1]}
    assert nudges[-1]["id"] not in {n["id"] for n in cli_json(folder, "nudge", "--all")}
    thank = next(n for n in served.answer("list_nudges", {"limit": 500}) if n["action"].startswith("Thank Zora"))
    done = served.answer("act_on_nudge", {"nudge_id": thank["id"], "action": "done", "note": "sent a card"})
    assert done["logged"] == cli_json(folder, "history", "Zora Writer", "--limit", "1")[0]
    assert (done["logged"]["kind"], done["logged"]["note"]) == ("thanks", "sent a card")


def test_a_cli_write_is_seen_by_the_next_call(served: Served, folder: Path) -> None:
    run(folder, "add", "Yusuf Between Calls", "--topic", "zig")
    assert [p["name"] for p in served.answer("find_people", {"topic": "zig"})] == ["Yusuf Between Calls"]
    run(folder, "log", "Yusuf Between Calls", "--kind", "call", "--note", "talked about comptime")
    assert served.answer("get_person", {"who": "yusuf"})["timeline"][0]["note"] == "talked about comptime"


def test_resources_are_todays_nudges_and_a_persons_profile(served: Served) -> None:
    listed = served.run(lambda session: session.list_resources()).resources
    assert [str(r.uri) for r in listed] == ["netcli://nudges/today"]
    templates = served.run(lambda session: session.list_resource_templates()).resource_templates
    assert [t.uri_template for t in templates] == ["netcli://people/{who}"]

    def read(uri: str) -> Any:
        return json.loads(served.run(lambda session: session.read_resource(uri)).contents[0].text)

    assert read("netcli://nudges/today") == served.answer("list_nudges")
    assert read("netcli://people/4") == served.answer("get_person", {"who": "#4"})
    assert read("netcli://people/Dana%20Novak")["id"] == 4
    with pytest.raises(MCPError, match="no contact matches"):
        read("netcli://people/nobody")


def test_prompts_carry_what_netcli_knows(served: Served, folder: Path) -> None:
    listed = {p.name: p for p in served.run(lambda session: session.list_prompts()).prompts}
    assert set(listed) == {"morning_review", "prepare_meeting"}
    assert [a.name for a in listed["prepare_meeting"].arguments] == ["who"]
    morning = served.run(lambda session: session.get_prompt("morning_review")).messages[0].content.text
    assert served.answer("list_nudges")[0]["action"] in morning and "act_on_nudge" in morning
    meeting = served.run(lambda session: session.get_prompt("prepare_meeting", {"who": "dana"})).messages[0]
    assert "Dana Novak" in meeting.content.text and "my prep sheet" in meeting.content.text
    with pytest.raises(MCPError, match="no contact matches 'nobody'"):
        served.run(lambda session: session.get_prompt("prepare_meeting", {"who": "nobody"}))


def test_read_only_lists_every_tool_refuses_each_write_and_reads(read_only: Served, folder: Path) -> None:
    listed = tools(read_only)
    assert set(listed) == READS | WRITES
    assert all(listed[name].description.startswith("Refused") for name in WRITES)
    before = cli_json(folder, "history")
    for tool, arguments in [
        ("add_person", {"name": "Never Added"}),
        ("log_interaction", {"who": ["ana"], "on": "not a date"}),  # refused before its arguments are read
        ("act_on_nudge", {"nudge_id": "abc", "action": "done"}),
        ("add_goal", {"title": "Never set"}),
    ]:
        assert "--read-only" in read_only.error(tool, arguments), tool
    assert cli_json(folder, "history") == before
    assert read_only.answer("get_person", {"who": "dana"})["name"] == "Dana Novak"
    prompt = read_only.run(lambda session: session.get_prompt("morning_review")).messages[0].content.text
    assert "read-only" in prompt
