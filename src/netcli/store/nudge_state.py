"""What the user said of each nudge (done, dismissed, snoozed until a day)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from netcli.models import NudgeState


def nudge_states(session: Session) -> dict[str, NudgeState]:
    return {s.nudge_id: s for s in session.scalars(select(NudgeState))}


def set_nudge_state(
    session: Session, *, nudge_id: str, state: str, until: dt.date | None, contact_id: int | None
) -> None:
    existing = session.get(NudgeState, nudge_id)
    if existing is None:
        existing = NudgeState(nudge_id=nudge_id, state=state)
    existing.state, existing.until, existing.contact_id = state, until, contact_id
    session.add(existing)
    session.flush()
