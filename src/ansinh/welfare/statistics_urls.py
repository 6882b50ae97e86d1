from django.urls import path

from ansinh.welfare import statistics_views as views

app_name = "welfare_statistics"

urlpatterns = [
    path("staff/social/figures/", views.figures_page, name="home"),
    path("staff/social/figures.xlsx", views.figures_xlsx, name="xlsx"),
]
