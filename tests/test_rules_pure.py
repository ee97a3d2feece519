"""The rules package, pure: every rule's words and numbers, cadences, the
registry's declarations and loop, `went_quiet`'s boundaries and birthdays,
with an injected `today` and settings (no store, no CLI). Written to kill the
mutants mutmut found alive (pyproject.toml [tool.mutmut])."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from hashlib import sha1
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcli import rules
from netcli.config import Config, validate
from netcli.rules import birthday as birthday_rule
from netcli.rules import cadence, registry
from rule_facts import CONFIG, TODAY, ago, person

G, E, B = rules.GoalFacts, rules.EventFacts, rules.BirthdayFacts


def mentor(**facts) -> rules.MentorFacts:
    base = dict(
        contact_id=7,
        name="Mia",
        status="active",
        archived=False,
        own_cadence_days=None,
        started_on=ago(100),
        ended_on=None,
        last_session=ago(26),
        open_questions=0,
    )
    base.update(facts)
    return rules.MentorFacts(**base)


CASES = [
    (
        "people",
        person(last_contact=ago(0), last_met=ago(0)),
        [
            {
                "rule": "follow-up",
                "subject": 1,
                "cycle": date(2026, 11, 28),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 11, 30),
                "priority": 75.0,
                "action": "Follow up with Ana while the meeting is fresh.",
                "reason": "you met today (2026-11-28) and have logged nothing with them since; the moment passes 14 days after meeting",
                "inputs": {"met_on": date(2026, 11, 28), "days_since": 0, "window_days": 14, "due_after_days": 2},
            },
        ],
    ),
    (
        "people",
        person(last_contact=ago(1), last_met=ago(1)),
        [
            {
                "rule": "follow-up",
                "subject": 1,
                "cycle": date(2026, 11, 27),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 11, 29),
                "priority": 76.0,
                "action": "Follow up with Ana while the meeting is fresh.",
                "reason": "you met 1 day ago (2026-11-27) and have logged nothing with them since; the moment passes 14 days after meeting",
                "inputs": {"met_on": date(2026, 11, 27), "days_since": 1, "window_days": 14, "due_after_days": 2},
            },
        ],
    ),
    (
        "people",
        person(tier="A", last_contact=ago(20), topics=("rust", "go", "sql")),
        [
            {
                "rule": "reconnect",
                "subject": 1,
                "cycle": date(2026, 11, 8),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 11, 22),
                "priority": 48.6,
                "action": "Reconnect with Ana (ask about rust, go).",
                "reason": "tier A means every 14 days; it has been 20 (last contact 2026-11-08)",
                "inputs": {
                    "last_contact": date(2026, 11, 8),
                    "days_since": 20,
                    "cadence_days": 14,
                    "cadence_source": "tier",
                    "median_gap_days": None,
                    "days_overdue": 6,
                    "tier": "A",
                },
            },
        ],
    ),
    (
        "people",
        person(tier="A", own_cadence_days=10, last_contact=ago(12)),
        [
            {
                "rule": "reconnect",
                "subject": 1,
                "cycle": date(2026, 11, 16),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 11, 26),
                "priority": 44.0,
                "action": "Reconnect with Ana.",
                "reason": "you wanted to be in touch every 10 days; it has been 12 (last contact 2026-11-16)",
                "inputs": {
                    "last_contact": date(2026, 11, 16),
                    "days_since": 12,
                    "cadence_days": 10,
                    "cadence_source": "own",
                    "median_gap_days": None,
                    "days_overdue": 2,
                    "tier": "A",
                },
            },
        ],
    ),
    (
        "people",
        person(tier="A", last_contact=ago(27), contact_week_count=6, median_gap=7.0),
        [
            {
                "rule": "reconnect",
                "subject": 1,
                "cycle": date(2026, 11, 1),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 11, 12),
                "priority": 69.1,
                "action": "Reconnect with Ana.",
                "reason": "your rhythm is every 11 days (learned: you usually talk every 7 days); it has been 27 (last contact 2026-11-01)",
                "inputs": {
                    "last_contact": date(2026, 11, 1),
                    "days_since": 27,
                    "cadence_days": 11,
                    "cadence_source": "learned",
                    "median_gap_days": 7.0,
                    "days_overdue": 16,
                    "tier": "A",
                },
            },
        ],
    ),
    (
        "people",
        person(tier="A", last_contact=ago(27), contact_week_count=6, median_gap=10.5),
        [
            {
                "rule": "reconnect",
                "subject": 1,
                "cycle": date(2026, 11, 1),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 11, 15),
                "priority": 58.6,
                "action": "Reconnect with Ana.",
                "reason": "your rhythm is every 14 days (learned: you usually talk every 10.5 days, and tier A asks for every 14); it has been 27 (last contact 2026-11-01)",
                "inputs": {
                    "last_contact": date(2026, 11, 1),
                    "days_since": 27,
                    "cadence_days": 14,
                    "cadence_source": "learned",
                    "median_gap_days": 10.5,
                    "days_overdue": 13,
                    "tier": "A",
                },
            },
        ],
    ),
    (
        "people",
        person(tier="X", last_contact=ago(95)),
        [
            {
                "rule": "reconnect",
                "subject": 1,
                "cycle": date(2026, 8, 25),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 11, 23),
                "priority": 21.1,
                "action": "Reconnect with Ana.",
                "reason": "tier X means every 90 days; it has been 95 (last contact 2026-08-25)",
                "inputs": {
                    "last_contact": date(2026, 8, 25),
                    "days_since": 95,
                    "cadence_days": 90,
                    "cadence_source": "tier",
                    "median_gap_days": None,
                    "days_overdue": 5,
                    "tier": "X",
                },
            },
        ],
    ),
    (
        "people",
        person(last_contact=ago(1), last_owed=ago(1), last_owed_kind="help-received"),
        [
            {
                "rule": "thank",
                "subject": 1,
                "cycle": date(2026, 11, 27),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 11, 29),
                "priority": 81.0,
                "action": "Thank Ana for the help.",
                "reason": "help-received on 2026-11-27 (yesterday) and no thanks logged since",
                "inputs": {
                    "owed_kind": "help-received",
                    "owed_on": date(2026, 11, 27),
                    "last_thanks": None,
                    "due_after_days": 2,
                },
            },
        ],
    ),
    (
        "people",
        person(last_contact=ago(0), last_owed=ago(0), last_owed_kind="mentor-session"),
        [
            {
                "rule": "thank",
                "subject": 1,
                "cycle": date(2026, 11, 28),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 11, 30),
                "priority": 80.0,
                "action": "Thank Ana for the mentor session.",
                "reason": "mentor-session on 2026-11-28 (today) and no thanks logged since",
                "inputs": {
                    "owed_kind": "mentor-session",
                    "owed_on": date(2026, 11, 28),
                    "last_thanks": None,
                    "due_after_days": 2,
                },
            },
        ],
    ),
    (
        "people",
        person(last_contact=ago(30), last_owed=ago(30), last_owed_kind="weird"),
        [
            {
                "rule": "thank",
                "subject": 1,
                "cycle": date(2026, 10, 29),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 10, 31),
                "priority": 100.0,
                "action": "Thank Ana for their help.",
                "reason": "weird on 2026-10-29 (30 days ago) and no thanks logged since",
                "inputs": {
                    "owed_kind": "weird",
                    "owed_on": date(2026, 10, 29),
                    "last_thanks": None,
                    "due_after_days": 2,
                },
            },
        ],
    ),
    (
        "people",
        person(last_contact=ago(3), received_in_window=3, given_in_window=0, last_received=ago(2)),
        [
            {
                "rule": "give-back",
                "subject": 1,
                "cycle": date(2026, 11, 26),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 11, 28),
                "priority": 40.0,
                "action": "Give back to Ana: offer your help, an introduction or a resource.",
                "reason": "they helped you 3 times in the last 365 days and you helped them not at all",
                "inputs": {"help_received": 3, "help_given": 0, "window_days": 365, "margin": 2},
            },
        ],
    ),
    (
        "people",
        person(last_contact=ago(3), received_in_window=4, given_in_window=1, last_received=ago(3)),
        [
            {
                "rule": "give-back",
                "subject": 1,
                "cycle": date(2026, 11, 25),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 11, 28),
                "priority": 40.0,
                "action": "Give back to Ana: offer your help, an introduction or a resource.",
                "reason": "they helped you 4 times in the last 365 days and you helped them once",
                "inputs": {"help_received": 4, "help_given": 1, "window_days": 365, "margin": 2},
            },
        ],
    ),
    (
        "people",
        person(last_contact=ago(3), received_in_window=7, given_in_window=2, last_received=ago(3)),
        [
            {
                "rule": "give-back",
                "subject": 1,
                "cycle": date(2026, 11, 25),
                "contact": "Ana",
                "contact_id": 1,
                "due": date(2026, 11, 28),
                "priority": 50.0,
                "action": "Give back to Ana: offer your help, an introduction or a resource.",
                "reason": "they helped you 7 times in the last 365 days and you helped them twice",
                "inputs": {"help_received": 7, "help_given": 2, "window_days": 365, "margin": 2},
            },
        ],
    ),
    (
        "mentors",
        mentor(),
        [
            {
                "rule": "mentor-meeting",
                "subject": 7,
                "cycle": date(2026, 11, 2),
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 30),
                "priority": 61.0,
                "action": "Hold your mentor session with Mia.",
                "reason": "last session 2026-11-02 (26 days ago); you meet every 28 days; the next one was due in 2 days (2026-11-30)",
                "inputs": {
                    "last_session": date(2026, 11, 2),
                    "cadence_days": 28,
                    "cadence_source": "mentor",
                    "due": date(2026, 11, 30),
                    "window_days": 3,
                    "open_questions": 0,
                },
            },
            {
                "rule": "mentor-prep",
                "subject": 7,
                "cycle": date(2026, 11, 2),
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 29),
                "priority": 56.0,
                "action": "Prepare questions for your session with Mia (netcli mentor ask).",
                "reason": "a session is due 2026-11-30 and you have no questions prepared",
                "inputs": {"session_due": date(2026, 11, 30), "open_questions": 0},
            },
        ],
    ),
    (
        "mentors",
        mentor(last_session=ago(40), open_questions=2),
        [
            {
                "rule": "mentor-meeting",
                "subject": 7,
                "cycle": date(2026, 10, 19),
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 16),
                "priority": 82.0,
                "action": "Hold your mentor session with Mia.",
                "reason": "last session 2026-10-19 (40 days ago); you meet every 28 days; the next one was due 12 days ago (2026-11-16)",
                "inputs": {
                    "last_session": date(2026, 10, 19),
                    "cadence_days": 28,
                    "cadence_source": "mentor",
                    "due": date(2026, 11, 16),
                    "window_days": 3,
                    "open_questions": 2,
                },
            },
        ],
    ),
    (
        "mentors",
        mentor(last_session=None, started_on=ago(3)),
        [
            {
                "rule": "mentor-meeting",
                "subject": 7,
                "cycle": date(2026, 11, 25),
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 25),
                "priority": 73.0,
                "action": "Schedule your first mentor session with Mia.",
                "reason": "no session logged since they became your mentor (2026-11-25); the next one was due 3 days ago (2026-11-25)",
                "inputs": {
                    "last_session": None,
                    "cadence_days": 28,
                    "cadence_source": "mentor",
                    "due": date(2026, 11, 25),
                    "window_days": 3,
                    "open_questions": 0,
                },
            },
            {
                "rule": "mentor-prep",
                "subject": 7,
                "cycle": date(2026, 11, 25),
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 28),
                "priority": 68.0,
                "action": "Prepare questions for your session with Mia (netcli mentor ask).",
                "reason": "a session is due 2026-11-25 and you have no questions prepared",
                "inputs": {"session_due": date(2026, 11, 25), "open_questions": 0},
            },
        ],
    ),
    (
        "mentors",
        mentor(last_session=None, started_on=None, sessions_from=ago(27)),
        [
            {
                "rule": "mentor-meeting",
                "subject": 7,
                "cycle": None,
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 29),
                "priority": 62.0,
                "action": "Schedule your first mentor session with Mia.",
                "reason": "no session logged since they became your mentor (recently); the next one was due in 1 day (2026-11-29)",
                "inputs": {
                    "last_session": None,
                    "cadence_days": 28,
                    "cadence_source": "mentor",
                    "due": date(2026, 11, 29),
                    "window_days": 3,
                    "open_questions": 0,
                },
            },
            {
                "rule": "mentor-prep",
                "subject": 7,
                "cycle": None,
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 28),
                "priority": 57.0,
                "action": "Prepare questions for your session with Mia (netcli mentor ask).",
                "reason": "a session is due 2026-11-29 and you have no questions prepared",
                "inputs": {"session_due": date(2026, 11, 29), "open_questions": 0},
            },
        ],
    ),
    (
        "mentors",
        mentor(last_session=ago(28), own_cadence_days=30),
        [
            {
                "rule": "mentor-meeting",
                "subject": 7,
                "cycle": date(2026, 10, 31),
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 30),
                "priority": 61.0,
                "action": "Hold your mentor session with Mia.",
                "reason": "last session 2026-10-31 (28 days ago); you meet every 30 days; the next one was due in 2 days (2026-11-30)",
                "inputs": {
                    "last_session": date(2026, 10, 31),
                    "cadence_days": 30,
                    "cadence_source": "mentor",
                    "due": date(2026, 11, 30),
                    "window_days": 3,
                    "open_questions": 0,
                },
            },
            {
                "rule": "mentor-prep",
                "subject": 7,
                "cycle": date(2026, 10, 31),
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 29),
                "priority": 56.0,
                "action": "Prepare questions for your session with Mia (netcli mentor ask).",
                "reason": "a session is due 2026-11-30 and you have no questions prepared",
                "inputs": {"session_due": date(2026, 11, 30), "open_questions": 0},
            },
        ],
    ),
    (
        "mentors",
        mentor(last_session=ago(80)),
        [
            {
                "rule": "mentor-meeting",
                "subject": 7,
                "cycle": date(2026, 9, 9),
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 10, 7),
                "priority": 90.0,
                "action": "Hold your mentor session with Mia.",
                "reason": "last session 2026-09-09 (80 days ago); you meet every 28 days; the next one was due 52 days ago (2026-10-07)",
                "inputs": {
                    "last_session": date(2026, 9, 9),
                    "cadence_days": 28,
                    "cadence_source": "mentor",
                    "due": date(2026, 10, 7),
                    "window_days": 3,
                    "open_questions": 0,
                },
            },
            {
                "rule": "mentor-prep",
                "subject": 7,
                "cycle": date(2026, 9, 9),
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 28),
                "priority": 85.0,
                "action": "Prepare questions for your session with Mia (netcli mentor ask).",
                "reason": "a session is due 2026-10-07 and you have no questions prepared",
                "inputs": {"session_due": date(2026, 10, 7), "open_questions": 0},
            },
        ],
    ),
    (
        "mentors",
        mentor(last_session=ago(28)),
        [
            {
                "rule": "mentor-meeting",
                "subject": 7,
                "cycle": date(2026, 10, 31),
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 28),
                "priority": 70.0,
                "action": "Hold your mentor session with Mia.",
                "reason": "last session 2026-10-31 (28 days ago); you meet every 28 days; the next one was due today (2026-11-28)",
                "inputs": {
                    "last_session": date(2026, 10, 31),
                    "cadence_days": 28,
                    "cadence_source": "mentor",
                    "due": date(2026, 11, 28),
                    "window_days": 3,
                    "open_questions": 0,
                },
            },
            {
                "rule": "mentor-prep",
                "subject": 7,
                "cycle": date(2026, 10, 31),
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 28),
                "priority": 65.0,
                "action": "Prepare questions for your session with Mia (netcli mentor ask).",
                "reason": "a session is due 2026-11-28 and you have no questions prepared",
                "inputs": {"session_due": date(2026, 11, 28), "open_questions": 0},
            },
        ],
    ),
    (
        "mentors",
        mentor(last_session=ago(29), open_questions=1),
        [
            {
                "rule": "mentor-meeting",
                "subject": 7,
                "cycle": date(2026, 10, 30),
                "contact": "Mia",
                "contact_id": 7,
                "due": date(2026, 11, 27),
                "priority": 71.0,
                "action": "Hold your mentor session with Mia.",
                "reason": "last session 2026-10-30 (29 days ago); you meet every 28 days; the next one was due 1 day ago (2026-11-27)",
                "inputs": {
                    "last_session": date(2026, 10, 30),
                    "cadence_days": 28,
                    "cadence_source": "mentor",
                    "due": date(2026, 11, 27),
                    "window_days": 3,
                    "open_questions": 1,
                },
            },
        ],
    ),
    (
        "goals",
        G(3, "Learn Rust", ago(60), ago(21)),
        [
            {
                "rule": "goal-stalled",
                "subject": 3,
                "cycle": date(2026, 11, 7),
                "contact": None,
                "contact_id": None,
                "due": date(2026, 11, 28),
                "priority": 30.0,
                "action": "Move 'Learn Rust' forward: log progress, or link someone who can help (netcli goal link).",
                "reason": "no progress or linked interaction for 21 days (since 2026-11-07); a goal stalls after 21",
                "inputs": {"goal_id": 3, "last_activity": date(2026, 11, 7), "idle_days": 21, "stall_days": 21},
            },
        ],
    ),
    (
        "goals",
        G(
            3,
            "Learn Rust",
            ago(60),
            ago(30),
            linked=((5, "Bo", "B", ago(3)), (6, "Al", "A", None)),
            experts=((8, "Cy", "A", ago(1)),),
        ),
        [
            {
                "rule": "goal-stalled",
                "subject": 3,
                "cycle": date(2026, 10, 29),
                "contact": "Al",
                "contact_id": 6,
                "due": date(2026, 11, 19),
                "priority": 31.3,
                "action": "Move 'Learn Rust' forward: ask Al, who is linked to it.",
                "reason": "no progress or linked interaction for 30 days (since 2026-10-29); a goal stalls after 21",
                "inputs": {"goal_id": 3, "last_activity": date(2026, 10, 29), "idle_days": 30, "stall_days": 21},
            },
        ],
    ),
    (
        "goals",
        G(
            3,
            "Learn Rust",
            ago(60),
            ago(300),
            experts=((8, "Cy", "A", ago(1)), (9, "Di", "A", ago(0)), (10, "Ed", "A", ago(0))),
        ),
        [
            {
                "rule": "goal-stalled",
                "subject": 3,
                "cycle": date(2026, 2, 1),
                "contact": "Di",
                "contact_id": 9,
                "due": date(2026, 2, 22),
                "priority": 50.0,
                "action": "Move 'Learn Rust' forward: ask Di, who knows about it.",
                "reason": "no progress or linked interaction for 300 days (since 2026-02-01); a goal stalls after 21",
                "inputs": {"goal_id": 3, "last_activity": date(2026, 2, 1), "idle_days": 300, "stall_days": 21},
            },
        ],
    ),
    (
        "events",
        E(4, "PyCon", TODAY, False, None),
        [
            {
                "rule": "event-upcoming",
                "subject": 4,
                "cycle": date(2026, 11, 28),
                "contact": None,
                "contact_id": None,
                "due": date(2026, 11, 28),
                "priority": 67.0,
                "action": "Go to PyCon on 2026-11-28.",
                "reason": "PyCon is today",
                "inputs": {"event_id": 4, "date": date(2026, 11, 28), "days_ahead": 0, "window_days": 7},
            },
        ],
    ),
    (
        "events",
        E(4, "PyCon", ago(-1), True, "Python", ("Bo", "Cy")),
        [
            {
                "rule": "event-upcoming",
                "subject": 4,
                "cycle": date(2026, 11, 29),
                "contact": None,
                "contact_id": None,
                "due": date(2026, 11, 29),
                "priority": 66.0,
                "action": "Go to PyCon (online) on 2026-11-29; look for Bo, Cy.",
                "reason": "PyCon is tomorrow; people you know from Python may be there",
                "inputs": {"event_id": 4, "date": date(2026, 11, 29), "days_ahead": 1, "window_days": 7},
            },
        ],
    ),
    (
        "events",
        E(4, "PyCon", ago(-7), False, None, ("Bo",)),
        [
            {
                "rule": "event-upcoming",
                "subject": 4,
                "cycle": date(2026, 12, 5),
                "contact": None,
                "contact_id": None,
                "due": date(2026, 12, 5),
                "priority": 60.0,
                "action": "Go to PyCon on 2026-12-05; look for Bo.",
                "reason": "PyCon is in 7 days; people you know may be there",
                "inputs": {"event_id": 4, "date": date(2026, 12, 5), "days_ahead": 7, "window_days": 7},
            },
        ],
    ),
    (
        "events",
        E(4, "PyCon", ago(-2), False, "Python"),
        [
            {
                "rule": "event-upcoming",
                "subject": 4,
                "cycle": date(2026, 11, 30),
                "contact": None,
                "contact_id": None,
                "due": date(2026, 11, 30),
                "priority": 65.0,
                "action": "Go to PyCon on 2026-11-30.",
                "reason": "PyCon is in 2 days",
                "inputs": {"event_id": 4, "date": date(2026, 11, 30), "days_ahead": 2, "window_days": 7},
            },
        ],
    ),
    (
        "birthdays",
        B(2, "Ana", "1990-11-30"),
        [
            {
                "rule": "birthday",
                "subject": 2,
                "cycle": date(2026, 11, 30),
                "contact": "Ana",
                "contact_id": 2,
                "due": date(2026, 11, 30),
                "priority": 66.0,
                "action": "Wish Ana a happy birthday (Monday).",
                "reason": "Ana's birthday is in 2 days (Monday 2026-11-30); they turn 36",
                "inputs": {"birthday": "1990-11-30", "date": date(2026, 11, 30), "days_ahead": 2, "window_days": 3},
            },
        ],
    ),
    (
        "birthdays",
        B(2, "Ana", "19901128"),
        [
            {
                "rule": "birthday",
                "subject": 2,
                "cycle": date(2026, 11, 28),
                "contact": "Ana",
                "contact_id": 2,
                "due": date(2026, 11, 28),
                "priority": 68.0,
                "action": "Wish Ana a happy birthday (today).",
                "reason": "Ana's birthday is today (Saturday 2026-11-28); they turn 36",
                "inputs": {"birthday": "19901128", "date": date(2026, 11, 28), "days_ahead": 0, "window_days": 3},
            },
        ],
    ),
    (
        "birthdays",
        B(2, "Ana", "--12-01"),
        [
            {
                "rule": "birthday",
                "subject": 2,
                "cycle": date(2026, 12, 1),
                "contact": "Ana",
                "contact_id": 2,
                "due": date(2026, 12, 1),
                "priority": 65.0,
                "action": "Wish Ana a happy birthday (Tuesday).",
                "reason": "Ana's birthday is in 3 days (Tuesday 2026-12-01)",
                "inputs": {"birthday": "--12-01", "date": date(2026, 12, 1), "days_ahead": 3, "window_days": 3},
            },
        ],
    ),
]


def _seen(n: rules.Nudge) -> dict:
    return dict(
        rule=n.rule,
        subject=n.subject,
        cycle=n.cycle,
        contact=n.contact,
        contact_id=n.contact_id,
        due=n.due,
        priority=n.priority,
        action=n.action,
        reason=n.reason,
        inputs=n.inputs,
    )


@pytest.mark.parametrize(("field", "subject", "expected"), CASES)
def test_each_rule_says_exactly_this(field, subject, expected):
    found = rules.fire(rules.Facts(**{field: [subject]}), today=TODAY, config=CONFIG)
    assert [_seen(n) for n in found] == expected


# ---- the rules' thresholds, one day either side


def test_follow_up_lapses_after_its_window_and_never_for_a_future_meeting():
    assert [n.rule for n in rules.fire(rules.Facts(people=[person(last_met=ago(14))]), today=TODAY, config=CONFIG)] == [
        "follow-up"
    ]
    assert rules.fire(rules.Facts(people=[person(last_met=ago(15))]), today=TODAY, config=CONFIG) == []
    assert rules.fire(rules.Facts(people=[person(last_met=ago(-1))]), today=TODAY, config=CONFIG) == []
    same_day = person(last_met=ago(3), last_other=ago(3))
    assert rules.fire(rules.Facts(people=[same_day]), today=TODAY, config=CONFIG) == []
    wider = validate({"rules": {"follow_up_window_days": 20, "follow_up_due_days": 5}})
    (n,) = rules.fire(rules.Facts(people=[person(last_met=ago(20))]), today=TODAY, config=wider)
    assert n.due == ago(15) and n.priority == 95.0 and n.inputs["window_days"] == 20


def test_reconnect_for_an_active_mentor_is_left_to_the_mentor_rules():
    mia = person(id=7, name="Mia", tier="A", last_contact=ago(60))
    assert [n.rule for n in rules.fire(rules.Facts(people=[mia]), today=TODAY, config=CONFIG)] == ["reconnect"]
    assert [
        n.rule
        for n in rules.fire(
            rules.Facts(people=[mia], mentors=[mentor(last_session=ago(60))]), today=TODAY, config=CONFIG
        )
    ] == ["mentor-meeting", "mentor-prep"]
    paused = mentor(status="paused", last_session=ago(60))
    assert [n.rule for n in rules.fire(rules.Facts(people=[mia], mentors=[paused]), today=TODAY, config=CONFIG)] == [
        "reconnect"
    ]


def test_reconnect_priority_is_capped_at_70():
    (n,) = rules.fire(rules.Facts(people=[person(tier="A", last_contact=ago(400))]), today=TODAY, config=CONFIG)
    assert n.priority == 70.0
    (n,) = rules.fire(rules.Facts(people=[person(tier="B", last_contact=ago(45))]), today=TODAY, config=CONFIG)
    assert n.priority == 40.0  # 30 + 20 x 15/30


def test_thank_priority_never_counts_a_future_debt():
    owed = person(last_owed=ago(-3), last_owed_kind="intro")
    (n,) = rules.fire(rules.Facts(people=[owed]), today=TODAY, config=CONFIG)
    assert n.priority == 80.0 and n.reason.startswith("intro on 2026-12-01 (")


def test_give_back_needs_help_received_and_its_date():
    assert rules.fire(rules.Facts(people=[person(received_in_window=3)]), today=TODAY, config=CONFIG) == []
    at_margin = person(received_in_window=2, last_received=ago(1))
    assert [n.priority for n in rules.fire(rules.Facts(people=[at_margin]), today=TODAY, config=CONFIG)] == [35.0]
    stricter = validate({"rules": {"give_back_margin": 3, "give_back_window_days": 30}})
    assert rules.fire(rules.Facts(people=[at_margin]), today=TODAY, config=stricter) == []
    (n,) = rules.fire(rules.Facts(people=[at_margin._replace(received_in_window=3)]), today=TODAY, config=stricter)
    assert "in the last 30 days" in n.reason and n.inputs["margin"] == 3


def test_mentor_meeting_window_and_archived():
    assert rules.fire(rules.Facts(mentors=[mentor(last_session=ago(24))]), today=TODAY, config=CONFIG) == []
    (n, _) = rules.fire(rules.Facts(mentors=[mentor(last_session=ago(25))]), today=TODAY, config=CONFIG)
    assert n.due == ago(-3) and n.priority == 60.0
    assert (
        rules.fire(rules.Facts(mentors=[mentor(archived=True, last_session=ago(40))]), today=TODAY, config=CONFIG) == []
    )
    assert (
        rules.fire(rules.Facts(mentors=[mentor(status="ended", last_session=ago(40))]), today=TODAY, config=CONFIG)
        == []
    )
    (n,) = rules.fire(rules.Facts(mentors=[mentor(last_session=ago(40), open_questions=1)]), today=TODAY, config=CONFIG)
    assert n.rule == "mentor-meeting"


def test_goal_stalls_on_its_day_and_names_the_closest():
    assert rules.fire(rules.Facts(goals=[G(3, "Rust", ago(60), ago(20))]), today=TODAY, config=CONFIG) == []
    people = ((5, "Bo", "B", ago(3)), (6, "Al", "B", ago(9)), (7, "Cy", "B", None))
    assert (
        registry.RULES["goal-stalled"]
        .check(G(3, "Rust", ago(60), ago(30), linked=people), registry.Day(TODAY, CONFIG))
        .contact
        == "Bo"
    )
    ties = ((5, "Bo", "B", ago(3)), (6, "Al", "B", ago(3)))
    assert (
        registry.RULES["goal-stalled"]
        .check(G(3, "Rust", ago(60), ago(30), experts=ties), registry.Day(TODAY, CONFIG))
        .contact_id
        == 6
    )
    never = ((5, "Al", "A", None), (6, "Bo", "A", date(1, 1, 1)))  # any contact is closer than none
    assert (
        registry.RULES["goal-stalled"]
        .check(G(3, "Rust", ago(60), ago(30), experts=never), registry.Day(TODAY, CONFIG))
        .contact
        == "Bo"
    )
    (n,) = rules.fire(rules.Facts(goals=[G(3, "Rust", ago(60), ago(10_000))]), today=TODAY, config=CONFIG)
    assert n.priority == 50.0  # capped


def test_events_within_the_window_only():
    assert rules.fire(rules.Facts(events=[E(4, "PyCon", ago(1), False, None)]), today=TODAY, config=CONFIG) == []
    assert rules.fire(rules.Facts(events=[E(4, "PyCon", ago(-8), False, None)]), today=TODAY, config=CONFIG) == []


# ---- cadences


def test_the_cadence_settings_are_the_documented_ones():
    assert cadence.SETTINGS == {
        "learned_rhythm": True,
        "learned_min_days": 5,
        "learned_factor": 1.5,
        "learned_floor_days": 7,
        "mentor_cadence_days": 28,
    }
    assert rules.CADENCE_SETTINGS is cadence.SETTINGS
    assert {k: CONFIG.rule(k) for k in cadence.SETTINGS} == cadence.SETTINGS


def test_the_learned_rhythm_needs_five_weeks_and_rounds_half_up():
    c = rules.Cadences(CONFIG)
    assert c.rhythm("C", None, 4, 14.0) == rules.Rhythm(90, "tier")
    assert c.rhythm("C", None, 5, 14.0) == rules.Rhythm(21, "learned", 14.0)
    assert c.rhythm("C", None, 5, 7.0) == rules.Rhythm(11, "learned", 7.0)  # 10.5 rounds up
    assert c.rhythm("C", None, 5, 3.0) == rules.Rhythm(7, "learned", 3.0)  # the floor
    assert c.rhythm("C", None, 5, None) == rules.Rhythm(90, "tier")
    assert c.rhythm("A", 3, 9, 70.0) == rules.Rhythm(3, "own")
    assert c.rhythm("Z", None, 0, None) == rules.Rhythm(90, "tier")  # an unknown tier is C's
    assert c.rhythm("C", None, 5, 14.0) is c.rhythm("C", None, 6, 14.0)  # shared, not recomputed
    off = rules.Cadences(validate({"rules": {"learned_rhythm": False}}))
    assert off.rhythm("C", None, 9, 14.0) == rules.Rhythm(90, "tier") and off.bounds("C", None) == (90, 90)
    assert c.bounds("C", None) == (7, 90) and c.bounds("C", 12) == (12, 12)
    assert rules.Cadences(validate({"tiers": {"A": 5}})).bounds("A", None) == (5, 5)


def test_in_force_and_next_due():
    c = rules.Cadences(CONFIG)
    active = mentor(own_cadence_days=21, last_session=ago(10))
    assert c.in_force("A", None, 0, None, active) == rules.Rhythm(21, "mentor")
    assert c.in_force("A", None, 0, None, active._replace(status="paused") if False else mentor(status="paused")) == (
        rules.Rhythm(14, "tier")
    )
    assert c.in_force("A", 9, 0, None) == rules.Rhythm(9, "own")
    assert c.next_due(rules.Rhythm(21, "mentor"), ago(3), active) == ago(-11)
    assert c.next_due(rules.Rhythm(28, "mentor"), ago(3), mentor(last_session=ago(10))) == ago(-18)  # settings' 28
    assert c.next_due(rules.Rhythm(21, "mentor"), ago(3)) == ago(-18)
    assert c.next_due(rules.Rhythm(21, "tier"), ago(3), active) == ago(-18)
    assert c.next_due(rules.Rhythm(21, "tier"), None) is None
    assert rules.next_due(ago(5), 5) == TODAY and rules.next_due(None, 5) is None


def test_status_boundaries():
    assert rules.status(None, 10, today=TODAY) == "never"
    assert rules.status(ago(-1), 10, today=TODAY) == "ok"
    assert rules.status(TODAY, 10, today=TODAY) == "due"
    assert rules.status(ago(9), 10, today=TODAY) == "due"
    assert rules.status(ago(10), 10, today=TODAY) == "overdue"


@given(due=st.dates(date(2020, 1, 1), date(2030, 1, 1)), cadence_days=st.integers(1, 400))
def test_status_is_how_late_against_the_cadence(due, cadence_days):
    late = (TODAY - due).days
    expected = "ok" if late < 0 else "due" if late < cadence_days else "overdue"
    assert rules.status(due, cadence_days, today=TODAY) == expected


def test_mentor_cadence_and_due():
    assert rules.mentor_cadence(mentor(), CONFIG) == 28
    assert rules.mentor_cadence(mentor(own_cadence_days=10), CONFIG) == 10
    assert rules.mentor_cadence(mentor(), validate({"rules": {"mentor_cadence_days": 40}})) == 40
    assert rules.mentor_due(mentor(status="paused"), CONFIG) is None
    assert rules.mentor_due(mentor(last_session=ago(8), own_cadence_days=10), CONFIG) == ago(-2)
    assert rules.mentor_due(mentor(last_session=None, sessions_from=ago(8), own_cadence_days=10), CONFIG) == ago(-2)
    assert rules.mentor_due(mentor(last_session=ago(1), sessions_from=ago(8)), CONFIG) == ago(-27)
    assert rules.mentor_due(mentor(last_session=None, started_on=ago(4)), CONFIG) == ago(4)


def test_contact_weeks_run_monday_to_sunday():
    monday = date(2026, 11, 23)
    assert rules.contact_weeks([monday, monday + timedelta(days=6)]) == [(monday.toordinal() - 1) // 7]
    assert len(rules.contact_weeks([monday - timedelta(days=1), monday])) == 2
    assert rules.contact_weeks([date(1, 1, 7), date(1, 1, 1), date(1, 1, 8)]) == [0, 1]
    assert rules.median_gap([monday, monday + timedelta(weeks=1), monday + timedelta(weeks=4)]) == 14.0  # (7+21)/2
    assert rules.median_gap([]) is None


# ---- the registry


@pytest.fixture
def empty_registry(monkeypatch):
    monkeypatch.setattr(registry, "RULES", {})
    return registry.RULES


def _never(subject, day):
    return None


def test_a_declaration_is_checked(empty_registry):
    with pytest.raises(ValueError, match=r"^rule x: no facts called 'friends'$"):
        registry.rule(name="x", subject="friends", summary="s", style="red")
    declared = registry.rule(name="x", subject="people", summary="  one\n   two  ", style="red")(_never)
    assert declared == registry.Rule(name="x", subject="people", check=_never, summary="one two", style="red")
    assert (
        declared.settings,
        declared.limits,
        declared.done_logs,
        declared.reads_topics,
        declared.about_contact,
        declared.yields_to,
    ) == ({}, {}, None, False, True, None)
    assert empty_registry == {"x": declared}
    with pytest.raises(ValueError, match=r"^rule x is declared twice$"):
        registry.rule(name="x", subject="people", summary="s", style="red")(_never)
    with pytest.raises(ValueError, match=r"^rule y yields to z, which must be declared before it$"):
        registry.rule(name="y", subject="people", summary="s", style="red", yields_to="z")(_never)
    assert list(empty_registry) == ["x"]
    full = registry.rule(
        name="y",
        subject="goals",
        summary="s",
        style="blue",
        settings={"k": 1},
        limits={"k": (5, "things")},
        done_logs="call",
        reads_topics=True,
        about_contact=False,
        yields_to="x",
    )(_never)
    assert full == registry.Rule(
        name="y",
        subject="goals",
        check=_never,
        summary="s",
        style="blue",
        settings={"k": 1},
        limits={"k": (5, "things")},
        done_logs="call",
        reads_topics=True,
        about_contact=False,
        yields_to="x",
    )
    assert list(empty_registry) == ["x", "y"] and registry.rule_settings() == {"k": 1}


def test_the_registry_as_declared():
    assert list(rules.RULES) == [
        "follow-up",
        "reconnect",
        "thank",
        "give-back",
        "mentor-meeting",
        "mentor-prep",
        "goal-stalled",
        "event-upcoming",
        "birthday",
        "reply-owed",
        "community-quiet",
        "congratulate",
    ]
    assert {
        n: (r.subject, r.done_logs, r.reads_topics, r.about_contact, r.yields_to) for n, r in rules.RULES.items()
    } == {
        "follow-up": ("people", "message", False, True, None),
        "reconnect": ("people", "message", True, True, "follow-up"),
        "thank": ("people", "thanks", False, True, None),
        "give-back": ("people", "help-given", False, True, None),
        "mentor-meeting": ("mentors", "mentor-session", False, True, None),
        "mentor-prep": ("mentors", None, False, True, None),
        "goal-stalled": ("goals", None, False, False, None),
        "event-upcoming": ("events", None, False, False, None),
        "birthday": ("birthdays", "message", False, True, None),
        "reply-owed": ("replies", "message", False, True, None),
        "community-quiet": ("communities", None, False, False, None),
        "congratulate": ("jobs", "message", False, True, None),
    }
    assert rules.rule_settings() == {
        "follow_up_window_days": 14,
        "follow_up_due_days": 2,
        "thank_due_days": 2,
        "give_back_window_days": 365,
        "give_back_margin": 2,
        "mentor_due_window_days": 3,
        "goal_stall_days": 21,
        "event_window_days": 7,
        "birthday_days": 3,
        "reply_after": 2,
        "reply_window": 30,
        "congratulate_window": 30,
    }
    assert rules.RULES["birthday"].limits == {"birthday_days": (31, "days before a birthday")}


def test_congratulate_fires_within_its_window_and_says_the_new_role():
    job = rules.JobFacts(1, "Lena Schmidt", ago(3), "Zalando", "Staff ML Engineer", "Acme", "Engineer")
    (nudge,) = [n for n in rules.fire(rules.Facts(jobs=[job]), today=TODAY, config=CONFIG) if n.rule == "congratulate"]
    assert nudge.action == "Congratulate Lena Schmidt on the new role: Staff ML Engineer at Zalando."
    assert "Engineer at Acme" in nudge.reason and nudge.cycle == ago(3) and "still has" not in nudge.reason
    kept = job._replace(org_held="Acme", role_held="Engineer")  # an import listed the new job as a conflict
    (nudge,) = [n for n in rules.fire(rules.Facts(jobs=[kept]), today=TODAY, config=CONFIG) if n.rule == "congratulate"]
    assert "netcli still has Engineer at Acme (netcli edit takes the new one)" in nudge.reason
    taken = job._replace(org_held="Zalando", role_held="Staff ML Engineer")
    (nudge,) = [
        n for n in rules.fire(rules.Facts(jobs=[taken]), today=TODAY, config=CONFIG) if n.rule == "congratulate"
    ]
    assert "still has" not in nudge.reason
    late = rules.JobFacts(1, "Lena Schmidt", ago(31), "Zalando", None, None, "Engineer")
    assert [
        n for n in rules.fire(rules.Facts(jobs=[late]), today=TODAY, config=CONFIG) if n.rule == "congratulate"
    ] == []


class _Unlisted:
    """Settings whose [enabled] names no rule: a rule not named is on."""

    tiers = CONFIG.tiers
    enabled: ClassVar[dict[str, bool]] = {}
    rule = staticmethod(CONFIG.rule)
    tier_cadence = staticmethod(CONFIG.tier_cadence)


def test_a_rule_not_named_in_enabled_fires():
    config = _Unlisted()
    assert [
        n.rule
        for n in rules.fire(rules.Facts(people=[person(tier="A", last_contact=ago(20))]), today=TODAY, config=config)
    ] == ["reconnect"]


def test_follow_up_silences_reconnect_for_the_same_person_only():
    met = person(id=1, name="Ana", tier="A", last_contact=ago(20), last_met=ago(3))
    old = person(id=2, name="Bo", tier="A", last_contact=ago(20))
    found = rules.fire(rules.Facts(people=[met, old]), today=TODAY, config=CONFIG)
    assert sorted((n.rule, n.subject) for n in found) == [("follow-up", 1), ("reconnect", 2)]
    off = validate({"enabled": {"follow-up": False}})
    found = rules.fire(rules.Facts(people=[met, old]), today=TODAY, config=off)
    assert sorted((n.rule, n.subject) for n in found) == [("reconnect", 1), ("reconnect", 2)]


def test_day_knows_the_active_mentors():
    day = registry.Day(TODAY, CONFIG, rules.Facts(mentors=[mentor(contact_id=1), mentor(contact_id=2, status="ended")]))
    assert list(day.mentored) == [1] and day.today == TODAY and day.setting("thank_due_days") == 2
    assert registry.Day(TODAY, CONFIG).mentored == {}


def _n(i: int, priority: float, **kw) -> rules.Nudge:
    fields = dict(
        rule="reconnect",
        subject=i,
        cycle=TODAY,
        contact=f"P{i}",
        contact_id=i,
        due=TODAY,
        priority=priority,
        words=lambda: ("a", "r", {}),
    )
    fields.update(kw)
    return rules.Nudge(**fields)


def test_order_ranks_priority_then_due_then_rule_contact_subject():
    a = _n(1, 50.0, due=ago(-1))
    b = _n(2, 50.0)
    c = _n(3, 60.0, due=ago(-5))
    d = _n(4, 50.0, rule="birthday")
    e = _n(5, 50.0, contact=None)
    f = _n(6, 50.0, contact="P2")
    assert rules.order([a, b, c, d, e, f]) == [c, d, e, b, f, a]
    assert rules.order([a, b, c], limit=0) == [] and rules.order([], limit=0) == []
    many = [_n(i, float(i % 3)) for i in range(10)]
    assert rules.order(many, limit=1) == [many[2]]
    assert rules.order(many, limit=4) == rules.order(many)[:4]
    assert (
        rules.evaluate(
            rules.Facts(people=[person(tier="A", last_contact=ago(20)), person(id=2, last_met=ago(1))]),
            today=TODAY,
            config=CONFIG,
        )[0].rule
        == "follow-up"
    )


def test_visible_with_no_marks_and_with_marks_on_others():
    shown = [_n(1, 50.0), _n(2, 50.0, rule="goal-stalled", contact_id=None)]
    assert rules.visible(shown, {}, today=TODAY) == shown and rules.visible(shown, {}, today=TODAY) is not shown
    other = {"0000000": rules.NudgeMark("dismissed", contact_id=9)}
    assert rules.visible(shown, other, today=TODAY) == shown
    forever = {shown[0].id: rules.NudgeMark("snoozed", None, contact_id=1)}
    assert rules.visible(shown, forever, today=TODAY) == shown[1:]
    goal = {shown[1].id: rules.NudgeMark("done", contact_id=None)}
    assert rules.visible(shown, goal, today=TODAY) == shown[:1]


# ---- nudges


def test_a_nudge_is_made_lazily_and_reads_as_a_dict():
    calls = []

    def words():
        calls.append(1)
        return "Act.", "because", {"k": 1}

    n = _n(3, 42.5, contact="Ana", contact_id=8, words=words)
    assert n.id == sha1(f"reconnect|3|{TODAY}".encode()).hexdigest()[:7] == rules.nudge_id("reconnect", 3, TODAY)
    assert calls == [] and n.id is n.id
    assert (n.action, n.reason, n.inputs) == ("Act.", "because", {"k": 1}) and calls == [1]
    assert repr(n) == f"Nudge({n.id} reconnect 'Ana' due 2026-11-28 priority 42.5)"
    assert n.as_dict() == {
        "id": n.id,
        "rule": "reconnect",
        "action": "Act.",
        "contact": "Ana",
        "contact_id": 8,
        "due": TODAY,
        "priority": 42.5,
        "reason": "because",
    }
    assert list(n.as_dict()) == ["id", "rule", "action", "contact", "contact_id", "due", "priority", "reason"]
    assert rules.NudgeMark("done") == rules.NudgeMark("done", None, None)
    assert rules.nudge_id("a", 1, None) != rules.nudge_id("a", 1, "None ")


# ---- went_quiet


def _quiet(people, start, end, **kw):
    return rules.went_quiet(people, start=start, end=end, config=CONFIG, **kw)


def test_went_quiet_boundaries():
    nov, end = date(2026, 11, 1), date(2026, 11, 30)
    # tier A, 14 days: due on the month's first and last day; in touch on its first day; due the day after
    assert _quiet([person(tier="A", last_contact=date(2026, 10, 18))], nov, end) == ["Ana"]
    assert _quiet([person(tier="A", last_contact=date(2026, 11, 16))], nov, end) == []  # in touch in it
    assert _quiet([person(tier="A", last_contact=nov)], nov, end) == []
    assert _quiet([person(tier="A", last_contact=date(2026, 10, 31))], nov, date(2026, 11, 14)) == ["Ana"]
    assert _quiet([person(tier="A", last_contact=date(2026, 10, 31))], nov, date(2026, 11, 13)) == []
    # overdue before the month began: named only when in touch in the month before
    assert _quiet([person(tier="A", last_contact=date(2026, 10, 1))], nov, end) == ["Ana"]
    assert _quiet([person(tier="A", last_contact=date(2026, 9, 30))], nov, end) == []
    assert _quiet([person(last_contact=None)], nov, end) == []
    assert _quiet([person(tier="A", own_cadence_days=40, last_contact=date(2026, 9, 22))], nov, end) == ["Ana"]
    assert _quiet([person(tier="A", own_cadence_days=40, last_contact=date(2026, 9, 21))], nov, end) == []
    names = [
        person(id=i, name=n, tier=t, last_contact=date(2026, 10, 5))
        for i, (n, t) in enumerate([("bo", "B"), ("Cy", "A"), ("al", "A")])
    ]
    assert _quiet(names, nov, end) == ["al", "Cy", "bo"]  # closest tiers first, then by name


def test_went_quiet_reads_everyone_and_the_calendar_month_before_start():
    nov, end = date(2026, 11, 1), date(2026, 11, 30)
    mia = person(id=7, name="Mia", tier="A", last_contact=date(2026, 10, 10))
    bo = person(id=2, name="Bo", tier="A", last_contact=date(2026, 10, 18))
    nobody = person(id=3, name="Cy", last_contact=None)
    no_due = mentor(last_session=None, started_on=None)
    assert _quiet([nobody, mia, bo], nov, end, mentors=[no_due]) == ["Bo"]
    # from the 2nd, the month before is still October
    assert _quiet([person(tier="A", last_contact=date(2026, 10, 15))], date(2026, 11, 2), end) == []
    assert _quiet([person(tier="A", last_contact=date(2026, 11, 1))], date(2026, 11, 2), end) == ["Ana"]
    # a mentor in touch on the month's first day was not quiet in it, whatever their sessions say
    seen = person(id=7, name="Mia", tier="A", last_contact=nov)
    assert _quiet([seen], nov, end, mentors=[mentor(last_session=date(2026, 10, 1))]) == []
    assert _quiet([seen], date(2026, 11, 2), end, mentors=[mentor(last_session=date(2026, 10, 1))]) == ["Mia"]


def test_fmt_days():
    from netcli.rules.people import _fmt_days

    assert (_fmt_days(None), _fmt_days(14.0), _fmt_days(10.5), _fmt_days(7)) == ("?", "14", "10.5", "7")


def test_went_quiet_at_the_start_of_time():
    first = date(1, 1, 1)
    assert _quiet([person(tier="A", last_contact=first)], date(1, 1, 15), date(1, 1, 31)) == ["Ana"]
    assert _quiet([person(tier="D", last_contact=first)], date(1, 1, 15), date(1, 1, 31)) == []  # due in June
    assert _quiet([person(tier="D", last_contact=first)], date(1, 6, 1), date(1, 6, 30)) == ["Ana"]
    assert rules.quiet._minus(date(1, 1, 10), 9) == first and rules.quiet._minus(date(1, 1, 10), 10) == dt.date.min
    assert rules.quiet._minus(date(1, 1, 10), 50) == dt.date.min


def test_went_quiet_for_a_mentor_without_a_due_day_or_inactive():
    mia = person(id=7, name="Mia", tier="A", last_contact=date(2026, 10, 10))
    nov, end = date(2026, 11, 1), date(2026, 11, 30)
    assert _quiet([mia], nov, end, mentors=[mentor(last_session=None, started_on=None)]) == []
    assert _quiet([mia], nov, end, mentors=[mentor(status="paused", last_session=date(2026, 6, 1))]) == ["Mia"]
    assert _quiet([mia], nov, end, mentors=[mentor(last_session=date(2026, 10, 10))]) == ["Mia"]  # due Nov 7
    assert _quiet([mia], nov, end, mentors=[mentor(last_session=date(2026, 11, 5))]) == []


# ---- birthdays


def test_birth_year():
    assert birthday_rule.birth_year("1990-05-17") == 1990
    assert birthday_rule.birth_year(" 1901-05-17 ") == 1901
    assert birthday_rule.birth_year("1900-05-17") is None  # khard's year for "no year" before vCard 4.0
    assert birthday_rule.birth_year("1604-05-17") is None  # Apple's
    assert birthday_rule.birth_year("--05-17") is None and birthday_rule.birth_year("junk") is None
    assert birthday_rule.birth_year("19900517") == 1990


def test_birthday_in():
    assert rules.birthday_in("--02-29", 2027) == date(2027, 2, 28)
    assert rules.birthday_in("--02-29", 2028) == date(2028, 2, 29)
    assert rules.birthday_in("1990-03-29", 2027) == date(2027, 3, 29)
    assert rules.birthday_in("--01-29", 2027) == date(2027, 1, 29)
    assert rules.birthday_in(" --0229 ", 2027) == date(2027, 2, 28)
    assert rules.birthday_in("--04-31", 2027) is None and rules.birthday_in("1990-5-17", 2027) is None


def test_birthday_across_the_year_and_its_window():
    day = registry.Day(date(2026, 12, 30), CONFIG)
    n = rules.RULES["birthday"].check(B(1, "Ana", "--01-02"), day)
    assert n.due == date(2027, 1, 2) and n.priority == 65.0
    assert rules.RULES["birthday"].check(B(1, "Ana", "--01-03"), day) is None
    born_this_year = rules.RULES["birthday"].check(B(1, "Ana", "2026-12-31"), day)
    assert "turn" not in born_this_year.reason


def test_went_quiet_in_the_first_month_there_is():
    """The month before year 1's January does not exist: nobody is named, nothing breaks."""
    start = date(1, 1, 1)
    assert rules.went_quiet([], start=start, end=date(1, 1, 31), config=Config()) == []
