from django.urls import path

from ansinh.jobs import public_views

app_name = "jobs_public"

urlpatterns = [
    path("jobs/", public_views.home, name="home"),
    path("jobs/search/", public_views.search_page, name="search"),
    path("jobs/vacancies/<int:vacancy_id>/", public_views.vacancy_page, name="vacancy"),
]
