"""Every write of the planning cycle, each checked against the actor's role and the activity's stage.

Gates: planned → budgeted → in execution → completed → evaluated.
- planners (Bappeda) accept proposals and approve plans, record Musrenbang reviews, evaluate;
- finance (BPKPAD) sets ceilings, approves original budgets and revisions;
- the head of the activity's department reports realisation and progress and completes it;
- inspectors evaluate.
Wrong role → ``PermissionDenied``; wrong stage or bad data → ``ValidationError``; either way nothing changes.
Planning never changes tickets: it only tells their followers through ``complaints.actions.plan_updates``.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from accounts.roles import FINANCE, INSPECTOR, PLANNER, has_role
from complaints.actions.plan_updates import tell_followers_about_plan
from services.models import StaffMembership

from . import queries
from .models import (
    REVIEW_CHAIN,
    Activity,
    ActivityTicket,
    BudgetChange,
    BudgetLine,
    BudgetVersion,
    Evaluation,
    FundSource,
    Indicator,
    IndicatorValue,
    Milestone,
    Partner,
    ProgressPhoto,
    ProgressReport,
    Proposal,
    ProposalPhoto,
    ProposalReview,
    Realisation,
    ReviewLevel,
    Stage,
    StageChange,
)

# --- permission and stage checks --------------------------------------------------------------


def is_head_of(user, department_id: int) -> bool:
    if not user or not user.is_authenticated:
        return False
    return StaffMembership.objects.filter(
        user=user, department_id=department_id, role=StaffMembership.Role.HEAD, active=True
    ).exists()


def is_member_of(user, department_id: int) -> bool:
    if not user or not user.is_authenticated:
        return False
    return StaffMembership.objects.filter(user=user, department_id=department_id, active=True).exists()


def _require_role(user, *roles: str, message: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied(message)


def _require_head(user, activity: Activity, *, also: tuple[str, ...] = ()) -> None:
    if is_head_of(user, activity.department_id) or (also and has_role(user, *also)):
        return
    raise PermissionDenied(
        _("Only the head of %(department)s may report on this activity.") % {"department": activity.department}
    )


def _require_stage(activity: Activity, *stages: str, message: str) -> None:
    if activity.stage not in stages:
        raise ValidationError(message, code="stage")


def _locked(activity: Activity) -> Activity:
    """Re-read the activity under a row lock so two gates never pass at once."""
    return Activity.objects.select_for_update().select_related("department").get(pk=activity.pk)


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except Exception:
        raise ValidationError({field: _("Enter an amount in Rupiah.")})
    if amount < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    return amount


def clean_photo(upload) -> ContentFile:
    """Re-encode an uploaded photo as JPEG so no metadata (EXIF, GPS) survives; refuse what is not an image."""
    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((2000, 2000))
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=85)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"photos": _("The photo could not be read as an image.")})
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def _move(activity: Activity, to_stage: str, actor, note: str = "") -> None:
    StageChange.objects.create(activity=activity, from_stage=activity.stage, to_stage=to_stage, actor=actor, note=note)
    activity.stage = to_stage
    activity.stage_changed_at = timezone.now()
    activity.save(update_fields=["stage", "stage_changed_at"])


def _tell_followers(activity: Activity, stage: str, actor) -> None:
    tickets = list(activity.tickets.all())
    if tickets:
        tell_followers_about_plan(tickets=tickets, activity=activity, stage=stage, actor=actor)


# --- proposals -------------------------------------------------------------------------------


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
    problem = _(
        "%(count)s reports about “%(service)s” in %(area)s over the last 12 months "
        "(median time to resolve: %(days)s days)."
    ) % {"count": len(tickets), "service": service.name, "area": area.name, "days": days if days is not None else "–"}
    return submit_proposal(
        actor=actor,
        fiscal_year=fiscal_year,
        source=Proposal.Source.EVIDENCE,
        title=title or _("%(service)s in %(area)s") % {"service": service.name, "area": area.name},
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
    *, actor, proposal: Proposal, level: str, decision: str, note: str = "", amount=0
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
    if end_date < start_date:
        raise ValidationError({"end_date": _("The end cannot come before the start.")})
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


# --- budget ----------------------------------------------------------------------------------


def write_budget_line(
    *, actor, activity: Activity, version: str, account_code: str, fund_source: str, amount, description="", reason=""
) -> BudgetLine:
    """Create or change one line and record the change (who, when, old, new). Callers check role and stage."""
    if fund_source not in FundSource.values:
        raise ValidationError({"fund_source": _("Unknown fund source.")})
    if not account_code.strip():
        raise ValidationError({"account_code": _("An account code is required.")})
    amount = _money(amount, "amount")
    line, created = BudgetLine.objects.select_for_update().get_or_create(
        activity=activity,
        version=version,
        account_code=account_code.strip(),
        fund_source=fund_source,
        defaults={"amount": amount, "description": description},
    )
    old = None if created else line.amount
    if not created:
        if old == amount and (not description or description == line.description):
            return line
        line.amount = amount
        line.description = description or line.description
        line.save(update_fields=["amount", "description", "updated_at"])
    BudgetChange.objects.create(line=line, old_amount=old, new_amount=amount, actor=actor, reason=reason)
    return line


def check_budget_version_allowed(activity: Activity, version: str) -> None:
    """Ceilings and original lines are set while planned; revisions once budgeted and until completed."""
    if version in (BudgetVersion.INDICATIVE, BudgetVersion.ORIGINAL):
        _require_stage(
            activity,
            Stage.PLANNED,
            message=_("Ceilings and original budgets are set while the activity is planned; use a revision."),
        )
    elif version == BudgetVersion.REVISED:
        _require_stage(
            activity,
            Stage.BUDGETED,
            Stage.IN_EXECUTION,
            message=_("A budget can be revised only after it is approved and before the activity is completed."),
        )
    else:
        raise ValidationError({"version": _("Unknown budget version.")})


@transaction.atomic
def set_ceiling(
    *, actor, activity: Activity, amount, fund_source: str, account_code: str, description=""
) -> BudgetLine:
    """Finance sets the indicative ceiling (pagu indikatif, KUA-PPAS) of a planned activity."""
    _require_role(actor, FINANCE, message=_("Only finance (BPKPAD) may set budget ceilings."))
    activity = _locked(activity)
    check_budget_version_allowed(activity, BudgetVersion.INDICATIVE)
    return write_budget_line(
        actor=actor,
        activity=activity,
        version=BudgetVersion.INDICATIVE,
        account_code=account_code,
        fund_source=fund_source,
        amount=amount,
        description=description,
    )


@transaction.atomic
def approve_budget(*, actor, activity: Activity, lines: list[dict] | None = None) -> Activity:
    """Finance approves the original budget (murni): planned → budgeted, within the ceiling; followers are told.

    ``lines`` are dicts with account_code, fund_source, amount and description; without them the
    original lines already entered (e.g. imported) are approved.
    """
    _require_role(actor, FINANCE, message=_("Only finance (BPKPAD) may approve budgets."))
    activity = _locked(activity)
    _require_stage(activity, Stage.PLANNED, message=_("Only a planned activity can have its budget approved."))
    ceiling = queries.budget_total(activity, BudgetVersion.INDICATIVE)
    if ceiling is None:
        raise ValidationError(_("Set the indicative ceiling before approving the budget."), code="stage")
    for line in lines or []:
        write_budget_line(actor=actor, activity=activity, version=BudgetVersion.ORIGINAL, **line)
    total = queries.budget_total(activity, BudgetVersion.ORIGINAL)
    if not total:
        raise ValidationError(_("Enter the original budget lines before approving."))
    if total > ceiling:
        raise ValidationError(
            _("The original budget (%(total)s) exceeds the ceiling (%(ceiling)s).")
            % {"total": _rp(total), "ceiling": _rp(ceiling)}
        )
    _move(activity, Stage.BUDGETED, actor)
    _tell_followers(activity, Stage.BUDGETED, actor)
    return activity


@transaction.atomic
def revise_budget(*, actor, activity: Activity, lines: list[dict], reason: str) -> Activity:
    """Finance approves a revision (perubahan); it may not fall below what is already realised."""
    _require_role(actor, FINANCE, message=_("Only finance (BPKPAD) may approve budget revisions."))
    activity = _locked(activity)
    check_budget_version_allowed(activity, BudgetVersion.REVISED)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the revision.")})
    if not lines:
        raise ValidationError(_("A revision needs at least one budget line."))
    if not BudgetLine.objects.filter(activity=activity, version=BudgetVersion.REVISED).exists():
        # The revision starts from the original lines, so untouched lines carry over.
        for line in BudgetLine.objects.filter(activity=activity, version=BudgetVersion.ORIGINAL):
            write_budget_line(
                actor=actor,
                activity=activity,
                version=BudgetVersion.REVISED,
                account_code=line.account_code,
                fund_source=line.fund_source,
                amount=line.amount,
                description=line.description,
                reason=reason,
            )
    for line in lines:
        write_budget_line(actor=actor, activity=activity, version=BudgetVersion.REVISED, reason=reason, **line)
    realised = queries.realised_total(activity)
    revised = queries.budget_total(activity, BudgetVersion.REVISED) or Decimal("0")
    if revised < realised:
        raise ValidationError(
            _("The revised budget (%(total)s) is below what is already realised (%(realised)s).")
            % {"total": _rp(revised), "realised": _rp(realised)}
        )
    return activity


def _rp(amount) -> str:
    from .templatetags.money import format_rupiah

    return format_rupiah(amount)


# --- execution -------------------------------------------------------------------------------

EXECUTABLE = (Stage.BUDGETED, Stage.IN_EXECUTION)


def add_realisation(
    *, actor, activity: Activity, date: dt.date, amount, document_number: str, description=""
) -> Realisation:
    """Check and write one realisation on a locked activity (shared by the form and the import)."""
    _require_stage(activity, *EXECUTABLE, message=_("Realisation is reported only once the budget is approved."))
    amount = _money(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if not document_number.strip():
        raise ValidationError({"document_number": _("The payment document number is required.")})
    if Realisation.objects.filter(activity=activity, document_number=document_number.strip()).exists():
        raise ValidationError({"document_number": _("This payment document is already recorded.")})
    budget = queries.current_budget(activity)
    realised = queries.realised_total(activity)
    if realised + amount > budget:
        raise ValidationError(
            {
                "amount": _(
                    "This would bring realisation to %(total)s, above the current budget of %(budget)s; "
                    "ask finance for a budget revision first."
                )
                % {"total": _rp(realised + amount), "budget": _rp(budget)}
            }
        )
    realisation = Realisation.objects.create(
        activity=activity,
        date=date,
        amount=amount,
        document_number=document_number.strip(),
        description=description,
        recorded_by=actor,
    )
    if activity.stage == Stage.BUDGETED:
        _move(activity, Stage.IN_EXECUTION, actor)
    return realisation


@transaction.atomic
def record_realisation(
    *, actor, activity: Activity, date: dt.date, amount, document_number: str, description=""
) -> Realisation:
    """The department head (or finance) reports money spent; never above the current budget."""
    _require_head(actor, activity, also=(FINANCE,))
    activity = _locked(activity)
    return add_realisation(
        actor=actor,
        activity=activity,
        date=date,
        amount=amount,
        document_number=document_number,
        description=description,
    )


@transaction.atomic
def report_progress(
    *, actor, activity: Activity, month: dt.date, physical_pct, problems: str = "", photos=()
) -> ProgressReport:
    """The department head reports physical progress for a month; a month can be corrected until verified."""
    _require_head(actor, activity)
    activity = _locked(activity)
    _require_stage(activity, *EXECUTABLE, message=_("Progress is reported only once the budget is approved."))
    try:
        pct = Decimal(str(physical_pct))
    except Exception:
        raise ValidationError({"physical_pct": _("Enter a percentage between 0 and 100.")})
    if not Decimal("0") <= pct <= Decimal("100"):
        raise ValidationError({"physical_pct": _("Enter a percentage between 0 and 100.")})
    month = month.replace(day=1)
    report = ProgressReport.objects.filter(activity=activity, month=month).first()
    if report and report.verified_at:
        raise ValidationError(_("This month's report is already verified and cannot change."))
    if report:
        report.physical_pct, report.problems, report.reported_by = pct, problems, actor
        report.save(update_fields=["physical_pct", "problems", "reported_by"])
    else:
        report = ProgressReport.objects.create(
            activity=activity, month=month, physical_pct=pct, problems=problems, reported_by=actor
        )
    for photo in photos:
        ProgressPhoto.objects.create(report=report, image=clean_photo(photo))
    if activity.stage == Stage.BUDGETED:
        _move(activity, Stage.IN_EXECUTION, actor)
    return report


@transaction.atomic
def verify_progress(*, actor, report: ProgressReport) -> ProgressReport:
    _require_role(actor, PLANNER, INSPECTOR, message=_("Only planners or inspectors may verify progress."))
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.verified_at:
        raise ValidationError(_("This report is already verified."))
    report.verified_by, report.verified_at = actor, timezone.now()
    report.save(update_fields=["verified_by", "verified_at"])
    return report


@transaction.atomic
def add_milestone(*, actor, activity: Activity, name: str, due_date: dt.date) -> Milestone:
    if not (has_role(actor, PLANNER) or is_head_of(actor, activity.department_id)):
        raise PermissionDenied(_("Only planners or the department head may add milestones."))
    if activity.stage in (Stage.COMPLETED, Stage.EVALUATED):
        raise ValidationError(_("A completed activity takes no new milestones."), code="stage")
    return Milestone.objects.create(activity=activity, name=name.strip(), due_date=due_date)


@transaction.atomic
def mark_milestone(*, actor, milestone: Milestone, met_on: dt.date | None) -> Milestone:
    """The department head records the date a milestone was met (or that it was missed: ``met_on=None``)."""
    _require_head(actor, milestone.activity)
    milestone.met_on = met_on
    milestone.status = Milestone.Status.MET if met_on else Milestone.Status.MISSED
    milestone.save(update_fields=["met_on", "status"])
    return milestone


@transaction.atomic
def add_indicator(*, actor, activity: Activity, level, description, unit, baseline, target, direction) -> Indicator:
    _require_role(actor, PLANNER, message=_("Only planners may set indicators."))
    if activity.stage in (Stage.COMPLETED, Stage.EVALUATED):
        raise ValidationError(_("Indicators are set before the activity is completed."), code="stage")
    return Indicator.objects.create(
        activity=activity,
        level=level,
        description=description,
        unit=unit,
        baseline=Decimal(str(baseline)),
        target=Decimal(str(target)),
        direction=direction,
    )


@transaction.atomic
def record_indicator_value(*, actor, indicator: Indicator, period: dt.date, value) -> IndicatorValue:
    if not (has_role(actor, PLANNER) or is_head_of(actor, indicator.activity.department_id)):
        raise PermissionDenied(_("Only planners or the department head may record indicator values."))
    if indicator.activity.stage == Stage.EVALUATED:
        raise ValidationError(_("The activity is already evaluated."), code="stage")
    item, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator, period=period, defaults={"value": Decimal(str(value)), "recorded_by": actor}
    )
    return item


@transaction.atomic
def complete_activity(*, actor, activity: Activity, note: str = "") -> Activity:
    """The department head closes execution once physical progress reaches 100%; followers are told."""
    _require_head(actor, activity)
    activity = _locked(activity)
    _require_stage(activity, Stage.IN_EXECUTION, message=_("Only an activity in execution can be completed."))
    if queries.physical_progress(activity) < 100:
        raise ValidationError(_("Report 100% physical progress before completing the activity."), code="stage")
    _move(activity, Stage.COMPLETED, actor, note)
    _tell_followers(activity, Stage.COMPLETED, actor)
    return activity


# --- evaluation ------------------------------------------------------------------------------


@transaction.atomic
def evaluate_activity(*, actor, activity: Activity, findings: str, recommendations: str) -> Evaluation:
    """Inspectors or planners evaluate a completed activity: the scores are computed, the words are theirs."""
    _require_role(actor, INSPECTOR, PLANNER, message=_("Only inspectors or planners may evaluate."))
    activity = _locked(activity)
    _require_stage(activity, Stage.COMPLETED, message=_("An activity is evaluated only after it is completed."))
    scores = queries.activity_scores(activity)
    evaluation = Evaluation.objects.create(
        fiscal_year=activity.fiscal_year,
        activity=activity,
        department=activity.department,
        findings=findings,
        recommendations=recommendations,
        evaluator=actor,
        **scores,
    )
    _move(activity, Stage.EVALUATED, actor)
    return evaluation


@transaction.atomic
def evaluate_department_year(*, actor, fiscal_year, department, findings: str, recommendations: str) -> Evaluation:
    """The year's evaluation of a department across its activities (budget-weighted)."""
    _require_role(actor, INSPECTOR, PLANNER, message=_("Only inspectors or planners may evaluate."))
    activities = list(Activity.objects.filter(fiscal_year=fiscal_year, department=department))
    if not activities:
        raise ValidationError(_("This department has no activities in this year."))
    scores = queries.department_scores(fiscal_year=fiscal_year, department=department)
    return Evaluation.objects.create(
        fiscal_year=fiscal_year,
        activity=None,
        department=department,
        findings=findings,
        recommendations=recommendations,
        evaluator=actor,
        **scores,
    )


