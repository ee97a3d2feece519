"""Alembic environment: runs on the connection `netcli.db` hands over."""

from alembic import context
from sqlmodel import SQLModel

from netcli import models  # noqa: F401  (registers the tables on the metadata)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    # the full-text index and its shadow tables are kept by triggers, not models
    return not (type_ == "table" and (name or "").startswith("search_index"))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move instead
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
