"""The city's roles, in one place.

Department roles (staff, head) come from ``services.StaffMembership``; city-wide
roles (planner, finance, inspector, administrator, council) are Django groups of these names (``seed_city`` creates
them).

The council (DPRD) approves the budget and oversees the executive: its members read what the city's staff read of
the plan and the dashboards, and do nothing. No action names the council, so every one refuses them; they have no
staff scope over tickets (``complaints.queries.staff_ticket_filter``), so no queue, staff ticket page or export; and
where a staff page names the citizens behind the plan, they do not see who (``sees_citizens``).
"""

from django.utils.translation import gettext_lazy as _

PLANNER = "planner"
FINANCE = "finance"
INSPECTOR = "inspector"
ADMINISTRATOR = "administrator"
COUNCIL = "council"
CITY_ROLES = {
    PLANNER: _("Planner (Bappeda)"),
    FINANCE: _("Finance (BPKPAD)"),
    INSPECTOR: _("Inspector (Inspektorat)"),
    ADMINISTRATOR: _("Administrator (Diskominfotik)"),
    COUNCIL: _("Council member (DPRD)"),
}
# The values of services.StaffMembership.Role (a test keeps them in step).
DEPARTMENT_ROLES = frozenset({"staff", "head"})
# Everyone who works for the city, and the council overseeing it: they get the staff menu and may read the plan.
CITY_STAFF_ROLES = DEPARTMENT_ROLES | CITY_ROLES.keys()
# The roles that work with citizens' reports and proposals, so may know who sent them: all but the council.
CITIZEN_DATA_ROLES = CITY_STAFF_ROLES - {COUNCIL}


def roles_of(user) -> set[str]:
    """Every role the user holds; cached on the user object for the request."""
    if not user or not user.is_authenticated:
        return set()
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    from services.models import StaffMembership

    roles = set(user.groups.filter(name__in=CITY_ROLES).values_list("name", flat=True))
    roles |= set(StaffMembership.objects.filter(user=user, active=True).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(ADMINISTRATOR)
    user._portal_roles = roles
    return roles


def has_role(user, *names: str) -> bool:
    return bool(roles_of(user) & set(names))


def sees_citizens(user) -> bool:
    """Whether a staff page may show ``user`` who the citizens behind it are (a community proposal's proposer): not
    to a council member who holds no other role."""
    return has_role(user, *CITIZEN_DATA_ROLES)


def may_delete_own_account(user) -> bool:
    """Citizens may delete their own account; someone who works for the city (a department membership, active or
    not, a city role, admin site access) asks the administrator, who hands their work on first."""
    from services.models import StaffMembership

    if user.is_staff or user.is_superuser or roles_of(user):
        return False
    return not StaffMembership.objects.filter(user=user).exists()
