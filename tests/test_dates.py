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
    "text",
    [
        "",
        "soon",
        "2026-13-01",
        "2026-02-30",
        "next",
        "3 fortnights ago",
        "last blursday",
        "26-11-28",
        "99999999 years ago",
        "in 999999 years",
    ],
)
def test_bad_when_lists_the_forms(text):
    with pytest.raises(ValueError) as info:
        parse_when(text, today=SAT)
    assert "last friday" in str(info.value)


@pytest.mark.parametrize(
    "text,days",
    [
        ("10d", 10),
        ("2w", 14),
        ("3m", 90),
        ("1y", 365),
        ("10 days", 10),
        ("2 weeks", 14),
        ("3 months", 90),
        ("1 year", 365),
    ],
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


@given(
    today=days_st,
    weekday=st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]),
)
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


# ------------------------------------------- every alias, boundary and message

from netcli.dates import MAX_SPAN_DAYS, month_end, parse_birthday, parse_month  # noqa: E402

WED = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    "names,weekday",
    [
        (("monday", "mon"), 0),
        (("tuesday", "tue", "tues"), 1),
        (("wednesday", "wed"), 2),
        (("thursday", "thu", "thur", "thurs"), 3),
        (("friday", "fri"), 4),
        (("saturday", "sat"), 5),
        (("sunday", "sun"), 6),
    ],
)
def test_every_weekday_name_and_abbreviation(names, weekday):
    for name in names:
        for text in (name, f"last {name}", f"next {name}", name.upper()):
            day = parse_when(text, today=WED)
            assert day.weekday() == weekday, text
            assert (day > WED) == text.startswith("next"), text


def test_a_weekday_counts_from_today_both_ways():
    assert parse_when("monday", today=WED) == date(2026, 11, 23)
    assert parse_when("next monday", today=WED) == date(2026, 11, 30)
    assert parse_when("wednesday", today=WED) == date(2026, 11, 18)  # today's weekday is a week back
    assert parse_when("next wed", today=WED) == date(2026, 12, 2)
    assert parse_when("thursday", today=WED) == date(2026, 11, 19)
    assert parse_when("next thursday", today=WED) == date(2026, 11, 26)


@pytest.mark.parametrize(
    "units,days",
    [
        (("d", "day", "days"), 1),
        (("w", "wk", "wks", "week", "weeks"), 7),
        (("m", "mo", "month", "months"), 30),
        (("y", "yr", "yrs", "year", "years"), 365),
    ],
)
def test_every_unit_in_spans_and_dates(units, days):
    for unit in units:
        assert parse_span(f"2{unit}") == 2 * days and parse_span(f"2 {unit}") == 2 * days
        assert parse_span(f"one {unit}") == days == parse_span(f"a {unit}") == parse_span(f"an {unit}")
        back = parse_when(f"2 {unit} ago", today=SAT)
        ahead = parse_when(f"in 2{unit}", today=SAT)
        assert 2 * days - 3 <= (SAT - back).days <= 2 * days + 3  # calendar months and years
        assert 2 * days - 3 <= (ahead - SAT).days <= 2 * days + 3


def test_calendar_arithmetic_for_dates():
    assert parse_when("1 month ago", today=date(2026, 3, 31)) == date(2026, 2, 28)
    assert parse_when("in 1 year", today=date(2028, 2, 29)) == date(2029, 2, 28)
    assert parse_when("in one week", today=SAT) == date(2026, 12, 5)
    assert parse_when("999999 days ago", today=date(9999, 1, 1)) == date(9999, 1, 1) - timedelta(days=999999)


@pytest.mark.parametrize(
    "text",
    [
        "an hour ago",
        "in 3",
        "3 days",
        "ago",
        "in",
        "last last friday",
        "this friday",
        "on friday",
        "next week",
        "1234567 days ago",
        "in 1234567 days",
        "3 days ago please",
        "next friday please",
        "2026-11-1",
        "x2026-11-01",
    ],
)
def test_more_refusals_and_their_words(text):
    with pytest.raises(ValueError) as info:
        parse_when(text, today=SAT)
    assert str(info.value) == (
        f"cannot read the date {text!r}; use one of: 2026-11-28, today, yesterday, tomorrow, 3 days ago (3d ago), "
        "2 weeks ago (2w ago), 1 month ago, 1 year ago, friday or last friday (the most recent past one), "
        "next friday, in 2 weeks"
    )


def test_what_is_typed_is_trimmed_and_lowered():
    assert parse_when(" \tTODAY\n", today=SAT) == SAT
    assert parse_when("3   DAYS\tAGO", today=SAT) == date(2026, 11, 25)
    assert parse_when("Next  Friday", today=SAT) == date(2026, 12, 4)
    assert parse_span("  2   Weeks ") == 14 and parse_span("3D") == 3


