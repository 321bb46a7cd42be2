"""Proposals (usulan) and their review chain; accepted proposals become planned activities."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.roles import PLANNER, has_role
from services.models import Department

from .. import queries
from ..models import (
    REVIEW_CHAIN,
    Activity,
    ActivityTicket,
    Partner,
    Proposal,
    ProposalPhoto,
    ProposalReview,
    ReviewLevel,
    Stage,
    StageChange,
)
from .base import (
    _money,
    _require_role,
    clean_photo,
    is_head_of,
    is_member_of,
)


def proposing_departments(user):
    """The departments ``user`` may enter proposals for: every active one for a planner, else the ones they are an
    active member of (none for finance, the inspectorate or a citizen)."""
    departments = Department.objects.filter(active=True).order_by("name")
    if has_role(user, PLANNER):
        return departments
    return departments.filter(memberships__user=user, memberships__active=True).distinct()


@transaction.atomic
def submit_proposal(
    *,
    actor,
    fiscal_year,
    source: str,
    title: str,
    problem: str,
    area,
    department,
    estimated_cost,
    service=None,
    tickets=(),
    photos=(),
) -> Proposal:
    """Planners and department staff enter proposals (Musrenbang results, department or partner ideas)."""
    if not (has_role(actor, PLANNER) or is_member_of(actor, department.pk)):
        raise PermissionDenied(_("Only planners or staff of the department may enter a proposal."))
    if source not in Proposal.Source.values:
        raise ValidationError({"source": _("Choose a valid source.")})
    if not title.strip() or not problem.strip():
        raise ValidationError(_("A proposal needs a title and a problem statement."))
    proposal = Proposal.objects.create(
        fiscal_year=fiscal_year,
        source=source,
        title=title.strip(),
        problem=problem.strip(),
        area=area,
        department=department,
        service=service,
        estimated_cost=_money(estimated_cost, "estimated_cost"),
        proposer=actor,
    )
    if tickets:
        proposal.tickets.set(tickets)
    for photo in photos:
        ProposalPhoto.objects.create(proposal=proposal, image=clean_photo(photo))
    return proposal


@transaction.atomic
def propose_from_evidence(*, actor, fiscal_year, service, area, estimated_cost=0, title: str = "") -> Proposal:
    """One click on an evidence cluster: a proposal with the cluster's tickets (last 12 months) attached."""
    _require_role(actor, PLANNER, message=_("Only planners may propose from complaint evidence."))
    tickets = list(queries.cluster_tickets(service=service, area=area))
    if not tickets:
        raise ValidationError(_("There are no complaints in this cluster to propose from."))
    days = queries.median_days_to_resolve(tickets)
    # The text is stored, so it is written once in the site's language, numbers included ("3,8 hari", not "3.8"),
    # whatever language the planner's page was in.
    with translation.override(settings.LANGUAGE_CODE):
        problem = _(
            "%(count)s reports about “%(service)s” in %(area)s over the last 12 months "
            "(median time to resolve: %(days)s days)."
        ) % {
            "count": number_format(len(tickets), force_grouping=True),
            "service": service.name,
            "area": area.name,
            "days": number_format(days, decimal_pos=1) if days is not None else "–",
        }
        title = title or _("%(service)s in %(area)s") % {"service": service.name, "area": area.name}
    return submit_proposal(
        actor=actor,
        fiscal_year=fiscal_year,
        source=Proposal.Source.EVIDENCE,
        title=title,
        problem=problem,
        area=area,
        department=service.default_department,
        service=service,
        estimated_cost=estimated_cost,
        tickets=tickets,
    )


def next_review_level(proposal: Proposal) -> str | None:
    done = set(proposal.reviews.values_list("level", flat=True))
    return next((level for level in REVIEW_CHAIN if level not in done), None)


def may_review(user, proposal: Proposal, level: str) -> bool:
    """Bappeda records the Musrenbang levels (kelurahan, kecamatan) and its own; the department head its level."""
    if level == ReviewLevel.DEPARTMENT:
        return is_head_of(user, proposal.department_id)
    return has_role(user, PLANNER)


