"""`netcli.reflection`, pure: month facts in, a `Report` out, value by value.

Fast on purpose (no database): mutation testing runs these for every mutant
of reflection.py. The report as the CLI shows it is checked in test_report.py."""

from __future__ import annotations

from datetime import date

import pytest

from netcli import reflection

EMPTY = {"interactions": 0, "by_kind": {}, "by_day": {}, "people": 0, "top_contacts": [], "new_by_channel": {}}


def facts(first: date, end: date, **given) -> reflection.MonthFacts:
    defaults = {"counts": EMPTY, "interactions_prev_month": 0, "thanks_owed": 0, "went_quiet": [], "goals": []}
    return reflection.MonthFacts(first=first, end=end, **(defaults | given))


def test_a_september_is_assembled_field_by_field():
    counts = {
        "interactions": 9,
        "people": 4,
        # as SQL returns them: in no useful order, with a zero and a kind the order does not know
        "by_kind": {
            "thanks": 1,
            "zz-custom": 2,
            "met": 3,
            "help-given": 1,
            "other": 0,
            "call": 1,
            "help-received": 2,
            "mentor-session": 1,
            "aa-custom": 1,
            "never": 0,
        },
        "by_day": {date(2026, 9, 3): 2, date(2026, 9, 15): 1, date(2026, 9, 30): 4, date(2026, 10, 1): 9},
        "top_contacts": [{"name": "Bo", "interactions": 4}],
        "new_by_channel": {"forum": 1, "event": 2, "course": 1},
    }
    goals = [{"title": "Rust", "created_on": date(2026, 9, 1)}, {"title": "Talk", "created_on": date(2026, 8, 31)}]
    r = reflection.build(
        facts(
            date(2026, 9, 1),
            date(2026, 9, 30),
            counts=counts,
            interactions_prev_month=3,
            thanks_owed=2,
            went_quiet=["Ana"],
            goals=goals,
            focus=["Bo"],
        )
    )
    assert r.month == "2026-09" and (r.start, r.end) == (date(2026, 9, 1), date(2026, 9, 30))
    assert (r.days, r.partial, r.just_ended, r.prev_days) == (30, False, False, 31)
    assert (r.interactions, r.interactions_prev_month, r.people) == (9, 3, 4)
    # known kinds in KIND_ORDER, then the others by name; zeros left out
    assert list(r.by_kind.items()) == [
        ("met", 3),
        ("call", 1),
        ("help-given", 1),
        ("help-received", 2),
        ("thanks", 1),
        ("mentor-session", 1),
        ("aa-custom", 1),
        ("zz-custom", 2),
    ]
    assert (r.thanks_sent, r.thanks_owed, r.help_given, r.help_received, r.mentor_sessions) == (1, 2, 1, 2, 1)
    # most new people first, a tie by name
    assert list(r.new_by_channel.items()) == [("event", 2), ("course", 1), ("forum", 1)]
    assert r.new_contacts == 4
    assert r.goals == [
        {"title": "Rust", "created_on": date(2026, 9, 1), "new": True},
        {"title": "Talk", "created_on": date(2026, 8, 31), "new": False},
    ]
    assert (r.went_quiet, r.focus, r.top_contacts) == (["Ana"], ["Bo"], [{"name": "Bo", "interactions": 4}])
    assert next(iter(r.by_day)) == "2026-09-01" and list(r.by_day)[-1] == "2026-09-30" and len(r.by_day) == 30
    assert (r.by_day["2026-09-03"], r.by_day["2026-09-15"], r.by_day["2026-09-30"], r.by_day["2026-09-02"]) == (
        2,
        1,
        4,
        0,
    )
    assert "2026-10-01" not in r.by_day  # a day of the next month is not this month's
    assert r.active_days == 3 and r.trend == [] and not r.is_empty
    assert r.as_dict()["by_kind"] == r.by_kind and r.as_dict()["month"] == "2026-09"
    assert r.prev_start == date(2026, 8, 1)


def test_only_the_kinds_that_happened_are_listed_in_the_usual_order():
    counts = EMPTY | {"by_kind": {kind: 1 for kind in reversed(reflection.KIND_ORDER)}}
    r = reflection.build(facts(date(2026, 9, 1), date(2026, 9, 30), counts=counts))
    assert list(r.by_kind) == [
        "met",
        "message",
        "call",
        "meeting",
        "event",
        "collab",
        "help-given",
        "help-received",
        "thanks",
        "intro",
        "mentor-session",
        "other",
    ]
    assert (r.thanks_sent, r.help_given, r.help_received, r.mentor_sessions) == (1, 1, 1, 1)
    nothing = reflection.build(facts(date(2026, 9, 1), date(2026, 9, 30)))
    assert nothing.by_kind == {}
    assert (nothing.thanks_sent, nothing.help_given, nothing.help_received, nothing.mentor_sessions) == (0, 0, 0, 0)