def test_spans_up_to_a_hundred_years():
    assert MAX_SPAN_DAYS == 36_500
    assert parse_span("1d") == 1 and parse_span("100y") == 36_500 and parse_span("36500d") == 36_500
    for text in ("36501d", "101y", "1217m", "0w", "0 days", "1234567d", "3 fortnights"):
        with pytest.raises(ValueError) as info:
            parse_span(text)
        assert str(info.value) == (
            f"{text!r} is not a span; use one of: 10d, 2w, 3m, 1y, 10 days, 2 weeks, 3 months, 1 year "
            "(at most 100 years)"
        )
    assert parse_span("1216m") == 36_480 and parse_span("5214w") == 36_498


@pytest.mark.parametrize(
    "delta,said",
    [
        (-1, "yesterday"),
        (1, "tomorrow"),
        (-2, "2 days ago"),
        (2, "in 2 days"),
        (-13, "13 days ago"),
        (13, "in 13 days"),
        (-14, "2 weeks ago"),
        (20, "in 2 weeks"),
        (-21, "3 weeks ago"),
        (-59, "8 weeks ago"),
        (-60, "2 months ago"),
        (89, "in 2 months"),
        (90, "in 3 months"),
        (-729, "24 months ago"),
        (-730, "2 years ago"),
        (1094, "in 2 years"),
        (1095, "in 3 years"),
    ],
)
def test_humanize_at_each_boundary(delta, said):
    assert humanize(SAT + timedelta(days=delta), today=SAT) == said


@pytest.mark.parametrize(
    "text,first",
    [
        ("this", date(2026, 11, 1)),
        ("last", date(2026, 10, 1)),
        (" LAST ", date(2026, 10, 1)),
        ("This", date(2026, 11, 1)),
        ("2026-01", date(2026, 1, 1)),
        ("2025-12", date(2025, 12, 1)),
        ("0001-01", date(1, 1, 1)),
        ("9999-12", date(9999, 12, 1)),
    ],
)
def test_months_by_name(text, first):
    assert parse_month(text, today=SAT) == first


def test_last_month_from_january_and_a_months_first_day():
    assert parse_month("last", today=date(2027, 1, 1)) == date(2026, 12, 1)
    assert parse_month("this", today=date(2027, 1, 1)) == date(2027, 1, 1)
    assert parse_month("last", today=date(2027, 3, 31)) == date(2027, 2, 1)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "0000-05", "26-11", "2026-1", "2026-11-01", "next", "", "x2026-11"]
)
def test_bad_months(text):
    with pytest.raises(ValueError) as info:
        parse_month(text, today=SAT)
    assert str(info.value) == f"cannot read the month {text!r}; use YYYY-MM (e.g. 2026-11), this, last"


def test_month_ends():
    assert month_end(date(2026, 2, 1)) == date(2026, 2, 28)
    assert month_end(date(2028, 2, 1)) == date(2028, 2, 29)
    assert month_end(date(2026, 12, 1)) == date(2026, 12, 31)
    assert month_end(date(2026, 4, 1)) == date(2026, 4, 30)


def test_a_day_in_the_future_is_named_once():
    """A relative day is resolved in the message; a date written out is not repeated."""
    from netcli.errors import Invalid
    from netcli.values import parse_past

    with pytest.raises(Invalid) as relative:
        parse_past("tomorrow", today=SAT, option="--on")
    assert relative.value.message == (
        "--on 'tomorrow' is 2026-11-29, in the future; give the day it happened (today at the latest)"
    )
    with pytest.raises(Invalid) as written:
        parse_past("2099-01-01", today=SAT, option="--on")
    assert written.value.message == "--on '2099-01-01' is in the future; give the day it happened (today at the latest)"


def test_birthdays():
    assert parse_birthday("1990-05-17", today=SAT) == "1990-05-17"
    assert parse_birthday(" --05-17 ", today=SAT) == "--05-17"
    assert parse_birthday("--02-29", today=SAT) == "--02-29"  # a real day, in leap years
    assert parse_birthday("today", today=SAT) == "2026-11-28"  # born today: not in the future
    assert parse_birthday("3 years ago", today=SAT) == "2023-11-28"
    cases = {
        "--02-30": "cannot read the birthday '--02-30': no such month and day; use --MM-DD, e.g. --05-17",
        "--13-01": "cannot read the birthday '--13-01': no such month and day; use --MM-DD, e.g. --05-17",
        "soon": "cannot read the birthday 'soon'; use a date (1990-05-17) or --MM-DD without the year",
        "--5-17": "cannot read the birthday '--5-17'; use a date (1990-05-17) or --MM-DD without the year",
        "tomorrow": "the birthday 'tomorrow' is 2026-11-29, in the future; give the year of birth, or --MM-DD",
        # a date written out is not repeated
        "2099-01-01": "the birthday '2099-01-01' is in the future; give the year of birth, or --MM-DD",
    }
    for text, message in cases.items():
        with pytest.raises(ValueError) as info:
            parse_birthday(text, today=SAT)
        assert str(info.value) == message
