"""The rules, pure (facts in, nudges out) and together with the store's SQL."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcli import rules, store
from netcli.config import validate
from netcli.dates import month_end
from rule_facts import CONFIG, TODAY, ago, person


def fired(p, today=TODAY, config=CONFIG):
    return {n.rule: n for n in rules.evaluate(rules.Facts(people=[p]), today=today, config=config)}


def test_follow_up_window_and_due():
    met = person(last_contact=ago(3), last_met=ago(3))
    nudge = fired(met)["follow-up"]
    assert nudge.due == ago(1) and "3 days ago" in nudge.reason
    assert "reconnect" not in fired(met)
    assert "follow-up" in fired(person(last_contact=ago(14), last_met=ago(14)))
    assert "follow-up" not in fired(person(last_contact=ago(15), last_met=ago(15)))
    followed = person(last_contact=ago(1), last_met=ago(3), last_other=ago(1))
    assert "follow-up" not in fired(followed)


def rhythm_of(tier, days, config):
    return rules.Cadences(config).rhythm(tier, None, len(rules.contact_weeks(days)), rules.median_gap(days))


def test_median_gap_is_between_the_weeks_you_were_in_touch():
    # TODAY is a Saturday: ago(0) and ago(5) share a Monday-to-Sunday week
    assert rules.median_gap([ago(0), ago(7), ago(14), ago(28)]) == 7.0
    assert rules.median_gap([ago(0), ago(5), ago(14), ago(28)]) == 14.0
    assert rules.median_gap([ago(0), ago(1), ago(14), ago(14), ago(28)]) == 14.0
    assert rules.median_gap([ago(3)]) is None and rules.median_gap([ago(0), ago(5)]) is None
    assert len(rules.contact_weeks([ago(0), ago(5), ago(6), ago(7)])) == 2  # Sunday 6 days ago is the week before


def test_a_burst_of_same_week_exchanges_is_one_conversation():
    """Issue 16 #7: help, a thank-you the next day, a reply the same week made
    a tier-C person's "usual" gap a few days."""
    monday = date(2026, 11, 2)
    bursts = [monday - timedelta(weeks=w) + timedelta(days=d) for w in (0, 13, 26) for d in (0, 1, 3)]
    assert rhythm_of("C", bursts, CONFIG).source == "tier"  # three conversations: too few to learn from
    quarterly = bursts + [monday - timedelta(weeks=w) for w in (39, 52)]
    found = rhythm_of("C", quarterly, CONFIG)
    assert found.source == "learned" and found.median_gap == 91.0 and found.cadence_days == 90  # the tier's ceiling


def test_reconnect_uses_tier_own_and_learned_cadence():
    assert "reconnect" not in fired(person(tier="B", last_contact=ago(29)))
    nudge = fired(person(tier="B", last_contact=ago(30)))["reconnect"]
    assert nudge.due == TODAY and "tier B" in nudge.reason
    assert "reconnect" in fired(person(tier="C", own_cadence_days=10, last_contact=ago(10)))
    weekly = tuple(ago(27 + 7 * k) for k in range(6))  # weekly until 27 days ago
    learned = fired(person(tier="C", last_contact=ago(27), contact_week_count=6, median_gap=rules.median_gap(weekly)))[
        "reconnect"
    ]
    assert "every 11 days (learned: you usually talk every 7 days); it has been 27" in learned.reason
    assert learned.inputs["cadence_days"] == 11  # 1.5 x 7 = 10.5, rounded half up
    # the floor of 7 days and the tier's ceiling
    burst = tuple(ago(20 + k) for k in range(6))  # six days running, one conversation: too few to learn from
    assert rhythm_of("C", burst, CONFIG).source == "tier"
    daily = tuple(ago(k) for k in range(60))  # every day for two months: in touch every week
    assert rhythm_of("C", daily, CONFIG).cadence_days == 11
    assert rhythm_of("C", daily, validate({"rules": {"learned_factor": 0.5}})).cadence_days == 7  # 3.5: the floor
    sparse = tuple(ago(60 * k) for k in range(6))
    assert rhythm_of("A", sparse, CONFIG).cadence_days == 14
    off = validate({"rules": {"learned_rhythm": False}})
    assert rhythm_of("C", weekly, off).source == "tier"


def test_reconnect_priority_grows_with_overdue_and_closeness():
    a = fired(person(tier="A", last_contact=ago(20)))["reconnect"].priority
    a_later = fired(person(tier="A", last_contact=ago(30)))["reconnect"].priority
    d = fired(person(tier="D", last_contact=ago(186)))["reconnect"].priority
    assert a_later > a > d


