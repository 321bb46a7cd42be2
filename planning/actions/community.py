"""Community proposals: a citizen sends an usulan online while the Musrenbang of the coming fiscal year runs.

It enters the same review chain as every proposal (kelurahan → kecamatan → department → Bappeda), with the source
``Proposal.Source.COMMUNITY``; its proposer follows it on "My proposals" and by email (``planning.mail``).
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from complaints import photos as photo_files
from complaints import ratelimit
from services.models import Area, Department
from services.rules import department_for

from .. import queries
from ..models import FiscalYear, Proposal, ProposalPhoto
from .base import _money, clean_photo
from .proposals import check_year_open

# Proposals one account may send per day ("3/d"): a neighbourhood sends a few, not a stream.
DEFAULT_RATE = "3/d"


def community_year(on=None) -> FiscalYear | None:
    """The fiscal year citizens may send proposals to now: the one whose Musrenbang runs today
    (``queries.musrenbang_fiscal_year``, the year ``queries.proposal_year`` names then), unless it is over. None
    outside the Musrenbang: then proposals go through the forums and the departments only."""
    return open_to_community(queries.musrenbang_fiscal_year(on), on)


def open_to_community(running: FiscalYear | None, on=None) -> FiscalYear | None:
    """``community_year`` for a page that has read ``running``, the year whose Musrenbang runs today
    (``queries.musrenbang_fiscal_year``): the public proposals page reads it once for its default year as well."""
    if running is None or running.is_over(on or queries.today()):
        return None
    return running


def community_window(open_year: FiscalYear | None):
    """(``open_year``, the year open to community proposals or None, what to say when none is): the closed
    message, which reads when the next window opens, only outside the Musrenbang."""
    return open_year, "" if open_year is not None else closed_message()


def next_community_year(on=None) -> FiscalYear | None:
    """The next fiscal year whose Musrenbang has not started yet (the next window), if it is set up."""
    on = on or queries.today()
    return FiscalYear.objects.filter(musrenbang_start__gt=on).order_by("musrenbang_start").first()


def closed_message(on=None) -> str:
    """What the page says when no Musrenbang runs: when the next window opens, if the city has set it."""
    upcoming = next_community_year(on)
    if upcoming is None:
        return _(
            "Proposals are sent online while the Musrenbang runs. The next Musrenbang has not been scheduled yet: "
            "its dates appear on this page once the city sets them."
        )
    return _(
        "Proposals are sent online while the Musrenbang runs. For fiscal year %(year)s you can send one from "
        "%(start)s to %(end)s."
    ) % {
        "year": upcoming.year,
        "start": date_format(upcoming.musrenbang_start),
        "end": date_format(upcoming.musrenbang_end),
    }


def department_for_proposal(*, service, area: Area) -> Department:
    """The department that reviews a community proposal: the one the routing sends ``service``'s reports at
    ``area`` to (its rules, else the service's default department), else, with no service or no active
    department for it, the city's triage desk, which places reports the routing cannot: its head reviews at the
    department level and Bappeda decides."""
    if service is not None:
        department, _rule = department_for(service=service, area=area)
        if department is not None:
            return department
    desk = Department.objects.filter(is_triage=True, active=True).order_by("pk").first()
    if desk is None:
        raise ValidationError(
            {"service": _("Choose the service your proposal concerns: the city has no desk to place it otherwise.")}
        )
    return desk


def _check_rate(actor) -> None:
    """A few proposals per account per day (``COMMUNITY_PROPOSAL_RATE_LIMIT``), counted once a proposal is
    acceptable: a refused form uses nothing up."""
    rate = getattr(settings, "COMMUNITY_PROPOSAL_RATE_LIMIT", DEFAULT_RATE)
    if not ratelimit.hit(f"community_proposal:user:{actor.pk}", rate):
        hours = max(1, math.ceil(ratelimit.seconds_left(rate) / 3600))
        raise ValidationError(
            ngettext(
                "You have sent many proposals today. Please send the next one in %(hours)s hour.",
                "You have sent many proposals today. Please send the next one in %(hours)s hours.",
                hours,
            )
            % {"hours": hours},
            code="rate",
        )


@transaction.atomic
def send_community_proposal(
    *,
    actor,
    title: str,
    problem: str,
    area: Area,
    service=None,
    group_name: str = "",
    show_group_name: bool = False,
    estimated_cost=None,
    photos=(),
) -> Proposal:
    """A signed-in citizen sends a proposal for the fiscal year whose Musrenbang runs now. It waits for the
    kelurahan level, like a Musrenbang kelurahan result; the cost may be left empty (Rp 0: the review levels name
    their amounts). Photos are re-encoded without EXIF or GPS, as every planning photo."""
    if not actor or not actor.is_authenticated:
        raise ValidationError(_("Sign in to send a proposal."), code="auth")
    fiscal_year = community_year()
    if fiscal_year is None:
        raise ValidationError(closed_message(), code="closed")
    check_year_open(fiscal_year, field="fiscal_year")
    if not title.strip() or not problem.strip():
        raise ValidationError(_("A proposal needs a title and a problem statement."))
    if area is None or area.level != Area.Level.KELURAHAN:
        raise ValidationError({"area": _("Choose the kelurahan the proposal is for.")})
    if len(photos) > photo_files.MAX_PHOTOS:
        raise ValidationError({"photos": photo_files.too_many_photos()})
    department = department_for_proposal(service=service, area=area)
    group_name = group_name.strip()
    cost = _money(estimated_cost if estimated_cost not in (None, "") else 0, "estimated_cost")
    cleaned = [clean_photo(photo) for photo in photos]  # an unusable photo refuses before anything is counted
    _check_rate(actor)
    proposal = Proposal.objects.create(
        fiscal_year=fiscal_year,
        source=Proposal.Source.COMMUNITY,
        title=title.strip(),
        problem=problem.strip(),
        area=area,
        department=department,
        service=service,
        estimated_cost=cost,
        proposer=actor,
        group_name=group_name,
        show_group_name=bool(show_group_name and group_name),
    )
    for image in cleaned:
        ProposalPhoto.objects.create(proposal=proposal, image=image)
    return proposal


def correctable(proposal: Proposal) -> bool:
    """Whether the citizen still corrects their proposal's title, problem and cost on "My proposals": while it is in
    review and no level has reviewed it (``proposals.edit_proposal``'s rule), read from the prefetched reviews."""
    return proposal.status == Proposal.Status.IN_REVIEW and not proposal.reviews.all()


def proposals_of(user):
    """The community proposals ``user`` sent, newest first: theirs alone."""
    if not user or not user.is_authenticated:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(proposer=user, source=Proposal.Source.COMMUNITY)
        .select_related("fiscal_year", "area__parent", "department", "service", "activity")
        .defer("area__boundary", "area__parent__boundary")
        .prefetch_related("reviews", "photos")
        .order_by("-created_at", "-id")
    )
