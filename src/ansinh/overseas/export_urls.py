"""The worker-list export pages, included by the project's URLs with their own namespace
(`overseas_exports`): `path("", include("ansinh.overseas.export_urls"))`."""

from django.urls import path

from ansinh.overseas import export_views

app_name = "overseas_exports"

urlpatterns = [
    path("overseas/enterprise/workers/export/", export_views.enterprise_export, name="enterprise"),
    path("staff/overseas/workers/export/", export_views.staff_export, name="staff"),
]
