"""Proposals (usulan) and their review chain; accepted proposals become planned activities."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import PLANNER, has_role
from complaints.actions.plan_updates import tell_followers_about_proposal
from complaints.queries import headed_department_ids, tickets_visible_to
from services.models import Department

from .. import queries
from ..mail import ACCEPTED, DECLINED, RECOMMENDED, tell_proposer
from ..models import (
    REVIEW_CHAIN,
    Activity,
    ActivityTicket,
    Partner,
    Programme,
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
    _tell_followers,
    clean_photo,
    evaluation_over,
    is_head_of,
    is_member_of,
)


def year_over_message(fiscal_year) -> str:
    return _(
        "Fiscal year %(year)s is over (its execution ended on %(end)s): a proposal is for a year still to come."
    ) % {"year": fiscal_year.year, "end": date_format(fiscal_year.execution_end)}


def check_year_open(fiscal_year, *, field: str) -> None:
    """Nothing new is planned into a fiscal year whose execution has ended (on 1 January 2027 a proposal was filed into
    2026 and could only be accepted with 2026 dates)."""
    if fiscal_year.is_over(queries.today()):
        raise ValidationError({field: year_over_message(fiscal_year)}, code="year")


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
    if source == Proposal.Source.COMMUNITY:  # only a citizen's own online proposal is the community's
        raise ValidationError({"source": _("Community proposals are sent by citizens themselves, online.")})
    if not title.strip() or not problem.strip():
        raise ValidationError(_("A proposal needs a title and a problem statement."))
    check_year_open(fiscal_year, field="fiscal_year")
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
        _tell_taken(proposal, tickets, actor)
    for photo in photos:
        ProposalPhoto.objects.create(proposal=proposal, image=clean_photo(photo))
    return proposal


@transaction.atomic
def propose_from_evidence(*, actor, fiscal_year, service, area, estimated_cost=0, title: str = "") -> Proposal:
    """One click on an evidence cluster: a proposal with the cluster's tickets (last 12 months) attached, except
    those already answered by a live activity of any year (planned again, their filers were told twice that the
    city budgeted for them). ``proposal.left_out`` says how many were left out."""
    _require_role(actor, PLANNER, message=_("Only planners may propose from complaint evidence."))
    cluster = queries.cluster_tickets(service=service, area=area)
    tickets = list(queries.not_yet_answered(cluster))
    left_out = cluster.count() - len(tickets)
    if not tickets and left_out:
        raise ValidationError(
            ngettext(
                "The only report of this cluster is already linked to an activity in the plan: nothing new to propose.",
                "All %(count)s reports of this cluster are already linked to activities in the plan: nothing new "
                "to propose.",
                left_out,
            )
            % {"count": left_out}
        )
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
        if left_out:
            problem += " " + ngettext(
                "%(count)s other report of this cluster is already linked to an activity in the plan and is not "
                "attached.",
                "%(count)s other reports of this cluster are already linked to activities in the plan and are not "
                "attached.",
                left_out,
            ) % {"count": number_format(left_out, force_grouping=True)}
        title = title or _("%(service)s in %(area)s") % {"service": service.name, "area": area.name}
    proposal = submit_proposal(
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
    proposal.left_out = left_out
    return proposal


# --- changing a proposal before its review ---------------------------------------------------------


def may_edit_proposal(user, proposal: Proposal) -> bool:
    """Its proposer and planners may correct a proposal and the reports linked to it. The staff proposal pages are
    city staff's (a kelurahan officer's proposal); a citizen who sent one online corrects its text and cost on "My
    proposals" (``public_views.my_proposal_correct``), never through them."""
    if not user or not user.is_authenticated:
        return False
    return has_role(user, PLANNER) or (proposal.proposer_id is not None and proposal.proposer_id == user.pk)


def _editable(actor, proposal: Proposal, *, message: str) -> Proposal:
    """The proposal re-read under a row lock, once ``actor`` may change it and it is still in review."""
    if not may_edit_proposal(actor, proposal):
        raise PermissionDenied(message)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.IN_REVIEW:
        raise ValidationError(_("This proposal is no longer in review."), code="stage")
    return proposal


@transaction.atomic
def edit_proposal(*, actor, proposal: Proposal, title: str, problem: str, estimated_cost) -> Proposal:
    """The proposer or a planner corrects the title, the problem statement and the estimated cost (an evidence
    proposal starts at Rp 0), until the first level has reviewed it: the reviews then name their own amounts."""
    proposal = _editable(actor, proposal, message=_("Only the proposer or a planner may edit this proposal."))
    if proposal.reviews.exists():
        raise ValidationError(
            _(
                "A review has already been recorded: the proposal can no longer be edited. Each level of the "
                "review names the amount it recommends."
            ),
            code="stage",
        )
    if not title.strip() or not problem.strip():
        raise ValidationError(_("A proposal needs a title and a problem statement."))
    proposal.title = title.strip()
    proposal.problem = problem.strip()
    proposal.estimated_cost = _money(estimated_cost, "estimated_cost")
    proposal.save(update_fields=["title", "problem", "estimated_cost"])
    return proposal


