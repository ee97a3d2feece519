"""SQLModel tables: the shape of the data, nothing else.

No queries live here (see `store.py`), and nothing from the CLI. The
`participant` table repeats each interaction's date and kind so that the
questions asked every morning (last contact per person, counts of a kind per
person) are answered from one covering index.
"""

import datetime as dt

from sqlalchemy import BigInteger, ForeignKeyConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig

# the rows `ix_participant_help` holds; a query must say exactly this to use it
HELP_ROWS = "kind IN ('help-received', 'help-given')"


# ids never come back once their row is deleted (SQLite's AUTOINCREMENT; migration 0013):
# an `unlog 76` run again from the shell's history must not find another interaction
NEVER_REUSED = {"sqlite_autoincrement": True}


class Table(SQLModel):
    """Every table's base. Rows are built by SQLAlchemy and by `SQLModel.__init__`,
    which never runs Pydantic's validator on a table, so the validator is not
    built when the class is (`defer_build`): that cost every command's start."""

    model_config = SQLModelConfig(defer_build=True)


class Contact(Table, table=True):
    __tablename__ = "contact"
    __table_args__ = NEVER_REUSED

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    name: str
    # casefolded, accent-free name: what WHO resolution and duplicate checks compare
    name_key: str = Field(index=True)
    email: str | None = Field(default=None, index=True)
    phone: str | None = None
    org: str | None = None
    role: str | None = None
    location: str | None = None
    url: str | None = None
    url_key: str | None = Field(default=None, index=True)  # `identity.url_key(url)`: what matching compares
    via: str | None = None
    met_at: str | None = None
    met_on: dt.date | None = None
    introduced_by_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    tier: str = "C"
    cadence_days: int | None = None
    note: str | None = None
    archived: bool = False
    birthday: str | None = None  # YYYY-MM-DD, --MM-DD without a year, or as a vCard gave it
    # where you met, when --met-at named a known event or community
    met_event_id: int | None = Field(default=None, foreign_key="event.id", ondelete="SET NULL")
    met_community_id: int | None = Field(default=None, foreign_key="community.id", ondelete="SET NULL")


class ContactEmail(Table, table=True):
    """A contact's addresses in order; position 0 is the one `contact.email` repeats
    (most queries read that one column, so it stays). `address_key` is what
    matching compares (see `netcli.addresses`)."""

    __tablename__ = "contact_email"
    __table_args__ = (UniqueConstraint("contact_id", "address_key", name="uq_contact_email_key"),)

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    address: str
    address_key: str = Field(index=True)


class ContactPhone(Table, table=True):
    """A contact's phone numbers in order; position 0 is the one `contact.phone`
    repeats. `number_key` is what matching compares (`identity.phone_key`: E.164)."""

    __tablename__ = "contact_phone"
    __table_args__ = (UniqueConstraint("contact_id", "number_key", name="uq_contact_phone_key"),)

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    number: str
    number_key: str = Field(index=True)


class ContactHandle(Table, table=True):
    """A contact's chat identities in order (`telegram:@ana`, `slack:T0123/U0456`):
    `KIND:VALUE`, its value normalised per kind (`identity.handle_key`), which
    is what matching compares."""

    __tablename__ = "contact_handle"
    __table_args__ = (UniqueConstraint("contact_id", "handle", name="uq_contact_handle"),)

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    handle: str = Field(index=True)


class ContactTag(Table, table=True):
    __tablename__ = "contact_tag"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True, index=True)


class ContactTopic(Table, table=True):
    __tablename__ = "contact_topic"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    topic: str = Field(primary_key=True, index=True)


class Interaction(Table, table=True):
    __tablename__ = "interaction"
    __table_args__ = (Index("ix_interaction_date_kind", "date", "kind"), NEVER_REUSED)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    date: dt.date
    kind: str = "message"
    note: str | None = None
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL", index=True)
    # vocab.Source / vocab.Direction; the server default is what migration 0010 gave older rows
    source: str = Field(default="manual", sa_column_kwargs={"server_default": "manual"})
    direction: str | None = None


class Participant(Table, table=True):
    """One contact's part in an interaction (date and kind copied for speed)."""

    __tablename__ = "participant"
    __table_args__ = (
        Index("ix_participant_contact_date", "contact_id", "date", "kind"),
        # only the help rows, for the window of help given and received: an index every row
        # went into would cost imports more than it saves
        Index(
            "ix_participant_help",
            "date",
            "contact_id",
            "kind",
            # migration 0005 makes it partial on PostgreSQL too; saying so here as
            # `postgresql_where` would import that whole dialect on every SQLite start
            sqlite_where=text(HELP_ROWS),
        ),
    )

    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    date: dt.date
    kind: str


class InteractionTopic(Table, table=True):
    __tablename__ = "interaction_topic"

    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")
    topic: str = Field(primary_key=True)


