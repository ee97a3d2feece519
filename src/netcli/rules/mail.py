"""The rule about captured mail and direct chats: a reply owed."""

from __future__ import annotations

import datetime as dt

from netcli.rules.facts import Nudge, ReplyFacts, Words
from netcli.rules.people import ago
from netcli.rules.registry import Day, rule


@rule(
    name="reply-owed",
    brief="reply to",
    subject="replies",
    style="yellow",
    settings={"reply_after": 2, "reply_window": 30},
    limits={"reply_after": (365, "days before a reply is owed"), "reply_window": (365, "days a reply stays owed")},
    done_logs="message",
    summary="""Someone wrote to you (mail read by `capture mail`, not a contact only copied in; a direct chat read
    by `capture chat`) and nothing went back: no message of yours in that thread or chat since, no other
    interaction with them since. After 2 days (`rules.reply_after`, at most 365): `Reply to Dana Wu about
    "Workshop slides".`, `Reply to Dana Wu on WhatsApp.` It lapses after 30 days (`rules.reply_window`, at most 365);
    `done` logs a `message`.""",
)
def reply_owed(r: ReplyFacts, day: Day) -> Nudge | None:
    waited = (day.today - r.received_on).days
    after, window = day.setting("reply_after"), day.setting("reply_window")
    if waited < after or waited > window:
        return None

    def words() -> Words:
        about = f" on {r.app}" if r.app else f' about "{r.subject}"' if r.subject else ""
        return (
            f"Reply to {r.name}{about}.",
            f"{r.name} wrote{about if r.app else ''} {ago(waited)} ({r.received_on.isoformat()}) "
            "and nothing has gone back since",
            {"received_on": r.received_on, "subject": r.subject, "days_waiting": waited, "window_days": window}
            | ({"app": r.app} if r.app else {}),
        )

    return Nudge(
        rule="reply-owed",
        subject=r.contact_id,
        cycle=r.received_on,
        contact=r.name,
        contact_id=r.contact_id,
        due=r.received_on + dt.timedelta(days=after),
        priority=round(72.0 + min(waited - after, 8), 1),
        words=words,
    )
