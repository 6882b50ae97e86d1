"""The employer's pages (`jobs/employer/...`) and the centres' verification of employers
(`staff/jobs/employers/...`)."""

from django.urls import path

from ansinh.jobs import employer_views as views

app_name = "jobs_employer"

urlpatterns = [
    path("jobs/employer/register/", views.register, name="register"),
    path("jobs/employer/", views.portal, name="portal"),
    path("jobs/employer/vacancies/new/", views.vacancy_new, name="vacancy_new"),
    path("jobs/employer/vacancies/<int:vacancy_id>/", views.vacancy_detail, name="vacancy"),
    path("jobs/employer/vacancies/<int:vacancy_id>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("jobs/employer/vacancies/<int:vacancy_id>/close/", views.vacancy_close, name="vacancy_close"),
    path("jobs/employer/applications/<int:application_id>/", views.application_detail, name="application"),
    path(
        "jobs/employer/applications/<int:application_id>/status/",
        views.application_status,
        name="application_status",
    ),
    path("staff/jobs/employers/", views.verify_list, name="verify_list"),
    path("staff/jobs/employers/<int:employer_id>/", views.verify_detail, name="verify"),
]
