"""The rule about a contact's new job: congratulate them."""

from __future__ import annotations

from netcli.rules.facts import JobFacts, Nudge, Words
from netcli.rules.people import ago
from netcli.rules.registry import Day, rule
from netcli.wording import job_words


@rule(
    name="congratulate",
    brief="congratulate",
    subject="jobs",
    style="green",
    settings={"congratulate_window": 30},
    limits={"congratulate_window": (365, "days a new job stays worth congratulating")},
    done_logs="message",
    summary="""A contact's company or position changed (seen by `capture linkedin` or `import linkedin`; what you
    typed stays, the new one is a conflict unless `--prefer file`): "Congratulate Lena Schmidt on the new role:
    Staff ML Engineer at Zalando." It lapses after 30 days (`rules.congratulate_window`, at most 365); `done` logs a
    `message`.""",
)
def congratulate(j: JobFacts, day: Day) -> Nudge | None:
    waited = (day.today - j.seen_on).days
    window = day.setting("congratulate_window")
    if waited < 0 or waited > window:
        return None
    new = job_words(j.org, j.role)

    def words() -> Words:
        before = job_words(j.org_before, j.role_before)
        held = job_words(j.org_held, j.role_held)
        kept = "" if held in (new, "?") else f"; netcli still has {held} (netcli edit takes the new one)"
        return (
            f"Congratulate {j.name} on the new role: {new}.",
            f"seen {ago(waited)} ({j.seen_on.isoformat()}); before: {before}{kept}",
            {
                "seen_on": j.seen_on,
                "org": j.org,
                "role": j.role,
                "org_before": j.org_before,
                "role_before": j.role_before,
                "window_days": window,
            },
        )

    return Nudge(
        rule="congratulate",
        subject=j.contact_id,
        cycle=j.seen_on,
        contact=j.name,
        contact_id=j.contact_id,
        due=j.seen_on,
        priority=round(65.0 - min(waited, 30) / 3, 1),
        words=words,
    )
