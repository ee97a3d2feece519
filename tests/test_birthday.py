"""Birthdays: `add/edit --birthday`, the `birthday` rule and its config key."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcli import rules
from netcli.config import Config, validate

# words and flows that no engine changes: run on SQLite (the store's SQL is tried on
# PostgreSQL by the modules that exercise it: io, report, nudge, db, search, reliability...)
pytestmark = pytest.mark.one_engine

CONFIG = Config()


def _md(day: date) -> str:
    return f"--{day.month:02d}-{day.day:02d}"


def fired(birthday: str, today: date, config: Config = CONFIG) -> list[rules.Nudge]:
    return rules.fire(rules.Facts(birthdays=[rules.BirthdayFacts(1, "Ana Lima", birthday)]), today=today, config=config)


def test_fires_within_the_window_and_lapses_after_the_day():
    friday = date(2026, 12, 4)
    for ahead in range(4):
        (nudge,) = fired("1990-12-04", friday - timedelta(days=ahead))
        assert nudge.rule == "birthday" and nudge.due == friday and nudge.contact_id == 1
    assert fired("--12-04", friday - timedelta(days=2))[0].action == "Wish Ana Lima a happy birthday (Friday)."
    assert fired("--12-04", friday)[0].action == "Wish Ana Lima a happy birthday (today)."
    assert "they turn 36" in fired("1990-12-04", friday)[0].reason
    assert "turn" not in fired("1604-12-04", friday)[0].reason  # Apple's "no year"
    assert fired("1990-12-04", friday - timedelta(days=4)) == []
    assert fired("1990-12-04", friday + timedelta(days=1)) == []  # the day has passed
    wider = validate({"rules": {"birthday_days": 10}})
    assert fired("--12-04", friday - timedelta(days=10), wider)
    assert fired("not a date", friday) == [] and fired("--13-40", friday) == []


def test_across_new_year_and_feb_29():
    (nudge,) = fired("--01-02", date(2026, 12, 31))
    assert nudge.due == date(2027, 1, 2)
    assert fired("2000-02-29", date(2027, 2, 28))[0].due == date(2027, 2, 28)  # a common year: on Feb 28
    assert fired("2000-02-29", date(2027, 2, 26))[0].due == date(2027, 2, 28)
    assert fired("2000-02-29", date(2028, 2, 28))[0].due == date(2028, 2, 29)
    assert fired("2000-02-29", date(2027, 3, 1)) == []


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
)
def test_one_nudge_a_year_exactly_in_the_window(born, today):
    found = fired(born.isoformat(), today)
    assert len(found) <= 1
    if found:
        assert 0 <= (found[0].due - today).days <= 3
        assert (found[0].due.month, found[0].due.day) in {(born.month, born.day), (2, 28)}


def test_add_edit_show_and_json(cli):
    soon = date.today() + timedelta(days=2)
    added = cli.json("add", "Ana Lima", "--birthday", _md(soon))
    assert added["birthday"] == _md(soon)
    assert cli.json("add", "Bo Chen", "--birthday", "1990-05-17")["birthday"] == "1990-05-17"
    assert f"birthday          {_md(soon)}" in cli("show", "ana").stdout
    assert cli.json("show", "ana")["birthday"] == _md(soon)
    assert cli.json("edit", "bo", "--birthday", "--02-29")["birthday"] == "--02-29"
    assert cli.json("edit", "bo", "--birthday", "none")["birthday"] is None
    wished = [n for n in cli.json("nudge", "--rule", "birthday")]
    assert [n["contact"] for n in wished] == ["Ana Lima"] and wished[0]["due"] == soon.isoformat()
    assert wished[0]["action"] == f"Wish Ana Lima a happy birthday ({soon.strftime('%A')})."
    assert cli.json("nudge", "--rule", "birthday", "--as-of", (soon + timedelta(days=1)).isoformat()) == []
    cli("archive", "ana")
    assert cli.json("nudge", "--rule", "birthday") == []


def test_bad_birthdays_are_usage_errors_and_change_nothing(cli):
    cli("add", "Ana Lima", "--birthday", "1990-05-17")
    for bad in ("--13-01", "--02-30", "soon", "1990-02-30", "tomorrow", "in 2 weeks"):
        r = cli("edit", "ana", "--birthday", bad, code=2)
        assert "--birthday" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
        r = cli("add", "Bo Chen", "--birthday", bad, code=2)
    assert cli.json("show", "ana")["birthday"] == "1990-05-17"
    assert [c["name"] for c in cli.json("list")] == ["Ana Lima"]


def test_config_key_and_rule_name(cli, tmp_path):
    cli("config", "set", "rules.birthday_days", "7")
    for bad in ("0", "40", "soon"):
        r = cli("config", "set", "rules.birthday_days", bad, code=2)
        assert "rules.birthday_days" in r.stderr
    (tmp_path / "config.toml").write_text("[rules]\nbirthday_days = 90\n")
    assert "between 1 and 31" in cli("nudge", code=1).stderr
    (tmp_path / "config.toml").write_text("[enabled]\nbirthday = false\n")
    cli("add", "Ana Lima", "--birthday", _md(date.today()))
    assert cli.json("nudge", "--rule", "birthday") == []
    said = cli("nudge", "--rule", "birthday").stderr
    assert said.strip() == "The birthday rule is turned off: netcli config set enabled.birthday true"
    assert "birthday" in cli("nudge", "--help").stdout


def test_rule_names_complete():
    from netcli.cli.complete import rule_names

    assert rule_names("bi") == ["birthday"] and "mentor-prep" in rule_names("mentor")


def test_an_imported_card_with_no_history_is_wished_too(cli, tmp_path):
    soon = date.today() + timedelta(days=1)
    card = tmp_path / "ana.vcf"
    card.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nN:Lima;Ana;;;\r\nBDAY:--{soon:%m%d}\r\nEND:VCARD\r\n"
    )
    cli("import", "vcard", str(card))
    assert [n["contact"] for n in cli.json("nudge", "--rule", "birthday")] == ["Ana Lima"]


def test_a_card_without_the_year_agrees_with_a_birthday_that_has_it(cli, tmp_path):
    """The same day with and without its year is no conflict: the year held
    stays, and a year a file gives fills one held without it."""
    cli("add", "Lena Schmidt", "--email", "l@x.org", "--birthday", "1990-05-17")
    cli("add", "Bo Chen", "--email", "b@x.org", "--birthday", "--05-17")
    cards = tmp_path / "c.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lena Schmidt\r\nEMAIL:l@x.org\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-05-17\r\n"
        "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Chen\r\nEMAIL:b@x.org\r\nBDAY:1985-05-17\r\nEND:VCARD\r\n",
        newline="",
    )
    summary = cli.json("import", "vcard", str(cards))
    assert (summary["conflicts"], summary["updated"], summary["unchanged"]) == ([], 1, 1)
    assert [cli.json("show", who)["birthday"] for who in ("lena", "bo")] == ["1990-05-17", "1985-05-17"]
    cli("edit", "lena", "--birthday", "--05-17")  # typed: the year goes, as asked
    assert cli.json("show", "lena")["birthday"] == "--05-17"
