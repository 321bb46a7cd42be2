"""Telling the citizen who sent a community proposal (usulan) what became of it.

One email per decision: each review level's recommendation or decline, and the acceptance into the plan, through
the portal's outgoing mail (``complaints.notifications.queue_email``: written in the decision's transaction, sent
after commit, resent by the sweep, never twice thanks to its key), in the language of the proposer's account.
Proposals that staff entered (Musrenbang results, a department's own, complaint evidence) email nobody: their
proposer is the one recording them, and the citizens of their linked reports hear through the reports
(``complaints.actions.plan_updates``).
"""

from __future__ import annotations

from django.urls import reverse

from complaints.models import Notification
from complaints.notifications import queue_email
from smartcity.site_links import absolute_url

from .models import Proposal

# What the email says happened (``templates/email/proposal_update.txt`` words each one).
RECOMMENDED = "recommended"
DECLINED = "declined"
ACCEPTED = "accepted"


def tell_proposer(proposal: Proposal, *, stage: str, level: str = "", reason: str = "", activity=None):
    """Queue the email telling a community proposal's proposer that ``level`` recommended or declined it (with the
    ``reason`` given), or that it was accepted as ``activity``. Nothing for another source, nor for a proposer who
    has no address any more (account deleted). Returns the notification, or None."""
    if proposal.source != Proposal.Source.COMMUNITY or proposal.proposer_id is None:
        return None
    proposer = proposal.proposer
    if not proposer.email:
        return None
    context = {
        "stage": stage,
        "level": level,
        "reason": reason,
        "title": proposal.title,
        "fiscal_year": proposal.fiscal_year.year,
        "url": absolute_url(reverse("planning:my_proposals") + f"#usulan-{proposal.pk}"),
        "public_url": absolute_url(reverse("planning:public_proposal", args=[proposal.pk])),
    }
    if activity is not None:
        context.update(
            activity=activity.name,
            activity_url=absolute_url(reverse("planning:public_activity", args=[activity.pk])),
        )
    return queue_email(
        key=f"proposal_update:{proposal.pk}:{stage}:{level}:{proposer.email.lower()}",
        email=proposer.email,
        recipient=proposer,
        language=proposer.language,
        template=Notification.Template.PROPOSAL_UPDATE,
        context=context,
    )
