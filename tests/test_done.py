"""`netcli done ID` clears its nudge, for every rule: gone at the same as-of
and the next day, and back only when the facts start a new cycle.

A rule added to the registry (`rules.RULES`) without a scenario here fails
`test_done_clears_the_nudge_for_its_cycle` until it gets one."""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from netcli.rules import RULES

# words and flows that no engine changes: run on SQLite (the store's SQL is tried on
# PostgreSQL by the modules that exercise it: io, report, nudge, db, search, reliability...)
pytestmark = pytest.mark.one_engine


def _birthday_in(days: int) -> str:
    day = date.today() + timedelta(days=days)
    return f"--{day.month:02d}-{day.day:02d}"


def _next_year_eve() -> str:
    """The day before the birthday set by `_birthday_in(2)` comes round again."""
    day = date.today() + timedelta(days=2)
    try:
        again = day.replace(year=day.year + 1)
    except ValueError:  # Feb 29: kept on Feb 28 in a common year
        again = date(day.year + 1, 2, 28)
    return (again - timedelta(days=1)).isoformat()


def _mail_from(name: str, address: str, days: int) -> str:
    """An mbox holding one message from `address`, written `days` days from
    today at noon UTC (negative: ago), as `capture mail` reads it."""
    day = date.today() + timedelta(days=days)
    folder = Path(tempfile.mkdtemp(prefix="netcli-done-mail-"))
    path = folder / f"{day.isoformat()}.mbox"
    stamp = format_datetime(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))
    path.write_text(
        f"From {address} Mon Jan  1 00:00:00 2026\nFrom: {name} <{address}>\nTo: me@example.org\n"
        f"Subject: Workshop slides\nDate: {stamp}\nMessage-ID: <{day.isoformat()}@example.org>\n\nhi\n"
    )
    return str(path)


def _connections(company: str, position: str) -> str:
    """LinkedIn's Connections.csv with Lena Schmidt at `company` as `position`."""
    folder = Path(tempfile.mkdtemp(prefix="netcli-done-linkedin-"))
    path = folder / "Connections.csv"
    path.write_text(
        "Notes:\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        f"Lena,Schmidt,https://www.linkedin.com/in/lena-schmidt,,{company},{position},03 Jan 2025\n"
    )
    return str(path)


# rule -> (set-up commands, the subject's contact name or None,
#          (what brings it back, logged the next day, and the as-of to look at
#          from then) or None when it only lapses)
SCENARIOS: dict[str, tuple[list[tuple[str, ...]], str | None, tuple[list[tuple[str, ...]], str] | None]] = {
    "follow-up": (
        [("add", "Nia New", "--on", "3 days ago")],
        "Nia New",
        ([("edit", "nia", "--met-on", "today")], "in 3 days"),  # met again: a person is met once, so it moves
    ),
    "reconnect": (
        [("add", "Quinn Quiet", "--tier", "A", "--on", "60 days ago")],
        "Quinn Quiet",
        ([], "in 14 days"),  # tier A: 14 days after the message `done` logged
    ),
    "thank": (
        [
            ("add", "Hana Helper", "--on", "50 days ago"),
            ("log", "hana", "--kind", "help-received", "--on", "4 days ago"),
        ],
        "Hana Helper",
        ([("log", "hana", "--kind", "help-received")], "in 2 days"),
    ),
    "give-back": (
        [("add", "Gail Giver", "--on", "300 days ago")]
        + [
            ("log", "gail", "--kind", kind, "--on", f"{n} days ago")
            for n in (100, 80, 40)
            for kind in ("help-received", "thanks")
        ],
        "Gail Giver",
        ([("log", "gail", "--kind", "help-received")], "in 2 days"),
    ),
    "mentor-meeting": (
        [
            ("mentor", "add", "Mona Mentor", "--every", "4w"),
            ("log", "mona", "--kind", "mentor-session", "--on", "27 days ago"),
        ],
        "Mona Mentor",
        ([], "in 26 days"),  # within 3 days of the session `done` logged + 28
    ),
    "mentor-prep": (
        [
            ("mentor", "add", "Mona Mentor", "--every", "4w"),
            ("log", "mona", "--kind", "mentor-session", "--on", "27 days ago"),
        ],
        "Mona Mentor",
        ([("log", "mona", "--kind", "mentor-session")], "in 26 days"),
    ),
    "goal-stalled": (
        [("demo",)],  # its goals were set long ago; one has stalled
        None,
        ([("goal", "progress", "mlops", "--note", "read the first chapter")], "in 22 days"),
    ),
    "event-upcoming": (
        [("event", "add", "RustConf", "--on", "in 3 days")],
        None,
        None,  # it lapses once the event is past; nothing brings the same event back
    ),
    "reply-owed": (
        [
            ("add", "Rita Reply", "--on", "60 days ago", "--email", "rita@example.org"),
            ("config", "set", "me.emails", "me@example.org"),
            ("capture", "mail", _mail_from("Rita Reply", "rita@example.org", -3)),
        ],
        "Rita Reply",
        ([("capture", "mail", _mail_from("Rita Reply", "rita@example.org", 1))], "in 4 days"),
    ),
    "birthday": (
        [("add", "Bea Day", "--on", "60 days ago", "--birthday", _birthday_in(2))],
        "Bea Day",
        ([], _next_year_eve()),
    ),
    "congratulate": (
        [
            ("add", "Lena Schmidt", "--on", "60 days ago", "--org", "Acme", "--role", "Engineer"),
            ("import", "linkedin", _connections("Zalando", "Staff ML Engineer")),
        ],
        "Lena Schmidt",
        ([("import", "linkedin", _connections("Zalando", "Principal ML Engineer"))], "in 2 days"),
    ),
    "community-quiet": (  # its cadence set 30 days ago (SET_UP_DAYS_AGO), no post nor event since
        [("community", "add", "Rust Learners", "--kind", "community", "--every", "1w")],
        None,
        ([], "in 8 days"),  # a week and a day after the day `done` recorded
    ),
}

