"""Contact commands: add, list, show, edit, archive, unarchive, rm, merge."""

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from netcli.cli import complete
from netcli.cli import options as opt
from netcli.cli.app import app
from netcli.cli.common import confirm, finish_contacts, require_change
from netcli.cli.state import state
from netcli.cli.values import cleaned_by, parse_birthday, parse_past, parse_span, resolve_today
from netcli.documents import public
from netcli.vocab import Channel, SortOrder, Tier
from netcli.wording import count

if TYPE_CHECKING:  # for annotations only: a command module imports no SQLAlchemy at startup
    from sqlmodel import Session


def _contact_out(session: "Session", contact_id: int, today: date) -> dict[str, Any]:
    from netcli.documents import contact_document

    return contact_document(session, contact_id=contact_id, today=today, config=state().config())


def _check_place(text: str, on: date) -> tuple[str | None, bool]:
    """For the add prompt: the name of the event or community `text` links to
    (None for none) and whether `text` named it exactly (its name or #ID);
    raises when it names several."""
    from netcli import store
    from netcli.db import session_scope

    with session_scope(state().engine(create=True)) as session:  # `add` asking: it writes next
        event, community = store.match_place(session, text=text, on=on)
        linked = event or community
        if linked is None:
            return None, False
        return linked.name, store.names_exactly(text, linked)


@app.command(rich_help_panel="People")
def add(
    name: Annotated[
        str | None,
        typer.Argument(help="The person's name (asked for on a terminal if left out).", callback=cleaned_by("name")),
    ] = None,
    email: opt.Emails = None,
    phone: opt.Phones = None,
    handle: opt.Handles = None,
    org: opt.Org = None,
    role: opt.Role = None,
    location: opt.Location = None,
    url: opt.Url = None,
    via: opt.Via = None,
    met_at: opt.MetAt = None,
    on: Annotated[str | None, typer.Option("--on", metavar="WHEN", help="When you met (default today).")] = None,
    introduced_by: Annotated[
        str | None, typer.Option("--introduced-by", metavar="WHO", help="Who introduced you.")
    ] = None,
    tag: opt.Tags = None,
    topic: opt.Topics = None,
    tier: opt.TierOpt = None,
    every: Annotated[
        str | None, typer.Option("--every", metavar="SPAN", help="Your keep-in-touch cadence, e.g. 2w.")
    ] = None,
    birthday: Annotated[
        str | None,
        typer.Option("--birthday", metavar="WHEN|--MM-DD", help="Their birthday; --MM-DD without the year."),
    ] = None,
    note: opt.Note = None,
    edit: opt.Edit = False,
    force: Annotated[bool, typer.Option("--force", help="Add even if the name or email exists.")] = False,
    json_out: opt.JsonOut = False,
) -> None:
    """Record someone you just met (logs a 'met' interaction).

    Examples:
      netcli add "Ana Lima" --via event --met-at "PyCon 2026" --topic rust --tag speaker
      netcli add "Bo Chen" --email bo@example.org --introduced-by ana --on yesterday
      netcli add "Cy Diaz" --email cy@example.org --email cy@work.example
      netcli add "Dana Wu" --handle telegram:@danawu --handle whatsapp:+491701234567
      netcli add    (on a terminal: asks for each field)
    """
    from netcli import render
    from netcli.cli import prompts
    from netcli.db import session_scope
    from netcli.documents import add_person
    from netcli.errors import UsageError
    from netcli.vocab import Channel, Tier

    today = resolve_today(None)
    asked_on, link = None, True
    if name is None:
        if not prompts.interactive():
            raise UsageError('add needs a NAME, e.g. netcli add "Ana Lima" (it asks only on a terminal)')
        answers = prompts.ask_new_contact(today=today, check_place=_check_place, near_places=_near_places)
        name, met_at, asked_on = answers["name"], answers["met_at"], answers["met_on"]
        email = [*(email or []), *([answers["email"]] if answers["email"] else [])]
        link = answers["link"]
        via, tier = Channel(answers["via"]), Tier(answers["tier"])
        topic = [*(topic or []), *answers["topics"]]
        note = answers["note"]
    note = prompts.resolve_note(note, edit=edit)
    met_on = parse_past(on, today=today, option="--on") if on else asked_on  # None: today, or the event's day
    cadence = parse_span(every, option="--every") if every else None
    born = parse_birthday(birthday, today=today) if birthday else None
    with session_scope(state().engine(create=True), write=True) as session:
        result, said = add_person(
            session,
            today=today,
            config=state().config(),
            met_on=met_on,
            met_at=met_at,
            introduced_by=introduced_by,
            link=link,
            name=name,
            emails=email or [],
            phones=phone or [],
            handles=handle or [],
            org=org,
            role=role,
            location=location,
            url=url,
            via=via.value if via else None,
            tier=tier.value if tier else "C",
            cadence_days=cadence,
            note=note,
            tags=tag or [],
            topics=topic or [],
            force=force,
            birthday=born,
            whole=json_out,
        )
    if said:
        render.message(said)
    render.emit(
        result,
        json_out=json_out,
        view=f"Added #{result['id']} {result['name']} (met {result['met_on']}).",
    )


