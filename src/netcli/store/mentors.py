"""Mentors: the mentorship of a contact, its questions, and its sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, select

from netcli.errors import Duplicate, Invalid, NotFound, UsageError
from netcli.models import Contact, Interaction, Mentor, MentorQuestion, Participant
from netcli.names import command
from netcli.store.capture import claim_meeting
from netcli.store.clean import MAX_NOTE, clean_labels, clean_text
from netcli.store.facts import mentor_facts
from netcli.store.interactions import log_interaction
from netcli.store.rows import add_labels, as_date, col, table_of
from netcli.wording import article


def get_mentor(session: Session, *, contact: Contact) -> Mentor:
    mentor = session.get(Mentor, contact.id)
    if mentor is None:
        raise NotFound(f"{contact.name} is not one of your mentors; add them with 'netcli mentor add'")
    return mentor


def add_mentor(
    session: Session,
    *,
    contact: Contact,
    cadence_days: int | None,
    prospect: bool,
    topics: Iterable[str],
    today: dt.date,
    since: dt.date | None = None,
) -> Mentor:
    """A new mentorship, active from today, or from `since` with sessions
    counted from then; a prospect has not started."""
    if since is not None and prospect:
        raise UsageError(  # two options that cannot both hold: the command line's, exit 2
            "--since is when the mentorship started, and a --prospect has not started yet; drop one of them"
        )
    existing = session.get(Mentor, contact.id)
    if existing is not None:
        raise Duplicate(
            f"{contact.name} is already a mentor ({existing.status}); "
            "use 'netcli mentor start' or 'netcli mentor end' to change that"
        )
    mentor = Mentor(
        contact_id=contact.id,
        status="prospect" if prospect else "active",
        cadence_days=cadence_days,
        started_on=None if prospect else (since or today),
        sessions_from=since,
    )
    session.add(mentor)
    add_labels(session, contact.id, tags=[], topics=clean_labels("topic", topics))
    session.flush()
    return mentor


def set_mentor_status(session: Session, *, contact: Contact, status: str, today: dt.date) -> Mentor:
    mentor = get_mentor(session, contact=contact)
    if mentor.status == status:
        raise Invalid(f"{contact.name} is already {article(status)} mentor")
    mentor.status = status
    if status == "active":
        mentor.started_on, mentor.ended_on = today, None
    elif status == "past":
        mentor.ended_on = today
    session.add(mentor)
    session.flush()
    return mentor


def ask_mentor(session: Session, *, contact: Contact, text: str, today: dt.date) -> MentorQuestion:
    get_mentor(session, contact=contact)
    question = clean_text("question", text, limit=MAX_NOTE)
    if not question:
        raise Invalid("a question cannot be empty")
    number = session.scalars(
        select(func.coalesce(func.max(col(MentorQuestion.number)), 0)).where(
            col(MentorQuestion.contact_id) == contact.id
        )
    ).one()
    asked = MentorQuestion(contact_id=contact.id, number=int(number) + 1, text=question, asked_on=today)
    session.add(asked)
    session.flush()
    return asked


def open_questions(session: Session, *, contact_id: int, as_of: dt.date | None = None) -> list[MentorQuestion]:
    query = select(MentorQuestion).where(col(MentorQuestion.contact_id) == contact_id)
    if as_of is None:
        query = query.where(col(MentorQuestion.answered_on).is_(None))
    else:
        query = query.where(
            col(MentorQuestion.asked_on) <= as_of,
            or_(col(MentorQuestion.answered_on).is_(None), col(MentorQuestion.answered_on) > as_of),
        )
    return list(session.scalars(query.order_by(col(MentorQuestion.number))))


def meet_mentor(
    session: Session,
    *,
    contact: Contact,
    on: dt.date,
    note: str | None,
    answered: Sequence[int] | str | None,
) -> tuple[Interaction, list[MentorQuestion]]:
    """Log a mentor-session and close the questions it answered."""
    mentor = get_mentor(session, contact=contact)
    waiting = open_questions(session, contact_id=contact.id)
    if answered == "all":
        closing = waiting
    else:
        numbers: set[Any] = set(answered or ())  # the numbers asked ("all" is handled above)
        closing = [q for q in waiting if q.number in numbers]
        unknown = numbers - {q.number for q in closing}
        if unknown:
            raise NotFound(
                f"{contact.name} has no open question numbered {', '.join(map(str, sorted(unknown)))}; "
                f"{command('mentor', 'prep', contact.name)} lists them"
            )
    # the meeting captured from the calendar that day is this session: one meeting, one interaction
    claimed = claim_meeting(
        session, contact_id=contact.id, on=on, kind="mentor-session", note=clean_text("note", note, limit=MAX_NOTE)
    )
    if claimed is not None:
        interaction = session.get_one(Interaction, claimed, populate_existing=True)
    else:
        interaction = log_interaction(session, contacts=[contact], kind="mentor-session", on=on, note=note)
    for question in closing:
        question.answered_on, question.answered_in = on, interaction.id
        session.add(question)
    if mentor.status == "prospect":
        mentor.status, mentor.started_on = "active", on
        session.add(mentor)
    session.flush()
    return interaction, closing


def last_session_note(session: Session, *, contact_id: int) -> dict[str, Any] | None:
    row = session.exec(
        select(col(Interaction.date), col(Interaction.note))
        .join(table_of(Participant), col(Participant.interaction_id) == col(Interaction.id))
        .where(col(Participant.contact_id) == contact_id, col(Interaction.kind) == "mentor-session")
        .order_by(col(Interaction.date).desc(), col(Interaction.id).desc())
        .limit(1)
    ).first()
    return {"date": as_date(row[0]), "note": row[1]} if row else None


def mentorship_of(session: Session, *, contact_id: int, as_of: dt.date) -> dict[str, Any] | None:
    """The contact's mentorship, for `show`: status, cadence, questions."""
    mentor = session.get(Mentor, contact_id)
    if mentor is None:
        return None
    facts = next(m for m in mentor_facts(session, as_of=as_of) if m["contact_id"] == contact_id)
    return {
        "status": mentor.status,
        "cadence_days": mentor.cadence_days,
        "started_on": mentor.started_on,
        "ended_on": mentor.ended_on,
        "last_session": facts["last_session"],
        "questions": [q.text for q in open_questions(session, contact_id=contact_id, as_of=as_of)],
    }
