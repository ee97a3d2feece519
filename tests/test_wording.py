"""Counts and articles a person reads: one helper, and no "1 days" anywhere."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcli.wording import article, count, plural

pytestmark = pytest.mark.one_engine  # words a person reads, not queries


BAD = re.compile(
    r"\(s\)|\b1 (days|people|persons|interactions|thank-yous|contacts|questions|goals|mentor sessions|events|rows|problems)\b"
    r"|\b(0|[2-9]|\d\d+) (day|person|interaction|thank-you|contact|question|goal|mentor session|event)\b(?![-\w])"
    r"|\ba (active|past|prospect|[aeiou]\w*)\b"
)


def test_counts_and_articles():
    assert count(1, "day") == "1 day" and count(0, "day") == "0 days" and count(2, "day") == "2 days"
    assert count(1, "person") == "1 person" and count(3, "new person") == "3 new people"
    assert count(1, "thank-you") == "1 thank-you" and count(2, "thank-you") == "2 thank-yous"
    assert count(0, "mentor session") == "0 mentor sessions" and count(2, "reply") == "2 replies"
    assert count(1_200, "interaction") == "1,200 interactions" and count(2, "key") == "2 keys"
    assert article("active") == "an active" and article("past") == "a past" and article("prospect") == "a prospect"


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["day", "person", "thank-you", "mentor session"]))
def test_one_is_singular_and_every_other_count_plural(n, word):
    said = count(n, word)
    assert said.startswith(f"{n:,} ")
    assert (said.endswith(word)) == (n == 1)
    assert plural(word, 1) == word


@pytest.mark.parametrize("n", [0, 1, 2])
def test_no_bad_plural_reaches_a_person(cli, n):
    """A network with none, one or two of each thing: every view's words."""
    for i in range(n):
        cli("add", f"Person {i}", "--on", "3 days ago")
        cli("log", f"Person {i}", "--kind", "thanks", "--on", "yesterday")
        cli("log", f"Person {i}", "--kind", "help-received", "--on", "2 days ago")
        cli("goal", "add", f"Goal {i}")
        cli("mentor", "add", f"Person {i}", "--every", "1d" if i == 0 else "2w")
        cli("mentor", "ask", f"Person {i}", "What next?")
        cli("mentor", "meet", f"Person {i}", "--on", "yesterday", "--answered", "all")
    views = [("report",), ("report", "--format", "md"), (), ("db", "check"), ("mentor", "list"), ("nudge", "--all")]
    if n:
        views += [("show", "Person 0"), ("mentor", "prep", "Person 0"), ("event", "add", "Meetup", "--on", "yesterday")]
    said = []
    for view in views:
        result = cli(*view)
        said.append(result.stdout + result.stderr)
    if n:
        said.append(cli("rm", "Person 0", "--yes").stderr)
        said.append(cli("event", "rm", "Meetup", "--yes").stderr)
    bad = [m.group(0) for text in said for m in BAD.finditer(text)]
    assert bad == [], said
