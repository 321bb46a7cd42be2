"""Routing decisions, kept pure: given facts the action fetched, decide priority, due dates,
duplicates, assignee and the reasons recorded with the ``routed`` event.

Nothing here writes; the only I/O is ``services.calendar`` reading the administrator's days off.
Tunables come from settings (with the defaults below):

- ``ROUTING_CLASSIFIER_THRESHOLD``: classifier confidence under which a "not sure" ticket goes to triage;
- ``ROUTING_CLUSTER_SIZE``: open tickets of one service in one kelurahan that make a cluster (raise priority);
- ``ROUTING_DUPLICATE_RADIUS_M`` / ``ROUTING_DUPLICATE_DAYS``: what counts as a possible duplicate;
- ``ESCALATION_LEVEL2_WORKING_DAYS``: working days past due before the inspectorate hears of it;
- ``URGENT_RESPONSE_HOURS``: hours, on the clock (nights, weekends and holidays included), within which an urgent
  ticket is due for verification (0: working days, as any other ticket).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings

from services.calendar import WITA, Corrections, add_working_days
from services.geo import bbox_around, distance_m

# Default SLA (SP4N-LAPOR!) for tickets without a service (triage): verify in 3, follow up in 5 working days.
DEFAULT_RESPONSE_DAYS = 3
DEFAULT_RESOLUTION_DAYS = 5
CLOSE_WINDOW_WORKING_DAYS = 10

PRIORITY_LOW, PRIORITY_NORMAL, PRIORITY_HIGH, PRIORITY_URGENT = 1, 2, 3, 4

# Words that make a ticket urgent whatever its service: danger to life or property now (a fallen tree, fire, live
# wires and sparks, water rising around people, someone trapped, evacuated or hurt, an open hole in the road). A tree
# "covering" a road or a wire has fallen as surely as one said "tumbang".
URGENT_KEYWORDS = (
    "banjir",
    "kebakaran",
    "terbakar",
    "pohon tumbang",
    "tumbang",
    "tertutup pohon",
    "tertimpa pohon",
    "longsor",
    "korsleting",
    "korslet",
    "tersengat listrik",
    "kabel putus",
    "kabel listrik putus",
    "kabel listrik jatuh",
    "percikan",
    "roboh",
    "ambruk",
    "runtuh",
    "darurat",
    "tenggelam",
    "lubang terbuka",
    "manhole",
    "setinggi lutut",
    "setinggi paha",
    "setinggi pinggang",
    "setinggi dada",
    "evakuasi",
    "dievakuasi",
    "korban",
    "terjebak",
    "terperangkap",
    "flood",
    "flooding",
    "fire",
    "fallen tree",
    "landslide",
    "short circuit",
    "electrocuted",
    "collapsed",
    "emergency",
    "sparks",
    "live wire",
    "open manhole",
    "evacuated",
    "trapped",
    "injured",
)

# Words that raise a ticket to at least high when no urgent word is there: a hazard said in general words ("bahaya"
# is said of any pothole), a cable or the power, a broken branch. Not urgent on their own: a street light's report
# names "listrik" too.
HIGH_KEYWORDS = (
    "bahaya",
    "berbahaya",
    "membahayakan",
    "listrik",
    "kabel",
    "dahan patah",
    "ranting patah",
    "danger",
    "dangerous",
    "hazard",
    "cable",
    "power line",
)


def setting(name: str, default):
    return getattr(settings, name, default)


def cluster_size() -> int:
    return int(setting("ROUTING_CLUSTER_SIZE", 5))


def duplicate_radius_m() -> float:
    return float(setting("ROUTING_DUPLICATE_RADIUS_M", 250))


def duplicate_days() -> int:
    return int(setting("ROUTING_DUPLICATE_DAYS", 90))


def level2_working_days() -> int:
    return int(setting("ESCALATION_LEVEL2_WORKING_DAYS", 2))


def urgent_response_hours() -> int:
    """Hours on the clock within which an urgent ticket is due for verification; 0: working days as any other."""
    return max(int(setting("URGENT_RESPONSE_HOURS", 24)), 0)


def _whole_words(words) -> list[tuple[str, re.Pattern]]:
    return [(word, re.compile(r"(?<![\w])" + re.escape(word) + r"(?![\w])", re.IGNORECASE)) for word in words]


_URGENT = _whole_words(URGENT_KEYWORDS)
_HIGH = _whole_words(HIGH_KEYWORDS)


def _first_word(text: str, patterns) -> str | None:
    for word, pattern in patterns:
        if pattern.search(text or ""):
            return word
    return None


def urgent_keyword(text: str) -> str | None:
    """The first urgent word in the text (whole words only: "firewall" is not "fire")."""
    return _first_word(text, _URGENT)


def high_keyword(text: str) -> str | None:
    """The first word of a hazard that makes the ticket at least high (whole words only)."""
    return _first_word(text, _HIGH)


@dataclass
class PriorityDecision:
    priority: int
    reasons: dict = field(default_factory=dict)


def decide_priority(*, default: int, text: str, open_in_cluster: int, cluster_threshold: int | None = None):
    """Service default, raised to urgent for danger words and one step (at least high) for a cluster.

    ``open_in_cluster``: open tickets of the same service in the same kelurahan, this one included.
    """
    threshold = cluster_threshold if cluster_threshold is not None else cluster_size()
    priority = default or PRIORITY_NORMAL
    reasons: dict = {}
    word = urgent_keyword(text)
    if word:
        priority = PRIORITY_URGENT
        reasons["urgent_keyword"] = word
    elif priority < PRIORITY_HIGH and (hazard := high_keyword(text)):
        priority = PRIORITY_HIGH
        reasons["high_keyword"] = hazard
    if threshold and open_in_cluster >= threshold:
        reasons["cluster_size"] = open_in_cluster
        priority = min(PRIORITY_URGENT, max(priority + 1, PRIORITY_HIGH))
    return PriorityDecision(priority, reasons)


def urgent_response_due(start: dt.datetime, priority: int | None) -> dt.datetime | None:
    """When an urgent ticket counted from ``start`` is due for verification on the clock; None when it is not
    urgent or ``URGENT_RESPONSE_HOURS`` is 0. A fallen tree on power lines on Saturday night cannot wait for
    Monday's working day: the escalation sweep runs on weekends too."""
    hours = urgent_response_hours()
    if priority != PRIORITY_URGENT or not hours:
        return None
    return start.astimezone(WITA) + dt.timedelta(hours=hours)


