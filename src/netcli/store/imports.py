"""Imports: contact and interaction records in, each through the one
contact writer (`contacts`) and the one resolver (`resolve`), new contacts
in bulk. Outside data fills, it never overwrites: a differing value is a
conflict, listed, unless the file is preferred. One transaction per import;
the caller commits, or rolls back for a dry run (which so predicts the real
run exactly)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from netcli.errors import Ambiguous, ImportProblem, Invalid, NetcliError
from netcli.identity import address_key, name_key, url_key
from netcli.models import Contact, Interaction, Participant
from netcli.results import Conflict, ImportSummary
from netcli.store.bulk import allocate_ids, bulk_load
from netcli.store.clean import clean_day, clean_kind, clean_note, split_labels
from netcli.store.contacts import add_contacts, update_contact
from netcli.store.emails import check_one_holder
from netcli.store.exports import REFERENCE
from netcli.store.interactions import met_days
from netcli.store.proposal import Policy, Proposal
from netcli.store.proposal import propose as propose_record
from netcli.store.resolve import People, find_contact
from netcli.store.rows import as_date, col, table_of

Progress = Callable[[int], None]
CONTACT_BATCH = 2_000  # new contacts held before they are written: bounded memory, few statements


def resolve_reference(people: People, who: str) -> int | None:
    """The contact `who` names, as exports write people: `Name <email,
    phone or URL>`, `Name <N>` (the Nth of that name with neither email nor
    URL), or an exact name (Ambiguous when several have it); None when
    nobody has it yet."""
    ref = REFERENCE.match(who)
    if ref:
        address = ref["address"]
        found = people.by_email(address) if "@" in address else None
        found = found if found is not None else people.by_url(address)
        if found is None and not address.isdigit():
            found = people.by_phone(address)
        if found is not None:
            return found
        if address.isdigit():
            bare = [cid for cid in people.by_name(ref["name"]) if people.first[cid] == (None, None)]
            number = int(address)
            return bare[number - 1] if 1 <= number <= len(bare) else None
        return None
    same = people.by_name(who)
    if len(same) > 1:
        raise Ambiguous(f"{who!r} names {len(same)} contacts; write it as 'Name <email>' to say which")
    return same[0] if same else None


class ContactImport:
    """One import of contact records: matched (`People`), written
    (`update_contact` for those known, `add_contacts` in batches for new
    ones), counted (`ImportSummary`)."""

    def __init__(
        self, session: Session, *, tags: Sequence[str], today: dt.date, prefer: bool, region: str | None
    ) -> None:
        self.session, self.today, self.region = session, today, region
        self.policy = Policy.prefer if prefer else Policy.fill
        self.people = People.load(session, region=region)
        self.extra_tags = split_labels("tag", list(tags))
        self.summary = ImportSummary()
        # new contacts wait in small batches under temporary negative ids; a
        # batch gets real ids when it is written
        self.fresh: dict[int, Proposal] = {}
        self.real_id: dict[int, int] = {}
        self.temp_ids = itertools.count(-1, -1)
        self.touched: set[int] = set()  # contacts updated by this import (each counted once)

    def flush(self) -> None:
        if not self.fresh:
            return
        ids = allocate_ids(self.session, table_of(Contact), len(self.fresh))
        self.real_id.update(zip(self.fresh, ids, strict=True))
        for proposal in self.fresh.values():  # an introducer earlier in this batch has its id now
            if proposal.introduced_by_id is not None:
                proposal.introduced_by_id = self.real_id.get(proposal.introduced_by_id, proposal.introduced_by_id)
        with bulk_load(self.session) as bulk:
            add_contacts(self.session, list(self.fresh.values()), today=self.today, region=self.region, ids=ids)
            bulk.contacts = ids
        self.fresh.clear()

    def real(self, cid: int) -> int:
        if cid < 0 and cid in self.fresh:
            self.flush()
        return self.real_id.get(cid, cid)

    def bad(self, where: str, exc: NetcliError) -> None:
        self.summary.bad += 1
        self.summary.problems.append(f"{where}: {exc.message}")

    def apply(self, where: str, proposal: Proposal, introducer: int | None) -> int:
        proposal.tags = [*(proposal.tags or []), *(t for t in self.extra_tags if t not in (proposal.tags or []))]
        existing, alike = self.people.match(
            name=proposal.name or "",
            emails=proposal.emails or (),
            phones=proposal.phones or (),
            url=proposal.url,
            handles=proposal.handles or (),
        )
        if existing is not None:
            cid = self.real(existing)
            proposal.introduced_by_id = self.real(introducer) if introducer is not None else None
            if proposal.introduced_by_id == cid:
                proposal.introduced_by_id = None
            written = update_contact(
                self.session,
                contact=self.session.get_one(Contact, cid),
                proposal=proposal,
                policy=self.policy,
                region=self.region,
                today=self.today,
            )
            self.summary.conflicts += written.conflicts
            if written.changed and cid not in self.touched:
                self.touched.add(cid)
                self.summary.updated += 1
            elif not written.changed:
                self.summary.unchanged += 1
            return cid
        if alike:
            others = f"{len(alike)} other contact{'s' if len(alike) > 1 else ''}"
            self.summary.duplicates.append(
                f"{where}: {proposal.name} added beside {others} of that name "
                "(the same person? 'netcli merge KEEP OTHER' folds them together)"
            )
        temp = next(self.temp_ids)
        proposal.introduced_by_id = introducer
        self.fresh[temp] = proposal
        self.people.add(
            temp,
            name=proposal.name or "",
            emails=proposal.emails or (),
            phones=proposal.phones or (),
            url=proposal.url,
            handles=proposal.handles or (),
        )
        self.summary.added += 1
        if len(self.fresh) >= CONTACT_BATCH:
            self.flush()
        return temp


def import_contacts(
    session: Session,
    *,
    records: Iterable[tuple[str, dict[str, Any]]],
    tags: Sequence[str],
    today: dt.date,
    skip_bad: bool,
    prefer: bool = False,
    region: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Add or update contacts from (where, raw record) pairs.

    A record matching a contact (an email, phone or URL, else the one
    contact of its name whose email and URL do not differ) fills it, else
    is added. `introduced_by` may name someone on a later record: such
    records wait (only they are held) until the rest are in. A record may
    say which of its fields only a new contact takes (`only_new`)."""
    run = ContactImport(session, tags=tags, today=today, prefer=prefer, region=region)
    waiting: list[tuple[str, Proposal, str]] = []
    for where, raw in records:
        run.summary.read += 1
        if progress:
            progress(1)
        try:
            fields = dict(raw)
            only_new = frozenset(fields.pop("only_new", ()))
            current = frozenset(fields.pop("current", ()))
            who = (fields.pop("introduced_by", None) or "").strip()
            proposal = propose_record(fields, today=today, region=region)
            proposal.only_new, proposal.current = only_new, current
            check_one_holder(proposal.emails or [], run.people.email)
            introducer = resolve_reference(run.people, who) if who else None
        except NetcliError as exc:
            run.bad(where, exc)
            continue
        if who and introducer is None:
            waiting.append((where, proposal, who))
        else:
            run.apply(where, proposal, introducer)
    links = _apply_waiting(run, waiting)
    if run.summary.problems and not skip_bad:
        raise ImportProblem(run.summary.problems)
    run.flush()
    for where, cid, who in links:  # introducers in a cycle: set once all are in
        introducer = resolve_reference(run.people, who)
        if introducer is None:
            run.summary.problems.append(f"{where}: introduced_by {who!r} is a bad record; imported without it")
        elif run.real(introducer) != run.real(cid):
            session.execute(
                update(Contact).where(col(Contact.id) == run.real(cid)).values(introduced_by_id=run.real(introducer))
            )
    return run.summary


