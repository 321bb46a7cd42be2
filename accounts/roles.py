"""The city's roles, in one place.

Department roles (staff, head) come from ``services.StaffMembership``; city-wide
roles (planner, finance, inspector, administrator) are Django groups of these names.
"""

from django.utils.translation import gettext_lazy as _

PLANNER = "planner"
FINANCE = "finance"
INSPECTOR = "inspector"
ADMINISTRATOR = "administrator"
CITY_ROLES = {
    PLANNER: _("Planner (Bappeda)"),
    FINANCE: _("Finance (BPKPAD)"),
    INSPECTOR: _("Inspector (Inspektorat)"),
    ADMINISTRATOR: _("Administrator (Diskominfotik)"),
}
# The values of services.StaffMembership.Role (a test keeps them in step).
DEPARTMENT_ROLES = frozenset({"staff", "head"})
# Everyone who works for the city: they get the staff menu and may read the plan.
CITY_STAFF_ROLES = DEPARTMENT_ROLES | CITY_ROLES.keys()


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


def may_delete_own_account(user) -> bool:
    """Citizens may delete their own account; someone who works for the city (a department membership, active or
    not, a city role, admin site access) asks the administrator, who hands their work on first."""
    from services.models import StaffMembership

    if user.is_staff or user.is_superuser or roles_of(user):
        return False
    return not StaffMembership.objects.filter(user=user).exists()
