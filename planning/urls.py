from django.urls import path

from . import public_views, views

app_name = "planning"
urlpatterns = [
    path("", views.board, name="board"),
    path("bukti/", views.evidence, name="evidence"),
    path("bukti/usulkan/", views.propose_from_evidence, name="propose_from_evidence"),
    path("usulan/baru/", views.proposal_new, name="proposal_new"),
    path("usulan/<int:pk>/", views.proposal_detail, name="proposal"),
    path("usulan/<int:pk>/tinjau/", views.proposal_review, name="proposal_review"),
    path("usulan/<int:pk>/terima/", views.proposal_accept, name="proposal_accept"),
    path("usulan/<int:pk>/ubah/", views.proposal_edit, name="proposal_edit"),
    path("usulan/<int:pk>/laporan/", views.proposal_link_tickets, name="proposal_link_tickets"),
    path("usulan/<int:pk>/laporan/lepas/", views.proposal_unlink_ticket, name="proposal_unlink_ticket"),
    path("kegiatan/", views.activities, name="activities"),
    path("kegiatan/<int:pk>/", views.activity_detail, name="activity"),
    path("publik/kegiatan/", public_views.public_activities, name="public_activities"),
    path("publik/kegiatan/<int:pk>/", public_views.public_activity, name="public_activity"),
    path("publik/usulan/", public_views.public_proposals, name="public_proposals"),
    path("publik/usulan/<int:pk>/", public_views.public_proposal, name="public_proposal"),
    path("publik/usulan/kirim/", public_views.community_proposal_new, name="community_proposal_new"),
    path("publik/usulan/saya/", public_views.my_proposals, name="my_proposals"),
    path("publik/usulan/saya/<int:pk>/ubah/", public_views.my_proposal_correct, name="my_proposal_correct"),
    path("kegiatan/<int:pk>/<slug:name>/", views.activity_action, name="activity_action"),
    path("dinas/<slug:code>/", views.department_detail, name="department"),
    path("dinas/<slug:code>/evaluasi/", views.department_evaluate, name="department_evaluate"),
    path("impor/", views.import_page, name="import"),
    path("impor/<int:pk>/", views.import_job, name="import_job"),
    path("ekspor/<slug:kind>.<slug:fmt>", views.export, name="export"),
]
