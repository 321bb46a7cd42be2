from django.conf import settings


def portal(request):
    """Values every page needs: the portal's name, map settings and the user's city roles."""
    user = getattr(request, "user", None)
    roles = set()
    if user is not None and user.is_authenticated:
        from accounts.roles import roles_of

        roles = roles_of(user)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "DEMO_MODE": settings.DEMO_MODE,
        "user_roles": roles,
        "is_staff_user": bool(roles & {"staff", "head", "planner", "finance", "inspector", "administrator"}),
    }
