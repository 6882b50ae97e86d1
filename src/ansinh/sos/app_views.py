"""Pages of the workers-abroad service: app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