def test_thank_and_its_clearing():
    owed = person(last_contact=ago(5), last_owed=ago(5), last_owed_kind="intro")
    nudge = fired(owed)["thank"]
    assert nudge.due == ago(3) and "introduction" in nudge.action
    assert "thank" not in fired(owed._replace(last_thanks=ago(5)))
    assert "thank" in fired(owed._replace(last_thanks=ago(6)))


def test_give_back_margin():
    assert "give-back" in fired(
        person(last_contact=ago(3), received_in_window=3, given_in_window=1, last_received=ago(3))
    )
    assert "give-back" not in fired(
        person(last_contact=ago(3), received_in_window=2, given_in_window=1, last_received=ago(3))
    )


def test_a_disabled_rule_never_fires():
    config = validate({"enabled": {"thank": False}})
    assert "thank" not in fired(
        person(last_contact=ago(5), last_owed=ago(5), last_owed_kind="help-received"), config=config
    )


def test_time_critical_rules_outrank_reconnect():
    people = [
        person(id=1, name="Old", tier="A", last_contact=ago(400)),
        person(id=2, name="Helper", last_contact=ago(1), last_owed=ago(1), last_owed_kind="help-received"),
        person(id=3, name="New", last_contact=ago(2), last_met=ago(2)),
    ]
    assert [n.rule for n in rules.evaluate(rules.Facts(people=people), today=TODAY, config=CONFIG)] == [
        "thank",
        "follow-up",
        "reconnect",
    ]


def test_snoozed_and_dismissed_are_hidden():
    nudges = rules.evaluate(rules.Facts(people=[person(tier="B", last_contact=ago(40))]), today=TODAY, config=CONFIG)
    nid = nudges[0].id
    assert rules.visible(nudges, {nid: rules.NudgeMark("dismissed", contact_id=1)}, today=TODAY) == []
    snoozed = {nid: rules.NudgeMark("snoozed", TODAY + timedelta(days=2), contact_id=1)}
    assert rules.visible(nudges, snoozed, today=TODAY) == []
    assert rules.visible(nudges, snoozed, today=TODAY + timedelta(days=2)) == nudges


def _nudge(i: int, priority: float, rule: str = "reconnect") -> rules.Nudge:
    return rules.Nudge(
        rule=rule,
        subject=i,
        cycle=TODAY,
        contact=f"P{i % 4}",
        contact_id=i,
        due=TODAY + timedelta(days=i % 3),
        priority=priority,
        words=lambda: ("", "", {}),
    )


@given(priorities=st.lists(st.sampled_from([10.0, 35.5, 40.0, 70.0, 80.0]), max_size=40), limit=st.integers(0, 45))
def test_order_with_a_limit_is_the_head_of_the_full_order(priorities, limit):
    nudges = [_nudge(i, p) for i, p in enumerate(priorities)]
    assert rules.order(nudges, limit=limit) == rules.order(nudges)[:limit]


@given(
    count=st.integers(0, 30),
    marked=st.dictionaries(st.integers(0, 29), st.sampled_from(["dismissed", "done", "snoozed"])),
    rule=st.sampled_from(["reconnect", "goal-stalled"]),
)
def test_visible_hides_exactly_the_marked(count, marked, rule):
    nudges = [_nudge(i, 50.0, rule) for i in range(count)]
    until = TODAY + timedelta(days=1)
    marks = {
        n.id: rules.NudgeMark(marked[n.subject], until if marked[n.subject] == "snoozed" else None, n.contact_id)
        for n in nudges
        if n.subject in marked
    }
    assert rules.visible(nudges, marks, today=TODAY) == [n for n in nudges if n.subject not in marked]
    assert rules.visible(nudges, marks, today=until) == [
        n for n in nudges if marked.get(n.subject, "snoozed") == "snoozed"
    ]


# ---- properties, through the real store's SQL on an in-memory database

KINDS = ["message", "call", "meeting", "help-given", "help-received", "thanks", "intro", "mentor-session", "collab"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from netcli.db import open_database, resolve

    engine = open_database(resolve(str(tmp_path_factory.mktemp("rules") / "rules.db")))
    yield engine
    engine.dispose()


history_st = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 400), st.sampled_from(KINDS)), max_size=25)
people_st = st.lists(
    st.tuples(st.sampled_from("ABCD"), st.one_of(st.none(), st.integers(7, 120)), st.integers(0, 500)),
    min_size=1,
    max_size=4,
)


