"""The rules: facts in, nudges out. Pure.

Nothing here touches the database, the clock, the terminal or the network:
every function takes the facts gathered by `store`, the `today` the CLI
resolved once, and the validated `Config`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import heapq
import math
import re
from hashlib import sha1
from dataclasses import dataclass
from statistics import median
from typing import Any, Callable, NamedTuple, Sequence

from netcli.config import Config
from netcli.wording import count


class Rhythm(NamedTuple):
    """The keep-in-touch cadence in force for one person, and where it comes from."""

    cadence_days: int
    source: str  # "own", "learned", "tier" or "mentor"
    median_gap: float | None = None


def _fmt_days(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _ago(days: int) -> str:
    return "today" if days == 0 else "yesterday" if days == 1 else f"{count(days, 'day')} ago"


class Cadences(NamedTuple):
    """The config values a cadence is made of, read once per evaluation."""

    tiers: dict[str, int]
    default_days: int  # tier C's, for an unknown tier
    learned: bool
    learned_min_days: int
    learned_factor: float
    learned_floor_days: int
    known: dict[tuple[str, float | None], Rhythm]  # worked out already: people share tiers and gaps
    config: Config

    @classmethod
    def of(cls, config: Config) -> "Cadences":
        return cls(config.tiers, config.tier_cadence("C"), config.rule("learned_rhythm"),
                   config.rule("learned_min_days"), config.rule("learned_factor"),
                   config.rule("learned_floor_days"), {}, config)  # fmt: skip

    def in_force(self, tier: str, own_cadence_days: int | None, contact_day_count: int,
                 median_gap: float | None, mentor: "MentorFacts | None" = None) -> Rhythm:  # fmt: skip
        """The cadence the rules keep with this person, and its kind: every
        view (show, list, the nudge's reason, mentor list) states this one.
        An active mentor's is the mentor cadence (`mentor-meeting` keeps it,
        not `reconnect`); anyone else's is `rhythm`."""
        if mentor is not None and mentor.status == "active":
            return Rhythm(mentor_cadence(mentor, self.config), "mentor")
        return self.rhythm(tier, own_cadence_days, contact_day_count, median_gap)

    def next_due(self, found: Rhythm, last_contact: dt.date | None, mentor: "MentorFacts | None" = None) -> dt.date | None:
        """When the cadence in force (`in_force`) is reached: an active
        mentor's next session, else last contact + cadence."""
        if found.source == "mentor" and mentor is not None:
            return mentor_due(mentor, self.config)
        return next_due(last_contact, found.cadence_days)

    def rhythm(self, tier: str, own_cadence_days: int | None, contact_day_count: int,
               median_gap: float | None) -> Rhythm:  # fmt: skip
        """Own cadence, else the learned rhythm, else the tier's cadence.

        The learned rhythm: with contact in at least `learned_min_days`
        different weeks (`contact_day_count`), `learned_factor` x the median
        gap between those weeks, kept between `learned_floor_days` and the
        tier's cadence.
        """
        if own_cadence_days:
            return Rhythm(own_cadence_days, "own")
        learns = self.learned and contact_day_count >= self.learned_min_days
        key = (tier, median_gap if learns else None)
        found = self.known.get(key)
        if found is None:
            tier_days = self.tiers.get(tier, self.default_days)
            gap = key[1]
            if gap is None:
                found = Rhythm(tier_days, "tier")
            else:
                learned = math.floor(self.learned_factor * gap + 0.5)  # half up
                floor = min(self.learned_floor_days, tier_days)
                found = Rhythm(max(floor, min(learned, tier_days)), "learned", gap)
            self.known[key] = found
        return found

    def bounds(self, tier: str, own_cadence_days: int | None) -> tuple[int, int]:
        """The shortest and longest cadence `rhythm` can give this person,
        whatever their history."""
        if own_cadence_days:
            return own_cadence_days, own_cadence_days
        tier_days = self.tiers.get(tier, self.default_days)
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
    weeks = contact_weeks(days)
    gaps = [7 * (b - a) for a, b in zip(weeks, weeks[1:])]
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


# ----------------------------------------------------------------- nudges

# The kinds of interaction that deserve a thank-you, and how to name them.
OWED_KINDS = {"help-received": "the help", "intro": "the introduction", "mentor-session": "the mentor session"}
TIER_WEIGHT = {"A": 40.0, "B": 30.0, "C": 20.0, "D": 10.0}


