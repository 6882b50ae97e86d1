"""Request id on every request and every log line, so an error report can be traced without personal data."""

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Takes a well-formed X-Request-ID from the proxy or makes one; echoes it on the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind a trusted proxy (BEHIND_PROXY) the nearest X-Forwarded-For hop is used."""
    from django.conf import settings

    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _nul_fields_in(value: Any, prefix: str = "") -> list[str]:
    """Paths of the JSON values (and keys) that contain a NUL character."""
    if isinstance(value, str):
        return [prefix or "__all__"] if "\x00" in value else []
    if isinstance(value, dict):
        found: list[str] = []
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            found += [path] if "\x00" in str(key) else _nul_fields_in(item, path)
        return found
    if isinstance(value, list):
        return [
            f
            for i, item in enumerate(value)
            for f in _nul_fields_in(item, f"{prefix}.{i}" if prefix else str(i))
        ]
    return []


class NulCharacterGuardMiddleware:
    """Refuses input carrying a NUL character before it reaches a view. No user types one, and PostgreSQL
    cannot store it in text or JSON, so letting it through would end in a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._body_too_large(request):
            return self._too_large(request)
        try:
            fields = self._offending_fields(request)
        except RequestDataTooBig:
            return self._too_large(request)
        if fields:
            return self._refuse(request, fields)
        return self.get_response(request)

    def _offending_fields(self, request: HttpRequest) -> list[str]:
        fields = ["__path__"] if "\x00" in request.path else []
        fields += [
            key for key, values in request.GET.lists() if "\x00" in key or any("\x00" in v for v in values)
        ]
        if request.content_type == "application/json" and request.body:
            raw = request.body
            if b"\x00" in raw or b"\\u0000" in raw.lower():
                try:
                    fields += _nul_fields_in(json.loads(raw))
                except ValueError:
                    fields.append("__body__")
        return fields

    @staticmethod
    def _body_too_large(request: HttpRequest) -> bool:
        """Form and JSON bodies are small, except on the few paths that carry documents inside JSON
        (LARGE_BODY_PATHS); files sent as multipart are limited by their own views instead."""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        if length <= settings.SMALL_BODY_MAX_BYTES or request.content_type == "multipart/form-data":
            return False
        return not request.path.startswith(tuple(settings.LARGE_BODY_PATHS))

    def _too_large(self, request: HttpRequest) -> HttpResponse:
        # Reading the body is where Django notices DATA_UPLOAD_MAX_MEMORY_SIZE; API clients get the error
        # contract (413) instead of Django's HTML "Bad Request".
        from django.http import HttpResponseBadRequest, JsonResponse
        from django.utils.translation import gettext as _

        if not request.path.startswith("/api/"):
            return HttpResponseBadRequest()
        return JsonResponse(
            {
                "code": "request.too_large",
                "message": str(_("The request is too large.")),
                "details": {"max_bytes": settings.SMALL_BODY_MAX_BYTES},
            },
            status=413,
        )

    def _refuse(self, request: HttpRequest, fields: list[str]) -> HttpResponse:
        from django.http import JsonResponse
        from django.shortcuts import render
        from django.utils.translation import gettext as _

        message = _("The text contains a character that is not allowed.")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "code": "validation.invalid",
                    "message": str(_("Some fields are not valid.")),
                    "details": {"fields": {field: [message] for field in fields}},
                },
                status=422,
            )
        return render(request, "400.html", status=400)