REFERENCE_SEPARATORS = re.compile(r"[\s,;]+")


def parse_references(text: str) -> list[str]:
    """Report numbers typed as "BJM-2026-000341, bjm-2026-000342" (commas, semicolons, spaces or lines), in the
    order typed, each once."""
    return list(dict.fromkeys(ref.upper() for ref in REFERENCE_SEPARATORS.split(text or "") if ref))


def _listed(references) -> str:
    return ", ".join(references)


@transaction.atomic
def link_proposal_tickets(*, actor, proposal: Proposal, references: str) -> list:
    """The proposer or a planner links reports to a proposal by their reference numbers. All or nothing: each one
    must exist for the actor, be usable as evidence (public, not a duplicate: the evidence page's rule), not be
    linked yet, and not be answered already by a live activity; otherwise every bad number is named, by reason."""
    proposal = _editable(
        actor, proposal, message=_("Only the proposer or a planner may change the reports linked to this proposal.")
    )
    wanted = parse_references(references)
    if not wanted:
        raise ValidationError(
            {"references": _("Enter one or more report numbers, for example BJM-2026-000341, BJM-2026-000342.")}
        )
    # A report the actor may not open (a confidential one of another department) is "not found", like a typo.
    found = {t.reference.upper(): t for t in tickets_visible_to(actor).filter(reference__in=wanted)}
    usable = set(
        queries.evidence_candidates().filter(pk__in=[t.pk for t in found.values()]).values_list("pk", flat=True)
    )
    linked = set(proposal.tickets.filter(pk__in=usable).values_list("pk", flat=True))
    answered = queries.live_activities_of(usable - linked)
    missing = [ref for ref in wanted if ref not in found]
    unusable = [ref for ref in wanted if ref in found and found[ref].pk not in usable]
    already = [ref for ref in wanted if ref in found and found[ref].pk in linked]
    errors = []
    if missing:
        errors.append(
            ngettext("No report has this number: %(refs)s.", "No reports have these numbers: %(refs)s.", len(missing))
            % {"refs": _listed(missing)}
        )
    if unusable:
        errors.append(
            ngettext(
                "Not usable as evidence (confidential, not yet public, or a duplicate): %(refs)s.",
                "Not usable as evidence (confidential, not yet public, or duplicates): %(refs)s.",
                len(unusable),
            )
            % {"refs": _listed(unusable)}
        )
    if already:
        errors.append(_("Already linked to this proposal: %(refs)s.") % {"refs": _listed(already)})
    for ref in wanted:
        activity = answered.get(found[ref].pk) if ref in found else None
        if activity is not None:
            errors.append(
                _("%(ref)s is already answered by the activity “%(activity)s” (%(year)s, %(stage)s).")
                % {
                    "ref": ref,
                    "activity": activity.name,
                    "year": activity.fiscal_year.year,
                    "stage": activity.get_stage_display(),
                }
            )
    if errors:
        raise ValidationError({"references": errors})
    tickets = [found[ref] for ref in wanted]
    proposal.tickets.add(*tickets)
    _tell_taken(proposal, tickets, actor)
    return tickets


def _tell_taken(proposal: Proposal, tickets, actor) -> None:
    """The followers of reports linked to a proposal hear that it carries their report into next year's plan, the
    first time only (a report unlinked and linked again hears nothing new)."""
    tell_followers_about_proposal(tickets=tickets, proposal=proposal, stage="proposed", actor=actor)


@transaction.atomic
def unlink_proposal_ticket(*, actor, proposal: Proposal, ticket) -> None:
    """The proposer or a planner takes a report off a proposal still in review."""
    proposal = _editable(
        actor, proposal, message=_("Only the proposer or a planner may change the reports linked to this proposal.")
    )
    if not proposal.tickets.filter(pk=ticket.pk).exists():
        raise ValidationError(_("This report is not linked to the proposal."))
    proposal.tickets.remove(ticket)


def next_review_level(proposal: Proposal) -> str | None:
    done = set(proposal.reviews.values_list("level", flat=True))
    return next((level for level in REVIEW_CHAIN if level not in done), None)


def may_review(user, proposal: Proposal, level: str) -> bool:
    """Bappeda records the Musrenbang levels (kelurahan, kecamatan) and its own; the department head its level."""
    if level == ReviewLevel.DEPARTMENT:
        return is_head_of(user, proposal.department_id)
    return has_role(user, PLANNER)


