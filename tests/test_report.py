"""`netcli report`: a known three-month history, checked value by value."""

from __future__ import annotations

import json
import re
import stat

import pytest

AS_OF = "2026-11-15"


@pytest.fixture
def history(cli):
    cli("add", "Ana", "--on", "2026-08-05", "--via", "event", "--tier", "A")
    cli("add", "Bo", "--on", "2026-09-02", "--via", "course", "--tier", "B")
    cli("add", "Cy", "--on", "2026-09-10", "--via", "forum")
    cli("add", "Di", "--on", "2026-09-20", "--via", "event", "--tier", "D")
    cli("add", "Ed", "--on", "2026-10-03", "--via", "social")
    for args in (
        ("ana", "--kind", "call", "--on", "2026-08-10"),
        ("ana", "--kind", "help-received", "--on", "2026-08-20"),
        ("ana", "--kind", "thanks", "--on", "2026-09-01"),
        ("ana", "bo", "--kind", "meeting", "--on", "2026-09-03"),
        ("bo", "--kind", "help-received", "--on", "2026-09-05"),
        ("cy", "--kind", "help-given", "--on", "2026-09-15"),
        ("ana", "--kind", "message", "--on", "2026-09-15"),
        ("bo", "--kind", "mentor-session", "--on", "2026-09-25"),
        ("bo", "--kind", "thanks", "--on", "2026-10-02"),
        ("cy", "--kind", "message", "--on", "2026-10-12"),
    ):
        cli("log", *args)
    cli("goal", "add", "Learn Rust", "--on", "2026-08-15", "--topic", "rust")
    cli("goal", "progress", "rust", "--note", "book", "--percent", "10", "--on", "2026-08-30")
    cli("goal", "progress", "rust", "--note", "exercises", "--percent", "40", "--on", "2026-09-20")
    cli("goal", "progress", "rust", "--note", "first crate", "--percent", "60", "--on", "2026-10-05")
    return cli


def report(cli, month):
    return json.loads(cli("report", "--month", month, "--as-of", AS_OF, "--format", "json").stdout)


KEYS = {
    "month",
    "interactions",
    "interactions_prev_month",
    "people",
    "new_contacts",
    "new_by_channel",
    "by_kind",
    "thanks_sent",
    "thanks_owed",
    "help_given",
    "help_received",
    "mentor_sessions",
    "goals",
    "went_quiet",
    "top_contacts",
    "active_days",
    "by_day",
}


def test_september_by_hand(history):
    r = report(history, "2026-09")
    assert set(r) >= KEYS
    assert r["month"] == "2026-09"
    assert r["interactions"] == 9 and r["interactions_prev_month"] == 3
    assert r["people"] == 4
    assert r["new_contacts"] == 3 and r["new_by_channel"] == {"course": 1, "event": 1, "forum": 1}
    assert r["by_kind"] == {
        "met": 3,
        "message": 1,
        "meeting": 1,
        "help-given": 1,
        "help-received": 1,
        "thanks": 1,
        "mentor-session": 1,
    }
    assert (r["thanks_sent"], r["thanks_owed"]) == (1, 1)
    assert (r["help_given"], r["help_received"], r["mentor_sessions"]) == (1, 1, 1)
    assert r["goals"] == [
        {
            "title": "Learn Rust",
            "status": "active",
            "progress_start": 10,
            "progress_end": 40,
            "created_on": "2026-08-15",
            "interactions": 0,
            "updates": 1,  # "exercises", 40%
            "new": False,
        }
    ]
    assert r["went_quiet"] == []  # Ana, due 09-29 on a learned 14-day rhythm, was in touch on the 15th
    assert r["top_contacts"] == [
        {"name": "Bo", "interactions": 4},
        {"name": "Ana", "interactions": 3},
        {"name": "Cy", "interactions": 2},
        {"name": "Di", "interactions": 1},
    ]
    assert r["active_days"] == 8
    assert len(r["by_day"]) == 30 and r["by_day"]["2026-09-15"] == 2 and r["by_day"]["2026-09-16"] == 0
    assert sum(r["by_day"].values()) == 9


