"""The personal follow link of a reporter without an account, and the grant it leaves in their session.

A citizen who files without an account has no login to prove that a report is theirs: the emails we send them
carry a signed link instead. Opening it stores a *reporter grant* (ticket id → the reporter's email) in the session;
``complaints.queries`` and ``complaints.workflow`` read the grant to treat its holder as that ticket's reporter,
exactly as a signed-in reporter is treated (see ``queries.is_reporter``). The grant lasts as long as the session (two
weeks, Django's default), unless its holder presses "Forget this browser" on the report's page (``forget``).

The signature's salt names the ticket and its reporter's address, so a token cannot be forged, moved to another
ticket, or kept working after the address on the ticket changed. Each email carries a freshly signed link valid
for ``FOLLOW_LINK_MAX_AGE``: longer than any ticket stays open (SLA + closing window), and later emails (a plan
update about a closed ticket) bring a new one.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Ticket

FOLLOW_SALT = "complaints.follow"
FOLLOW_LINK_MAX_AGE = dt.timedelta(days=365)
SESSION_KEY = "complaints_reporter_grants"
# A browser shared by a family may follow a few reports; more than this and the oldest grant is dropped.
MAX_GRANTS = 20
# Where ``with_grants`` puts the session's grants on the request's user for the queries and the workflow to read.
USER_ATTRIBUTE = "reporter_grants"


def _salt(ticket: Ticket) -> str:
    return f"{FOLLOW_SALT}:{ticket.pk}:{ticket.reporter_email.lower()}"


def has_follow_link(ticket: Ticket) -> bool:
    """Reporters with an account follow by logging in; only a guest reporter with an address gets the link."""
    return ticket.reporter_id is None and bool(ticket.reporter_email)


def follow_url(ticket: Ticket) -> str:
    """The absolute personal follow link for the ticket's guest reporter (for emails to that address only)."""
    token = signing.dumps(ticket.reference, salt=_salt(ticket))
    path = reverse("complaints:follow", args=[ticket.reference, token])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def token_is_valid(ticket: Ticket, token: str) -> bool:
    if not has_follow_link(ticket):
        return False
    try:
        reference = signing.loads(token, salt=_salt(ticket), max_age=FOLLOW_LINK_MAX_AGE)
    except signing.BadSignature:  # forged, for another ticket or address, or expired
        return False
    return reference == ticket.reference


def remember(session, ticket: Ticket) -> None:
    """Store the reporter grant for ``ticket`` (its link was checked, or its confirmation link was just used)."""
    grants = {key: email for key, email in session.get(SESSION_KEY, {}).items() if key != str(ticket.pk)}
    grants[str(ticket.pk)] = ticket.reporter_email.lower()
    session[SESSION_KEY] = dict(list(grants.items())[-MAX_GRANTS:])


def forget(session) -> bool:
    """ "Forget this browser": drop every reporter grant the session holds (a shared phone, an internet café), not
    only the report's where the button was pressed: whoever pressed it wants the browser to open none of their
    reports any more. The personal links in their emails still work. Whether there was anything to forget."""
    return session.pop(SESSION_KEY, None) is not None


def grants_in(session) -> dict[int, str]:
    """The session's reporter grants: ticket id → the reporter's address it was granted for."""
    return {int(key): email for key, email in session.get(SESSION_KEY, {}).items() if key.isdigit()}


def with_grants(request):
    """The request's user (signed in or not), carrying the session's reporter grants for queries and actions."""
    user = request.user
    setattr(user, USER_ATTRIBUTE, grants_in(request.session))
    return user
