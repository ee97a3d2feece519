"""`netcli search`: SQLite FTS5 when the index exists, plain matching elsewhere."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, inspect, or_, text
from sqlmodel import Session, col, select

from netcli.errors import Invalid
from netcli.models import Contact, ContactTag, ContactTopic, Goal, GoalTopic, Interaction, InteractionTopic, Participant
from netcli.names import like_escape, name_key
from netcli.store.rows import as_date

_WORD = re.compile(r"\w+", re.UNICODE)
KINDS = ("contact", "interaction", "goal")


def _has_index(session: Session) -> bool:
    bind = session.get_bind()
    return bind.dialect.name == "sqlite" and inspect(session.connection()).has_table("search_index")


def search(session: Session, *, query: str, limit: int = 30) -> list[dict[str, Any]]:
    """Contacts, interactions and goals matching every word of `query`, best first."""
    words = _WORD.findall(name_key(query))
    if not words:
        raise Invalid("search needs at least one word, e.g. netcli search rust")
    dialect = session.get_bind().dialect.name
    if _has_index(session):
        hits = _fts(session, words, limit)
    elif dialect == "postgresql" and inspect(session.connection()).has_table("search_contact_doc"):
        hits = _postgres(session, words, limit)
    else:
        hits = _plain(session, words, limit)
    return _describe(session, hits)


def _postgres(session: Session, words: list[str], limit: int) -> list[tuple[str, int, float, str]]:
    """PostgreSQL full-text search over the same documents as FTS5: every
    word as a prefix, names weighing most."""
    unaccent = (
        session.connection().execute(text("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")).first() is not None
    )
    clean = "unaccent({})" if unaccent else "{}"
    query = " & ".join(re.sub(r"[^\w]", "", w) + ":*" for w in words if re.sub(r"[^\w]", "", w))
    if not query:
        return []
    vector = (
        f"setweight(to_tsvector('simple', {clean.format('name')}), 'A') || "
        f"setweight(to_tsvector('simple', {clean.format('body')}), 'B')"
    )
    parts = [
        f"SELECT '{kind}' AS kind, ref, "
        f"ts_rank('{{0.1, 0.2, 0.4, 1.0}}', {vector}, to_tsquery('simple', :q)) AS score, "
        f"left(body, 160) AS snippet FROM {view} WHERE {vector} @@ to_tsquery('simple', :q)"
        for kind, view in (
            ("contact", "search_contact_doc"),
            ("interaction", "search_interaction_doc"),
            ("goal", "search_goal_doc"),
        )
    ]
    rows = (
        session.connection()
        .execute(
            text(" UNION ALL ".join(parts) + " ORDER BY score DESC, kind, ref LIMIT :limit"),
            {"q": query, "limit": limit},
        )
        .all()
    )
    return [(kind, int(ref), float(score), "") for kind, ref, score, _ in rows]


def _fts(session: Session, words: list[str], limit: int) -> list[tuple[str, int, float, str]]:
    match = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
    rows = (
        session.connection()
        .execute(
            text(
                "SELECT rowid, bm25(search_index, 10.0, 1.0) AS score, "
                "snippet(search_index, 1, '[', ']', '…', 10) FROM search_index "
                "WHERE search_index MATCH :match ORDER BY score, rowid LIMIT :limit"
            ),
            {"match": match, "limit": limit},
        )
        .all()
    )
    return [(KINDS[rowid % 4], rowid // 4, -score, snip) for rowid, score, snip in rows]


def _plain(session: Session, words: list[str], limit: int) -> list[tuple[str, int, float, str]]:
    """Every word must appear somewhere in the record; a name hit weighs most."""
    scores: dict[tuple[str, int], float] = {}

    def like(column: Any, word: str) -> Any:
        return func.lower(column).like(f"%{like_escape(word)}%", escape="\\")

    def contacts_with(word: str) -> dict[int, float]:
        found: dict[int, float] = {}
        for cid in session.scalars(select(col(Contact.id)).where(like(col(Contact.name_key), word))):
            found[cid] = 10.0
        fields = or_(*(like(getattr(Contact, f), word) for f in ("org", "role", "location", "email", "met_at", "note")))
        for cid in session.scalars(select(col(Contact.id)).where(fields)):
            found.setdefault(cid, 1.0)
        for cid in session.scalars(
            select(col(ContactTag.contact_id))
            .where(like(col(ContactTag.tag), word))
            .union(select(col(ContactTopic.contact_id)).where(like(col(ContactTopic.topic), word)))
        ):
            found.setdefault(cid, 1.0)
        return found

    def interactions_with(word: str) -> dict[int, float]:
        ids = session.scalars(
            select(col(Interaction.id))
            .where(like(col(Interaction.note), word))
            .union(select(col(InteractionTopic.interaction_id)).where(like(col(InteractionTopic.topic), word)))
        )
        return {i: 1.0 for i in ids}

    def goals_with(word: str) -> dict[int, float]:
        found = {g: 10.0 for g in session.scalars(select(col(Goal.id)).where(like(col(Goal.title), word)))}
        for g in session.scalars(
            select(col(Goal.id))
            .where(like(col(Goal.why), word))
            .union(select(col(GoalTopic.goal_id)).where(like(col(GoalTopic.topic), word)))
        ):
            found.setdefault(g, 1.0)
        return found

    for kind, finder in (("contact", contacts_with), ("interaction", interactions_with), ("goal", goals_with)):
        per_word = [finder(w) for w in words]
        common = set.intersection(*(set(m) for m in per_word))
        for ident in common:
            scores[(kind, ident)] = sum(m[ident] for m in per_word)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [(kind, ident, score, "") for (kind, ident), score in ranked]


def _describe(session: Session, hits: list[tuple[str, int, float, str]]) -> list[dict[str, Any]]:
    ids = {kind: [h[1] for h in hits if h[0] == kind] for kind in KINDS}
    contacts = {c.id: c for c in session.scalars(select(Contact).where(col(Contact.id).in_(ids["contact"])))}
    goals = {g.id: g for g in session.scalars(select(Goal).where(col(Goal.id).in_(ids["goal"])))}
    interactions = {
        i.id: i for i in session.scalars(select(Interaction).where(col(Interaction.id).in_(ids["interaction"])))
    }
    people: dict[int, list[str]] = {}
    for iid, name in session.exec(
        select(col(Participant.interaction_id), col(Contact.name))
        .join(Contact, col(Contact.id) == col(Participant.contact_id))
        .where(col(Participant.interaction_id).in_(ids["interaction"]))
        .order_by(col(Contact.name_key))
    ).all():
        people.setdefault(iid, []).append(name)
    results = []
    for kind, ident, score, snippet in hits:
        if kind == "contact" and ident in contacts:
            c = contacts[ident]
            title = c.name + (f" ({c.org})" if c.org else "")
            detail = snippet or c.note or ""
        elif kind == "goal" and ident in goals:
            g = goals[ident]
            title, detail = g.title, snippet or g.why or ""
        elif kind == "interaction" and ident in interactions:
            i = interactions[ident]
            title = f"{as_date(i.date).isoformat()} {i.kind} with {', '.join(people.get(ident, []))}"
            detail = snippet or i.note or ""
        else:
            continue
        results.append(
            {"kind": kind, "id": ident, "title": title, "match": " ".join(detail.split()), "score": round(score, 3)}
        )
    return results
