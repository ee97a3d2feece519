"""`netcli demo`: a believable network that makes every contact rule fire."""

from __future__ import annotations


def test_demo_fills_an_empty_database_and_refuses_a_full_one(cli):
    r = cli("demo")
    assert "sample network of 30 people" in r.stderr
    people = cli.json("list")
    assert len(people) == 30
    assert {p["via"] for p in people} >= {"forum", "social", "event", "course", "community", "project", "association"}
    kinds = {h["kind"] for h in cli.json("history")}
    assert kinds >= {
        "met",
        "message",
        "call",
        "meeting",
        "collab",
        "help-given",
        "help-received",
        "thanks",
        "intro",
        "mentor-session",
    }
    assert {n["rule"] for n in cli.json("nudge", "--all")} == {
        "follow-up",
        "reconnect",
        "thank",
        "give-back",
        "mentor-meeting",
        "mentor-prep",
        "goal-stalled",
        "event-upcoming",
    }
    assert len(cli.json("mentor", "list")) == 3
    assert len(cli.json("goal", "list", "--all")) == 3
    assert len(cli.json("community", "list")) >= 5 and len(cli.json("event", "list")) >= 5
    r = cli("demo", code=1)
    assert "--force" in r.stderr
    assert len(cli.json("list")) == 30
    cli("demo", "--force")
    assert len(cli.json("list")) == 60
