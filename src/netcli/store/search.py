"""`netcli search`: what the user typed, as terms; the engine picks and ranks
the records (SQLite FTS5 when the index exists, PostgreSQL's full-text
search, plain matching elsewhere); each hit is described, and its snippet
cut, here in Python, so that every engine shows the same words.

A term is a word (`rust`: any word starting with it), a word with
punctuation (`c++`, `node.js`, `o'brien`: taken literally, from the start of
a word), or a quoted phrase (`"machine learning"`: those words, in that
order). Literal terms are judged by one pattern (`Term.pattern`), which
SQLite runs as a function of the connection and PostgreSQL as a regular
expression (`Term.pg_pattern`), so `c++` never finds every word starting
with "c".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import func, inspect, or_, text, union
from sqlmodel import Session, select

from netcli.errors import UsageError
from netcli.models import Contact, ContactTag, ContactTopic, Goal, GoalTopic, Interaction, InteractionTopic, Participant
from netcli.names import like_escape, name_key
from netcli.store.rows import as_date, col, table_of

_WORD = re.compile(r"\w+", re.UNICODE)
_TERM = re.compile(r'"([^"]*)"?|(\S+)')  # a quoted phrase (its closing quote may be missing), or a word
KINDS = ("contact", "interaction", "goal")
SNIPPET_WORDS = 10
# what a word may carry around it that is not part of what matched ("rust," "(rust)")
_AROUND = "\"'.,;:!?()[]{}<>«»\u201c\u201d\u2018\u2019"


@dataclass(frozen=True)
class Term:
    """One thing the user looks for, as compared (casefolded, accent-free)."""

    key: str
    phrase: bool = False  # quoted: matched whole, from the start of a word to the end of one

    @property
    def tokens(self) -> list[str]:
        return _WORD.findall(self.key)

    @property
    def literal(self) -> bool:
        """Not a plain word: punctuation or spaces in it, or quoted."""
        return self.phrase or self.tokens != [self.key]

    @property
    def open_end(self) -> bool:
        """Matches a longer word too (`rust` finds "rusty", `node.js` finds "node.jsx")."""
        return not self.phrase and bool(_WORD.fullmatch(self.key[-1:]))

    @property
    def _opens_word(self) -> bool:
        """Starts with a letter or digit, so at the start of a word (`c++` is not in "objc++")."""
        return bool(_WORD.fullmatch(self.key[:1]))

    @property
    def _closed(self) -> bool:
        """A phrase ends where a word ends ("machine learning" is not "machine learnings")."""
        return self.phrase and bool(_WORD.fullmatch(self.key[-1:]))

    def pattern(self) -> str:
        """A Python regular expression over a text's `name_key`."""
        body = r"\s+".join(re.escape(part) for part in self.key.split(" "))
        return (r"(?<!\w)" if self._opens_word else "") + body + (r"(?!\w)" if self._closed else "")

    def pg_pattern(self) -> str:
        """The same as a PostgreSQL regular expression (run case-insensitively)."""
        body = r"\s+".join("".join(ch if ch.isalnum() else "\\" + ch for ch in part) for part in self.key.split(" "))
        start = "(^|[^[:alnum:]_])" if self._opens_word else ""
        return start + body + ("($|[^[:alnum:]_])" if self._closed else "")


def parse_terms(query: str) -> list[Term]:
    """The terms of a query: quoted phrases and words, in order."""
    terms = []
    for phrase, word in _TERM.findall(query):
        key = name_key(phrase if phrase or not word else word)
        if key:
            terms.append(Term(key=key, phrase=bool(phrase)))
    return terms


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def has_term(text: str | None, pattern: str) -> bool:
    """Whether `text` holds what `pattern` (`Term.pattern`) looks for."""
    return text is not None and _compiled(pattern).search(name_key(text)) is not None


def _has_index(session: Session) -> bool:
    bind = session.get_bind()
    return bind.dialect.name == "sqlite" and inspect(session.connection()).has_table("search_index")


def search(session: Session, *, query: str, limit: int = 30) -> list[dict[str, Any]]:
    """Contacts, interactions and goals matching every term of `query`, best first."""
    terms = parse_terms(query)
    if not terms:
        raise UsageError("search needs something to find, e.g. netcli search rust, or a phrase: '\"machine learning\"'")
    dialect = session.get_bind().dialect.name
    if _has_index(session):
        hits = _fts(session, terms, limit)
    elif dialect == "postgresql" and inspect(session.connection()).has_table("search_contact_doc"):
        hits = _postgres(session, terms, limit)
    else:
        hits = _plain(session, terms, limit)
    return _describe(session, hits, terms)


