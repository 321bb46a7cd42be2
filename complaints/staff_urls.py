from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("antrian/", views.placeholder, name="queue"),
]