def nudges_at(session, today):
    facts = store.person_facts(session, fields=rules.PersonFacts._fields, as_of=today, give_back_window_days=365)
    return rules.evaluate(rules.Facts(people=list(map(rules.PersonFacts._make, facts))), today=today, config=CONFIG)


def test_person_facts_come_by_name_in_the_order_asked(engine):
    """Facts are selected by name: any order, any subset; an unknown name is refused by name."""
    from sqlmodel import Session

    with Session(engine) as session:
        proposal = store.Proposal(name="Ana By-Name", tier="A", met_on=ago(30), topics=["rust"])
        ana = store.add_contact(session, proposal=proposal, today=TODAY, force=True)
        wanted = ("topics", "name", "id", "tier")
        rows = [
            r
            for r in store.person_facts(
                session, fields=wanted, as_of=TODAY, give_back_window_days=365, contact_ids=[ana.id]
            )
        ]
        assert [tuple(r) for r in rows] == [(("rust",), "Ana By-Name", ana.id, "A")]
        quiet = store.person_facts(
            session,
            fields=("id", "topics"),
            as_of=TODAY,
            give_back_window_days=365,
            contact_ids=[ana.id],
            with_topics=False,
        )
        assert [tuple(r) for r in quiet] == [(ana.id, None)]
        with pytest.raises(ValueError, match="'nickname'"):
            store.person_facts(session, fields=("id", "nickname"), as_of=TODAY, give_back_window_days=365)
        session.rollback()


def build(session, people, history):
    contacts = []
    for i, (tier, every, met) in enumerate(people):
        contacts.append(
            store.add_contact(
                session,
                proposal=store.Proposal(name=f"P{i}", tier=tier, cadence_days=every, met_on=ago(met)),
                today=TODAY,
                force=True,
            )
        )
    for who, days, kind in history:
        store.log_interaction(session, contacts=[contacts[who % len(contacts)]], kind=kind, on=ago(days), note=None)
    return contacts


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=people_st, history=history_st, step=st.integers(1, 400))
def test_nudge_properties(engine, people, history, step):
    from sqlmodel import Session

    with Session(engine) as session:
        build(session, people, history)
        now = nudges_at(session, TODAY)
        # nobody contacted within their cadence is flagged by reconnect
        for n in now:
            if n.rule == "reconnect":
                assert n.inputs["days_since"] >= n.inputs["cadence_days"]
        # the same facts give the same nudges, ids and order
        assert [(n.id, n.priority) for n in nudges_at(session, TODAY)] == [(n.id, n.priority) for n in now]
        # a later as-of never removes a sticky nudge without a new interaction
        later = {n.id for n in nudges_at(session, TODAY + timedelta(days=step))}
        sticky = {n.id for n in now if n.rule in ("thank", "reconnect")}
        assert sticky <= later
        # logging what a nudge asks for clears it
        by_id = {c.id: c for c in store.contacts_by_ids(session, ids=[n.contact_id for n in now])}
        for n in now:
            kind = {"thank": "thanks", "reconnect": "message", "follow-up": "message"}.get(n.rule)
            if kind:
                store.log_interaction(session, contacts=[by_id[n.contact_id]], kind=kind, on=TODAY, note=None)
                assert n.id not in {m.id for m in nudges_at(session, TODAY)}
        session.rollback()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=people_st, history=history_st)
def test_archived_people_are_never_nudged(engine, people, history):
    from sqlmodel import Session

    with Session(engine) as session:
        contacts = build(session, people, history)
        for c in contacts:
            store.update_contact(session, contact=c, proposal=store.Proposal(archived=True))
        assert nudges_at(session, TODAY) == []
        session.rollback()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=people_st, history=history_st)
def test_sql_median_gap_matches_the_pure_one(engine, people, history):
    from sqlmodel import Session

    with Session(engine) as session:
        contacts = build(session, people, history)
        facts = {
            cid: (found["day_count"], found["median_gap"])
            for cid, found in store.live_stats(session, as_of=TODAY).items()
            if found["median_gap"] is not None
        }
        for i, contact in enumerate(contacts):
            days = [ago(people[i][2])] + [ago(d) for who, d, _ in history if who % len(contacts) == i]
            expected = rules.median_gap(days)
            if expected is None:
                assert contact.id not in facts
            else:
                assert facts[contact.id] == (len(rules.contact_weeks(days)), expected)
        session.rollback()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=people_st, history=history_st, data=st.data())