class PersonFacts(NamedTuple):
    """What the rules know about one (non-archived) person, up to as-of. A
    named tuple: a network of 100,000 people is 100,000 of these."""

    id: int
    name: str
    tier: str
    own_cadence_days: int | None
    last_contact: dt.date | None
    last_met: dt.date | None  # newest `met` interaction
    last_other: dt.date | None  # newest interaction of any other kind
    last_owed: dt.date | None  # newest help-received, intro or mentor-session
    last_owed_kind: str | None
    last_thanks: dt.date | None
    received_in_window: int  # help-received within give_back_window_days
    given_in_window: int
    last_received: dt.date | None
    contact_day_count: int = 0  # distinct weeks of contact (see `contact_weeks`)
    median_gap: float | None = None  # median days between them
    topics: tuple[str, ...] | None = ()  # None when not read: ranking never does (see WORDS_READ_TOPICS)


class Nudge:
    """One thing to do. Its id and words (action, reason, inputs) are written
    only when read: with a large network most nudges are ranked and never
    shown. `subject` is the person, goal or event the rule is about, and
    `cycle` what a new cycle changes (e.g. the last contact): the id is a hash
    of the rule, the subject and the cycle, so it stays the same until the
    facts move on."""

    __slots__ = ("rule", "subject", "cycle", "contact", "contact_id", "due", "priority", "_id", "_words")

    def __init__(
        self,
        *,
        rule: str,
        subject: int,
        cycle: object,
        contact: str | None,
        contact_id: int | None,
        due: dt.date,
        priority: float,
        action: str = "",
        reason: str = "",
        inputs: dict | None = None,
        words: Callable[[], tuple[str, str, dict]] | None = None,
    ) -> None:
        self.rule, self.subject, self.cycle = rule, subject, cycle
        self.contact, self.contact_id, self.due, self.priority = contact, contact_id, due, priority
        self._id: str | None = None
        self._words: Callable[[], tuple[str, str, dict]] | tuple[str, str, dict] = (
            words if words is not None else (action, reason, inputs or {})
        )

    @property
    def id(self) -> str:
        if self._id is None:
            self._id = nudge_id(self.rule, self.subject, self.cycle)
        return self._id

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
    return sha1(f"{rule}|{subject}|{cycle}".encode()).hexdigest()[:7]




class Day(NamedTuple):
    """One evaluation's day and config, with every threshold the person rules
    read looked up once (a network may have 100,000 people)."""

    today: dt.date
    config: Config
    cadences: Cadences
    follow_up_window: int
    follow_up_due: dt.timedelta
    thank_due: dt.timedelta
    give_back_margin: int
    give_back_window: int

    @classmethod
    def of(cls, today: dt.date, config: Config) -> "Day":
        return cls(today, config, Cadences.of(config), config.rule("follow_up_window_days"),
                   dt.timedelta(days=config.rule("follow_up_due_days")),
                   dt.timedelta(days=config.rule("thank_due_days")), config.rule("give_back_margin"),
                   config.rule("give_back_window_days"))  # fmt: skip


def _follow_up(p: PersonFacts, day: Day) -> Nudge | None:
    met, today, window = p.last_met, day.today, day.follow_up_window
    if met is None or met > today or (p.last_other is not None and p.last_other >= met):
        return None
    since = (today - met).days
    if since > window:
        return None

    def words() -> tuple[str, str, dict]:
        when = "today" if since == 0 else f"{count(since, 'day')} ago"
        return (
            f"Follow up with {p.name} while the meeting is fresh.",
            f"you met {when} ({met.isoformat()}) and have logged nothing with them since; "
            f"the moment passes {count(window, 'day')} after meeting",
            {"met_on": met, "days_since": since, "window_days": window, "due_after_days": day.follow_up_due.days},
        )

    return Nudge(rule="follow-up", subject=p.id, cycle=met, contact=p.name, contact_id=p.id,
                 due=met + day.follow_up_due, priority=75.0 + min(since, window), words=words)  # fmt: skip


