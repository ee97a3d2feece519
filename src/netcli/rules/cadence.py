"""Cadences: how often to be in touch with someone, and when that falls due.

One cadence is in force per person (`Cadences.in_force`): their own, the
rhythm learned from their history, their tier's, or an active mentor's
session cadence. `show`, `list`, the nudges and the report all read it here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from itertools import pairwise
from typing import Any, NamedTuple

from netcli.rules.facts import MentorFacts, Settings

# The [rules] settings a cadence is made of (the rules' own settings are
# declared with each rule).
SETTINGS: dict[str, Any] = {
    "learned_rhythm": True,
    "learned_min_days": 5,
    "learned_factor": 1.5,
    "learned_floor_days": 7,
    "mentor_cadence_days": 28,
}


class Rhythm(NamedTuple):
    """The keep-in-touch cadence in force for one person, and where it comes from."""

    cadence_days: int
    source: str  # "own", "learned", "tier" or "mentor"
    median_gap: float | None = None


class Cadences:
    """The settings a cadence is made of, read once per evaluation."""

    __slots__ = ("_known", "config", "learned", "learned_factor", "learned_floor_days", "learned_min_days")

    def __init__(self, config: Settings) -> None:
        self.config = config
        self.learned: bool = config.rule("learned_rhythm")
        self.learned_min_days: int = config.rule("learned_min_days")
        self.learned_factor: float = config.rule("learned_factor")
        self.learned_floor_days: int = config.rule("learned_floor_days")
        # people share tiers and gaps: a network of 100,000 has a few hundred rhythms
        self._known: dict[tuple[str, float | None], Rhythm] = {}

    def in_force(
        self,
        tier: str,
        own_cadence_days: int | None,
        contact_week_count: int,
        median_gap: float | None,
        mentor: MentorFacts | None = None,
    ) -> Rhythm:
        """The cadence the rules keep with this person, and its kind: every
        view (show, list, the nudge's reason, mentor list) states this one.
        An active mentor's is the mentor cadence (their session rule keeps
        it, not the person rules); anyone else's is `rhythm`."""
        if mentor is not None and mentor.status == "active":
            return Rhythm(mentor_cadence(mentor, self.config), "mentor")
        return self.rhythm(tier, own_cadence_days, contact_week_count, median_gap)

    def next_due(
        self, found: Rhythm, last_contact: dt.date | None, mentor: MentorFacts | None = None
    ) -> dt.date | None:
        """When the cadence in force (`in_force`) is reached: an active
        mentor's next session, else last contact + cadence."""
        if found.source == "mentor" and mentor is not None:
            return mentor_due(mentor, self.config)
        return next_due(last_contact, found.cadence_days)

    def rhythm(
        self, tier: str, own_cadence_days: int | None, contact_week_count: int, median_gap: float | None
    ) -> Rhythm:
        """Own cadence, else the learned rhythm, else the tier's cadence.

        The learned rhythm: with contact in at least `learned_min_days`
        different weeks (`contact_week_count`), `learned_factor` x the median
        gap between those weeks, kept between `learned_floor_days` and the
        tier's cadence.
        """
        if own_cadence_days:
            return Rhythm(own_cadence_days, "own")
        key = (tier, median_gap if self.learned and contact_week_count >= self.learned_min_days else None)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self._rhythm(*key)
        return found

    def _rhythm(self, tier: str, median_gap: float | None) -> Rhythm:
        tier_days = self.config.tier_cadence(tier)  # an unknown tier is C's
        if median_gap is None:
            return Rhythm(tier_days, "tier")
        learned = math.floor(self.learned_factor * median_gap + 0.5)  # half up
        floor = min(self.learned_floor_days, tier_days)
        return Rhythm(max(floor, min(learned, tier_days)), "learned", median_gap)

    def bounds(self, tier: str, own_cadence_days: int | None) -> tuple[int, int]:
        """The shortest and longest cadence `rhythm` can give this person,
        whatever their history."""
        if own_cadence_days:
            return own_cadence_days, own_cadence_days
        tier_days = self.config.tier_cadence(tier)  # an unknown tier is C's
        return (min(self.learned_floor_days, tier_days) if self.learned else tier_days), tier_days


def contact_weeks(days: Sequence[dt.date]) -> list[int]:
    """The Monday-to-Sunday weeks (numbered from 0001-01-01, a Monday) in
    which you were in touch, in order. A rhythm counts conversations, not
    days: help, the thank-you the next day and the reply that week are one."""
    return sorted({(day.toordinal() - 1) // 7 for day in days})


def median_gap(days: Sequence[dt.date]) -> float | None:
    """The median number of days between the weeks you were in touch (what
    the store computes in SQL): a multiple of 7, so a same-week exchange
    never changes it."""
    from statistics import median  # imports fractions and decimal: --help never needs it

    weeks = contact_weeks(days)
    gaps = [7 * (b - a) for a, b in pairwise(weeks)]
    return float(median(gaps)) if gaps else None


def next_due(last_contact: dt.date | None, cadence_days: int) -> dt.date | None:
    """The day someone becomes overdue: last contact + cadence."""
    if last_contact is None:
        return None
    return last_contact + dt.timedelta(days=cadence_days)


def status(due: dt.date | None, cadence_days: int, *, today: dt.date) -> str:
    """'ok' before the due day (`Cadences.next_due`), 'due' once it is
    reached, 'overdue' a whole cadence past it, 'never' with nothing due (no
    contact logged)."""
    if due is None:
        return "never"
    late = (today - due).days
    if late >= cadence_days:
        return "overdue"
    if late >= 0:
        return "due"
    return "ok"


def mentor_cadence(m: MentorFacts, config: Settings) -> int:
    return m.own_cadence_days or config.rule("mentor_cadence_days")


def mentor_due(m: MentorFacts, config: Settings) -> dt.date | None:
    """When the next session is due: the one on the calendar, else last session + cadence; a new mentor's
    first session is due the day they became active, or one cadence after
    the day sessions count from (`mentor add --since`)."""
    if m.status != "active":
        return None
    if m.scheduled is not None:  # the calendar says when: that is the next session
        return m.scheduled
    if m.last_session is not None:
        return m.last_session + dt.timedelta(days=mentor_cadence(m, config))
    if m.sessions_from is not None:
        return m.sessions_from + dt.timedelta(days=mentor_cadence(m, config))
    return m.started_on
