"""Finding people and places from what a user or a file names: the one
resolver every door uses.

People (`find_contact`, the CLI's WHO; `People`, the index imports, sync
and capture resolve many records with): `#ID`; a chat handle
(`telegram:@ana`, normalised per kind), an email (case and `+tag` aside), a
phone number (E.164, with the user's `[me] region`) or a profile URL; a
name: exact (case and accents aside), else a unique prefix of the name or
of a word in it; none: the closest names. Archived people match by
exact name, an identity or `#ID` only.

Places and goals (`find_named`): `#ID`, exact name, unique prefix of the
name or a word, unique part; several: each with its `#ID`; none: the
closest names. The keys compared are `netcli.identity`'s.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import or_
from sqlmodel import Session, select

from netcli.errors import Ambiguous, Invalid, NotFound
from netcli.identity import address_key, handle_key, kind_of, name_key, phone_key, prefix_patterns, url_key
from netcli.models import Contact, ContactEmail, ContactHandle, ContactPhone
from netcli.store.rows import col

SHOWN_MATCHES = 10  # candidates an ambiguity names; one more is read to know there are more


def find_contact(session: Session, *, who: str, archived: bool = False, region: str | None = None) -> Contact:
    """Resolve WHO (see the module's docstring). Prefixes match people who are
    not archived, or with `archived` only those who are (what `unarchive`
    looks among)."""
    text = str(who).strip()
    if not text:
        raise Invalid("name a contact by their name, email, phone or #ID")
    key = name_key(text)
    exact = session.scalars(select(Contact).where(col(Contact.name_key) == key).order_by(col(Contact.id))).all()
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise _ambiguous(who, exact)
    kind, probe = kind_of(text)
    if kind == "id":
        contact = session.get(Contact, int(probe))
        if contact is not None:
            return contact
        raise NotFound(f"no contact has the id #{probe}; 'netcli list' shows the ids")
    if kind in ("handle", "email", "phone", "url"):
        holders = _holders(session, kind, probe, region)
        if len(holders) == 1:
            return holders[0]
        if len(holders) > 1:
            raise _ambiguous(who, holders)
        if kind != "url":
            raise NotFound(f"no contact has the {kind} {text}; 'netcli search' looks in every field")
    prefixed = _prefix_matches(session, key, archived=archived)
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        raise _ambiguous(who, prefixed)
    raise NotFound(_not_found_message(session, who, key))


def _holders(session: Session, kind: str, probe: str, region: str | None) -> Sequence[Contact]:
    if kind == "handle":
        ids = select(col(ContactHandle.contact_id)).where(col(ContactHandle.handle).in_(handle_keys(probe)))
    elif kind == "email":
        ids = select(col(ContactEmail.contact_id)).where(col(ContactEmail.address_key) == probe)
    elif kind == "phone":
        ids = select(col(ContactPhone.contact_id)).where(col(ContactPhone.number_key) == phone_key(probe, region))
    else:
        return session.scalars(select(Contact).where(col(Contact.url_key) == probe).order_by(col(Contact.id))).all()
    return session.scalars(select(Contact).where(col(Contact.id).in_(ids)).order_by(col(Contact.id))).all()


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
    return f"no contact matches '{who}'{_did_you_mean(key, rows)}"


def _did_you_mean(key: str, rows: Iterable[tuple[str, str]]) -> str:
    by_key: dict[str, str] = {}
    for row_key, name in rows:
        by_key.setdefault(row_key, name)
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(by_key[k] for k in close)}?" if close else ""


def _prefix_matches(session: Session, key: str, *, archived: bool) -> Sequence[Contact]:
    """Up to SHOWN_MATCHES + 1 people whose name, or a word in it, starts with `key`."""
    whole, word = prefix_patterns(key)
    return session.scalars(
        select(Contact)
        .where(col(Contact.archived).is_(archived))
        .where(or_(col(Contact.name_key).like(whole, escape="\\"), col(Contact.name_key).like(word, escape="\\")))
        .order_by(col(Contact.name_key), col(Contact.id))
        .limit(SHOWN_MATCHES + 1)
    ).all()


def handle_keys(key: str) -> list[str]:
    """The stored handles a normalised handle matches: a Slack user's id with
    its workspace's (`slack:T0123/U0456`) matches it without too (`slack:U0456`)."""
    kind, _, value = key.partition(":")
    if kind == "slack" and "/" in value:
        return [key, f"slack:{value.partition('/')[2]}"]
    return [key]


@dataclass
class People:
    """Every contact's identities held in memory, for resolving many records
    at once (imports, sync, capture): ids by handle, email key, phone key, URL
    key and name key. Contacts a run adds join it (`add`), under any id the caller
    gives (a temporary negative one until they are written)."""

    region: str | None = None
    email: dict[str, int] = field(default_factory=dict)
    phone: dict[str, int] = field(default_factory=dict)
    url: dict[str, int] = field(default_factory=dict)
    handle: dict[str, int] = field(default_factory=dict)
    name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    first: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)  # id -> (first email, url key)

    @classmethod
    def load(cls, session: Session, *, region: str | None = None) -> People:
        people = cls(region=region)
        conn = session.connection()
        query = select(col(Contact.id), col(Contact.name_key), col(Contact.email), col(Contact.url_key)).order_by(
            col(Contact.id)
        )
        for cid, key, email, ukey in conn.execute(query):
            people.name[key].append(cid)
            people.first[cid] = (email, ukey)
            if ukey:
                people.url.setdefault(ukey, cid)
        emails = select(col(ContactEmail.contact_id), col(ContactEmail.address_key)).order_by(
            col(ContactEmail.contact_id), col(ContactEmail.position)
        )
        for cid, akey in conn.execute(emails):
            people.email.setdefault(akey, cid)
        phones = select(col(ContactPhone.contact_id), col(ContactPhone.number_key)).order_by(
            col(ContactPhone.contact_id), col(ContactPhone.position)
        )
        for cid, nkey in conn.execute(phones):
            people.phone.setdefault(nkey, cid)
        handles = select(col(ContactHandle.contact_id), col(ContactHandle.handle)).order_by(
            col(ContactHandle.contact_id), col(ContactHandle.position)
        )
        for cid, handle in conn.execute(handles):
            people.handle.setdefault(handle, cid)
        return people

    def add(
        self,
        cid: int,
        *,
        name: str,
        emails: Sequence[str] = (),
        phones: Sequence[str] = (),
        url: str | None = None,
        handles: Sequence[str] = (),
    ) -> None:
        for handle in handles:
            self.handle.setdefault(handle_key(handle, self.region), cid)
        for email in emails:
            self.email.setdefault(address_key(email), cid)
        for number in phones:
            self.phone.setdefault(phone_key(number, self.region), cid)
        ukey = url_key(url) if url else None
        if ukey:
            self.url.setdefault(ukey, cid)
        self.name[name_key(name)].append(cid)
        self.first[cid] = (emails[0] if emails else None, ukey)

    def by_email(self, address: str) -> int | None:
        return self.email.get(address_key(address))

    def by_phone(self, number: str) -> int | None:
        return self.phone.get(phone_key(number, self.region))

    def by_url(self, url: str) -> int | None:
        return self.url.get(url_key(url))

    def by_handle(self, handle: str) -> int | None:
        """Who holds a handle (`KIND:VALUE` as any export or user writes it); None for nobody, or no handle."""
        try:
            key = handle_key(handle, self.region)
        except ValueError:
            return None
        for probe in handle_keys(key):
            if (cid := self.handle.get(probe)) is not None:
                return cid
        if key.startswith("linkedin:"):  # a LinkedIn handle is the profile URL a contact holds
            return self.url.get(key.partition(":")[2])
        return None

    def by_name(self, name: str) -> list[int]:
        return self.name.get(name_key(name), [])

    def holders(self, emails: Iterable[str] = (), phones: Iterable[str] = ()) -> dict[int, str]:
        """The contacts holding any of these addresses or numbers, each with the first value it holds."""
        found: dict[int, str] = {}
        for value, cid in [(e, self.by_email(e)) for e in emails] + [(p, self.by_phone(p)) for p in phones]:
            if cid is not None:
                found.setdefault(cid, value)
        return found

    def match(
        self,
        *,
        name: str,
        emails: Sequence[str] = (),
        phones: Sequence[str] = (),
        url: str | None = None,
        handles: Sequence[str] = (),
    ) -> tuple[int | None, list[int]]:
        """The contact a record is, if any, else the contacts of its name.

        The same handle, else the same email, else the same phone, else the same URL, else the one
        stored contact of the same name whose email and URL do not differ
        from the record's. Records of one run match each other by identity
        only: two rows of one name are two people (as `export csv` writes
        them)."""
        for handle in handles:
            if (cid := self.by_handle(handle)) is not None:
                return cid, []
        for address in emails:
            if (cid := self.by_email(address)) is not None:
                return cid, []
        for number in phones:
            if (cid := self.by_phone(number)) is not None:
                return cid, []
        if url and (cid := self.by_url(url)) is not None:
            return cid, []
        same = self.by_name(name)
        stored = [cid for cid in same if cid > 0]
        if len(stored) == 1:
            email, ukey = self.first[stored[0]]
            mine_email = address_key(emails[0]) if emails else None
            mine_url = url_key(url) if url else None
            if _agree(mine_email, address_key(email) if email else None) and _agree(mine_url, ukey):
                return stored[0], []
        return None, list(same)


