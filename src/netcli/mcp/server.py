"""The MCP server: netcli's tools, resources and prompts declared to the
official SDK (`MCPServer`), each answered by a `Desk` method (through `worker`).

A tool's result is the CLI's JSON document: as text (compact JSON, what the
model reads) and as structured content (a list sits under "result"). A
netcli error becomes a tool error carrying the CLI's one-line message (an
ambiguous name lists the candidates with their #ID); a database error, its
plain sentence. The parameter types below are the tools' JSON Schemas: their
descriptions are written for the model that reads them. Annotations stay
evaluated (no `from __future__ import annotations`): the SDK reads them.
"""

import json
from collections.abc import Callable
from contextlib import suppress
from enum import Enum
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from mcp.server.mcpserver.prompts.base import UserMessage
from mcp.shared.exceptions import MCPError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from mcp_types.jsonrpc import INVALID_PARAMS
from pydantic import Field

from netcli import __version__, render
from netcli.errors import NetcliError, NotFound
from netcli.mcp.desk import Ask
from netcli.rules import RULES
from netcli.vocab import Channel, Kind, Tier

INSTRUCTIONS = (
    "netcli is the user's own record of their learning network, kept on their machine: the people they met "
    "(where, how, what they know), every exchange with them, mentors, learning goals, and the nudges netcli "
    "works out each day (whom to follow up or get back in touch with, whom to say thanks to, and why). Answer "
    'questions about people with find_people and get_person; "what should I do today" with list_nudges. A '
    "person is named by their name or any unique part of it (case and accents aside), an email address, a "
    "phone number, a profile URL, or by '#ID' as the results show it. When a name matches several people the "
    "error lists them with their #ID: ask the user which one, then use the #ID. Dates may be YYYY-MM-DD or "
    "words: today, yesterday, 'last friday', '3 days ago', 'in 2 weeks'. Record only what the user told you "
    "happened."
)

# Bounds on what a call may carry, not the fields' limits: the store's cleaners judge each value with
# the CLI's words (a name too long...); the server only refuses text no field could hold. The server
# imports nothing of the store: its SQLAlchemy loads in the desk's process meanwhile (see `worker`).
MAX_TEXT = 20_000
MAX_WORDS = 1_000  # a name, a label, a line of search words
MAX_WHEN = 40  # "2 weeks ago", "next friday": a date in words is short

RuleName = Enum("RuleName", {name: name for name in RULES}, type=str)  # type: ignore[misc]  # the registry's names

Who = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_WORDS,
        description="A person: their name or a unique part of it (case and accents aside), an email "
        "address, a phone number, a profile URL, or '#ID' (e.g. '#12') as results show it.",
    ),
]
When = Annotated[
    str | None,
    Field(
        max_length=MAX_WHEN,
        description="A date: YYYY-MM-DD, or words such as today, yesterday, 'last friday', '3 days ago'. "
        "Leave out for today.",
    ),
]
AsOf = Annotated[
    str | None,
    Field(
        max_length=MAX_WHEN,
        description="Answer as if today were this date (YYYY-MM-DD or words such as 'next friday'). "
        "Leave out for today.",
    ),
]
Span = Annotated[str, Field(max_length=MAX_WHEN, description="A length of time: 3d, 2w, 1m, '10 days', '2 weeks'.")]
Label = Annotated[str, Field(min_length=1, max_length=MAX_WORDS)]
Tags = Annotated[list[Label], Field(max_length=20, description="The user's own labels for them.")]
Note = Annotated[str | None, Field(max_length=MAX_TEXT, description="Free text: what happened, what was said.")]

READS = ToolAnnotations(read_only_hint=True, open_world_hint=False)
WRITES = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False)


