"""A believable sample learning network, dated around a given `today`, and
`load_demo`, which stores it.

The records are plain data (people and interactions with day offsets);
`load_demo` writes them through `store`'s public functions, imported when it
runs. Deterministic for a given `today`, so the README's output can be
reproduced.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcli.models import Contact, Goal


@dataclass(frozen=True)
class DemoPerson:
    name: str
    via: str
    met_at: str | None
    met_days_ago: int
    tier: str = "C"
    org: str | None = None
    role: str | None = None
    location: str | None = None
    email: str | None = None
    url: str | None = None
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    introduced_by: str | None = None
    every_days: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class DemoInteraction:
    days_ago: int
    kind: str
    people: tuple[str, ...]
    note: str | None = None
    topics: tuple[str, ...] = field(default_factory=tuple)
    goal: str | None = None  # the title of the learning goal it served


P = DemoPerson
# A table, one person per two lines in DemoPerson's field order: kept by hand (fmt: skip),
# since one field a line would make it four hundred lines nobody can scan.
PEOPLE = (
    P("Ana Lima", "event", "RustConf Lisbon", 240, "A", "Ferrous Labs", "Embedded engineer", "Lisbon",
      "ana@ferrous.example", None, ("rust", "embedded"), ("speaker",), note="Gave the talk on no_std drivers."),
    P("Bo Chen", "course", "Distributed Systems MOOC", 200, "B", "Kestrel", "SRE", "Toronto",
      "bo.chen@kestrel.example", None, ("distributed systems", "sre"), ("study-group",)),
    P("Chidi Okafor", "community", "Data Science Nigeria", 320, "B", "Paystack", "Data scientist", "Lagos",
      None, "@chidi_ds", ("machine learning", "statistics"), ("ml",)),
    P("Dana Novak", "mentoring", "ADPList", 300, "A", "Figma", "Staff designer", "Prague",
      "dana@novak.example", None, ("design systems", "career"), ("mentor",)),
    P("Elif Yilmaz", "forum", "Rust Users Forum", 150, "C", None, "Compiler hobbyist", "Istanbul",
      None, "users.rust-lang.org/u/elif", ("rust", "compilers"), ()),
    P("Farid Haddad", "project", "Billing migration", 400, "B", "Acme Corp", "Product manager", "Berlin",
      "farid@acme.example", None, ("product", "pricing"), ("work",)),
    P("Grace Kim", "association", "ACM Women", 500, "C", "ACM", "Chapter chair", "Seoul",
      None, None, ("community building",), ("association",)),
    P("Hugo Martin", "shadowing", "Acme SRE team", 120, "C", "Acme Corp", "Senior SRE", "Paris",
      "hugo@acme.example", None, ("incident response", "sre"), ("work",), introduced_by="Farid Haddad"),
    P("Ines Duarte", "virtual-event", "Data Council Online", 90, "C", "Tinybird", "Analytics engineer", "Madrid",
      None, None, ("sql", "analytics"), ()),
    P("Jamal Wright", "social", "Rust Discord", 60, "C", None, "Game developer", "Atlanta",
      None, "@jamal.wright", ("rust", "game dev"), ()),
    P("Keiko Sato", "intro", None, 45, "B", "Mercari", "ML engineer", "Tokyo",
      "keiko@mercari.example", None, ("machine learning", "mlops"), (), introduced_by="Chidi Okafor"),
    P("Liam O'Brien", "work", "Acme Corp", 700, "B", "Acme Corp", "Engineering manager", "Dublin",
      "liam@acme.example", None, ("leadership", "hiring"), ("work",), every_days=21),
    P("Maya Patel", "event", "PyData London", 30, "C", "Ocado", "Data engineer", "London",
      None, None, ("python", "data engineering"), ("speaker",)),
    P("Nikolai Ivanov", "forum", "Hacker News", 260, "D", None, "Database researcher", "Sofia",
      None, None, ("databases",), ()),
    P("Olivia Brown", "course", "Distributed Systems MOOC", 200, "C", None, "Student", "Melbourne",
      None, None, ("distributed systems",), ("study-group",)),
    P("Pedro Alves", "community", "Lisbon Rust Meetup", 180, "C", "Unbabel", "Backend engineer", "Lisbon",
      None, None, ("rust", "nlp"), (), introduced_by="Ana Lima"),
    P("Quinn Taylor", "event", "PyData London", 3, "C", "Monzo", "Data scientist", "London",
      "quinn@monzo.example", None, ("python", "causal inference"), ()),
    P("Rosa Jimenez", "social", "LinkedIn Data group", 380, "D", "BBVA", "Risk analyst", "Madrid",
      None, None, ("statistics",), ()),
    P("Sam Okoro", "mentoring", "Rust Mentorship Programme", 100, "B", None, "Junior developer", "Nairobi",
      None, None, ("rust",), ("mentee",)),
    P("Tara Singh", "virtual-event", "SREcon Virtual", 8, "C", "Shopify", "Production engineer", "Toronto",
      None, None, ("sre", "observability"), ()),
    P("Uma Reddy", "association", "IEEE Computer Society", 600, "D", "IEEE", "Volunteer", "Hyderabad",
      None, None, ("standards",), ("association",)),
    P("Victor Hugo Santos", "project", "Open-source docs sprint", 75, "C", None, "Technical writer", "Porto",
      None, "github.com/vhsantos", ("documentation",), ("oss",)),
    P("Wen Li", "course", "fast.ai Practical Deep Learning", 140, "C", None, "Researcher", "Shanghai",
      None, None, ("deep learning",), ("study-group",)),
    P("Xavier Dubois", "event", "RustConf Lisbon", 240, "C", "Mozilla", "Developer advocate", "Lyon",
      None, None, ("rust", "webassembly"), ("speaker",)),
    P("Yara Haddad", "intro", None, 20, "C", "Careem", "Engineering lead", "Dubai",
      None, None, ("leadership", "mobile"), (), introduced_by="Farid Haddad"),
    P("Zoe Fischer", "community", "Write the Docs", 110, "C", "Stripe", "Docs engineer", "Munich",
      None, None, ("documentation", "api design"), ()),
    P("Aisha Bello", "shadowing", "Acme data team", 35, "C", "Acme Corp", "Analytics lead", "Abuja",
      None, None, ("analytics", "sql"), ("work",)),
    P("Ben Carter", "forum", "Stack Overflow", 420, "D", None, "Python expert", "Austin",
      None, None, ("python",), ()),
    P("Carmen Ruiz", "event", "Lisbon Rust Meetup", 12, "C", None, "Embedded hobbyist", "Lisbon",
      None, None, ("rust", "embedded"), ()),
    P("Dev Sharma", "other", "Coworking space", 150, "D", None, "Indie hacker", "Lisbon",
      None, None, ("startups",), ()),
)  # fmt: skip

I = DemoInteraction  # noqa: E741  (the table's row marker, like P above; no l or 1 in the rows to mistake it for)
# A table, one interaction per row: kept by hand (fmt: skip).
STORY = (
    # Ana: close, regular calls; recently a bit quiet
    I(200, "call", ("Ana Lima",), "Talked through her embedded Rust talk", ("rust", "embedded")),
    I(150, "collab", ("Ana Lima", "Pedro Alves"), "Paired on a probe-rs patch", ("rust",)),
    I(60, "help-received", ("Ana Lima",), "Reviewed my HAL crate design", ("rust", "embedded"),
      "Give a talk on embedded Rust"),
    I(58, "thanks", ("Ana Lima",), "Thank-you note for the review"),
    I(30, "message", ("Ana Lima",), "Shared slides from my meetup talk"),
    # Bo: weekly study-group rhythm that broke five weeks ago
    *(I(d, "meeting", ("Bo Chen", "Olivia Brown") if d % 14 == 0 else ("Bo Chen",), "Study group: DDIA chapter",
        ("distributed systems",))
      for d in range(126, 34, -7)),
    # Chidi: helped me three times, I have not returned the favour
    I(200, "help-received", ("Chidi Okafor",), "Explained Bayesian A/B testing", ("statistics",)),
    I(198, "thanks", ("Chidi Okafor",)),
    I(120, "help-received", ("Chidi Okafor",), "Reviewed my Kaggle notebook", ("machine learning",)),
    I(118, "thanks", ("Chidi Okafor",)),
    I(46, "intro", ("Chidi Okafor",), "Chidi introduced me to Keiko for MLOps questions"),
    I(40, "help-received", ("Chidi Okafor",), "Sent me his feature store notes", ("mlops",), "Learn MLOps basics"),
    # Dana: mentor, monthly sessions
    I(270, "mentor-session", ("Dana Novak",), "Career ladder, IC vs manager", ("career",)),
    I(240, "thanks", ("Dana Novak",)),
    I(210, "mentor-session", ("Dana Novak",), "Portfolio review", ("design systems",)),
    I(208, "thanks", ("Dana Novak",)),
    I(180, "mentor-session", ("Dana Novak",), "Negotiation practice", ("career",)),
    I(150, "mentor-session", ("Dana Novak",), "Leading without authority", ("career",)),
    I(149, "thanks", ("Dana Novak",)),
    I(120, "mentor-session", ("Dana Novak",), "Writing a design doc", ("career",)),
    I(90, "mentor-session", ("Dana Novak",), "Promotion packet", ("career",)),
    I(89, "thanks", ("Dana Novak",)),
    I(28, "mentor-session", ("Dana Novak",), "Planning my first conference talk", ("career",),
      "Give a talk on embedded Rust"),
    I(27, "thanks", ("Dana Novak",)),
    # Farid and Liam: work relationships
    I(100, "collab", ("Farid Haddad", "Liam O'Brien"), "Billing migration retro", ("product",)),
    I(60, "meeting", ("Farid Haddad",), "Pricing experiment review", ("pricing",)),
    I(21, "intro", ("Farid Haddad",), "Farid introduced me to Yara"),
    I(19, "thanks", ("Farid Haddad",), "Thanked him for the intro to Yara"),
    I(32, "mentor-session", ("Liam O'Brien",), "Career check-in: scope and visibility", ("leadership",)),
    I(31, "thanks", ("Liam O'Brien",)),
    I(26, "meeting", ("Liam O'Brien",), "Hiring loop calibration", ("hiring",)),
    # Hugo: job shadowing, he helped; I gave back
    I(118, "event", ("Hugo Martin",), "Shadowed an on-call week", ("incident response",)),
    I(90, "help-received", ("Hugo Martin",), "Walked me through a postmortem", ("sre",),
      "Get comfortable with on-call"),
    I(88, "thanks", ("Hugo Martin",)),
    I(70, "help-given", ("Hugo Martin",), "Reviewed his runbook docs", ("documentation",)),
    # recent help with no thank-you yet
    I(2, "help-received", ("Maya Patel",), "Sent me her Airflow DAG templates", ("data engineering",)),
    I(25, "message", ("Maya Patel",), "Followed up after PyData"),
    I(10, "help-given", ("Sam Okoro",), "Explained lifetimes with a whiteboard", ("rust",)),
    I(40, "help-given", ("Sam Okoro",), "Reviewed his first PR", ("rust",)),
    I(6, "call", ("Tara Singh",), "Chatted about SLO tooling", ("observability",)),
    I(15, "message", ("Yara Haddad",), "Said hello after Farid's intro"),
    I(70, "collab", ("Victor Hugo Santos", "Zoe Fischer"), "Docs sprint: API reference", ("documentation",)),
    I(33, "meeting", ("Aisha Bello",), "Shadowed her dashboard review", ("analytics",)),
    I(12, "message", ("Keiko Sato",), "Asked about model monitoring", ("mlops",)),
    I(80, "message", ("Ines Duarte",), "Shared a dbt macro", ("sql",)),
    I(100, "message", ("Elif Yilmaz",), "Discussed her parser combinator post", ("compilers",)),
    I(50, "message", ("Jamal Wright",), "Bevy ECS questions", ("game dev",)),
    I(200, "message", ("Xavier Dubois",), "WASM component model links", ("webassembly",)),
    I(95, "message", ("Wen Li",), "Compared notes on lesson 4", ("deep learning",)),
)  # fmt: skip


@dataclass(frozen=True)
class DemoCommunity:
    name: str
    kind: str
    url: str | None = None


@dataclass(frozen=True)
class DemoEvent:
    name: str
    days_from_today: int  # negative: in the past
    kind: str
    community: str | None = None
    online: bool = False


@dataclass(frozen=True)
class DemoMentor:
    name: str
    every_days: int | None
    status: str
    started_days_ago: int | None
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoGoal:
    title: str
    started_days_ago: int
    by_days_from_today: int | None
    topics: tuple[str, ...]
    why: str
    linked: tuple[str, ...] = ()
    progress: tuple[tuple[int, int | None, str], ...] = ()  # (days ago, percent, note)


COMMUNITIES = (
    DemoCommunity("Lisbon Rust Meetup", "community", "https://meetup.example/lisbon-rust"),
    DemoCommunity("Rust Users Forum", "forum", "https://users.rust-lang.example"),
    DemoCommunity("Distributed Systems MOOC", "course"),
    DemoCommunity("Data Science Nigeria", "community"),
    DemoCommunity("ACM Women", "association"),
    DemoCommunity("Acme Corp", "workplace"),
    DemoCommunity("Write the Docs", "community", "https://writethedocs.example"),
)
EVENTS = (
    DemoEvent("RustConf Lisbon", -240, "conference", "Lisbon Rust Meetup"),
    DemoEvent("PyData London", -30, "conference"),
    DemoEvent("Lisbon Rust Meetup #42", -12, "meetup", "Lisbon Rust Meetup"),
    DemoEvent("SREcon Virtual", -8, "conference", None, True),
    DemoEvent("Lisbon Rust Meetup #43", 4, "meetup", "Lisbon Rust Meetup"),
    DemoEvent("Docs as Code webinar", 20, "webinar", "Write the Docs", True),
)
MENTORS = (
    DemoMentor("Dana Novak", 28, "active", 280),
    DemoMentor("Liam O'Brien", 42, "active", 60, ("How do I ask for a staff-level scope?",)),
    DemoMentor("Grace Kim", None, "prospect", None),
)
# A table, one goal per row group (title, days, target, topics, why, helpers, progress): kept by hand (fmt: skip).
GOALS = (
    DemoGoal("Give a talk on embedded Rust", 90, 150, ("rust", "embedded"), "share what I learned with the meetup",
             ("Ana Lima", "Dana Novak"), ((60, 20, "Picked the topic with Ana"), (28, 40, "Outline reviewed by Dana"),
                                          (5, 55, "Demo board works"))),
    DemoGoal("Learn MLOps basics", 70, None, ("mlops", "machine learning"), "to ship my models myself",
             (), ((45, 10, "Read the feature store notes"),)),
    DemoGoal("Get comfortable with on-call", 160, None, ("sre", "incident response"), "new team rotation",
             ("Hugo Martin",), ((118, 30, "Shadowed an on-call week"), (88, 100, "First solo shift went fine"))),
)  # fmt: skip


def people() -> tuple[DemoPerson, ...]:
    return PEOPLE


def interactions(today: dt.date) -> list[DemoInteraction]:
    """The story above plus a light, seeded background of ordinary messages."""
    rng = random.Random(today.toordinal())
    extra: list[DemoInteraction] = []
    quiet = {"Bo Chen", "Olivia Brown", "Quinn Taylor", "Carmen Ruiz", "Maya Patel", "Tara Singh"}
    for person in PEOPLE:
        if person.name in quiet or person.tier == "D" or person.met_days_ago < 60:
            continue
        for _ in range(rng.randint(0, 2)):
            day = rng.randint(45, person.met_days_ago - 1)
            kind = rng.choice(("message", "message", "call", "meeting"))
            extra.append(I(day, kind, (person.name,), None))
    return sorted((*STORY, *extra), key=lambda i: -i.days_ago)


def load_demo(session: Session, *, today: dt.date) -> int:
    """Store the demo network in `session`; returns how many people it added."""
    from netcli import store
    from netcli.names import name_key

    def day(offset: int) -> dt.date:
        return today + dt.timedelta(days=offset)

    # with --force the sample may meet its own communities and events again
    known = store.communities_by_key(session)
    communities = {
        c.name: known.get(name_key(c.name)) or store.add_community(session, name=c.name, kind=c.kind, url=c.url)
        for c in COMMUNITIES
    }
    events = store.event_keys(session)
    for e in EVENTS:
        if (name_key(e.name), day(e.days_from_today)) not in events:
            store.add_event(
                session,
                name=e.name,
                on=day(e.days_from_today),
                kind=e.kind,
                online=e.online,
                community=communities.get(e.community) if e.community else None,
            )
    by_name: dict[str, Contact] = {}
    for person in people():
        met_on = day(-person.met_days_ago)
        event, community = store.match_place(session, text=person.met_at, on=met_on)
        introducer = by_name.get(person.introduced_by) if person.introduced_by else None
        proposal = store.propose(
            {
                "name": person.name,
                "met_on": met_on,
                "tier": person.tier,
                "via": person.via,
                "met_at": person.met_at,
                "introduced_by_id": introducer.id if introducer else None,
                "cadence_days": person.every_days,
                "note": person.note,
                "tags": person.tags,
                "topics": person.topics,
                "met_event_id": event.id if event else None,
                "met_community_id": community.id if community else None,
                "email": person.email,
                "org": person.org,
                "role": person.role,
                "location": person.location,
                "url": person.url,
            }
        )
        by_name[person.name] = store.add_contact(session, proposal=proposal, today=today, force=True)
    for m in MENTORS:
        contact = by_name[m.name]
        store.add_mentor(
            session,
            contact=contact,
            cadence_days=m.every_days,
            prospect=m.status == "prospect",
            topics=(),
            today=day(-(m.started_days_ago or 0)),
        )
        for question in m.questions:
            store.ask_mentor(session, contact=contact, text=question, today=day(-3))
    goals: dict[str, Goal] = {}
    for g in GOALS:
        goal = store.add_goal(
            session,
            title=g.title,
            topics=g.topics,
            why=g.why,
            today=day(-g.started_days_ago),
            target_on=day(g.by_days_from_today) if g.by_days_from_today else None,
        )
        store.link_goal(session, goal=goal, contacts=[by_name[n] for n in g.linked])
        for days_ago, percent, note in g.progress:
            store.add_progress(session, goal=goal, note=note, percent=percent, on=day(-days_ago))
        goals[g.title] = goal
    for item in interactions(today):
        interaction = store.log_interaction(
            session,
            contacts=[by_name[name] for name in item.people],
            kind=item.kind,
            on=day(-item.days_ago),
            note=item.note,
            topics=item.topics,
        )
        if item.goal:
            assert interaction.id is not None
            store.attach_goal(session, interaction_id=interaction.id, goal=goals[item.goal])
    done = goals.get("Get comfortable with on-call")
    if done is not None:
        store.set_goal_status(session, goal=done, status="done", today=day(-88))
    return len(by_name)
