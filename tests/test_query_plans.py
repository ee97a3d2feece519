"""The hot queries use indexes: no full scan of interactions to answer a
question about one person, a window of days, or the newest few."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event
from sqlmodel import Session

from netcli import store
from netcli.db import open_database, resolve
from netcli.rules import PersonFacts

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def session(tmp_path):
    engine = open_database(resolve(str(tmp_path / "plans.db")))
    with Session(engine) as session:
        session.info["netcli_write"] = True
        people = [
            store.add_contact(
                session,
                proposal=store.Proposal(name=f"Person {i}", met_on=TODAY - dt.timedelta(days=300)),
                today=TODAY,
                force=True,
            )
            for i in range(40)
        ]
        for day in range(0, 300, 3):
            for person in people[day % 7 :: 7]:
                kind = ("message", "help-received", "help-given", "thanks")[day % 4]
                store.log_interaction(
                    session, contacts=[person], kind=kind, on=TODAY - dt.timedelta(days=day), note=None
                )
        session.commit()
        session.connection().exec_driver_sql("ANALYZE")
        yield session
    engine.dispose()


def plans(session: Session, work) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(statement, query plan) of every statement that `work` runs which reads
    rows: a SELECT, or an INSERT or DELETE that selects what it writes."""
    seen: list[tuple[str, object]] = []
    engine = session.get_bind()

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        text = statement.lstrip().upper()
        reads = text.startswith(("SELECT", "WITH")) or (text.startswith(("INSERT", "DELETE")) and "SELECT" in text)
        if reads and not executemany:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    raw = session.connection().connection.dbapi_connection
    found = []
    for statement, parameters in seen:
        rows = raw.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
        found.append((statement, "\n".join(str(r[-1]) for r in rows)))
    return found


def full_scans(found: list[tuple[str, str]]) -> list[str]:
    """Plan lines that walk all of `participant` (even through an index), or
    all of `interaction` other than in date order (newest first, with a limit
    or a range of days)."""
    bad = []
    for statement, plan in found:
        for line in plan.splitlines():
            walks = re.search(r"\bSCAN participant\b", line) or (
                re.search(r"\bSCAN interaction\b", line) and "ix_interaction_date" not in line
            )
            if walks:
                bad.append(f"{line}\n  in: {' '.join(statement.split())[:200]}")
    return bad


def test_the_check_sees_a_full_scan(session):
    assert full_scans(plans(session, lambda: store.live_stats(session, as_of=None)))


def test_one_persons_facts_and_timeline_use_indexes(session):
    contact = store.find_contact(session, who="Person 3")

    def work() -> None:
        store.person_facts(
            session,
            fields=PersonFacts._fields,
            as_of=TODAY - dt.timedelta(days=30),
            give_back_window_days=365,
            contact_ids=[contact.id],
        )
        store.interaction_dicts(session, contact_id=contact.id, limit=20)
        list(store.iter_contacts(session, as_of=TODAY, ids=[contact.id]))

    assert full_scans(plans(session, work)) == []


def test_the_morning_nudge_reads_stored_statistics(session):
    """Everyone's facts as of today: one row per person, no walk over interactions."""
    found = plans(
        session, lambda: store.person_facts(session, fields=PersonFacts._fields, as_of=TODAY, give_back_window_days=365)
    )
    assert full_scans(found) == []


def test_newest_interactions_and_help_window_use_indexes(session):
    def work() -> None:
        store.interaction_dicts(session, limit=20)
        session.connection().execute(store.help_select(TODAY - dt.timedelta(days=30), TODAY)).all()
        store.interaction_dicts(session, since=TODAY - dt.timedelta(days=7), until=TODAY)

    assert full_scans(plans(session, work)) == []


def test_the_months_numbers_and_the_mentors_use_indexes(session):
    """The report's month (by date), and each mentor's last session (by person)."""
    store.add_mentor(
        session,
        contact=store.find_contact(session, who="Person 2"),
        cadence_days=None,
        prospect=False,
        topics=(),
        today=TODAY,
    )

    def work() -> None:
        store.month_facts(session, start=TODAY.replace(day=1), end=TODAY)
        store.mentor_facts(session, as_of=TODAY)

    assert full_scans(plans(session, work)) == []
    session.rollback()


def test_refreshing_a_few_people_reads_only_their_rows(session):
    contact = store.find_contact(session, who="Person 5")
    store.log_interaction(session, contacts=[contact], kind="call", on=TODAY, note=None)

    found = plans(session, lambda: store.refresh_stats(session))
    assert any(statement.lstrip().startswith("INSERT INTO contact_stats") for statement, _ in found)
    assert full_scans(found) == []
    session.commit()
