"""Acting on the morning's list: `done`, `snooze` and `dismiss` on a nudge
that cleared since it was listed, on a unique start of an id, and what
`done` logs; a mentor session that serves a goal; `db backup` over a file."""

from __future__ import annotations

import json
from collections import Counter

import pytest

pytestmark = pytest.mark.one_engine


@pytest.fixture
def zelda(cli):
    """Zelda helped 50 days ago and was last in touch then: a thank and a reconnect, listed this morning."""
    cli("add", "Zelda Quorn", "--tier", "A", "--on", "60 days ago")
    cli("log", "zelda", "--kind", "help-received", "--on", "50 days ago")
    listed = {n["rule"]: n for n in cli.json("nudge")}
    assert set(listed) == {"thank", "reconnect"}
    return listed


def test_a_nudge_cleared_since_it_was_listed_is_said_to_be(cli, zelda):
    done = cli.json("done", zelda["thank"]["id"])
    assert done["logged"]["kind"] == "thanks" and done["already"] is None
    history = cli.json("history")
    # the thanks cleared the reconnect too: not "no current nudge", but why, and exit 0
    result = cli("done", zelda["reconnect"]["id"])
    assert result.stderr == "already cleared: you logged thanks with Zelda Quorn today\n"
    for command in ("snooze", "dismiss", "done"):
        answer = cli.json(command, zelda["reconnect"]["id"])
        assert answer["already"] == "you logged thanks with Zelda Quorn today"
        assert answer["nudge"]["id"] == zelda["reconnect"]["id"] and answer["nudge"]["rule"] == "reconnect"
    assert cli.json("history") == history  # nothing more logged
    assert cli("done", zelda["thank"]["id"]).stderr.startswith("already cleared: you logged thanks")


def test_only_a_nudge_listed_today_for_this_database_counts_as_cleared(cli, zelda, tmp_path):
    cli("log", "zelda", "--kind", "call")
    other = str(tmp_path / "other.db")
    cli("--db", other, "add", "Someone Else")
    assert "no current nudge" in cli("--db", other, "done", zelda["reconnect"]["id"], code=1).stderr
    cli("done", zelda["reconnect"]["id"])  # on the database it was listed for


def test_a_nudge_listed_for_another_day_is_unknown(cli, zelda):
    from netcli.paths import nudge_cache

    kept = json.loads(nudge_cache().read_text())
    kept["day"] = "2000-01-01"
    nudge_cache().write_text(json.dumps(kept))
    cli("log", "zelda", "--kind", "call")
    assert "no current nudge" in cli("dismiss", zelda["reconnect"]["id"], code=1).stderr


def test_done_logs_the_nudges_action_unless_a_note_is_given(cli, zelda):
    cli("done", zelda["thank"]["id"])
    assert cli.json("history", "--limit", "1")[0]["note"] == "Thank Zelda Quorn for the help."
    cli("add", "Hana Helper", "--on", "9 days ago")
    cli("log", "hana", "--kind", "help-received", "--on", "5 days ago")
    thank = next(n for n in cli.json("nudge") if n["rule"] == "thank")
    assert cli.json("done", thank["id"], "--note", "a card")["logged"]["note"] == "a card"


def test_a_unique_start_of_an_id_names_the_nudge_and_a_shared_one_lists_them(cli):
    cli("demo")
    listed = cli.json("nudge", "--all")
    first = Counter(n["id"][0] for n in listed)
    shared = next(c for c, k in first.items() if k > 1)  # 20 nudges, 16 hex digits: two share one
    unique = next(n for n in listed if all(o["id"][:3] != n["id"][:3] for o in listed if o is not n))
    result = cli("dismiss", shared, code=1)
    candidates = [n for n in listed if n["id"].startswith(shared)]
    assert f"'{shared}' starts {len(candidates)} nudge ids" in result.stderr
    assert all(n["id"] in result.stderr for n in candidates[:5]) and "give more of it" in result.stderr
    assert cli.json("snooze", unique["id"][:3], "--for", "2d")["nudge"]["id"] == unique["id"]
    assert unique["id"] not in {n["id"] for n in cli.json("nudge", "--all")}


def test_a_mentor_session_for_a_goal_stops_its_stall(cli):
    cli("mentor", "add", "Dana Novak", "--since", "40 days ago")
    cli("goal", "add", "Give a conference talk", "--on", "30 days ago")
    assert any(n["rule"] == "goal-stalled" for n in cli.json("nudge", "--all"))
    session = cli.json("mentor", "meet", "dana", "--goal", "conference", "--note", "outline")
    assert session["goal"] == "Give a conference talk" and session["kind"] == "mentor-session"
    assert not any(n["rule"] == "goal-stalled" for n in cli.json("nudge", "--all"))
    assert "no goal" in cli("mentor", "meet", "dana", "--goal", "knitting", code=1).stderr.lower()
    assert len(cli.json("history", "dana", "--kind", "mentor-session")) == 1  # nothing logged for a goal not found


@pytest.mark.sqlite_only
def test_db_backup_over_an_existing_file_needs_force_off_a_terminal(cli, tmp_path):
    cli("add", "Ana Lima")
    target = tmp_path / "copy.db"
    target.write_text("last week's copy")
    result = cli("db", "backup", str(target), code=1)
    assert "--force" in result.stderr and str(target) in result.stderr
    assert target.read_text() == "last week's copy"
    cli("db", "backup", str(target), "--force")
    assert target.read_bytes().startswith(b"SQLite format 3")
