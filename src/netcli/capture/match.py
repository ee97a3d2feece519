"""Which occurrences are meetings with contacts, and why the others are not:
pure, over plain records (`capture.calendar`), the user's addresses and
the address book's (address key -> contact id)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from netcli.addresses import MyAddresses, address_key
from netcli.capture.calendar import Occurrence, Person

# the reasons a record is skipped, as the summary's `skipped` document names them
SKIP_REASONS = ("no_contact", "list", "automated", "draft_spam_trash", "bad", "broadcast", "declined_cancelled")


class Verdict(NamedTuple):
    """`reason` None: a meeting with `contacts` (ids, in the order listed).
    `strangers`: someone not the user and not a contact attended, so the
    occurrence may count once they become one."""

    reason: str | None
    contacts: tuple[int, ...] = ()
    strangers: bool = False


def judge(occurrence: Occurrence, *, mine: MyAddresses, holders: Mapping[str, int], max_attendees: int) -> Verdict:
    """A meeting needs: not cancelled; the user organising it, or accepting
    it (ACCEPTED or TENTATIVE: an answer; a file that gives none lists what
    its owner attends), or it being theirs (no organizer named); at most
    `max_attendees` attendees; a contact attending who did not decline.
    An invitation the user left unanswered (NEEDS-ACTION) is not a meeting:
    anyone can send one that lists a contact."""
    if occurrence.cancelled:
        return Verdict("declined_cancelled")
    organizer, attendees = occurrence.organizer, occurrence.attendees
    organised = organizer is not None and organizer.address in mine
    mine_listed = [p for p in attendees if p.address in mine]
    if any(p.declined for p in mine_listed):
        return Verdict("declined_cancelled")
    if not organised and mine_listed and all(p.unanswered for p in mine_listed):
        return Verdict("declined_cancelled")
    yours = organizer is None or organised or bool(mine_listed)
    if not yours:
        return Verdict("no_contact")
    if len(attendees) > max_attendees:
        return Verdict("broadcast")
    contacts: dict[int, None] = {}
    strangers = declined = False
    for person in _others(organizer, attendees, mine):
        holder = holders.get(address_key(person.address))
        if person.declined:
            declined = declined or holder is not None
        elif holder is not None:
            contacts.setdefault(holder)
        else:
            strangers = True
    if not contacts:
        return Verdict("declined_cancelled" if declined else "no_contact", strangers=strangers)
    return Verdict(None, tuple(contacts), strangers)


def _others(organizer: Person | None, attendees: Iterable[Person], mine: MyAddresses) -> Iterable[Person]:
    people = [organizer, *attendees] if organizer is not None else list(attendees)
    return [p for p in people if p.address not in mine]


def seen_addresses(occurrences: Iterable[Occurrence]) -> Counter[str]:
    """How often each address (by key) organises or attends: the user's own
    come first, as they are in nearly every event."""
    seen: Counter[str] = Counter()
    for occurrence in occurrences:
        people = {address_key(p.address) for p in occurrence.attendees}
        if occurrence.organizer is not None:
            people.add(address_key(occurrence.organizer.address))
        seen.update(people)
    return seen
