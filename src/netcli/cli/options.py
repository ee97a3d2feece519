"""Option types shared by several commands (no heavy imports here)."""

from __future__ import annotations

from typing import Annotated

import typer

from netcli.vocab import Channel, Kind, Tier

JsonOut = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", metavar="WHEN", help="Evaluate as if today were WHEN."),
]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]

Email = Annotated[str | None, typer.Option("--email", help="Email address.")]
Phone = Annotated[str | None, typer.Option("--phone", help="Phone number.")]
Org = Annotated[str | None, typer.Option("--org", help="Organisation.")]
Role = Annotated[str | None, typer.Option("--role", help="Role or title.")]
Location = Annotated[str | None, typer.Option("--location", help="City or place.")]
Url = Annotated[str | None, typer.Option("--url", help="Profile page or handle.")]
Via = Annotated[Channel | None, typer.Option("--via", help="How you met.", case_sensitive=False)]
MetAt = Annotated[str | None, typer.Option("--met-at", help="The event or community where you met.")]
TierOpt = Annotated[Tier | None, typer.Option("--tier", help="Closeness, A (closest) to D.", case_sensitive=False)]
Note = Annotated[str | None, typer.Option("--note", help="Free text.")]
KindOpt = Annotated[Kind | None, typer.Option("--kind", help="What kind of exchange.", case_sensitive=False)]
