"""Mentors, goals, communities, events, `who`, and their four rules, via the CLI."""

from __future__ import annotations

import pytest

from conftest import days_ago

# words and flows that no engine changes: run on SQLite (the store's SQL is tried on
# PostgreSQL by the modules that exercise it: io, report, nudge, db, search, reliability...)
pytestmark = pytest.mark.one_engine


def rules_of(cli, *args):
    return {(n["rule"], n["contact"]) for n in cli.json("nudge", "--all", *args)}


def test_mentor_lifecycle_questions_and_nudges(cli):
    m = cli.json("mentor", "add", "Dana Novak", "--every", "4w", "--topic", "career")
    assert m["status"] == "active" and m["cadence_days"] == 28 and m["next_due"] == days_ago(0)
    assert cli.json("show", "dana")["via"] == "mentoring"
    cli("mentor", "meet", "dana", "--on", "26 days ago", "--note", "talk ideas")
    cli("log", "dana", "--kind", "thanks", "--on", "26 days ago")
    # due in 2 days: within the 3-day window, and nothing prepared
    found = rules_of(cli)
    assert ("mentor-meeting", "Dana Novak") in found and ("mentor-prep", "Dana Novak") in found
    assert ("reconnect", "Dana Novak") not in found
    assert ("mentor-meeting", "Dana Novak") not in rules_of(cli, "--as-of", "3 days ago")
    q1 = cli.json("mentor", "ask", "dana", "How do I pitch a talk?")
    cli("mentor", "ask", "dana", "Should I switch teams?")
    assert q1["number"] == 1
    assert ("mentor-prep", "Dana Novak") not in rules_of(cli)
    prep = cli.json("mentor", "prep", "dana")
    assert [q["text"] for q in prep["questions"]] == ["How do I pitch a talk?", "Should I switch teams?"]
    assert prep["last_session"]["note"] == "talk ideas" and prep["days_since"] == 26
    r = cli.json("mentor", "meet", "dana", "--note", "pitched", "--answered", "1")
    assert r["answered"] == [1] and r["kind"] == "mentor-session"
    assert [q["number"] for q in cli.json("mentor", "prep", "dana")["questions"]] == [2]
    found = rules_of(cli)
    assert ("mentor-meeting", "Dana Novak") not in found
    assert ("thank", "Dana Novak") in found  # a session deserves a thank-you
    listed = cli.json("mentor", "list")
    assert listed[0]["last_session"] == days_ago(0) and listed[0]["next_due"] == days_ago(-28)
    assert listed[0]["open_questions"] == 1
    cli("mentor", "meet", "dana", "--answered", "all")
    assert cli.json("mentor", "prep", "dana")["questions"] == []
    cli("mentor", "meet", "dana", "--answered", "7", code=1)
    cli("mentor", "end", "dana")
    assert cli.json("mentor", "list")[0]["status"] == "past"
    assert not any(rule.startswith("mentor") for rule, _ in rules_of(cli, "--as-of", "in 60 days"))
    assert cli.json("show", "dana")["mentorship"]["status"] == "past"


def test_prospect_mentors_are_not_nudged_until_started(cli):
    cli("add", "Grace Kim")
    cli("mentor", "add", "grace", "--prospect")
    assert cli.json("mentor", "list")[0]["status"] == "prospect"
    assert not any(rule.startswith("mentor") for rule, _ in rules_of(cli))
    cli("mentor", "start", "grace")
    assert ("mentor-meeting", "Grace Kim") in rules_of(cli)
    cli("mentor", "add", "grace", code=1)
    cli("mentor", "ask", "nobody", "x", code=1)
    cli("add", "Not Mentor")
    r = cli("mentor", "prep", "not mentor", code=1)
    assert "not one of your mentors" in r.stderr


def test_done_on_mentor_meeting_logs_a_session(cli):
    cli("mentor", "add", "Dana", "--every", "2w")
    cli("mentor", "meet", "dana", "--on", "20 days ago")
    meeting = next(n for n in cli.json("nudge", "--all") if n["rule"] == "mentor-meeting")
    assert cli.json("done", meeting["id"])["logged"]["kind"] == "mentor-session"
    assert ("mentor-meeting", "Dana") not in rules_of(cli)