def test_stored_statistics_stay_equal_to_live_ones(engine, people, history, data):
    from sqlalchemy import delete, select
    from sqlmodel import Session

    from netcli.models import Contact, ContactStats, Interaction
    from netcli.store.stats import STAT_KEYS

    def same() -> None:
        table = ContactStats.__table__
        rows = session.connection().execute(select(table.c.contact_id, *(table.c[key] for key in STAT_KEYS)))
        stored = {cid: dict(zip(STAT_KEYS, values, strict=True)) for cid, *values in rows}
        assert stored == store.live_stats(session, as_of=TODAY)

    with Session(engine) as session:
        session.info["netcli_write"] = True  # as the CLI's write sessions
        contacts = build(session, people, history)
        session.commit()
        same()
        interactions = session.exec(select(Interaction.id)).scalars().all()
        if interactions:
            store.delete_interaction(session, interaction_id=data.draw(st.sampled_from(interactions)))
            session.commit()
            same()
        if len(contacts) >= 2:
            store.merge_contacts(session, keep=contacts[0], other=contacts[1])
            session.commit()
            same()
        store.delete_contact(session, contact=contacts[-1])
        session.commit()
        same()
        session.exec(delete(Interaction))
        session.exec(delete(Contact))
        session.commit()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=people_st, history=history_st, months_back=st.integers(0, 17))
def test_a_months_people_are_counted_from_the_log(engine, people, history, months_back):
    """The report's people and busiest five for any month, from the stored
    statistics (after a commit) or the live ones (before it), are what a walk
    over every participant gives."""
    from dateutil.relativedelta import relativedelta
    from sqlalchemy import delete, select
    from sqlmodel import Session

    from netcli.dates import month_end
    from netcli.models import Contact, Interaction, Participant

    first = TODAY.replace(day=1) - relativedelta(months=months_back)
    end = min(month_end(first), TODAY)

    def expected() -> tuple[int, list[dict]]:
        counts: dict[tuple[str, str], int] = {}
        rows = session.exec(
            select(Contact.name_key, Contact.name, Interaction.date)
            .join(Participant, Participant.contact_id == Contact.id)
            .join(Interaction, Interaction.id == Participant.interaction_id)
        ).all()
        for key, name, day in rows:
            if first <= day <= end:
                counts[key, name] = counts.get((key, name), 0) + 1
        top = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))[:5]
        return len(counts), [{"name": name, "interactions": n} for (_, name), n in top]

    with Session(engine) as session:
        session.info["netcli_write"] = True
        build(session, people, history)
        for _ in ("live", "stored"):
            found = store.month_facts(session, start=first, end=end)
            assert (found["people"], found["top_contacts"]) == expected()
            session.commit()
        session.exec(delete(Interaction))
        session.exec(delete(Contact))
        session.commit()


@given(
    tier=st.sampled_from("ABCDX"),
    own=st.one_of(st.none(), st.integers(1, 400)),
    days=st.integers(1, 60),
    gap=st.one_of(st.none(), st.floats(0.5, 400)),
    learned=st.booleans(),
    factor=st.floats(0.1, 5),
    floor=st.integers(1, 60),
)
def test_a_rhythm_is_its_formula_within_its_bounds(tier, own, days, gap, learned, factor, floor):
    config = validate({"rules": {"learned_rhythm": learned, "learned_factor": factor, "learned_floor_days": floor}})
    cadences = rules.Cadences(config)
    found = cadences.rhythm(tier, own, days, gap).cadence_days
    shortest, longest = cadences.bounds(tier, own)
    assert shortest <= found <= longest
    tier_days = config.tier_cadence(tier)
    if own:
        assert found == own
    elif learned and gap is not None and days >= config.rule("learned_min_days"):
        # factor x median gap rounded half up, kept between the floor and the tier's cadence
        assert found == max(min(floor, tier_days), min(math.floor(factor * gap + 0.5), tier_days))
    else:
        assert found == tier_days


