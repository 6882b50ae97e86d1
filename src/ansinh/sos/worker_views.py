"""Pages of the workers-abroad service: worker."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
