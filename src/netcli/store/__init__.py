"""Every query netcli runs, as keyword-only functions taking a `session`.

The modules, each importing only those above it in this list:
`rows` (shared row pieces) and `clean` (one cleaner per field); `bulk`
(bulk inserts); `emails` (a contact's several addresses and numbers);
`interactions`; `resolve` (the one resolver: people by #ID, name, email,
phone, URL; places and goals by #ID and name); `proposal` (what a source
says of a person, cleaned); `contacts` (the one contact writer: add,
change by policy, delete); `merge`; `stats` (per-person
statistics); `listing` (reading contacts); `places` (communities, events);
`goals`; `facts` (every fact the rules read); `mentors`; `nudge_state`;
`exports`, `bulk`, `imports` and `backup` (data in and out); `months`
(the reflection's numbers); `search`. No rules (see `netcli.rules`), no
rendering, no CLI. Callers use the names re-exported here.
"""

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
from netcli.store.imports import ImportProblem, import_contacts, import_interactions
from netcli.store.interactions import delete_interaction, interaction_dicts, iter_interactions, log_interaction
from netcli.store.listing import contact_count, contacts_by_ids, introduced_names, iter_contacts
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
from netcli.store.search import search
from netcli.store.stats import help_select, live_stats, refresh_stats, stats_source

__all__ = [
    "CLEAR",
    "DERIVED_TABLES",
    "EMAILS",
    "MAX_FIELD",
    "MAX_LABEL",
    "MAX_NAME",
    "MAX_NOTE",
    "PHONES",
    "PROFILE_FIELDS",
    "SHOWN_STORED_PROBLEMS",
    "ImportProblem",
    "People",
    "Policy",
    "Proposal",
    "Written",
    "add_community",
    "add_contact",
    "add_contacts",
    "add_event",
    "add_goal",
    "add_mentor",
    "add_progress",
    "allocate_ids",
    "ask_mentor",
    "attach_goal",
    "birthday_facts",
    "bulk_load",
    "check_mergeable",
    "clean_labels",
    "clean_name",
    "clean_text",
    "communities_by_key",
    "community_detail",
    "community_dicts",
    "contact_count",
    "contacts_by_ids",
    "delete_community",
    "delete_contact",
    "delete_event",
    "delete_interaction",
    "emails_of",
    "event_detail",
    "event_dict",
    "event_dicts",
    "event_facts",
    "event_keys",
    "event_row",
    "find_community",
    "find_contact",
    "find_event",
    "find_goal",
    "get_mentor",
    "goal_dicts",
    "goal_facts",
    "goal_helpers",
    "goal_interactions",
    "goal_progress_between",
    "goals_of_contact",
    "help_select",
    "holder_of",
    "import_contacts",
    "import_interactions",
    "interaction_count",
    "interaction_dicts",
    "introduced_names",
    "is_empty",
    "iter_contacts",
    "iter_history",
    "iter_interactions",
    "iter_tables",
    "join_community",
    "last_session_note",
    "link_goal",
    "list_edits",
    "listed_of",
    "live_stats",
    "log_interaction",
    "match_place",
    "meet_mentor",
    "mentor_facts",
    "mentorship_of",
    "merge_backup",
    "merge_contacts",
    "month_facts",
    "name_key",
    "names_exactly",
    "near_places",
    "nudge_states",
    "open_questions",
    "people_by_ids",
    "person_facts",
    "phones_of",
    "place_message",
    "propose",
    "refresh_stats",
    "reply_facts",
    "restore_tables",
    "same_tables",
    "search",
    "set_goal_status",
    "set_mentor_status",
    "set_nudge_state",
    "shared_name_labels",
    "stats_source",
    "stored_problems",
    "topic_experts",
    "update_community",
    "update_contact",
    "update_event",
]
