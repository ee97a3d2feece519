"""The rules: facts in, nudges out. Pure.

Nothing here touches the database, the clock, the terminal or the network:
every function takes the facts gathered by `store`, the `today` the CLI
resolved once, and the validated `Config`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from statistics import median
from typing import Callable, Sequence

from netcli.config import Config


@dataclass(frozen=True)
class Rhythm:
    """The keep-in-touch cadence in force for one person, and where it comes from."""

    cadence_days: int
    source: str  # "own", "learned" or "tier"
    median_gap: float | None = None

    def describe(self, tier: str) -> str:
        if self.source == "own":
            return f"your own cadence of {self.cadence_days} days"
        if self.source == "learned":
            return (
                f"you usually talk every {_fmt_days(self.median_gap)} days "
                f"(learned cadence {self.cadence_days} days)"
            )
        return f"tier {tier} cadence of {self.cadence_days} days"


def _fmt_days(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def round_half_up(value: float) -> int:
    return int(math.floor(value + 0.5))


def rhythm(
    *,
    tier: str,
    own_cadence_days: int | None,
    contact_day_count: int,
    median_gap: float | None,
    config: Config,
) -> Rhythm:
    """Own cadence, else the learned rhythm, else the tier's cadence.

    The learned rhythm: with contact on at least `learned_min_days` distinct
    days, `learned_factor` x the median gap between those days, kept between
    `learned_floor_days` and the tier's cadence.
    """
    tier_days = config.tier_cadence(tier)
    if own_cadence_days:
        return Rhythm(own_cadence_days, "own")
    if (
        config.rule("learned_rhythm")
        and median_gap is not None
        and contact_day_count >= config.rule("learned_min_days")
    ):
        learned = round_half_up(config.rule("learned_factor") * median_gap)
        floor = min(config.rule("learned_floor_days"), tier_days)
        return Rhythm(max(floor, min(learned, tier_days)), "learned", median_gap)
    return Rhythm(tier_days, "tier")


def median_gap(days: Sequence[dt.date]) -> float | None:
    """The median number of days between distinct days (what the store computes in SQL)."""
    ordered = sorted(set(days))
    gaps = [(b - a).days for a, b in zip(ordered, ordered[1:])]
    return float(median(gaps)) if gaps else None


def next_due(last_contact: dt.date | None, cadence_days: int) -> dt.date | None:
    """The day someone becomes overdue: last contact + cadence."""
    if last_contact is None:
        return None
    return last_contact + dt.timedelta(days=cadence_days)


def status(last_contact: dt.date | None, cadence_days: int, *, today: dt.date) -> str:
    """'ok' within cadence, 'due' once last + cadence is reached, 'overdue' past
    twice the cadence, 'never' with no contact logged."""
    if last_contact is None:
        return "never"
    silent = (today - last_contact).days
    if silent >= 2 * cadence_days:
        return "overdue"
    if silent >= cadence_days:
        return "due"
    return "ok"


# ----------------------------------------------------------------- nudges

# The kinds of interaction that deserve a thank-you, and how to name them.
OWED_KINDS = {"help-received": "the help", "intro": "the introduction", "mentor-session": "the mentor session"}
TIER_WEIGHT = {"A": 40.0, "B": 30.0, "C": 20.0, "D": 10.0}


@dataclass(frozen=True)
class PersonFacts:
    """What the rules know about one (non-archived) person, up to as-of."""

    id: int
    name: str
    tier: str
    own_cadence_days: int | None
    topics: tuple[str, ...]
    last_contact: dt.date | None
    last_met: dt.date | None  # newest `met` interaction
    last_other: dt.date | None  # newest interaction of any other kind
    last_owed: dt.date | None  # newest help-received, intro or mentor-session
    last_owed_kind: str | None
    last_thanks: dt.date | None
    received_in_window: int  # help-received within give_back_window_days
    given_in_window: int
    last_received: dt.date | None
    contact_day_count: int = 0  # distinct days of contact
    median_gap: float | None = None  # median days between them


class Nudge:
    """One thing to do. Its words (action, reason, inputs) may be given as a
    function and are then written only when read: with a large network most
    nudges are ranked and never shown."""

    __slots__ = ("id", "rule", "contact", "contact_id", "due", "priority", "_words")

    def __init__(
        self,
        *,
        id: str,
        rule: str,
        contact: str | None,
        contact_id: int | None,
        due: dt.date,
        priority: float,
        action: str = "",
        reason: str = "",
        inputs: dict | None = None,
        words: Callable[[], tuple[str, str, dict]] | None = None,
    ) -> None:
        self.id, self.rule, self.contact, self.contact_id = id, rule, contact, contact_id
        self.due, self.priority = due, priority
        self._words: Callable[[], tuple[str, str, dict]] | tuple[str, str, dict] = (
            words if words is not None else (action, reason, inputs or {})
        )

    def _text(self) -> tuple[str, str, dict]:
        if callable(self._words):
            self._words = self._words()
        return self._words

    @property
    def action(self) -> str:
        return self._text()[0]

    @property
    def reason(self) -> str:
        return self._text()[1]

    @property
    def inputs(self) -> dict:
        return self._text()[2]

    def __repr__(self) -> str:
        return f"Nudge({self.id} {self.rule} {self.contact!r} due {self.due} priority {self.priority})"

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "rule": self.rule,
            "action": self.action,
            "contact": self.contact,
            "contact_id": self.contact_id,
            "due": self.due,
            "priority": self.priority,
            "reason": self.reason,
        }


def nudge_id(rule: str, subject: object, cycle: object) -> str:
    """Short and stable: the same rule, subject and cycle give the same id."""
    import hashlib

    return hashlib.sha1(f"{rule}|{subject}|{cycle}".encode()).hexdigest()[:7]


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _follow_up(p: PersonFacts, today: dt.date, config: Config) -> Nudge | None:
    window = config.rule("follow_up_window_days")
    if p.last_met is None or not (today - dt.timedelta(days=window) <= p.last_met <= today):
        return None
    if p.last_other is not None and p.last_other >= p.last_met:
        return None
    since = (today - p.last_met).days
    due = p.last_met + dt.timedelta(days=config.rule("follow_up_due_days"))
    when = "today" if since == 0 else f"{_days(since)} ago"
    return Nudge(
        id=nudge_id("follow-up", p.id, p.last_met),
        rule="follow-up",
        action=f"Follow up with {p.name} while the meeting is fresh.",
        contact=p.name,
        contact_id=p.id,
        due=due,
        priority=round(75.0 + min(since, window), 1),
        reason=f"you met {when} ({p.last_met.isoformat()}) and have logged nothing with them since; "
        f"the moment passes {window} days after meeting",
        inputs={"met_on": p.last_met, "days_since": since, "window_days": window,
                "due_after_days": config.rule("follow_up_due_days")},  # fmt: skip
    )


def _reconnect(p: PersonFacts, today: dt.date, config: Config) -> Nudge | None:
    if p.last_contact is None:
        return None
    found = rhythm(
        tier=p.tier,
        own_cadence_days=p.own_cadence_days,
        contact_day_count=p.contact_day_count,
        median_gap=p.median_gap,
        config=config,
    )
    due = next_due(p.last_contact, found.cadence_days)
    assert due is not None
    if due > today:
        return None
    silent = (today - p.last_contact).days
    overdue = (today - due).days
    ratio = overdue / found.cadence_days

    def words() -> tuple[str, str, dict]:
        if found.source == "learned":
            why = f"you usually talk every {_fmt_days(found.median_gap)} days"
            learned = (found.median_gap or 0) * config.rule("learned_factor")
            if found.cadence_days == config.tier_cadence(p.tier) and found.cadence_days < learned:
                why += f", and tier {p.tier} asks for every {found.cadence_days}"
            why += f"; it has been {silent}"
        elif found.source == "own":
            why = f"you wanted to be in touch every {found.cadence_days} days; it has been {silent}"
        else:
            why = f"tier {p.tier} means every {found.cadence_days} days; it has been {silent}"
        topics = f" (ask about {', '.join(p.topics[:2])})" if p.topics else ""
        inputs = {"last_contact": p.last_contact, "days_since": silent, "cadence_days": found.cadence_days,
                  "cadence_source": found.source, "median_gap_days": found.median_gap,
                  "days_overdue": overdue, "tier": p.tier}  # fmt: skip
        return f"Reconnect with {p.name}{topics}.", f"{why} (last contact {p.last_contact.isoformat()})", inputs

    return Nudge(
        id=nudge_id("reconnect", p.id, p.last_contact),
        rule="reconnect",
        contact=p.name,
        contact_id=p.id,
        due=due,
        priority=round(min(70.0, TIER_WEIGHT.get(p.tier, 20.0) + 20.0 * ratio), 1),
        words=words,
    )


def _thank(p: PersonFacts, today: dt.date, config: Config) -> Nudge | None:
    if p.last_owed is None or (p.last_thanks is not None and p.last_thanks >= p.last_owed):
        return None
    due = p.last_owed + dt.timedelta(days=config.rule("thank_due_days"))
    waiting = (today - p.last_owed).days
    what = OWED_KINDS.get(p.last_owed_kind or "", "their help")
    return Nudge(
        id=nudge_id("thank", p.id, p.last_owed),
        rule="thank",
        action=f"Thank {p.name} for {what}.",
        contact=p.name,
        contact_id=p.id,
        due=due,
        priority=round(80.0 + min(max(waiting, 0), 20), 1),
        reason=f"{p.last_owed_kind} on {p.last_owed.isoformat()} ({_days(waiting)} ago) and no thanks logged since",
        inputs={"owed_kind": p.last_owed_kind, "owed_on": p.last_owed, "last_thanks": p.last_thanks,
                "due_after_days": config.rule("thank_due_days")},  # fmt: skip
    )


def _give_back(p: PersonFacts, today: dt.date, config: Config) -> Nudge | None:
    margin = config.rule("give_back_margin")
    surplus = p.received_in_window - p.given_in_window
    if surplus < margin or p.last_received is None:
        return None
    window = config.rule("give_back_window_days")
    times = lambda n: "once" if n == 1 else "twice" if n == 2 else f"{n} times"  # noqa: E731
    given = "not at all" if p.given_in_window == 0 else times(p.given_in_window)
    return Nudge(
        id=nudge_id("give-back", p.id, (p.last_received, p.given_in_window)),
        rule="give-back",
        action=f"Give back to {p.name}: offer your help, an introduction or a resource.",
        contact=p.name,
        contact_id=p.id,
        due=today,
        priority=round(35.0 + 5.0 * (surplus - margin), 1),
        reason=f"they helped you {times(p.received_in_window)} in the last {window} days "
        f"and you helped them {given}",
        inputs={"help_received": p.received_in_window, "help_given": p.given_in_window,
                "window_days": window, "margin": margin},  # fmt: skip
    )


PERSON_RULES = {
    "follow-up": _follow_up,
    "reconnect": _reconnect,
    "thank": _thank,
    "give-back": _give_back,
}


@dataclass(frozen=True)
class MentorFacts:
    contact_id: int
    name: str
    status: str
    archived: bool
    own_cadence_days: int | None
    started_on: dt.date | None
    ended_on: dt.date | None
    last_session: dt.date | None
    open_questions: int
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoalFacts:
    id: int
    title: str
    created_on: dt.date
    last_activity: dt.date
    # (contact id, name, tier, last contact): people linked to the goal, and
    # others whose topics match it
    linked: tuple[tuple[int, str, str, dt.date | None], ...] = ()
    experts: tuple[tuple[int, str, str, dt.date | None], ...] = ()


@dataclass(frozen=True)
class EventFacts:
    id: int
    name: str
    date: dt.date
    online: bool
    community: str | None
    people: tuple[str, ...] = ()  # whom to look for there, closest first


def mentor_cadence(m: MentorFacts, config: Config) -> int:
    return m.own_cadence_days or config.rule("mentor_cadence_days")


def mentor_due(m: MentorFacts, config: Config) -> dt.date | None:
    """When the next session is due: last session + cadence; a new mentor's
    first session is due the day they became active."""
    if m.status != "active":
        return None
    if m.last_session is not None:
        return m.last_session + dt.timedelta(days=mentor_cadence(m, config))
    return m.started_on


def _mentor_meeting(m: MentorFacts, today: dt.date, config: Config) -> Nudge | None:
    due = mentor_due(m, config)
    window = config.rule("mentor_due_window_days")
    if due is None or m.archived or (due - today).days > window:
        return None
    cadence = mentor_cadence(m, config)
    late = (today - due).days
    if m.last_session is not None:
        since = (today - m.last_session).days
        why = f"last session {m.last_session.isoformat()} ({_days(since)} ago); you meet every {cadence} days"
    else:
        why = "no session logged since they became your mentor"
    when = "today" if late == 0 else (f"{_days(late)} ago" if late > 0 else f"in {_days(-late)}")
    return Nudge(
        id=nudge_id("mentor-meeting", m.contact_id, m.last_session or m.started_on),
        rule="mentor-meeting",
        action=f"Hold your mentor session with {m.name}." if m.last_session
        else f"Schedule your first mentor session with {m.name}.",
        contact=m.name,
        contact_id=m.contact_id,
        due=due,
        priority=round(70.0 + min(late, 20) if late >= 0 else 60.0 + (window + late), 1),
        reason=f"{why}; the next one was due {when} ({due.isoformat()})",
        inputs={"last_session": m.last_session, "cadence_days": cadence, "due": due,
                "window_days": window, "open_questions": m.open_questions},  # fmt: skip
    )


def _mentor_prep(m: MentorFacts, today: dt.date, config: Config) -> Nudge | None:
    meeting = _mentor_meeting(m, today, config)
    if meeting is None or m.open_questions > 0:
        return None
    return Nudge(
        id=nudge_id("mentor-prep", m.contact_id, m.last_session or m.started_on),
        rule="mentor-prep",
        action=f"Prepare questions for your session with {m.name} (netcli mentor ask).",
        contact=m.name,
        contact_id=m.contact_id,
        due=meeting.due - dt.timedelta(days=1) if meeting.due > today else today,
        priority=round(meeting.priority - 5.0, 1),
        reason=f"a session is due {meeting.due.isoformat()} and you have no questions prepared",
        inputs={"session_due": meeting.due, "open_questions": 0},
    )


def _helper(people: Sequence[tuple[int, str, str, dt.date | None]]) -> tuple[int, str, str, dt.date | None] | None:
    """The closest person: best tier, then most recent contact."""
    if not people:
        return None
    return min(people, key=lambda p: (p[2], -(p[3].toordinal() if p[3] else 0), p[1]))


def _goal_stalled(g: GoalFacts, today: dt.date, config: Config) -> Nudge | None:
    limit = config.rule("goal_stall_days")
    idle = (today - g.last_activity).days
    if idle < limit:
        return None
    linked, expert = _helper(g.linked), _helper(g.experts)
    if linked is not None:
        ask, who = f": ask {linked[1]}, who is linked to it", linked
    elif expert is not None:
        ask, who = f": ask {expert[1]}, who knows about it", expert
    else:
        ask, who = ": log progress, or link someone who can help (netcli goal link)", None
    return Nudge(
        id=nudge_id("goal-stalled", g.id, g.last_activity),
        rule="goal-stalled",
        action=f"Move '{g.title}' forward{ask}.",
        contact=who[1] if who else None,
        contact_id=who[0] if who else None,
        due=g.last_activity + dt.timedelta(days=limit),
        priority=round(30.0 + min((idle - limit) / 7.0, 20.0), 1),
        reason=f"no progress or linked interaction for {idle} days (since {g.last_activity.isoformat()}); "
        f"a goal stalls after {limit}",
        inputs={"goal_id": g.id, "last_activity": g.last_activity, "idle_days": idle, "stall_days": limit},
    )


def _event_upcoming(e: EventFacts, today: dt.date, config: Config) -> Nudge | None:
    window = config.rule("event_window_days")
    ahead = (e.date - today).days
    if not 0 <= ahead <= window:
        return None
    where = " (online)" if e.online else ""
    look = f"; look for {', '.join(e.people)}" if e.people else ""
    when = "today" if ahead == 0 else ("tomorrow" if ahead == 1 else f"in {ahead} days")
    source = f" from {e.community}" if e.community else ""
    return Nudge(
        id=nudge_id("event-upcoming", e.id, e.date),
        rule="event-upcoming",
        action=f"Go to {e.name}{where} on {e.date.isoformat()}{look}.",
        contact=None,
        contact_id=None,
        due=e.date,
        priority=round(60.0 + (window - ahead), 1),
        reason=f"{e.name} is {when}" + (f"; people you know{source} may be there" if e.people else ""),
        inputs={"event_id": e.id, "date": e.date, "days_ahead": ahead, "window_days": window},
    )


def evaluate(
    people: Sequence[PersonFacts],
    *,
    today: dt.date,
    config: Config,
    mentors: Sequence[MentorFacts] = (),
    goals: Sequence[GoalFacts] = (),
    events: Sequence[EventFacts] = (),
) -> list[Nudge]:
    """Every nudge the facts call for as of `today`, highest priority first."""
    on = config.enabled
    found: list[Nudge] = []
    # an active mentor's rhythm is the mentor cadence: mentor-meeting, not reconnect
    mentored = {m.contact_id for m in mentors if m.status == "active"}
    for person in people:
        fired: dict[str, Nudge] = {}
        for name, rule in PERSON_RULES.items():
            if not on.get(name, True):
                continue
            if name == "reconnect" and ("follow-up" in fired or person.id in mentored):
                continue
            nudge = rule(person, today, config)
            if nudge is not None:
                fired[name] = nudge
        found.extend(fired.values())
    for name, rule, subjects in (
        ("mentor-meeting", _mentor_meeting, mentors),
        ("mentor-prep", _mentor_prep, mentors),
        ("goal-stalled", _goal_stalled, goals),
        ("event-upcoming", _event_upcoming, events),
    ):
        if on.get(name, True):
            found.extend(n for n in (rule(s, today, config) for s in subjects) if n is not None)
    return order(found)


def order(nudges: Sequence[Nudge]) -> list[Nudge]:
    """One ordering for every rule: priority, then earliest due, then a stable tiebreak."""
    return sorted(nudges, key=lambda n: (-n.priority, n.due, n.rule, n.contact or "", n.id))


@dataclass(frozen=True)
class NudgeMark:
    """What the user did with a nudge id: snoozed until a day, dismissed or done."""

    state: str
    until: dt.date | None = None


def visible(nudges: Sequence[Nudge], marks: dict[str, NudgeMark], *, today: dt.date) -> list[Nudge]:
    """Drop dismissed and done nudges, and snoozed ones until their day comes."""
    shown = []
    for nudge in nudges:
        mark = marks.get(nudge.id)
        if mark is None:
            shown.append(nudge)
        elif mark.state == "snoozed" and mark.until is not None and mark.until <= today:
            shown.append(nudge)
    return shown


def went_quiet(people: Sequence[PersonFacts], *, start: dt.date, end: dt.date, config: Config) -> list[str]:
    """Who became overdue between start and end (inclusive) and still was at
    end: their last contact + cadence fell in the range. Facts are as of end."""
    names = []
    for p in people:
        if p.last_contact is None:
            continue
        found = rhythm(tier=p.tier, own_cadence_days=p.own_cadence_days, contact_day_count=p.contact_day_count,
                       median_gap=p.median_gap, config=config)  # fmt: skip
        due = next_due(p.last_contact, found.cadence_days)
        if due is not None and start <= due <= end:
            names.append(p.name)
    return names
