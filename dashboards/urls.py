from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "dashboards"
urlpatterns = [
    # /dasbor/ typed by hand: the dashboard everyone may see (staff reach theirs from the menu).
    path("", RedirectView.as_view(pattern_name="dashboards:public"), name="index"),
    path("publik/", views.public, name="public"),
    path("publik/data.json", views.open_data, name="open_data"),
    path("dinas/", views.department, name="department"),
    path("kota/", views.city, name="city"),
    path("<str:scope>/data/<slug:key>.<str:fmt>", views.export, name="export"),
    path("batas/<str:level>.geojson", views.boundaries, name="boundaries"),
]
