"""One error contract for the whole API: HTTP status + {"code", "message", "details"}."""

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from ansinh.core.errors import DomainError

logger = logging.getLogger("ansinh.api")


def _body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or {}}


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja locations look like ("body", "payload", "username"): keep only the field path.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie", "form", "file")]
    if len(parts) > 1 and parts[0] in ("payload", "data", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _translate_pydantic(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("string_too_short",):
        return _("Enter at least %(n)s characters.") % {"n": ctx.get("min_length", "")}
    if kind in ("string_too_long",):
        return _("Enter at most %(n)s characters.") % {"n": ctx.get("max_length", "")}
    if kind.startswith(("int_", "float_", "decimal_")):
        return _("Enter a number.")
    if kind.startswith("date"):
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind in ("greater_than_equal", "greater_than"):
        return _("The value is too small.")
    if kind in ("less_than_equal", "less_than"):
        return _("The value is too large.")
    if kind.startswith("string") or kind == "str_type":
        return _("Enter text.")
    if kind in ("enum", "literal_error"):
        return _("Choose one of the allowed values.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return _("This value is not valid.")


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        response = api.create_response(request, exc.as_dict(), status=exc.status)
        retry = exc.details.get("retry_after_seconds") if isinstance(exc.details, dict) else None
        if retry:
            response["Retry-After"] = str(retry)
        if exc.status == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), []).append(_translate_pydantic(error))
        return api.create_response(
            request,
            _body("validation.invalid", _("Some fields are not valid."), {"fields": fields}),
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(request, _body("auth.required", _("Please sign in.")), status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = api.create_response(
            request,
            _body("rate_limited", _("Too many requests. Please wait a moment and try again.")),
            status=429,
        )
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait) + 1)
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request,
            _body("not_found", _("What you asked for does not exist or you may not see it.")),
            status=404,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {
            400: "bad_request",
            401: "auth.required",
            403: "permission.denied",
            404: "not_found",
            405: "method_not_allowed",
            413: "too_large",
            415: "unsupported_media_type",
        }.get(exc.status_code, "error")
        return api.create_response(request, _body(code, str(exc.message)), status=exc.status_code)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled API error")
        return api.create_response(
            request,
            _body(
                "server_error",
                _("Something went wrong on our side. Please try again later."),
                {"request_id": getattr(request, "request_id", "")},
            ),
            status=500,
        )
