"""`netcli sync vdir`: contacts kept in step with a folder of vCards."""

from pathlib import Path
from typing import Annotated, Any

import typer

from netcli.cli import options as opt
from netcli.cli.app import app
from netcli.cli.state import state
from netcli.cli.values import resolve_today
from netcli.vocab import Side
from netcli.wording import count

sync_app = typer.Typer(
    help="Keep your contacts and nudges in step with your phone (vdirs that vdirsyncer syncs with CardDAV and CalDAV).",
    no_args_is_help=True,
)
app.add_typer(sync_app, name="sync", rich_help_panel="Data")


@sync_app.command("vdir")
def vdir(
    path: Annotated[
        str | None,
        typer.Argument(
            metavar="[PATH]",
            help="The folder of .vcf cards (one address book); default: the config's sync.vdir.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List each change; write nothing.")] = False,
    prefer: Annotated[
        Side | None,
        typer.Option("--prefer", help="Which side wins a field changed on both (default: neither, listed)."),
    ] = None,
    delete: Annotated[
        bool, typer.Option("--delete", help="Delete the cards of contacts you deleted in netcli.")
    ] = False,
    json_out: opt.JsonOut = False,
    as_of: opt.AsOf = None,
) -> None:
    """Sync contacts both ways with a folder of vCards (khard, vdirsyncer).

    The first sync pairs cards with contacts by UID, email or the same name,
    adds a contact for each other card and a card (<UID>.vcf, vCard 3.0)
    for each other contact. Later syncs carry each side's changes to the
    other: name, emails, phone, org, role (TITLE), url, note, birthday and
    tags (CATEGORIES). A field changed on both sides is listed and left
    alone unless --prefer says who wins. A card deleted from the folder
    archives its contact; a contact deleted here deletes its card only with
    --delete. Every other line of a card (photo, addresses, X- fields) is
    kept as it was. Examples:
      netcli sync vdir ~/.contacts/default --dry-run
      netcli config set sync.vdir ~/.contacts/default && netcli sync vdir
    """
    from netcli import render
    from netcli.db import session_scope
    from netcli.errors import UsageError
    from netcli.results import document
    from netcli.sync.vdir import COUNTS, sync_vdir

    folder = Path(path) if path else configured_folder("vdir")
    if folder is None:
        raise UsageError("give the folder of .vcf cards, or set one: netcli config set sync.vdir ~/.contacts/default")
    changes: list[tuple[str, str]] = []
    with session_scope(state().engine(create=True), write=True) as session:
        summary = document(
            sync_vdir(
                session,
                folder,
                today=resolve_today(as_of),
                prefer=prefer.value if prefer else None,
                delete=delete,
                dry_run=dry_run,
                report=lambda what, who: changes.append((what, who)),
            )
        )
        if dry_run:
            session.rollback()
    messages = []
    for what, who in changes:
        if what in ("conflict", "unparsable", "left on the card"):
            messages.append(f"{what}: {who}")
        elif dry_run and json_out:  # the document lists them too: stdout holds it alone
            messages.append(f"would be {what}: {who}")
        elif dry_run:
            render.line(f"would be {what}: {who}", one_line=True)
    messages.append(_summary_line(summary))
    if summary["waiting_delete"] and not delete:
        messages.append(
            f"{count(summary['waiting_delete'], 'card')} of contacts deleted here kept; --delete deletes them"
        )
    for line in messages:
        render.message(line)
    if json_out:
        render.emit_json(summary)
    if not dry_run and not any(summary[key] for key in (*COUNTS, "conflicts")):
        _remember(Path(summary["folder"]), summary, messages)


def _remember(folder: Path, summary: dict[str, Any], messages: list[str]) -> None:
    """A sync that found nothing to do is kept, so that the next one can say so at once (`sync.kept`)."""
    from netcli import paths
    from netcli.sync import kept

    location = state().location
    if location.path is None:
        return
    state().engine().dispose()  # the log checkpointed and closed: the files are as the next sync will find them
    kept.remember(location.path, paths.config_file(), folder, document=summary, messages=messages)


def configured_folder(key: str) -> Path | None:
    """The folder `[sync] KEY` names (`vdir`, `tasks`), or None when it is not set."""
    configured = state().config().sync[key]
    return Path(configured) if configured else None


def _summary_line(summary: dict[str, Any]) -> str:
    prefix = "dry run, nothing written: would have " if summary["dry_run"] else ""
    line = (
        f"{prefix}added {summary['added_here']:,} here and {summary['added_there']:,} there, "
        f"updated {summary['updated_here']:,} here and {summary['updated_there']:,} there, "
        f"archived {summary['archived']:,}, deleted {summary['deleted_there']:,} there"
    )
    tail = f"; {count(summary['conflicts'], 'conflict')}" if summary["conflicts"] else ""
    if summary["unparsable"]:
        tail += f"; {count(summary['unparsable'], 'card')} netcli cannot read, left alone"
    return f"{line} ({count(summary['cards'], 'card')}, {count(summary['contacts'], 'contact')} in step){tail}"
