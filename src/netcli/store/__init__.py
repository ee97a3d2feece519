"""Every query netcli runs, as keyword-only functions taking a `session`.

The modules, each importing only those above it in this list:
`rows` (shared row pieces) and `clean` (one cleaner per field); `bulk`
(bulk inserts); `emails` (a contact's several addresses and numbers);
`interactions`; `resolve` (the one resolver: people by #ID, name, email,
phone, URL; places and goals by #ID and name); `proposal` (what a source
says of a person, cleaned); `met_at` (where you met, linked to its event
or community); `meetings` (the `met` and `intro` that follow met_on and
the introducer); `contacts` (the one contact writer: add, change by
policy, delete); `merge`; `stats` (per-person
statistics); `listing` (reading contacts); `places` (communities, events);
`goals`; `facts` (every fact the rules read); `mentors`; `nudge_state`;
`exports`, `bulk`, `imports` and `backup` (data in and out); `months`
(the reflection's numbers); `search`. No rules (see `netcli.rules`), no
rendering, no CLI. Callers use the names re-exported here, each imported
when first used: a command loads only the modules it needs. (`search` is
imported from its module of the same name, which would otherwise shadow
it.)
"""

# ruff: noqa: F401  (the imports below are for the type checker: __all__ is built from _HOME)
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlmodel import Session

if TYPE_CHECKING:  # what the type checker reads (tests/test_house.py holds it to _HOME); at run time, `__getattr__`
    from netcli.names import name_key
    from netcli.store.backup import DERIVED_TABLES, is_empty, iter_tables, merge_backup, restore_tables, same_tables
    from netcli.store.bulk import allocate_ids, bulk_load
    from netcli.store.check import SHOWN_STORED_PROBLEMS, stored_problems
    from netcli.store.clean import (
        MAX_FIELD,
        MAX_LABEL,
        MAX_NAME,
        MAX_NOTE,
        PROFILE_FIELDS,
        clean_labels,
        clean_name,
        clean_text,
    )
    from netcli.store.contacts import Written, add_contact, add_contacts, delete_contact, update_contact
    from netcli.store.emails import EMAILS, PHONES, emails_of, holder_of, listed_of, phones_of
    from netcli.store.exports import iter_history, shared_name_labels
    from netcli.store.facts import birthday_facts, event_facts, goal_facts, mentor_facts, person_facts, reply_facts
    from netcli.store.goals import (
        add_goal,
        add_progress,
        attach_goal,
        find_goal,
        goal_dicts,
        goal_helpers,
        goal_interactions,
        goals_of_contact,
        link_goal,
        people_by_ids,
        set_goal_status,
        topic_experts,
    )
    from netcli.store.imports import import_contacts, import_interactions
    from netcli.store.interactions import delete_interaction, interaction_dicts, iter_interactions, log_interaction
    from netcli.store.listing import contact_count, contacts_by_ids, introduced_names, iter_contacts
    from netcli.store.meetings import MEETING
    from netcli.store.mentors import (
        add_mentor,
        ask_mentor,
        get_mentor,
        last_session_note,
        meet_mentor,
        mentorship_of,
        open_questions,
        set_mentor_status,
    )
    from netcli.store.merge import check_mergeable, merge_contacts
    from netcli.store.months import goal_progress_between, interaction_count, month_facts
    from netcli.store.nudge_state import nudge_states, set_nudge_state
    from netcli.store.places import (
        add_community,
        add_event,
        communities_by_key,
        community_detail,
        community_dicts,
        delete_community,
        delete_event,
        event_detail,
        event_dict,
        event_dicts,
        event_keys,
        event_row,
        find_community,
        find_event,
        join_community,
        match_place,
        names_exactly,
        near_places,
        place_message,
        update_community,
        update_event,
    )
    from netcli.store.proposal import CLEAR, Policy, Proposal, list_edits, propose
    from netcli.store.resolve import People, find_contact
    from netcli.store.stats import help_select, live_stats, refresh_stats, stats_source

