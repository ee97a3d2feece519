"""Communities and events: add, list, show."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from netcli.cli import options as opt
from netcli.cli.app import app, parse_when, resolve_today, state

community_app = typer.Typer(help="Forums, groups, courses, associations and workplaces you belong to.", no_args_is_help=True)
event_app = typer.Typer(help="Workshops, conferences, meetups and webinars: who you met there.", no_args_is_help=True)
app.add_typer(community_app, name="community", rich_help_panel="Learning")
app.add_typer(event_app, name="event", rich_help_panel="Learning")


class CommunityKind(str, Enum):
    forum = "forum"
    social = "social"
    community = "community"
    course = "course"
    association = "association"
    workplace = "workplace"


class EventKind(str, Enum):
    workshop = "workshop"
    conference = "conference"
    meetup = "meetup"
    webinar = "webinar"
    other = "other"


@community_app.command("add")
def community_add(
    name: Annotated[str, typer.Argument(help="The community's name.")],
    kind: Annotated[CommunityKind, typer.Option("--kind", help="What kind of community.", case_sensitive=False)],
    url: opt.Url = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Record a community you take part in.

    Examples:
      netcli community add "Lisbon Rust Meetup" --kind community --url https://meetup.example/rust
      netcli community add "ACM Women" --kind association
    """
    from netcli import render, store
    from netcli.db import session_scope

    with session_scope(state().engine(), write=True) as session:
        community = store.add_community(session, name=name, kind=kind.value, url=url)
        row = next(c for c in store.community_dicts(session) if c["id"] == community.id)
    if json_out:
        render.emit_json(row)
    else:
        render.message(f"Added the {row['kind']} '{row['name']}'.")


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
    if json_out:
        render.emit_json(rows)
    elif rows:
        community_table(rows)
    else:
        render.message("No communities yet: netcli community add NAME --kind forum")


@community_app.command("show")
def community_show(
    name: Annotated[str, typer.Argument(help="The community (a unique part of its name).")],
    json_out: opt.JsonOut = False,
) -> None:
    """A community's people and events.

    Examples:
      netcli community show "rust meetup"
      netcli community show acm --json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.render.learning import community_view

    with session_scope(state().engine()) as session:
        detail = store.community_detail(session, community=store.find_community(session, name=name))
    if json_out:
        render.emit_json(detail)
    else:
        community_view(detail)


@event_app.command("add")
def event_add(
    name: Annotated[str, typer.Argument(help="The event's name.")],
    on: Annotated[str, typer.Option("--on", metavar="WHEN", help="The day it takes place.")],
    community: Annotated[Optional[str], typer.Option("--community", help="The community that runs it.")] = None,
    kind: Annotated[EventKind, typer.Option("--kind", help="What kind of event.", case_sensitive=False)] = EventKind.other,
    online: Annotated[bool, typer.Option("--online", help="It happens online.")] = False,
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
    with session_scope(state().engine(), write=True) as session:
        owner = store.find_community(session, name=community) if community else None
        event = store.add_event(session, name=name, on=when, kind=kind.value, online=online, community=owner)
        row = store.event_dict(event, owner.name if owner else None)
    if json_out:
        render.emit_json(row)
    else:
        render.message(f"Added the {row['kind']} '{row['name']}' on {row['date']}.")


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
    if json_out:
        render.emit_json(rows)
    elif rows:
        event_table(rows, today=today)
    else:
        render.message("No events yet: netcli event add NAME --on WHEN")


@event_app.command("show")
def event_show(
    name: Annotated[str, typer.Argument(help="The event (a unique part of its name).")],
    json_out: opt.JsonOut = False,
) -> None:
    """Who you met at an event, and whom you have not followed up yet.

    Examples:
      netcli event show "PyData"
      netcli event show "RustConf" --json
    """
    from netcli import render, store
    from netcli.db import session_scope
    from netcli.render.learning import event_view

    today = resolve_today(None)
    with session_scope(state().engine()) as session:
        detail = store.event_detail(session, event=store.find_event(session, name=name), as_of=today)
    if json_out:
        render.emit_json(detail)
    else:
        event_view(detail, today=today)