def _reconnect(p: PersonFacts, day: Day, mentor: MentorFacts | None = None) -> Nudge | None:
    last, today = p.last_contact, day.today
    if last is None:
        return None
    found = day.cadences.in_force(p.tier, p.own_cadence_days, p.contact_day_count, p.median_gap, mentor)
    if found.source == "mentor":  # their sessions are the rhythm: mentor-meeting
        return None
    silent = (today - last).days
    if silent < found.cadence_days:
        return None
    overdue = silent - found.cadence_days

    def words() -> tuple[str, str, dict]:
        if found.source == "learned":
            usual = f"you usually talk every {_fmt_days(found.median_gap)} days"
            learned = (found.median_gap or 0) * day.cadences.learned_factor
            if found.cadence_days == day.config.tier_cadence(p.tier) and found.cadence_days < learned:
                usual += f", and tier {p.tier} asks for every {found.cadence_days}"
            why = f"your rhythm is every {count(found.cadence_days, 'day')} (learned: {usual}); it has been {silent}"
        elif found.source == "own":
            why = f"you wanted to be in touch every {count(found.cadence_days, 'day')}; it has been {silent}"
        else:
            why = f"tier {p.tier} means every {count(found.cadence_days, 'day')}; it has been {silent}"
        topics = f" (ask about {', '.join(p.topics[:2])})" if p.topics else ""
        inputs = {"last_contact": last, "days_since": silent, "cadence_days": found.cadence_days,
                  "cadence_source": found.source, "median_gap_days": found.median_gap,
                  "days_overdue": overdue, "tier": p.tier}  # fmt: skip
        return f"Reconnect with {p.name}{topics}.", f"{why} (last contact {last.isoformat()})", inputs

    priority = round(min(70.0, TIER_WEIGHT.get(p.tier, 20.0) + 20.0 * overdue / found.cadence_days), 1)
    due = dt.date.fromordinal(last.toordinal() + found.cadence_days)  # today - overdue, without a timedelta
    return Nudge(rule="reconnect", subject=p.id, cycle=last, contact=p.name, contact_id=p.id, due=due,
                 priority=priority, words=words)  # fmt: skip