def _agree(mine: str | None, theirs: str | None) -> bool:
    return not mine or not theirs or mine == theirs


T = TypeVar("T")


def find_named(
    text: str,
    *,
    kind: str,
    rows: Sequence[T],
    key: Callable[[T], str],
    name: Callable[[T], str],
    label: Callable[[T], str],
    by_id: Callable[[int], T | None],
    id_of: Callable[[str], int | None],
    prefer: Callable[[T], bool] | None = None,
    listing: str | None = None,
) -> T:
    """One event, community or goal: its #ID (`id_of` reads it from the
    text), else the exact name (case and accents aside), else a unique prefix
    of the name or of a word in it, else a unique part of it. Several: each
    with its #ID (unless exactly one of them is `prefer`red); none: the
    closest names."""
    cleaned = str(text).strip()
    listing = f"'{listing or f'netcli {kind} list'}' shows them"
    if not cleaned:
        raise Invalid(f"name the {kind} by its name or its #ID ({listing})")
    number = id_of(cleaned)
    if number is not None:
        found = by_id(number)
        if found is None:
            raise NotFound(f"no {kind} has the id #{number}; {listing}")
        return found
    wanted = name_key(cleaned)
    plural = "communities" if kind == "community" else f"{kind}s"
    for test in (
        lambda k: k == wanted,
        lambda k: k.startswith(wanted) or f" {wanted}" in k,
        lambda k: wanted in k,
    ):
        matches = [r for r in rows if test(key(r))]
        if len(matches) > 1 and prefer is not None and sum(map(prefer, matches)) == 1:
            matches = [r for r in matches if prefer(r)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            shown = [label(r) for r in matches]
            more = " and more" if len(shown) > SHOWN_MATCHES else ""
            raise Ambiguous(
                f"'{text}' matches several {plural}: {', '.join(shown[:SHOWN_MATCHES])}{more}; "
                "use more of the name, or the #ID"
            )
    hint = _did_you_mean(wanted, [(key(r), name(r)) for r in rows])
    raise NotFound(f"no {kind} matches '{text}'{hint or '; ' + listing}")
