"""Matching pages: suggested candidates for a vacancy (its employer's, a centre's), jobs for a seeker."""

from django.urls import path

from ansinh.jobs import match_views

app_name = "jobs_match"

urlpatterns = [
    path("jobs/for-you/", match_views.for_you, name="for_you"),
    path("jobs/employer/vacancies/<int:vacancy_id>/matches/", match_views.employer_matches, name="employer"),
    path("staff/jobs/vacancies/<int:vacancy_id>/matches/", match_views.centre_matches, name="centre"),
    path("staff/jobs/vacancies/<int:vacancy_id>/refer/", match_views.centre_refer, name="refer"),
]
