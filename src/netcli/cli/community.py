"""Communities and events: add, list, show, edit, rm; community join."""

from typing import Annotated

import typer

from netcli.cli import complete
from netcli.cli import options as opt
from netcli.cli.app import app
from netcli.cli.common import confirm, require_change
from netcli.cli.state import state
from netcli.cli.values import cleaned_by, parse_when, resolve_today
from netcli.vocab import CommunityKind, EventKind
from netcli.wording import count

community_app = typer.Typer(
    help="Forums, groups, courses, associations and workplaces you belong to.", no_args_is_help=True
)
event_app = typer.Typer(help="Workshops, conferences, meetups and webinars: who you met there.", no_args_is_help=True)
app.add_typer(community_app, name="community", rich_help_panel="Learning")
app.add_typer(event_app, name="event", rich_help_panel="Learning")


CommunityName = Annotated[
    str, typer.Argument(metavar="NAME", help="The community: its name, a unique part of it, or #ID.")
]
EventName = Annotated[str, typer.Argument(metavar="NAME", help="The event: its name, a unique part of it, or #ID.")]
Chats = Annotated[
    list[str] | None,
    typer.Option(
        "--chat",
        metavar="KIND:ID",
        help="A group or channel that is this community, as capture chat names it (repeatable).",
    ),
]
Every = Annotated[
    str | None,
    typer.Option("--every", metavar="SPAN", help="How often you mean to take part, e.g. 2w ('none' clears)."),
]
CommunityForce = Annotated[bool, typer.Option("--force", help="Add it even though a community of that name exists.")]
EventForce = Annotated[
    bool, typer.Option("--force", help="Add it even though an event of that name on that day exists.")
]


@community_app.command("add")
def community_add(
    name: Annotated[str, typer.Argument(help="The community's name.")],
    kind: Annotated[CommunityKind, typer.Option("--kind", help="What kind of community.", case_sensitive=False)],
    url: opt.Url = None,
    chats: Chats = None,
    every: Every = None,
    force: CommunityForce = False,
    json_out: opt.JsonOut = False,
) -> None:
    """Record a community you take part in.

    Examples:
      netcli community add "Lisbon Rust Meetup" --kind community --url https://meetup.example/rust
      netcli community add "ACM Women" --kind association
      netcli community add "Rust Learners" --kind community --chat discord:523331000000000001 --every 2w
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.store.activity import clean_chat, link_chats, set_cadence

    today = resolve_today(None)
    days = _cadence(every)
    for chat in chats or []:
        clean_chat(chat)  # refused before anything is written
    with session_scope(state().engine(create=True), write=True) as session:
        community = store.add_community(session, name=name, kind=kind.value, url=url, force=force)
        if days is not None:
            set_cadence(community, days=days or None, today=today)
            session.add(community)
        link_chats(session, community=community, chats=chats or [])
        session.flush()
        row = next(c for c in store.community_dicts(session) if c["id"] == community.id)
    render.emit(row, json_out=json_out, view=f"Added {_community_label(row)}.")


@community_app.command("list")
def community_list(json_out: opt.JsonOut = False) -> None:
    """Your communities, with how many people and events each has.

    Examples:
      netcli community list
      netcli community list --json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.render.learning import community_table

    with session_scope(state().engine()) as session:
        rows = store.community_dicts(session)
    render.emit(
        rows,
        json_out=json_out,
        view=community_table,
        empty="No communities yet: netcli community add NAME --kind forum",
    )


