from django.urls import path

from . import photo_views, views

app_name = "complaints"
urlpatterns = [
    path("lapor/", views.file_report, name="file"),
    path("lapor/terkirim/<str:reference>/", views.filed, name="filed"),
    path("lapor/atribut/", views.service_attributes, name="attributes"),
    path("lapor/serupa/", views.similar_reports, name="similar"),
    path("lapor/lokasi/", views.locate_point, name="locate"),
    path("lapor/foto/", views.upload_photo, name="upload_photo"),
    path("lapor/konfirmasi/<uuid:token>/", views.confirm, name="confirm"),
    path("lapor/berhenti/<str:token>/", views.stop_emails, name="stop_emails"),
    path("peta/kelurahan.geojson", views.boundaries, name="boundaries"),
    path("laporan-saya/", views.my_reports, name="my_reports"),
    path("laporan/", views.public_list, name="public_list"),
    path("laporan/peta.json", views.public_map, name="public_map"),
    path("laporan/<str:reference>/", views.ticket_detail, name="ticket"),
    path("laporan/<str:reference>/ikuti/<str:token>/", views.follow_link, name="follow"),
    path("laporan/<str:reference>/dukung/", views.support, name="support"),
    path("laporan/<str:reference>/dukung/<str:token>/", views.confirm_support, name="confirm_support"),
    path("laporan/<str:reference>/info/", views.add_info, name="add_info"),
    path("laporan/<str:reference>/selesai/", views.confirm_fixed, name="confirm_fixed"),
    path("laporan/<str:reference>/buka-kembali/", views.reopen, name="reopen"),
    path("laporan/<str:reference>/nilai/", views.rate, name="rate"),
    path("laporan/<str:reference>/email/", views.ticket_emails, name="emails"),
    path("laporan/<str:reference>/lupakan/", views.forget_browser, name="forget_browser"),
    path("foto/<int:pk>/", photo_views.photo, name="photo"),
    path("foto/<int:pk>/kecil/", photo_views.photo, {"thumbnail": True}, name="photo_thumbnail"),
]
