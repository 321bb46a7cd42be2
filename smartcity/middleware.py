"""Response headers Django's SecurityMiddleware does not set itself."""

from django.conf import settings


# Everything the portal loads is served from its own origin (vendored files);
# map tiles are the one optional outside source, allowed only when configured.
def _content_security_policy() -> str:
    img_sources = "'self' data: blob:"
    tile_url = getattr(settings, "MAP_TILE_URL", "")
    if tile_url.startswith("https://"):
        img_sources += " " + "/".join(tile_url.split("/")[:3]).replace("{s}.", "*.")
    return (
        "default-src 'self'; "
        f"img-src {img_sources}; "
        "style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; "
        "connect-src 'self'; "
        "font-src 'self' data:; "
        "object-src 'none'; "
        "base-uri 'self'; "
        "frame-ancestors 'none'; "
        "form-action 'self'"
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = _content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(settings, "CONTENT_SECURITY_POLICY_ENABLED", False):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
        return response