def test_october_and_august(history):
    r = report(history, "2026-10")
    assert (r["interactions"], r["interactions_prev_month"], r["people"]) == (3, 9, 3)
    assert r["new_by_channel"] == {"social": 1} and r["thanks_owed"] == 0
    # Bo's five days are three weeks of contact (met, a meeting and help in one week): too few to
    # learn from, so tier B's 30 days hold and he goes quiet in November, not after a "7-day rhythm"
    assert r["went_quiet"] == ["Ana"]  # overdue since 09-29, and nothing with her all October
    assert report(history, "2026-11")["went_quiet"] == ["Bo"]
    assert r["goals"][0]["progress_start"] == 40 and r["goals"][0]["progress_end"] == 60
    assert len(r["by_day"]) == 31
    a = report(history, "2026-08")
    assert (a["interactions"], a["interactions_prev_month"], a["thanks_owed"]) == (3, 0, 1)
    assert a["goals"][0]["progress_start"] is None and a["goals"][0]["progress_end"] == 10


def test_went_quiet_names_nobody_in_touch_that_month_and_each_silence_once(history):
    quiet = {m: report(history, m)["went_quiet"] for m in ("2026-08", "2026-09", "2026-10", "2026-11")}
    # Bo, on a learned 7-day rhythm, was due 10-09 but thanked on 10-02: November is his quiet month
    assert quiet == {"2026-08": [], "2026-09": [], "2026-10": ["Ana"], "2026-11": ["Bo"]}
    for month, names in quiet.items():
        until = "2026-11-15" if month == "2026-11" else f"{month}-{len(report(history, month)['by_day'])}"
        seen = {c for i in history.json("history", "--since", f"{month}-01", "--until", until) for c in i["contacts"]}
        assert not seen & set(names)


def test_this_and_last_month_follow_as_of(history):
    assert report(history, "this")["month"] == "2026-11"
    assert report(history, "last")["month"] == "2026-10"
    this = json.loads(history("report", "--as-of", "2026-10-12", "--json").stdout)
    assert this["month"] == "2026-10" and this["interactions"] == 3
    cut = json.loads(history("report", "--as-of", "2026-10-05", "--json").stdout)
    assert cut["interactions"] == 2 and cut["by_day"]["2026-10-12"] == 0 and len(cut["by_day"]) == 31


def test_in_a_months_first_three_days_the_report_is_the_month_just_ended(history):
    for day in ("2026-11-01", "2026-11-03"):
        result = history("report", "--as-of", day, "--json")
        r = json.loads(result.stdout)
        assert (r["month"], r["just_ended"], r["partial"], r["days"], r["interactions"]) == (
            "2026-10",
            True,
            False,
            31,
            3,
        )
        assert "October has just ended; for November so far: netcli report --month this" in result.stderr
    text = history("report", "--as-of", "2026-11-02")
    assert text.stdout.startswith("Your learning network in October 2026\n  October has just ended;")
    assert "just ended" not in text.stderr  # said once, in the report
    r = json.loads(history("report", "--as-of", "2026-11-04", "--json").stdout)
    assert (r["month"], r["just_ended"], r["partial"], r["days"]) == ("2026-11", False, True, 4)
    for asked, month in (("this", "2026-11"), ("2026-11", "2026-11"), ("last", "2026-10")):
        result = history("report", "--month", asked, "--as-of", "2026-11-02", "--json")
        assert (json.loads(result.stdout)["month"], json.loads(result.stdout)["just_ended"]) == (month, False)
        assert "just ended" not in result.stderr


def test_a_month_so_far_is_compared_with_the_same_days_of_the_month_before(history):
    r = json.loads(history("report", "--as-of", "2026-10-05", "--json").stdout)
    # 1-5 October: a thanks and a meeting; 1-5 September: a thanks, a meeting, a met and a help-received
    assert (r["interactions"], r["interactions_prev_month"], r["days"], r["prev_days"], r["partial"]) == (
        2,
        4,
        5,
        5,
        True,
    )
    assert r["trend"][-1] == {"month": "2026-10", "interactions": 2, "days": 5, "partial": True}
    text = history("report", "--as-of", "2026-10-05").stdout
    assert "2 fewer than on 1–5 September (4)" in text and "5 of 31 days" in text
    whole = report(history, "2026-10")
    assert (whole["interactions_prev_month"], whole["days"], whole["prev_days"], whole["partial"]) == (9, 31, 30, False)
    text = history("report", "--month", "2026-10", "--as-of", AS_OF, "--format", "md").stdout
    assert "- 3 interactions with 3 people on 3 days; 6 fewer than in September (9, in 30 days against 31)" in text


