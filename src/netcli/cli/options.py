"""Option types shared by several commands (no heavy imports here)."""

from __future__ import annotations

from typing import Annotated

import typer

from netcli.cli import complete
from netcli.cli.values import cleaned_by
from netcli.vocab import Channel, Kind, Tier

JsonOut = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", metavar="WHEN", help="Evaluate as if today were WHEN."),
]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
Who = Annotated[
    str,
    typer.Argument(metavar="WHO", help="Name, unique part of a name, or #ID.", autocompletion=complete.contact_names),
]
Edit = Annotated[bool, typer.Option("--edit", help="Write the note in $EDITOR.")]

Emails = Annotated[
    list[str] | None,
    typer.Option(
        "--email", callback=cleaned_by("email"), help="Email address (repeatable; the first is the main one)."
    ),
]
# edit: --email replaces the first address, as it replaced the one email before contacts held several
FirstEmails = Annotated[
    list[str] | None,
    typer.Option(
        "--email",
        callback=cleaned_by("email"),
        help="Replace the first email (repeatable: these take its place, in order).",
    ),
]
AddEmail = Annotated[
    list[str] | None,
    typer.Option(
        "--add-email", callback=cleaned_by("email"), metavar="ADDR", help="Add an email after the others (repeatable)."
    ),
]
RemoveEmail = Annotated[
    list[str] | None,
    typer.Option(
        "--remove-email", callback=cleaned_by("email"), metavar="ADDR", help="Remove this email (repeatable)."
    ),
]
Tags = Annotated[list[str] | None, typer.Option("--tag", callback=cleaned_by("tag"), help="A tag (repeatable).")]
Topics = Annotated[
    list[str] | None,
    typer.Option("--topic", callback=cleaned_by("topic"), help="What they know or care about (repeatable)."),
]
AddTag = Annotated[
    list[str] | None, typer.Option("--add-tag", callback=cleaned_by("tag"), help="Add a tag (repeatable).")
]
RemoveTag = Annotated[
    list[str] | None, typer.Option("--remove-tag", callback=cleaned_by("tag"), help="Remove a tag (repeatable).")
]
AddTopic = Annotated[
    list[str] | None, typer.Option("--add-topic", callback=cleaned_by("topic"), help="Add a topic (repeatable).")
]
RemoveTopic = Annotated[
    list[str] | None, typer.Option("--remove-topic", callback=cleaned_by("topic"), help="Remove a topic (repeatable).")
]
Phones = Annotated[
    list[str] | None,
    typer.Option("--phone", callback=cleaned_by("phone"), help="Phone number (repeatable; the first is the main one)."),
]
FirstPhones = Annotated[
    list[str] | None,
    typer.Option(
        "--phone",
        callback=cleaned_by("phone"),
        help="Replace the first phone number (repeatable: these take its place, in order).",
    ),
]
AddPhone = Annotated[
    list[str] | None,
    typer.Option(
        "--add-phone", callback=cleaned_by("phone"), metavar="NUMBER", help="Add a phone number after the others."
    ),
]
RemovePhone = Annotated[
    list[str] | None,
    typer.Option(
        "--remove-phone", callback=cleaned_by("phone"), metavar="NUMBER", help="Remove this phone number (repeatable)."
    ),
]
Handles = Annotated[
    list[str] | None,
    typer.Option(
        "--handle",
        metavar="KIND:VALUE",
        help="A chat identity, e.g. telegram:@ana, whatsapp:+491701234567, slack:T0123/U0456 (repeatable).",
    ),
]
AddHandles = Annotated[
    list[str] | None,
    typer.Option("--handle", metavar="KIND:VALUE", help="Add a chat identity, e.g. telegram:@ana (repeatable)."),
]
RemoveHandle = Annotated[
    list[str] | None,
    typer.Option("--remove-handle", metavar="KIND:VALUE", help="Remove this chat identity (repeatable)."),
]
Org = Annotated[str | None, typer.Option("--org", callback=cleaned_by("org"), help="Organisation.")]
Role = Annotated[str | None, typer.Option("--role", callback=cleaned_by("role"), help="Role or title.")]
Location = Annotated[str | None, typer.Option("--location", callback=cleaned_by("location"), help="City or place.")]
Url = Annotated[str | None, typer.Option("--url", callback=cleaned_by("url"), help="Profile page or handle.")]
Via = Annotated[Channel | None, typer.Option("--via", help="How you met.", case_sensitive=False)]
MetAt = Annotated[
    str | None, typer.Option("--met-at", callback=cleaned_by("met_at"), help="The event or community where you met.")
]
TierOpt = Annotated[Tier | None, typer.Option("--tier", help="Closeness, A (closest) to D.", case_sensitive=False)]
Note = Annotated[str | None, typer.Option("--note", callback=cleaned_by("note"), help="Free text.")]
KindOpt = Annotated[Kind | None, typer.Option("--kind", help="What kind of exchange.", case_sensitive=False)]
LogKind = Annotated[
    Kind | None, typer.Option("--kind", help="What kind of exchange (default message).", case_sensitive=False)
]