def build(ask: Ask, *, read_only: bool) -> MCPServer:
    """The server: every tool, resource and prompt, each answered by `ask(method, **arguments)`, a
    `Desk` method's answer (see `worker`), netcli's errors raised as `NetcliError`."""
    server: MCPServer = MCPServer(
        "netcli", title="netcli", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING"
    )
    tool = _tool_registrar(server)

    @tool("Find people", READS)
    async def find_people(
        text: Annotated[
            str | None,
            Field(
                max_length=MAX_WORDS,
                description="Words to find in a person's record: name, organisation, role, location, "
                "where you met, notes, tags, topics. Every word must match.",
            ),
        ] = None,
        topic: Annotated[
            str | None,
            Field(max_length=MAX_WORDS, description="Only people who know about this topic (or part of it)."),
        ] = None,
        org: Annotated[
            str | None, Field(max_length=MAX_WORDS, description="Only people whose organisation contains this.")
        ] = None,
        met_at: Annotated[
            str | None,
            Field(
                max_length=MAX_WORDS,
                description="Only people met at this event or belonging to this community (its name, a unique "
                "part of it, or #ID); when it names none, people whose record mentions these words.",
            ),
        ] = None,
        tag: Annotated[str | None, Field(max_length=MAX_WORDS, description="Only people with this tag.")] = None,
        tier: Annotated[Tier | None, Field(description="Only this closeness: A (closest) to D.")] = None,
        via: Annotated[Channel | None, Field(description="Only people met this way.")] = None,
        overdue: Annotated[bool, Field(description="Only people past their keep-in-touch cadence.")] = False,
        limit: Annotated[int, Field(ge=1, le=500, description="At most this many people.")] = 20,
        as_of: AsOf = None,
    ) -> CallToolResult:
        """Find people in the user's network. Every filter given must match; with none, everyone (up to
        limit), in name order. Returns a list of contact objects: id, name, emails, phones, org, role,
        location, url, via (how you met), met_at, met_on, introduced_by, tier, cadence_days, tags, topics,
        note, interactions (count), last_contact, next_due, status. Use get_person for someone's history."""
        return _answer(
            lambda: ask(
                "find_people",
                text=text,
                topic=topic,
                org=org,
                met_at=met_at,
                tag=tag,
                tier=_value(tier),
                via=_value(via),
                overdue=overdue,
                limit=limit,
                as_of=as_of,
            ),
        )

    @tool("A person's profile and history", READS)
    async def get_person(
        who: Who,
        as_of: AsOf = None,
        timeline_limit: Annotated[
            int, Field(ge=1, le=1000, description="How many of the newest interactions to include.")
        ] = 20,
    ) -> CallToolResult:
        """Everything netcli knows about one person: their contact object (as find_people gives it), then
        timeline (newest interactions first: date, kind, contacts, note, topics, goal), help_given,
        help_received, thanks_sent, introduced (whom they introduced the user to), nudges (what to do about
        them now, with the reason), mentorship, and goals they are linked to."""
        return _answer(lambda: ask("get_person", who=who, as_of=as_of, timeline_limit=timeline_limit))

    @tool("Today's nudges", READS)
    async def list_nudges(
        as_of: AsOf = None,
        limit: Annotated[
            int | None, Field(ge=1, le=500, description="At most this many (default: the user's setting, 10).")
        ] = None,
        rule: Annotated[RuleName | None, Field(description="Only the nudges of this rule.")] = None,
    ) -> CallToolResult:
        """What the user should do for their network today, most important first. Each nudge: id (for
        act_on_nudge), rule, action (one sentence), contact, contact_id, due, priority, and reason (the facts
        behind it: days since, cadence, what happened)."""
        return _answer(lambda: ask("list_nudges", as_of=as_of, limit=limit, rule=_value(rule)))

    @tool("Prepare a mentor session", READS)
    async def mentor_prep(who: Who) -> CallToolResult:
        """What to bring to the next session with a mentor: status, next_due, days_since the last session,
        last_session (date and notes), open questions the user noted, and active goals linked to the mentor.
        Fails when the person is not one of the user's mentors."""
        return _answer(lambda: ask("mentor_prep", who=who))

    @tool("Learning goals and who can help", READS)
    async def list_goals(
        goal: Annotated[
            str | None,
            Field(
                max_length=MAX_WORDS,
                description="One goal (its id or a unique part of its title) for its whole story; "
                "leave out to list the goals.",
            ),
        ] = None,
        include_closed: Annotated[bool, Field(description="Also list goals done or dropped.")] = False,
        as_of: AsOf = None,
    ) -> CallToolResult:
        """The user's learning goals: id, title, status, why, by (target date), topics, contacts (people
        linked to it), percent, created_on, closed_on, last_progress, last_activity, and experts: people whose
        topics match the goal's (name, tier, org, topics, interactions, last_contact), closest first. With
        goal: that goal alone, with its progress, helpers and interactions too."""
        return _answer(lambda: ask("list_goals", goal=goal, include_closed=include_closed, as_of=as_of))

    @tool("The month's report", READS)
    async def monthly_report(
        month: Annotated[
            str | None,
            Field(max_length=MAX_WHEN, description="YYYY-MM, 'this' or 'last'. Leave out for this month."),
        ] = None,
        as_of: AsOf = None,
    ) -> CallToolResult:
        """A look back on a month of the user's networking: interactions (and the month before's), people,
        new_contacts, new_by_channel, by_kind, thanks_sent, thanks_owed, help_given, help_received,
        mentor_sessions, goals (progress), went_quiet (people who became overdue), top_contacts, active_days,
        by_day."""
        return _answer(lambda: ask("monthly_report", month=month, as_of=as_of))

    @tool("Search everything", READS)
    async def search(
        text: Annotated[
            str,
            Field(
                min_length=1,
                max_length=MAX_WORDS,
                description="Words to find; every word must match, prefixes count.",
            ),
        ],
        limit: Annotated[int, Field(ge=1, le=200, description="At most this many results.")] = 30,
    ) -> CallToolResult:
        """Search people, interaction notes and goals at once, best matches first. Each result: kind
        (contact, interaction or goal), id, title, match (where the words were found), score."""
        return _answer(lambda: ask("search", text=text, limit=limit))

    _writes(server, ask, read_only=read_only)
    _resources(server, ask)
    _prompts(server, ask, read_only=read_only)
    return server