def test_goals_story_links_and_stalling(cli):
    cli("add", "Ana Lima", "--topic", "rust", "--tier", "B")
    cli("add", "Keiko Sato", "--topic", "mlops", "--tier", "A")
    cli("add", "Bo Chen", "--topic", "mlops", "--tier", "C")
    g = cli.json(
        "goal",
        "add",
        "Give a talk on embedded Rust",
        "--by",
        "in 3 months",
        "--topic",
        "rust",
        "--why",
        "share what I learned",
    )
    assert g["status"] == "active" and g["topics"] == ["rust"] and g["contacts"] == []
    cli("goal", "link", "talk", "ana")
    cli("goal", "progress", "talk", "--note", "outline", "--percent", "30", "--on", "30 days ago")
    found = {n["rule"]: n for n in cli.json("nudge", "--all") if n["rule"] == "goal-stalled"}
    # created today: not stalled yet, even though the progress note is older
    assert found == {}
    stalled = [n for n in cli.json("nudge", "--all", "--as-of", "in 22 days") if n["rule"] == "goal-stalled"]
    assert len(stalled) == 1 and stalled[0]["contact"] == "Ana Lima" and "ask Ana Lima" in stalled[0]["action"]
    cli("log", "ana", "--kind", "call", "--goal", "talk", "--note", "rehearsal")
    assert cli.json("history", "ana", "--limit", "1")[0]["goal"] == "Give a talk on embedded Rust"
    story = cli.json("goal", "show", "embedded")
    assert [p["percent"] for p in story["progress"]] == [30]
    assert story["helpers"][0]["name"] == "Ana Lima" and story["contacts"] == ["Ana Lima"]
    assert story["percent"] == 30
    # a goal nobody is linked to asks the closest person whose topics match
    cli("goal", "add", "Learn MLOps", "--topic", "mlops")
    later = [n for n in cli.json("nudge", "--all", "--as-of", "in 30 days") if n["rule"] == "goal-stalled"]
    mlops = next(n for n in later if "MLOps" in n["action"])
    assert mlops["contact"] == "Keiko Sato"
    assert {x["title"] for x in cli.json("goal", "list")} == {"Give a talk on embedded Rust", "Learn MLOps"}
    cli("goal", "done", "talk")
    cli("goal", "drop", "mlops")
    assert cli.json("goal", "list") == []
    assert {x["status"] for x in cli.json("goal", "list", "--all")} == {"done", "dropped"}
    assert not any(n["rule"] == "goal-stalled" for n in cli.json("nudge", "--all", "--as-of", "in 90 days"))
    shown = cli.json("show", "ana")
    assert shown["goals"] == [{"id": 1, "title": "Give a talk on embedded Rust", "status": "done"}]
    cli("goal", "progress", "talk", "--note", "more", code=1)
    cli("goal", "show", "nothing like it", code=1)
    cli("goal", "progress", "1", "--note", "x", "--percent", "150", code=2)


def test_who_orders_by_closeness(cli):
    cli("add", "Far", "--topic", "rust", "--tier", "D")
    cli("add", "Close", "--topic", "Rust embedded", "--tier", "A", "--on", "100 days ago")
    cli("add", "Middle Old", "--topic", "rust", "--tier", "B", "--on", "50 days ago")
    cli("add", "Middle New", "--topic", "rust", "--tier", "B", "--on", "5 days ago")
    cli("add", "Other", "--topic", "python")
    cli("add", "Gone", "--topic", "rust")
    cli("archive", "gone")
    assert [r["name"] for r in cli.json("who", "rust")] == ["Close", "Middle New", "Middle Old", "Far"]
    assert cli.json("who", "cobol") == []


def test_communities_events_and_met_at(cli):
    cli.json("community", "add", "Lisbon Rust Meetup", "--kind", "community", "--url", "https://x.example")
    cli("community", "add", "lisbon rust meetup", "--kind", "forum", code=1)
    cli("community", "add", "Bad", "--kind", "club", code=2)
    past = cli.json("event", "add", "Rust Night", "--on", "10 days ago", "--kind", "meetup", "--community", "lisbon")
    assert past["community"] == "Lisbon Rust Meetup"
    cli("event", "add", "RustConf", "--on", "in 5 days", "--kind", "conference", "--online")
    a = cli.json("add", "Ana", "--met-at", "rust night", "--tier", "A")
    assert a["met_on"] == days_ago(10)  # added after the event: met on its day
    cli("add", "Bo", "--met-at", "Rust Night", "--on", "10 days ago")
    cli("add", "Cy", "--met-at", "Lisbon Rust Meetup")
    cli("log", "ana", "--kind", "message")
    shown = cli.json("event", "show", "rust night")
    assert [(p["name"], p["followed_up"]) for p in shown["people"]] == [("Ana", True), ("Bo", False)]
    community = cli.json("community", "show", "lisbon")
    assert {m["name"] for m in community["members"]} == {"Ana", "Bo", "Cy"}
    assert [e["name"] for e in community["events"]] == ["Rust Night"]
    assert cli.json("community", "list")[0]["members"] == 3
    assert [e["name"] for e in cli.json("event", "list", "--upcoming")] == ["RustConf"]
    assert [e["name"] for e in cli.json("event", "list")] == ["Rust Night", "RustConf"]
    upcoming = [n for n in cli.json("nudge", "--all") if n["rule"] == "event-upcoming"]
    assert len(upcoming) == 1 and "RustConf" in upcoming[0]["action"]
    assert upcoming[0]["due"] == days_ago(-5)
    assert not [n for n in cli.json("nudge", "--all", "--as-of", "in 6 days") if n["rule"] == "event-upcoming"]
    assert not [n for n in cli.json("nudge", "--all", "--as-of", "3 days ago") if n["rule"] == "event-upcoming"]
    # an event of the community suggests people from it
    cli("event", "add", "Rust Night 2", "--on", "in 2 days", "--community", "lisbon rust")
    night = next(n for n in cli.json("nudge", "--all") if "Rust Night 2" in n["action"])
    assert "look for Ana, Bo, Cy" in night["action"]
    cli("event", "show", "nothing", code=1)


def test_merge_moves_mentorship_and_goal_links(cli):
    cli("add", "Dana Novak")
    cli("add", "D. Novak", "--force")
    cli("mentor", "add", "#2", "--every", "3w")
    cli("mentor", "ask", "#2", "question one")
    cli("goal", "add", "Lead a team")
    cli("goal", "link", "lead", "#2")
    cli("merge", "#1", "#2", "--yes")
    shown = cli.json("show", "dana")
    assert shown["mentorship"]["cadence_days"] == 21 and shown["mentorship"]["questions"] == ["question one"]
    assert [g["title"] for g in shown["goals"]] == ["Lead a team"]
