"""The rule registry: one declaration per rule, and the loop that fires them.

A rule is a function `check(subject, day) -> Nudge | None` declared with
`@rule(...)`: its name, which facts are its subjects, what `done` logs, its
settings and their defaults, its colour and its words for the docs. Config
keys, `--rule` and its completion, `done`, rendering and the README's table
all read `RULES`; nothing else spells a rule's name. Pure: no database, no
clock, no terminal.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from netcli.rules.cadence import Cadences
from netcli.rules.facts import Facts, MentorFacts, Nudge, NudgeMark, Settings

Check = Callable[[Any, "Day"], Nudge | None]


class Rule(NamedTuple):
    """One rule, as everything outside the rules sees it (a named tuple, as the
    facts are: see `rules.facts`)."""

    name: str
    subject: str  # the `Facts` field holding its subjects: "people", "mentors", …
    check: Check
    summary: str  # in a person's words: the README's table and `nudge --help`
    style: str  # its colour in tables
    settings: Mapping[str, Any] = MappingProxyType({})  # [rules] keys it reads, with their defaults
    limits: Mapping[str, tuple[int, str]] = MappingProxyType({})  # key: (most, what it counts), if under 36500
    done_logs: str | None = None  # the interaction kind `netcli done` logs with the nudge's contact
    reads_topics: bool = False  # its words name the person's topics ("ask about rust")
    about_contact: bool = True  # its subject is the nudge's contact (marks match by contact)
    yields_to: str | None = None  # a rule that, firing for the same subject, silences this one
    brief: str = ""  # its verb in `nudge --brief`'s line ("reply to" Dana Wu); none: the action's own words


RULES: dict[str, Rule] = {}


def rule(
    *,
    name: str,
    subject: str,
    summary: str,
    style: str,
    settings: dict[str, Any] | None = None,
    limits: dict[str, tuple[int, str]] | None = None,
    done_logs: str | None = None,
    reads_topics: bool = False,
    about_contact: bool = True,
    yields_to: str | None = None,
    brief: str = "",
) -> Callable[[Check], Rule]:
    """Declare the function below as a rule; registration order is the
    order rules are listed and fired in."""
    if subject not in Facts._fields:
        raise ValueError(f"rule {name}: no facts called {subject!r}")

    def register(check: Check) -> Rule:
        if name in RULES:
            raise ValueError(f"rule {name} is declared twice")
        if yields_to is not None and yields_to not in RULES:
            raise ValueError(f"rule {name} yields to {yields_to}, which must be declared before it")
        declared = Rule(
            name=name,
            subject=subject,
            check=check,
            summary=" ".join(summary.split()),
            style=style,
            settings=settings or {},
            limits=limits or {},
            done_logs=done_logs,
            reads_topics=reads_topics,
            about_contact=about_contact,
            yields_to=yields_to,
            brief=brief,
        )
        RULES[name] = declared
        return declared

    return register


class Day:
    """One evaluation's day, settings and shared facts, as every check reads them."""

    __slots__ = ("cadences", "config", "mentored", "setting", "today")

    def __init__(self, today: dt.date, config: Settings, facts: Facts = Facts()) -> None:
        self.today = today
        self.config = config
        self.setting: Callable[[str], Any] = config.rule  # one [rules] value by key
        self.cadences = Cadences(config)
        # an active mentor's rhythm is their sessions' cadence, which the mentor rules keep
        self.mentored: dict[int, MentorFacts] = {m.contact_id: m for m in facts.mentors if m.status == "active"}


def fire(facts: Facts, *, today: dt.date, config: Settings) -> list[Nudge]:
    """Every nudge the facts call for as of `today`, in no particular order
    (see `order`): each enabled rule's check over its subjects."""
    day = Day(today, config, facts)
    found: list[Nudge] = []
    fired_for: dict[str, set[int]] = {}
    for declared in RULES.values():
        if not config.enabled.get(declared.name, True):
            continue
        check = declared.check
        silenced = fired_for.get(declared.yields_to) if declared.yields_to else None
        mine = [n for s in getattr(facts, declared.subject) if (n := check(s, day)) is not None]
        if silenced:
            mine = [n for n in mine if n.subject not in silenced]
        fired_for[declared.name] = {n.subject for n in mine}
        found.extend(mine)
    return found


def evaluate(facts: Facts, *, today: dt.date, config: Settings) -> list[Nudge]:
    """Every nudge the facts call for, highest priority first: `fire`, then `order`."""
    return order(fire(facts, today=today, config=config))


def _rank(n: Nudge) -> tuple[float, dt.date, str, str, int]:
    return (-n.priority, n.due, n.rule, n.contact or "", n.subject)


def order(nudges: Sequence[Nudge], *, limit: int | None = None) -> list[Nudge]:
    """One ordering for every rule: priority, then earliest due, then a stable
    tiebreak (a rule has one nudge per subject). With `limit`, only the first
    `limit` of that order, without ranking the rest."""
    if limit is None:
        return sorted(nudges, key=_rank)
    if len(nudges) > 2 * limit:
        # everything ranked above the limit has a priority at least the limit-th highest
        threshold = heapq.nlargest(limit, [n.priority for n in nudges])[-1] if limit > 0 else math.inf
        nudges = [n for n in nudges if n.priority >= threshold]
    return heapq.nsmallest(limit, nudges, key=_rank)  # many may tie at the threshold (capped priorities)


def visible(nudges: Sequence[Nudge], marks: dict[str, NudgeMark], *, today: dt.date) -> list[Nudge]:
    """Drop dismissed and done nudges, and snoozed ones until their day comes."""
    if not marks:
        return list(nudges)
    marked = {mark.contact_id for mark in marks.values()}
    shown = []
    for nudge in nudges:
        if RULES[nudge.rule].about_contact and nudge.contact_id not in marked:  # spares hashing every id
            shown.append(nudge)
            continue
        mark = marks.get(nudge.id)
        if mark is None or (mark.state == "snoozed" and mark.until is not None and mark.until <= today):
            shown.append(nudge)
    return shown


def brief_words(nudge: Nudge) -> str:
    """A nudge in a few words for `nudge --brief`: "reply to Dana Wu"."""
    verb = RULES[nudge.rule].brief
    if verb and nudge.contact:
        return f"{verb} {nudge.contact}"
    action = nudge.action.rstrip(".")
    return action[:1].lower() + action[1:]


def rule_settings() -> dict[str, Any]:
    """Every rule's [rules] settings with their defaults, in registry order."""
    return {key: value for declared in RULES.values() for key, value in declared.settings.items()}
