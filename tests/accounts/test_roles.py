from accounts.roles import CITY_STAFF_ROLES, DEPARTMENT_ROLES
from services.models import StaffMembership


def test_department_roles_are_the_membership_roles():
    # A role added to StaffMembership must also open the staff menu and the plan (CITY_STAFF_ROLES).
    assert DEPARTMENT_ROLES == set(StaffMembership.Role.values)
    assert DEPARTMENT_ROLES <= CITY_STAFF_ROLES
