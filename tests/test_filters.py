"""An empty result under a filter says what the filter found, not that
everything is empty (issue 16 #20)."""

from __future__ import annotations

import pytest

# words and flows that no engine changes: run on SQLite (the store's SQL is tried on
# PostgreSQL by the modules that exercise it: io, report, nudge, db, search, reliability...)
pytestmark = pytest.mark.one_engine


def _network(cli):
    cli("add", "Quinn Quiet", "--tier", "A", "--tag", "work", "--on", "60 days ago")
    cli("add", "Hana Helper", "--on", "50 days ago")
    cli("log", "hana", "--kind", "help-received", "--on", "4 days ago")


def test_nudge_rule_with_nothing_names_the_others(cli):
    _network(cli)
    others = len(cli.json("nudge", "--all"))
    r = cli("nudge", "--rule", "mentor-meeting")
    assert "good shape" not in r.stderr
    assert f"No mentor-meeting nudges today; {others} other nudges: netcli nudge" in r.stderr
    r = cli("nudge", "--rule", "birthday", "--as-of", "tomorrow")
    assert "No birthday nudges as of " in r.stderr and "other nudges: netcli nudge" in r.stderr
    assert cli.json("nudge", "--rule", "mentor-meeting") == []  # JSON stays a plain empty list


def test_nudge_with_nothing_at_all_is_in_good_shape(cli):
    assert "your network is in good shape" in cli("nudge", "--rule", "thank").stderr
    assert "your network is in good shape" in cli("nudge").stderr


def test_list_filter_with_no_match_says_how_many_there_are(cli):
    _network(cli)
    r = cli("list", "--tag", "nope")
    assert "No contacts with tag 'nope'; 2 contacts in all: netcli list" in r.stderr
    r = cli("list", "--tier", "D", "--topic", "rust")
    assert "No contacts with topic 'rust', tier D; 2 contacts in all" in r.stderr
    assert "No archived contacts; 2 contacts in all" in cli("list", "--archived").stderr


def test_history_filter_with_no_match_says_how_many_there_are(cli):
    _network(cli)
    r = cli("history", "--kind", "thanks")
    assert "No interactions of kind thanks; 3 in all: netcli history" in r.stderr
    r = cli("history", "quinn", "--since", "10 days ago")
    assert "No interactions with Quinn Quiet since " in r.stderr and "3 in all" in r.stderr


def test_empty_history_and_list_say_how_to_start(cli):
    assert "No interactions yet" in cli("history").stderr
    assert "No contacts yet" in cli("list").stderr


def test_goal_list_with_only_closed_goals_points_to_all(cli):
    cli("goal", "add", "Learn Rust")
    cli("goal", "done", "rust")
    r = cli("goal", "list")
    assert "No active goals; 1 done or dropped: netcli goal list --all" in r.stderr
