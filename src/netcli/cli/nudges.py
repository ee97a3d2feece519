"""Nudge commands: nudge, done, snooze, dismiss."""

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from netcli.cli import complete
from netcli.cli import options as opt
from netcli.cli.app import app
from netcli.cli.state import state
from netcli.cli.values import parse_span, resolve_today
from netcli.config import RULE_NAMES

if TYPE_CHECKING:
    from datetime import date

    from sqlmodel import Session

    from netcli.rules import Nudge

NudgeId = Annotated[
    str, typer.Argument(metavar="ID", help="The nudge's id, as 'netcli nudge' shows it.", autocompletion=complete.nudge_ids)
]
# What `done` logs for each rule, with the nudge's contact, today.
DONE_LOGS = {
    "thank": "thanks",
    "reconnect": "message",
    "follow-up": "message",
    "mentor-meeting": "mentor-session",
    "give-back": "help-given",
    "birthday": "message",
}


def _people(session: "Session", *, today: "date", contact_ids: list[int] | None, topics: bool) -> list:
    from netcli import rules, store

    rows = store.person_facts(
        session,
        as_of=today,
        give_back_window_days=state().config().rule("give_back_window_days"),
        contact_ids=contact_ids,
        with_topics=topics,
    )
    people = list(map(rules.PersonFacts._make, rows))
    return people


def gather(
    session: "Session", *, today: "date", contact_ids: list[int] | None = None, topics: bool = True
) -> dict:
    """Every fact the rules read, as of `today`: people (all, or just
    `contact_ids`), mentors, goals, events, birthdays. Without `topics`, people's topics
    are left out: ranking never reads them; pass what is shown through
    `worded`."""
    from netcli import rules, store

    config = state().config()
    return {
        "people": _people(session, today=today, contact_ids=contact_ids, topics=topics),
        "mentors": [rules.MentorFacts(**m) for m in store.mentor_facts(session, as_of=today)],
        "goals": [rules.GoalFacts(**g) for g in store.goal_facts(session, as_of=today)],
        "events": [
            rules.EventFacts(**e)
            for e in store.event_facts(session, as_of=today, window_days=config.rule("event_window_days"))
        ],
        "birthdays": [rules.BirthdayFacts(**b) for b in store.birthday_facts(session, contact_ids=contact_ids)],
    }


def evaluate(session: "Session", *, today: "date", facts: dict | None = None) -> list["Nudge"]:
    """Every nudge the facts call for as of `today`, before snoozes and
    dismissals, in no particular order (`rules.order` ranks them)."""
    from netcli import rules

    facts = facts or gather(session, today=today)
    found = rules.fire(
        facts["people"],
        today=today,
        config=state().config(),
        mentors=facts["mentors"],
        goals=facts["goals"],
        events=facts["events"],
        birthdays=facts.get("birthdays", ()),
    )
    return found


def open_nudges(
    session: "Session", *, today: "date", facts: dict | None = None, nudges: list["Nudge"] | None = None
) -> list["Nudge"]:
    """The nudges to show, in no particular order: all that fire (computed, or
    `nudges` if already evaluated) less the snoozed, dismissed and done."""
    from netcli import rules, store

    marks = {
        key: rules.NudgeMark(state=s.state, until=s.until, contact_id=s.contact_id)
        for key, s in store.nudge_states(session).items()
    }
    found = nudges if nudges is not None else evaluate(session, today=today, facts=facts)
    return rules.visible(found, marks, today=today)


def worded(session: "Session", nudges: list["Nudge"], *, today: "date") -> list["Nudge"]:
    """`nudges` (the few to show, from facts gathered without topics) as the
    rules word them from their people's whole facts: the same ids, order and
    priorities, and "ask about rust" where a person has topics."""
    from netcli import rules

    wanted = sorted({n.contact_id for n in nudges if n.rule in rules.WORDS_READ_TOPICS and n.contact_id})
    if not wanted:
        return list(nudges)
    people = _people(session, today=today, contact_ids=wanted, topics=True)
    again = {n.id: n for n in rules.fire(people, today=today, config=state().config())}
    return [again.get(n.id, n) for n in nudges]


def nudges_for(session: "Session", *, today: "date", contact_id: int) -> list[dict]:
    """The open nudges about one person, most important first."""
    from netcli import rules

    facts = gather(session, today=today, contact_ids=[contact_id])
    found = open_nudges(session, today=today, facts=facts)
    return [n.as_dict() for n in rules.order(found) if n.contact_id == contact_id]


def _find(session: "Session", nudge_id: str, today: "date") -> "Nudge":
    from netcli.errors import NotFound

    from netcli import store

    wanted = nudge_id.strip().lower()
    for nudge in evaluate(session, today=today):
        if nudge.id == wanted:
            mark = store.nudge_states(session).get(wanted)
            if mark is not None and mark.state in ("done", "dismissed"):
                # its facts may still call for it (give-back's surplus): it is closed all the same
                raise NotFound(f"the nudge '{nudge_id}' is {mark.state} already; 'netcli nudge --all' lists the open ones")
            return nudge
    raise NotFound(f"no current nudge has the id '{nudge_id}'; 'netcli nudge --all' lists them")


