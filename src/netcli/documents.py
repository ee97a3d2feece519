"""The answers netcli gives, built once for every way of asking: the JSON
documents that a command prints with --json and that an MCP tool returns (a
contact, a person's profile, the mentor prep sheet, a goal, the month's
report, a nudge acted on), and the few writes that both make step by step
(add a person, log an exchange, set a goal).

Each function takes the caller's session, the user's settings and the day:
no Typer, no Rich, no clock, and no knowing who asked (`cli/` and `mcp/`
both call these). Heavy modules are imported inside the functions: the
command modules import this one at startup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcli.config import Config
    from netcli.models import Contact, Goal
    from netcli.reflection import Report

CONTACT_KEYS = (
    "id",
    "name",
    "email",
    "phone",
    "org",
    "role",
    "location",
    "url",
    "via",
    "met_at",
    "met_on",
    "introduced_by",
    "tier",
    "cadence_days",
    "tags",
    "topics",
    "note",
    "archived",
    "interactions",
    "last_contact",
    "next_due",
)
GOAL_KEYS = (
    "id",
    "title",
    "status",
    "why",
    "by",
    "topics",
    "contacts",
    "percent",
    "created_on",
    "closed_on",
    "last_progress",
    "last_activity",
)
# what `netcli done`, `snooze` and `dismiss` record for a nudge
NUDGE_STATES = {"done": "done", "snooze": "snoozed", "dismiss": "dismissed"}


def finish_contacts(
    rows: Iterable[dict[str, Any]], *, today: dt.date, session: Any, config: Config
) -> Iterator[dict[str, Any]]:
    """Add the cadence in force, next_due and status (from the rules) to store
    rows, one by one: the same cadence the nudges use (an active mentor's is
    the mentor cadence)."""
    from netcli import rules, store

    cadences = rules.Cadences(config)
    mentors = {m["contact_id"]: rules.MentorFacts(**m) for m in store.mentor_facts(session, as_of=today)}
    for row in rows:
        mentor = mentors.get(row["id"])
        found = cadences.in_force(
            row["tier"], row["own_cadence_days"], row["contact_week_count"], row["median_gap"], mentor
        )
        row["cadence_days"] = found.cadence_days
        row["next_due"] = cadences.next_due(found, row["last_contact"], mentor)
        row["cadence_source"] = found.source
        row["status"] = rules.status(row["next_due"], found.cadence_days, today=today)
        yield row


# a contact's JSON keys in order: the contract's, each list beside its first value
# (every address after `email`, section 8; every number and the chat identities,
# KIND:VALUE, section 12, after `phone`), then our additions
_BESIDE = {"email": ("emails",), "phone": ("phones", "handles")}
PUBLIC_KEYS = (
    *(extra for key in CONTACT_KEYS for extra in (key, *_BESIDE.get(key, ()))),
    "birthday",
    "cadence_source",
    "status",
)


def public(contact: dict[str, Any]) -> dict[str, Any]:
    """The contact's JSON object (`PUBLIC_KEYS`)."""
    return {key: contact[key] for key in PUBLIC_KEYS}


def contact_document(session: Session, *, contact_id: int, today: dt.date, config: Config) -> dict[str, Any]:
    """One contact's JSON object (`add`, `edit`, `merge`; `list` row by row)."""
    from netcli import store

    found = store.iter_contacts(session, as_of=today, ids=[contact_id], archived=None)
    return public(next(finish_contacts(found, today=today, session=session, config=config)))


def profile_document(session: Session, *, contact: Contact, today: dt.date, config: Config) -> dict[str, Any]:
    """`netcli show`: the contact's object, timeline, give and take, whom they
    introduced, open nudges, mentorship and linked goals."""
    from netcli import store
    from netcli.pipeline import Pipeline

    assert contact.id is not None
    detail = contact_document(session, contact_id=contact.id, today=today, config=config)
    detail["timeline"] = store.interaction_dicts(session, contact_id=contact.id, until=today)
    counts = {kind: 0 for kind in ("help-given", "help-received", "thanks", "intro")}
    for item in detail["timeline"]:
        if item["kind"] in counts:
            counts[item["kind"]] += 1
    detail["help_given"] = counts["help-given"]
    detail["help_received"] = counts["help-received"]
    detail["thanks_sent"] = counts["thanks"]
    detail["introduced"] = store.introduced_names(session, contact_id=contact.id)
    detail["nudges"] = Pipeline(session, today=today, config=config).about(contact.id)
    detail["mentorship"] = store.mentorship_of(session, contact_id=contact.id, as_of=today)
    if detail["mentorship"] and detail["mentorship"]["cadence_days"] is None:
        detail["mentorship"]["cadence_days"] = config.rule("mentor_cadence_days")
    detail["goals"] = store.goals_of_contact(session, contact_id=contact.id)
    return detail


