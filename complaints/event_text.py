"""What an event's payload says, in words and in the active language.

Payloads hold codes (a closing's ``reason: "window"``) and, for plan updates, the message written when the event
was recorded, in the site's default language. Pages and emails show them through here, so a reader on the English
page, or an email in English, reads English, and nobody reads a code.
"""

from __future__ import annotations

from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from services.models import Service

from .models import EventType

PLAN_STAGE_MESSAGES = {
    "budgeted": gettext_noop(
        "The city has budgeted the activity “%(activity)s” (%(department)s) in answer to reports like yours."
    ),
    "completed": gettext_noop(
        "The city has completed the activity “%(activity)s” (%(department)s) that answers reports like yours."
    ),
    "lapsed": gettext_noop(
        "The city's activity “%(activity)s” (%(department)s) did not finish within its fiscal year and has stopped."
    ),
    "carried_over": gettext_noop(
        "The city's activity “%(activity)s” (%(department)s) did not finish within its fiscal year; it continues "
        "next year."
    ),
}
# With the activity's fiscal year known (payloads recorded since it is kept), the year is named: read in a later
# year, "next year" would point at the wrong one.
PLAN_STAGE_MESSAGES_WITH_YEAR = {
    # An activity and its continuation next year share name and department: the year tells their updates apart.
    # Accepted from a proposal (``planning.actions.accept_proposal``): in the plan, its money still to come.
    "planned": gettext_noop(
        "The city has put the activity “%(activity)s” (%(department)s) in its plan for fiscal year %(year)s in "
        "answer to reports like yours; its budget is not approved yet."
    ),
    "budgeted": gettext_noop(
        "The city has budgeted the activity “%(activity)s” (%(department)s) for fiscal year %(year)s in answer to "
        "reports like yours."
    ),
    "completed": gettext_noop(
        "The city has completed the activity “%(activity)s” (%(department)s) of fiscal year %(year)s that answers "
        "reports like yours."
    ),
    "lapsed": gettext_noop(
        "The city's activity “%(activity)s” (%(department)s) did not finish within fiscal year %(year)s and has "
        "stopped."
    ),
    "carried_over": gettext_noop(
        "The city's activity “%(activity)s” (%(department)s) did not finish within fiscal year %(year)s; it "
        "continues in %(next_year)s."
    ),
}
# An evaluation names its grade in words (``payload["grade"]``, a code of planning's ``Grade``; the same msgids, so
# the same translations): "very_high" means nothing to a citizen.
PLAN_EVALUATED = gettext_noop(
    "The city has evaluated the results of the activity “%(activity)s” (%(department)s) that answers reports like "
    "yours: graded “%(grade)s”."
)
PLAN_EVALUATED_WITH_YEAR = gettext_noop(
    "The city has evaluated the results of the activity “%(activity)s” (%(department)s) of fiscal year %(year)s "
    "that answers reports like yours: graded “%(grade)s”."
)
GRADE_WORDS = {
    "very_high": gettext_noop("Very high"),
    "high": gettext_noop("High"),
    "medium": gettext_noop("Medium"),
    "low": gettext_noop("Low"),
    "very_low": gettext_noop("Very low"),
}
PLAN_MOVED_ON = gettext_noop("The city's activity “%(activity)s” (%(department)s) has moved on.")
# A proposal (usulan) the report is linked to, before any activity exists (payload ``proposal``, ``source``,
# ``fiscal_year``; a decline's ``level`` and ``review_note``): the sources' and levels' words in the reader's language
# (the sources' are planning's ``Proposal.Source`` labels: the same msgids, so the same translations).
PROPOSAL_SOURCES = {
    "musrenbang_kelurahan": gettext_noop("Musrenbang kelurahan"),
    "musrenbang_kecamatan": gettext_noop("Musrenbang kecamatan"),
    "department": gettext_noop("Department"),
    "partner": gettext_noop("Pentahelix partner"),
    "evidence": gettext_noop("Complaint evidence"),
    "community": gettext_noop("Community (online)"),
}
REVIEW_LEVELS = {
    "kelurahan": gettext_noop("the Musrenbang kelurahan"),
    "kecamatan": gettext_noop("the Musrenbang kecamatan"),
    "department": gettext_noop("the department's review"),
    "bappeda": gettext_noop("Bappeda's review"),
}
PROPOSAL_TAKEN = gettext_noop(
    "This report was taken into a proposal for the %(year)s plan: “%(proposal)s” (%(source)s)."
)
PROPOSAL_DECLINED = gettext_noop(
    "The proposal “%(proposal)s” for the %(year)s plan, which this report is part of, was turned down at %(level)s: "
    "it is not taken further this year."
)
# Said to whoever fears the report is now lost with the proposal.
PROPOSAL_DECLINED_REPORT_STAYS = gettext_noop(
    "The report stays with the department handling it: its handling does not depend on the plan."
)
# A report moved in a reorganisation of the city's departments (``actions.transfer``; payload ``to_name``, the
# department's full name, else ``to``, its abbreviation, in moves recorded before): said to the citizen, whose report
# carries on where it was.
TRANSFERRED_MESSAGE = gettext_noop(
    "Now handled by %(department)s after the reorganisation of city departments. Its handling and due dates carry "
    "on as before."
)
CLOSING_REASONS = {
    "window": gettext_lazy("Closed automatically: the citizen did not answer within the closing window."),
}


