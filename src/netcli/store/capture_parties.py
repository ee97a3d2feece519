"""Captured records with parties: who took part in each record, by
matching key (an address's `address_key`; a chat handle's, to come),
contacts or not. A record none of whose parties is a contact yet waits
(`capture_key.waiting`); when the address book changes, every record is
matched again, so a contact added later joins what was captured before
without the files being read again. Mail keeps its thread-days this way
(`store.capture_mail`); a chat export can keep its conversations the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import and_, delete, insert, literal, or_, select, update

from netcli.models import CaptureKey, CaptureParty, CaptureSource, ContactEmail, Interaction, Participant
from netcli.store.capture import KEY_BATCH, Capture, Kept, book_digest
from netcli.store.rows import col, table_of


class PartyCapture(Capture):
    """A capture whose records keep their parties (see the module's docstring)."""

    kind = "message"  # what a record that waited for a contact becomes

    def parties_of(self, keys: Sequence[str]) -> dict[str, dict[str, bool]]:
        """The parties kept for records (key -> party -> wrote)."""
        found: dict[str, dict[str, bool]] = {}
        conn = self.session.connection()
        table = table_of(CaptureParty)
        for start in range(0, len(keys), KEY_BATCH):
            query = select(table.c.key, table.c.party, table.c.wrote).where(
                table.c.source == self.source, table.c.key.in_(keys[start : start + KEY_BATCH])
            )
            for key, party, wrote in conn.execute(query):
                found.setdefault(key, {})[party] = bool(wrote)
        return found

    def keep_parties(self, new: Mapping[str, Mapping[str, bool]], wrote: Iterable[tuple[str, str]]) -> None:
        """Store parties: `new` (key -> party -> wrote) not kept before, and
        (key, party) pairs kept before who have now written."""
        conn = self.session.connection()
        rows = [
            {"source": self.source, "key": key, "party": party, "wrote": did}
            for key, parties in new.items()
            for party, did in parties.items()
        ]
        if rows:
            conn.execute(insert(CaptureParty), rows)
        changed = [{"k": key, "p": party} for key, party in wrote]
        if changed:
            from sqlalchemy import bindparam

            conn.execute(
                update(CaptureParty)
                .where(
                    col(CaptureParty.source) == self.source,
                    col(CaptureParty.key) == bindparam("k"),
                    col(CaptureParty.party) == bindparam("p"),
                )
                .values(wrote=True),
                changed,
            )

    def rematch(self, holders: Mapping[str, int]) -> None:
        """When the address book changed since this source's records were
        last matched: every record kept with parties gets the contacts its
        parties are now (a contact added later joins the mail already
        captured, `updated`; a record waiting for a contact is `logged`; one
        whose contacts are all gone waits again, `removed`)."""
        book = book_digest(holders)
        conn = self.session.connection()
        stored = conn.execute(select(col(CaptureSource.book)).where(col(CaptureSource.source) == self.source)).first()
        if stored is not None and stored[0] == book:
            return
        if stored is None:
            conn.execute(insert(CaptureSource), [{"source": self.source, "book": book}])
        else:
            conn.execute(update(CaptureSource).where(col(CaptureSource.source) == self.source).values(book=book))
        self._rematch(holders)

    def _rematch(self, holders: Mapping[str, int]) -> None:
        conn = self.session.connection()
        party = table_of(CaptureParty)
        keys = table_of(CaptureKey)
        matched: dict[str, set[int]] = {}
        for key, who in conn.execute(select(party.c.key, party.c.party).where(party.c.source == self.source)):
            people = matched.setdefault(key, set())
            if who in holders:
                people.add(holders[who])
        if not matched:
            return
        now: dict[int, set[int]] = {}
        members = (
            select(col(Participant.interaction_id), col(Participant.contact_id))
            .join(keys, keys.c.interaction_id == col(Participant.interaction_id))
            .where(keys.c.source == self.source)
        )
        for iid, cid in conn.execute(members):
            now.setdefault(iid, set()).add(cid)
        held = select(keys).where(keys.c.source == self.source, or_(keys.c.waiting, keys.c.interaction_id.is_not(None)))
        adopted: list[tuple[int, Kept, str]] = []
        for row in conn.execute(held):
            if row.key not in matched:
                continue  # kept before its parties were (an older capture): left as it is
            contacts = tuple(sorted(matched[row.key]))
            if row.waiting:
                if contacts:
                    kept = Kept(row.key, row.thread, row.date, self.kind, row.note, contacts, row.direction)
                    adopted.append((row.file_id, kept, row.digest))
            elif set(contacts) != now.get(row.interaction_id, set()):
                self._rematched(row, contacts)
        if adopted:
            self._insert(adopted, waited=True)

    def _rematched(self, row: Any, contacts: tuple[int, ...]) -> None:
        """A logged record whose parties are other contacts now: its interaction
        takes them, or, with none left, goes (the record waits for one again)."""
        conn = self.session.connection()
        note, direction = conn.execute(
            select(col(Interaction.note), col(Interaction.direction)).where(col(Interaction.id) == row.interaction_id)
        ).one()
        kept = Kept(row.key, row.thread, row.date, self.kind, note, contacts, direction)
        if contacts:
            self._update(row.interaction_id, kept, row.digest, row.file_id)
            return
        if self.report is not None:
            self.report("removed", kept._replace(contacts=tuple(sorted(self._people(row.interaction_id)))))
        conn.execute(delete(Interaction).where(col(Interaction.id) == row.interaction_id))
        self._rewrite_keys(
            [{"source": self.source, "key": row.key, "interaction_id": None, "waiting": True, "note": note,
              "direction": direction}]
        )  # fmt: skip
        self.counts["removed"] += 1

    def _people(self, interaction_id: int) -> list[int]:
        query = select(col(Participant.contact_id)).where(col(Participant.interaction_id) == interaction_id)
        return list(self.session.connection().execute(query).scalars())


def wrote(interaction_id: Any, contact_id: Any) -> Any:
    """SQL: the contact wrote (not only received) in the captured record that
    is this interaction: one of their addresses is a party of it that wrote."""
    key, party, email = table_of(CaptureKey), table_of(CaptureParty), table_of(ContactEmail)
    return (
        select(literal(1))
        .select_from(key)
        .join(party, and_(party.c.source == key.c.source, party.c.key == key.c.key))
        .join(email, email.c.address_key == party.c.party)
        .where(key.c.interaction_id == interaction_id, party.c.wrote, email.c.contact_id == contact_id)
        .exists()
    )
