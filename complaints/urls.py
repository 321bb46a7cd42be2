from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("lapor/", views.placeholder, name="file"),
    path("laporan-saya/", views.placeholder, name="my_reports"),
    path("laporan/", views.placeholder, name="public_list"),
]
