"""Birthdays, and the full-text search index (SQLite FTS5) kept in step by triggers.

Revision ID: 0003
Revises: 0002

One index row per contact (name; org, role, place, email, where met, note,
tags, topics), per interaction with a note or topics, and per goal. Row ids
encode the record: contact id*4, interaction id*4+1, goal id*4+2. On other
databases (or a SQLite without FTS5) search falls back to plain matching.
`bulk_load` lets a bulk import switch the per-row triggers off inside its own
transaction (see `store.bulk.bulk_load`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Views build each record's index text; triggers and bulk loads both use them.
VIEWS = {
    "search_contact_doc": """
        SELECT c.id AS ref, c.id * 4 AS rowid, c.name AS name,
               coalesce(c.org, '') || ' ' || coalesce(c.role, '') || ' ' || coalesce(c.location, '') || ' ' ||
               coalesce(c.email, '') || ' ' || coalesce(c.met_at, '') || ' ' || coalesce(c.note, '') || ' ' ||
               coalesce((SELECT group_concat(tag, ' ') FROM contact_tag WHERE contact_id = c.id), '') || ' ' ||
               coalesce((SELECT group_concat(topic, ' ') FROM contact_topic WHERE contact_id = c.id), '') AS body
        FROM contact c""",
    "search_interaction_doc": """
        SELECT i.id AS ref, i.id * 4 + 1 AS rowid, '' AS name,
               coalesce(i.note, '') || ' ' ||
               coalesce((SELECT group_concat(topic, ' ') FROM interaction_topic WHERE interaction_id = i.id), '') AS body
        FROM interaction i
        WHERE i.note IS NOT NULL OR EXISTS (SELECT 1 FROM interaction_topic WHERE interaction_id = i.id)""",
    "search_goal_doc": """
        SELECT g.id AS ref, g.id * 4 + 2 AS rowid, g.title AS name,
               coalesce(g.why, '') || ' ' ||
               coalesce((SELECT group_concat(topic, ' ') FROM goal_topic WHERE goal_id = g.id), '') AS body
        FROM goal g""",
}
OFFSET = {"search_contact_doc": 0, "search_interaction_doc": 1, "search_goal_doc": 2}


def _refresh(view: str, key: str) -> str:
    return (
        f"DELETE FROM search_index WHERE rowid = {key} * 4 + {OFFSET[view]}; "
        f"INSERT INTO search_index (rowid, name, body) SELECT rowid, name, body FROM {view} WHERE ref = {key};"
    )


# While a bulk import runs, its transaction holds a row in `bulk_load`: the
# per-row triggers stand aside and the import indexes everything at the end.
QUIET = "NOT EXISTS (SELECT 1 FROM bulk_load)"
# A table, one trigger a row: kept by hand (fmt: skip).
# (trigger name, table, event, WHEN condition, body)
TRIGGERS = [
    ("contact_ai", "contact", "AFTER INSERT", QUIET, _refresh("search_contact_doc", "NEW.id")),
    ("contact_au", "contact", "AFTER UPDATE", "", _refresh("search_contact_doc", "NEW.id")),
    ("contact_ad", "contact", "AFTER DELETE", "", "DELETE FROM search_index WHERE rowid = OLD.id * 4;"),
    ("contact_tag_ai", "contact_tag", "AFTER INSERT", QUIET, _refresh("search_contact_doc", "NEW.contact_id")),
    ("contact_tag_ad", "contact_tag", "AFTER DELETE", "", _refresh("search_contact_doc", "OLD.contact_id")),
    ("contact_topic_ai", "contact_topic", "AFTER INSERT", QUIET, _refresh("search_contact_doc", "NEW.contact_id")),
    ("contact_topic_ad", "contact_topic", "AFTER DELETE", "", _refresh("search_contact_doc", "OLD.contact_id")),
    ("interaction_ai", "interaction", "AFTER INSERT", f"NEW.note IS NOT NULL AND {QUIET}",
     _refresh("search_interaction_doc", "NEW.id")),
    ("interaction_au", "interaction", "AFTER UPDATE OF note", "", _refresh("search_interaction_doc", "NEW.id")),
    ("interaction_ad", "interaction", "AFTER DELETE", "", "DELETE FROM search_index WHERE rowid = OLD.id * 4 + 1;"),
    ("interaction_topic_ai", "interaction_topic", "AFTER INSERT", QUIET,
     _refresh("search_interaction_doc", "NEW.interaction_id")),
    ("interaction_topic_ad", "interaction_topic", "AFTER DELETE", "",
     _refresh("search_interaction_doc", "OLD.interaction_id")),
    ("goal_ai", "goal", "AFTER INSERT", "", _refresh("search_goal_doc", "NEW.id")),
    ("goal_au", "goal", "AFTER UPDATE", "", _refresh("search_goal_doc", "NEW.id")),
    ("goal_ad", "goal", "AFTER DELETE", "", "DELETE FROM search_index WHERE rowid = OLD.id * 4 + 2;"),
    ("goal_topic_ai", "goal_topic", "AFTER INSERT", "", _refresh("search_goal_doc", "NEW.goal_id")),
    ("goal_topic_ad", "goal_topic", "AFTER DELETE", "", _refresh("search_goal_doc", "OLD.goal_id")),
]  # fmt: skip


def _has_fts5(bind: sa.engine.Connection) -> bool:
    try:
        bind.exec_driver_sql("CREATE VIRTUAL TABLE temp.netcli_fts5_probe USING fts5(x)")
        bind.exec_driver_sql("DROP TABLE temp.netcli_fts5_probe")
        return True
    except Exception:
        return False


def _postgres_search() -> None:
    """PostgreSQL searches the same views with its own full-text search;
    `unaccent`, where the server allows it, makes 'nunez' find 'Núñez'."""
    for view, body in VIEWS.items():
        op.execute(f"CREATE VIEW {view} AS {body.replace('group_concat(', 'string_agg(')}")
    bind = op.get_bind()
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
        savepoint.commit()
    except Exception:
        savepoint.rollback()


def upgrade() -> None:
    op.add_column("contact", sa.Column("birthday", sa.String(), nullable=True))
    op.create_table("bulk_load", sa.Column("active", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("active"))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _postgres_search()
        return
    if bind.dialect.name != "sqlite" or not _has_fts5(bind):
        return
    op.execute("CREATE VIRTUAL TABLE search_index USING fts5(name, body, tokenize = 'unicode61 remove_diacritics 2')")
    for view, body in VIEWS.items():
        op.execute(f"CREATE VIEW {view} AS {body}")
    for name, table, event, when, body in TRIGGERS:
        op.execute(f"CREATE TRIGGER search_{name} {event} ON {table} {'WHEN ' + when if when else ''} BEGIN {body} END")
    for view in VIEWS:  # index what is already there
        op.execute(f"INSERT INTO search_index (rowid, name, body) SELECT rowid, name, body FROM {view}")


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