@app.command(rich_help_panel="Nudges")
def nudge(
    as_of: opt.AsOf = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="Show at most N (default 10).")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show every nudge.")] = False,
    rule: Annotated[Optional[str], typer.Option("--rule", metavar="RULE", help=f"Only this rule: {', '.join(RULE_NAMES)}.",
                                                autocompletion=complete.rule_names)] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show each rule's inputs and thresholds.")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="One plain line per nudge (for cron mail).")] = False,
    json_out: opt.JsonOut = False,
) -> None:
    """What to do for your network today, most important first, each with its reason.

    Examples:
      netcli nudge
      netcli nudge --rule thank --explain
      netcli nudge --as-of "next friday" --json
    """
    from netcli import render, rules
    from netcli.db import session_scope
    from netcli.errors import UsageError
    from netcli.render.nudges import nudge_lines, nudge_table

    if rule is not None and rule not in RULE_NAMES:
        raise UsageError(f"--rule: unknown rule '{rule}'; choose one of {', '.join(RULE_NAMES)}")
    today = resolve_today(as_of)
    cap = None if show_all else (limit or state().config().nudge["limit"])
    with session_scope(state().engine()) as session:
        # everyone is ranked without their topics; only what is shown is worded with them
        found = open_nudges(session, today=today, facts=gather(session, today=today, topics=cap is None))
        others = len(found)
        if rule is not None:
            found = [n for n in found if n.rule == rule]
        others -= len(found)
        ranked = rules.order(found, limit=None if cap is None else max(cap, complete.REMEMBERED_NUDGES))
        if cap is not None:
            ranked = worded(session, ranked, today=today)
    shown = ranked if cap is None else ranked[:cap]
    if as_of is None:
        complete.remember_nudges([(n.id, n.action) for n in ranked[: complete.REMEMBERED_NUDGES]])
    hidden = len(found) - len(shown)
    if json_out:
        rows = [n.as_dict() | ({"inputs": n.inputs} if explain else {}) for n in shown]
        render.emit_json(rows)
        return
    if plain:
        nudge_lines(shown)
    elif shown:
        nudge_table(shown, today=today, explain=explain)
    elif others:  # the filter found nothing, the rest did
        when = "today" if as_of is None else f"as of {today.isoformat()}"
        render.message(f"No {rule} nudges {when}; {others} other nudge{'s' if others != 1 else ''}: netcli nudge"
                       + (f" --as-of {today.isoformat()}" if as_of is not None else ""))
    else:
        render.message("Nothing to do today: your network is in good shape.")
    if hidden:
        render.message(f"... and {hidden} more (netcli nudge --all)")


@app.command(rich_help_panel="Nudges")
def done(
    nudge_id: NudgeId,
    note: opt.Note = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Mark a nudge done; logs what it asked for (a thanks, a message, a session).

    Examples:
      netcli done 3fa92c1
      netcli done 3fa92c1 --note "sent a thank-you card"
    """
    from netcli import render, store
    from netcli.db import session_scope

    today = resolve_today(None)
    with session_scope(state().engine(), write=True) as session:
        found = _find(session, nudge_id, today)
        logged = None
        kind = DONE_LOGS.get(found.rule)
        if kind and found.contact_id is not None:
            contact = store.find_contact(session, who=f"#{found.contact_id}")
            interaction = store.log_interaction(session, contacts=[contact], kind=kind, on=today, note=note)
            logged = store.interaction_dicts(session, ids=[interaction.id])[0]
        store.set_nudge_state(session, nudge_id=found.id, state="done", until=None, contact_id=found.contact_id)
    if json_out:
        render.emit_json({"nudge": found.as_dict(), "logged": logged})
    elif logged:
        render.message(f"Done: logged {logged['kind']} with {', '.join(logged['contacts'])} today.")
    else:
        render.message(f"Done: {found.action}")


@app.command(rich_help_panel="Nudges")
def snooze(
    nudge_id: NudgeId,
    for_: Annotated[str, typer.Option("--for", metavar="SPAN", help="How long.")] = "1w",
    json_out: opt.JsonOut = False,
) -> None:
    """Hide a nudge for a while; it comes back when the time is up.

    Examples:
      netcli snooze 3fa92c1 --for 3d
      netcli snooze 3fa92c1    (one week)
    """
    from datetime import timedelta

    from netcli import render, store
    from netcli.db import session_scope

    days = parse_span(for_, option="--for")
    today = resolve_today(None)
    until = today + timedelta(days=days)
    with session_scope(state().engine(), write=True) as session:
        found = _find(session, nudge_id, today)
        store.set_nudge_state(session, nudge_id=found.id, state="snoozed", until=until, contact_id=found.contact_id)
    if json_out:
        render.emit_json({"nudge": found.as_dict(), "until": until})
    else:
        render.message(f"Snoozed until {until.isoformat()}: {found.action}")


@app.command(rich_help_panel="Nudges")
def dismiss(nudge_id: NudgeId, json_out: opt.JsonOut = False) -> None:
    """Dismiss a nudge for this cycle; it returns only when the facts change.

    Examples:
      netcli dismiss 3fa92c1
      netcli nudge --all    (to find the id)
    """
    from netcli import render, store
    from netcli.db import session_scope

    today = resolve_today(None)
    with session_scope(state().engine(), write=True) as session:
        found = _find(session, nudge_id, today)
        store.set_nudge_state(session, nudge_id=found.id, state="dismissed", until=None, contact_id=found.contact_id)
    if json_out:
        render.emit_json({"nudge": found.as_dict()})
    else:
        render.message(f"Dismissed: {found.action}")
