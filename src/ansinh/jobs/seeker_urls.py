from django.urls import path

from ansinh.jobs import seeker_views

app_name = "jobs_seeker"

urlpatterns = [
    path("jobs/register/", seeker_views.register, name="register"),
    path("jobs/profile/", seeker_views.profile, name="profile"),
    path("jobs/profile/start/", seeker_views.profile_start, name="profile_start"),
    path("jobs/applications/", seeker_views.application_list, name="applications"),
    path(
        "jobs/applications/<int:application_id>/withdraw/",
        seeker_views.application_withdraw,
        name="application_withdraw",
    ),
    path("jobs/vacancies/<int:vacancy_id>/apply/", seeker_views.apply, name="apply"),
    path("jobs/saved-searches/", seeker_views.saved_search_list, name="saved_searches"),
    path(
        "jobs/saved-searches/<int:saved_search_id>/delete/",
        seeker_views.saved_search_delete,
        name="saved_search_delete",
    ),
    path(
        "jobs/saved-searches/<int:saved_search_id>/alert/",
        seeker_views.saved_search_alert,
        name="saved_search_alert",
    ),
]