def test_a_month_under_way_counts_its_days_to_as_of_only():
    counts = EMPTY | {"interactions": 3, "by_day": {date(2026, 12, 1): 1, date(2026, 12, 2): 2, date(2026, 12, 5): 7}}
    r = reflection.build(facts(date(2026, 12, 1), date(2026, 12, 2), counts=counts, just_ended=False))
    assert (r.days, r.partial, r.prev_days) == (2, True, 2)
    assert len(r.by_day) == 31 and r.by_day["2026-12-02"] == 2 and r.by_day["2026-12-05"] == 0
    assert r.active_days == 2
    last_day = reflection.build(facts(date(2026, 12, 1), date(2026, 12, 31), counts=counts))
    assert (last_day.partial, last_day.by_day["2026-12-05"], last_day.active_days) == (False, 7, 3)
    ended = reflection.build(facts(date(2026, 11, 1), date(2026, 11, 30), just_ended=True))
    assert ended.just_ended is True and ended.prev_start == date(2026, 10, 1)


@pytest.mark.parametrize(
    "interactions,new,empty",
    [(0, {}, True), (1, {}, False), (0, {"event": 1}, False), (2, {"event": 1}, False)],
)
def test_a_month_is_empty_with_no_interaction_and_nobody_new(interactions, new, empty):
    counts = EMPTY | {"interactions": interactions, "new_by_channel": new}
    assert reflection.build(facts(date(2026, 9, 1), date(2026, 9, 30), counts=counts)).is_empty is empty


def test_the_trend_says_how_many_days_each_month_had():
    trend = [("2026-02", 4), ("2026-03", 5), ("2026-04", 0)]
    r = reflection.build(facts(date(2026, 4, 1), date(2026, 4, 29), trend=trend))
    assert r.trend == [
        {"month": "2026-02", "interactions": 4, "days": 28, "partial": False},
        {"month": "2026-03", "interactions": 5, "days": 31, "partial": False},
        {"month": "2026-04", "interactions": 0, "days": 29, "partial": True},
    ]
    whole = reflection.build(facts(date(2026, 4, 1), date(2026, 4, 30), trend=trend))
    assert whole.trend[-1] == {"month": "2026-04", "interactions": 0, "days": 30, "partial": False}
    first_day = reflection.build(facts(date(2026, 4, 1), date(2026, 4, 1), trend=[("2026-04", 1)]))
    assert first_day.trend == [{"month": "2026-04", "interactions": 1, "days": 1, "partial": True}]


@pytest.mark.parametrize(
    "today,expected",
    [
        (date(2026, 12, 1), (date(2026, 11, 1), True)),
        (date(2026, 12, 3), (date(2026, 11, 1), True)),
        (date(2026, 12, 4), (date(2026, 12, 1), False)),
        (date(2027, 1, 1), (date(2026, 12, 1), True)),
        (date(2026, 12, 31), (date(2026, 12, 1), False)),
    ],
)
def test_unasked_the_first_three_days_report_the_month_just_ended(today, expected):
    assert reflection.JUST_ENDED_DAYS == 3
    assert reflection.choose_month(None, today=today) == expected


def test_an_asked_month_is_the_one_reported():
    assert reflection.choose_month("this", today=date(2026, 12, 2)) == (date(2026, 12, 1), False)
    assert reflection.choose_month("last", today=date(2026, 12, 2)) == (date(2026, 11, 1), False)
    assert reflection.choose_month("2025-02", today=date(2026, 12, 2)) == (date(2025, 2, 1), False)
    with pytest.raises(ValueError, match="cannot read the month 'soon'"):
        reflection.choose_month("soon", today=date(2026, 12, 2))


@pytest.mark.parametrize(
    "first,end,window",
    [
        (date(2026, 3, 1), date(2026, 3, 31), (date(2026, 2, 1), date(2026, 2, 28))),  # whole against whole
        (date(2026, 3, 1), date(2026, 3, 30), (date(2026, 2, 1), date(2026, 2, 28))),  # more days than Feb has
        (date(2026, 3, 1), date(2026, 3, 28), (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2026, 3, 1), date(2026, 3, 27), (date(2026, 2, 1), date(2026, 2, 27))),
        (date(2026, 3, 1), date(2026, 3, 1), (date(2026, 2, 1), date(2026, 2, 1))),
        (date(2026, 2, 1), date(2026, 2, 28), (date(2026, 1, 1), date(2026, 1, 31))),  # Feb over: all January
        (date(2026, 1, 1), date(2026, 1, 10), (date(2025, 12, 1), date(2025, 12, 10))),
    ],
)
def test_the_month_before_is_compared_like_with_like(first, end, window):
    assert reflection.previous_window(first, end) == window


def test_previous_months_end_with_the_month_and_run_oldest_first():
    assert reflection.previous_months(date(2026, 2, 1), 4) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert reflection.previous_months(date(2026, 2, 1), 1) == [date(2026, 2, 1)]
