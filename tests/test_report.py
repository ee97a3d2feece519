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


KEYS = {"month", "interactions", "interactions_prev_month", "people", "new_contacts", "new_by_channel", "by_kind",
        "thanks_sent", "thanks_owed", "help_given", "help_received", "mentor_sessions", "goals", "went_quiet",
        "top_contacts", "active_days", "by_day"}  # fmt: skip


def test_september_by_hand(history):
    r = report(history, "2026-09")
    assert KEYS <= set(r)
    assert r["month"] == "2026-09"
    assert r["interactions"] == 9 and r["interactions_prev_month"] == 3
    assert r["people"] == 4
    assert r["new_contacts"] == 3 and r["new_by_channel"] == {"course": 1, "event": 1, "forum": 1}
    assert r["by_kind"] == {"met": 3, "message": 1, "meeting": 1, "help-given": 1, "help-received": 1,
                            "thanks": 1, "mentor-session": 1}  # fmt: skip
    assert (r["thanks_sent"], r["thanks_owed"]) == (1, 1)
    assert (r["help_given"], r["help_received"], r["mentor_sessions"]) == (1, 1, 1)
    assert r["goals"] == [{"title": "Learn Rust", "status": "active", "progress_start": 10, "progress_end": 40}]
    assert r["went_quiet"] == ["Ana"]  # learned 14-day rhythm: due 09-29
    assert r["top_contacts"] == [{"name": "Bo", "interactions": 4}, {"name": "Ana", "interactions": 3},
                                 {"name": "Cy", "interactions": 2}, {"name": "Di", "interactions": 1}]  # fmt: skip
    assert r["active_days"] == 8
    assert len(r["by_day"]) == 30 and r["by_day"]["2026-09-15"] == 2 and r["by_day"]["2026-09-16"] == 0
    assert sum(r["by_day"].values()) == 9


def test_october_and_august(history):
    r = report(history, "2026-10")
    assert (r["interactions"], r["interactions_prev_month"], r["people"]) == (3, 9, 3)
    assert r["new_by_channel"] == {"social": 1} and r["thanks_owed"] == 0
    # Bo's five days are three weeks of contact (met, a meeting and help in one week): too few to
    # learn from, so tier B's 30 days hold and he goes quiet on 11-01, not after a "7-day rhythm"
    assert r["went_quiet"] == []
    assert report(history, "2026-11")["went_quiet"] == ["Bo"]
    assert r["goals"][0]["progress_start"] == 40 and r["goals"][0]["progress_end"] == 60
    assert len(r["by_day"]) == 31
    a = report(history, "2026-08")
    assert (a["interactions"], a["interactions_prev_month"], a["thanks_owed"]) == (3, 0, 1)
    assert a["goals"][0]["progress_start"] is None and a["goals"][0]["progress_end"] == 10


def test_this_and_last_month_follow_as_of(history):
    assert report(history, "this")["month"] == "2026-11"
    assert report(history, "last")["month"] == "2026-10"
    this = json.loads(history("report", "--as-of", "2026-10-12", "--json").stdout)
    assert this["month"] == "2026-10" and this["interactions"] == 3
    cut = json.loads(history("report", "--as-of", "2026-10-05", "--json").stdout)
    assert cut["interactions"] == 2 and cut["by_day"]["2026-10-12"] == 0 and len(cut["by_day"]) == 31


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
    assert "| mentor-session | 1 |" in md and "| Learn Rust | active | 10% | 40% |" in md
    out = tmp_path / "sept.html"
    history("report", "--month", "2026-09", "--as-of", AS_OF, "--format", "html", "--output", str(out))
    page = out.read_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 4
    assert "2026-09-15: 2 interaction(s)" in page and "Learn Rust" in page
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
    built = reflection.build(reflection.MonthFacts(first=date(2026, 10, 1), end=date(2026, 10, 31), counts=counts,
                                                   interactions_prev_month=0, thanks_owed=0, went_quiet=quiet, goals=[]))  # fmt: skip
    assert built.as_dict()["went_quiet"] == quiet
    for page in (views.plain(built), views.markdown(built), views.html(built)):
        page = " ".join(page.split())  # as wrapped
        assert "Went quiet" in page and "(3,000)" in page
        assert "Tier A 00" in page and "Tier C 0014" in page and "Tier C 0015" not in page
        assert "and 2,980 more (netcli report --json lists everyone)" in page