def test_empty_month_is_friendly(history):
    r = report(history, "2026-06")
    assert r["interactions"] == 0 and r["active_days"] == 0 and r["went_quiet"] == [] and r["goals"] == []
    text = history("report", "--month", "2026-06", "--as-of", AS_OF).stdout
    assert "quiet month" in text


def test_bad_months(cli):
    assert "YYYY-MM" in cli("report", "--month", "2026-13", code=2).stderr
    cli("report", "--month", "soon", code=2)
    assert "has not started" in cli("report", "--month", "2099-01", code=1).stderr


def test_text_markdown_html_show_the_same_facts(history, tmp_path):
    text = history("report", "--month", "2026-09", "--as-of", AS_OF).stdout
    assert "9 interactions with 4 people on 8 days" in text and "Ana" in text and "Calendar" in text
    md = history("report", "--month", "2026-09", "--as-of", AS_OF, "--format", "md").stdout
    assert md.startswith("# Learning network: September 2026")
    assert "| mentor-session | 1 |" in md and "| Learn Rust | active | 10% | 40% | 1 note |" in md
    out = tmp_path / "sept.html"
    history("report", "--month", "2026-09", "--as-of", AS_OF, "--format", "html", "--output", str(out))
    page = out.read_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 4
    assert "2026-09-15: 2 interactions" in page and "Learn Rust" in page
    # self-contained: no scripts, stylesheets, images or fonts fetched from anywhere
    assert not re.search(r"<script|<link|<img|@import|url\(|src=", page)
    assert set(re.findall(r"https?://[^\"' ]+", page)) <= {"http://www.w3.org/2000/svg"}
    plain = tmp_path / "sept.txt"
    history("report", "--month", "2026-09", "--as-of", AS_OF, "--output", str(plain))
    assert "9 interactions" in plain.read_text() and "\x1b[" not in plain.read_text()


def test_a_month_that_quietens_many_names_the_closest_few():
    """Thousands may go quiet in a large network: every view names twenty, the
    closest first as the rules order them, and says how many more; JSON keeps all."""
    from datetime import date

    from netcli import reflection
    from netcli.render import report as views

    quiet = [f"Tier A {i:02d}" for i in range(5)] + [f"Tier C {i:04d}" for i in range(2_995)]
    counts = {"interactions": 0, "by_kind": {}, "by_day": {}, "people": 0, "top_contacts": [], "new_by_channel": {}}
    built = reflection.build(
        reflection.MonthFacts(
            first=date(2026, 10, 1),
            end=date(2026, 10, 31),
            counts=counts,
            interactions_prev_month=0,
            thanks_owed=0,
            went_quiet=quiet,
            goals=[],
        )
    )
    assert built.as_dict()["went_quiet"] == quiet
    for page in (views.plain(built), views.markdown(built), views.html(built)):
        page = " ".join(page.split())  # as wrapped
        assert "Went quiet" in page and "(3,000)" in page
        assert "Tier A 00" in page and "Tier C 0014" in page and "Tier C 0015" not in page
        assert "and 2,980 more (netcli report --json lists everyone)" in page


# ------------------------------------------------- which month, against what (pure)

from datetime import date, timedelta  # noqa: E402

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from netcli import reflection  # noqa: E402
from netcli.dates import month_end  # noqa: E402
from netcli.render import report as views  # noqa: E402


def test_the_first_three_days_default_to_the_month_just_ended():
    assert reflection.choose_month(None, today=date(2026, 12, 1)) == (date(2026, 11, 1), True)
    assert reflection.choose_month(None, today=date(2026, 12, 3)) == (date(2026, 11, 1), True)
    assert reflection.choose_month(None, today=date(2027, 1, 2)) == (date(2026, 12, 1), True)
    assert reflection.choose_month(None, today=date(2026, 12, 4)) == (date(2026, 12, 1), False)
    # asked for by name, a month is what was asked for
    assert reflection.choose_month("this", today=date(2026, 12, 1)) == (date(2026, 12, 1), False)
    assert reflection.choose_month("2026-12", today=date(2026, 12, 2)) == (date(2026, 12, 1), False)
    assert reflection.choose_month("last", today=date(2026, 12, 2)) == (date(2026, 11, 1), False)


@given(today=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_the_default_month_is_never_fewer_than_four_days(today):
    first, just_ended = reflection.choose_month(None, today=today)
    end = min(month_end(first), today)
    assert (end - first).days + 1 >= 4 and first <= today
    assert just_ended == (end < today)  # only a month that has ended is chosen in its place


months = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 1)).map(lambda d: d.replace(day=1))


