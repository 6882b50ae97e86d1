"""The project's URLs plus one view that fails, to test the 500 page and JSON error."""

from django.urls import path

from ansinh.config.urls import handler404, handler500
from ansinh.config.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("personal data must not leak: 087084000999")


urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), *project_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
