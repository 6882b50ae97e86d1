from django.urls import path  # noqa: F401

app_name = "welfare_statistics"

urlpatterns: list = []
