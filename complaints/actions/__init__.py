"""Every write the ticket domain allows, split by topic; import them from here.

- ``intake``: filing, email confirmation, "me too", citizen's extra information.
- ``dispatch``: routing, forwarding, escalation, closing after the window.
- ``handling``: the department's work on a ticket (verify, reply, assign, resolve, reject, merge, reopen).
- ``closing``: the citizen closes the loop (confirm, reopen, rate, switch emails off).
- ``plan_updates``: telling followers how the city's plan answers their tickets.
"""

from .closing import *  # noqa: F403
from .deadlines import *  # noqa: F403
from .dispatch import *  # noqa: F403
from .handling import *  # noqa: F403
from .intake import *  # noqa: F403
from .plan_updates import *  # noqa: F403
