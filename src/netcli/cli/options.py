"""Option types shared by several commands (no heavy imports here)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from netcli.vocab import Channel, Kind, Tier

JsonOut = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
AsOf = Annotated[
    Optional[str],
    typer.Option("--as-of", metavar="WHEN", help="Evaluate as if today were WHEN."),
]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]

Email = Annotated[Optional[str], typer.Option("--email", help="Email address.")]
Phone = Annotated[Optional[str], typer.Option("--phone", help="Phone number.")]
Org = Annotated[Optional[str], typer.Option("--org", help="Organisation.")]
Role = Annotated[Optional[str], typer.Option("--role", help="Role or title.")]
Location = Annotated[Optional[str], typer.Option("--location", help="City or place.")]
Url = Annotated[Optional[str], typer.Option("--url", help="Profile page or handle.")]
Via = Annotated[Optional[Channel], typer.Option("--via", help="How you met.", case_sensitive=False)]
MetAt = Annotated[Optional[str], typer.Option("--met-at", help="The event or community where you met.")]
TierOpt = Annotated[Optional[Tier], typer.Option("--tier", help="Closeness, A (closest) to D.", case_sensitive=False)]
Note = Annotated[Optional[str], typer.Option("--note", help="Free text.")]
KindOpt = Annotated[Optional[Kind], typer.Option("--kind", help="What kind of exchange.", case_sensitive=False)]