def plan_update_message(
    *, stage: str, activity: str, department: str, year: int | None = None, grade: str | None = None
) -> str:
    values = {"activity": activity, "department": department}
    if stage == "evaluated" and grade in GRADE_WORDS:
        return _(PLAN_EVALUATED_WITH_YEAR if year else PLAN_EVALUATED) % {
            **values,
            "grade": _(GRADE_WORDS[grade]),
            "year": year,
        }
    if year and stage in PLAN_STAGE_MESSAGES_WITH_YEAR:
        return _(PLAN_STAGE_MESSAGES_WITH_YEAR[stage]) % {**values, "year": year, "next_year": year + 1}
    return _(PLAN_STAGE_MESSAGES.get(stage, PLAN_MOVED_ON)) % values


def proposal_update_message(payload: dict) -> str:
    """What became of the proposal a report is linked to (``complaints.actions.plan_updates``), in the active
    language; a decline names the reviewer's reason in their own words."""
    values = {"proposal": payload["proposal"], "year": payload.get("fiscal_year", "")}
    if payload.get("stage") != "declined":
        source = payload.get("source")
        return _(PROPOSAL_TAKEN) % {
            **values,
            "source": _(PROPOSAL_SOURCES[source]) if source in PROPOSAL_SOURCES else "-",
        }
    level = payload.get("level")
    lines = [_(PROPOSAL_DECLINED) % {**values, "level": _(REVIEW_LEVELS[level]) if level in REVIEW_LEVELS else "-"}]
    if payload.get("review_note"):
        lines.append(f"{_('Reason')}: {payload['review_note']}")
    lines.append(_(PROPOSAL_DECLINED_REPORT_STAYS))
    return "\n".join(lines)


def event_message(event_type: str, payload: dict | None) -> str:
    """The event's message: a plan update's in the reader's language, an automatic closing's reason or a move in a
    reorganisation in words, else what the payload's ``message`` holds (a reply, a question: people's words, never
    translated)."""
    payload = payload or {}
    if event_type == EventType.PLAN_UPDATE and payload.get("proposal"):
        return proposal_update_message(payload)
    if event_type == EventType.PLAN_UPDATE and payload.get("activity"):
        return plan_update_message(
            stage=payload.get("stage", ""),
            activity=payload["activity"],
            department=payload.get("department", ""),
            year=payload.get("fiscal_year"),
            grade=payload.get("grade"),
        )
    if event_type == EventType.CLOSED and payload.get("reason") in CLOSING_REASONS:
        return str(CLOSING_REASONS[payload["reason"]])
    if event_type == EventType.TRANSFERRED and payload.get("to"):
        return _(TRANSFERRED_MESSAGE) % {"department": payload.get("to_name") or payload["to"]}
    return payload.get("message") or ""


