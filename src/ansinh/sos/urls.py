from django.urls import path

from ansinh.sos import app_views, dashboard_views, desk_views, views, worker_views

app_name = "sos"

urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice"),
    *app_views.urlpatterns,  # the worker's app (PWA) under /sos/
    *worker_views.urlpatterns,  # the worker's profile; the centre's worker records and import
    *desk_views.urlpatterns,  # the operators' console under /staff/sos/
    *dashboard_views.urlpatterns,  # the desk's dashboard and response-time report
]
