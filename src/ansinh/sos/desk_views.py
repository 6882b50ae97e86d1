"""Pages of the workers-abroad service: desk."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
