"""Who went quiet in a month: the report's list, by the cadence in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from netcli.rules.cadence import Cadences, mentor_due
from netcli.rules.facts import MentorFacts, PersonFacts, Settings


def went_quiet(
    people: Sequence[PersonFacts],
    *,
    start: dt.date,
    end: dt.date,
    config: Settings,
    mentors: Sequence[MentorFacts] = (),
) -> list[str]:
    """Who went quiet in the month start..end (inclusive; end may be as-of):
    nothing with them in it, overdue by its end by their cadence in force
    (`Cadences.in_force`: an active mentor's sessions), and either their due
    day fell in it or they were in touch in the month before (then it is their
    first whole month of silence). So nobody in touch that month is named, and
    a silence is named once. Facts are as of end. Closest tiers first, then by
    name."""
    cadences = Cadences(config)
    month_before = _minus(start, 1).replace(day=1)
    # per (tier, own cadence): the last contacts that can qualify, whatever their history
    spans: dict[tuple[str, int | None], tuple[dt.date, dt.date]] = {}
    active = {m.contact_id: m for m in mentors if m.status == "active"}
    found = []
    for p in people:
        last = p.last_contact
        if last is None:
            continue
        mentor = active.get(p.id)
        due: dt.date | None
        if mentor is not None:  # their sessions are the rhythm
            due = mentor_due(mentor, config)  # `Cadences.in_force` for an active mentor
            if due is None:
                continue
        else:
            key = (p.tier, p.own_cadence_days)
            span = spans.get(key)
            if span is None:
                shortest, longest = cadences.bounds(*key)
                earliest = min(_minus(start, longest), month_before)
                span = spans[key] = (earliest, min(_minus(start, 1), _minus(end, shortest)))
            if not span[0] <= last <= span[1]:
                continue
            rhythm = cadences.rhythm(p.tier, p.own_cadence_days, p.contact_week_count, p.median_gap)
            due = last + dt.timedelta(days=rhythm.cadence_days)
        if last < start and due <= end and (due >= start or last >= month_before):
            found.append((p.tier, p.name.casefold(), p.name))
    return [name for *_, name in sorted(found)]


def _minus(day: dt.date, days: int) -> dt.date:
    """`day` less `days`, no earlier than the first day there is."""
    try:
        return day - dt.timedelta(days=days)
    except OverflowError:  # a cadence of years, counted back from early in year 1
        return dt.date.min
