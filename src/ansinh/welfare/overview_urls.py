from django.urls import path

from ansinh.welfare import overview_views

app_name = "welfare_overview"

urlpatterns = [
    path("my-services/", overview_views.home, name="home"),
    path("my-services/start/", overview_views.after_login, name="after_login"),
]