def _apply_waiting(run: ContactImport, waiting: list[tuple[str, Proposal, str]]) -> list[tuple[str, int, str]]:
    """The records whose introducer came later: in rounds while they resolve;
    then those naming each other (a cycle), linked afterwards; the rest by
    WHO (a prefix, #ID) or bad. Returns the links still to set."""
    while waiting:
        later = []
        for where, proposal, who in waiting:
            try:
                introducer = resolve_reference(run.people, who)
            except NetcliError as exc:
                run.bad(where, exc)
                continue
            if introducer is None:
                later.append((where, proposal, who))
            else:
                run.apply(where, proposal, introducer)
        if len(later) == len(waiting):
            break
        waiting = later
    names = {name_key(p.name or "") for _, p, _ in waiting}
    addresses = {url_key(p.url) for _, p, _ in waiting if p.url}
    addresses |= {address_key(e) for _, p, _ in waiting for e in p.emails or ()}

    def in_cycle(who: str) -> bool:
        ref = REFERENCE.match(who)
        return name_key(who) in names or bool(
            ref and (url_key(ref["address"]) in addresses or address_key(ref["address"]) in addresses)
        )

    links = []
    for where, proposal, who in waiting:
        if in_cycle(who):
            links.append((where, run.apply(where, proposal, None), who))
            continue
        run.flush()  # so that WHO sees everyone imported
        try:
            introducer = find_contact(run.session, who=who, region=run.region).id
        except NetcliError as exc:
            run.bad(where, exc)
            continue
        run.apply(where, proposal, introducer)
    return links