def event_reason(event_type: str, payload: dict | None) -> str:
    """The reason someone gave (rejecting, forwarding, reopening); a code is said by ``event_message`` instead."""
    payload = payload or {}
    if event_type == EventType.CLOSED and payload.get("reason") in CLOSING_REASONS:
        return ""
    return payload.get("reason") or ""


PRIORITY_LABELS = dict(Service.Priority.choices)
ESCALATED_TO = {
    "head": gettext_lazy("Level %(level)s: the department head was told."),
    "inspectorate": gettext_lazy("Level %(level)s: the inspectorate was told."),
}
MISSED_DUE_DATES = {
    "response": gettext_lazy("Missed response deadline: %(due)s WITA"),
    "resolution": gettext_lazy("Missed resolution deadline: %(due)s WITA"),
}


def _day(value: str | None) -> str:
    moment = parse_datetime(value or "")
    return format_date(timezone.localtime(moment), "DATE_FORMAT") if moment is not None else ""


def _when(value: str | None) -> str:
    moment = parse_datetime(value or "")
    return format_date(timezone.localtime(moment), "DATETIME_FORMAT") if moment is not None else ""


def clock_lines(payload: dict | None, *, to_reporter: bool = False) -> list[str]:
    """What an event says about the ticket's clock while the department waits for the citizen's answer
    (``payload["clock"]``, see ``actions.deadlines``): paused by a question, or the wait's end with the working days
    the due dates moved and where they are now. The same words on the public timeline and the staff page; to the
    reporter on their own report (``to_reporter``) it says "you": they read about themself in the third person."""
    clock = (payload or {}).get("clock")
    if not isinstance(clock, dict):
        return []
    if clock.get("paused"):
        values = {"days": clock.get("max_working_days"), "since": _when(clock.get("since"))}
        if clock.get("continued") and to_reporter:
            text = _(
                "The department's clock has been paused since %(since)s WITA, until you answer (at most %(days)s "
                "working days)."
            )
        elif clock.get("continued"):
            text = _(
                "The department's clock has been paused since %(since)s WITA, until the citizen answers (at most "
                "%(days)s working days)."
            )
        elif to_reporter:
            text = _("The department's clock is paused until you answer (at most %(days)s working days).")
        else:
            text = _("The department's clock is paused until the citizen answers (at most %(days)s working days).")
        return [text % values]
    days = clock.get("working_days") or 0
    ended = clock.get("ended")
    if ended == "limit" and to_reporter:
        first = ngettext(
            "You did not answer within %(days)s working day: the clock runs again, and the due dates move "
            "%(days)s working day later.",
            "You did not answer within %(days)s working days: the clock runs again, and the due dates move "
            "%(days)s working days later.",
            days,
        )
    elif ended == "limit":
        first = ngettext(
            "The citizen did not answer within %(days)s working day: the clock runs again, and the due dates move "
            "%(days)s working day later.",
            "The citizen did not answer within %(days)s working days: the clock runs again, and the due dates move "
            "%(days)s working days later.",
            days,
        )
    elif not days:
        if ended == "answer":
            first = _("The answer came within the working day it was asked: the due dates stay.")
        elif to_reporter:
            first = _("The wait for your answer ended within the working day it began: the due dates stay.")
        else:
            first = _("The wait for the citizen's answer ended within the working day it began: the due dates stay.")
    elif ended == "answer":
        first = ngettext(
            "The department waited %(days)s working day for this answer: its due dates move %(days)s working day "
            "later.",
            "The department waited %(days)s working days for this answer: its due dates move %(days)s working days "
            "later.",
            days,
        )
    elif to_reporter:
        first = ngettext(
            "The wait for your answer ended after %(days)s working day: the due dates move %(days)s working day later.",
            "The wait for your answer ended after %(days)s working days: the due dates move %(days)s working days "
            "later.",
            days,
        )
    else:
        first = ngettext(
            "The wait for the citizen's answer ended after %(days)s working day: the due dates move %(days)s "
            "working day later.",
            "The wait for the citizen's answer ended after %(days)s working days: the due dates move %(days)s "
            "working days later.",
            days,
        )
    # An urgent verification time counted on the clock moved by the time waited (``actions.deadlines``): said with its
    # time, and "the due dates stay" is not said of it.
    on_the_clock = "response_minutes_waited" in clock
    lines = [first % {"days": days}] if days or not on_the_clock else []
    if days:
        lines += due_date_lines({**clock, "response_due_at": None} if on_the_clock else clock)
    if on_the_clock and clock.get("response_due_at"):
        lines.append(
            _("Urgent, counted on the clock: the time waited is added back, verification now due %(when)s WITA.")
            % {"when": _when(clock["response_due_at"])}
        )
    return lines


