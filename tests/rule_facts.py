"""Facts for the pure rule tests: a day, the default settings, and a person
with nothing logged but what a test says."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from netcli import rules
from netcli.config import Config

TODAY = date(2026, 11, 28)  # a Saturday
CONFIG = Config()


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def person(**facts: Any) -> rules.PersonFacts:
    base: dict[str, Any] = {
        "id": 1,
        "name": "Ana",
        "tier": "C",
        "own_cadence_days": None,
        "topics": (),
        "last_contact": None,
        "last_met": None,
        "last_other": None,
        "last_owed": None,
        "last_owed_kind": None,
        "last_thanks": None,
        "received_in_window": 0,
        "given_in_window": 0,
        "last_received": None,
    }
    return rules.PersonFacts(**(base | facts))
