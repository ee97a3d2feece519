"""Housekeeping: db path|backup|check, config show|path|set, demo."""

from pathlib import Path
from typing import Annotated

import typer

from netcli.cli import options as opt
from netcli.cli.app import app
from netcli.cli.state import config_path, state
from netcli.cli.values import resolve_today
from netcli.wording import count

db_app = typer.Typer(help="Where your data lives: path, backup, check.", no_args_is_help=True)
config_app = typer.Typer(help="Show and change settings (rule thresholds, tier cadences).", no_args_is_help=True)
app.add_typer(db_app, name="db", rich_help_panel="Housekeeping")
app.add_typer(config_app, name="config", rich_help_panel="Housekeeping")


@db_app.command("path")
def db_path() -> None:
    """Print where the database is (a URL's password is hidden).

    Examples:
      netcli db path
      NETCLI_DB=~/shared/network.db netcli db path
    """
    typer.echo(state().location.display)


@db_app.command("backup")
def db_backup(
    file: Annotated[Path | None, typer.Argument(help="Where to write the copy (default: beside the database).")] = None,
) -> None:
    """Write a consistent copy of the SQLite database, readable by you only.

    Examples:
      netcli db backup
      netcli db backup ~/backups/netcli-2026-11.db
    """
    from datetime import datetime

    from netcli import render
    from netcli.db import backup_sqlite
    from netcli.errors import NetcliError

    location = state().location
    if location.path is None:
        raise NetcliError(
            "db backup copies SQLite files; for a server use 'netcli export json' or the server's own tools"
        )
    state().engine()  # refuse to copy something that is not a netcli database
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = (file.expanduser() if file else location.path.with_name(f"netcli-backup-{stamp}.db")).absolute()
    if target.is_dir():
        target = target / f"netcli-backup-{stamp}.db"
    if target == location.path:
        raise NetcliError("the backup must go to another file than the database itself")
    from netcli.db import is_plain_sqlite

    backup_sqlite(location.path, target, key=None if is_plain_sqlite(location.path) else state().key())
    render.message(f"Backed up to {target}")
    typer.echo(str(target))


@db_app.command("check")
def db_check(json_out: opt.JsonOut = False) -> None:
    """Check the database: integrity, broken links, schema version.

    Examples:
      netcli db check
      netcli db check --json
    """
    from netcli import render, store
    from netcli.db import check_database, session_scope
    from netcli.errors import NetcliError

    report = check_database(state().engine(), state().location)
    with session_scope(state().engine()) as session:
        problems = list(store.stored_problems(session))
    report["values"] = problems
    if problems:
        report["ok"] = False
        more = "+" if len(problems) >= store.SHOWN_STORED_PROBLEMS else ""
        report["messages"].append(f"values: {len(problems)}{more} that a door would not let in:")
        report["messages"] += [f"  {problem}" for problem in problems]
    else:
        report["messages"].append("values: ok")
    if json_out:
        render.emit_json(report)
    else:
        for line in report["messages"]:
            typer.echo(line)
    if not report["ok"]:
        if all(line.endswith(": ok") for line in report["messages"] if line.split(":")[0] in ("integrity", "links")):
            raise NetcliError("stored values a door would refuse (see above); set each with 'netcli edit' and the like")
        raise NetcliError("the database has problems (see above); restore a backup made by 'netcli db backup'")


def _convert(encrypt: bool) -> None:
    from netcli import render
    from netcli.db import convert_encryption, is_plain_sqlite
    from netcli.errors import NetcliError

    location = state().location
    if location.path is None or not location.path.exists():
        raise NetcliError("encryption applies to an existing SQLite file; check 'netcli db path'")
    plain = is_plain_sqlite(location.path)
    if plain != encrypt:
        raise NetcliError(f"{location.path} is {'already' if not plain else 'not'} encrypted")
    if encrypt:
        state().engine()  # a netcli database, migrated, before it is converted
        state().close()
    key = state().key(confirm=encrypt)
    if not key:
        raise NetcliError("no key: set NETCLI_KEY, or run this on a terminal to be asked for one")
    convert_encryption(location, key=key, encrypt=encrypt)
    if encrypt:
        render.message(
            f"Encrypted {location.path}. Keep the key safe: without it the data cannot be read. "
            "Set NETCLI_KEY (or answer the prompt) to use it."
        )
    else:
        render.message(f"Decrypted {location.path}: it is a plain SQLite file again.")


@db_app.command("encrypt")
def db_encrypt() -> None:
    """Encrypt the database in place with SQLCipher (pip install 'netcli[encrypt]').

    The key comes from NETCLI_KEY, or a hidden prompt. Examples:
      NETCLI_KEY='correct horse battery staple' netcli db encrypt
      netcli db encrypt    (asks for the key twice)
    """
    _convert(True)