def _writes(server: MCPServer, ask: Ask, *, read_only: bool) -> None:
    tool = _tool_registrar(server, read_only=read_only)

    @tool("Add a person", WRITES)
    async def add_person(
        name: Annotated[str, Field(min_length=1, max_length=MAX_WORDS, description="Their full name.")],
        emails: Annotated[
            list[Annotated[str, Field(max_length=MAX_WORDS)]],
            Field(max_length=10, description="Their email addresses, the main one first."),
        ] = [],  # noqa: B006
        phones: Annotated[
            list[Annotated[str, Field(max_length=MAX_WORDS)]],
            Field(max_length=10, description="Their phone numbers, the main one first."),
        ] = [],  # noqa: B006
        org: Annotated[str | None, Field(max_length=MAX_WORDS, description="Where they work.")] = None,
        role: Annotated[str | None, Field(max_length=MAX_WORDS, description="Their role or title.")] = None,
        location: Annotated[str | None, Field(max_length=MAX_WORDS, description="City or place.")] = None,
        url: Annotated[str | None, Field(max_length=MAX_WORDS, description="A profile page or handle.")] = None,
        via: Annotated[Channel | None, Field(description="How the user met them.")] = None,
        met_at: Annotated[
            str | None,
            Field(
                max_length=MAX_WORDS,
                description="The event or community where they met (linked to it when netcli knows it).",
            ),
        ] = None,
        on: When = None,
        introduced_by: Annotated[
            str | None, Field(max_length=MAX_WORDS, description="Who introduced them (a person already in netcli).")
        ] = None,
        tags: Tags = [],  # noqa: B006
        topics: Annotated[list[Label], Field(max_length=20, description="What they know or care about.")] = [],  # noqa: B006
        tier: Annotated[Tier | None, Field(description="Closeness, A (closest) to D; default C.")] = None,
        every: Annotated[
            str | None, Field(max_length=MAX_WHEN, description="How often to keep in touch, e.g. 2w, 3m.")
        ] = None,
        birthday: Annotated[
            str | None, Field(max_length=MAX_WHEN, description="YYYY-MM-DD, or --MM-DD without the year.")
        ] = None,
        note: Note = None,
        force: Annotated[
            bool, Field(description="Add even when someone with this name or email exists (else an error names them).")
        ] = False,
    ) -> CallToolResult:
        """Record someone the user just met; logs a 'met' interaction on the day they met (on). Returns the
        new contact object. Fails, naming them, when a person with the same name or email exists: check with
        find_people first, and use force only when the user confirms it is someone else."""
        return _answer(
            lambda: ask(
                "add_person",
                name=name,
                emails=emails,
                phones=phones,
                org=org,
                role=role,
                location=location,
                url=url,
                via=_value(via),
                met_at=met_at,
                on=on,
                introduced_by=introduced_by,
                tags=tags,
                topics=topics,
                tier=_value(tier),
                every=every,
                birthday=birthday,
                note=note,
                force=force,
            ),
        )

    @tool("Log an interaction", WRITES)
    async def log_interaction(
        who: Annotated[list[Who], Field(min_length=1, max_length=50, description="Everyone taking part.")],
        kind: Annotated[Kind, Field(description="What kind of exchange it was.")] = Kind.message,
        on: When = None,
        note: Note = None,
        topics: Annotated[list[Label], Field(max_length=20, description="What it was about.")] = [],  # noqa: B006
        goal: Annotated[
            str | None,
            Field(max_length=MAX_WORDS, description="The learning goal it served (its id or part of its title)."),
        ] = None,
    ) -> CallToolResult:
        """Record an exchange the user had: a message, call, meeting, help given or received, thanks, an
        introduction, a mentor session... Several people make one shared interaction. Returns it: id, date,
        kind, contacts, note, topics, goal. Logging clears the nudges it answers (thanks logged clears the nudge
        asking for it)."""
        return _answer(
            lambda: ask("log_interaction", who=who, kind=kind.value, on=on, note=note, topics=topics, goal=goal)
        )

    @tool("Act on a nudge", WRITES)
    async def act_on_nudge(
        nudge_id: Annotated[
            str, Field(min_length=1, max_length=MAX_WORDS, description="The nudge's id, as list_nudges gives it.")
        ],
        action: Annotated[
            Literal["done", "snooze", "dismiss"],
            Field(
                description="done: the user did it (logs what it asked for: a thanks, a message, a session); "
                "snooze: hide it for a while; dismiss: drop it until the facts change."
            ),
        ],
        note: Note = None,
        snooze_for: Annotated[Span, Field(description="With snooze: for how long (default 1w).")] = "1w",
    ) -> CallToolResult:
        """Mark a nudge done, snooze it or dismiss it. Returns the nudge, and what done logged (or, for
        snooze, the day it comes back)."""
        return _answer(lambda: ask("act_on_nudge", nudge_id=nudge_id, action=action, note=note, snooze_for=snooze_for))

    @tool("Set a learning goal", WRITES)
    async def add_goal(
        title: Annotated[str, Field(min_length=1, max_length=MAX_WORDS, description="What the user wants to learn.")],
        by: Annotated[str | None, Field(max_length=MAX_WHEN, description="Target date (YYYY-MM-DD or words).")] = None,
        topics: Annotated[
            list[Label], Field(max_length=20, description="Topics it involves: people who know them can help.")
        ] = [],  # noqa: B006
        why: Annotated[str | None, Field(max_length=MAX_TEXT, description="Why it matters to the user.")] = None,
    ) -> CallToolResult:
        """Set a learning goal for the user: something they want to learn or achieve, with the topics it
        involves (people who know them can help, and netcli nudges the user when the goal stalls). Returns
        the goal (as list_goals gives it)."""
        return _answer(lambda: ask("add_goal", title=title, by=by, topics=topics, why=why))


