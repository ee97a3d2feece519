"""The rules: facts in, nudges out. Pure.

Nothing here touches the database, the clock, the terminal or the network:
every function takes the facts gathered by `store`, the `today` the CLI
resolved once, and the user's settings.

- `facts`: what the rules read (`Facts`, `PersonFacts`, …) and make (`Nudge`).
- `cadence`: the cadence in force per person and when it falls due.
- `registry`: `@rule`, `RULES`, and `fire` / `order` / `visible`.
- `people`, `learning`, `birthday`, `mail`: the rules themselves, one function and
  one `@rule` declaration each. A new rule's code goes in one of these (or a
  new module imported below) and no other source file; the README's rules
  table and a `tests/test_done.py` scenario describe it (tests ask for both).
- `quiet`: who went quiet in a month (the report).
"""

# the rules register themselves when their modules are imported, in the order they are listed and fired
from netcli.rules import people, learning, birthday, mail  # noqa: F401, I001
from netcli.rules.birthday import birth_year as birth_year
from netcli.rules.birthday import birthday_in as birthday_in
from netcli.rules.cadence import SETTINGS as CADENCE_SETTINGS  # noqa: F401  (re-exported under this name: config reads it)
from netcli.rules.cadence import Cadences as Cadences
from netcli.rules.cadence import Rhythm as Rhythm
from netcli.rules.cadence import contact_weeks as contact_weeks
from netcli.rules.cadence import median_gap as median_gap
from netcli.rules.cadence import mentor_cadence as mentor_cadence
from netcli.rules.cadence import mentor_due as mentor_due
from netcli.rules.cadence import next_due as next_due
from netcli.rules.cadence import status as status
from netcli.rules.facts import BirthdayFacts as BirthdayFacts
from netcli.rules.facts import EventFacts as EventFacts
from netcli.rules.facts import Facts as Facts
from netcli.rules.facts import GoalFacts as GoalFacts
from netcli.rules.facts import MentorFacts as MentorFacts
from netcli.rules.facts import Nudge as Nudge
from netcli.rules.facts import NudgeMark as NudgeMark
from netcli.rules.facts import PersonFacts as PersonFacts
from netcli.rules.facts import ReplyFacts as ReplyFacts
from netcli.rules.facts import Settings as Settings
from netcli.rules.facts import nudge_id as nudge_id
from netcli.rules.quiet import went_quiet as went_quiet
from netcli.rules.registry import RULES as RULES
from netcli.rules.registry import brief_words as brief_words
from netcli.rules.registry import Day as Day
from netcli.rules.registry import Rule as Rule
from netcli.rules.registry import evaluate as evaluate
from netcli.rules.registry import fire as fire
from netcli.rules.registry import order as order
from netcli.rules.registry import rule as rule
from netcli.rules.registry import rule_settings as rule_settings
from netcli.rules.registry import visible as visible
