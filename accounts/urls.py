from django.urls import path

from . import views

urlpatterns = [path("profil/", views.profile, name="account_profile")]
