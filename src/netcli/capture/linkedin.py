"""`netcli capture linkedin`: LinkedIn's data export (folder or `.zip`) in
one transaction, through the doors every other source uses:

- `Connections.csv` fills contacts as `import linkedin` does (the one
  writer, `Policy.fill`: never overwriting, new connections added; how you
  met only for someone new), and a company or position that differs from the
  one held is a job change (`JobChange`, which a nudge reads: say well
  done), and like every conflict the held value stays;
- `Invitations.csv` dates the connection: a new contact met on the day the
  invitation was sent, when that is before "Connected On";
- `messages.csv` is captured as a chat (`capture.chats.ChatRun`, source
  `linkedin`), people matched by their profile URL, after the connections
  are in, so that a connection just added is matched too.

It takes the session, the config and the day as arguments and knows nothing
of a terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from sqlmodel import Session

from netcli.capture.chat import Connection, Export, Invitation, open_export
from netcli.capture.chat.inputs import shown
from netcli.capture.chats import ChatRun, Progress, Warn
from netcli.config import Config
from netcli.errors import Invalid
from netcli.formats.linkedin import connection
from netcli.identity import url_key
from netcli.names import command
from netcli.results import ChatSummary, JobChangeSeen, LinkedInSummary
from netcli.scan import named
from netcli.store.capture import Report
from netcli.store.facts import job_changes_after, newest_job_change
from netcli.store.imports import import_contacts


def capture_linkedin(
    session: Session,
    paths: Sequence[Path],
    *,
    config: Config,
    today: dt.date,
    since: dt.date | None,
    warn: Warn,
    report: Report | None = None,
    progress: Progress | None = None,
) -> LinkedInSummary:
    """Connections, invitations and messages of LinkedIn's data export; the
    summary document of contract section 12."""
    for given in paths:  # every path checked before anything is written
        path, _ = named(given, what="LinkedIn's data export")
        with open_export(path) as export:
            why = _not_linkedin(export)
            if why is not None:
                raise Invalid(f"{shown(str(given), 200)} {why}")
    connections, invited = _people(paths)
    newest = newest_job_change(session)
    contacts = import_contacts(
        session,
        records=[(c.where, _record(c, invited)) for c in connections],
        tags=[],
        today=today,
        skip_bad=True,
        region=config.region(),
    )
    for problem in contacts.problems:
        warn(f"skipped bad: {problem}")
    for duplicate in contacts.duplicates:
        warn(f"likely duplicate: {duplicate}")
    session.flush()
    run = ChatRun(
        session,
        config=config,
        today=today,
        since=since,
        groups=False,
        warn=warn,
        source="linkedin",
        report=report,
        progress=progress,
    )
    run.exports(paths, refuse=lambda export: None)
    chat = run.summary()
    skipped = dict(chat.skipped)
    skipped["bad"] += contacts.bad
    return LinkedInSummary(
        **{f.name: getattr(chat, f.name) for f in fields(ChatSummary) if f.name != "skipped"},
        skipped=skipped,
        connections=len(connections),
        added=contacts.added,
        filled=contacts.updated,
        conflicts=contacts.conflicts,
        duplicates=contacts.duplicates,
        job_changes=[JobChangeSeen(*change) for change in job_changes_after(session, after=newest)],
    )


def _not_linkedin(export: Export) -> str | None:
    if export.apps == ["linkedin"]:
        return None
    return (
        "is not LinkedIn's data export (Connections.csv, messages.csv, Invitations.csv, as a folder or .zip); "
        f"a chat export is captured with: {command('capture', 'chat', str(export.path))}"
    )


def _people(paths: Sequence[Path]) -> tuple[list[Connection], dict[str, dt.date]]:
    """The connections of every export, and the day each profile was first
    invited (either way)."""
    connections: list[Connection] = []
    invited: dict[str, dt.date] = {}
    for path in paths:
        with open_export(path) as export:
            for record in export.records():  # damage is named and counted by the chat run
                if isinstance(record, Connection):
                    connections.append(record)
                elif isinstance(record, Invitation) and record.person.handle:
                    key = url_key(record.person.handle.partition(":")[2])
                    day = record.when.date()
                    invited[key] = min(invited.get(key, day), day)
    return connections, invited


def _record(c: Connection, invited: dict[str, dt.date]) -> dict[str, Any]:
    met_on = c.connected_on
    sent = invited.get(url_key(c.url)) if c.url else None
    if sent is not None and (met_on is None or sent < met_on):
        met_on = sent
    return connection(name=c.name, email=c.email, url=c.url, org=c.company, role=c.position, met_on=met_on)
