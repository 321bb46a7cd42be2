"""Every write of the planning cycle, each checked against the actor's role and the activity's stage.

Gates: planned → budgeted → in execution → completed → evaluated; at the year's end unfinished work is closed as
lapsed or carried over to the next fiscal year (``year_end``).
- planners (Bappeda) accept proposals and approve plans, record Musrenbang reviews, evaluate;
- finance (BPKPAD) sets ceilings, approves original budgets and revisions;
- the head of the activity's department reports realisation and progress and completes it;
- inspectors evaluate.
Wrong role → ``PermissionDenied``; wrong stage or bad data → ``ValidationError``; either way nothing changes.
Planning never changes tickets: it only tells their followers through ``complaints.actions.plan_updates``.
"""

from .base import check_activity_date, clean_photo, is_head_of, is_member_of, rupiah_text
from .budget import approve_budget, check_budget_version_allowed, revise_budget, set_ceiling, write_budget_line
from .evaluation import allowed_activity_actions, evaluate_activity, evaluate_department_year
from .execution import (
    EXECUTABLE,
    add_indicator,
    add_milestone,
    add_realisation,
    complete_activity,
    mark_milestone,
    record_indicator_value,
    record_realisation,
    report_progress,
    verify_progress,
)
from .proposals import (
    accept_proposal,
    add_partner,
    create_activity,
    link_tickets,
    may_review,
    next_review_level,
    propose_from_evidence,
    proposing_departments,
    review_proposal,
    submit_proposal,
)
from .year_end import close_year, may_close_year, year_end_open

__all__ = [
    "EXECUTABLE",
    "accept_proposal",
    "add_indicator",
    "add_milestone",
    "add_partner",
    "add_realisation",
    "allowed_activity_actions",
    "approve_budget",
    "check_activity_date",
    "check_budget_version_allowed",
    "clean_photo",
    "close_year",
    "complete_activity",
    "create_activity",
    "evaluate_activity",
    "evaluate_department_year",
    "is_head_of",
    "is_member_of",
    "link_tickets",
    "mark_milestone",
    "may_close_year",
    "may_review",
    "next_review_level",
    "propose_from_evidence",
    "proposing_departments",
    "record_indicator_value",
    "record_realisation",
    "report_progress",
    "review_proposal",
    "revise_budget",
    "rupiah_text",
    "set_ceiling",
    "submit_proposal",
    "verify_progress",
    "write_budget_line",
    "year_end_open",
]