def _thank(p: PersonFacts, day: Day) -> Nudge | None:
    owed = p.last_owed
    if owed is None or (p.last_thanks is not None and p.last_thanks >= owed):
        return None
    waiting = (day.today - owed).days

    def words() -> tuple[str, str, dict]:
        what = OWED_KINDS.get(p.last_owed_kind or "", "their help")
        return (
            f"Thank {p.name} for {what}.",
            f"{p.last_owed_kind} on {owed.isoformat()} ({_ago(waiting)}) and no thanks logged since",
            {"owed_kind": p.last_owed_kind, "owed_on": owed, "last_thanks": p.last_thanks,
             "due_after_days": day.thank_due.days},  # fmt: skip
        )

    return Nudge(rule="thank", subject=p.id, cycle=owed, contact=p.name, contact_id=p.id, due=owed + day.thank_due,
                 priority=80.0 + min(max(waiting, 0), 20), words=words)  # fmt: skip


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _give_back(p: PersonFacts, day: Day) -> Nudge | None:
    margin = day.give_back_margin
    surplus = p.received_in_window - p.given_in_window
    if surplus < margin or p.last_received is None:
        return None

    def words() -> tuple[str, str, dict]:
        given = "not at all" if p.given_in_window == 0 else _times(p.given_in_window)
        return (
            f"Give back to {p.name}: offer your help, an introduction or a resource.",
            f"they helped you {_times(p.received_in_window)} in the last {count(day.give_back_window, 'day')} "
            f"and you helped them {given}",
            {"help_received": p.received_in_window, "help_given": p.given_in_window,
             "window_days": day.give_back_window, "margin": margin},  # fmt: skip
        )

    # the cycle is the newest help received: giving back (what `done` logs) must not start a new one
    return Nudge(rule="give-back", subject=p.id, cycle=p.last_received, contact=p.name,
                 contact_id=p.id, due=day.today, priority=round(35.0 + 5.0 * (surplus - margin), 1),
                 words=words)  # fmt: skip



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
    sessions_from: dt.date | None = None  # mentor add --since: the rhythm counts from then


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
    first session is due the day they became active, or one cadence after
    the day sessions count from (`mentor add --since`)."""
    if m.status != "active":
        return None
    if m.last_session is not None:
        return m.last_session + dt.timedelta(days=mentor_cadence(m, config))
    if m.sessions_from is not None:
        return m.sessions_from + dt.timedelta(days=mentor_cadence(m, config))
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
        why = f"last session {m.last_session.isoformat()} ({_ago(since)}); you meet every {count(cadence, 'day')}"
    else:
        why = f"no session logged since they became your mentor ({m.started_on.isoformat() if m.started_on else 'recently'})"
    when = "today" if late == 0 else (f"{count(late, 'day')} ago" if late > 0 else f"in {count(-late, 'day')}")
    return Nudge(
        rule="mentor-meeting",
        subject=m.contact_id,
        cycle=m.last_session or m.started_on,
        action=f"Hold your mentor session with {m.name}." if m.last_session
        else f"Schedule your first mentor session with {m.name}.",
        contact=m.name,
        contact_id=m.contact_id,
        due=due,
        priority=round(70.0 + min(late, 20) if late >= 0 else 60.0 + (window + late), 1),
        reason=f"{why}; the next one was due {when} ({due.isoformat()})",
        inputs={"last_session": m.last_session, "cadence_days": cadence, "cadence_source": "mentor", "due": due,
                "window_days": window, "open_questions": m.open_questions},  # fmt: skip
    )


def _mentor_prep(m: MentorFacts, today: dt.date, config: Config) -> Nudge | None:
    meeting = _mentor_meeting(m, today, config)
    if meeting is None or m.open_questions > 0:
        return None
    return Nudge(
        rule="mentor-prep",
        subject=m.contact_id,
        cycle=m.last_session or m.started_on,
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
        rule="goal-stalled",
        subject=g.id,
        cycle=g.last_activity,
        action=f"Move '{g.title}' forward{ask}.",
        contact=who[1] if who else None,
        contact_id=who[0] if who else None,
        due=g.last_activity + dt.timedelta(days=limit),
        priority=round(30.0 + min((idle - limit) / 7.0, 20.0), 1),
        reason=f"no progress or linked interaction for {count(idle, 'day')} (since {g.last_activity.isoformat()}); "
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
    when = "today" if ahead == 0 else ("tomorrow" if ahead == 1 else f"in {count(ahead, 'day')}")
    source = f" from {e.community}" if e.community else ""
    return Nudge(
        rule="event-upcoming",
        subject=e.id,
        cycle=e.date,
        action=f"Go to {e.name}{where} on {e.date.isoformat()}{look}.",
        contact=None,
        contact_id=None,
        due=e.date,
        priority=round(60.0 + (window - ahead), 1),
        reason=f"{e.name} is {when}" + (f"; people you know{source} may be there" if e.people else ""),
        inputs={"event_id": e.id, "date": e.date, "days_ahead": ahead, "window_days": window},
    )


@dataclass(frozen=True)
class BirthdayFacts:
    contact_id: int  # a contact who is not archived
    name: str
    birthday: str  # as stored: YYYY-MM-DD, --MM-DD, or as a vCard gave it


_BIRTHDAY = re.compile(r"^(?:(\d{4})-?|--)(\d{2})-?(\d{2})$")


def birthday_in(text: str, year: int) -> dt.date | None:
    """The day a stored birthday falls on in `year` (Feb 29 on Feb 28 in a
    common year); None when the text names no month and day."""
    match = _BIRTHDAY.match(text.strip())
    if match is None:
        return None
    month, day = int(match[2]), int(match[3])
    if month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _birthday(b: BirthdayFacts, today: dt.date, config: Config) -> Nudge | None:
    window = config.rule("birthday_days")
    this_year = birthday_in(b.birthday, today.year)
    if this_year is None:
        return None
    day = this_year if this_year >= today else birthday_in(b.birthday, today.year + 1)
    if day is None or (day - today).days > window:
        return None
    ahead = (day - today).days
    when = "today" if ahead == 0 else day.strftime("%A")
    born = _BIRTHDAY.match(b.birthday.strip())[1]  # type: ignore[index]
    # a year before 1900 is a placeholder (Apple Contacts writes 1604 for "no year")
    turns = f"; they turn {day.year - int(born)}" if born and 1900 <= int(born) < day.year else ""
    return Nudge(
        rule="birthday",
        subject=b.contact_id,
        cycle=day,
        action=f"Wish {b.name} a happy birthday ({when}).",
        contact=b.name,
        contact_id=b.contact_id,
        due=day,
        priority=round(65.0 + (window - ahead), 1),
        reason=f"{b.name}'s birthday is {'today' if ahead == 0 else 'in ' + count(ahead, 'day')} "
        f"({day.strftime('%A')} {day.isoformat()}){turns}",
        inputs={"birthday": b.birthday, "date": day, "days_ahead": ahead, "window_days": window},
    )


def fire(
    people: Sequence[PersonFacts],
    *,
    today: dt.date,
    config: Config,
    mentors: Sequence[MentorFacts] = (),
    goals: Sequence[GoalFacts] = (),
    events: Sequence[EventFacts] = (),
    birthdays: Sequence[BirthdayFacts] = (),
) -> list[Nudge]:
    """Every nudge the facts call for as of `today`, in no particular order
    (see `order`)."""
    on = config.enabled
    day = Day.of(today, config)
    follow_up, reconnect, thank, give_back = (on.get(name, True) for name in ("follow-up", "reconnect", "thank", "give-back"))
    # an active mentor's rhythm is the mentor cadence: mentor-meeting, not reconnect
    mentored = {m.contact_id: m for m in mentors if m.status == "active"}
    found: list[Nudge] = []
    add = found.append
    for person in people:  # each rule is called only when its first condition can hold
        followed = follow_up and person.last_met is not None and _follow_up(person, day)
        if followed:
            add(followed)
        elif reconnect and person.last_contact is not None:
            if nudge := _reconnect(person, day, mentored.get(person.id)):
                add(nudge)
        if thank and person.last_owed is not None and (nudge := _thank(person, day)):
            add(nudge)
        if give_back and person.received_in_window and (nudge := _give_back(person, day)):
            add(nudge)
    for name, rule, subjects in (
        ("mentor-meeting", _mentor_meeting, mentors),
        ("mentor-prep", _mentor_prep, mentors),
        ("goal-stalled", _goal_stalled, goals),
        ("event-upcoming", _event_upcoming, events),
        ("birthday", _birthday, birthdays),
    ):
        if on.get(name, True):
            found.extend(n for n in (rule(s, today, config) for s in subjects) if n is not None)
    return found


def evaluate(people: Sequence[PersonFacts], **context: Any) -> list[Nudge]:
    """Every nudge the facts call for, highest priority first: `fire` (same
    arguments), then `order`."""
    return order(fire(people, **context))


def _rank(n: Nudge) -> tuple:
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


@dataclass(frozen=True)
class NudgeMark:
    """What the user did with a nudge id: snoozed until a day, dismissed or
    done; `contact_id` is the marked nudge's contact."""

    state: str
    until: dt.date | None = None
    contact_id: int | None = None


