"""What each MCP tool answers, over the same store, pipeline and documents
as the commands: the CLI's JSON documents, one short transaction a call.

No protocol here (see `server`): plain arguments in, a document out, and
netcli's own errors (`NetcliError`) out when the request cannot be met. Each
call reads today's date and opens its own session, so a server left running
overnight, or beside a command that writes, answers from what is there now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from netcli import documents
from netcli.errors import NetcliError, ReadOnly
from netcli.values import parse_birthday, parse_past, parse_span, parse_when, resolve_today

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from netcli.config import Config
    from netcli.db import Location

# enough contact hits from `search` to intersect with the other filters of find_people
SEARCH_DEPTH = 1000
# ask(method, **arguments): what a Desk method answers, wherever the desk lives (see `worker`)
Ask = Callable[..., Any]


def answer(desk: Desk, method: str, arguments: dict[str, Any]) -> Any:
    """What `desk.method(**arguments)` answers; a database error raised as netcli's
    one line for it (a `NetcliError`, as netcli's own errors are); anything else as it is."""
    try:
        return getattr(desk, method)(**arguments)
    except NetcliError:
        raise
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            from netcli.db import describe_error

            raise describe_error(exc, desk.location) from exc
        raise


@dataclass
class Desk:
    """The database and settings the server was started with (resolved as
    every command resolves them), and whether it may write."""

    engine: Engine
    config: Config
    location: Location
    read_only: bool = False

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the call succeeds, rolled back otherwise."""
        from netcli.db import session_scope

        with session_scope(self.engine, write=write) as session:
            yield session

    def warm(self) -> None:
        """Import what the tools use, before the first call needs it (see `worker`)."""
        import netcli.pipeline  # noqa: F401
        from netcli import store

        store.load_all()

    def may_write(self, tool: str) -> None:
        """Refuse a write (before reading its arguments) on a --read-only server."""
        if self.read_only:
            raise ReadOnly(
                f"{tool} would change your network, and this netcli mcp server runs with --read-only; "
                "nothing was changed (the user can restart it without --read-only to allow writes)"
            )

    # reading

    def find_people(
        self,
        *,
        text: str | None = None,
        topic: str | None = None,
        org: str | None = None,
        met_at: str | None = None,
        tag: str | None = None,
        tier: str | None = None,
        via: str | None = None,
        overdue: bool = False,
        limit: int = 20,
        as_of: str | None = None,
    ) -> list[dict[str, Any]]:
        """Contacts (the `list --json` objects) that every given filter
        matches, in name order."""
        from netcli import store
        from netcli.names import name_key

        today = resolve_today(as_of, option="as_of")
        with self.session() as session:
            wanted: set[int] | None = None
            for found in self._narrowing(session, text=text, topic=topic, met_at=met_at, today=today):
                wanted = set(found) if wanted is None else wanted & set(found)
            if wanted is not None and not wanted:
                return []
            rows: Iterable[dict[str, Any]] = store.iter_contacts(
                session, as_of=today, ids=sorted(wanted) if wanted is not None else None, tag=tag, tier=tier, via=via
            )
            if org:
                key = name_key(org)
                rows = (r for r in rows if key in name_key(r["org"] or ""))
            finished = documents.finish_contacts(rows, today=today, session=session, config=self.config)
            if overdue:
                finished = (r for r in finished if r["next_due"] is not None and r["next_due"] <= today)
            return [documents.public(r) for r in islice(finished, limit)]

    @staticmethod
    def _narrowing(
        session: Session, *, text: str | None, topic: str | None, met_at: str | None, today: dt.date
    ) -> Iterator[Iterable[int]]:
        """The ids each of find_people's searching filters allows."""
        from netcli import store
        from netcli.store.search import search as find

        if text:
            yield (h["id"] for h in find(session, query=text, limit=SEARCH_DEPTH) if h["kind"] == "contact")
        if topic:
            yield (r["id"] for r in store.topic_experts(session, topics=[topic], as_of=today))
        if met_at:
            event, community = store.match_place(session, text=met_at, on=today)
            if community is not None:
                yield (m["id"] for m in store.community_detail(session, community=community)["members"])
            elif event is not None:
                yield (p["id"] for p in store.event_detail(session, event=event, as_of=today)["people"])
            else:  # no such event or community: the words of the contact's own "met at" text (and the rest)
                yield (h["id"] for h in find(session, query=met_at, limit=SEARCH_DEPTH) if h["kind"] == "contact")

    def get_person(self, *, who: str, as_of: str | None = None, timeline_limit: int = 20) -> dict[str, Any]:
        """`netcli show --json`, the timeline cut to its newest `timeline_limit` entries."""
        from netcli import store

        today = resolve_today(as_of, option="as_of")
        with self.session() as session:
            contact = store.find_contact(session, who=who)
            profile = documents.profile_document(session, contact=contact, today=today, config=self.config)
        profile["timeline"] = profile["timeline"][:timeline_limit]
        return profile

    def list_nudges(
        self, *, as_of: str | None = None, limit: int | None = None, rule: str | None = None
    ) -> list[dict[str, Any]]:
        """`netcli nudge --json`: what to do today, most important first; at
        most `limit` (None: the user's `nudge.limit`, 10 unless set)."""
        from netcli import rules
        from netcli.pipeline import Pipeline

        today = resolve_today(as_of, option="as_of")
        with self.session() as session:
            nudges = Pipeline(session, today=today, config=self.config)
            # ranked without topics; only what is shown is worded with them (as `netcli nudge` does)
            found = nudges.open(nudges.fire(nudges.gather(topics=False)))
            cap = limit or self.config.nudge["limit"]
            ranked = rules.order([n for n in found if rule is None or n.rule == rule], limit=cap)
            return [n.as_dict() for n in nudges.word(ranked)]

    def mentor_prep(self, *, who: str) -> dict[str, Any]:
        """`netcli mentor prep --json`."""
        from netcli import store

        today = resolve_today(None)
        with self.session() as session:
            contact = store.find_contact(session, who=who)
            return documents.prep_document(session, contact=contact, today=today, config=self.config)

    def list_goals(
        self, *, goal: str | None = None, include_closed: bool = False, as_of: str | None = None
    ) -> list[dict[str, Any]] | dict[str, Any]:
        """`netcli goal list --json` (or, for one `goal`, `goal show --json`),
        each goal with `experts`: the people whose topics match the goal's
        (`netcli who`), who may help."""
        from netcli import store

        today = resolve_today(as_of, option="as_of")
        with self.session() as session:
            if goal is not None:
                detail = documents.goal_detail(session, goal=store.find_goal(session, text=goal), today=today)
                return detail | {"experts": self._experts(session, detail["topics"], today)}
            rows = store.goal_dicts(session, as_of=today, include_closed=include_closed)
            return [
                documents.goal_document(row) | {"experts": self._experts(session, row["topics"], today)} for row in rows
            ]

    @staticmethod
    def _experts(session: Session, topics: Sequence[str], today: dt.date) -> list[dict[str, Any]]:
        from netcli import store

        return store.topic_experts(session, topics=topics, as_of=today) if topics else []

    def monthly_report(self, *, month: str | None = None, as_of: str | None = None) -> dict[str, Any]:
        """`netcli report --format json`."""
        today = resolve_today(as_of, option="as_of")
        first, end, just_ended = documents.report_month(month, today=today, option="month")
        with self.session() as session:
            built = documents.month_report(session, first=first, end=end, just_ended=just_ended, config=self.config)
        return built.as_dict()

    def search(self, *, text: str, limit: int = 30) -> list[dict[str, Any]]:
        """`netcli search --json`."""
        from netcli.store.search import search as find

        with self.session() as session:
            return find(session, query=text, limit=limit)

    # writing

    def add_person(
        self,
        *,
        name: str,
        on: str | None = None,
        met_at: str | None = None,
        introduced_by: str | None = None,
        every: str | None = None,
        birthday: str | None = None,
        tier: str | None = None,
        emails: Sequence[str] = (),
        phones: Sequence[str] = (),
        tags: Sequence[str] = (),
        topics: Sequence[str] = (),
        **profile: Any,
    ) -> tuple[dict[str, Any], str | None]:
        """`netcli add --json`, and what linking `met_at` to an event or community had to say."""
        self.may_write("add_person")
        today = resolve_today(None)
        met_on = parse_past(on, today=today, option="on") if on else None
        cadence = parse_span(every, option="every") if every else None
        born = parse_birthday(birthday, today=today, option="birthday") if birthday else None
        with self.session(write=True) as session:
            return documents.add_person(
                session,
                today=today,
                config=self.config,
                met_on=met_on,
                met_at=met_at,
                introduced_by=introduced_by,
                option="met_at",
                name=name,
                emails=list(emails),
                phones=list(phones),
                tags=list(tags),
                topics=list(topics),
                tier=tier or "C",
                cadence_days=cadence,
                birthday=born,
                **profile,
            )

    def log_interaction(
        self,
        *,
        who: Sequence[str],
        kind: str = "message",
        on: str | None = None,
        note: str | None = None,
        topics: Sequence[str] = (),
        goal: str | None = None,
    ) -> dict[str, Any]:
        """`netcli log --json`: one interaction shared by everyone named."""
        self.may_write("log_interaction")
        today = resolve_today(None)
        when = parse_past(on, today=today, option="on") if on else today
        with self.session(write=True) as session:
            return documents.log_exchange(
                session, who=list(who), kind=kind, on=when, note=note, topics=list(topics), goal=goal
            )

    def act_on_nudge(
        self, *, nudge_id: str, action: str, note: str | None = None, snooze_for: str = "1w"
    ) -> dict[str, Any]:
        """`netcli done --json`, `snooze --json` or `dismiss --json`."""
        self.may_write("act_on_nudge")
        today = resolve_today(None)
        until = today + dt.timedelta(days=parse_span(snooze_for, option="snooze_for")) if action == "snooze" else None
        with self.session(write=True) as session:
            return documents.act_on_nudge(
                session, nudge_id=nudge_id, action=action, today=today, config=self.config, until=until, note=note
            )

    def add_goal(
        self, *, title: str, by: str | None = None, topics: Sequence[str] = (), why: str | None = None
    ) -> dict[str, Any]:
        """`netcli goal add --json`."""
        self.may_write("add_goal")
        today = resolve_today(None)
        target = parse_when(by, today=today, option="by") if by else None
        with self.session(write=True) as session:
            return documents.set_goal(
                session, title=title, target_on=target, topics=list(topics), why=why, started=today, today=today
            )