def _resources(server: MCPServer, ask: Ask) -> None:
    @server.resource(
        "netcli://nudges/today",
        name="today's nudges",
        description="What to do for the network today, most important first (as list_nudges gives it).",
        mime_type="application/json",
    )
    def nudges_today() -> str:
        return _read(lambda: ask("list_nudges"))

    @server.resource(
        "netcli://people/{who}",
        name="a person's profile",
        description="One person's profile and recent history (as get_person gives it); WHO is a name, "
        "or the contact's id number.",
        mime_type="application/json",
    )
    def person(who: str) -> str:
        return _read(lambda: ask("get_person", who=f"#{who}" if who.isdigit() else who))


def _prompts(server: MCPServer, ask: Ask, *, read_only: bool) -> None:
    record = (
        "When I decide, record it with act_on_nudge (done, snooze or dismiss) or log_interaction."
        if not read_only
        else "netcli is read-only here: tell me what to record and I will do it myself."
    )

    @server.prompt(name="morning_review", title="Morning review", description="Go through today's nudges together.")
    def morning_review() -> list[UserMessage]:
        nudges = _prompt_data(lambda: ask("list_nudges"))
        return [
            UserMessage(
                "Let's do my morning review of my network. Here is what netcli says I should do today, most "
                f"important first (JSON):\n\n{nudges}\n\nGo through them with me one by one: say in a line who "
                "it is and why it matters now (from the reason), and suggest the smallest next step, such as a "
                f"short message I could send. {record} If there is nothing to do, say so briefly."
            )
        ]

    @server.prompt(
        name="prepare_meeting",
        title="Prepare for a meeting",
        description="Prepare for a meeting with someone: who they are, your history, what to ask or offer.",
    )
    def prepare_meeting(
        who: Annotated[str, Field(description="Whom you are meeting: a name, part of one, or #ID.")],
    ) -> list[UserMessage]:
        profile = _prompt_data(lambda: ask("get_person", who=who))
        mentor = ""
        with suppress(NetcliError):  # not a mentor: the profile says all there is
            mentor = "\n\nThey are my mentor; my prep sheet (JSON):\n\n" + render.to_json(
                ask("mentor_prep", who=who), pretty=False
            )
        return [
            UserMessage(
                f"I'm meeting {who} soon. Here is what netcli knows about them (JSON):\n\n{profile}{mentor}\n\n"
                "Prepare me in a few lines: who they are and how we know each other, what we last talked about, "
                "anything I owe them (thanks, a reply, help in return) or they owe me, open questions, goals of "
                "mine they could help with, and three things I could ask or offer."
            )
        ]


