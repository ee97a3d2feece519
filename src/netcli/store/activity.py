"""Communities and being active in them (contract section 12): the chats
that are a community (`community edit --chat KIND:ID`), how often the user
means to take part (`--every`), and what they did there, month by month:
their own posts in those chats (kept by `capture chat`, counts only) and
the community's events.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlmodel import Session

from netcli.errors import Invalid
from netcli.models import ChatPost, Community, CommunityChat, Event
from netcli.store.rows import as_date, col, table_of
from netcli.vocab import CHAT_APPS

_CHAT = re.compile(r"^([a-z]+):([\w./:@+#-]{1,200})$")


def clean_chat(text: str) -> str:
    """A chat as `capture chat` names it (`discord:523331000000000001`,
    `telegram:channel1300000001`): the app in lower case, an id without spaces."""
    kind, sep, ident = text.strip().partition(":")
    chat = f"{kind.lower()}:{ident}"
    if not sep or kind.lower() not in CHAT_APPS or not _CHAT.match(chat):
        apps = ", ".join(CHAT_APPS)
        raise Invalid(
            f"{text!r} is not a chat; give KIND:ID as capture chat names it (KIND one of {apps}), "
            "e.g. discord:523331000000000001"
        )
    return chat


def link_chats(session: Session, *, community: Community, chats: Sequence[str]) -> None:
    """These chats are this community (a chat is one community's: linking it
    here unlinks it from another)."""
    wanted = list(dict.fromkeys(clean_chat(c) for c in chats))
    if not wanted:
        return
    conn = session.connection()
    conn.execute(delete(CommunityChat).where(col(CommunityChat.chat).in_(wanted)))
    conn.execute(insert(CommunityChat), [{"chat": chat, "community_id": community.id} for chat in wanted])


def unlink_chats(session: Session, *, community: Community, chats: Sequence[str]) -> None:
    wanted = [clean_chat(c) for c in chats]
    session.connection().execute(
        delete(CommunityChat).where(
            col(CommunityChat.community_id) == community.id, col(CommunityChat.chat).in_(wanted)
        )
    )


def set_cadence(community: Community, *, days: int | None, today: dt.date) -> None:
    """How often the user means to take part; its clock starts today."""
    community.cadence_days = days
    community.cadence_since = today if days else None


def chats_of(session: Session) -> dict[int, list[str]]:
    """Every community's chats, in order."""
    found: dict[int, list[str]] = {}
    query = select(col(CommunityChat.community_id), col(CommunityChat.chat)).order_by(col(CommunityChat.chat))
    for cid, chat in session.connection().execute(query):
        found.setdefault(cid, []).append(chat)
    return found


def _month(day: Any) -> str:
    return str(day)[:7]