@transaction.atomic
def review_proposal(
    *, actor, proposal: Proposal, level: str, decision: str, note: str = "", amount=None
) -> ProposalReview:
    """The next level of the chain (kelurahan → kecamatan → department → Bappeda) recommends or declines."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.IN_REVIEW:
        raise ValidationError(_("This proposal is no longer in review."), code="stage")
    expected = next_review_level(proposal)
    if level != expected:
        raise ValidationError(
            _("The %(level)s level reviews next, not %(given)s.")
            % {"level": ReviewLevel(expected).label, "given": level},
            code="stage",
        )
    if not may_review(actor, proposal, level):
        raise PermissionDenied(
            _("You may not review proposals at the %(level)s level.") % {"level": ReviewLevel(level).label}
        )
    if decision not in ProposalReview.Decision.values:
        raise ValidationError({"decision": _("Choose recommend or decline.")})
    if decision == ProposalReview.Decision.DECLINE and not note.strip():
        raise ValidationError({"note": _("Say why the proposal is declined.")})
    # A recommendation names its amount (a blank one was recorded as Rp 0); a decline recommends nothing.
    if decision == ProposalReview.Decision.RECOMMEND and amount in (None, ""):
        raise ValidationError({"amount": _("Enter the amount you recommend.")})
    if decision == ProposalReview.Decision.DECLINE:
        amount = 0
    review = ProposalReview.objects.create(
        proposal=proposal,
        level=level,
        decision=decision,
        note=note.strip(),
        amount=_money(amount, "amount"),
        reviewer=actor,
    )
    if decision == ProposalReview.Decision.DECLINE:
        proposal.status = Proposal.Status.DECLINED
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decided_at"])
    return review


@transaction.atomic
def accept_proposal(
    *, actor, proposal: Proposal, code: str, start_date: dt.date, end_date: dt.date, name: str = "", programme=None
) -> Activity:
    """A planner turns a proposal Bappeda recommended into a planned activity, keeping its evidence."""
    _require_role(actor, PLANNER, message=_("Only planners may accept proposals."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.IN_REVIEW:
        raise ValidationError(_("This proposal is no longer in review."), code="stage")
    if next_review_level(proposal) is not None or proposal.reviews.filter(decision="decline").exists():
        raise ValidationError(_("Every level must recommend the proposal before it is accepted."), code="stage")
    activity = create_activity(
        actor=actor,
        fiscal_year=proposal.fiscal_year,
        code=code,
        name=name or proposal.title,
        department=proposal.department,
        start_date=start_date,
        end_date=end_date,
        kelurahans=[proposal.area] if proposal.area.level == "kelurahan" else list(proposal.area.children.all()),
        services=[proposal.service] if proposal.service_id else [],
        programme=programme,
        description=proposal.problem,
        tickets=list(proposal.tickets.all()),
    )
    proposal.status = Proposal.Status.ACCEPTED
    proposal.activity = activity
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "activity", "decided_at"])
    return activity


@transaction.atomic
def create_activity(
    *,
    actor,
    fiscal_year,
    code: str,
    name: str,
    department,
    start_date: dt.date,
    end_date: dt.date,
    kelurahans=(),
    services=(),
    programme=None,
    description: str = "",
    lat: float | None = None,
    lng: float | None = None,
    tickets=(),
) -> Activity:
    """A planner puts an activity in the plan (stage planned)."""
    _require_role(actor, PLANNER, message=_("Only planners may approve activities into the plan."))
    code = code.strip()
    if not code:
        raise ValidationError({"code": _("An activity needs a code.")})
    if Activity.objects.filter(fiscal_year=fiscal_year, code=code).exists():
        raise ValidationError({"code": _("An activity with this code already exists in this year.")})
    errors = Activity.date_errors(fiscal_year.year, start_date, end_date)
    if errors:
        raise ValidationError(errors, code="date")
    activity = Activity.objects.create(
        fiscal_year=fiscal_year,
        programme=programme,
        code=code,
        name=name.strip(),
        department=department,
        start_date=start_date,
        end_date=end_date,
        description=description,
        lat=lat,
        lng=lng,
        stage=Stage.PLANNED,
    )
    activity.kelurahans.set(kelurahans)
    activity.services.set(services)
    ActivityTicket.objects.bulk_create(
        [ActivityTicket(activity=activity, ticket=t, added_by=actor) for t in tickets], ignore_conflicts=True
    )
    StageChange.objects.create(activity=activity, from_stage="", to_stage=Stage.PLANNED, actor=actor)
    return activity


@transaction.atomic
def link_tickets(*, actor, activity: Activity, tickets) -> int:
    """A planner adds tickets as evidence; returns how many were new."""
    _require_role(actor, PLANNER, message=_("Only planners may link reports to activities."))
    before = activity.ticket_links.count()
    ActivityTicket.objects.bulk_create(
        [ActivityTicket(activity=activity, ticket=t, added_by=actor) for t in tickets], ignore_conflicts=True
    )
    return activity.ticket_links.count() - before


@transaction.atomic
def add_partner(*, actor, activity: Activity, name: str, role: str, contribution: str = "") -> Partner:
    _require_role(actor, PLANNER, message=_("Only planners may add partners."))
    if role not in Partner.Role.values:
        raise ValidationError({"role": _("Choose community, academia, business or media.")})
    return Partner.objects.create(activity=activity, name=name.strip(), role=role, contribution=contribution)
