"""The community proposals a citizen sent, as their personal-data download holds them (UU 27/2022 PDP Pasal 7 and
13): ``complaints.personal_data.export`` reads them here, planning being the app that owns proposals.

What the citizen wrote and what "My proposals" shows them: the text, the group and whether it is shown, the cost,
when it was sent (WITA), where its review stands (the page's own words) and each level's decision and date, and their
photos' file names. Never a reviewer's name, nor a recommending level's note (staff's); a declining level's reason is
the one "My proposals" and the email already gave them.

Deleting the account keeps the proposals, part of the public planning record: ``Proposal.proposer`` is set to null
with it (``on_delete=SET_NULL``) and nothing else on a proposal names the person (the group's name is the group's).
"""

from __future__ import annotations

import posixpath

from django.urls import reverse
from django.utils import timezone

from smartcity.site_links import absolute_url

from .actions.community import proposals_of
from .models import Proposal, ProposalReview, ReviewLevel
from .public_views import my_standing

__all__ = ["proposals_sent"]


def _when(moment) -> str | None:
    """A time in WITA with its offset, as the rest of the download gives it."""
    return timezone.localtime(moment).isoformat() if moment else None


def _review(review: ProposalReview) -> dict:
    return {
        "level": review.level,
        "level_label": str(ReviewLevel(review.level).label),
        "decision": review.decision,
        "decision_label": str(review.get_decision_display()),
        "at": _when(review.created_at),
    }


def _proposal(proposal: Proposal) -> dict:
    standing = my_standing(proposal)  # reads the prefetched reviews
    area = proposal.area
    return {
        "title": proposal.title,
        "problem": proposal.problem,
        "fiscal_year": proposal.fiscal_year.year,
        "kelurahan": area.name,
        "kecamatan": area.parent.name if area.parent_id else None,
        "service": proposal.service.name if proposal.service_id else None,
        "department": proposal.department.name,
        "group_name": proposal.group_name,
        "show_group_name": proposal.show_group_name,
        "estimated_cost_rupiah": int(proposal.estimated_cost),
        "sent_at": _when(proposal.created_at),
        "status": proposal.status,
        "status_label": str(proposal.get_status_display()),
        "review_standing": str(standing["words"]),
        "reason_given": standing["reason"] or None,
        "reviews": [_review(review) for review in proposal.public_reviews],
        "activity": (
            {
                "name": proposal.activity.name,
                "url": absolute_url(reverse("planning:public_activity", args=[proposal.activity.pk])),
            }
            if standing["activity"] is not None
            else None
        ),
        "public_url": absolute_url(reverse("planning:public_proposal", args=[proposal.pk])),
        "photos": [
            posixpath.basename(photo.image.name)
            for photo in sorted(proposal.photos.all(), key=lambda p: (p.created_at, p.pk))
        ],
    }


def proposals_sent(user) -> list[dict]:
    """The community proposals ``user`` sent, oldest first like the download's reports (JSON-ready). Labels in the
    active language; codes (status, level, decision) as stored."""
    proposals = sorted(proposals_of(user), key=lambda proposal: (proposal.created_at, proposal.pk))
    return [_proposal(proposal) for proposal in proposals]
