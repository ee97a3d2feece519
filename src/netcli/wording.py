"""Counts and articles in the words a person reads: "1 day", "3 days",
"0 mentor sessions", "an active mentor". Every count that reaches a person
goes through `count`; nothing else here. Pure text, importing nothing."""

from __future__ import annotations

_IRREGULAR = {"person": "people", "reply": "replies", "was": "were", "is": "are", "has": "have"}


def plural(word: str, n: int) -> str:
    """`word` for `n` of it: the last word of a phrase takes the plural."""
    if n == 1:
        return word
    head, _, last = word.rpartition(" ")
    many = _IRREGULAR.get(last) or (
        last[:-1] + "ies" if last.endswith("y") and last[-2:-1] not in "aeiou" else last + "s"
    )
    return f"{head} {many}" if head else many


def count(n: int, word: str) -> str:
    """`1 day`, `2 days`, `0 mentor sessions`, `1,200 interactions`."""
    return f"{n:,} {plural(word, n)}"


def article(word: str) -> str:
    """`an active`, `a past`, `an A-tier`: the indefinite article and `word`."""
    first = word[:1].lower()
    vowel_sound = first in "aeiou" or (word[:1] in "AEFHILMNORSX" and (len(word) == 1 or not word[1:2].isalpha()))
    return f"{'an' if vowel_sound else 'a'} {word}"


def job_words(org: str | None, role: str | None) -> str:
    """A job as a sentence says it: `Staff ML Engineer at Zalando`, or the one given."""
    if org and role:
        return f"{role} at {org}"
    return role or org or "?"
