from django.urls import path

from ansinh.sos import views

app_name = "sos"

urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice"),
]