@community_app.command("show")
def community_show(
    name: CommunityName,
    json_out: opt.JsonOut = False,
) -> None:
    """A community's people and events.

    Examples:
      netcli community show "rust meetup"
      netcli community show "#2" --json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.render.learning import community_view

    with session_scope(state().engine()) as session:
        detail = store.community_detail(
            session, community=store.find_community(session, name=name), today=resolve_today(None)
        )
    render.emit(detail, json_out=json_out, view=community_view)


@event_app.command("add")
def event_add(
    name: Annotated[str, typer.Argument(help="The event's name.")],
    on: Annotated[str, typer.Option("--on", metavar="WHEN", help="The day it takes place.")],
    community: Annotated[str | None, typer.Option("--community", help="The community that runs it.")] = None,
    kind: Annotated[
        EventKind, typer.Option("--kind", help="What kind of event.", case_sensitive=False)
    ] = EventKind.other,
    online: Annotated[bool, typer.Option("--online", help="It happens online.")] = False,
    force: EventForce = False,
    json_out: opt.JsonOut = False,
) -> None:
    """Record an event, past or coming.

    Examples:
      netcli event add "RustConf Lisbon" --on 2027-03-12 --kind conference --community "Lisbon Rust Meetup"
      netcli event add "SRE webinar" --on "next friday" --kind webinar --online
    """
    from netcli import render, store
    from netcli.db import session_scope

    today = resolve_today(None)
    when = parse_when(on, today=today, option="--on")
    with session_scope(state().engine(create=True), write=True) as session:
        owner = store.find_community(session, name=community) if community else None
        event = store.add_event(
            session, name=name, on=when, kind=kind.value, online=online, community=owner, force=force
        )
        row = store.event_dict(event, owner.name if owner else None)
    render.emit(
        row,
        json_out=json_out,
        view=f"Added the {_event_word(row['kind'])} #{row['id']} '{row['name']}' on {row['date']}.",
    )


@event_app.command("list")
def event_list(
    upcoming: Annotated[bool, typer.Option("--upcoming", help="Only today's and later events.")] = False,
    json_out: opt.JsonOut = False,
) -> None:
    """Events, oldest first, with how many people you met at each.

    Examples:
      netcli event list --upcoming
      netcli event list --json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.render.learning import event_table

    today = resolve_today(None)
    with session_scope(state().engine()) as session:
        rows = store.event_dicts(session, from_date=today if upcoming else None)
    render.emit(
        rows,
        json_out=json_out,
        view=lambda rows: event_table(rows, today=today),
        empty="No events yet: netcli event add NAME --on WHEN",
    )


@event_app.command("show")
def event_show(
    name: EventName,
    json_out: opt.JsonOut = False,
) -> None:
    """Who you met at an event, and whom you have not followed up yet.

    Examples:
      netcli event show "PyData"
      netcli event show "#3" --json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.render.learning import event_view

    today = resolve_today(None)
    with session_scope(state().engine()) as session:
        detail = store.event_detail(session, event=store.find_event(session, name=name), as_of=today)
    render.emit(detail, json_out=json_out, view=lambda detail: event_view(detail, today=today))


@event_app.command("edit")
def event_edit(
    ctx: typer.Context,
    name: EventName,
    new_name: Annotated[str | None, typer.Option("--name", help="New name.", callback=cleaned_by("name"))] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="WHEN", help="The day it takes place.")] = None,
    community: Annotated[
        str | None, typer.Option("--community", help="The community that runs it ('none' clears).")
    ] = None,
    kind: Annotated[EventKind | None, typer.Option("--kind", help="What kind of event.", case_sensitive=False)] = None,
    online: Annotated[bool | None, typer.Option("--online/--offline", help="It happens online, or in person.")] = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Change an event's name, day, community, kind or place.

    Examples:
      netcli event edit "RustConf" --on 2027-03-13 --community "Lisbon Rust Meetup"
      netcli event edit "#4" --name "SRE webinar #2" --online
    """
    from netcli import render, store
    from netcli.db import session_scope

    require_change(ctx)
    changes: dict = {}
    if new_name is not None:
        changes["name"] = new_name
    if on is not None:
        changes["date"] = parse_when(on, today=resolve_today(None), option="--on")
    if kind is not None:
        changes["kind"] = kind.value
    if online is not None:
        changes["online"] = online
    with session_scope(state().engine(), write=True) as session:
        event = store.find_event(session, name=name)
        if community is not None:
            clear = community.strip().lower() in ("", "none")
            changes["community"] = None if clear else store.find_community(session, name=community)
        store.update_event(session, event=event, changes=changes)
        row = store.event_row(session, event=event)
    render.emit(
        row,
        json_out=json_out,
        view=f"Updated the {_event_word(row['kind'])} #{row['id']} '{row['name']}' on {row['date']}.",
    )


def _cadence(every: str | None) -> int | None:
    """--every: days (0 for 'none', which clears it), or None when not given."""
    from netcli.cli.values import parse_span

    if every is None:
        return None
    if every.strip().lower() == "none":
        return 0
    return parse_span(every, option="--every")


def _community_label(row: dict) -> str:
    """`community #3 'MLOps Discord' (social)`: a kind reads as a noun (forum,
    course) or an adjective (social), so it follows the name."""
    kind = "" if row["kind"] == "community" else f" ({row['kind']})"
    return f"community #{row['id']} '{row['name']}'{kind}"


def _event_word(kind: str) -> str:
    """`meetup`, `webinar`…; an event of kind `other` is just an event."""
    return "event" if kind == "other" else kind


