"""Recurrence without bounds: a repeat rule is expanded only over the days a
capture reads, never from a start decades back, never past the year after
them; an event repeating more than once a day, or more often than
`CALENDAR_OCCURRENCES` in those days, is a bad event, named; a file's rules
share a budget of steps. Hostile calendars finish in moments, and what
legitimate series give is exactly what the rule says."""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcli.capture import calendar
from netcli.reading import CALENDAR_OCCURRENCES, CALENDAR_STEPS

pytestmark = pytest.mark.one_engine


@pytest.fixture(autouse=True)
def watchdog() -> Iterator[None]:
    """A hang fails the test instead of stopping the suite (no time is asserted)."""

    def stuck(*_args: object) -> None:
        raise TimeoutError("still expanding after 120 s: a rule without bounds")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _ics(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n").encode()


def _event(uid: str, start: str, rule: str, *, extra: str = "") -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{start}\r\nDURATION:PT30M\r\nRRULE:{rule}\r\n{extra}"
        "SUMMARY:Standup\r\nORGANIZER:mailto:me@example.org\r\nATTENDEE:mailto:bo@example.org\r\nEND:VEVENT\r\n"
    )


def _read(data: bytes, first: dt.date, last: dt.date) -> tuple[list[calendar.Occurrence], list[calendar.BadEvent]]:
    good, bad = [], []
    for item in calendar.read(data, name="t.ics", start=first, end=last, zone=dt.UTC):
        (bad if isinstance(item, calendar.BadEvent) else good).append(item)
    return good, bad  # type: ignore[return-value]


TODAY = dt.date(2026, 11, 28)
SINCE_1900 = (calendar.EARLIEST, TODAY + dt.timedelta(days=42))


@pytest.mark.parametrize("freq", ["SECONDLY", "MINUTELY", "HOURLY"])
def test_a_rule_repeating_within_a_day_is_a_bad_event_named_at_once(freq: str):
    good, bad = _read(_ics(_event("fast@x", "20200101T090000Z", f"FREQ={freq}")), *SINCE_1900)
    assert good == [] and [b.where for b in bad] == ["t.ics: event fast@x"]
    assert f"repeats more than once a day (FREQ={freq})" in bad[0].error
    several = _event("twice@x", "20200101T090000Z", "FREQ=DAILY;BYHOUR=9,17")
    assert "more than once a day" in _read(_ics(several), *SINCE_1900)[1][0].error


def test_a_daily_series_from_1930_is_capped_and_named_and_read_whole_with_since():
    data = _ics(_event("old@x", "19300101T090000Z", "FREQ=DAILY"))
    good, bad = _read(data, *SINCE_1900)
    assert good == [] and len(bad) == 1
    assert f"repeats more than {CALENDAR_OCCURRENCES:,} times" in bad[0].error and "--since" in bad[0].error
    good, bad = _read(data, dt.date(2026, 11, 1), TODAY)
    assert bad == [] and [o.date for o in good] == [dt.date(2026, 11, d) for d in range(1, 29)]
    # the key of an occurrence is its own start, as when the series is expanded from 1930
    assert good[0].key == "old@x/20261101T090000Z"


def test_a_rule_that_never_matches_is_not_followed_to_the_year_9999():
    never = _event("never@x", "20200101T090000Z", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")
    good, bad = _read(_ics(never), *SINCE_1900)
    assert bad == [] and [o.date for o in good] == [dt.date(2020, 1, 1)]  # DTSTART is the first occurrence


def test_a_files_rules_share_one_budget_of_steps(monkeypatch: pytest.MonkeyPatch):
    from netcli.capture import recurrence

    steps = CALENDAR_STEPS // 20  # the same sharing, at a twentieth of the cost
    monkeypatch.setattr(recurrence, "CALENDAR_STEPS", steps)
    many = [_event(f"e{n}@x", "19000101", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30") for n in range(60)]
    good, bad = _read(_ics(*many), *SINCE_1900)
    assert good and bad and all("steps to expand" in b.error and f"{steps:,}" in b.error for b in bad)
    assert len(good) + len(bad) == 60  # every event is either read or named


def test_a_huge_count_costs_only_the_days_read():
    counted = _event("count@x", "20260101T090000Z", "FREQ=DAILY;COUNT=100000000")
    good, bad = _read(_ics(counted), dt.date(2026, 11, 1), TODAY)
    assert bad == [] and len(good) == 28


FREQS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@st.composite
def series(draw: st.DrawFn) -> tuple[str, dt.datetime, dt.date, dt.date]:
    freq = draw(st.sampled_from(FREQS))
    parts = [f"FREQ={freq}"]
    interval = draw(st.integers(1, 4))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if freq in ("WEEKLY", "MONTHLY") and draw(st.booleans()):
        parts.append("BYDAY=" + ",".join(draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))))
    elif freq == "MONTHLY" and draw(st.booleans()):
        parts.append(f"BYMONTHDAY={draw(st.sampled_from([1, 15, 29, 30, 31, -1]))}")
    if draw(st.booleans()):
        parts.append(f"UNTIL={draw(st.dates(dt.date(2021, 1, 1), dt.date(2027, 1, 1))):%Y%m%d}T235959Z")
    start = dt.datetime.combine(
        draw(
            st.sampled_from([dt.date(1999, 1, 31), dt.date(2000, 2, 29), dt.date(2003, 8, 31)])
            | st.dates(dt.date(1995, 1, 1), dt.date(2020, 12, 31))
        ),
        dt.time(9, 30),
    )
    first = draw(st.dates(dt.date(2021, 1, 1), dt.date(2025, 12, 31)))
    return ";".join(parts), start, first, first + dt.timedelta(days=draw(st.integers(0, 500)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series())
def test_a_series_started_again_just_before_the_days_read_gives_what_the_rule_says(case):
    """The start moved forward by whole repeats gives the very occurrences
    the rule gives from its own start (dateutil, from the real DTSTART)."""
    rule, start, first, last = case
    good, bad = _read(_ics(_event("s@x", f"{start:%Y%m%dT%H%M%S}", rule)), first, last)
    expected = rrulestr(rule.replace("Z", "") if "UNTIL" in rule else rule, dtstart=start, ignoretz=True)
    wanted = [
        d.date()
        for d in expected.between(
            dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time(23, 59)), inc=True
        )
    ]
    assert bad == []
    assert sorted(o.date for o in good) == wanted
    assert all(o.key == f"s@x/{dt.datetime.combine(o.date, start.time()):%Y%m%dT%H%M%S}" for o in good)


def test_capture_calendar_names_the_bad_event_and_logs_the_rest(cli, tmp_path: Path, isolated: Path):
    cli("config", "set", "me.emails", "me@example.org")
    cli("add", "Bo Brandt", "--email", "bo@example.org")
    hostile = tmp_path / "hostile.ics"
    weekly = _event("weekly@x", "20260101T090000Z", "FREQ=WEEKLY;COUNT=3")
    hostile.write_bytes(_ics(_event("spam@x", "20200101T000000Z", "FREQ=SECONDLY"), weekly))
    r = cli("capture", "calendar", str(hostile), "--json")
    assert "hostile.ics: event spam@x" in r.stderr and "more than once a day" in r.stderr
    import json

    summary = json.loads(r.stdout)
    assert summary["skipped"]["bad"] == 1 and summary["logged"] == 3