def activity(session: Session, *, community_id: int, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Month by month, oldest first: the user's posts in the community's
    chats and the community's events (up to `today`): `{month, posts, events}`."""
    conn = session.connection()
    months: dict[str, list[int]] = {}
    posts = (
        select(col(ChatPost.date))
        .join(table_of(CommunityChat), col(CommunityChat.chat) == col(ChatPost.chat))
        .where(col(CommunityChat.community_id) == community_id)
    )
    for (day,) in conn.execute(posts):
        months.setdefault(_month(day), [0, 0])[0] += 1
    events = select(col(Event.date)).where(col(Event.community_id) == community_id)
    if today is not None:
        events = events.where(col(Event.date) <= today)
    for (day,) in conn.execute(events):
        months.setdefault(_month(day), [0, 0])[1] += 1
    return [{"month": m, "posts": p, "events": e} for m, (p, e) in sorted(months.items())]


def taking_part(session: Session, community: Community, *, today: dt.date | None) -> dict[str, Any]:
    """What `community show` says of taking part: chats, cadence, activity."""
    return {
        "chats": chats_of(session).get(community.id, []),
        "every_days": community.cadence_days,
        "activity": activity(session, community_id=community.id, today=today),
    }


def last_taken_part(session: Session, *, as_of: dt.date) -> dict[int, dt.date]:
    """Per community, the last day the user took part up to `as_of`: a post
    in one of its chats, one of its events, or a `done` on its quiet nudge."""
    conn = session.connection()
    found: dict[int, dt.date] = {}

    def keep(cid: int | None, value: Any) -> None:
        day = as_date(value) if value is not None else None
        if cid is None or day is None or day > as_of:
            return
        if cid not in found or day > found[cid]:
            found[cid] = day

    posts = (
        select(col(CommunityChat.community_id), func.max(col(ChatPost.date)))
        .join(table_of(CommunityChat), col(CommunityChat.chat) == col(ChatPost.chat))
        .where(col(ChatPost.date) <= as_of)
        .group_by(col(CommunityChat.community_id))
    )
    events = (
        select(col(Event.community_id), func.max(col(Event.date)))
        .where(col(Event.community_id).is_not(None), col(Event.date) <= as_of)
        .group_by(col(Event.community_id))
    )
    for query in (posts, events):
        for cid, day in conn.execute(query):
            keep(cid, day)
    for community, done in conn.execute(select(col(Community.id), col(Community.took_part_on))):
        keep(community, done)
    return found


def community_facts(session: Session, *, as_of: dt.date) -> list[dict[str, Any]]:
    """Communities with a cadence: `rules.CommunityFacts`' fields."""
    from netcli.store.rows import as_date as day_of

    query = (
        select(col(Community.id), col(Community.name), col(Community.cadence_days), col(Community.cadence_since))
        .where(col(Community.cadence_days).is_not(None), col(Community.cadence_days) > 0)
        .order_by(col(Community.id))
    )
    rows = list(session.connection().execute(query))
    if not rows:
        return []
    last = last_taken_part(session, as_of=as_of)
    chats = chats_of(session)
    return [
        {
            "id": cid,
            "name": name,
            "app": CHAT_APPS.get(chats[cid][0].partition(":")[0]) if chats.get(cid) else None,
            "every_days": every or 0,
            "since": day_of(since) if since is not None else as_of,
            "last": last.get(cid),
        }
        for cid, name, every, since in rows
    ]


def took_part(session: Session, *, community_id: int, on: dt.date) -> None:
    """`done` on a quiet community's nudge: the user took part on `on`."""
    community = session.get(Community, community_id)
    if community is not None and (community.took_part_on is None or community.took_part_on < on):
        community.took_part_on = on
        session.add(community)
        session.flush()


def month_activity(session: Session, *, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Where the user was active in start..end: each community with posts
    of theirs in its chats or events, `{name, posts, events}`, the busiest
    first."""
    conn = session.connection()
    found: dict[int, list[int]] = {}
    posts = (
        select(col(CommunityChat.community_id), func.count())
        .select_from(table_of(ChatPost))
        .join(table_of(CommunityChat), col(CommunityChat.chat) == col(ChatPost.chat))
        .where(col(ChatPost.date) >= start, col(ChatPost.date) <= end)
        .group_by(col(CommunityChat.community_id))
    )
    events = (
        select(col(Event.community_id), func.count())
        .where(col(Event.community_id).is_not(None), col(Event.date) >= start, col(Event.date) <= end)
        .group_by(col(Event.community_id))
    )
    for index, query in enumerate((posts, events)):
        for cid, n in conn.execute(query):
            if cid is not None:
                found.setdefault(cid, [0, 0])[index] += int(n)
    if not found:
        return []
    named = select(col(Community.id), col(Community.name)).where(col(Community.id).in_(list(found)))
    names: dict[int, str] = {cid: name for cid, name in conn.execute(named)}
    rows = [{"name": names[cid], "posts": p, "events": e} for cid, (p, e) in found.items() if cid in names]
    return sorted(rows, key=lambda r: (-(r["posts"] + r["events"]), r["name"]))
