"""Merging two contacts that are one person: history, labels, goal links,
community memberships and mentorship move onto the one kept."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from netcli.errors import Invalid
from netcli.models import (
    CommunityMember,
    Contact,
    ContactTag,
    ContactTopic,
    GoalContact,
    Interaction,
    Mentor,
    MentorQuestion,
    Participant,
)
from netcli.results import Conflict
from netcli.store.contacts import update_contact
from netcli.store.emails import EMAILS, HANDLES, PHONES, listed_of, set_listed
from netcli.store.interactions import drop_part, redate_part
from netcli.store.meetings import intro_note, intro_of
from netcli.store.proposal import Policy, Proposal
from netcli.store.rows import add_labels, col, table_of


def check_mergeable(*, keep: Contact, other: Contact) -> None:
    """Refuse to merge a contact into itself (before anyone is asked to confirm it)."""
    if keep.id == other.id:
        raise Invalid(f"'{keep.name}' and '{other.name}' are the same contact (#{keep.id})")


def merge_contacts(session: Session, *, keep: Contact, other: Contact) -> list[Conflict]:
    """Move OTHER's history and labels onto KEEP, fill KEEP's gaps, delete
    OTHER; returns OTHER's values that differed from KEEP's and went with it
    (KEEP's stay), so that the user is told.

    Nothing is counted twice: one `met` stays (the earlier, with its place
    and channel), and of the intros logged for the two halves only the one
    with KEEP's introducer."""
    check_mergeable(keep=keep, other=other)
    intros = [i for i in (intro_of(session, keep), intro_of(session, other)) if i is not None]
    _merge_meetings(session, keep=keep, other=other)
    shared = select(col(Participant.interaction_id)).where(col(Participant.contact_id) == keep.id)
    session.exec(
        delete(Participant).where(col(Participant.contact_id) == other.id, col(Participant.interaction_id).in_(shared))
    )
    session.exec(update(Participant).where(col(Participant.contact_id) == other.id).values(contact_id=keep.id))
    tags = session.scalars(select(col(ContactTag.tag)).where(col(ContactTag.contact_id) == other.id)).all()
    topics = session.scalars(select(col(ContactTopic.topic)).where(col(ContactTopic.contact_id) == other.id)).all()
    add_labels(session, keep.id, tags=tags, topics=topics)
    session.exec(update(Contact).where(col(Contact.introduced_by_id) == other.id).values(introduced_by_id=keep.id))
    _merge_learning(session, keep_id=keep.id, other_id=other.id)
    session.refresh(keep)
    if keep.introduced_by_id == keep.id:
        keep.introduced_by_id = None
    if other.introduced_by_id == keep.id:
        other.introduced_by_id = None
    note = keep.note
    if other.note and other.note != keep.note:
        note = f"{keep.note}\n\n{other.note}" if keep.note else other.note
    met_on = other.met_on if other.met_on and (keep.met_on is None or other.met_on < keep.met_on) else None
    kinds = (EMAILS, PHONES, HANDLES)
    listed = {kind: listed_of(session, kind, contact_ids=[other.id]).get(other.id, []) for kind in kinds}
    for kind in kinds:  # they move to KEEP: OTHER holds them no longer
        set_listed(session, kind, contact_id=other.id, values=[])
    # OTHER's facts fill KEEP's gaps (KEEP's own values win: what differs stays KEEP's); the earlier meeting counts
    theirs = Proposal(
        **{key: getattr(other, key) for key in MERGED},
        emails=listed[EMAILS],
        phones=listed[PHONES],
        handles=listed[HANDLES],
    )
    place = (other.met_at, other.met_event_id, other.met_community_id)  # where they met, with its link
    differed: list[Conflict] = []
    keep.note = note
    if met_on is not None:  # OTHER's meeting is the earlier: it is the one, its place and channel with it
        keep.met_on = met_on
        taken = {"met_at": other.met_at or keep.met_at, "via": other.via or keep.via}
        differed = [
            Conflict(keep.name, key, getattr(keep, key), taken[key], keep.id, EARLIER)
            for key in ("met_at", "via")
            if getattr(keep, key) not in (None, "", taken[key])
        ]
        if other.met_at:
            keep.met_at, keep.met_event_id, keep.met_community_id = place
        keep.via = taken["via"]
    elif other.met_on == keep.met_on:  # the same meeting: OTHER's place fills it, or differs
        if other.met_at:
            theirs.met_at, theirs.met_event_id, theirs.met_community_id = place
    else:  # KEEP's meeting is the one: how and where OTHER's later one was is named, not taken
        theirs.via = None
        later = [key for key in ("met_at", "via") if getattr(other, key) not in (None, "", getattr(keep, key))]
        differed = [Conflict(keep.name, key, getattr(keep, key), getattr(other, key), keep.id, LATER) for key in later]
    session.add(keep)
    session.flush()
    written = update_contact(session, contact=keep, proposal=theirs, policy=Policy.fill)
    now = intro_of(session, keep)  # the writer logs one for an introducer KEEP gained
    if now is not None and now not in intros:
        intros.append(now)
    _merge_intros(session, keep=keep, other=other, intros=intros)
    session.exec(delete(Contact).where(col(Contact.id) == other.id))
    session.expunge(other)
    return written.conflicts + differed


# why a value of the meeting differs: OTHER's earlier one was taken whole, or OTHER's later one was not
EARLIER, LATER = "the earlier meeting, taken whole", "of a later meeting"
# what OTHER's half gives KEEP through the writer: fills, or differs (a conflict named)
MERGED = ("org", "role", "location", "url", "via", "introduced_by_id", "cadence_days", "tier", "birthday")


def _merge_meetings(session: Session, *, keep: Contact, other: Contact) -> None:
    """Two halves of one person were met once: keep the earlier `met`."""
    rows = session.exec(
        select(col(Participant.interaction_id), col(Interaction.note))
        .join(table_of(Interaction), col(Interaction.id) == col(Participant.interaction_id))
        .where(col(Participant.contact_id).in_([keep.id, other.id]), col(Participant.kind) == "met")
        .order_by(col(Participant.date), col(Participant.interaction_id))
    ).all()
    if len({iid for iid, _ in rows}) < 2:
        return
    first, first_note = rows[0]
    later = [(iid, note) for iid, note in rows if iid != first]
    note = next((n for _, n in later if n), None)
    if not first_note and note:
        session.exec(update(Interaction).where(col(Interaction.id) == first).values(note=note))
    drop_part(session, interaction_ids=[iid for iid, _ in later], contact_ids=[keep.id, other.id])


def _merge_intros(session: Session, *, keep: Contact, other: Contact, intros: Sequence[int]) -> None:
    """Of the intros logged for the two halves, keep one: with KEEP's
    introducer, on the day you met, naming KEEP; the others no longer say
    anything true."""
    kept = None
    for interaction_id in intros:
        introducer = session.scalars(
            select(col(Participant.contact_id)).where(col(Participant.interaction_id) == interaction_id)
        ).first()
        if kept is None and introducer is not None and introducer == keep.introduced_by_id:
            kept = interaction_id
            if keep.met_on is not None:
                redate_part(session, interaction_id=interaction_id, contact_id=introducer, on=keep.met_on)
            session.exec(
                update(Interaction)
                .where(col(Interaction.id) == interaction_id, col(Interaction.note) == intro_note(other.name))
                .values(note=intro_note(keep.name))
            )
        else:
            session.exec(delete(Interaction).where(col(Interaction.id) == interaction_id))


def _merge_learning(session: Session, *, keep_id: int, other_id: int) -> None:
    """Goal links, community memberships and mentorship move to KEEP; KEEP's own mentorship wins."""
    linked = select(col(GoalContact.goal_id)).where(col(GoalContact.contact_id) == keep_id)
    session.exec(
        delete(GoalContact).where(col(GoalContact.contact_id) == other_id, col(GoalContact.goal_id).in_(linked))
    )
    session.exec(update(GoalContact).where(col(GoalContact.contact_id) == other_id).values(contact_id=keep_id))
    joined = select(col(CommunityMember.community_id)).where(col(CommunityMember.contact_id) == keep_id)
    session.exec(
        delete(CommunityMember).where(
            col(CommunityMember.contact_id) == other_id, col(CommunityMember.community_id).in_(joined)
        )
    )
    session.exec(update(CommunityMember).where(col(CommunityMember.contact_id) == other_id).values(contact_id=keep_id))
    theirs = session.get(Mentor, other_id)
    if theirs is None:
        return
    ours = session.get(Mentor, keep_id)
    if ours is None:
        ours = Mentor(
            contact_id=keep_id,
            status=theirs.status,
            cadence_days=theirs.cadence_days,
            started_on=theirs.started_on,
            ended_on=theirs.ended_on,
            sessions_from=theirs.sessions_from,
        )
        session.add(ours)
        session.flush()
    else:
        if ours.cadence_days is None:
            ours.cadence_days = theirs.cadence_days
        if theirs.started_on and (ours.started_on is None or theirs.started_on < ours.started_on):
            ours.started_on, ours.sessions_from = theirs.started_on, theirs.sessions_from
    offset = session.scalars(
        select(func.coalesce(func.max(col(MentorQuestion.number)), 0)).where(col(MentorQuestion.contact_id) == keep_id)
    ).one()
    session.exec(
        update(MentorQuestion)
        .where(col(MentorQuestion.contact_id) == other_id)
        .values(contact_id=keep_id, number=col(MentorQuestion.number) + offset)
    )
    session.flush()
    session.exec(delete(Mentor).where(col(Mentor.contact_id) == other_id))
    session.expunge(theirs)
