"""The nudge pipeline: gather facts (store) -> fire (rules) -> drop what the
user marked -> order -> word.

Every view of the nudges goes through here: `nudge`, `done`, `snooze` and
`dismiss`, the dashboard, the report, `show`, the calendar export. It takes
its session, settings and day as arguments: no terminal, no clock, no Typer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple

from sqlmodel import Session

from netcli import rules, store
from netcli.config import Config
from netcli.errors import Ambiguous, NotFound
from netcli.store.activity import community_facts, took_part
from netcli.store.facts import job_facts


class Pipeline:
    """The nudges of one day, over one session."""

    def __init__(self, session: Session, *, today: dt.date, config: Config) -> None:
        self.session, self.today, self.config = session, today, config

    def gather(self, *, contact_ids: Sequence[int] | None = None, topics: bool = True) -> rules.Facts:
        """Every fact the rules read, as of today: people (all, or just
        `contact_ids`), mentors, goals, events, birthdays, replies owed. Without `topics`,
        people's topics are left out: ranking never reads them; `word` puts
        them back for what is shown."""
        session, today = self.session, self.today
        return rules.Facts(
            people=self._people(contact_ids=contact_ids, topics=topics),
            mentors=[rules.MentorFacts(**m) for m in store.mentor_facts(session, as_of=today)],
            goals=[rules.GoalFacts(**g) for g in store.goal_facts(session, as_of=today)],
            events=[
                rules.EventFacts(**e)
                for e in store.event_facts(session, as_of=today, window_days=self.config.rule("event_window_days"))
            ],
            birthdays=[rules.BirthdayFacts(**b) for b in store.birthday_facts(session, contact_ids=contact_ids)],
            communities=[rules.CommunityFacts(**c) for c in community_facts(session, as_of=today)],
            jobs=[
                rules.JobFacts(**j)
                for j in job_facts(
                    session,
                    as_of=today,
                    window_days=self.config.rule("congratulate_window"),
                    contact_ids=contact_ids,
                )
            ],
            replies=[
                rules.ReplyFacts(**r)
                for r in store.reply_facts(
                    session, as_of=today, window_days=self.config.rule("reply_window"), contact_ids=contact_ids
                )
            ],
        )

    def _people(self, *, contact_ids: Sequence[int] | None, topics: bool) -> list[rules.PersonFacts]:
        rows = store.person_facts(
            self.session,
            fields=rules.PersonFacts._fields,
            as_of=self.today,
            give_back_window_days=self.config.rule("give_back_window_days"),
            contact_ids=contact_ids,
            with_topics=topics,
        )
        return list(map(rules.PersonFacts._make, rows))  # the store gave the columns in these fields' order

    def fire(self, facts: rules.Facts | None = None) -> list[rules.Nudge]:
        """Every nudge the facts call for, before snoozes and dismissals, in
        no particular order (`rules.order` ranks them)."""
        return rules.fire(facts or self.gather(), today=self.today, config=self.config)

    def open(self, fired: Sequence[rules.Nudge] | None = None) -> list[rules.Nudge]:
        """The nudges to show, in no particular order: all that fire (`fired`,
        or worked out now) less the snoozed, dismissed and done."""
        marks = {
            key: rules.NudgeMark(state=s.state, until=s.until, contact_id=s.contact_id)
            for key, s in store.nudge_states(self.session).items()
        }
        return rules.visible(self.fire() if fired is None else fired, marks, today=self.today)

    def word(self, nudges: Sequence[rules.Nudge]) -> list[rules.Nudge]:
        """`nudges` (the few to show, from facts gathered without topics) as
        the rules word them from their people's whole facts: the same ids,
        order and priorities, and "ask about rust" where a person has topics."""
        reading = {name for name, declared in rules.RULES.items() if declared.reads_topics}
        wanted = sorted({n.contact_id for n in nudges if n.rule in reading and n.contact_id})
        if not wanted:
            return list(nudges)
        people = self._people(contact_ids=wanted, topics=True)
        again = {n.id: n for n in rules.fire(rules.Facts(people=people), today=self.today, config=self.config)}
        return [again.get(n.id, n) for n in nudges]

    def about(self, contact_id: int) -> list[dict[str, Any]]:
        """The open nudges about one person, most important first."""
        found = self.open(self.fire(self.gather(contact_ids=[contact_id])))
        return [n.as_dict() for n in rules.order(found) if n.contact_id == contact_id]

    def for_tasks(self, *, limit: int, also: Collection[str] = ()) -> list[dict[str, Any]]:
        """The nudges a task list shows (`sync tasks`): the first `limit` open
        ones (`listed`), and those of `also` (nudges that have a task) that
        still fire, each with its `status` ("open", "snoozed", "closed": done
        or dismissed), the day it is `until` snoozed, and its `rank` among the
        listed (None for the others). A nudge of `also` left out is gone."""
        fired = self.fire(self.gather(topics=False))
        opened = self.open(fired)
        open_ids = {n.id for n in opened}
        marks = store.nudge_states(self.session)
        status: dict[str, tuple[str, dt.date | None]] = {}
        for nudge in fired:
            mark = marks.get(nudge.id)
            until = mark.until if mark is not None and mark.state == "snoozed" else None
            if nudge.id in open_ids:  # a snooze that ran out leaves its day: the task keeps the DUE it was moved to
                status[nudge.id] = ("open", until)
            else:
                status[nudge.id] = ("snoozed" if mark is not None and mark.state == "snoozed" else "closed", until)
        ranked = rules.order(opened, limit=limit)[:limit]
        listed = {n.id for n in ranked}
        wanted = set(also)
        shown = ranked + [n for n in fired if n.id in wanted and n.id not in listed]
        rank = {n.id: i for i, n in enumerate(ranked)}
        return [
            n.as_dict()
            | {"status": status[n.id][0], "until": status[n.id][1], "listed": n.id in listed, "rank": rank.get(n.id)}
            for n in self.word(shown)
        ]

    def find(self, nudge_id: str, *, listed: Sequence[dict[str, Any]] = ()) -> rules.Nudge | dict[str, Any]:
        """The nudge `nudge_id` names: its id, or a unique start of one, among
        the nudges that fire today and those `netcli nudge` listed earlier
        today (`listed`, as its JSON showed them). One listed that has
        cleared since (a thank-you logged can clear another nudge about that
        person) is returned as it was listed."""
        wanted = nudge_id.strip().lower()
        fired = {n.id: n for n in self.fire()}
        shown = {n["id"]: n for n in listed}
        if wanted in fired or wanted in shown:
            return fired.get(wanted) or shown[wanted]
        open_ids = {n.id for n in self.open(list(fired.values()))}
        starts = sorted(i for i in open_ids | set(shown) if i.startswith(wanted))
        if len(starts) == 1:
            return fired.get(starts[0]) or shown[starts[0]]
        if not starts:
            raise NotFound(f"no current nudge has the id '{nudge_id}'; 'netcli nudge --all' lists them")
        actions = {i: n["action"] for i, n in shown.items()} | {i: n.action for i, n in fired.items()}
        named = "; ".join(f"{i} {actions[i]}" for i in starts[:5]) + (
            f"; and {len(starts) - 5} more" if len(starts) > 5 else ""
        )
        raise Ambiguous(f"'{nudge_id}' starts {len(starts)} nudge ids: {named}; give more of it")

    def mark(
        self,
        nudge_id: str,
        *,
        state: str,
        until: dt.date | None = None,
        note: str | None = None,
        on: dt.date | None = None,
        listed: Sequence[dict[str, Any]] = (),
    ) -> Marked:
        """Snooze, dismiss or close (`state` "done") the nudge `nudge_id`
        names (see `find`). Done logs what its rule asks for
        (`Rule.done_logs`) with its contact, on the day `on` (today, unless a
        task list says when it was ticked), with `note` or else the nudge's
        action, so the row says what was done. A nudge that is closed
        already, or that was listed today and has cleared since, is left as
        it is, and `Marked.already` says why."""
        found = self.find(nudge_id, listed=listed)
        if isinstance(found, dict):
            return Marked(nudge=found, already=self._cleared(found))
        mark = store.nudge_states(self.session).get(found.id)
        if mark is not None and mark.state in ("done", "dismissed"):
            # its facts may still call for it (a surplus of help received): it is closed all the same
            return Marked(nudge=found.as_dict(), already=f"you marked it {mark.state}")
        logged = None
        kind = rules.RULES[found.rule].done_logs if state == "done" else None
        if kind and found.contact_id is not None:
            contact = store.find_contact(self.session, who=f"#{found.contact_id}")
            interaction = store.log_interaction(
                self.session,
                contacts=[contact],
                kind=kind,
                on=on or self.today,
                note=found.action if note is None else note,
            )
            logged = store.interaction_dicts(self.session, ids=[interaction.id])[0]
        if state == "done" and found.rule == "community-quiet":
            took_part(self.session, community_id=int(found.subject), on=on or self.today)
        store.set_nudge_state(self.session, nudge_id=found.id, state=state, until=until, contact_id=found.contact_id)
        return Marked(nudge=found.as_dict(), logged=logged)

    def _cleared(self, listed: dict[str, Any]) -> str:
        """Why a nudge listed today no longer fires: what was logged with its
        person today, else what the user marked it, else that its facts changed."""
        contact_id = listed.get("contact_id")
        if contact_id is not None:
            for row in store.iter_interactions(self.session, contact_id=contact_id, since=self.today, limit=1):
                return f"you logged {row['kind']} with {listed.get('contact') or ', '.join(row['contacts'])} today"
        mark = store.nudge_states(self.session).get(listed["id"])
        if mark is not None and mark.state == "snoozed" and mark.until is not None:
            return f"you snoozed it until {mark.until.isoformat()}"
        if mark is not None:
            return f"you marked it {mark.state}"
        return "what it asked for no longer applies today"


class Marked(NamedTuple):
    """What `done`, `snooze` or `dismiss` did: the nudge (as `nudge --json`
    shows it), the interaction `done` logged, or, when nothing was done, why
    (`already`: "you logged thanks with Zelda Quorn today")."""

    nudge: dict[str, Any]
    logged: dict[str, Any] | None = None
    already: str | None = None


def thanks_owed(nudges: Sequence[rules.Nudge]) -> int:
    """How many of `nudges` ask for a thank-you, i.e. that `done` would
    close by logging a `thanks` (the dashboard's and the report's count)."""
    return sum(1 for n in nudges if rules.RULES[n.rule].done_logs == "thanks")