@given(first=months, day=st.integers(1, 31))
def test_the_month_before_is_compared_day_for_day(first, day):
    end = first.replace(day=min(day, month_end(first).day))
    start, stop = reflection.previous_window(first, end)
    assert start == (first - timedelta(days=1)).replace(day=1) and start <= stop <= month_end(start)
    days = (end - first).days + 1
    if end == month_end(first):
        assert stop == month_end(start)  # a whole month against a whole month
    else:
        assert (stop - start).days + 1 == min(days, month_end(start).day)


COUNTS = {"interactions": 0, "by_kind": {}, "by_day": {}, "people": 0, "top_contacts": [], "new_by_channel": {}}


def built(first, end, **facts):
    facts = {"counts": COUNTS, "interactions_prev_month": 0, "thanks_owed": 0, "went_quiet": [], "goals": []} | facts
    return reflection.build(reflection.MonthFacts(first=first, end=end, **facts))


def test_a_report_says_how_many_days_it_covers_and_against_how_many():
    so_far = built(date(2026, 12, 1), date(2026, 12, 2), trend=[("2026-11", 18), ("2026-12", 0)])
    assert (so_far.partial, so_far.days, so_far.prev_days, so_far.just_ended) == (True, 2, 2, False)
    assert so_far.trend == [
        {"month": "2026-11", "interactions": 18, "days": 30, "partial": False},
        {"month": "2026-12", "interactions": 0, "days": 2, "partial": True},
    ]
    march = built(date(2027, 3, 1), date(2027, 3, 31), just_ended=True)
    assert (march.partial, march.days, march.prev_days, march.just_ended) == (False, 31, 28, True)
    assert built(date(2027, 3, 1), date(2027, 3, 30)).prev_days == 28
    keys = so_far.as_dict()
    assert {"partial", "days", "prev_days", "just_ended"} <= set(keys) and keys["month"] == "2026-12"


def test_the_comparison_names_the_days_it_compares():
    counts = COUNTS | {"interactions": 5}
    so_far = views.summary_lines(built(date(2026, 12, 1), date(2026, 12, 2), counts=counts, interactions_prev_month=3))
    assert "2 more than on 1–2 November (3)" in so_far[0]
    one_day = views.summary_lines(built(date(2026, 12, 1), date(2026, 12, 1), counts=counts, interactions_prev_month=7))
    assert "2 fewer than on 1 November (7)" in one_day[0]
    whole = views.summary_lines(built(date(2026, 11, 1), date(2026, 11, 30), counts=counts, interactions_prev_month=5))
    assert "as many as in October (5, in 31 days against 30)" in whole[0]
    same = views.summary_lines(built(date(2026, 12, 1), date(2026, 12, 31), counts=counts, interactions_prev_month=9))
    assert "4 fewer than in November (9, in 30 days against 31)" in same[0]
    assert "none in July" in views.summary_lines(built(date(2026, 8, 1), date(2026, 8, 31), counts=counts))[0]
    assert (
        "in 31 days against 31" not in views.summary_lines(built(date(2026, 8, 1), date(2026, 8, 31), counts=counts))[0]
    )


def test_one_of_each_is_said_in_the_singular():
    counts = COUNTS | {
        "interactions": 1,
        "people": 1,
        "by_kind": {"thanks": 1, "mentor-session": 1},
        "by_day": {date(2026, 9, 3): 1},
        "new_by_channel": {"event": 1},
    }
    lines = views.summary_lines(built(date(2026, 9, 1), date(2026, 9, 30), counts=counts, interactions_prev_month=1))
    assert lines[0].startswith("1 interaction with 1 person on 1 day;")
    assert lines[1].startswith("1 new person:") and lines[2].startswith("1 thank-you sent")
    assert lines[3].endswith("1 mentor session")
    assert "2026-09-03: 1 interaction<" in views.html(built(date(2026, 9, 1), date(2026, 9, 30), counts=counts))


def calendar_block(page: str) -> str:
    return page[page.index("Calendar") : page.index("less")]


