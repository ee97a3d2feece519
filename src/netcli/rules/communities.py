"""The rule about being active in communities: a community with a cadence
where the user has neither posted nor been to an event for longer than it."""

from __future__ import annotations

import datetime as dt

from netcli.rules.facts import CommunityFacts, Nudge, Words
from netcli.rules.people import ago
from netcli.rules.registry import Day, rule


@rule(
    name="community-quiet",
    brief="say hello in",
    subject="communities",
    style="cyan",
    about_contact=False,
    summary="""A community with a cadence (`community edit NAME --every 2w`) where you have neither posted (in a
    chat linked with `--chat`, read by `capture chat`) nor been to one of its events for longer than it: "Say
    hello in Rust Learners (Discord): you last took part 5 weeks ago." `done` records that you took part today,
    which restarts the community's clock.""",
)
def community_quiet(c: CommunityFacts, day: Day) -> Nudge | None:
    start = max(c.since, c.last) if c.last is not None else c.since
    quiet = (day.today - start).days
    if quiet <= c.every_days:
        return None

    def words() -> Words:
        where = f"{c.name} ({c.app})" if c.app else c.name
        if c.last is None:
            reason = f"you have not taken part since you meant to, every {c.every_days} days, from {c.since}"
        else:
            days = (day.today - c.last).days
            when = f"{days // 7} weeks ago" if days >= 14 else ago(days)
            reason = f"you last took part {when} ({c.last.isoformat()})"
        return (
            f"Say hello in {where}.",
            reason,
            {"community_id": c.id, "every_days": c.every_days, "last": c.last, "quiet_days": quiet},
        )

    return Nudge(
        rule="community-quiet",
        subject=c.id,
        cycle=start,
        contact=None,
        contact_id=None,
        due=start + dt.timedelta(days=c.every_days),
        priority=round(40.0 + min(quiet - c.every_days, 30), 1),
        words=words,
    )
