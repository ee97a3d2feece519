"""Contacts: finding one from what a user typed (name, prefix, #ID), adding,
editing and deleting. The `met` and `intro` interactions follow a contact's
met_on and introducer here. Listing lives in `listing`, merging in `merge`."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, exists, false, func, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from netcli.addresses import address_key
from netcli.errors import Ambiguous, Duplicate, Invalid, NotFound
from netcli.models import Contact, ContactEmail, ContactTag, ContactTopic, Interaction, Participant
from netcli.names import like_escape, name_key
from netcli.store.clean import MAX_NOTE, PROFILE_FIELDS, clean_labels, clean_name, clean_text
from netcli.store.emails import check_emails_free, clean_emails, emails_of, insert_emails, set_emails
from netcli.store.interactions import drop_part, log_interaction, redate_part
from netcli.store.rows import add_labels

_ID = re.compile(r"^#(\d{1,18})$")
SHOWN_MATCHES = 10  # candidates an ambiguity names; one more is read to know there are more


def find_contact(session: Session, *, who: str, archived: bool = False) -> Contact:
    """Resolve WHO: exact name, else unique prefix of the name or a word, else #ID.

    Prefixes match people who are not archived, or with `archived` only those
    who are (what `unarchive` looks among)."""
    text = str(who).strip()
    if not text:
        raise Invalid("a contact name cannot be empty")
    key = name_key(text)
    exact = session.scalars(select(Contact).where(col(Contact.name_key) == key)).all()
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise _ambiguous(who, exact)
    prefixed = _prefix_matches(session, key, archived=archived)
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        raise _ambiguous(who, prefixed)
    match = _ID.match(text)
    if match:
        contact = session.get(Contact, int(match.group(1)))
        if contact is not None:
            return contact
        raise NotFound(f"no contact has the id #{match.group(1)}; 'netcli list' shows the ids")
    raise NotFound(_not_found_message(session, who, key))


def _ambiguous(who: str, candidates: Sequence[Contact]) -> Ambiguous:
    shown = ", ".join(f"#{c.id} {c.name}" for c in candidates[:SHOWN_MATCHES])
    more = " and more" if len(candidates) > SHOWN_MATCHES else ""
    same_name = len({c.name_key for c in candidates}) == 1 and name_key(who) == candidates[0].name_key
    hint = "they share the name: use the #ID" if same_name else "use the full name or the #ID"
    return Ambiguous(f"'{who}' matches several contacts: {shown}{more}; {hint}")


def _not_found_message(session: Session, who: str, key: str) -> str:
    hidden = _prefix_matches(session, key, archived=True)
    if len(hidden) == 1:  # archived people match only by exact name or #ID: say who it is
        found = hidden[0]
        return f"'{who}' matches archived {found.name} (#{found.id}): netcli unarchive \"#{found.id}\""
    if hidden:
        shown = ", ".join(f"#{c.id} {c.name}" for c in hidden[:SHOWN_MATCHES])
        return f"'{who}' matches only archived contacts: {shown}; 'netcli unarchive \"#ID\"' brings one back"
    rows = session.exec(select(col(Contact.name_key), col(Contact.name)).where(col(Contact.archived).is_(False))).all()
    by_key: dict[str, str] = {}
    for row_key, name in rows:
        by_key.setdefault(row_key, name)
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(by_key[k] for k in close)}?" if close else ""
    return f"no contact matches '{who}'{hint}"


def _prefix_matches(session: Session, key: str, *, archived: bool) -> Sequence[Contact]:
    """Up to SHOWN_MATCHES + 1 people whose name, or a word in it, starts with `key`."""
    pattern = like_escape(key)
    return session.scalars(
        select(Contact)
        .where(col(Contact.archived).is_(archived))
        .where(
            or_(
                col(Contact.name_key).like(f"{pattern}%", escape="\\"),
                col(Contact.name_key).like(f"% {pattern}%", escape="\\"),
            )
        )
        .order_by(col(Contact.name_key), col(Contact.id))
        .limit(SHOWN_MATCHES + 1)
    ).all()


def contact_count(session: Session, *, include_archived: bool = True) -> int:
    query = select(func.count()).select_from(Contact)
    if not include_archived:
        query = query.where(col(Contact.archived).is_(False))
    return int(session.scalars(query).one())


def _check_duplicate(session: Session, *, name: str, emails: Sequence[str], exclude: int | None) -> None:
    keys = [address_key(e) for e in emails]
    holders = select(col(ContactEmail.contact_id)).where(col(ContactEmail.address_key).in_(keys))
    query = select(Contact).where(
        or_(col(Contact.name_key) == name_key(name), col(Contact.id).in_(holders) if keys else false())
    )
    if exclude is not None:
        query = query.where(col(Contact.id) != exclude)
    existing = session.scalars(query.limit(1)).first()
    if existing is not None:
        same = "name" if existing.name_key == name_key(name) else "email"
        archived = ", archived" if existing.archived else ""
        raise Duplicate(
            f"#{existing.id} {existing.name}{archived} already has that {same}; "
            "use that contact, or --force to add another"
        )


def add_contact(
    session: Session,
    *,
    name: str,
    met_on: dt.date,
    tier: str = "C",
    via: str | None = None,
    met_at: str | None = None,
    introduced_by: Contact | None = None,
    cadence_days: int | None = None,
    note: str | None = None,
    tags: Iterable[str] = (),
    topics: Iterable[str] = (),
    force: bool = False,
    log_met: bool = True,
    met_event_id: int | None = None,
    met_community_id: int | None = None,
    birthday: str | None = None,
    emails: Sequence[str] = (),
    **profile: str | None,
) -> Contact:
    """Create a contact and (by default) log the `met` interaction, and the
    `intro` with whoever introduced you, so that the rules remind you to say thanks.

    Its addresses are `email` (a profile field) then `emails`, in order."""
    name = clean_name(name)
    fields: dict[str, Any] = {key: clean_text(key, profile.get(key)) for key in PROFILE_FIELDS}
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    addresses = clean_emails([fields["email"], *emails])
    fields["email"] = addresses[0] if addresses else None
    if not force:
        _check_duplicate(session, name=name, emails=addresses, exclude=None)
    contact = Contact(
        name=name,
        name_key=name_key(name),
        tier=tier,
        via=via,
        met_at=clean_text("met-at", met_at),
        met_on=met_on,
        introduced_by_id=introduced_by.id if introduced_by else None,
        cadence_days=cadence_days,
        note=clean_text("note", note, limit=MAX_NOTE),
        met_event_id=met_event_id,
        met_community_id=met_community_id,
        birthday=birthday,
        **fields,
    )
    session.add(contact)
    session.flush()
    assert contact.id is not None
    insert_emails(session, {contact.id: addresses})
    add_labels(session, contact.id, tags=clean_labels("tag", tags), topics=clean_labels("topic", topics))
    if log_met:
        log_interaction(session, contacts=[contact], kind="met", on=met_on, note=None)
        if introduced_by is not None:
            log_interaction(session, contacts=[introduced_by], kind="intro", on=met_on, note=intro_note(name))
    return contact


def intro_note(name: str) -> str:
    return f"introduced you to {name}"


def _meetings(session: Session, contact: Contact) -> list[int]:
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
        .join(Interaction, col(Interaction.id) == col(Participant.interaction_id))
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


def update_contact(
    session: Session,
    *,
    contact: Contact,
    changes: dict[str, Any],
    add_tags: Iterable[str] = (),
    remove_tags: Iterable[str] = (),
    add_topics: Iterable[str] = (),
    remove_topics: Iterable[str] = (),
    add_emails: Iterable[str] = (),
    remove_emails: Iterable[str] = (),
    force: bool = False,
) -> Contact:
    """Apply `changes` (field -> new value, None clears) and label edits;
    `force` allows a name another contact has.

    `changes["email"]` (an address, or a list of them) takes the first
    address's place; None or an empty list drops the first, and the next one
    becomes the email. `add_emails` go last, `remove_emails` must be held.
    The `met` and `intro` interactions follow met_on and introduced_by: one
    fact, one place."""
    assert contact.id is not None
    _edit_emails(session, contact, changes.get("email", ...), add_emails, remove_emails)
    meetings, intro = _meetings(session, contact), intro_of(session, contact)
    introducer_before = contact.introduced_by_id
    for key, value in changes.items():
        if key == "name":
            value = clean_name(value)
            if not force:
                _check_duplicate(session, name=value, emails=(), exclude=contact.id)
            contact.name, contact.name_key = value, name_key(value)
        elif key == "email":
            continue  # `_edit_emails` did it
        elif key in PROFILE_FIELDS:
            setattr(contact, key, clean_text(key, value))
        elif key == "note":
            contact.note = clean_text("note", value, limit=MAX_NOTE)
        elif key == "met_at":
            contact.met_at = clean_text("met-at", value)
        elif key == "introduced_by":
            if value is not None and value.id == contact.id:
                raise Invalid("a contact cannot have introduced themselves")
            contact.introduced_by_id = value.id if value is not None else None
        elif key in (
            "tier",
            "via",
            "met_on",
            "cadence_days",
            "archived",
            "met_event_id",
            "met_community_id",
            "birthday",
        ):
            setattr(contact, key, value)
        else:
            raise TypeError(f"unknown contact field {key!r}")
    session.add(contact)
    session.flush()
    if "met_on" in changes and contact.met_on is not None:
        for interaction_id in meetings:
            redate_part(session, interaction_id=interaction_id, contact_id=contact.id, on=contact.met_on)
    moved = "met_on" in changes
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
        elif contact.met_on is not None:
            intro = log_interaction(
                session,
                contacts=[session.get_one(Contact, contact.introduced_by_id)],
                kind="intro",
                on=contact.met_on,
                note=intro_note(contact.name),
            ).id
    if moved and intro is not None and contact.introduced_by_id is not None and contact.met_on is not None:
        redate_part(session, interaction_id=intro, contact_id=contact.introduced_by_id, on=contact.met_on)
    removed_tags = clean_labels("tag", remove_tags)
    removed_topics = clean_labels("topic", remove_topics)
    if removed_tags:
        session.exec(
            delete(ContactTag).where(col(ContactTag.contact_id) == contact.id, col(ContactTag.tag).in_(removed_tags))
        )
    if removed_topics:
        session.exec(
            delete(ContactTopic).where(
                col(ContactTopic.contact_id) == contact.id, col(ContactTopic.topic).in_(removed_topics)
            )
        )
    add_labels(session, contact.id, tags=clean_labels("tag", add_tags), topics=clean_labels("topic", add_topics))
    return contact


def _edit_emails(session: Session, contact: Contact, first: Any, add: Iterable[str], remove: Iterable[str]) -> None:
    """The address edits of `update_contact` (`first` is `...` when the email is left alone)."""
    assert contact.id is not None
    before = emails_of(session, contact_ids=[contact.id]).get(contact.id, [])
    after = list(before)
    if first is not ...:
        given = clean_emails(first if isinstance(first, (list, tuple)) else [first])
        after = given + after[1:]
    after = clean_emails([*after, *add])
    for address in clean_emails(remove):
        held = [a for a in after if address_key(a) == address_key(address)]
        if not held:
            shown = ", ".join(after) if after else "none"
            raise Invalid(f"{contact.name} has no email {address} (their emails: {shown})")
        after.remove(held[0])
    if after == before:
        return
    kept = {address_key(a) for a in before}
    check_emails_free(session, addresses=[a for a in after if address_key(a) not in kept], exclude=contact.id)
    set_emails(session, contact_id=contact.id, addresses=after)


def delete_contact(session: Session, *, contact: Contact) -> int:
    """Delete a contact and the interactions only they took part in; returns that count."""
    solo = _solo_interactions(session, contact_id=contact.id)
    if solo:
        session.exec(delete(Interaction).where(col(Interaction.id).in_(solo)))
    session.exec(update(Contact).where(col(Contact.introduced_by_id) == contact.id).values(introduced_by_id=None))
    session.exec(delete(Contact).where(col(Contact.id) == contact.id))
    return len(solo)


def _solo_interactions(session: Session, *, contact_id: int | None) -> list[int]:
    others = select(col(Participant.interaction_id)).where(col(Participant.contact_id) != contact_id)
    return list(
        session.scalars(
            select(col(Participant.interaction_id)).where(
                col(Participant.contact_id) == contact_id, col(Participant.interaction_id).not_in(others)
            )
        )
    )
