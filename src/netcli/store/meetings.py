"""The `met` and `intro` interactions that say how you met a contact, kept
in step with the contact's met_on and introducer by the one contact writer
(`contacts.update_contact`): the `met` follows met_on, the introducer's
`intro` follows introduced_by, and someone who came from a file or a card is
met once the user says how."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from netcli.models import Contact, Interaction, Participant
from netcli.store.interactions import drop_part, log_interaction, met_days, redate_part
from netcli.store.rows import col, table_of


def intro_note(name: str) -> str:
    return f"introduced you to {name}"


def keep_in_step(
    session: Session,
    contact: Contact,
    meetings: list[int],
    intro: int | None,
    introducer_before: int | None,
    met_before: dt.date | None,
) -> None:
    """The `met` follows met_on; the introducer's `intro` follows introduced_by (and met_on)."""
    assert contact.id is not None
    moved = contact.met_on != met_before
    if moved and contact.met_on is not None:
        for interaction_id in meetings:
            redate_part(session, interaction_id=interaction_id, contact_id=contact.id, on=contact.met_on)
    if contact.introduced_by_id != introducer_before:
        moved = True
        if intro is not None and contact.introduced_by_id is None:
            assert introducer_before is not None  # it changed, to none
            drop_part(session, interaction_ids=[intro], contact_ids=[introducer_before])
        elif intro is not None:
            session.exec(
                update(Participant)
                .where(col(Participant.interaction_id) == intro)
                .values(contact_id=contact.introduced_by_id)
            )
        elif contact.met_on is not None and meetings:
            intro = log_interaction(
                session,
                contacts=[session.get_one(Contact, contact.introduced_by_id)],
                kind="intro",
                on=contact.met_on,
                note=intro_note(contact.name),
            ).id
    if moved and intro is not None and contact.introduced_by_id is not None and contact.met_on is not None:
        redate_part(session, interaction_id=intro, contact_id=contact.introduced_by_id, on=contact.met_on)


MEETING = ("met_on", "met_at", "via", "introduced_by_id")  # what says how you met


def first_meeting(
    session: Session, contact: Contact, meetings: list[int], intro: int | None
) -> tuple[list[int], int | None]:
    """A contact with no `met` at all gets it on met_on, and the introducer's
    `intro`, as `add` logs them; one who has a `met` keeps it."""
    if meetings or contact.met_on is None or met_days(session, [contact.id]):
        return meetings, intro
    met = log_interaction(session, contacts=[contact], kind="met", on=contact.met_on, note=None)
    if contact.introduced_by_id is not None and intro is None:
        introducer = session.get_one(Contact, contact.introduced_by_id)
        intro = log_interaction(
            session, contacts=[introducer], kind="intro", on=contact.met_on, note=intro_note(contact.name)
        ).id
    assert met.id is not None
    return [met.id], intro


def meetings_of(session: Session, contact: Contact) -> list[int]:
    """The `met` interactions that record meeting this contact, on its met_on."""
    if contact.met_on is None:
        return []
    return list(
        session.scalars(
            select(col(Participant.interaction_id))
            .where(
                col(Participant.contact_id) == contact.id,
                col(Participant.kind) == "met",
                col(Participant.date) == contact.met_on,
            )
            .order_by(col(Participant.interaction_id))
        )
    )


def intro_of(session: Session, contact: Contact) -> int | None:
    """The `intro` with this contact's introducer alone on the day you met
    (what `add --introduced-by` logs), if there is one."""
    if contact.met_on is None or contact.introduced_by_id is None:
        return None
    other = aliased(Participant)
    return session.scalars(
        select(col(Participant.interaction_id))
        .join(table_of(Interaction), col(Interaction.id) == col(Participant.interaction_id))
        .where(
            col(Participant.contact_id) == contact.introduced_by_id,
            col(Participant.kind) == "intro",
            col(Participant.date) == contact.met_on,
            ~exists().where(
                col(other.interaction_id) == col(Participant.interaction_id),
                col(other.contact_id) != col(Participant.contact_id),
            ),
        )
        .order_by((col(Interaction.note) == intro_note(contact.name)).desc(), col(Participant.interaction_id))
        .limit(1)
    ).first()