def allowed_activity_actions(user, activity: Activity) -> set[str]:
    """Which forms the activity page offers this user now (the actions still check everything)."""
    planner, finance = has_role(user, PLANNER), has_role(user, FINANCE)
    evaluator = has_role(user, INSPECTOR, PLANNER)
    head = is_head_of(user, activity.department_id)
    stage = activity.stage
    open_stage = stage not in (Stage.COMPLETED, Stage.EVALUATED)
    allowed = set()
    if finance and stage == Stage.PLANNED:
        allowed |= {"ceiling", "approve_budget"}
    if finance and stage in EXECUTABLE:
        allowed.add("revise")
    if (head or finance) and stage in EXECUTABLE:
        allowed.add("realisation")
    if head and stage in EXECUTABLE:
        allowed.add("progress")
    if head and stage == Stage.IN_EXECUTION:
        allowed.add("complete")
    if evaluator and stage == Stage.COMPLETED:
        allowed.add("evaluate")
    if evaluator:
        allowed.add("verify")
    if (planner or head) and open_stage:
        allowed.add("milestone")
    if head:
        allowed.add("milestone_met")
    if planner and open_stage:
        allowed |= {"indicator", "partner"}
    if (planner or head) and stage != Stage.EVALUATED:
        allowed.add("indicator_value")
    return allowed