def reviewable_by(user, level: str, proposals):
    """Those of ``proposals`` (annotated with ``queries.waiting_at``) that wait for the ``level`` review and that
    ``user`` may record it for: ``may_review`` as a filter."""
    waiting = proposals.filter(status=Proposal.Status.IN_REVIEW, waiting_at=level)
    if level == ReviewLevel.DEPARTMENT:
        return waiting.filter(department_id__in=headed_department_ids(user))
    return waiting if has_role(user, PLANNER) else waiting.none()


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
    # A citizen who sent the proposal online hears each level's decision (the reason too, when it declines).
    declined = decision == ProposalReview.Decision.DECLINE
    tell_proposer(
        proposal, stage=DECLINED if declined else RECOMMENDED, level=level, reason=review.note if declined else ""
    )
    if decision == ProposalReview.Decision.DECLINE:
        proposal.status = Proposal.Status.DECLINED
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decided_at"])
        # The reports linked now (one unlinked before hears nothing) learn why, and that they are still handled.
        tell_followers_about_proposal(
            tickets=list(proposal.tickets.all()),
            proposal=proposal,
            stage="declined",
            actor=actor,
            level=level,
            reason=review.note,
        )
    return review


@transaction.atomic
def accept_proposal(
    *,
    actor,
    proposal: Proposal,
    code: str,
    start_date: dt.date,
    end_date: dt.date,
    name: str = "",
    programme=None,
    fiscal_year=None,
) -> Activity:
    """A planner turns a proposal Bappeda recommended into a planned activity, keeping its evidence, in the proposal's
    fiscal year or in ``fiscal_year`` (the proposal moves with it): one filed into a year that is now over, or
    deferred, is planned into a year still open."""
    _require_role(actor, PLANNER, message=_("Only planners may accept proposals."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.IN_REVIEW:
        raise ValidationError(_("This proposal is no longer in review."), code="stage")
    if next_review_level(proposal) is not None or proposal.reviews.filter(decision="decline").exists():
        raise ValidationError(_("Every level must recommend the proposal before it is accepted."), code="stage")
    fiscal_year = fiscal_year or proposal.fiscal_year
    check_year_open(fiscal_year, field="fiscal_year")
    check_programme(programme, fiscal_year=fiscal_year, department=proposal.department)
    activity = create_activity(
        actor=actor,
        fiscal_year=fiscal_year,
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
    proposal.fiscal_year = fiscal_year
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "activity", "fiscal_year", "decided_at"])
    tell_proposer(proposal, stage=ACCEPTED, activity=activity)
    # Its reports are in the plan now, before any budget: the activity's first update (its page is public).
    _tell_followers(activity, Stage.PLANNED, actor)
    return activity


def activity_programmes(*, fiscal_year, department):
    """The programmes an activity of ``department`` in ``fiscal_year`` may belong to: that year's, that department's."""
    return Programme.objects.filter(fiscal_year=fiscal_year, department=department).order_by("code")


def programme_for_code(code: str, programmes) -> Programme | None:
    """The programme whose code starts ``code`` (an activity code is its programme's code and more: "1.03.02.2.01"
    under "1.03.02"), the longest when several do; None when none does."""
    code = (code or "").strip()
    matching = [p for p in programmes if code.startswith(p.code) and code[len(p.code) : len(p.code) + 1] in ("", ".")]
    return max(matching, key=lambda p: len(p.code), default=None)


def check_programme(programme, *, fiscal_year, department) -> None:
    """A programme of another year or department put the activity under a heading the dashboard and the open data
    file it elsewhere by."""
    if programme is None:
        return
    if programme.fiscal_year_id != fiscal_year.pk or programme.department_id != department.pk:
        raise ValidationError(
            {
                "programme": _("Choose a programme of %(department)s in fiscal year %(year)s.")
                % {"department": department.short_name, "year": fiscal_year.year}
            },
            code="programme",
        )


@transaction.atomic
def set_activity_programme(*, actor, activity: Activity, programme) -> Activity:
    """A planner files an activity under its programme (one accepted from a proposal had none: the public dashboard
    listed it under "Other" and the open data had no programme code), until it is evaluated: its evaluation and the
    department's year were recorded under it."""
    _require_role(actor, PLANNER, message=_("Only planners may set an activity's programme."))
    activity = Activity.objects.select_for_update().select_related("fiscal_year", "department").get(pk=activity.pk)
    if evaluation_over(activity) is not None:
        raise ValidationError(
            _(
                "This activity, or its department's year, is evaluated: its programme stays the one it was "
                "evaluated under."
            ),
            code="stage",
        )
    check_programme(programme, fiscal_year=activity.fiscal_year, department=activity.department)
    activity.programme = programme
    activity.save(update_fields=["programme"])
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
