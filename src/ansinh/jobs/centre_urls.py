"""The employment service centres' pages (staff/jobs/...), a person's counselling bookings, the waiting-room
screen, the public bulletin and the satisfaction survey link."""

from django.urls import path

from ansinh.jobs import centre_views as views
from ansinh.jobs import survey_views

app_name = "jobs_centre"

urlpatterns = [
    path("staff/jobs/", views.home, name="home"),
    path("staff/jobs/counselling/", views.counselling_list, name="counselling"),
    path("staff/jobs/counselling/<int:appointment_id>/", views.appointment_detail, name="appointment"),
    path("staff/jobs/talks/", views.talks, name="talks"),
    path("staff/jobs/counter/", views.desk, name="desk"),
    path("staff/jobs/placements/", views.placement_list, name="placements"),
    path("staff/jobs/placements/<int:placement_id>/", views.placement_detail, name="placement"),
    path("staff/jobs/surveys/", views.surveys, name="surveys"),
    path("staff/jobs/targets/", views.targets_page, name="targets"),
    path("staff/jobs/dashboard/", views.dashboard, name="dashboard"),
    path("staff/jobs/dashboard.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("staff/jobs/bulletin/", views.bulletin, name="bulletin"),
    path("staff/jobs/bulletin.xlsx", views.bulletin_xlsx, name="bulletin_xlsx"),
    path("jobs/counselling/", views.my_counselling, name="my_counselling"),
    path(
        "jobs/counselling/<int:appointment_id>/cancel/",
        views.my_counselling_cancel,
        name="my_counselling_cancel",
    ),
    path("jobs/queue/<int:centre_id>/", views.screen, name="screen"),
    path("jobs/bulletin/", views.public_bulletin, name="public_bulletin"),
    path("jobs/survey/<str:token>/", survey_views.survey, name="survey"),
]