def mentor_rows(session: Session, *, today: dt.date, config: Config) -> list[dict[str, Any]]:
    """`netcli mentor list`: every mentor with the cadence and due date the rules give."""
    from netcli import rules, store

    rows = []
    for m in store.mentor_facts(session, as_of=today):
        facts = rules.MentorFacts(**m)
        rows.append(
            {
                "name": m["name"],
                "contact_id": m["contact_id"],
                "status": m["status"],
                "cadence_days": rules.mentor_cadence(facts, config),
                "last_session": m["last_session"],
                "next_due": rules.mentor_due(facts, config),
                "scheduled": m["scheduled"],  # the next session on the calendar (capture calendar), or None
                "open_questions": m["open_questions"],
                "topics": list(m["topics"]),
                "started_on": m["started_on"],
                "ended_on": m["ended_on"],
            }
        )
    return rows


def prep_document(session: Session, *, contact: Contact, today: dt.date, config: Config) -> dict[str, Any]:
    """`netcli mentor prep`: open questions, the last session's notes, active
    goals, days since; raises when the contact is no mentor."""
    from netcli import store

    store.get_mentor(session, contact=contact)
    row = next(r for r in mentor_rows(session, today=today, config=config) if r["contact_id"] == contact.id)
    assert contact.id is not None
    last = store.last_session_note(session, contact_id=contact.id)
    return {
        "mentor": contact.name,
        "status": row["status"],
        "next_due": row["next_due"],
        "days_since": (today - last["date"]).days if last else None,
        "last_session": last,
        "questions": [
            {"number": q.number, "text": q.text, "asked_on": q.asked_on}
            for q in store.open_questions(session, contact_id=contact.id)
        ],
        "goals": [g for g in store.goals_of_contact(session, contact_id=contact.id) if g["status"] == "active"],
    }


def goal_document(row: dict[str, Any]) -> dict[str, Any]:
    """A goal's JSON object, from a `store.goal_dicts` row."""
    return {key: row[key] for key in GOAL_KEYS}


def goal_detail(session: Session, *, goal: Goal, today: dt.date) -> dict[str, Any]:
    """`netcli goal show`: the goal, its progress over time, who helped, the exchanges it served."""
    from netcli import store

    row = store.goal_dicts(session, as_of=max(today, goal.created_on), ids=[goal.id], include_closed=True)[0]
    return goal_document(row) | {
        "progress": row["progress"],
        "helpers": store.goal_helpers(session, goal_id=row["id"]),
        "interactions": store.goal_interactions(session, goal_id=row["id"]),
    }


def set_goal(
    session: Session,
    *,
    title: str,
    target_on: dt.date | None,
    topics: Sequence[str],
    why: str | None,
    started: dt.date,
    today: dt.date,
) -> dict[str, Any]:
    """`netcli goal add`: the new goal's JSON object."""
    from netcli import store

    goal = store.add_goal(session, title=title, target_on=target_on, topics=topics, why=why, today=started)
    return goal_document(store.goal_dicts(session, as_of=max(today, started), ids=[goal.id], include_closed=True)[0])


def log_exchange(
    session: Session,
    *,
    who: Sequence[str],
    kind: str,
    on: dt.date,
    note: str | None,
    topics: Sequence[str],
    goal: str | None,
) -> dict[str, Any]:
    """`netcli log`: one interaction shared by everyone `who` names, served to
    the goal `goal` names; its JSON object."""
    from netcli import store

    contacts = [store.find_contact(session, who=name) for name in who]
    interaction = store.log_interaction(session, contacts=contacts, kind=kind, on=on, note=note, topics=topics)
    if goal is not None:
        store.attach_goal(session, interaction_id=interaction.id, goal=store.find_goal(session, text=goal))
    return store.interaction_dicts(session, ids=[interaction.id])[0]