def _postgres(session: Session, terms: Sequence[Term], limit: int) -> list[tuple[str, int, float]]:
    """PostgreSQL full-text search over the same documents as FTS5: every
    word as a prefix, names weighing most; a literal term as a regular
    expression over the document."""
    conn = session.connection()
    unaccent = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")).first() is not None
    clean = "unaccent({})" if unaccent else "{}"
    words = [t.key for t in terms if not t.literal]
    query = " & ".join(w + ":*" for w in words)
    vector = (
        f"setweight(to_tsvector('simple', {clean.format('name')}), 'A') || "
        f"setweight(to_tsvector('simple', {clean.format('body')}), 'B')"
    )
    conditions = [f"{vector} @@ to_tsquery('simple', :q)"] if query else []
    params: dict[str, Any] = {"q": query, "limit": limit}
    document = clean.format("(name || ' ' || body)")
    for n, term in enumerate(t for t in terms if t.literal):
        conditions.append(f"{document} ~* :p{n}")
        params[f"p{n}"] = term.pg_pattern()
    rank = f"ts_rank('{{0.1, 0.2, 0.4, 1.0}}', {vector}, to_tsquery('simple', :q))" if query else "0.0"
    parts = [
        f"SELECT '{kind}' AS kind, ref, {rank} AS score FROM {view} WHERE {' AND '.join(conditions)}"
        for kind, view in (
            ("contact", "search_contact_doc"),
            ("interaction", "search_interaction_doc"),
            ("goal", "search_goal_doc"),
        )
    ]
    sql = " UNION ALL ".join(parts) + " ORDER BY score DESC, kind, ref LIMIT :limit"
    return [(kind, int(ref), float(score)) for kind, ref, score in conn.execute(text(sql), params).all()]


