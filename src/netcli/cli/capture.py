"""Capture: log meetings (and, later, mail) from the user's own files."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from netcli.cli import options as opt
from netcli.cli.app import app
from netcli.cli.state import state
from netcli.cli.values import parse_past, resolve_today
from netcli.wording import count, job_words

if TYPE_CHECKING:  # for annotations only: a command module imports no SQLAlchemy at startup
    from rich.progress import Progress

    from netcli.results import CaptureSummary, ChatSummary
    from netcli.store.capture import Kept

capture_app = typer.Typer(
    help=(
        "Log what your own files already hold: meetings from calendar files, messages from mail archives "
        "and chat exports. Local files only; nothing is sent."
    ),
    no_args_is_help=True,
)
app.add_typer(capture_app, name="capture", rich_help_panel="Data")

Since = Annotated[
    str | None,
    typer.Option("--since", metavar="WHEN", help="Read only what happened on or after WHEN (2026-01-01, 90 days ago)."),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="List what would be logged; write nothing.")]

SKIPPED_WORDS = {
    "no_contact": "without a contact",
    "list": "mailing list",
    "automated": "automated",
    "draft_spam_trash": "draft, spam or trash",
    "bad": "bad",
    "broadcast": "broadcast",
    "declined_cancelled": "declined, cancelled or unanswered",
    "group": "in large groups without you",
}


@capture_app.command("calendar")
def calendar(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH...", help="An .ics file, or a folder of them (a vdir: vdirsyncer, khal)."),
    ],
    since: Since = None,
    dry_run: DryRun = False,
    json_out: opt.JsonOut = False,
    as_of: opt.AsOf = None,
) -> None:
    """Log each past meeting with your contacts from calendar files.

    Each occurrence up to today of an event you organise or accepted, with a
    contact attending, is one `meeting` on its day in your time zone (TZ, or
    the config's me.timezone). Recurring events are expanded; invitations you
    declined or left unanswered, cancelled events and broadcasts (more than
    `capture.max_attendees` attendees) are skipped. A
    future session with an active mentor becomes their next session.
    Capturing again logs nothing twice, updates moved meetings, removes
    cancelled ones, and never brings back one you unlogged. Needs your
    own addresses: netcli config set me.emails ADDR. Examples:
      netcli capture calendar ~/Downloads/calendar.ics
      netcli capture calendar ~/.calendars/work --since "90d ago" --dry-run
    """
    from netcli.capture.run import capture_calendar

    summary = _capture(
        capture_calendar, paths, since=since, dry_run=dry_run, json_out=json_out, as_of=as_of, read="occurrence"
    )
    _report(summary, what="meeting", read="occurrence", json_out=json_out)


@capture_app.command("mail")
def mail(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH...", help="An mbox file, a Maildir folder, a folder of .eml files, or one .eml."),
    ],
    since: Since = None,
    dry_run: DryRun = False,
    lists: Annotated[bool, typer.Option("--lists", help="Count mailing-list and bulk mail too.")] = False,
    json_out: opt.JsonOut = False,
    as_of: opt.AsOf = None,
) -> None:
    """Log the mail you exchange with your contacts, from your own archives.

    Headers only are read, never bodies. Each thread and day with contacts
    is one `message`, its direction sent, received or both, its note the
    subject. Mailing lists (unless --lists), automated and no-reply senders,
    drafts, spam and trash are skipped and counted. Capturing again logs
    nothing twice; an mbox that grew is read from where it stopped; a
    Maildir's files read before are not read again. The people you write
    with most who are not contacts yet are suggested, with the command to
    add them. Needs your own addresses: netcli config set me.emails ADDR.
    Examples:
      netcli capture mail ~/Mail/INBOX ~/Mail/Sent
      netcli capture mail ~/Downloads/Takeout/Mail/All\\ mail.mbox --since "90d ago" --dry-run
    """
    from netcli.capture.run import capture_mail

    summary = _capture(
        capture_mail, paths, since=since, dry_run=dry_run, json_out=json_out, as_of=as_of, read="message", lists=lists
    )
    _report(summary, what="thread-day", read="message", json_out=json_out)


@capture_app.command("chat")
def chat(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="A chat export: WhatsApp (.txt or .zip), Telegram Desktop (result.json), Slack (folder or .zip), "
            "DiscordChatExporter (.json), Google Chat (Takeout's Groups folder).",
        ),
    ],
    since: Since = None,
    dry_run: DryRun = False,
    groups: Annotated[
        bool, typer.Option("--groups", help="In large groups, also log everyone who wrote on a day you wrote.")
    ] = False,
    json_out: opt.JsonOut = False,
    as_of: opt.AsOf = None,
) -> None:
    """Log the chats you have with your contacts, from the apps' own exports.

    The format is read from the content. A direct chat, or a group of at
    most `capture.max_group` (8) people, is one `message` per chat and day
    with the contacts who wrote, sent, received or both; its note names the
    app and the chat, never what was written (texts are never kept). In a
    larger group only your exchanges with a contact count (replies, mentions,
    a thread you both wrote in); your own posts there are counted for its
    community (netcli community edit NAME --chat KIND:ID). People match by
    handle, phone, email, or WhatsApp's saved names; the others you write
    with most are suggested. Capturing again logs nothing twice. Needs to
    know who you are: netcli config set me.names "Your Name" (or me.handles).
    Examples:
      netcli capture chat "WhatsApp Chat with Dana Wu.txt"
      netcli capture chat ~/Downloads/Telegram\\ Desktop/DataExport/result.json --since "90d ago"
      netcli capture chat slack-export.zip --dry-run
    """
    from netcli.capture.chats import capture_chat

    summary = _capture(
        capture_chat, paths, since=since, dry_run=dry_run, json_out=json_out, as_of=as_of, read="message", groups=groups
    )
    _report(summary, what="chat-day", read="message", json_out=json_out)


@capture_app.command("linkedin")
def linkedin(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...", help='LinkedIn\'s data export ("Get a copy of your data"): the folder or .zip.'
        ),
    ],
    since: Since = None,
    dry_run: DryRun = False,
    json_out: opt.JsonOut = False,
    as_of: opt.AsOf = None,
) -> None:
    """Fill your contacts from LinkedIn's data export, and log its messages.

    Connections.csv fills contacts as `import linkedin` does (never
    overwriting; new connections are added); a company or position that
    differs from the one held is a job change: a nudge reminds you to say
    well done, and the one held stays, listed as a conflict (netcli edit
    takes the new one). Invitations.csv dates a new
    connection. messages.csv is captured as a chat (one `message` per
    conversation and day, matched by profile URL; texts are never kept).
    Needs to know who you are: netcli config set me.names "Your Name".
    Examples:
      netcli capture linkedin ~/Downloads/Basic_LinkedInDataExport_12-06-2026.zip
      netcli capture linkedin ~/Downloads/linkedin --since "90d ago" --dry-run
    """
    from netcli.capture.linkedin import capture_linkedin

    summary = _capture(
        capture_linkedin, paths, since=since, dry_run=dry_run, json_out=json_out, as_of=as_of, read="message"
    )
    _report(summary, what="chat-day", read="message", json_out=json_out)


def _capture(
    run: Any,
    paths: list[Path],
    *,
    since: str | None,
    dry_run: bool,
    json_out: bool,
    as_of: str | None,
    read: str,
    **options: Any,
) -> "CaptureSummary | ChatSummary":
    """One capture in one transaction (rolled back on a dry run, after
    listing its changes: on stdout, or with --json on stderr), with a
    progress bar on a terminal."""
    from dataclasses import replace

    from netcli import render
    from netcli.db import session_scope

    today = resolve_today(as_of)
    start = parse_past(since, today=today, option="--since") if since else None
    changes: list[tuple[str, Kept]] = []
    with session_scope(state().engine(create=True), write=True) as session, _progress(read) as progress:
        summary: CaptureSummary | ChatSummary = run(
            session,
            paths,
            config=state().config(),
            today=today,
            since=start,
            warn=render.message,
            report=(lambda action, kept: changes.append((action, kept))) if dry_run else None,
            progress=progress,
            **options,
        )
        if dry_run:
            lines = _change_lines(session, changes)
            session.rollback()
            for line in lines:
                if json_out:  # stdout holds the JSON document alone
                    render.message(line)
                else:
                    render.line(line, one_line=True)
    return replace(summary, dry_run=dry_run)


def _report(summary: "CaptureSummary | ChatSummary", *, what: str, read: str, json_out: bool) -> None:
    from netcli import render
    from netcli.results import LinkedInSummary

    render.message(_summary_line(summary, what=what, read=read))
    for person in summary.suggestions:
        who = getattr(person, "handle", None) or person.email
        last = person.last.isoformat() if person.last else "?"
        render.message(
            f"not a contact yet: {person.name}{f' <{who}>' if who else ''}, {count(person.messages, 'message')} "
            f"({person.sent} sent), last {last}: {person.command}"
        )
    if isinstance(summary, LinkedInSummary):
        render.message(
            f"connections: {summary.connections:,} read, {summary.added:,} added as contacts, "
            f"{summary.filled:,} filled in, {count(len(summary.conflicts), 'conflict')} left as held"
        )
        for conflict in summary.conflicts:
            render.conflict(conflict, there="LinkedIn", remedy="netcli edit changes it")
        for change in summary.job_changes:
            now, before = job_words(change.org, change.role), job_words(change.org_before, change.role_before)
            render.message(f"new job: {change.name}: {now} (was {before})")
    for group in getattr(summary, "groups", []):
        if group.command:
            render.message(
                f"a group that is no community yet: {group.name} ({count(group.posts, 'post')} of yours); "
                f"link it: {group.command}"
            )
    if json_out:
        from netcli.results import document

        render.emit_json(document(summary))


def _change_lines(session: Any, changes: list[tuple[str, "Kept"]]) -> list[str]:
    """A dry run's changes, one line each, with the people's names."""
    from netcli import store

    ids = {cid for _, kept in changes for cid in kept.contacts}
    names = {c.id: c.name for c in store.contacts_by_ids(session, ids=ids)}
    verbs = {"logged": "would log", "updated": "would update", "removed": "would remove"}
    lines = []
    for action, kept in sorted(changes, key=lambda change: (change[1].date, change[1].key)):
        people = ", ".join(names.get(cid, f"#{cid}") for cid in kept.contacts)
        note = f": {kept.note}" if kept.note else ""
        lines.append(f"{verbs[action]} {kept.date.isoformat()} {kept.kind} with {people}{note}")
    return lines


def _summary_line(summary: "CaptureSummary | ChatSummary", *, what: str, read: str) -> str:
    prefix = "dry run, nothing written: would have " if summary.dry_run else ""
    done = (
        f"{prefix}logged {count(summary.logged, what)}, updated {summary.updated:,}, "
        f"removed {summary.removed:,}, already logged {summary.already:,}"
    )
    files = count(summary.files, "file")
    if summary.unchanged:
        files += f", {summary.unchanged:,} unchanged since the last capture"
    skipped = [f"{n:,} {SKIPPED_WORDS[reason]}" for reason, n in summary.skipped.items() if n]
    tail = f"; skipped {', '.join(skipped)}" if skipped else ""
    return f"{done} ({files}, {count(summary.read, read)} read){tail}"


class _progress:
    """A Rich progress bar on a terminal while files are read; nothing otherwise."""

    def __init__(self, what: str) -> None:
        self.bar: Progress | None = None
        self.what = what

    def __enter__(self) -> Any:
        import sys

        if not sys.stderr.isatty():
            return None
        from rich.progress import Progress

        from netcli.render import err

        bar = self.bar = Progress(console=err(), transient=True)
        task = bar.add_task("reading", total=None)
        started = False

        def advance(done_bytes: int, total_bytes: int, read: int) -> None:
            nonlocal started
            if not started:
                bar.start()
                started = True
            bar.update(task, completed=done_bytes, total=total_bytes, description=f"read {count(read, self.what)}")

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
