"""Staff pages about partner systems, included at `staff/partners/` (namespace "partners")."""

from django.urls import path

from ansinh.dossiers import partner_views

app_name = "partners"

urlpatterns = [
    path("", partner_views.partner_list, name="list"),
    path("callbacks/", partner_views.callback_list, name="callbacks"),
    path("callbacks/<int:callback_id>/retry/", partner_views.callback_retry, name="callback_retry"),
]
