"""Birthdays, and the full-text search index (SQLite FTS5) kept in step by triggers.

Revision ID: 0003
Revises: 0002

One index row per contact (name; org, role, place, email, where met, note,
tags, topics), per interaction with a note or topics, and per goal. Row ids
encode the record: contact id*4, interaction id*4+1, goal id*4+2. On other
databases (or a SQLite without FTS5) search falls back to plain matching.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CONTACT_DOC = """
DELETE FROM search_index WHERE rowid = {id} * 4;
INSERT INTO search_index (rowid, name, body)
SELECT c.id * 4, c.name,
       coalesce(c.org, '') || ' ' || coalesce(c.role, '') || ' ' || coalesce(c.location, '') || ' ' ||
       coalesce(c.email, '') || ' ' || coalesce(c.met_at, '') || ' ' || coalesce(c.note, '') || ' ' ||
       coalesce((SELECT group_concat(tag, ' ') FROM contact_tag WHERE contact_id = c.id), '') || ' ' ||
       coalesce((SELECT group_concat(topic, ' ') FROM contact_topic WHERE contact_id = c.id), '')
FROM contact c WHERE c.id = {id};
"""
INTERACTION_DOC = """
DELETE FROM search_index WHERE rowid = {id} * 4 + 1;
INSERT INTO search_index (rowid, name, body)
SELECT i.id * 4 + 1, '',
       coalesce(i.note, '') || ' ' ||
       coalesce((SELECT group_concat(topic, ' ') FROM interaction_topic WHERE interaction_id = i.id), '')
FROM interaction i WHERE i.id = {id}
  AND (i.note IS NOT NULL OR EXISTS (SELECT 1 FROM interaction_topic WHERE interaction_id = i.id));
"""
GOAL_DOC = """
DELETE FROM search_index WHERE rowid = {id} * 4 + 2;
INSERT INTO search_index (rowid, name, body)
SELECT g.id * 4 + 2, g.title,
       coalesce(g.why, '') || ' ' ||
       coalesce((SELECT group_concat(topic, ' ') FROM goal_topic WHERE goal_id = g.id), '')
FROM goal g WHERE g.id = {id};
"""
# (trigger name, table, event, optional WHEN, document, id expression)
TRIGGERS = [
    ("contact_ai", "contact", "AFTER INSERT", "", CONTACT_DOC, "NEW.id"),
    ("contact_au", "contact", "AFTER UPDATE", "", CONTACT_DOC, "NEW.id"),
    ("contact_ad", "contact", "AFTER DELETE", "", "DELETE FROM search_index WHERE rowid = {id} * 4;", "OLD.id"),
    ("contact_tag_ai", "contact_tag", "AFTER INSERT", "", CONTACT_DOC, "NEW.contact_id"),
    ("contact_tag_ad", "contact_tag", "AFTER DELETE", "", CONTACT_DOC, "OLD.contact_id"),
    ("contact_topic_ai", "contact_topic", "AFTER INSERT", "", CONTACT_DOC, "NEW.contact_id"),
    ("contact_topic_ad", "contact_topic", "AFTER DELETE", "", CONTACT_DOC, "OLD.contact_id"),
    ("interaction_ai", "interaction", "AFTER INSERT", "WHEN NEW.note IS NOT NULL", INTERACTION_DOC, "NEW.id"),
    ("interaction_au", "interaction", "AFTER UPDATE OF note", "", INTERACTION_DOC, "NEW.id"),
    ("interaction_ad", "interaction", "AFTER DELETE", "", "DELETE FROM search_index WHERE rowid = {id} * 4 + 1;", "OLD.id"),
    ("interaction_topic_ai", "interaction_topic", "AFTER INSERT", "", INTERACTION_DOC, "NEW.interaction_id"),
    ("interaction_topic_ad", "interaction_topic", "AFTER DELETE", "", INTERACTION_DOC, "OLD.interaction_id"),
    ("goal_ai", "goal", "AFTER INSERT", "", GOAL_DOC, "NEW.id"),
    ("goal_au", "goal", "AFTER UPDATE", "", GOAL_DOC, "NEW.id"),
    ("goal_ad", "goal", "AFTER DELETE", "", "DELETE FROM search_index WHERE rowid = {id} * 4 + 2;", "OLD.id"),
    ("goal_topic_ai", "goal_topic", "AFTER INSERT", "", GOAL_DOC, "NEW.goal_id"),
    ("goal_topic_ad", "goal_topic", "AFTER DELETE", "", GOAL_DOC, "OLD.goal_id"),
]


def _has_fts5(bind) -> bool:  # type: ignore[no-untyped-def]
    try:
        bind.exec_driver_sql("CREATE VIRTUAL TABLE temp.netcli_fts5_probe USING fts5(x)")
        bind.exec_driver_sql("DROP TABLE temp.netcli_fts5_probe")
        return True
    except Exception:
        return False


def upgrade() -> None:
    op.add_column("contact", sa.Column("birthday", sa.String(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name != "sqlite" or not _has_fts5(bind):
        return
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5(name, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    for name, table, event, when, doc, key in TRIGGERS:
        op.execute(f"CREATE TRIGGER search_{name} {event} ON {table} {when} BEGIN {doc.format(id=key)} END")
    # index what is already there
    for doc, table in ((CONTACT_DOC, "contact"), (INTERACTION_DOC, "interaction"), (GOAL_DOC, "goal")):
        insert = doc.split(";", 1)[1].replace("WHERE c.id = {id}", "WHERE 1").replace(
            "WHERE i.id = {id}", "WHERE 1").replace("WHERE g.id = {id}", "WHERE 1")  # fmt: skip
        op.execute(insert)


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
