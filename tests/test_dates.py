"""Date and span parsing, with `today` injected."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcli.dates import humanize, parse_span, parse_when

SAT = date(2026, 11, 28)  # a Saturday


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2026-11-01", date(2026, 11, 1)),
        ("today", SAT),
        ("Yesterday", date(2026, 11, 27)),
        ("tomorrow", date(2026, 11, 29)),
        ("3 days ago", date(2026, 11, 25)),
        ("3d ago", date(2026, 11, 25)),
        ("1 day ago", date(2026, 11, 27)),
        ("2 weeks ago", date(2026, 11, 14)),
        ("2w ago", date(2026, 11, 14)),
        ("1 month ago", date(2026, 10, 28)),
        ("a year ago", date(2025, 11, 28)),
        ("friday", date(2026, 11, 27)),
        ("last friday", date(2026, 11, 27)),
        ("saturday", date(2026, 11, 21)),
        ("last saturday", date(2026, 11, 21)),
        ("next friday", date(2026, 12, 4)),
        ("next saturday", date(2026, 12, 5)),
        ("in 2 weeks", date(2026, 12, 12)),
        ("in 3 days", date(2026, 12, 1)),
        ("  In  1  Month ", date(2026, 12, 28)),
    ],
)
def test_when_forms(text, expected):
    assert parse_when(text, today=SAT) == expected


@pytest.mark.parametrize(
    "text", ["", "soon", "2026-13-01", "2026-02-30", "next", "3 fortnights ago", "last blursday", "26-11-28",
             "99999999 years ago", "in 999999 years"]  # fmt: skip
)
def test_bad_when_lists_the_forms(text):
    with pytest.raises(ValueError) as info:
        parse_when(text, today=SAT)
    assert "last friday" in str(info.value)


@pytest.mark.parametrize(
    "text,days",
    [("10d", 10), ("2w", 14), ("3m", 90), ("1y", 365), ("10 days", 10), ("2 weeks", 14), ("3 months", 90), ("1 year", 365)],
)
def test_spans(text, days):
    assert parse_span(text) == days


@pytest.mark.parametrize("text", ["", "0d", "w", "2 fortnights", "-3d", "1000y", "3d ago"])
def test_bad_spans(text):
    with pytest.raises(ValueError):
        parse_span(text)


days_st = st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31))


@given(day=days_st, today=days_st)
def test_iso_round_trip(day, today):
    assert parse_when(day.isoformat(), today=today) == day


@given(n=st.integers(0, 5000), today=days_st)
def test_days_ago_and_in_days_are_inverse(n, today):
    back = parse_when(f"{n} days ago", today=today)
    assert back == today - timedelta(days=n)
    assert parse_when(f"in {n}d", today=back) == today


@given(today=days_st, weekday=st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]))
def test_weekdays_are_never_today(today, weekday):
    past = parse_when(weekday, today=today)
    future = parse_when(f"next {weekday}", today=today)
    assert 1 <= (today - past).days <= 7
    assert 1 <= (future - today).days <= 7
    assert past.strftime("%A").lower() == weekday == future.strftime("%A").lower()


def test_humanize():
    assert humanize(SAT, today=SAT) == "today"
    assert humanize(date(2026, 11, 27), today=SAT) == "yesterday"
    assert humanize(date(2026, 11, 18), today=SAT) == "10 days ago"
    assert humanize(date(2026, 12, 12), today=SAT) == "in 2 weeks"
    assert humanize(None, today=SAT) == "never"
