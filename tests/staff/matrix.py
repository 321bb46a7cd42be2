"""The staff permission matrix as data: role × ticket privacy × operation → expected outcome.

One ticket of department A (DLH, service ``sampah-menumpuk``) filed by the ``citizen`` role;
department B is PUPR. The web tests in ``tests/staff/test_permissions.py`` read it, and the
API tests can import it too::

    from tests.staff.matrix import CASES, ALLOWED, FORBIDDEN, NOT_FOUND, ROLE_FIXTURES

Outcomes: ``ALLOWED`` (the page renders / the action is done), ``FORBIDDEN`` (403: the user is
not staff, or the workflow does not let their role do it), ``NOT_FOUND`` (404: the ticket is
outside the user's staff scope, so its existence is not revealed). ``True``/``False`` for the
visibility rows (``in_queue``, ``in_export``, ``sees_reporter``).
"""

from __future__ import annotations

from typing import NamedTuple

ALLOWED = "allowed"
FORBIDDEN = 403
NOT_FOUND = 404

DEPARTMENT_A = "dlh"
DEPARTMENT_B = "pupr"
SERVICE_A = "sampah-menumpuk"

# Role name → fixture name in tests/conftest.py / tests/staff/conftest.py.
ROLE_FIXTURES = {
    "citizen": "citizen",  # the reporter of the ticket: still no staff pages
    "staff_a": "staff_dlh",
    "staff_b": "staff_pupr",
    "head_a": "head_dlh",
    "inspector": "inspector",
    "administrator": "administrator",
}
ROLES = tuple(ROLE_FIXTURES)
PRIVACIES = ("public", "anonymous", "confidential")

PAGES = ("queue", "ticket_page", "export")
# Ticket actions (workflow transitions and staff-only changes), and the state the ticket is in before.
ACTIONS = {
    "acknowledge": "routed",
    "start": "routed",
    "reply": "routed",
    "ask_info": "routed",
    "note": "routed",
    "assign": "routed",
    "priority": "routed",
    "resolve": "routed",
    "reject": "routed",
    "forward": "routed",
    "merge": "routed",
    "reopen": "resolved",
}
VISIBILITY = ("in_queue", "in_export", "sees_reporter")

A, F, N = ALLOWED, FORBIDDEN, NOT_FOUND
_WORK = {name: A for name in ACTIONS if name != "reopen"}

# The table. Rows: role; per privacy where it matters. Read it as the rules of the city:
# - staff pages are for staff: a citizen (even the reporter) gets 403 everywhere;
# - staff of A and head of A work the ticket; only the head (or an administrator) reopens;
# - staff of B do not see A's ticket at all (404), but have their own queue and export;
# - the inspector sees everything (confidential included) and changes nothing (403) but adds internal notes (an
#   "inspectorate note" for the department's staff; asking the department for an explanation: test_inspectorate.py);
# - the administrator works every ticket except confidential ones of other departments (404).
MATRIX: dict[str, dict[str, dict[str, object]]] = {
    "citizen": {
        privacy: {
            "queue": F,
            "ticket_page": F,
            "export": F,
            **{name: F for name in ACTIONS},
            "in_queue": False,
            "in_export": False,
            "sees_reporter": False,
        }
        for privacy in PRIVACIES
    },
    "staff_a": {
        privacy: {
            "queue": A,
            "ticket_page": A,
            "export": A,
            **_WORK,
            "reopen": F,
            "in_queue": True,
            "in_export": True,
            "sees_reporter": privacy != "anonymous",
        }
        for privacy in PRIVACIES
    },
    "staff_b": {
        privacy: {
            "queue": A,
            "ticket_page": N,
            "export": A,
            **{name: N for name in ACTIONS},
            "in_queue": False,
            "in_export": False,
            "sees_reporter": False,
        }
        for privacy in PRIVACIES
    },
    "head_a": {
        privacy: {
            "queue": A,
            "ticket_page": A,
            "export": A,
            **_WORK,
            "reopen": A,
            "in_queue": True,
            "in_export": True,
            "sees_reporter": privacy != "anonymous",
        }
        for privacy in PRIVACIES
    },
    "inspector": {
        privacy: {
            "queue": A,
            "ticket_page": A,
            "export": A,
            **{name: F for name in ACTIONS},
            "note": A,
            "in_queue": True,
            "in_export": True,
            "sees_reporter": privacy != "anonymous",
        }
        for privacy in PRIVACIES
    },
    "administrator": {
        privacy: (
            {
                "queue": A,
                "ticket_page": N,
                "export": A,
                **{name: N for name in ACTIONS},
                "in_queue": False,
                "in_export": False,
                "sees_reporter": False,
            }
            if privacy == "confidential"
            else {
                "queue": A,
                "ticket_page": A,
                "export": A,
                **_WORK,
                "reopen": A,
                "in_queue": True,
                "in_export": True,
                "sees_reporter": privacy != "anonymous",
            }
        )
        for privacy in PRIVACIES
    },
}


class Case(NamedTuple):
    role: str
    privacy: str
    operation: str
    expected: object

    @property
    def id(self) -> str:
        return f"{self.role}-{self.privacy}-{self.operation}"


CASES: list[Case] = [
    Case(role, privacy, operation, expected)
    for role, by_privacy in MATRIX.items()
    for privacy, row in by_privacy.items()
    for operation, expected in row.items()
]
PAGE_CASES = [c for c in CASES if c.operation in PAGES]
ACTION_CASES = [c for c in CASES if c.operation in ACTIONS]
VISIBILITY_CASES = [c for c in CASES if c.operation in VISIBILITY]


def _check_complete() -> None:
    for role in ROLES:
        for privacy in PRIVACIES:
            row = MATRIX[role][privacy]
            missing = set(PAGES) | set(ACTIONS) | set(VISIBILITY)
            assert set(row) == missing, (role, privacy, missing ^ set(row))


_check_complete()