class NudgeState(Table, table=True):
    """A nudge the user snoozed or dismissed, keyed by the nudge's stable id."""

    __tablename__ = "nudge_state"

    nudge_id: str = Field(primary_key=True)
    state: str  # "snoozed" or "dismissed"
    until: dt.date | None = None
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="CASCADE", index=True)


class Mentor(Table, table=True):
    """A mentoring relationship with one contact: prospect -> active -> past."""

    __tablename__ = "mentor"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    status: str = "active"
    cadence_days: int | None = None  # None: the config's mentor_cadence_days
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    # `mentor add --since`: sessions count from this day until one is logged;
    # None: the first session is due the day the mentorship became active
    sessions_from: dt.date | None = None


class MentorQuestion(Table, table=True):
    """A question to bring to the next session; `number` counts per mentor."""

    __tablename__ = "mentor_question"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    contact_id: int = Field(foreign_key="mentor.contact_id", ondelete="CASCADE", index=True)
    number: int
    text: str
    asked_on: dt.date
    answered_on: dt.date | None = None
    answered_in: int | None = Field(default=None, foreign_key="interaction.id", ondelete="SET NULL")


class Goal(Table, table=True):
    __tablename__ = "goal"
    __table_args__ = NEVER_REUSED

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    title: str
    why: str | None = None
    target_on: dt.date | None = None
    status: str = "active"  # active, done, dropped
    created_on: dt.date
    closed_on: dt.date | None = None


class GoalTopic(Table, table=True):
    __tablename__ = "goal_topic"

    goal_id: int = Field(foreign_key="goal.id", primary_key=True, ondelete="CASCADE")
    topic: str = Field(primary_key=True, index=True)


class GoalContact(Table, table=True):
    __tablename__ = "goal_contact"

    goal_id: int = Field(foreign_key="goal.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE", index=True)


class GoalProgress(Table, table=True):
    __tablename__ = "goal_progress"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    goal_id: int = Field(foreign_key="goal.id", ondelete="CASCADE", index=True)
    date: dt.date
    note: str
    percent: int | None = None


class Community(Table, table=True):
    __tablename__ = "community"
    __table_args__ = NEVER_REUSED

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    name: str
    name_key: str = Field(index=True)  # not unique: `community add --force` keeps two apart by #ID
    kind: str
    url: str | None = None
    cadence_days: int | None = None  # how often the user means to take part (`community edit --every`)
    cadence_since: dt.date | None = None  # the day that cadence was set: its clock starts then
    took_part_on: dt.date | None = None  # the last day `done` said the user took part


class CommunityChat(Table, table=True):
    """A group or channel of a chat app that is a community (`community edit
    --chat KIND:ID`): `chat` as the capture names it (`discord:5233…`)."""

    __tablename__ = "community_chat"

    chat: str = Field(primary_key=True)
    community_id: int = Field(foreign_key="community.id", ondelete="CASCADE", index=True)


class ChatPost(Table, table=True):
    """One of the user's own messages in a group or channel, by its key (so
    that none counts twice): the chat and the local day, nothing else."""

    __tablename__ = "chat_post"
    __table_args__ = (Index("ix_chat_post_chat_date", "chat", "date"),)

    key: str = Field(primary_key=True)
    chat: str
    date: dt.date


class JobChange(Table, table=True):
    """A contact's company or position seen to change (`capture linkedin`):
    what they held before, what they hold since, the day it was seen."""

    __tablename__ = "job_change"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE", index=True)
    org_before: str | None = None
    role_before: str | None = None
    org: str | None = None
    role: str | None = None
    seen_on: dt.date


class CommunityMember(Table, table=True):
    """A person who belongs to a community (`community join`), apart from
    where you met them."""

    __tablename__ = "community_member"

    community_id: int = Field(foreign_key="community.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE", index=True)


class Event(Table, table=True):
    __tablename__ = "event"
    __table_args__ = NEVER_REUSED

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    name: str
    name_key: str = Field(index=True)
    date: dt.date = Field(index=True)
    kind: str = "other"
    online: bool = False
    community_id: int | None = Field(default=None, foreign_key="community.id", ondelete="SET NULL", index=True)


class ContactStats(Table, table=True):
    """Per person, the facts the rules read, over all their interactions.

    Derived data: database triggers mark a person in `stats_dirty` whenever a
    participant row changes, and `store` recomputes them before the
    transaction commits. Not part of backups."""

    __tablename__ = "contact_stats"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    interactions: int = 0
    last_contact: dt.date | None = None
    last_met: dt.date | None = None
    last_other: dt.date | None = None
    last_owed: dt.date | None = None
    last_owed_kind: str | None = None
    last_thanks: dt.date | None = None
    last_received: dt.date | None = None
    day_count: int = 0
    median_gap: float | None = None


