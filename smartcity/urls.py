from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import privacy_notice

from . import views
from .admin_catalog import AdminJavaScriptCatalog

admin.site.site_header = "Lapor Banjarmasin"
admin.site.site_title = "Lapor Banjarmasin"

handler400 = views.bad_request
handler404 = views.page_not_found
handler500 = views.server_error

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Pages name their icon; this is for the clients that ask the conventional address anyway.
    path("favicon.ico", views.favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("privasi/", privacy_notice, name="privacy"),
    path("akun/", include("accounts.urls")),
    path("akun/", include("allauth.urls")),
    # Before admin.site.urls: the admin's own login form would bypass allauth's rate limits.
    path("admin/login/", views.admin_login, name="admin_login"),
    # Before admin.site.urls too (its pages still ask {% url 'admin:jsi18n' %}, this address): Django's catalogue with
    # the portal's words for the two-list picker, which Django's Indonesian leaves half English (admin_catalog.py).
    path("admin/jsi18n/", admin.site.admin_view(AdminJavaScriptCatalog.as_view(), cacheable=True)),
    path("admin/", admin.site.urls),
    path("", include("complaints.urls")),
    path("staf/", include("complaints.staff_urls")),
    path("perencanaan/", include("planning.urls")),
    path("dasbor/", include("dashboards.urls")),
    path("open311/v2/", include("open311.urls")),
    path("api/v1/", include("smartcity.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script from its own address (/api/docs/?script=), not inline: the page keeps the
    # portal's Content-Security-Policy (script-src 'self') like every other page.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]

if settings.DEBUG or settings.DEMO_MODE:
    import posixpath

    from django.http import Http404
    from django.views.static import serve

    from complaints.models import Attachment

    # The folder of ticket photos under MEDIA_ROOT ("tickets"): complaints.photo_views serves them to who may see
    # them, so no plain address may (a confidential report's photo would be anyone's who had its name).
    TICKET_PHOTOS = Attachment._meta.get_field("image").upload_to.split("/")[0]

    def serve_media(request, path):
        """Processed photos (MEDIA_ROOT) but ticket photos; originals live outside it and are never served."""
        # The path as serve() itself opens it, so "./tickets/…" or "planning/../tickets/…" finds no way around.
        relative = posixpath.normpath(path).lstrip("/")
        if relative.split("/", 1)[0].casefold() == TICKET_PHOTOS.casefold():
            raise Http404
        return serve(request, relative, document_root=settings.MEDIA_ROOT)

    urlpatterns += [path("media/<path:path>", serve_media)]

if getattr(settings, "BENCHMARK_CEILING", False):
    urlpatterns += [path("_bench/", include("benchmarks.urls"))]
