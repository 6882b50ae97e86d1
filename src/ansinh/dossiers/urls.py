from django.urls import path

from ansinh.dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("procedures/", views.procedure_list, name="procedures"),
    path("procedures/<slug:code>/", views.procedure_detail, name="procedure"),
    path("procedures/<slug:code>/file/", views.dossier_new, name="new"),
    path("lookup/", views.status_lookup, name="lookup"),
    path("verify/<str:short_code>/", views.verify, name="verify"),
    path("dossiers/", views.my_dossiers, name="mine"),
    path("dossiers/<int:dossier_id>/", views.dossier_detail, name="detail"),
    path("dossiers/<int:dossier_id>/save/", views.dossier_save, name="save"),
    path("dossiers/<int:dossier_id>/attach/", views.dossier_attach, name="attach"),
    path("dossiers/<int:dossier_id>/act/", views.dossier_act, name="act"),
    path(
        "dossiers/<int:dossier_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "dossiers/<int:dossier_id>/attachments/<int:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path(
        "dossiers/<int:dossier_id>/documents/<int:document_id>/",
        views.document_download,
        name="document",
    ),
    path("staff/dossiers/", views.queue, name="queue"),
    path("staff/dossiers/assign/", views.queue_assign, name="assign"),
    path("staff/dossiers/counter/", views.counter, name="counter"),
]