def _response_due(start: dt.datetime, working_days_due: dt.datetime, priority: int | None) -> dt.datetime:
    """The working days' response due date, or the urgent one on the clock when that is earlier (a service that
    verifies within the day keeps its own)."""
    on_the_clock = urgent_response_due(start, priority)
    return min(working_days_due, on_the_clock) if on_the_clock is not None else working_days_due


def raised_response_due(
    *, now: dt.datetime, priority: int, response_due_at: dt.datetime | None, awaiting_response: bool
) -> dt.datetime | None:
    """The new response due date of a ticket staff just raised to ``priority``; None to keep the stored one.

    Only a ticket still awaiting verification, only an urgent one, and only earlier: a raised priority never pushes
    a date later (nor lowering it a date earlier)."""
    if not awaiting_response:
        return None
    on_the_clock = urgent_response_due(now, priority)
    if on_the_clock is None or (response_due_at is not None and response_due_at <= on_the_clock):
        return None
    return on_the_clock


def due_dates(*, start: dt.datetime, response_days: int | None, resolution_days: int | None, priority=None):
    """(response due, resolution due): end of the Nth working day after ``start`` (WITA calendar); an urgent
    ``priority``'s response due on the clock (``urgent_response_due``). Resolution stays in working days."""
    response = add_working_days(start, response_days if response_days is not None else DEFAULT_RESPONSE_DAYS)
    resolution = add_working_days(start, resolution_days if resolution_days is not None else DEFAULT_RESOLUTION_DAYS)
    return _response_due(start, response, priority), resolution


class WorkingCalendar:
    """``due_dates`` for many tickets with the administrator's corrections to the calendar (days off, working days)
    read once (a routing batch).

    Same answers as ``services.calendar.add_working_days``, which counts with them; a count reaching outside the
    preloaded span reads its own.
    """

    SPAN_DAYS = 120  # covers the longest SLA (``services.calendar.reach``) with room

    def __init__(self, start: dt.datetime):
        first = start.astimezone(WITA).date()
        self.corrections = Corrections.stored(first, first + dt.timedelta(days=self.SPAN_DAYS))

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        return add_working_days(start, days, self.corrections)

    def due_dates(self, *, start: dt.datetime, response_days: int | None, resolution_days: int | None, priority=None):
        response = self.add_working_days(start, response_days if response_days is not None else DEFAULT_RESPONSE_DAYS)
        resolution = self.add_working_days(
            start, resolution_days if resolution_days is not None else DEFAULT_RESOLUTION_DAYS
        )
        return _response_due(start, response, priority), resolution