def add_person(
    session: Session,
    *,
    today: dt.date,
    config: Config,
    met_on: dt.date | None,
    met_at: str | None,
    introduced_by: str | None,
    force: bool = False,
    link: bool = True,
    option: str = "--met-at",
    whole: bool = True,
    **fields: Any,
) -> tuple[dict[str, Any], str | None]:
    """`netcli add`: the new contact's JSON object (with `whole` False, only
    its id, name and met_on: what `add` says without --json), and what
    linking `met_at` (the `option` so named) to an event or community has to
    say (None: nothing). `met_on` None means not given: today, or the day of
    the (past) event `met_at` names. `fields` (name, emails, phones, org,
    tier, tags...) are proposed to the contact writer as they are."""
    from netcli import store

    region = config.region()
    introducer = store.find_contact(session, who=introduced_by, region=region) if introduced_by else None
    on = met_on or today
    event, community = store.match_place(session, text=met_at, on=on) if link else (None, None)
    said = (
        store.place_message(session, text=met_at, event=event, community=community, option=option, on=on)
        if link
        else None
    )
    if event is not None and met_on is None and event.date <= today:
        on = event.date  # added after the event: you met on its day
    proposal = store.propose(
        {
            **fields,
            "met_at": event.name if event else community.name if community else met_at,  # '#3' reads badly
            "met_on": on,
            "introduced_by_id": introducer.id if introducer else None,
            "met_event_id": event.id if event else None,
            "met_community_id": community.id if community else None,
        },
        today=today,
        region=region,
    )
    contact = store.add_contact(session, proposal=proposal, today=today, force=force, region=region)
    assert contact.id is not None
    if not whole:
        return {"id": contact.id, "name": contact.name, "met_on": contact.met_on}, said
    return contact_document(session, contact_id=contact.id, today=today, config=config), said


def act_on_nudge(
    session: Session,
    *,
    nudge_id: str,
    action: str,
    today: dt.date,
    config: Config,
    until: dt.date | None = None,
    note: str | None = None,
    listed: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """`netcli done`, `snooze` (until `until`) or `dismiss` (`action`) on the
    nudge `nudge_id` names (its id or a unique start of it): the nudge acted
    on, with what `done` logged or the day a snooze ends; `already` says why
    nothing was done to one closed already, or one of `listed` (the nudges
    listed earlier today) that has cleared since."""
    from netcli.pipeline import Pipeline

    marked = Pipeline(session, today=today, config=config).mark(
        nudge_id, state=NUDGE_STATES[action], until=until, note=note, listed=listed
    )
    document: dict[str, Any] = {"nudge": marked.nudge}
    if action == "done":
        document["logged"] = marked.logged
    elif action == "snooze":
        document["until"] = None if marked.already else until
    document["already"] = marked.already
    return document


def report_month(month: str | None, *, today: dt.date, option: str) -> tuple[dt.date, dt.date, bool]:
    """The month `report` looks back on (`--month`, as `option` names it):
    its first day, its last day up to today, and whether it is the month just
    ended, chosen by default."""
    from netcli import reflection
    from netcli.dates import month_end
    from netcli.errors import NetcliError, UsageError

    try:
        first, just_ended = reflection.choose_month(month, today=today)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    if first > today:
        raise NetcliError(f"{first:%Y-%m} has not started yet (as of {today}); pick this month or an earlier one")
    return first, min(month_end(first), today), just_ended


def month_report(session: Session, *, first: dt.date, end: dt.date, just_ended: bool, config: Config) -> Report:
    """`netcli report`: the reflection on the days first..end (see `report_month`)."""
    from netcli import reflection, rules, store
    from netcli.dates import month_end
    from netcli.pipeline import Pipeline, thanks_owed

    nudges = Pipeline(session, today=end, config=config)
    facts = nudges.gather(topics=False)
    fired = nudges.fire(facts)
    shown = nudges.open(fired)
    previous = reflection.previous_window(first, end)
    return reflection.build(
        reflection.MonthFacts(
            first=first,
            end=end,
            counts=store.month_facts(session, start=first, end=end),
            interactions_prev_month=store.interaction_count(session, start=previous[0], end=previous[1]),
            thanks_owed=thanks_owed(fired),
            went_quiet=rules.went_quiet(facts.people, start=first, end=end, config=config, mentors=facts.mentors),
            goals=store.goal_progress_between(session, start=first, end=end),
            trend=[
                (m.strftime("%Y-%m"), store.interaction_count(session, start=m, end=min(month_end(m), end)))
                for m in reflection.previous_months(first, 6)
            ],
            focus=[n.action for n in nudges.word(rules.order(shown, limit=3))],
            just_ended=just_ended,
        )
    )
