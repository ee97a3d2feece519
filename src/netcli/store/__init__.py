"""Every query netcli runs, as keyword-only functions taking a `session`.

`people` holds contacts and interactions, `learning` mentors, goals,
communities and events. No rules (see `rules.py`), no rendering, no CLI.
"""

from netcli.store.people import *  # noqa: F401,F403
from netcli.store.people import _as_date, _labels  # noqa: F401
from netcli.store.learning import *  # noqa: F401,F403
from netcli.store.months import *  # noqa: F401,F403,E402
from netcli.store.transfer import *  # noqa: F401,F403,E402
from netcli.store.transfer import ImportProblem  # noqa: F401,E402
from netcli.store.search import search  # noqa: F401,E402
from netcli.store.stats import help_select, live_stats, refresh_stats, stats_source  # noqa: F401,E402
