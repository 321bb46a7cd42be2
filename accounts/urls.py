from django.urls import path

from . import views

urlpatterns = [
    path("profil/", views.profile, name="account_profile"),
    path("data-saya/", views.your_data, name="account_data"),
    path("data-saya/unduh/", views.your_data_download, name="account_data_download"),
    path("data-saya/<str:reference>/sembunyikan-nama/", views.hide_name, name="account_hide_name"),
    path("hapus/", views.delete_account, name="account_delete"),
]
