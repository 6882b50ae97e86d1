"""Language choice. Pages are Vietnamese unless the person chose English (cookie or account setting);
the API follows `Accept-Language`, as mobile apps and partner systems expect."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

_SUPPORTED = {code for code, _ in settings.LANGUAGES}


def _from_accept_language(header: str) -> str | None:
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        base = tag.split("-")[0]
        if base in _SUPPORTED:
            return base
    return None


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        translation.deactivate()
        return response

    def _choose(self, request: HttpRequest) -> str:
        if request.path.startswith("/api/"):
            return _from_accept_language(request.headers.get("Accept-Language", "")) or settings.LANGUAGE_CODE
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if cookie in _SUPPORTED:
            return cookie
        return settings.LANGUAGE_CODE
