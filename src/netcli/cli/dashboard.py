"""`netcli` with no command: a short dashboard and a hint line."""

from __future__ import annotations

from netcli.cli.state import state
from netcli.cli.values import resolve_today


def show_dashboard() -> None:
    from netcli import rules, store
    from netcli.cli.common import pipeline
    from netcli.db import session_scope
    from netcli.pipeline import thanks_owed
    from netcli.render.dashboard import TOP, dashboard

    today = resolve_today(None)
    config = state().config()
    if not state().has_database():  # a first run: the welcome, and no empty database left behind
        dashboard(today=today, people=0, overdue=0, thanks_owed=0, goals=0, next_mentor=None, nudges=[], open_count=0)
        return
    with session_scope(state().engine()) as session:
        people = store.contact_count(session, include_archived=False)
        nudges = pipeline(session, today=today)
        facts = nudges.gather(topics=False)
        everything = nudges.fire(facts)
        shown = nudges.open(everything)
        top = nudges.word(rules.order(shown, limit=TOP))
    cadences = rules.Cadences(config)
    mentors = {m.contact_id: m for m in facts.mentors}
    overdue = 0
    for person in facts.people:  # by the cadence in force, as list --overdue counts
        mentor = mentors.get(person.id)
        found = cadences.in_force(
            person.tier, person.own_cadence_days, person.contact_week_count, person.median_gap, mentor
        )
        due = cadences.next_due(found, person.last_contact, mentor)
        overdue += due is not None and due <= today
    upcoming = sorted(
        (due, m.name) for m in facts.mentors if not m.archived and (due := rules.mentor_due(m, config)) is not None
    )
    dashboard(
        today=today,
        people=people,
        overdue=overdue,
        thanks_owed=thanks_owed(everything),
        goals=len(facts.goals),
        next_mentor=upcoming[0] if upcoming else None,
        nudges=top,
        open_count=len(shown),
    )
