from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views

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
    path("akun/", include("allauth.urls")),
    # Before admin.site.urls: the admin's own login form would bypass allauth's rate limits.
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("", include("complaints.urls")),
    path("staf/", include("complaints.staff_urls")),
    path("perencanaan/", include("planning.urls")),
    path("dasbor/", include("dashboards.urls")),
    path("open311/v2/", include("open311.urls")),
    path("api/v1/", include("smartcity.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]

if settings.DEBUG or settings.DEMO_MODE:
    from django.views.static import serve

    # Processed photos only (MEDIA_ROOT); originals live outside it and are never served.
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

if getattr(settings, "BENCHMARK_CEILING", False):
    urlpatterns += [path("_bench/", include("benchmarks.urls"))]
