"""Project-level pages: home, the health check and the error pages. No domain logic here."""

import datetime as dt
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "home.html"


# 403 uses Django's own view with templates/403.html, 404 page_not_found below with 404.html (the portal's layout,
# menu included).
# These three may answer a failure of the database, the session or the request itself, so their pages render
# without the request: no context processor, no query, no session, in the language already chosen.


class NotSetUpYet(Http404):
    """A page that exists once an administrator sets up what it shows: the page says what is missing, with a link
    to where it is set up for those with admin access (other 404s repeat nothing of what was asked). Raised as a 404
    so any view can stop there; answered 200 under "Not set up yet": the page is there, the city's data is not, and
    a fresh install's administrator read "Page not found" on the planning menu's first page."""

    def __init__(self, message: str, *, setup_url: str = ""):
        super().__init__(message)
        self.setup_url = setup_url


def page_not_found(request, exception=None):
    if isinstance(exception, NotSetUpYet):
        context = {"not_set_up": str(exception), "setup_url": exception.setup_url}
        return render(request, "404.html", context, status=200)
    return render(request, "404.html", {"not_set_up": ""}, status=404)


def _plain_error(template: str, status: int) -> HttpResponse:
    return HttpResponse(render_to_string(template, {"PORTAL_NAME": settings.PORTAL_NAME}), status=status)


def bad_request(request, exception=None):
    return _plain_error("400.html", 400)


def server_error(request):
    return _plain_error("500.html", 500)


def csrf_failure(request, reason=""):
    """A form whose CSRF check failed: say what to do in the citizen's words, not Django's reason."""
    return _plain_error("403_csrf.html", 403)


@never_cache
def admin_login(request):
    """The admin has no login form of its own: allauth's (with its rate limits) is the only way in.

    A signed-in user without admin access gets a plain refusal instead of a redirect
    loop between the admin and the login page.
    """
    target = request.GET.get("next", "")
    host = {request.get_host()}
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=host, require_https=request.is_secure()):
        target = ""
    target = target or reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(target)
        return render(request, "admin/no_access.html", status=403)
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


def _check(fn) -> dict:
    started = time.monotonic()
    try:
        detail = fn()
    except Exception as exc:  # any failure means "not reachable"
        return {"ok": False, "error": exc.__class__.__name__}
    result = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


class CacheLostValue(Exception):
    """Named in /healthz's answer: the cache answered but did not keep the value just written."""


def _cache():
    backend = caches["default"]
    # The Redis cache fails open (smartcity/cache.py): through it, Redis being down read as a value that went
    # missing. Django's own methods raise, so an outage is named as the broker's check names it (ConnectionError).
    unguarded = RedisCache if isinstance(backend, RedisCache) else type(backend)
    unguarded.set(backend, "healthz", "1", 5)
    if unguarded.get(backend, "healthz") != "1":
        raise CacheLostValue()


def _broker():
    if not settings.REDIS_URL:
        return "in-process"
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    return None


# Confirmed filings still waiting after this long mean nothing is routing them: the worker is stopped or stuck,
# or the broker lost the task and the beat's sweep (every 2 minutes) is not running either.
ROUTING_STALLED_AFTER = dt.timedelta(minutes=10)


class RoutingStalled(Exception):
    """Named in /healthz's answer: a report has waited longer than ROUTING_STALLED_AFTER to be routed."""


def _routing():
    from complaints.queries import waiting_tickets

    waiting, _unconfirmed, oldest = waiting_tickets()
    if oldest is not None and timezone.now() - oldest > ROUTING_STALLED_AFTER:
        raise RoutingStalled()
    return f"{waiting} waiting" if waiting else None


@never_cache
def healthz(request):
    """200 while this machine can serve citizens, 503 when it cannot; ``?strict=1``: 503 unless all answer.

    Without Redis the portal still serves every page and saves every filing (the cache fails open, routing is
    picked up by the sweeps once the broker is back), so a load balancer must keep the machine: taking every web
    machine out for a Redis outage would turn it into a full one. The database is the one thing it cannot serve
    without. Monitoring asks with ``strict=1`` (or reads "degraded") to hear about Redis too, and about routing:
    a worker that stopped leaves every other check green while reports pile up unrouted.
    """
    checks = {"database": _check(_database), "cache": _check(_cache), "broker": _check(_broker)}
    # Routing is read from the database: without it there is nothing to read (and no second timeout to wait for).
    checks["routing"] = _check(_routing) if checks["database"]["ok"] else {"ok": False, "error": "database"}
    if all(c["ok"] for c in checks.values()):
        state = "ok"
    else:
        state = "degraded" if checks["database"]["ok"] else "unavailable"
    strict = request.GET.get("strict") in ("1", "true", "yes")
    serving = state == "ok" or (state == "degraded" and not strict)
    return JsonResponse({"status": state, "checks": checks}, status=200 if serving else 503)


def favicon(request):
    """Pages name their icon; this is for the clients that ask the conventional address anyway. Resolved per
    request: with the manifest storage the hashed name exists only after collectstatic."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
