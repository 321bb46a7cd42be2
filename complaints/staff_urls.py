from django.urls import path
from django.views.generic import RedirectView

from . import staff_views as views

app_name = "staff"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="staff:queue"), name="index"),
    path("antrian/", views.queue, name="queue"),
    path("antrian/massal/", views.bulk, name="bulk"),
    path("antrian/ekspor/", views.export, name="export"),
    path("antrian/ekspor/<int:job_id>/", views.export_job, name="export_job"),
    path("antrian/ekspor/<int:job_id>/unduh/", views.export_download, name="export_download"),
    path("antrian/filter/", views.save_filter, name="save_filter"),
    path("antrian/filter/<int:filter_id>/hapus/", views.delete_filter, name="delete_filter"),
    path("tiket/<str:reference>/", views.ticket_page, name="ticket"),
    path("tiket/<str:reference>/aksi/<str:name>/", views.ticket_action, name="ticket_action"),
    path("tiket/<str:reference>/bukti/", views.ticket_evidence, name="ticket_evidence"),
    path("wilayah.geojson", views.boundaries, name="boundaries"),
]
