"""Filled in by the exports work."""

from django.urls import URLPattern

app_name = "overseas_exports"

urlpatterns: list[URLPattern] = []
