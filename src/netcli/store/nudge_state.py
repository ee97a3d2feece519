"""What the user said of each nudge (done, dismissed, snoozed until a day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select as core_select
from sqlmodel import Session

from netcli.models import NudgeState
from netcli.store.rows import table_of


def nudge_states(session: Session) -> dict[str, Any]:
    """Each marked nudge's row (`state`, `until`, `contact_id`) by its id: rows,
    not objects, read as Core (see `rows.col`); `set_nudge_state` changes one."""
    return {s.nudge_id: s for s in session.connection().execute(core_select(table_of(NudgeState)))}


def set_nudge_state(
    session: Session, *, nudge_id: str, state: str, until: dt.date | None, contact_id: int | None
) -> None:
    existing = session.get(NudgeState, nudge_id)
    if existing is None:
        existing = NudgeState(nudge_id=nudge_id, state=state)
    existing.state, existing.until, existing.contact_id = state, until, contact_id
    session.add(existing)
    session.flush()
