"""SQLModel tables: the shape of the data, nothing else.

No queries live here (see `store.py`), and nothing from the CLI. The
`participant` table repeats each interaction's date and kind so that the
questions asked every morning (last contact per person, counts of a kind per
person) are answered from one covering index.
"""

import datetime as dt
from typing import Optional

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Contact(SQLModel, table=True):
    __tablename__ = "contact"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    # casefolded, accent-free name: what WHO resolution and duplicate checks compare
    name_key: str = Field(index=True)
    email: Optional[str] = Field(default=None, index=True)
    phone: Optional[str] = None
    org: Optional[str] = None
    role: Optional[str] = None
    location: Optional[str] = None
    url: Optional[str] = None
    via: Optional[str] = None
    met_at: Optional[str] = None
    met_on: Optional[dt.date] = None
    introduced_by_id: Optional[int] = Field(
        default=None, foreign_key="contact.id", ondelete="SET NULL"
    )
    tier: str = "C"
    cadence_days: Optional[int] = None
    note: Optional[str] = None
    archived: bool = False


class ContactTag(SQLModel, table=True):
    __tablename__ = "contact_tag"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True, index=True)


class ContactTopic(SQLModel, table=True):
    __tablename__ = "contact_topic"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    topic: str = Field(primary_key=True, index=True)


class Interaction(SQLModel, table=True):
    __tablename__ = "interaction"

    id: Optional[int] = Field(default=None, primary_key=True)
    date: dt.date = Field(index=True)
    kind: str = "message"
    note: Optional[str] = None


class Participant(SQLModel, table=True):
    """One contact's part in an interaction (date and kind copied for speed)."""

    __tablename__ = "participant"
    __table_args__ = (Index("ix_participant_contact_date", "contact_id", "date", "kind"),)

    interaction_id: int = Field(
        foreign_key="interaction.id", primary_key=True, ondelete="CASCADE"
    )
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    date: dt.date
    kind: str


class InteractionTopic(SQLModel, table=True):
    __tablename__ = "interaction_topic"

    interaction_id: int = Field(
        foreign_key="interaction.id", primary_key=True, ondelete="CASCADE"
    )
    topic: str = Field(primary_key=True)


class NudgeState(SQLModel, table=True):
    """A nudge the user snoozed or dismissed, keyed by the nudge's stable id."""

    __tablename__ = "nudge_state"

    nudge_id: str = Field(primary_key=True)
    state: str  # "snoozed" or "dismissed"
    until: Optional[dt.date] = None
    contact_id: Optional[int] = Field(
        default=None, foreign_key="contact.id", ondelete="CASCADE", index=True
    )
