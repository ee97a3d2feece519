"""Alembic migrations, shipped inside the package and applied on open.

`HEAD` names the newest revision so that opening an up-to-date database costs
one query and never imports Alembic; a test checks it against the scripts.
Revisions are append-only: never edit one that has shipped.
"""

HEAD = "0016"
