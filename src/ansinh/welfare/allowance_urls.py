from django.urls import path

from ansinh.welfare import allowance_views as views

app_name = "welfare_allowance"

urlpatterns = [
    path("social/allowance/", views.home, name="home"),
    path("social/allowance/<int:allowance_id>/changes/", views.change_report, name="change_report"),
    path("social/allowance/commune/", views.commune, name="commune"),
    path("social/allowance/commune/<int:allowance_id>/", views.commune_allowance, name="commune_allowance"),
    path(
        "social/allowance/commune/<int:allowance_id>/<slug:action>/",
        views.allowance_act,
        name="allowance_act",
    ),
    path(
        "social/allowance/commune/changes/<int:change_id>/<slug:action>/", views.change_act, name="change_act"
    ),
]
