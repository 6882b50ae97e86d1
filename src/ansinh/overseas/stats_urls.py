"""The national statistics pages of workers abroad, included by the project's URLs with their own namespace
(`overseas_stats`): `path("", include("ansinh.overseas.stats_urls"))`."""

from django.urls import path

from ansinh.overseas import stats_views

app_name = "overseas_stats"

urlpatterns = [
    path("staff/overseas/statistics/", stats_views.statistics_page, name="statistics"),
    path("staff/overseas/statistics.xlsx", stats_views.statistics_xlsx, name="statistics_xlsx"),
]