@db_app.command("decrypt")
def db_decrypt() -> None:
    """Turn an encrypted database back into a plain SQLite file, in place.

    Examples:
      NETCLI_KEY='correct horse battery staple' netcli db decrypt
      netcli db decrypt    (asks for the key)
    """
    _convert(False)


@db_app.command("copy")
def db_copy(
    to: Annotated[
        str | None, typer.Option("--to", metavar="URL", help="Copy this database into URL (must be empty).")
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", metavar="URL", help="Copy URL into this database (must be empty).")
    ] = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Move a whole network between databases (SQLite, PostgreSQL), verified.

    Everything is copied in one transaction and compared record by record
    before it commits. Examples:
      netcli db copy --to postgresql+psycopg://me@db.example/netcli
      netcli --db ~/laptop.db db copy --from postgresql+psycopg://me@db.example/netcli
    """
    from netcli import render, store
    from netcli.db import open_database, resolve, session_scope
    from netcli.errors import NetcliError, UsageError

    if (to is None) == (from_ is None):
        raise UsageError("db copy takes exactly one of --to URL or --from URL")
    here = state().location
    other = resolve(to or from_)
    if other.url == here.url:
        raise NetcliError("the source and the target are the same database")
    source, target = (here, other) if to else (other, here)
    source_engine = state().engine() if to else open_database(source, key_source=state().key)
    target_engine = open_database(target) if to else state().engine()
    try:  # a table at a time, a few thousand rows at a time: a million interactions never held at once
        with session_scope(source_engine) as original, session_scope(target_engine, write=True) as session:
            if not store.is_empty(session):
                raise NetcliError(f"{target.display} already holds data; copy into an empty database")
            counts = store.restore_tables(session, dict(store.iter_tables(original)))
            if not store.same_tables(store.iter_tables(original), store.iter_tables(session)):
                raise NetcliError("the copy did not match the original; nothing was written")
    finally:
        for engine in (source_engine, target_engine):
            if engine is not state()._engine:
                engine.dispose()
    render.emit(
        {"from": source.display, "to": target.display, "rows": counts},
        json_out=json_out,
        view=f"Copied {counts.get('contact', 0)} contacts and {counts.get('interaction', 0)} interactions "
        f"from {source.display} to {target.display}, checked record by record.",
    )


@config_app.command("path")
def config_show_path() -> None:
    """Print where the config file is (it may not exist yet).

    Examples:
      netcli config path
      NETCLI_CONFIG=./netcli.toml netcli config path
    """
    typer.echo(str(config_path()))


@config_app.command("show")
def config_show(json_out: opt.JsonOut = False) -> None:
    """Print the settings in force (file values over defaults).

    Examples:
      netcli config show
      netcli config show --json
    """
    import tomli_w

    from netcli import render

    settings = state().config().as_dict()
    render.emit(settings, json_out=json_out, view=lambda settings: typer.echo(tomli_w.dumps(settings).rstrip()))


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(help="section.key, e.g. tiers.A or rules.learned_rhythm.")],
    value: Annotated[str, typer.Argument(help="The new value.")],
) -> None:
    """Change one setting in the config file.

    Examples:
      netcli config set tiers.A 10
      netcli config set enabled.mentor-prep false
    """
    from netcli import render
    from netcli.config import ConfigError, set_value
    from netcli.errors import NetcliError

    try:
        set_value(config_path(), key, value)
    except ConfigError as exc:
        raise NetcliError(str(exc)) from None
    render.message(f"Set {key} = {value} in {config_path()}")


@app.command(rich_help_panel="Housekeeping")
def demo(
    force: Annotated[bool, typer.Option("--force", help="Add the sample even if the database has data.")] = False,
) -> None:
    """Fill an empty database with a sample learning network dated around today.

    Examples:
      netcli --db /tmp/try.db demo && netcli --db /tmp/try.db nudge
      netcli demo --force
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.demo import load_demo
    from netcli.errors import NetcliError

    today = resolve_today(None)
    with session_scope(state().engine(), write=True) as session:
        existing = store.contact_count(session)
        if existing and not force:
            raise NetcliError(
                f"the database already holds {count(existing, 'contact')}; the demo fills only an empty one "
                "(use --db with a new file, or --force to add the sample anyway)"
            )
        added = load_demo(session, today=today)
    render.message(
        f"Added a sample network of {count(added, 'person')} to {state().location.display}. Try: netcli nudge"
    )
