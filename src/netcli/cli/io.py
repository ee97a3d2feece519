"""Getting data in and out: import, export, search."""

import sys
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from netcli.cli import options as opt
from netcli.cli.app import app
from netcli.cli.state import state
from netcli.cli.values import cleaned_by, resolve_today

if TYPE_CHECKING:  # for annotations only: a command module imports no SQLAlchemy at startup
    from datetime import date

    from rich.progress import Progress
    from sqlmodel import Session


class ImportKind(str, Enum):
    vcard = "vcard"
    linkedin = "linkedin"
    csv = "csv"
    interactions = "interactions"
    json = "json"


KINDS = [kind.value for kind in ImportKind]


class Prefer(str, Enum):
    file = "file"


class ExportKind(str, Enum):
    json = "json"
    vcard = "vcard"
    csv = "csv"
    interactions = "interactions"
    ics = "ics"


def _records(kind: ImportKind, files: list[Path], problems: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, record) for every good record of every file, streamed; bad
    ones are added to `problems` as they are met."""
    from netcli.errors import NotItsKind
    from netcli.formats import linkedin, tables, vcard

    readers = {
        ImportKind.vcard: vcard.read_cards,
        ImportKind.linkedin: linkedin.read,
        ImportKind.csv: tables.read_contacts,
        ImportKind.interactions: tables.read_interactions,
    }
    for path in files:
        for item in readers[kind](path):
            if item.whole:  # not the kind of file asked for: refused, whatever --skip-bad says
                raise NotItsKind(f"{item.source}: {item.error}{_other_kind(kind, path)}")
            if item.error:
                problems.append(f"{item.where}: {item.error}")
            elif item.record is not None:  # a Parsed holds one of the two
                yield item.where, item.record


def _other_kind(kind: ImportKind, path: Path) -> str:
    """A hint at the command that reads a file of another kind, when its first lines tell."""
    from netcli.formats import looks_like

    other = looks_like(path)
    return f"; it looks like {other[1]}: netcli {other[0]}" if other and other[0] != f"import {kind.value}" else ""


def _line_count(files: list[Path]) -> int:
    """The lines of the files, for the progress bar: what is not a regular
    file counts nothing (the import says what is wrong with it), and no file
    is counted past the size an import accepts."""
    from netcli.errors import Invalid
    from netcli.reading import IMPORT_FILE, open_file

    total = 0
    for path in files:
        try:
            with open_file(path) as handle:
                while handle.tell() <= IMPORT_FILE and (chunk := handle.read(1 << 20)):
                    total += chunk.count(b"\n")
        except (Invalid, OSError):
            pass
    return total


@app.command("import", rich_help_panel="Data")
def import_(
    kind: Annotated[
        ImportKind,
        typer.Argument(help=f"{', '.join(KINDS[:-1])} or {KINDS[-1]}.", case_sensitive=False),
    ],
    files: Annotated[list[Path], typer.Argument(help="The file(s) to read.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would happen; write nothing.")] = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Import the good records and list the bad ones.")
    ] = False,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", help="Tag every imported contact (repeatable).", callback=cleaned_by("tag")),
    ] = None,
    prefer: Annotated[
        Prefer | None,
        typer.Option("--prefer", help="'file': the file's values replace differing ones (default: kept, listed)."),
    ] = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Bring people and history in: vCards, LinkedIn, spreadsheets, a backup.

    A record matching a contact by email, phone or URL, else by exact name
    (when that contact's email and URL do not differ), fills what the
    contact lacks (another email, phone, tag, an empty field) and never
    replaces what you typed: a differing value is a conflict, listed and
    kept, unless --prefer file. One added beside others of its name is
    listed as a likely duplicate. One bad record stops the whole import
    unless --skip-bad; --dry-run shows the same summary and writes nothing.
    Examples:
      netcli import vcard contacts.vcf --tag phone --dry-run
      netcli import linkedin Connections.csv
      netcli import interactions history.csv --skip-bad
      netcli import json backup.json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.errors import ImportProblem, NetcliError, NotItsKind
    from netcli.results import ImportSummary, document

    today = resolve_today(None)
    region = state().config().region()
    if kind is ImportKind.json:
        from netcli.formats import jsonbackup

        if len(files) != 1:
            raise NetcliError("import json restores one backup file at a time")
        from netcli import migrations

        try:
            tables = jsonbackup.read(files[0], newest_schema=migrations.HEAD)
        except NetcliError as exc:  # another kind of file: say which import reads it
            hint = _other_kind(kind, files[0])
            if not hint:
                raise
            raise NotItsKind(f"{exc.message}{hint}") from None
        with session_scope(state().engine(create=True), write=True) as session:
            if store.is_empty(session):  # a restore: every table, ids kept
                counts = store.restore_tables(session, tables, today=today)
                summary = ImportSummary(read=counts.get("contact", 0), added=counts.get("contact", 0), restored=counts)
            else:  # into what is here: people filled as every import fills them
                summary = store.merge_backup(
                    session, tables=tables, today=today, skip_bad=skip_bad, prefer=prefer is Prefer.file, region=region
                )
            if dry_run:
                session.rollback()
    else:
        problems: list[str] = []
        records = _records(kind, files, problems)
        total = _line_count(files) if _progress.wanted() else 0
        with session_scope(state().engine(create=True), write=True) as session, _progress(total) as advance:
            if kind is ImportKind.interactions:
                summary = store.import_interactions(
                    session,
                    rows=records,
                    today=today,
                    skip_bad=True,
                    prefer=prefer is Prefer.file,
                    region=region,
                    progress=advance,
                )
            else:
                summary = store.import_contacts(
                    session,
                    records=records,
                    tags=tag or [],
                    today=today,
                    skip_bad=True,
                    prefer=prefer is Prefer.file,
                    region=region,
                    progress=advance,
                )
            summary.read += len(problems)
            summary.bad += len(problems)
            summary.problems = problems + summary.problems
            if summary.problems and not skip_bad:
                raise ImportProblem(summary.problems)  # rolls the whole import back
            if dry_run:
                session.rollback()
    summary.dry_run = dry_run
    for problem in summary.problems:
        render.message(f"skipped bad record: {problem}")
    for duplicate in summary.duplicates:
        render.message(f"likely duplicate: {duplicate}")
    for conflict in summary.conflicts:
        render.conflict(conflict, there="the file", remedy="--prefer file takes the file's")
    if json_out:
        render.emit_json(document(summary))
    else:
        prefix = "dry run, nothing written: would have " if dry_run else ""
        render.line(
            f"{prefix}added {summary.added}, updated {summary.updated}, unchanged {summary.unchanged}, "
            f"conflicts {len(summary.conflicts)}, bad {summary.bad}"
        )


class _progress:
    """A Rich progress bar on a terminal for long imports; nothing otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: Progress | None = None

    @staticmethod
    def wanted() -> bool:
        import sys

        return sys.stderr.isatty()

    def __enter__(self) -> "Callable[[int], None] | None":
        if self.total < 500 or not self.wanted():
            return None
        from rich.progress import Progress

        from netcli.render import err

        bar = self.bar = Progress(console=err(), transient=True)
        bar.start()
        task = bar.add_task("importing", total=self.total)
        return lambda n: bar.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command(rich_help_panel="Data")
