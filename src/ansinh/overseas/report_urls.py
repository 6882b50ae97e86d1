"""Filled in by the reports work."""

from django.urls import URLPattern

app_name = "overseas_reports"

urlpatterns: list[URLPattern] = []