class StatsDirty(Table, table=True):
    """People whose `contact_stats` row must be recomputed (kept by triggers)."""

    __tablename__ = "stats_dirty"

    contact_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class BulkLoad(Table, table=True):
    """Holds a row only inside a bulk import's own transaction: per-row
    triggers (search index, statistics) stand aside until it ends."""

    __tablename__ = "bulk_load"

    active: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class CaptureFile(Table, table=True):
    """A file `capture` read, and what says whether it must be read again:
    its size and modification time, the `context` it was read in (a digest
    of the user's and the contacts' addresses and the capture settings), the
    `since` it was read from, and `due_on`, the day an occurrence it holds
    comes to pass. `position` and `head` are for mail archives that grow."""

    __tablename__ = "capture_file"
    # per source: `capture mail` and `capture calendar` named the same file never share (or break) a row
    __table_args__ = (UniqueConstraint("source", "path", name="uq_capture_file_source_path"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    source: str  # vocab.Source: calendar or mail
    path: str
    size: int = Field(sa_type=BigInteger)
    mtime_ns: int = Field(sa_type=BigInteger)
    context: str
    since_on: dt.date | None = None
    due_on: dt.date | None = None
    position: int | None = Field(default=None, sa_type=BigInteger)
    head: str | None = None


class CaptureKey(Table, table=True):
    """A captured record's source key (calendar: UID and original start;
    mail: Message-ID, and thread and day) and the interaction it became.
    `interaction_id` None: the user unlogged it, and capture leaves it gone;
    or, `waiting`, none of its parties is a contact yet, and it becomes an
    interaction (with `note` and `direction`) once one is. `digest` says
    what was written (date, note, people), so a change in the file updates it."""

    __tablename__ = "capture_key"

    source: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    thread: str | None = None  # the calendar UID; the mail thread
    file_id: int | None = Field(default=None, foreign_key="capture_file.id", ondelete="SET NULL", index=True)
    interaction_id: int | None = Field(default=None, foreign_key="interaction.id", ondelete="SET NULL", index=True)
    date: dt.date
    digest: str
    note: str | None = None
    direction: str | None = None
    waiting: bool = False


class CaptureParty(Table, table=True):
    """Who took part in a kept record, by matching key (an address's
    `address_key`), whether or not they are a contact: matched again when
    the address book changes, so a contact added later joins the mail
    already captured. `wrote`: they wrote (not only received) in it."""

    __tablename__ = "capture_party"
    __table_args__ = (
        ForeignKeyConstraint(["source", "key"], ["capture_key.source", "capture_key.key"], ondelete="CASCADE"),
    )

    source: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    party: str = Field(primary_key=True)
    wrote: bool = False


class CaptureCorrespondent(Table, table=True):
    """How much mail the user exchanged with one address (by key) over
    everything captured: what suggestions are made of. Counts, never bodies."""

    __tablename__ = "capture_correspondent"

    source: str = Field(primary_key=True)
    party: str = Field(primary_key=True)
    address: str  # as last written
    name: str | None = None  # as last written
    messages: int
    sent: int
    last: dt.date


class CaptureSource(Table, table=True):
    """Per source, a digest of the address book its kept records were last
    matched against: when it differs, they are matched again."""

    __tablename__ = "capture_source"

    source: str = Field(primary_key=True)
    book: str


class CaptureSession(Table, table=True):
    """The next occurrence after the capture's day with each contact, per
    file: a mentor's next session when they are an active mentor."""

    __tablename__ = "capture_session"

    file_id: int = Field(foreign_key="capture_file.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE", index=True)
    date: dt.date
    note: str | None = None


class SyncCard(Table, table=True):
    """A card of a vdir kept in step with a contact by `sync vdir`: the file
    (its name in the folder, size, time, sha256 as last read or written) and
    `agreed`, the fields both sides held after the last sync (JSON; a field
    left out is in conflict). `contact_id` None: the contact was deleted
    here, and the card waits for `--delete`."""

    __tablename__ = "sync_card"

    folder: str = Field(primary_key=True)
    href: str = Field(primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL", index=True)
    uid: str | None = None
    size: int = Field(sa_type=BigInteger)
    mtime_ns: int = Field(sa_type=BigInteger)
    digest: str
    agreed: str


class SyncTask(Table, table=True):
    """A task of a CalDAV task list (a vdir of `.ics` files) that `sync tasks`
    keeps for a nudge: its file (name, size, time, sha256 as last read or
    written) and `agreed`, the task's fields as both sides held them after
    the last sync (JSON). `removing`: the file is to be taken out of the
    folder once the sync that decided it has committed; the next sync
    forgets the row (or takes the file out, if a stop came between)."""

    __tablename__ = "sync_task"

    folder: str = Field(primary_key=True)
    nudge_id: str = Field(primary_key=True)
    href: str
    uid: str | None = None
    size: int = Field(sa_type=BigInteger)
    mtime_ns: int = Field(sa_type=BigInteger)
    digest: str
    agreed: str
    removing: bool = False
