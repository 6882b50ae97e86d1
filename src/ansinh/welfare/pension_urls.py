from django.urls import path

from ansinh.welfare import pension_views

app_name = "welfare_pension"

urlpatterns = [
    path("social/pension/", pension_views.home, name="home"),
    path("social/pension/<int:pension_id>/arrangement/", pension_views.change, name="change"),
]