def _near_places(text: str) -> list[str]:
    from netcli import store
    from netcli.db import session_scope

    with session_scope(state().engine(create=True)) as session:  # `add` asking: it writes next
        return store.near_places(session, text=text)


@app.command("list", rich_help_panel="People")
def list_contacts(
    tag: Annotated[str | None, typer.Option("--tag", help="Only people with this tag.")] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="Only people who know this topic.")] = None,
    via: opt.Via = None,
    tier: opt.TierOpt = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only people past their cadence.")] = False,
    archived: Annotated[bool, typer.Option("--archived", help="List archived people instead.")] = False,
    sort: Annotated[
        SortOrder, typer.Option("--sort", help="name, last (most recent first) or due (soonest first).")
    ] = SortOrder.name,
    as_of: opt.AsOf = None,
    json_out: opt.JsonOut = False,
) -> None:
    """List the people in your network.

    Examples:
      netcli list --overdue --sort due
      netcli list --topic rust --json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.render.contacts import contact_rows, contact_table

    today = resolve_today(as_of)
    with session_scope(state().engine()) as session:
        found = store.iter_contacts(
            session,
            as_of=today,
            tag=tag,
            topic=topic,
            via=via.value if via else None,
            tier=tier.value if tier else None,
            archived=archived,
            whole=json_out,  # the table shows a few columns of each
        )
        rows: Iterable[dict[str, Any]] = finish_contacts(found, today=today, session=session)
        if overdue:
            rows = (r for r in rows if r["next_due"] is not None and r["next_due"] <= today)
        if sort is SortOrder.last:
            rows = sorted(
                rows,
                key=lambda r: (r["last_contact"] is None, -(r["last_contact"].toordinal() if r["last_contact"] else 0)),
            )
        elif sort is SortOrder.due:
            rows = sorted(rows, key=lambda r: (r["next_due"] is None, r["next_due"] or today))
        if json_out:  # streamed: read, finished and written one person at a time
            render.emit_json_rows(public(r) for r in rows)
            return
        shown = contact_rows(rows, today=today)
    if shown:
        contact_table(shown)
    else:
        render.message(_no_contacts(tag=tag, topic=topic, via=via, tier=tier, overdue=overdue, archived=archived))


def _no_contacts(
    *, tag: str | None, topic: str | None, via: Channel | None, tier: Tier | None, overdue: bool, archived: bool
) -> str:
    """What an empty `list` found: under a filter, how many there are without it."""
    from netcli import store
    from netcli.db import session_scope

    with session_scope(state().engine()) as session:
        total = store.contact_count(session, include_archived=False)
    if not total and not archived:
        return "No contacts yet: add one with 'netcli add NAME', or try 'netcli demo'."
    filters = [f"{label} '{value}'" for label, value in (("tag", tag), ("topic", topic)) if value]
    filters += [f"via {via.value}"] if via else []
    filters += [f"tier {tier.value}"] if tier else []
    filters += ["overdue"] if overdue else []
    what = "archived contacts" if archived else "contacts"
    found = f"No {what} with {', '.join(filters)}" if filters else f"No {what}"
    return f"{found}; {total} contact{'s' if total != 1 else ''} in all: netcli list"


@app.command(rich_help_panel="People")
def show(
    who: opt.Who,
    as_of: opt.AsOf = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Everything about one person: profile, timeline, give and take, nudges.

    Examples:
      netcli show ana
      netcli show "#12" --json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.documents import profile_document
    from netcli.render.contacts import contact_detail

    today = resolve_today(as_of)
    with session_scope(state().engine()) as session:
        contact = store.find_contact(session, who=who)
        detail = profile_document(session, contact=contact, today=today, config=state().config())
    render.emit(detail, json_out=json_out, view=lambda detail: contact_detail(detail, today=today))


@app.command(rich_help_panel="People")
def edit(
    ctx: typer.Context,
    who: opt.Who,
    name: Annotated[str | None, typer.Option("--name", help="New name.", callback=cleaned_by("name"))] = None,
    email: opt.FirstEmails = None,
    add_email: opt.AddEmail = None,
    remove_email: opt.RemoveEmail = None,
    phone: opt.FirstPhones = None,
    add_phone: opt.AddPhone = None,
    remove_phone: opt.RemovePhone = None,
    handle: opt.AddHandles = None,
    remove_handle: opt.RemoveHandle = None,
    org: opt.Org = None,
    role: opt.Role = None,
    location: opt.Location = None,
    url: opt.Url = None,
    via: opt.Via = None,
    met_at: opt.MetAt = None,
    met_on: Annotated[str | None, typer.Option("--met-on", metavar="WHEN", help="When you met.")] = None,
    introduced_by: Annotated[
        str | None, typer.Option("--introduced-by", metavar="WHO", help="Who introduced you ('none' clears).")
    ] = None,
    add_tag: opt.AddTag = None,
    remove_tag: opt.RemoveTag = None,
    add_topic: opt.AddTopic = None,
    remove_topic: opt.RemoveTopic = None,
    tier: opt.TierOpt = None,
    every: Annotated[
        str | None,
        typer.Option("--every", metavar="SPAN|none", help="Own cadence, or 'none' to use the learned or tier cadence."),
    ] = None,
    birthday: Annotated[
        str | None, typer.Option("--birthday", metavar="WHEN|--MM-DD", help="Their birthday ('none' clears).")
    ] = None,
    note: opt.Note = None,
    edit_note: Annotated[bool, typer.Option("--edit", help="Edit the note in $EDITOR.")] = False,
    json_out: opt.JsonOut = False,
) -> None:
    """Change someone's details. An empty value ("") clears a field.

    Examples:
      netcli edit ana --org "Rust Foundation" --add-topic embedded
      netcli edit bo --tier B --every 3w
      netcli edit bo --add-email bo@work.example --remove-email bo@old.example
      netcli edit bo --handle discord:80351110224678912 --remove-handle telegram:@bo_old
    """
    from netcli import render, store
    from netcli.db import session_scope

    require_change(ctx)
    today = resolve_today(None)
    region = state().config().region()
    changes: dict[str, Any] = {}
    for key, value in (
        ("name", name),
        ("org", org),
        ("role", role),
        ("location", location),
        ("url", url),
        ("met_at", met_at),
        ("note", note),
    ):
        if value is not None:
            changes[key] = value
    if via is not None:
        changes["via"] = via.value
    if tier is not None:
        changes["tier"] = tier.value
    if met_on is not None:
        changes["met_on"] = parse_past(met_on, today=today, option="--met-on")
    if every is not None:
        changes["cadence_days"] = None if every.strip().lower() in ("none", "") else parse_span(every, option="--every")
    if birthday is not None:
        changes["birthday"] = (
            None if birthday.strip().lower() in ("none", "") else parse_birthday(birthday, today=today)
        )
    with session_scope(state().engine(), write=True) as session:
        contact = store.find_contact(session, who=who, region=region)
        if edit_note or note == "-":
            from netcli.cli.prompts import resolve_note

            changes["note"] = resolve_note(note, edit=edit_note, initial=contact.note or "") or ""
        said = None
        if met_at is not None:  # link to the event or community it names, or unlink
            on = changes.get("met_on") or contact.met_on or today
            event, community = store.match_place(session, text=met_at, on=on)
            changes["met_event_id"] = event.id if event else None
            changes["met_community_id"] = community.id if community else None
            changes["met_at"] = event.name if event else community.name if community else met_at
            said = store.place_message(session, text=met_at, event=event, community=community, on=on)
        if introduced_by is not None:
            clear = introduced_by.strip().lower() in ("", "none")
            changes["introduced_by_id"] = (
                None if clear else store.find_contact(session, who=introduced_by, region=region).id
            )
        changes |= store.list_edits(
            session,
            contact=contact,
            region=region,
            emails=email,
            add_emails=add_email or [],
            remove_emails=remove_email or [],
            phones=phone,
            add_phones=add_phone or [],
            remove_phones=remove_phone or [],
            add_handles=handle or [],
            remove_handles=remove_handle or [],
            add_tags=add_tag or [],
            remove_tags=remove_tag or [],
            add_topics=add_topic or [],
            remove_topics=remove_topic or [],
        )
        proposal = store.propose(changes, today=today, region=region, typed=True)
        store.update_contact(session, contact=contact, proposal=proposal, region=region)
        result = _contact_out(session, contact.id, today)
    if said:
        render.message(said)
    if result["met_on"] is None and any(changes.get(key) for key in store.MEETING):
        render.message(f"no meeting logged: when you met {result['name']} is not known; --met-on WHEN says it")
    render.emit(result, json_out=json_out, view=f"Updated #{result['id']} {result['name']}.")


def _set_archived(who: str, archived: bool) -> None:
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.errors import NetcliError, NotFound

    with session_scope(state().engine(), write=True) as session:
        try:  # prefixes match among the people it can change, else among the others, to say so
            contact = store.find_contact(session, who=who, archived=not archived)
        except NotFound:
            contact = store.find_contact(session, who=who, archived=archived)
        label = f"#{contact.id} {contact.name}"
        if contact.archived == archived:
            raise NetcliError(f"{label} is already archived" if archived else f"{contact.name} is not archived")
        store.update_contact(session, contact=contact, proposal=store.Proposal(archived=archived))
    render.message(f"Archived {label}: never nudged, hidden from lists." if archived else f"Unarchived {label}.")


@app.command(rich_help_panel="People")
def archive(who: opt.Who) -> None:
    """Archive someone: kept, but never nudged and hidden from lists.

    Examples:
      netcli archive "Old Colleague"
      netcli list --archived
    """
    _set_archived(who, True)


@app.command(rich_help_panel="People")
def unarchive(who: opt.Who) -> None:
    """Bring an archived person back (any WHO: prefixes match among archived people).

    Examples:
      netcli unarchive "#7"
      netcli unarchive "Old Colleague"
    """
    _set_archived(who, False)


@app.command(rich_help_panel="People")
def rm(who: opt.Who, yes: opt.Yes = False) -> None:
    """Delete someone and the interactions that involved only them.

    Examples:
      netcli rm "Spam Account" --yes
      netcli rm "#12"
    """
    from netcli import render, store
    from netcli.db import session_scope

    with session_scope(state().engine(), write=True) as session:
        contact = store.find_contact(session, who=who)
        confirm(f"Delete #{contact.id} {contact.name} and their solo interactions?", yes=yes)
        removed = store.delete_contact(session, contact=contact)
        label = f"#{contact.id} {contact.name}"
    render.message(f"Deleted {label} and {count(removed, 'interaction')} that involved only them.")


@app.command(rich_help_panel="People")
def merge(
    keep: Annotated[str, typer.Argument(help="The contact to keep.", autocompletion=complete.contact_names)],
    other: Annotated[
        str, typer.Argument(help="The duplicate to fold into KEEP and delete.", autocompletion=complete.contact_names)
    ],
    yes: opt.Yes = False,
    json_out: opt.JsonOut = False,
) -> None:
    """Fold a duplicate into another contact: history, tags, topics, empty fields.

    Where the two differ, KEEP's value stays and the other's is named.

    Examples:
      netcli merge "Ana Lima" "Ana L." --yes
      netcli merge "#3" "#17"
    """
    from netcli import render, store
    from netcli.db import session_scope

    today = resolve_today(None)
    with session_scope(state().engine(), write=True) as session:
        kept = store.find_contact(session, who=keep)
        gone = store.find_contact(session, who=other)
        gone_label = f"#{gone.id} {gone.name}"
        store.check_mergeable(keep=kept, other=gone)
        confirm(f"Merge {gone_label} into #{kept.id} {kept.name} and delete {gone_label}?", yes=yes)
        differed = store.merge_contacts(session, keep=kept, other=gone)
        result = _contact_out(session, kept.id, today)
    from netcli.store.merge import EARLIER

    for conflict in differed:
        render.conflict(conflict, there=gone_label, remedy="netcli edit changes it", kept=conflict.why != EARLIER)
    render.emit(result, json_out=json_out, view=f"Merged {gone_label} into #{result['id']} {result['name']}.")
