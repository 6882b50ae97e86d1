"""The home page, the service directory, probes and error pages."""

import logging
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ansinh import __version__

logger = logging.getLogger(__name__)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up. Touches nothing else, so a slow database never restarts healthy processes."""
    return JsonResponse({"status": "ok", "version": __version__})


@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database answers and, when configured, Redis answers."""
    checks: dict[str, Any] = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:
        logger.exception("readiness: database unreachable")
        checks["database"] = "unreachable"
        ok = False
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception:
            logger.exception("readiness: redis unreachable")
            checks["redis"] = "unreachable"
            ok = False
    else:
        checks["redis"] = "not_configured"
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        from django.utils.translation import gettext as _

        return JsonResponse(
            {
                "code": "not_found",
                "message": _("What you asked for does not exist or you may not see it."),
                "details": {},
            },
            status=404,
        )
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """No stack trace, only the request id to quote when reporting the problem."""
    request_id = getattr(request, "request_id", "")
    if _wants_json(request):
        return JsonResponse(
            {
                "code": "server_error",
                "message": "Đã có lỗi ở phía chúng tôi. / Something went wrong on our side.",
                "details": {"request_id": request_id},
            },
            status=500,
        )
    try:
        return render(request, "web/500.html", {"request_id": request_id}, status=500)
    except Exception:  # the template layer itself may be what failed
        return HttpResponse(
            f"<!doctype html><title>500</title><p>Đã có lỗi. Mã yêu cầu: {request_id}</p>",
            status=500,
        )