def import_interactions(
    session: Session,
    *,
    rows: Iterable[tuple[str, dict[str, str]]],
    today: dt.date,
    skip_bad: bool,
    prefer: bool = False,
    region: str | None = None,
    progress: Progress | None = None,
    batch: int = 5000,
) -> ImportSummary:
    """History from a spreadsheet, inserted in bulk. A row repeating an
    interaction stored before the import is unchanged (each stored one
    once), so importing a file twice adds nothing, and a file holding two
    alike rows adds both. A row dated after `today` is a bad record. A
    person is met once (`Meetings`): `prefer` moves their meeting to the
    file's day."""
    summary = ImportSummary()
    people = People.load(session, region=region)
    resolved: dict[str, int] = {}  # as written in the file -> contact id

    def resolve(name: str) -> int:
        if name not in resolved:
            found = resolve_reference(people, name)
            resolved[name] = found if found is not None else find_contact(session, who=name, region=region).id
        return resolved[name]

    # a file repeats a few hundred days and a few kinds: each text is cleaned once (a bad one at each row)
    days: dict[str | None, dt.date] = {}
    kinds: dict[str | None, str] = {}
    pending: list[tuple[dict[str, Any], list[int], list[str]]] = []
    stored = existing_keys(session)
    meetings: Meetings | None = None
    with bulk_load(session) as bulk:
        for where, row in rows:
            summary.read += 1
            if progress:
                progress(1)
            try:
                raw_day, raw_kind = row.get("date"), row.get("kind")
                day = days.get(raw_day)
                if day is None:
                    day = clean_day(raw_day, field="date", today=today)
                    if day is None:
                        raise Invalid("date is empty")
                    days[raw_day] = day
                kind = kinds.get(raw_kind)
                if kind is None:
                    kind = kinds[raw_kind] = clean_kind(raw_kind) or "message"
                names = [n.strip() for n in (row.get("contacts") or "").split(";") if n.strip()]
                if not names:
                    raise Invalid("contacts is empty: name at least one person")
                ids = sorted({resolve(n) for n in names})
                note = clean_note(row.get("note"))
                topics = split_labels("topic", row.get("topics"))
            except NetcliError as exc:
                summary.bad += 1
                summary.problems.append(f"{where}: {exc.message}")
                continue
            alike = hash((day, kind, note or "", tuple(ids)))
            if stored[alike] > 0:
                stored[alike] -= 1
                summary.unchanged += 1
                continue
            if kind == "met":
                meetings = meetings or Meetings(session, prefer=prefer)
                ids = meetings.of(ids, day, summary.conflicts)
                if not ids:  # everyone in it was met: on that day already, or on another (a conflict)
                    summary.unchanged += 1
                    continue
            if summary.problems and not skip_bad:
                continue  # the import will be refused: only look for more bad records
            pending.append(({"date": day, "kind": kind, "note": note, "source": "import"}, ids, topics))
            if len(pending) >= batch:
                bulk.add_interactions(pending)
                summary.added += len(pending)
                pending = []
        if summary.problems and not skip_bad:
            raise ImportProblem(summary.problems)
        if pending:
            bulk.add_interactions(pending)
            summary.added += len(pending)
    if meetings is not None:
        summary.updated += meetings.write()
    return summary


class Meetings:
    """Who was met on which day, for a history file's `met` rows: a person is
    met once. A row is the meeting of those not met yet whose met_on it
    agrees with (or who have none: it fills it); for anyone met on another
    day it is a conflict, and they are left out of it."""

    def __init__(self, session: Session, *, prefer: bool) -> None:
        self.session, self.prefer = session, prefer
        self.met = met_days(session)
        self.before = dict(self.met)
        query = select(col(Contact.id), col(Contact.name), col(Contact.met_on))
        self.contacts = {cid: (name, as_date(on)) for cid, name, on in session.connection().execute(query)}
        self.filled: dict[int, dt.date] = {}  # met_on to set: theirs is empty (or the file is preferred)
        self.moved: dict[int, dt.date] = {}  # a `met` to move to the file's day (it is preferred)

    def of(self, ids: Sequence[int], day: dt.date, conflicts: list[Conflict]) -> list[int]:
        kept = []
        for cid in ids:
            name, met_on = self.contacts[cid]
            held = self.met.get(cid, met_on)
            if held is not None and held != day and not self.prefer:
                conflicts.append(Conflict(name, "met_on", held.isoformat(), day.isoformat(), cid))
            elif cid in self.met:
                if self.met[cid] != day:
                    self.met[cid] = self.moved[cid] = day
            else:
                self.met[cid] = day
                if met_on != day:
                    self.filled[cid] = day
                kept.append(cid)
        return kept

    def write(self) -> int:
        """Set the met_on filled and move the meetings moved: how many
        people changed (the summary's `updated`)."""
        for cid, day in self.filled.items():
            self.session.execute(update(table_of(Contact)).where(col(Contact.id) == cid).values(met_on=day))
        moved = {cid: day for cid, day in self.moved.items() if self.before[cid] != day}  # the file's last word
        for cid, day in moved.items():  # through the writer: the `met` and the `intro` follow
            contact = self.session.get_one(Contact, cid)
            update_contact(self.session, contact=contact, proposal=Proposal(met_on=day), policy=Policy.prefer)
        return len(self.filled.keys() | moved.keys())


def existing_keys(session: Session) -> Counter[int]:
    """How many interactions already stored have each hash of (date, kind, note, people)."""
    conn = session.connection()
    people: dict[int, list[int]] = defaultdict(list)
    for iid, cid in conn.execute(select(col(Participant.interaction_id), col(Participant.contact_id))):
        people[iid].append(cid)
    return Counter(
        hash((clean_day(day, field="date"), kind, note or "", tuple(sorted(people.pop(iid, ())))))
        for iid, day, kind, note in conn.execute(
            select(col(Interaction.id), col(Interaction.date), col(Interaction.kind), col(Interaction.note))
        )
    )
