"""Pages of the workers-abroad service: dashboard."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