@given(
    people=st.lists(
        st.tuples(
            st.sampled_from("ABCD"),
            st.one_of(st.none(), st.integers(1, 200)),
            st.integers(0, 400),
            st.integers(1, 30),
            st.floats(1, 60),
        ),
        max_size=12,
    ),
    months_back=st.integers(0, 6),
    length=st.integers(0, 30),
)
def test_went_quiet_is_everyone_silent_all_month_and_newly_overdue(people, months_back, length):
    """Nothing with them in the month, overdue by its end, and either due in it
    or in touch in the month before (overdue before it began, but this is their
    first whole month of silence)."""
    facts = [
        person(
            id=i,
            name=f"P{i}",
            tier=t,
            own_cadence_days=own,
            last_contact=ago(silent),
            contact_week_count=days,
            median_gap=gap,
        )
        for i, (t, own, silent, days, gap) in enumerate(people)
    ]
    start = TODAY.replace(day=1) - relativedelta(months=months_back)
    end = min(start + timedelta(days=length), month_end(start))
    before = start - relativedelta(months=1)
    cadences = rules.Cadences(CONFIG)

    def due(p):
        return rules.next_due(
            p.last_contact, cadences.rhythm(p.tier, p.own_cadence_days, p.contact_week_count, p.median_gap).cadence_days
        )

    expected = [
        p.name
        for p in sorted(facts, key=lambda p: (p.tier, p.name.casefold()))  # closest tiers first
        if p.last_contact < start and due(p) <= end and (due(p) >= start or p.last_contact >= before)
    ]
    assert rules.went_quiet(facts, start=start, end=end, config=CONFIG) == expected


def test_went_quiet_never_names_someone_in_touch_that_month():
    """Ana, on a 14-day rhythm, last heard from on 15 September, was due on the
    29th: September had her in it, so she went quiet in October, once."""
    ana = person(tier="A", last_contact=date(2026, 9, 15), contact_week_count=5, median_gap=9.0)
    quiet = {
        m: rules.went_quiet([ana], start=date(2026, m, 1), end=month_end(date(2026, m, 1)), config=CONFIG)
        for m in (9, 10, 11)
    }
    assert quiet == {9: [], 10: ["Ana"], 11: []}


@given(
    tier=st.sampled_from("ABCD"),
    own=st.one_of(st.none(), st.integers(1, 200)),
    last=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 11, 28)),
    days=st.integers(1, 30),
    gap=st.floats(1, 60),
)
def test_a_silence_is_named_in_one_month_only(tier, own, last, days, gap):
    """Month after month with no new contact, someone goes quiet exactly once:
    in the first month that has nothing with them and ends with them overdue."""
    p = person(tier=tier, own_cadence_days=own, last_contact=last, contact_week_count=days, median_gap=gap)
    cadence = rules.Cadences(CONFIG).rhythm(tier, own, days, gap).cadence_days
    months = [last.replace(day=1) + relativedelta(months=k) for k in range(12)]
    named = [m for m in months if rules.went_quiet([p], start=m, end=month_end(m), config=CONFIG)]
    if last + timedelta(days=cadence) <= month_end(months[-1]):
        assert len(named) == 1 and named[0] > last
        assert last + timedelta(days=cadence) <= month_end(named[0])
    else:
        assert named == []


days_st = st.lists(st.integers(0, 800), min_size=1, max_size=30)


@given(days=days_st, tier=st.sampled_from("ABCD"), pick=st.integers(0, 29), offset=st.integers(0, 6))
def test_a_same_week_exchange_never_shortens_the_rhythm(days, tier, pick, offset):
    history = [ago(d) for d in days]
    chosen = history[pick % len(history)]
    monday = chosen - timedelta(days=chosen.weekday())
    more = [*history, monday + timedelta(days=offset)]  # another exchange in the same week
    before, after = rhythm_of(tier, history, CONFIG), rhythm_of(tier, more, CONFIG)
    assert after.cadence_days >= before.cadence_days
    shortest, longest = rules.Cadences(CONFIG).bounds(tier, None)
    assert shortest <= after.cadence_days <= longest
    if after.source == "learned":  # a week between conversations at least: never the floor of 7 days
        assert after.cadence_days >= min(11, longest)


def test_an_active_mentor_goes_quiet_by_their_sessions_not_their_tier():
    mia = person(id=7, name="Mia", tier="A", last_contact=ago(20))
    mentor = rules.MentorFacts(
        contact_id=7,
        name="Mia",
        status="active",
        archived=False,
        own_cadence_days=21,
        started_on=ago(100),
        ended_on=None,
        last_session=ago(20),
        open_questions=0,
    )
    # tier A's 14 days ran out 6 days ago; her next session is due tomorrow
    assert rules.went_quiet([mia], start=ago(10), end=TODAY, config=CONFIG) == ["Mia"]
    assert rules.went_quiet([mia], start=ago(10), end=TODAY, config=CONFIG, mentors=[mentor]) == []
    assert rules.went_quiet([mia], start=ago(10), end=TODAY + timedelta(days=1), config=CONFIG, mentors=[mentor]) == [
        "Mia"
    ]