def close_window_end(resolved_at: dt.datetime) -> dt.datetime:
    return add_working_days(resolved_at, CLOSE_WINDOW_WORKING_DAYS)


def duplicate_box(lat: float, lng: float) -> tuple[float, float, float, float]:
    """The bounding box (min_lat, max_lat, min_lng, max_lng) the SQL prefilter uses."""
    return bbox_around(lat, lng, duplicate_radius_m())


def duplicate_matches(
    *,
    lat: float | None,
    lng: float | None,
    candidates: Iterable[tuple[int, float, float]],
    radius_m: float | None = None,
) -> list[tuple[int, int]]:
    """(ticket id, whole metres) of candidates within the radius, nearest first."""
    if lat is None or lng is None:
        return []
    radius = radius_m if radius_m is not None else duplicate_radius_m()
    found = []
    for pk, c_lat, c_lng in candidates:
        if c_lat is None or c_lng is None:
            continue
        metres = distance_m(lat, lng, c_lat, c_lng)
        if metres <= radius:
            found.append((pk, int(round(metres))))
    found.sort(key=lambda item: (item[1], item[0]))
    return found


def pick_assignee(loads: Mapping[int, int]) -> int | None:
    """The member with the fewest open tickets (lowest id on a tie, so the choice is stable)."""
    if not loads:
        return None
    return min(loads, key=lambda user_id: (loads[user_id], user_id))


def escalation_due(
    *,
    level: int,
    escalated_deadline: str = "",
    response_due_at: dt.datetime | None,
    resolution_due_at: dt.datetime | None,
    awaiting_response: bool,
    now: dt.datetime,
    extra_days: int | None = None,
) -> tuple[int, str, dt.datetime] | None:
    """The escalation level a ticket should reach now, with which deadline it missed; None if nothing to do.

    An escalation follows one deadline (``escalated_deadline``: "response" or "resolution"): level 1 (the
    department head) once it has passed — the response date counts only while nobody has verified the ticket —,
    level 2 (the inspectorate) when that same deadline is still missed ``extra_days`` working days after it. A
    deadline missed that the ticket's escalation is not for (none yet, or the one escalated was answered: verifying
    answers the response date) starts over at level 1: the head hears of each missed deadline before the
    inspectorate does. While the escalated deadline stays missed, another one passing changes nothing.
    """
    extra = level2_working_days() if extra_days is None else extra_days
    missed = {}
    if awaiting_response and response_due_at is not None and response_due_at < now:
        missed["response"] = response_due_at
    if resolution_due_at is not None and resolution_due_at < now:
        missed["resolution"] = resolution_due_at
    if not missed:
        return None
    if level == 0 or escalated_deadline not in missed:
        deadline = min(missed, key=missed.get)
        return 1, deadline, missed[deadline]
    due = missed[escalated_deadline]
    # "Still overdue N working days after the due date" is read as due dates are: once the end of the Nth
    # working day after it has passed (counting the day that has only just begun escalated a day early).
    if level == 1 and now > add_working_days(due, extra):
        return 2, escalated_deadline, due
    return None  # one level per run: the head always hears before the inspectorate


def routed_reasons(
    *,
    rule=None,
    classification=None,
    triage: bool = False,
    inactive_department=None,
    priority: PriorityDecision | None = None,
    duplicates: int = 0,
    area_source: str = "",
) -> dict:
    """The ``routed`` event payload's reasons: why this department, why this priority.

    ``inactive_department``: the service's department, inactive, when the triage desk got the ticket instead."""
    reasons: dict = {}
    if rule is not None:
        reasons["rule_id"] = rule.pk
        reasons["rule"] = rule.note or str(rule)
    else:
        reasons["rule"] = "triage" if triage else "default_department"
    if classification is not None:
        reasons["classifier_service"] = classification.service_code or ""
        reasons["classifier_score"] = classification.score
        if classification.keyword:
            reasons["classifier_keyword"] = classification.keyword
    if triage:
        reasons["triage"] = True
    if inactive_department is not None:
        # The service's department was deactivated (and no routing rule names an active one): the triage desk
        # places it instead.
        reasons["inactive_department"] = inactive_department.short_name
        reasons["inactive_department_id"] = inactive_department.pk
    if priority is not None:
        reasons.update(priority.reasons)
    if duplicates:
        reasons["duplicate_candidates"] = duplicates
    if area_source:
        reasons["area_source"] = area_source
    return reasons
