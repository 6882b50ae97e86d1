from django.urls import path

from ansinh.web import staff_views

app_name = "staff"

urlpatterns = [
    path("", staff_views.dashboard, name="dashboard"),
    path("audit/", staff_views.audit_search, name="audit"),
    path("audit/export.csv", staff_views.audit_export, name="audit_export"),
    path("people/", staff_views.people, name="people"),
    path("people/<int:person_id>/", staff_views.person_detail, name="person_detail"),
    path("accounts/<int:user_id>/reissue/", staff_views.password_reissue, name="password_reissue"),
]