@given(first=months, day=st.integers(1, 31))
def test_every_calendar_shows_each_days_number(first, day):
    """Text, Markdown and HTML calendars carry the day numbers, in order,
    each under its weekday; the shades stay beneath them, and the days after
    as-of are shown as not yet, not as empty."""
    end = first.replace(day=min(day, month_end(first).day))
    r = built(first, end, counts=COUNTS | {"by_day": {first: 2}, "interactions": 2})
    numbers = list(range(1, month_end(first).day + 1))
    svg = views.html(r).split("<svg")[1]
    assert [int(n) for n in re.findall(r'class="day[^"]*"[^>]*>(\d+)</text>', svg)] == numbers
    assert svg.count(": not yet</title>") == len(numbers) - r.days
    for page in (views.plain(r), views.markdown(r)):
        block = calendar_block(page)
        assert [int(n) for n in re.findall(r"\b\d{1,2}\b", re.sub(r"W\d\d", "", block))] == numbers
        lines = block.splitlines()
        heading = next(line for line in lines if "Mo Tu" in line)
        one = next(line for line in lines if re.search(r"(^|\s)1(\s|$)", re.sub(r"W\d\d", "", line)))
        weekday = WEEKDAY_NAMES[first.weekday()]
        assert re.search(r"\b1\b", one).end() == heading.index(weekday) + 2  # right-aligned under its weekday
        assert "▒▒" in block  # the shade of the day with two interactions
        assert len(re.findall("[" + views.SHADES + "]{2}", block)) == r.days  # one shade a day up to as-of


WEEKDAY_NAMES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def test_goals_read_from_the_months_first_day_to_its_last():
    goals = [
        {
            "title": "Learn Rust",
            "status": "active",
            "progress_start": 10,
            "progress_end": 40,
            "created_on": date(2026, 8, 15),
        },
        {
            "title": "Give a talk",
            "status": "done",
            "progress_start": None,
            "progress_end": 100,
            "created_on": date(2026, 9, 12),
        },
        {
            "title": "Read SICP",
            "status": "active",
            "progress_start": None,
            "progress_end": None,
            "created_on": date(2026, 7, 1),
        },
    ]
    r = built(date(2026, 9, 1), date(2026, 9, 30), goals=goals)
    assert [g["new"] for g in r.goals] == [False, True, False]
    page = views.html(r)
    assert "<th>1 Sep</th><th>30 Sep</th><th>this month</th>" in page
    assert "<td>Give a talk</td><td>done</td><td>new</td><td>100%</td><td>–</td>" in page
    assert "<td>Read SICP</td><td>active</td><td>–</td><td>–</td><td>–</td>" in page
    md = views.markdown(r)
    assert "| goal | status | 1 Sep | 30 Sep | this month |" in md and "| Give a talk | done | new | 100% | – |" in md
    assert "Give a talk (done): new → 100%" in views.plain(r)
    assert views.GOALS_KEY in page and views.GOALS_KEY in md
    measured = built(date(2026, 9, 1), date(2026, 9, 30), goals=goals[:1])
    assert views.GOALS_KEY not in views.html(measured) and views.GOALS_KEY not in views.markdown(measured)
    so_far = views.html(built(date(2026, 12, 1), date(2026, 12, 2), goals=goals))
    assert "<th>1 Dec</th><th>2 Dec</th><th>this month</th>" in so_far


def test_a_month_so_far_and_a_month_just_ended_say_so():
    so_far = built(date(2026, 12, 1), date(2026, 12, 2), trend=[("2026-11", 18), ("2026-12", 0)])
    for page in (views.plain(so_far), views.markdown(so_far), views.html(so_far)):
        flat = " ".join(page.split())
        assert "so far" in flat.lower() and "2 of 31 days" in flat
        assert "nothing logged yet" in flat
    assert "| 2026-12 (2 days so far) | 0 |  |" in views.markdown(so_far) and "| ``" not in views.markdown(so_far)
    assert "2026-12 (2 days so far)" in views.markdown(so_far) and "2026-12 (2 days so far)" in views.plain(so_far)
    assert ">so far</text>" in views.html(so_far)
    ended = built(date(2026, 11, 1), date(2026, 11, 30), just_ended=True)
    for page in (views.plain(ended), views.markdown(ended), views.html(ended)):
        flat = " ".join(page.split())
        assert "November has just ended" in flat and "netcli report --month this" in flat
        assert "nothing logged yet" not in flat and "of 30 days" not in flat
    assert "2026-11-01 to 2026-11-30" in views.html(ended)
    assert "just ended" not in views.plain(built(date(2026, 11, 1), date(2026, 11, 30)))
