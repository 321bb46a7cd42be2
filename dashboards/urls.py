from django.urls import path

from complaints.views import placeholder

app_name = "dashboards"
urlpatterns = [
    path("publik/", placeholder, name="public"),
    path("dinas/", placeholder, name="department"),
    path("kota/", placeholder, name="city"),
]