# name -> the module it lives in
_HOME = {
    "name_key": "netcli.names",
    "DERIVED_TABLES": "netcli.store.backup",
    "is_empty": "netcli.store.backup",
    "iter_tables": "netcli.store.backup",
    "merge_backup": "netcli.store.backup",
    "restore_tables": "netcli.store.backup",
    "same_tables": "netcli.store.backup",
    "allocate_ids": "netcli.store.bulk",
    "bulk_load": "netcli.store.bulk",
    "SHOWN_STORED_PROBLEMS": "netcli.store.check",
    "stored_problems": "netcli.store.check",
    "MAX_FIELD": "netcli.store.clean",
    "MAX_LABEL": "netcli.store.clean",
    "MAX_NAME": "netcli.store.clean",
    "MAX_NOTE": "netcli.store.clean",
    "PROFILE_FIELDS": "netcli.store.clean",
    "clean_labels": "netcli.store.clean",
    "clean_name": "netcli.store.clean",
    "clean_text": "netcli.store.clean",
    "MEETING": "netcli.store.meetings",
    "Written": "netcli.store.contacts",
    "add_contact": "netcli.store.contacts",
    "add_contacts": "netcli.store.contacts",
    "delete_contact": "netcli.store.contacts",
    "update_contact": "netcli.store.contacts",
    "EMAILS": "netcli.store.emails",
    "PHONES": "netcli.store.emails",
    "emails_of": "netcli.store.emails",
    "holder_of": "netcli.store.emails",
    "listed_of": "netcli.store.emails",
    "phones_of": "netcli.store.emails",
    "iter_history": "netcli.store.exports",
    "shared_name_labels": "netcli.store.exports",
    "birthday_facts": "netcli.store.facts",
    "event_facts": "netcli.store.facts",
    "goal_facts": "netcli.store.facts",
    "mentor_facts": "netcli.store.facts",
    "person_facts": "netcli.store.facts",
    "reply_facts": "netcli.store.facts",
    "add_goal": "netcli.store.goals",
    "add_progress": "netcli.store.goals",
    "attach_goal": "netcli.store.goals",
    "find_goal": "netcli.store.goals",
    "goal_dicts": "netcli.store.goals",
    "goal_helpers": "netcli.store.goals",
    "goal_interactions": "netcli.store.goals",
    "goals_of_contact": "netcli.store.goals",
    "link_goal": "netcli.store.goals",
    "people_by_ids": "netcli.store.goals",
    "set_goal_status": "netcli.store.goals",
    "topic_experts": "netcli.store.goals",
    "import_contacts": "netcli.store.imports",
    "import_interactions": "netcli.store.imports",
    "delete_interaction": "netcli.store.interactions",
    "interaction_dicts": "netcli.store.interactions",
    "iter_interactions": "netcli.store.interactions",
    "log_interaction": "netcli.store.interactions",
    "contact_count": "netcli.store.listing",
    "contacts_by_ids": "netcli.store.listing",
    "introduced_names": "netcli.store.listing",
    "iter_contacts": "netcli.store.listing",
    "add_mentor": "netcli.store.mentors",
    "ask_mentor": "netcli.store.mentors",
    "get_mentor": "netcli.store.mentors",
    "last_session_note": "netcli.store.mentors",
    "meet_mentor": "netcli.store.mentors",
    "mentorship_of": "netcli.store.mentors",
    "open_questions": "netcli.store.mentors",
    "set_mentor_status": "netcli.store.mentors",
    "check_mergeable": "netcli.store.merge",
    "merge_contacts": "netcli.store.merge",
    "goal_progress_between": "netcli.store.months",
    "interaction_count": "netcli.store.months",
    "month_facts": "netcli.store.months",
    "nudge_states": "netcli.store.nudge_state",
    "set_nudge_state": "netcli.store.nudge_state",
    "add_community": "netcli.store.places",
    "add_event": "netcli.store.places",
    "communities_by_key": "netcli.store.places",
    "community_detail": "netcli.store.places",
    "community_dicts": "netcli.store.places",
    "delete_community": "netcli.store.places",
    "delete_event": "netcli.store.places",
    "event_detail": "netcli.store.places",
    "event_dict": "netcli.store.places",
    "event_dicts": "netcli.store.places",
    "event_keys": "netcli.store.places",
    "event_row": "netcli.store.places",
    "find_community": "netcli.store.places",
    "find_event": "netcli.store.places",
    "join_community": "netcli.store.places",
    "match_place": "netcli.store.places",
    "names_exactly": "netcli.store.places",
    "near_places": "netcli.store.places",
    "place_message": "netcli.store.places",
    "update_community": "netcli.store.places",
    "update_event": "netcli.store.places",
    "CLEAR": "netcli.store.proposal",
    "Policy": "netcli.store.proposal",
    "Proposal": "netcli.store.proposal",
    "list_edits": "netcli.store.proposal",
    "propose": "netcli.store.proposal",
    "People": "netcli.store.resolve",
    "find_contact": "netcli.store.resolve",
    "help_select": "netcli.store.stats",
    "live_stats": "netcli.store.stats",
    "refresh_stats": "netcli.store.stats",
    "stats_source": "netcli.store.stats",
}
__all__ = list(_HOME)


@event.listens_for(Session, "before_commit")
def _refresh_before_commit(session: Session) -> None:
    """Write sessions leave no dirty statistics behind. Registered with the
    package, not with `stats`, so that it holds whichever store modules a
    command happens to load."""
    if session.info.get("netcli_write"):
        from netcli.store.stats import refresh_stats

        refresh_stats(session)


def __getattr__(name: str) -> Any:
    """A re-exported name, imported from its module the first time it is used."""
    if name not in _HOME:
        raise AttributeError(f"module 'netcli.store' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def load_all() -> None:
    """Import every store module now (a long-lived server, before its first call)."""
    for module in dict.fromkeys(_HOME.values()):
        importlib.import_module(module)