@event_app.command("rm")
def event_rm(name: EventName, yes: opt.Yes = False) -> None:
    """Delete an event; the people you met there stay, no longer linked to it.

    Examples:
      netcli event rm "#4" --yes
      netcli event rm "SRE webinar"
    """
    from netcli import render, store
    from netcli.db import session_scope

    with session_scope(state().engine(), write=True) as session:
        event = store.find_event(session, name=name)
        label = f"#{event.id} {event.name} ({event.date})"
        confirm(f"Delete the event {label}? The people met there stay", yes=yes)
        unlinked = store.delete_event(session, event=event)
    render.message(
        f"Deleted the event {label}; {count(unlinked, 'person')} met there "
        f"{'stays' if unlinked == 1 else 'stay'}, unlinked."
    )


@community_app.command("edit")
def community_edit(
    ctx: typer.Context,
    name: CommunityName,
    new_name: Annotated[str | None, typer.Option("--name", help="New name.", callback=cleaned_by("name"))] = None,
    kind: Annotated[
        CommunityKind | None, typer.Option("--kind", help="What kind of community.", case_sensitive=False)
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Its page ('' clears).", callback=cleaned_by("url"))] = None,
    chats: Chats = None,
    remove_chats: Annotated[
        list[str] | None,
        typer.Option("--remove-chat", metavar="KIND:ID", help="This chat is no longer this community (repeatable)."),
    ] = None,
    every: Every = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Change a community's name, kind, URL, chats or cadence.

    Examples:
      netcli community edit "lisbon rust" --name "Lisbon Rustaceans"
      netcli community edit "#2" --kind association --url https://acm.example
      netcli community edit "Rust Learners" --chat discord:523331000000000001 --every 2w
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.store.activity import clean_chat, link_chats, set_cadence, unlink_chats

    require_change(ctx)
    today = resolve_today(None)
    days = _cadence(every)
    for chat in [*(chats or []), *(remove_chats or [])]:
        clean_chat(chat)  # refused before anything is written
    changes: dict = {}
    for key, value in (("name", new_name), ("kind", kind.value if kind else None), ("url", url)):
        if value is not None:
            changes[key] = value
    with session_scope(state().engine(), write=True) as session:
        community = store.find_community(session, name=name)
        store.update_community(session, community=community, changes=changes)
        if days is not None:
            set_cadence(community, days=days or None, today=today)
            session.add(community)
        unlink_chats(session, community=community, chats=remove_chats or [])
        link_chats(session, community=community, chats=chats or [])
        session.flush()
        row = next(c for c in store.community_dicts(session) if c["id"] == community.id)
    render.emit(row, json_out=json_out, view=f"Updated {_community_label(row)}.")


@community_app.command("rm")
def community_rm(name: CommunityName, yes: opt.Yes = False) -> None:
    """Delete a community; its people and events stay, no longer linked to it.

    Examples:
      netcli community rm "#2" --yes
      netcli community rm "old forum"
    """
    from netcli import render, store
    from netcli.db import session_scope

    with session_scope(state().engine(), write=True) as session:
        community = store.find_community(session, name=name)
        label = f"#{community.id} {community.name}"
        confirm(f"Delete the community {label}? Its people and events stay", yes=yes)
        people, events = store.delete_community(session, community=community)
    render.message(
        f"Deleted the community {label}; its {count(people, 'person')} and {count(events, 'event')} stay, unlinked."
    )


@community_app.command("join")
def community_join(
    name: CommunityName,
    who: Annotated[
        list[str],
        typer.Argument(
            metavar="WHO...",
            help="People who belong to it: names, unique parts or #IDs.",
            autocompletion=complete.contact_names,
        ),
    ],
    json_out: opt.JsonOut = False,
) -> None:
    """Record that people belong to a community (wherever you met them).

    Examples:
      netcli community join "lisbon rust" ana bo
      netcli community join "#2" "#12" --json
    """
    from netcli import render, store
    from netcli.db import session_scope

    with session_scope(state().engine(), write=True) as session:
        community = store.find_community(session, name=name)
        people = [store.find_contact(session, who=w) for w in who]
        joined, already = store.join_community(session, community=community, contacts=people)
        detail = store.community_detail(session, community=community)
    if already:
        render.message(f"{', '.join(already)} {'is' if len(already) == 1 else 'are'} already in {detail['name']}.")
    if joined:
        render.message(f"Joined {detail['name']}: {', '.join(joined)}.")
    if json_out:
        render.emit_json(detail)