def _tool_registrar(server: MCPServer, *, read_only: bool = False) -> Callable[[str, ToolAnnotations], Any]:
    """`@tool(title, annotations)`: the function's name, docstring and signature make the tool. On a
    --read-only server a write is still listed (the model learns it cannot write), and refused."""

    def tool(title: str, annotations: ToolAnnotations) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            description = fn.__doc__ or ""
            if read_only:
                description = "Refused on this server, which runs read-only. " + description
            server.add_tool(
                fn,
                title=title,
                description=" ".join(description.split()),
                annotations=annotations,
                structured_output=False,
            )
            return fn

        return register

    return tool


def _answer(call: Callable[[], Any]) -> CallToolResult:
    """The tool's result: the document as compact JSON text and as structured content, and a sentence
    for the user where netcli has one (a place it linked). A netcli error is an error result whose text
    is the CLI's message, as it is (a `ToolError` would reach the model behind the SDK's own prefix);
    anything else is the SDK's to report as a crash, without its details."""
    try:
        document = call()
    except NetcliError as exc:
        return CallToolResult(content=[TextContent(type="text", text=exc.message)], is_error=True)
    said: list[str] = []
    if isinstance(document, tuple):
        document, sentence = document  # add_person: (the contact, what linking its place had to say)
        said = [sentence] if sentence else []
    text = render.to_json(document, pretty=False)
    structured = json.loads(text)
    return CallToolResult(
        content=[TextContent(type="text", text=text), *(TextContent(type="text", text=s) for s in said)],
        structured_content=structured if isinstance(structured, dict) else {"result": structured},
    )


def _read(call: Callable[[], Any]) -> str:
    """A resource's JSON text; a netcli error as a resource error carrying its message."""
    try:
        return render.to_json(call(), pretty=False)
    except NotFound as exc:
        raise ResourceNotFoundError(exc.message) from None
    except NetcliError as exc:
        raise ResourceError(exc.message) from None


def _prompt_data(call: Callable[[], Any]) -> str:
    """A prompt's JSON; a netcli error as a protocol error carrying its message."""
    try:
        return render.to_json(call(), pretty=False)
    except NetcliError as exc:
        raise MCPError(code=INVALID_PARAMS, message=exc.message) from None


def _value(choice: Enum | None) -> Any:
    return None if choice is None else choice.value
