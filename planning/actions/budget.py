"""Budget ceilings, original budgets and revisions: finance (BPKPAD) only, each change kept."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import FINANCE

from .. import queries
from ..models import (
    Activity,
    BudgetChange,
    BudgetLine,
    BudgetVersion,
    FundSource,
    Stage,
)
from .base import (
    _locked,
    _money,
    _move,
    _require_role,
    _require_stage,
    _tell_followers,
    check_unchanged_since_seen,
    evaluated_reason,
    rupiah_text,
    year_closed_reason,
)


def write_budget_line(
    *,
    actor,
    activity: Activity,
    version: str,
    account_code: str,
    fund_source: str,
    amount,
    description="",
    reason="",
    history: bool = True,
) -> BudgetLine:
    """Create or change one line and record the change (who, when, old, new) unless not ``history``. Callers check
    role and stage."""
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
    if history:
        BudgetChange.objects.create(line=line, old_amount=old, new_amount=amount, actor=actor, reason=reason)
    return line


def check_budget_version_allowed(activity: Activity, version: str) -> None:
    """Ceilings and original lines (awaiting approval) are set while planned; revisions once budgeted (a completed
    activity's only lower it: ``revise_budget``), while the fiscal year lasts (by today's date in Banjarmasin, WITA)
    and before the activity or its department's year is evaluated. The form, the import (per row) and the REST API all
    ask here."""
    if version in (BudgetVersion.INDICATIVE, BudgetVersion.ORIGINAL):
        _require_stage(
            activity,
            Stage.PLANNED,
            message=_("Ceilings and original budgets are set while the activity is planned; use a revision."),
        )
    elif version == BudgetVersion.REVISED:
        revision_refusal = revision_refused(activity)
        if revision_refusal:
            raise ValidationError(revision_refusal, code="stage")
    else:
        raise ValidationError({"version": _("Unknown budget version.")})


# Where a budget may be revised (the year running, nothing evaluated): a completed activity's revision only lowers its
# budget, down to what is realised (the city's APBD-P releases what completed work did not spend).
REVISABLE = (Stage.BUDGETED, Stage.IN_EXECUTION, Stage.COMPLETED)


def revision_refused(activity: Activity) -> str:
    """Why the budget of ``activity`` cannot be revised now, each reason its own ('' when it can)."""
    # A closed year and an evaluation come first: they say why the stage no longer allows it.
    reason = year_closed_reason(activity) or evaluated_reason(activity)
    if reason:
        return reason
    # Completed work too (the APBD-P trims it to what was paid, releasing the rest), until it is evaluated.
    if activity.stage not in REVISABLE:
        return _("A budget can be revised only once it is approved.")
    fiscal_year = activity.fiscal_year
    if fiscal_year.is_over(queries.today()):
        # The APBD-P is the year's own law: once the year is over its budget is what was spent against.
        return _("Fiscal year %(year)s ended on %(day)s: its budgets can no longer be revised.") % {
            "year": fiscal_year.year,
            "day": date_format(fiscal_year.execution_end),
        }
    return ""


@transaction.atomic
def set_ceiling(
    *, actor, activity: Activity, amount, fund_source: str, account_code: str, description=""
) -> BudgetLine:
    """Finance sets the indicative ceiling (pagu indikatif, KUA-PPAS) of a planned activity."""
    _require_role(actor, FINANCE, message=_("Only finance (BPKPAD) may set budget ceilings."))
    activity = _locked(activity)
    check_budget_version_allowed(activity, BudgetVersion.INDICATIVE)
    # A ceiling of Rp 0 plans nothing: it is a slip (a field emptied), and an original budget could never fit it.
    if _money(amount, "amount") <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
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

    ``lines`` are dicts with account_code, fund_source, amount and description; they join the original lines
    already entered (e.g. imported), which await approval as ``BudgetVersion.DRAFT`` and become the original
    budget here.
    """
    _require_role(actor, FINANCE, message=_("Only finance (BPKPAD) may approve budgets."))
    activity = _locked(activity)
    _require_stage(activity, Stage.PLANNED, message=_("Only a planned activity can have its budget approved."))
    ceiling = queries.budget_total(activity, BudgetVersion.INDICATIVE)
    if ceiling is None:
        raise ValidationError(_("Set the indicative ceiling before approving the budget."), code="stage")
    for line in lines or []:
        write_budget_line(actor=actor, activity=activity, version=BudgetVersion.DRAFT, **line)
    total = queries.budget_total(activity, BudgetVersion.DRAFT)
    if not total:
        raise ValidationError(_("Enter the original budget lines before approving."))
    if total > ceiling:
        raise ValidationError(
            _("The original budget (%(total)s) exceeds the ceiling (%(ceiling)s).")
            % {"total": rupiah_text(total), "ceiling": rupiah_text(ceiling)}
        )
    BudgetLine.objects.filter(activity=activity, version=BudgetVersion.DRAFT).update(version=BudgetVersion.ORIGINAL)
    _move(activity, Stage.BUDGETED, actor)
    _tell_followers(activity, Stage.BUDGETED, actor)
    return activity


@transaction.atomic
def revise_budget(
    *, actor, activity: Activity, lines: list[dict], reason: str, seen_budget: Decimal | None = None
) -> Activity:
    """Finance approves a revision (perubahan); it may not fall below what is already realised, nor raise a completed
    activity's budget. ``seen_budget``: the budget in force on the page it was typed on; if another revision changed
    it since, nothing changes and the refusal names the budget now."""
    _require_role(actor, FINANCE, message=_("Only finance (BPKPAD) may approve budget revisions."))
    activity = _locked(activity)
    check_budget_version_allowed(activity, BudgetVersion.REVISED)
    before = queries.current_budget(activity)
    check_unchanged_since_seen(
        seen_budget,
        before,
        _(
            "The budget in force was changed since the page was opened: it is now %(current)s. Check it and approve "
            "the revision again."
        ),
        rupiah_text(before),
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the revision.")})
    if not lines:
        raise ValidationError(_("A revision needs at least one budget line."))
    if not BudgetLine.objects.filter(activity=activity, version=BudgetVersion.REVISED).exists():
        # The revision starts from the original lines, so untouched lines carry over, with their own description
        # and no history of their own: the history then reads as the one revision it is ("Rp 3.504.000.000 →
        # Rp 3.004.000.000"), not as "– → Rp 3.504.000.000" followed by the change, both under its reason.
        for line in BudgetLine.objects.filter(activity=activity, version=BudgetVersion.ORIGINAL):
            write_budget_line(
                actor=actor,
                activity=activity,
                version=BudgetVersion.REVISED,
                account_code=line.account_code,
                fund_source=line.fund_source,
                amount=line.amount,
                description=line.description,
                history=False,
            )
    for line in lines:
        write_budget_line(actor=actor, activity=activity, version=BudgetVersion.REVISED, reason=reason, **line)
    realised = queries.realised_total(activity)
    revised = queries.budget_total(activity, BudgetVersion.REVISED) or Decimal("0")
    if revised < realised:
        raise ValidationError(
            _("The revised budget (%(total)s) is below what is already realised (%(realised)s).")
            % {"total": rupiah_text(revised), "realised": rupiah_text(realised)}
        )
    if activity.stage == Stage.COMPLETED and revised > before:
        raise ValidationError(
            _(
                "The activity is completed: a revision can only lower its budget of %(budget)s, down to what is "
                "realised (%(realised)s), not raise it to %(total)s."
            )
            % {"budget": rupiah_text(before), "realised": rupiah_text(realised), "total": rupiah_text(revised)}
        )
    return activity
