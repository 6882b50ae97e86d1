"""Same-origin JSON endpoints for the pages' own scripts (the public API takes bearer tokens only; these take
the session cookie and the CSRF header). They answer like the API: 401 rather than a redirect to the sign-in
page, and domain errors as {code, message, details} with the service's status."""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from ansinh.core.errors import DomainError, ValidationFailed


def session_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse(
                {"code": "auth.required", "message": _("Please sign in."), "details": {}}, status=401
            )
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return JsonResponse(exc.as_dict(), status=exc.status)

    return wrapper


def _no_constants(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON, whatever Python's parser accepts


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object, or ValidationFailed (shown by `session_json` as a 422)."""
    try:
        body = json.loads(request.body or b"{}", parse_constant=_no_constants)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ValidationFailed({"__all__": [_("The request body is not valid JSON.")]})
    return body


def text(value: Any) -> str:
    """A string field of a JSON body, or "" for anything else."""
    return value if isinstance(value, str) else ""