def _fts(session: Session, terms: Sequence[Term], limit: int) -> list[tuple[str, int, float]]:
    """FTS5 picks by the words (a literal term's words as a phrase), bm25
    ranks, and a function of the connection keeps what holds each literal term."""
    pieces = []
    for term in terms:
        if term.tokens:
            phrase = " ".join(term.tokens).replace('"', '""')
            pieces.append(f'"{phrase}"' + ("*" if term.open_end else ""))
    conditions = ["search_index MATCH :match"] if pieces else []
    params: dict[str, Any] = {"match": " ".join(pieces), "limit": limit}
    literals = [t for t in terms if t.literal]
    conn = session.connection()
    if literals:
        raw = conn.connection.dbapi_connection
        assert raw is not None  # an open Connection always holds its DBAPI connection
        raw.create_function("netcli_has", 2, has_term, deterministic=True)
    for n, term in enumerate(literals):
        if not term.tokens and term.key.isascii():  # no words to match (`!!!`): SQLite's LIKE first, at C speed
            conditions.append(f"name || ' ' || body LIKE :l{n} ESCAPE '\\'")
            params[f"l{n}"] = f"%{like_escape(term.key)}%"
        conditions.append(f"netcli_has(name || ' ' || body, :p{n})")
        params[f"p{n}"] = term.pattern()
    score = "bm25(search_index, 10.0, 1.0)" if pieces else "0.0"
    rows = conn.execute(
        text(
            f"SELECT rowid, {score} AS score FROM search_index WHERE {' AND '.join(conditions)} "
            "ORDER BY score, rowid LIMIT :limit"
        ),
        params,
    ).all()
    return [(KINDS[rowid % 4], rowid // 4, -score) for rowid, score in rows]


def _plain(session: Session, terms: Sequence[Term], limit: int) -> list[tuple[str, int, float]]:
    """Every term must appear somewhere in the record; a name hit weighs most.
    The database narrows by substrings; the terms are judged on the records."""
    words = [w for t in terms for w in t.tokens] + [t.key for t in terms if not t.tokens]

    def like(column: Any, word: str) -> Any:
        return func.lower(column).like(f"%{like_escape(word)}%", escape="\\")

    def contacts_with(word: str) -> set[int]:
        fields = or_(
            like(col(Contact.name_key), word),
            *(like(getattr(Contact, f), word) for f in ("org", "role", "location", "email", "met_at", "note")),
        )
        return set(
            session.scalars(
                union(
                    select(col(Contact.id)).where(fields),
                    select(col(ContactTag.contact_id)).where(like(col(ContactTag.tag), word)),
                    select(col(ContactTopic.contact_id)).where(like(col(ContactTopic.topic), word)),
                )
            )
        )

    def interactions_with(word: str) -> set[int]:
        return set(
            session.scalars(
                select(col(Interaction.id))
                .where(like(col(Interaction.note), word))
                .union(select(col(InteractionTopic.interaction_id)).where(like(col(InteractionTopic.topic), word)))
            )
        )

    def goals_with(word: str) -> set[int]:
        return set(
            session.scalars(
                select(col(Goal.id))
                .where(or_(like(col(Goal.title), word), like(col(Goal.why), word)))
                .union(select(col(GoalTopic.goal_id)).where(like(col(GoalTopic.topic), word)))
            )
        )

    scores: dict[tuple[str, int], float] = {}
    for kind, finder in (("contact", contacts_with), ("interaction", interactions_with), ("goal", goals_with)):
        found = set.intersection(*(finder(w) for w in words))
        for ident, (name, body) in _documents(session, kind, sorted(found)).items():
            score = 0.0
            for term in terms:
                pattern = term.pattern()
                if has_term(name, pattern):
                    score += 10.0
                elif has_term(body, pattern):
                    score += 1.0
                else:
                    break
            else:
                scores[(kind, ident)] = score
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [(kind, ident, score) for (kind, ident), score in ranked]


def _documents(session: Session, kind: str, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Each record's name and body as the search index holds them (see
    migration 0003's views), tags and topics in order: what snippets are cut from."""
    if not ids:
        return {}
    docs: dict[int, tuple[str, str]] = {}
    if kind == "contact":
        labels = _labels(session, ContactTag, "contact_id", "tag", ids)
        topics = _labels(session, ContactTopic, "contact_id", "topic", ids)
        for c in session.scalars(select(Contact).where(col(Contact.id).in_(ids))):
            fields = (c.org, c.role, c.location, c.email, c.met_at, c.note)
            docs[c.id] = (c.name, _joined(*fields, *labels.get(c.id, ()), *topics.get(c.id, ())))
    elif kind == "interaction":
        topics = _labels(session, InteractionTopic, "interaction_id", "topic", ids)
        for i in session.scalars(select(Interaction).where(col(Interaction.id).in_(ids))):
            docs[i.id] = ("", _joined(i.note, *topics.get(i.id, ())))
    else:
        topics = _labels(session, GoalTopic, "goal_id", "topic", ids)
        for g in session.scalars(select(Goal).where(col(Goal.id).in_(ids))):
            docs[g.id] = (g.title, _joined(g.why, *topics.get(g.id, ())))
    return docs


def _labels(session: Session, table: Any, owner: str, label: str, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    owner_column, label_column = col(getattr(table, owner)), col(getattr(table, label))
    for ident, value in session.exec(
        select(owner_column, label_column).where(owner_column.in_(ids)).order_by(label_column)
    ).all():
        found.setdefault(ident, []).append(value)
    return found


def _joined(*parts: str | None) -> str:
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())


def snippet(body: str, terms: Sequence[Term], *, words: int = SNIPPET_WORDS) -> str:
    """Up to `words` words of `body` around what matched, each match in
    [brackets] (a phrase as one), "…" where words were left out."""
    split = body.split()
    if not split:
        return ""
    keys = [name_key(w) for w in split]
    hit = [False] * len(split)
    for term in terms:
        pattern, width = _compiled(term.pattern()), len(term.key.split(" "))
        for start in range(len(split) - width + 1):
            if pattern.search(" ".join(keys[start : start + width])):
                hit[start : start + width] = [True] * width
    first = hit.index(True) if any(hit) else 0

    def fit(start: int) -> tuple[int, int, int]:
        """Most matches; then fewest words left out at the ends; then the first match a few words in."""
        cut = (start > 0) + (start + words < len(split))
        return sum(hit[start : start + words]), -cut, -abs(first - start - 2)

    best = max(range(max(1, len(split) - words + 1)), key=fit)
    shown, marked = [], hit[best : best + words]
    for n, word in enumerate(split[best : best + words]):
        opens = marked[n] and (n == 0 or not marked[n - 1])
        closes = marked[n] and (n == len(marked) - 1 or not marked[n + 1])
        shown.append(_bracketed(word, opens, closes, terms))
    return ("…" if best else "") + " ".join(shown) + ("…" if best + words < len(split) else "")


def _bracketed(word: str, opens: bool, closes: bool, terms: Sequence[Term]) -> str:
    """`word` with [ before and ] after what matched, punctuation around it left outside."""
    if not (opens or closes):
        return word
    kept = "".join(ch for t in terms for ch in t.key)
    strip = "".join(ch for ch in _AROUND if ch not in kept)
    core = word.strip(strip)
    at = word.find(core)
    before, after = word[:at], word[at + len(core) :]
    return before + ("[" if opens else "") + core + ("]" if closes else "") + after


def _describe(session: Session, hits: list[tuple[str, int, float]], terms: Sequence[Term]) -> list[dict[str, Any]]:
    ids = {kind: [h[1] for h in hits if h[0] == kind] for kind in KINDS}
    docs = {kind: _documents(session, kind, ids[kind]) for kind in KINDS}
    contacts = {c.id: c for c in session.scalars(select(Contact).where(col(Contact.id).in_(ids["contact"])))}
    interactions = {
        i.id: i for i in session.scalars(select(Interaction).where(col(Interaction.id).in_(ids["interaction"])))
    }
    people: dict[int, list[str]] = {}
    for iid, name in session.exec(
        select(col(Participant.interaction_id), col(Contact.name))
        .join(table_of(Contact), col(Contact.id) == col(Participant.contact_id))
        .where(col(Participant.interaction_id).in_(ids["interaction"]))
        .order_by(col(Contact.name_key))
    ).all():
        people.setdefault(iid, []).append(name)
    results = []
    for kind, ident, score in hits:
        if ident not in docs[kind]:
            continue
        name, body = docs[kind][ident]
        if kind == "contact":
            c = contacts[ident]
            title = c.name + (f" ({c.org})" if c.org else "")
        elif kind == "goal":
            title = name
        else:
            i = interactions[ident]
            title = f"{as_date(i.date).isoformat()} {i.kind} with {', '.join(people.get(ident, []))}"
        results.append(
            {"kind": kind, "id": ident, "title": title, "match": snippet(body, terms), "score": round(score, 3)}
        )
    return results
