"""The rules about one person's history: meeting, silence, thanks owed, help owed."""

from __future__ import annotations

import datetime as dt

from netcli.rules.facts import Nudge, PersonFacts, Words
from netcli.rules.registry import Day, rule
from netcli.wording import count

# The kinds of interaction that deserve a thank-you, and how to name them.
OWED_KINDS = {"help-received": "the help", "intro": "the introduction", "mentor-session": "the mentor session"}
TIER_WEIGHT = {"A": 40.0, "B": 30.0, "C": 20.0, "D": 10.0}


def ago(days: int) -> str:
    return "today" if days == 0 else "yesterday" if days == 1 else f"{count(days, 'day')} ago"


def _fmt_days(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


@rule(
    name="follow-up",
    brief="follow up",
    subject="people",
    style="cyan",
    settings={"follow_up_window_days": 14, "follow_up_due_days": 2},
    done_logs="message",
    summary="""You met someone in the last 14 days and haven't been in touch since. Write while they remember you
    (due two days after meeting). After 14 days the moment has passed and `reconnect` takes over.""",
)
def follow_up(p: PersonFacts, day: Day) -> Nudge | None:
    met, today, window = p.last_met, day.today, day.setting("follow_up_window_days")
    if met is None or met > today or (p.last_other is not None and p.last_other >= met):
        return None
    since = (today - met).days
    if since > window:
        return None
    due_after = day.setting("follow_up_due_days")

    def words() -> Words:
        when = "today" if since == 0 else f"{count(since, 'day')} ago"
        return (
            f"Follow up with {p.name} while the meeting is fresh.",
            f"you met {when} ({met.isoformat()}) and have logged nothing with them since; "
            f"the moment passes {count(window, 'day')} after meeting",
            {"met_on": met, "days_since": since, "window_days": window, "due_after_days": due_after},
        )

    return Nudge(
        rule="follow-up",
        subject=p.id,
        cycle=met,
        contact=p.name,
        contact_id=p.id,
        due=met + dt.timedelta(days=due_after),
        priority=75.0 + min(since, window),
        words=words,
    )


@rule(
    name="reconnect",
    brief="reconnect with",
    subject="people",
    style="yellow",
    done_logs="message",
    reads_topics=True,
    yields_to="follow-up",
    summary="""It has been longer than your rhythm with this person. The rhythm is the one you set (`--every 3w`);
    else, once you have been in touch in 5 or more different weeks, the one netcli learns from you: 1.5 × your
    usual gap between those weeks ("your rhythm is every 21 days (learned: you usually talk every 14 days); it
    has been 27"), never under 7 days nor over the tier's; else the tier's: A 14 days, B 30, C 90, D 180. Closer
    people and longer silences come first.""",
)
def reconnect(p: PersonFacts, day: Day) -> Nudge | None:
    last, today = p.last_contact, day.today
    if last is None:
        return None
    mentor = day.mentored.get(p.id)
    found = day.cadences.in_force(p.tier, p.own_cadence_days, p.contact_week_count, p.median_gap, mentor)
    if found.source == "mentor":  # their sessions are the rhythm, kept by the mentor rules
        return None
    silent = (today - last).days
    if silent < found.cadence_days:
        return None
    overdue = silent - found.cadence_days

    def words() -> Words:
        every = count(found.cadence_days, "day")
        if found.source == "learned":
            usual = f"you usually talk every {_fmt_days(found.median_gap)} days"
            learned = (found.median_gap or 0) * day.cadences.learned_factor
            if found.cadence_days == day.config.tier_cadence(p.tier) and found.cadence_days < learned:
                usual += f", and tier {p.tier} asks for every {found.cadence_days}"
            why = f"your rhythm is every {every} (learned: {usual}); it has been {silent}"
        elif found.source == "own":
            why = f"you wanted to be in touch every {every}; it has been {silent}"
        else:
            why = f"tier {p.tier} means every {every}; it has been {silent}"
        topics = f" (ask about {', '.join(p.topics[:2])})" if p.topics else ""
        inputs = {
            "last_contact": last,
            "days_since": silent,
            "cadence_days": found.cadence_days,
            "cadence_source": found.source,
            "median_gap_days": found.median_gap,
            "days_overdue": overdue,
            "tier": p.tier,
        }
        return f"Reconnect with {p.name}{topics}.", f"{why} (last contact {last.isoformat()})", inputs

    return Nudge(
        rule="reconnect",
        subject=p.id,
        cycle=last,
        contact=p.name,
        contact_id=p.id,
        due=last + dt.timedelta(days=found.cadence_days),
        priority=round(min(70.0, TIER_WEIGHT.get(p.tier, 20.0) + 20.0 * overdue / found.cadence_days), 1),
        words=words,
    )


@rule(
    name="thank",
    brief="thank",
    subject="people",
    style="green",
    settings={"thank_due_days": 2},
    done_logs="thanks",
    summary="""Someone helped you, introduced you, or held a mentor session, and you have not logged a thank-you
    since. Due two days after.""",
)
def thank(p: PersonFacts, day: Day) -> Nudge | None:
    owed = p.last_owed
    if owed is None or (p.last_thanks is not None and p.last_thanks >= owed):
        return None
    waiting = (day.today - owed).days
    due_after = day.setting("thank_due_days")

    def words() -> Words:
        what = OWED_KINDS.get(p.last_owed_kind or "", "their help")
        return (
            f"Thank {p.name} for {what}.",
            f"{p.last_owed_kind} on {owed.isoformat()} ({ago(waiting)}) and no thanks logged since",
            {"owed_kind": p.last_owed_kind, "owed_on": owed, "last_thanks": p.last_thanks, "due_after_days": due_after},
        )

    return Nudge(
        rule="thank",
        subject=p.id,
        cycle=owed,
        contact=p.name,
        contact_id=p.id,
        due=owed + dt.timedelta(days=due_after),
        priority=80.0 + min(max(waiting, 0), 20),
        words=words,
    )


@rule(
    name="give-back",
    brief="give back to",
    subject="people",
    style="blue",
    settings={"give_back_window_days": 365, "give_back_margin": 2},
    done_logs="help-given",
    summary="""In the last year someone helped you at least two more times than you helped them. Offer something
    back.""",
)
def give_back(p: PersonFacts, day: Day) -> Nudge | None:
    if not p.received_in_window or p.last_received is None:
        return None
    margin = day.setting("give_back_margin")
    surplus = p.received_in_window - p.given_in_window
    if surplus < margin:
        return None
    window = day.setting("give_back_window_days")  # the store counts help within it

    def words() -> Words:
        given = "not at all" if p.given_in_window == 0 else _times(p.given_in_window)
        return (
            f"Give back to {p.name}: offer your help, an introduction or a resource.",
            f"they helped you {_times(p.received_in_window)} in the last {count(window, 'day')} "
            f"and you helped them {given}",
            {
                "help_received": p.received_in_window,
                "help_given": p.given_in_window,
                "window_days": window,
                "margin": margin,
            },
        )

    # the cycle is the newest help received: giving back (what `done` logs) must not start a new one
    return Nudge(
        rule="give-back",
        subject=p.id,
        cycle=p.last_received,
        contact=p.name,
        contact_id=p.id,
        due=day.today,
        priority=round(35.0 + 5.0 * (surplus - margin), 1),
        words=words,
    )
