"""The rules about learning: mentor sessions to hold and prepare, stalled
goals, events coming up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from netcli.rules.cadence import mentor_cadence, mentor_due
from netcli.rules.facts import EventFacts, GoalFacts, Helper, MentorFacts, Nudge, Words
from netcli.rules.people import ago
from netcli.rules.registry import Day, rule
from netcli.wording import count


def on_day(day: dt.date, today: dt.date) -> str:
    """A coming day as people say it: today, tomorrow, on Thursday, on 2027-01-14."""
    ahead = (day - today).days
    if ahead == 0:
        return "today"
    if ahead == 1:
        return "tomorrow"
    return f"on {day:%A}" if 1 < ahead < 7 else f"on {day.isoformat()}"


def _in(days: int) -> str:
    if days == 0:
        return "today"
    return f"{count(days, 'day')} ago" if days > 0 else f"in {count(-days, 'day')}"


@rule(
    name="mentor-meeting",
    brief="meet",
    subject="mentors",
    style="magenta",
    settings={"mentor_due_window_days": 3},
    done_logs="mentor-session",
    summary="""An active mentor's next session (the one on your calendar once `netcli capture calendar` has
    read it, else last session + their cadence, 4 weeks unless you set `--every`) is due within 3 days, or
    past. A new mentor's first session is due at once. Active mentors get this instead of `reconnect`.""",
)
def mentor_meeting(m: MentorFacts, day: Day) -> Nudge | None:
    today, window = day.today, day.setting("mentor_due_window_days")
    due = mentor_due(m, day.config)
    if due is None or m.archived or (due - today).days > window:
        return None
    cadence = mentor_cadence(m, day.config)
    late = (today - due).days

    def words() -> Words:
        if m.scheduled is not None:
            when = on_day(m.scheduled, today)
            inputs = {"scheduled": m.scheduled, "window_days": window, "open_questions": m.open_questions}
            why = f"your calendar has a session with {m.name} {when}"
            return f"Hold your session with {m.name} {when}.", why, inputs
        if m.last_session is not None:
            since = (today - m.last_session).days
            why = f"last session {m.last_session.isoformat()} ({ago(since)}); you meet every {count(cadence, 'day')}"
            action = f"Hold your mentor session with {m.name}."
        else:
            began = m.started_on.isoformat() if m.started_on else "recently"
            why = f"no session logged since they became your mentor ({began})"
            action = f"Schedule your first mentor session with {m.name}."
        inputs = {
            "last_session": m.last_session,
            "cadence_days": cadence,
            "cadence_source": "mentor",
            "due": due,
            "window_days": window,
            "open_questions": m.open_questions,
        }
        return action, f"{why}; the next one was due {_in(late)} ({due.isoformat()})", inputs

    return Nudge(
        rule="mentor-meeting",
        subject=m.contact_id,
        cycle=m.last_session or m.started_on,
        contact=m.name,
        contact_id=m.contact_id,
        due=due,
        priority=round(70.0 + min(late, 20) if late >= 0 else 60.0 + (window + late), 1),
        words=words,
    )


@rule(
    name="mentor-prep",
    brief="prepare questions for",
    subject="mentors",
    style="magenta",
    summary="A mentor session is coming up and you have no questions ready: `netcli mentor ask`.",
)
def mentor_prep(m: MentorFacts, day: Day) -> Nudge | None:
    if m.open_questions > 0:
        return None
    meeting = mentor_meeting.check(m, day)
    if meeting is None:
        return None
    session_due = meeting.due

    def words() -> Words:
        inputs = {"session_due": session_due, "open_questions": 0}
        if m.scheduled is not None:
            when = on_day(m.scheduled, day.today)
            action = f"Prepare questions for your session with {m.name} {when} (netcli mentor ask)."
            return action, f"session with {m.name} {when}; no questions prepared", {**inputs, "scheduled": m.scheduled}
        return (
            f"Prepare questions for your session with {m.name} (netcli mentor ask).",
            f"a session is due {session_due.isoformat()} and you have no questions prepared",
            inputs,
        )

    return Nudge(
        rule="mentor-prep",
        subject=m.contact_id,
        cycle=m.last_session or m.started_on,
        contact=m.name,
        contact_id=m.contact_id,
        due=session_due - dt.timedelta(days=1) if session_due > day.today else day.today,
        priority=round(meeting.priority - 5.0, 1),
        words=words,
    )


def _closest(people: Sequence[Helper]) -> Helper | None:
    """The closest person: best tier, then most recent contact."""
    if not people:
        return None
    return min(people, key=lambda p: (p[2], -(p[3].toordinal() if p[3] else 0), p[1]))


@rule(
    name="goal-stalled",
    subject="goals",
    style="red",
    settings={"goal_stall_days": 21},
    about_contact=False,
    summary="""An active goal has had no progress note and no linked interaction for 21 days. It names someone to
    ask: a person linked to the goal, else the closest person whose topics match.""",
)
def goal_stalled(g: GoalFacts, day: Day) -> Nudge | None:
    limit = day.setting("goal_stall_days")
    idle = (day.today - g.last_activity).days
    if idle < limit:
        return None
    linked, expert = _closest(g.linked), _closest(g.experts)
    who = linked or expert

    def words() -> Words:
        if linked is not None:
            ask = f": ask {linked[1]}, who is linked to it"
        elif expert is not None:
            ask = f": ask {expert[1]}, who knows about it"
        else:
            ask = ": log progress, or link someone who can help (netcli goal link)"
        return (
            f"Move '{g.title}' forward{ask}.",
            f"no progress or linked interaction for {count(idle, 'day')} (since {g.last_activity.isoformat()}); "
            f"a goal stalls after {limit}",
            {"goal_id": g.id, "last_activity": g.last_activity, "idle_days": idle, "stall_days": limit},
        )

    return Nudge(
        rule="goal-stalled",
        subject=g.id,
        cycle=g.last_activity,
        contact=who[1] if who else None,
        contact_id=who[0] if who else None,
        due=g.last_activity + dt.timedelta(days=limit),
        priority=round(30.0 + min((idle - limit) / 7.0, 20.0), 1),
        words=words,
    )


@rule(
    name="event-upcoming",
    subject="events",
    style="cyan",
    settings={"event_window_days": 7},
    about_contact=False,
    summary="An event is within the next 7 days; it suggests people from that community to look for.",
)
def event_upcoming(e: EventFacts, day: Day) -> Nudge | None:
    window = day.setting("event_window_days")
    ahead = (e.date - day.today).days
    if not 0 <= ahead <= window:
        return None

    def words() -> Words:
        where = " (online)" if e.online else ""
        look = f"; look for {', '.join(e.people)}" if e.people else ""
        when = "today" if ahead == 0 else ("tomorrow" if ahead == 1 else f"in {count(ahead, 'day')}")
        source = f" from {e.community}" if e.community else ""
        return (
            f"Go to {e.name}{where} on {e.date.isoformat()}{look}.",
            f"{e.name} is {when}" + (f"; people you know{source} may be there" if e.people else ""),
            {"event_id": e.id, "date": e.date, "days_ahead": ahead, "window_days": window},
        )

    return Nudge(
        rule="event-upcoming",
        subject=e.id,
        cycle=e.date,
        contact=None,
        contact_id=None,
        due=e.date,
        priority=round(60.0 + (window - ahead), 1),
        words=words,
    )