# Rules whose words name the person's topics ("ask about rust"): nothing else
# reads them, so ranking can do without.
WORDS_READ_TOPICS = frozenset({"reconnect"})

# Rules whose subject is the nudge's contact: their ids hash that contact, so
# only a mark carrying the same contact can match one of them.
CONTACT_RULES = frozenset({"follow-up", "reconnect", "thank", "give-back", "mentor-meeting", "mentor-prep", "birthday"})


def visible(nudges: Sequence[Nudge], marks: dict[str, NudgeMark], *, today: dt.date) -> list[Nudge]:
    """Drop dismissed and done nudges, and snoozed ones until their day comes."""
    if not marks:
        return list(nudges)
    marked = {mark.contact_id for mark in marks.values()}
    shown = []
    for nudge in nudges:
        if nudge.rule in CONTACT_RULES and nudge.contact_id not in marked:  # spares hashing every id
            shown.append(nudge)
            continue
        mark = marks.get(nudge.id)
        if mark is None:
            shown.append(nudge)
        elif mark.state == "snoozed" and mark.until is not None and mark.until <= today:
            shown.append(nudge)
    return shown


def went_quiet(people: Sequence[PersonFacts], *, start: dt.date, end: dt.date, config: Config,
               mentors: Sequence[MentorFacts] = ()) -> list[str]:  # fmt: skip
    """Who went quiet in the month start..end (inclusive; end may be as-of):
    nothing with them in it, overdue by its end by their cadence in force
    (`Cadences.in_force`: an active mentor's sessions), and either their due
    day fell in it or they were in touch in the month before (then it is their
    first whole month of silence). So nobody in touch that month is named, and
    a silence is named once. Facts are as of end. Closest tiers first, then by
    name."""
    cadences = Cadences.of(config)
    first, final = start.toordinal(), end.toordinal()
    before = (start - dt.timedelta(days=1)).replace(day=1).toordinal()
    spans: dict[tuple[str, int | None], tuple[dt.date, dt.date]] = {}
    active = {m.contact_id: m for m in mentors if m.status == "active"}
    found = []
    for p in people:
        last = p.last_contact
        if last is None:
            continue
        mentor = active.get(p.id)
        if mentor is not None:  # their sessions are the rhythm
            next_one = cadences.next_due(cadences.in_force(p.tier, None, 0, None, mentor), last, mentor)
            if next_one is None:
                continue
            due = next_one.toordinal()
        else:
            key = (p.tier, p.own_cadence_days)
            span = spans.get(key)
            if span is None:  # the last contacts that can qualify, whatever their history
                shortest, longest = cadences.bounds(*key)
                earliest, latest = max(1, min(first - longest, before)), max(1, min(first - 1, final - shortest))
                span = spans[key] = (dt.date.fromordinal(earliest), dt.date.fromordinal(latest))
            if not span[0] <= last <= span[1]:
                continue
            due = last.toordinal() + cadences.rhythm(p.tier, p.own_cadence_days, p.contact_day_count, p.median_gap).cadence_days
        seen = last.toordinal()
        if seen < first and due <= final and (due >= first or seen >= before):
            found.append((p.tier, p.name.casefold(), p.name))
    return [name for *_, name in sorted(found)]