def due_date_lines(dates: dict) -> list[str]:
    """Where the due dates an event set (``response_due_at``, ``resolution_due_at``: ISO, from its payload) are now,
    as dates in WITA; none for a date it does not hold."""
    lines = []
    if dates.get("response_due_at"):
        lines.append(_("Response now due: %(date)s") % {"date": _day(dates["response_due_at"])})
    if dates.get("resolution_due_at"):
        lines.append(_("Resolution now due: %(date)s") % {"date": _day(dates["resolution_due_at"])})
    return lines


def forwarded_service_lines(payload: dict) -> list[str]:
    """The service a forward gave the report (``actions.forward_ticket``: its names in both languages), in the active
    language; none when the forward kept the report's service."""
    from django.utils.translation import get_language

    names = payload.get("service_names") or {}
    english = (get_language() or "").startswith("en")
    name = (english and names.get("en")) or names.get("id")
    return [_("Service: %(service)s") % {"service": name}] if name else []


# The inspectorate asks the department for an explanation (``actions.ask_department_for_explanation``: an internal
# note, payload ``explanation_requested``), said above the question on the staff timeline and in the staff's email.
EXPLANATION_REQUESTED = gettext_lazy(
    "The inspectorate asks the department for an explanation. Answer with an internal note on the ticket."
)


def explanation_lines(payload: dict, *, message_shown: bool = False) -> list[str]:
    """An explanation the inspectorate asked for: what it is, and its question unless the page shows the note's text
    anyway (``message_shown``: the staff timeline); the staff's email has no other place for it."""
    lines = [str(EXPLANATION_REQUESTED)]
    if not message_shown and payload.get("message"):
        lines.append(_("Question: %(message)s") % {"message": payload["message"]})
    return lines


def event_details(
    event_type: str, payload: dict | None, *, to_reporter: bool = False, message_shown: bool = False
) -> list[str]:
    """The lines under a priority change or an escalation, on the staff timeline and in the staff's email: their
    payloads hold numbers and codes (``{"from": 2, "to": 4}``; ``{"level": 1, "to": "head", "deadline":
    "resolution", "due_at": …}``, see ``actions.set_priority`` and ``actions.dispatch``); under any event that
    paused the clock for the citizen's answer or ended that wait (``clock_lines``, to the reporter if
    ``to_reporter``); under a forward, on every timeline, the new department's due dates: forwarding starts the
    clock again (``actions.forward_ticket``), and the citizen reads there by when the new department answers; and
    under the inspectorate's request for an explanation, what it is (``explanation_lines``)."""
    payload = payload or {}
    if event_type == EventType.NOTE and payload.get("explanation_requested"):
        return explanation_lines(payload, message_shown=message_shown)
    if "clock" in payload:
        return clock_lines(payload, to_reporter=to_reporter)
    if event_type == EventType.FORWARDED:
        return forwarded_service_lines(payload) + due_date_lines(payload)
    if event_type == EventType.PRIORITY_CHANGED:
        before, after = (PRIORITY_LABELS.get(payload.get(end), payload.get(end)) for end in ("from", "to"))
        return [f"{before} → {after}"]
    if event_type != EventType.ESCALATED:
        return []
    details = []
    if payload.get("to") in ESCALATED_TO:
        details.append(ESCALATED_TO[payload["to"]] % {"level": payload.get("level")})
    due_at = parse_datetime(payload.get("due_at") or "")
    if payload.get("deadline") in MISSED_DUE_DATES and due_at is not None:
        missed = format_date(timezone.localtime(due_at), "DATETIME_FORMAT")  # as pages show every time, in WITA
        details.append(MISSED_DUE_DATES[payload["deadline"]] % {"due": missed})
    return details