# rule -> how many days ago its set-up commands run (a cadence's clock starts
# the day it is set, so the scenario sets it in the past)
SET_UP_DAYS_AGO = {"community-quiet": 30}


def _of(cli, rule: str, contact: str | None, *as_of: str) -> list[dict]:
    args = ("--as-of", *as_of) if as_of else ()
    return [n for n in cli.json("nudge", "--all", "--rule", rule, *args) if contact is None or n["contact"] == contact]


def test_every_rule_has_a_done_scenario():
    assert set(SCENARIOS) == set(RULES)


class _Tomorrow(date):
    """netcli's clock the day after: a user back the next morning (netcli
    refuses to log what has not happened yet, so the next day's facts are
    logged on the next day)."""

    @classmethod
    def today(cls) -> date:  # type: ignore[override]
        return date.today() + timedelta(days=1)


def _clock_back(days: int) -> type[date]:
    class _Back(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return date.today() - timedelta(days=days)

    return _Back


@pytest.mark.parametrize("rule", list(RULES))
def test_done_clears_the_nudge_for_its_cycle(cli, rule, monkeypatch):
    if rule not in SCENARIOS:
        pytest.fail(f"no `done` scenario for the rule '{rule}': add one to SCENARIOS")
    setup, contact, back = SCENARIOS[rule]
    values = sys.modules["netcli.values"]
    with monkeypatch.context() as clock:
        if rule in SET_UP_DAYS_AGO:
            clock.setattr(values, "date", _clock_back(SET_UP_DAYS_AGO[rule]))
        for args in setup:
            cli(*args)
    before = _of(cli, rule, contact)
    assert before, f"the scenario does not make '{rule}' fire"
    nudge = before[0]
    cli("done", nudge["id"])
    logged = cli.json("history")
    again = cli("done", nudge["id"]).stderr  # once: a second done logs nothing more, and says why
    assert again.startswith("already cleared: ") and cli.json("history") == logged
    for as_of in ((), ("tomorrow",)):
        left = _of(cli, rule, nudge["contact"], *as_of)
        assert nudge["id"] not in {n["id"] for n in left}
        if contact is not None:  # nor under a new id for the same person
            assert left == [], f"'{rule}' fired again after done: {left}"
    if back is None:
        return
    steps, when = back
    monkeypatch.setattr(sys.modules["netcli.values"], "date", _Tomorrow)
    for args in steps:
        cli(*args)
    again = [n for n in _of(cli, rule, contact, when) if n["contact"] == nudge["contact"]]
    assert again and again[0]["id"] != nudge["id"], f"'{rule}' should return with a new cycle as of {when}"


def test_done_on_give_back_logs_help_given_and_holds_until_new_help(cli):
    """Issue 16 #2: with help received 3 times, one help-given left a surplus
    of 2 and the rule fired again at once under a new id."""
    for args in SCENARIOS["give-back"][0]:
        cli(*args)
    nudge = _of(cli, "give-back", "Gail Giver")[0]
    logged = cli.json("done", nudge["id"])["logged"]
    assert logged["kind"] == "help-given" and logged["contacts"] == ["Gail Giver"]
    assert _of(cli, "give-back", "Gail Giver") == []
    assert _of(cli, "give-back", "Gail Giver", "in 30 days") == []
