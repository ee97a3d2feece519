"""One cadence in force per person, and every view says the same one:
`show`, `list --json`, `nudge --explain` and `mentor list` (issue 16 #6)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

# words and flows that no engine changes: run on SQLite (the store's SQL is tried on
# PostgreSQL by the modules that exercise it: io, report, nudge, db, search, reliability...)
pytestmark = pytest.mark.one_engine


def _weekly(cli, who: str, weeks: range) -> None:
    for w in weeks:
        cli("log", who, "--on", f"{w * 14} days ago")  # every other week


@pytest.fixture
def network(cli):
    cli("add", "Own Olga", "--every", "10d", "--on", "40 days ago")
    cli("add", "Learned Lea", "--on", "200 days ago")
    _weekly(cli, "lea", range(2, 9))  # every 14 days until 28 days ago: 1.5 x 14 = 21
    cli("add", "Tier Tom", "--tier", "B", "--on", "45 days ago")
    cli("add", "Mentor Mia", "--tier", "A", "--on", "200 days ago")
    _weekly(cli, "mia", range(2, 9))  # a learned 21 days, but she is a mentor now
    cli("mentor", "add", "mia", "--every", "3w")
    cli("log", "mia", "--kind", "mentor-session", "--on", "20 days ago")
    return cli


EXPECTED = {
    "Own Olga": (10, "own"),
    "Learned Lea": (21, "learned"),
    "Tier Tom": (30, "tier"),
    "Mentor Mia": (21, "mentor"),
}


def test_show_list_and_nudge_state_the_same_cadence_and_its_kind(network):
    cli = network
    listed = {c["name"]: c for c in cli.json("list")}
    nudges = {
        n["contact"]: n for n in cli.json("nudge", "--all", "--explain") if n["rule"] in ("reconnect", "mentor-meeting")
    }
    for name, (days, kind) in EXPECTED.items():
        shown = cli.json("show", name)
        assert (shown["cadence_days"], shown["cadence_source"]) == (days, kind), name
        assert (listed[name]["cadence_days"], listed[name]["cadence_source"]) == (days, kind), name
        assert listed[name]["next_due"] == shown["next_due"], name
        text = cli("show", name).stdout
        assert f"every {days} days ({kind})" in text, text
        nudge = nudges[name]
        assert nudge["inputs"]["cadence_days"] == days and nudge["inputs"]["cadence_source"] == kind, nudge
        assert f"every {days} days" in nudge["reason"], nudge["reason"]
        assert nudge["due"] == shown["next_due"], (name, nudge)
    assert nudges["Learned Lea"]["rule"] == "reconnect" and nudges["Mentor Mia"]["rule"] == "mentor-meeting"
    assert (
        "learned" in nudges["Learned Lea"]["reason"]
        and "you usually talk every 14 days" in nudges["Learned Lea"]["reason"]
    )


def test_a_mentor_has_one_rhythm_in_show_list_and_mentor_list(network):
    cli = network
    mentor = next(m for m in cli.json("mentor", "list") if m["name"] == "Mentor Mia")
    shown = cli.json("show", "mia")
    assert mentor["cadence_days"] == shown["cadence_days"] == shown["mentorship"]["cadence_days"] == 21
    assert mentor["next_due"] == shown["next_due"] == (date.today() + timedelta(days=1)).isoformat()
    assert "sessions every 21 days" in cli("show", "mia").stdout
    # overdue by her tier or learned rhythm, she is never nudged to reconnect: her sessions are the rhythm
    assert not [
        n
        for n in cli.json("nudge", "--all", "--as-of", "in 60 days")
        if n["rule"] == "reconnect" and n["contact"] == "Mentor Mia"
    ]
    # once the mentorship ends, the learned rhythm is back in force everywhere
    cli("mentor", "end", "mia")
    shown = cli.json("show", "mia")
    assert (shown["cadence_days"], shown["cadence_source"]) == (14, "learned")  # 21 kept under tier A's 14
    assert next(c for c in cli.json("list") if c["name"] == "Mentor Mia")["cadence_days"] == 14


def test_upgrading_works_out_stored_rhythms_again(cli, tmp_path):
    """A 0005 database holds rhythms learned from days; after the upgrade
    the stored statistics are recomputed from weeks."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from netcli import migrations

    monday = date.today() - timedelta(days=date.today().weekday() + 35)
    days = [monday + timedelta(days=k) for k in range(6)]  # six days running, five weeks ago: one conversation
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", migrations.__path__[0])
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0005")
        conn.exec_driver_sql(
            "INSERT INTO contact (id, name, name_key, tier, archived) VALUES (1, 'Ana Lima', 'ana lima', 'C', 0)"
        )
        for i, day in enumerate(days, start=1):
            conn.exec_driver_sql(f"INSERT INTO interaction (id, date, kind) VALUES ({i}, '{day}', 'message')")
            conn.exec_driver_sql(
                f"INSERT INTO participant (interaction_id, contact_id, date, kind) VALUES ({i}, 1, '{day}', 'message')"
            )
        conn.exec_driver_sql("DELETE FROM stats_dirty")  # stored as netcli 0005 stored them: a daily rhythm
        conn.exec_driver_sql(
            "INSERT INTO contact_stats (contact_id, interactions, last_contact, last_other, day_count, median_gap) "
            f"VALUES (1, 6, '{days[-1]}', '{days[-1]}', 6, 1.0)"
        )
    engine.dispose()
    shown = cli.json("--db", str(path), "show", "ana")
    assert (shown["cadence_days"], shown["cadence_source"]) == (90, "tier")
    assert not [n for n in cli.json("--db", str(path), "nudge", "--all") if n["rule"] == "reconnect"]
