"""The one contact writer. Every door that creates or changes a contact
(`add`, `edit`, `merge`, every import, sync, capture, the demo) hands it a
`Proposal` (what the source says of the person, each field cleaned by its
one cleaner: `propose`) and a `Policy`:

- `typed`: the user said so (`add`, `edit`, a card edited in the address
  book since the last sync): a given value replaces the held one, `CLEAR`
  clears it, lists are replaced;
- `fill`: outside data (imports, a first sync, capture): it fills what is
  empty and adds to the lists (emails, phones, tags, topics), and never
  replaces a value held: a differing value is a `Conflict`, returned and
  left as it is;
- `prefer`: outside data that wins (`--prefer file`): differing values are
  replaced, lists still only grow.

The writer keeps the derived rows in step (`meetings`: the `met`
interaction follows `met_on`, the introducer's `intro` follows
`introduced_by`), links where you met to the event or community it names
(`met_at`), and returns what changed (`Written`). Many new contacts at once
(imports, sync) go in bulk (`add_contacts`), through the same cleaners and
the same row. Finding people lives in `resolve`, listing in `listing`,
merging in `merge`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, false, or_, update
from sqlmodel import Session, select

from netcli.addresses import address_key
from netcli.errors import Duplicate, Invalid
from netcli.identity import name_key, url_key
from netcli.models import (
    Contact,
    ContactEmail,
    ContactTag,
    ContactTopic,
    Event,
    Interaction,
    JobChange,
    Participant,
)
from netcli.results import Conflict
from netcli.store.bulk import allocate_ids, insert_contacts
from netcli.store.clean import clean_name
from netcli.store.emails import (
    EMAILS,
    HANDLES,
    PHONES,
    Listed,
    check_free,
    keyer,
    listed_of,
    set_listed,
)
from netcli.store.interactions import log_interaction
from netcli.store.meetings import MEETING, first_meeting, intro_note, intro_of, keep_in_step, meetings_of
from netcli.store.met_at import Places
from netcli.store.proposal import CLEAR, PLACE_LINKS, SCALARS, Policy, Proposal
from netcli.store.resolve import find_contact
from netcli.store.rows import add_labels, col, labels_of, table_of

__all__ = [
    "Written",
    "add_contact",
    "add_contacts",
    "delete_contact",
    "find_contact",
    "update_contact",
]


@dataclass
class Written:
    """What the writer did to one contact."""

    contact_id: int
    name: str
    created: bool = False
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (before, after)
    conflicts: list[Conflict] = field(default_factory=list)


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


def new_row(proposal: Proposal, *, today: dt.date, met_today: bool = False) -> dict[str, Any]:
    """The `contact` row of a new contact (no id yet): tier C unless given,
    and met today when `met_today` (someone typed in by `add`; a file or a
    card that does not say when you met leaves it unknown)."""
    if not proposal.name:
        raise Invalid('a name cannot be empty; give the person\'s name, e.g. "Ana Lima"')
    row = {key: _value(getattr(proposal, key)) for key in (*SCALARS, *PLACE_LINKS)}
    row["name_key"] = name_key(proposal.name)
    row["tier"] = row["tier"] or "C"
    row["met_on"] = row["met_on"] or (today if met_today else None)
    row["archived"] = bool(row["archived"])
    row["url_key"] = url_key(row["url"]) if row["url"] else None
    row["email"] = proposal.emails[0] if proposal.emails else None
    row["phone"] = proposal.phones[0] if proposal.phones else None
    return row


def _value(value: Any) -> Any:
    return None if value is CLEAR else value


def add_contacts(
    session: Session,
    proposals: Sequence[Proposal],
    *,
    today: dt.date,
    region: str | None = None,
    ids: Sequence[int] | None = None,
    met_today: bool = False,
) -> list[int]:
    """New contacts in bulk (with `ids` allocated before, else here), with
    their addresses, numbers and labels, a statement per table; their ids in
    order. Logs no `met`: a contact that arrives from a file or a card was
    not just met (`met_today`: `add`'s default day)."""
    if not proposals:
        return []
    ids = list(ids) if ids is not None else allocate_ids(session, table_of(Contact), len(proposals))
    rows = {
        cid: {"id": cid, **new_row(p, today=today, met_today=met_today)} for cid, p in zip(ids, proposals, strict=True)
    }
    places: Places | None = None
    for row in rows.values():
        if row["met_at"] and row["met_event_id"] is None and row["met_community_id"] is None:
            places = places or Places(session)
            row["met_event_id"], row["met_community_id"] = places.links(row["met_at"], row["met_on"])
            if row["met_on"] is None and row["met_event_id"] is not None:  # met at an event: on its day, as `add`
                day = places.day[row["met_event_id"]]
                row["met_on"] = day if day <= today else None
    labels = {cid: (list(p.tags or []), list(p.topics or [])) for cid, p in zip(ids, proposals, strict=True)}
    emails = {cid: list(p.emails or []) for cid, p in zip(ids, proposals, strict=True)}
    phones = {cid: list(p.phones or []) for cid, p in zip(ids, proposals, strict=True)}
    handles = {cid: list(p.handles or []) for cid, p in zip(ids, proposals, strict=True)}
    insert_contacts(session, rows, labels, emails, phones, handles, region=region)
    return ids


def add_contact(
    session: Session,
    *,
    proposal: Proposal,
    today: dt.date,
    force: bool = False,
    log_met: bool = True,
    region: str | None = None,
) -> Contact:
    """Create one contact (what `add` and `mentor add` do): refused when
    another has the name or an email (unless `force`); logs the `met`
    interaction on met_on and the `intro` with whoever introduced you, so
    that the rules remind you to say thanks."""
    if not proposal.name:
        raise Invalid('a name cannot be empty; give the person\'s name, e.g. "Ana Lima"')
    if not force:
        _check_duplicate(session, name=proposal.name, emails=proposal.emails or [], exclude=None)
        check_free(session, PHONES, values=proposal.phones or [], exclude=None, region=region)
    check_free(session, HANDLES, values=proposal.handles or [], exclude=None, region=region)  # a handle is one person
    session.flush()
    (cid,) = add_contacts(session, [proposal], today=today, region=region, met_today=True)
    contact = session.get_one(Contact, cid)
    if log_met and contact.met_on is not None:
        log_interaction(session, contacts=[contact], kind="met", on=contact.met_on, note=None)
        if contact.introduced_by_id is not None:
            introducer = session.get_one(Contact, contact.introduced_by_id)
            log_interaction(
                session, contacts=[introducer], kind="intro", on=contact.met_on, note=intro_note(contact.name)
            )
    return contact


def update_contact(
    session: Session,
    *,
    contact: Contact,
    proposal: Proposal,
    policy: Policy = Policy.typed,
    region: str | None = None,
    force: bool = False,
    today: dt.date | None = None,
) -> Written:
    """Change a contact by `policy` (see the module's docstring); `force`
    allows a name another contact has. The `met` and `intro` interactions
    follow met_on and introduced_by: one fact, one place. A company or
    position the source gives as current (`Proposal.current`) that differs
    from one held is a job change, seen `today` (`JobChange`, once per new
    position): under `fill` the held value stays and the difference is a
    conflict like any other; `prefer` (and `typed`) replace it."""
    assert contact.id is not None
    if proposal.current and today is None:
        raise TypeError("a proposal with current fields needs the day a job change is seen on (today)")
    written = Written(contact.id, contact.name)
    meetings, intro = meetings_of(session, contact), intro_of(session, contact)
    introducer_before, met_before = contact.introduced_by_id, contact.met_on
    job_before = (contact.org, contact.role)
    job_seen: dict[str, Any] = {}
    for key in SCALARS:
        there = getattr(proposal, key)
        if there is None or key in proposal.only_new:
            continue
        here = getattr(contact, key)
        if key in proposal.current and there is not CLEAR:
            if here in (None, ""):
                _set(session, contact, key, there, written)
            elif _words(here) != _words(there):
                job_seen[key] = there
                if policy is Policy.fill:
                    _conflict(written, key, here, there)
                else:
                    _set(session, contact, key, there, written)
            continue
        if there is CLEAR:
            if policy is Policy.typed and here not in (None, ""):
                _set(session, contact, key, None, written)
            continue
        if _same(key, here, there):
            continue
        if key == "birthday" and policy is not Policy.typed and str(here)[-5:] == str(there)[-5:]:
            if str(here).startswith("--"):  # the same day, and the year with it: filled
                _set(session, contact, key, there, written)
            continue  # a card without the year says nothing else
        if here in (None, "") or policy is not Policy.fill:
            if policy is not Policy.typed and here not in (None, "") and key == "archived":
                _conflict(written, key, here, there)  # a file never archives or brings back someone by itself
                continue
            _set(session, contact, key, there, written, force=force or policy is not Policy.typed)
        elif key == "introduced_by_id":  # said as `show` says it: who
            _conflict(written, "introduced_by", _name_of(session, here), _name_of(session, there))
        else:
            _conflict(written, key, here, there)
    if "met_at" in written.changed or (proposal.met_at is not None and policy is Policy.typed):
        for link in PLACE_LINKS:
            setattr(contact, link, _value(getattr(proposal, link)))
        if contact.met_at and contact.met_event_id is None and contact.met_community_id is None:
            contact.met_event_id, contact.met_community_id = Places(session).links(contact.met_at, contact.met_on)
        if contact.met_on is None and contact.met_event_id is not None:  # met at an event: on its day, as `add`
            day = session.get_one(Event, contact.met_event_id).date
            if today is None or day <= today:
                _set(session, contact, "met_on", day, written)
    session.add(contact)
    session.flush()
    for kind, name in ((EMAILS, "emails"), (PHONES, "phones"), (HANDLES, "handles")):
        given = getattr(proposal, name)
        if given is not None:
            _write_listed(session, contact, kind, given, policy, written, region)
    for labels in ("tags", "topics"):
        given = getattr(proposal, labels)
        if given is not None:
            _write_labels(session, contact, labels, given, policy, written)
    if policy is Policy.typed and any(getattr(proposal, key) is not None for key in MEETING):
        # the user says how they met: someone who came from a file or a card is met now, as `add` does it
        meetings, intro = first_meeting(session, contact, meetings, intro)
    keep_in_step(session, contact, meetings, intro, introducer_before, met_before)
    if job_seen and today is not None:
        now = {"org": contact.org, "role": contact.role, **job_seen}
        _see_job_change(session, contact.id, job_before, (now["org"], now["role"]), today)
    written.name = contact.name
    return written


def _words(value: Any) -> str:
    return " ".join(str(value).split()).casefold()


def _see_job_change(
    session: Session,
    contact_id: int,
    before: tuple[str | None, str | None],
    now: tuple[str | None, str | None],
    today: dt.date,
) -> None:
    """Keep a new company or position as a `JobChange` (what drives
    `congratulate`), once: the same file read again, or the held value kept
    against it, sees no second change."""
    org, role = now
    known = session.exec(select(JobChange.org, JobChange.role).where(col(JobChange.contact_id) == contact_id)).all()
    if any(_words(org or "") == _words(o or "") and _words(role or "") == _words(r or "") for o, r in known):
        return
    session.add(
        JobChange(contact_id=contact_id, org_before=before[0], role_before=before[1], org=org, role=role, seen_on=today)
    )


def _same(key: str, here: Any, there: Any) -> bool:
    if key == "name":
        return here is not None and name_key(here) == name_key(there)
    if key == "url" and here and there:
        return bool(url_key(here) == url_key(there))
    return bool(here == there)


def _set(session: Session, contact: Contact, key: str, value: Any, written: Written, *, force: bool = True) -> None:
    before = getattr(contact, key)
    if key == "name":
        value = clean_name(value)
        if not force:
            _check_duplicate(session, name=value, emails=(), exclude=contact.id)
        contact.name_key = name_key(value)
    elif key == "introduced_by_id" and value == contact.id:
        raise Invalid("a contact cannot have introduced themselves")
    elif key == "url":
        contact.url_key = url_key(value) if value else None
    setattr(contact, key, value)
    written.changed[key] = (before, value)


def _name_of(session: Session, contact_id: int) -> str:
    contact = session.get(Contact, contact_id)
    return contact.name if contact is not None else f"#{contact_id}"


def _conflict(written: Written, key: str, here: Any, there: Any, why: str | None = None) -> None:
    written.conflicts.append(Conflict(written.name, key, _shown(here), _shown(there), written.contact_id, why))


def _shown(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _write_listed(
    session: Session,
    contact: Contact,
    kind: Listed,
    given: list[str],
    policy: Policy,
    written: Written,
    region: str | None,
) -> None:
    assert contact.id is not None
    name = f"{kind.what}s"
    before = listed_of(session, kind, contact_ids=[contact.id]).get(contact.id, [])
    key = keyer(kind, region)
    if policy is Policy.typed:
        after = list(given)
    else:
        held = {key(v) for v in before}
        after = [*before, *(v for v in given if key(v) not in held)]
    if after == before:
        return
    kept = {key(v) for v in before}
    fresh = [v for v in after if key(v) not in kept]
    if policy is Policy.typed:
        check_free(session, kind, values=fresh, exclude=contact.id, region=region)
    else:  # a value another contact holds names them, not this one: listed, left out
        for value in fresh:
            try:
                check_free(session, kind, values=[value], exclude=contact.id, region=region)
            except Duplicate as exc:
                _conflict(written, name, before, [value], exc.message.split(";")[0])
                after.remove(value)
        if after == before:
            return
    set_listed(session, kind, contact_id=contact.id, values=after, region=region)
    written.changed[name] = (before, after)


def _write_labels(
    session: Session, contact: Contact, kind: str, given: list[str], policy: Policy, written: Written
) -> None:
    assert contact.id is not None
    model = ContactTag if kind == "tags" else ContactTopic
    column = col(ContactTag.tag) if kind == "tags" else col(ContactTopic.topic)
    owner = col(ContactTag.contact_id) if kind == "tags" else col(ContactTopic.contact_id)
    before = labels_of(session, contact_id=contact.id, kind=kind)
    after = sorted(set(given)) if policy is Policy.typed else sorted({*before, *given})
    if after == before:
        return
    gone = [label for label in before if label not in after]
    if gone:
        session.exec(delete(model).where(owner == contact.id, column.in_(gone)))
    new = [label for label in after if label not in before]
    add_labels(
        session, contact.id, **{"tags": new if kind == "tags" else [], "topics": new if kind == "topics" else []}
    )
    written.changed[kind] = (before, after)


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
