from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.roles import CITY_STAFF_ROLES, roles_of


def portal(request):
    """Values every page needs: the portal's name, map settings and the user's city roles."""
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None else set()
    is_staff_user = bool(roles & CITY_STAFF_ROLES)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "DEMO_MODE": settings.DEMO_MODE,
        # Where a citizen writes when the pages cannot help (the privacy notice's address): allauth's pages said
        # "contact us" with no contact, and their views pass no context of ours.
        "CONTACT_EMAIL": settings.PRIVACY_CONTACT_EMAIL,
        "user_roles": roles,
        "is_staff_user": is_staff_user,
        "staff_menu": _staff_menu(user) if is_staff_user else {},
        "language_next": _language_next(request),
    }


def _language_next(request) -> str:
    """Where the language switch returns: this page, or for a page answering a form (a refused reply, reopening,
    merge…) the page the form was sent from. The form's own address takes only POST: returning there answered a
    blank 405. The sending page is the same-origin Referer; without one, the home page."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


def _staff_menu(user) -> dict[str, bool]:
    """Which staff pages the menu offers: only those the user may open (the pages check the same rules)."""
    from complaints.queries import staff_ticket_filter
    from dashboards.queries.access import can_see_city, has_department_dashboard

    return {
        "queue": staff_ticket_filter(user) is not None,
        "department_dashboard": has_department_dashboard(user),
        "city_dashboard": can_see_city(user),
    }