def export(
    kind: Annotated[
        ExportKind,
        typer.Argument(help="json (complete backup), vcard, csv, interactions or ics.", case_sensitive=False),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (readable by you only).")
    ] = None,
) -> None:
    """Take everything out: a lossless JSON backup, vCards, spreadsheets, a calendar.

    `csv` holds the contacts and `interactions` their history, as `import csv`
    and `import interactions` read them back. Examples:
      netcli export json --output backup.json
      netcli export csv --output contacts.csv
      netcli export interactions --output history.csv
      netcli export ics --output netcli.ics
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.privatefile import write_private

    today = resolve_today(None)
    with session_scope(state().engine()) as session:  # written as it is read
        pieces: Iterable[str]
        if kind is ExportKind.json:
            from netcli import migrations
            from netcli.formats import jsonbackup

            pieces = jsonbackup.chunks(store.iter_tables(session), schema=migrations.HEAD)
        elif kind is ExportKind.ics:
            pieces = [_calendar(session, today)]
        elif kind is ExportKind.interactions:
            from netcli.formats import tables

            pieces = tables.write_rows(tables.INTERACTION_COLUMNS, store.iter_history(session))
        else:
            from netcli.cli.common import finish_contacts

            labels = store.shared_name_labels(session)  # introducers who share a name: `Name <email>`
            found = store.iter_contacts(session, as_of=today, archived=None)
            contacts = finish_contacts(
                (
                    c | {"introduced_by": labels[c["introduced_by_id"]][1]} if c["introduced_by_id"] in labels else c
                    for c in found
                ),
                today=today,
                session=session,
            )
            if kind is ExportKind.vcard:
                from netcli.formats import vcard

                pieces = vcard.write_cards(contacts)
            else:
                from netcli.formats import tables

                columns = (*tables.CONTACT_COLUMNS, "interactions", "last_contact", "next_due")
                pieces = tables.write_rows(columns, (c | {"cadence_days": c["own_cadence_days"]} for c in contacts))
        if output is None:
            sys.stdout.writelines(pieces)
            sys.stdout.flush()
        else:
            write_private(output, pieces)
    if output is not None:
        render.message(f"Wrote {output}")


def _calendar(session: "Session", today: "date") -> str:
    from netcli import rules, store
    from netcli.cli.common import pipeline
    from netcli.formats import ics

    nudges = pipeline(session, today=today)
    facts = nudges.gather()
    config = state().config()
    due = [
        (m.name, m.contact_id, day)
        for m in facts.mentors
        if not m.archived and (day := rules.mentor_due(m, config)) is not None
    ]
    sessions = store.interaction_dicts(session, kind="mentor-session")
    birthdays = [
        (b.contact_id, b.name, day)
        for b in facts.birthdays
        if (day := rules.birthday_in(b.birthday, rules.birth_year(b.birthday) or 2000)) is not None
    ]
    return ics.build(
        nudges=[n.as_dict() for n in rules.order(nudges.open(nudges.fire(facts)))],
        sessions=ics.session_items(sessions, due),
        events=ics.event_items(store.event_dicts(session)),
        birthdays=ics.birthday_items(birthdays),
    ).decode("utf-8")


@app.command(rich_help_panel="Data")
def search(
    text: Annotated[str, typer.Argument(help="Words to find (every word must match; prefixes count).")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N results.")] = 30,
    json_out: opt.JsonOut = False,
) -> None:
    """Find people, notes and goals: names, orgs, notes, tags, topics, goal titles.

    Examples:
      netcli search rust
      netcli search "airflow templates" --json
    """
    from netcli import render
    from netcli.db import session_scope
    from netcli.store.search import search as find

    with session_scope(state().engine()) as session:
        results = find(session, query=text, limit=limit)
    render.emit(results, json_out=json_out, view=_search_table, empty=f"Nothing matches '{text}'.")


def _search_table(results: list[dict]) -> None:
    from netcli import render
    from netcli.render.tables import cell, make_table

    table = make_table("Kind", "Id", "Found", "Where")
    for r in results:
        table.add_row(cell(r["kind"], "dim"), cell(r["id"]), cell(r["title"], "bold"), cell(r["match"]))
    render.out().print(table)
