"""The inbox page, its web-push switches (same-origin JSON posts with the session and the CSRF token, as
the API takes bearer tokens only), and the service worker served at the site root."""

from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ansinh.core.errors import DomainError
from ansinh.notify import selectors, services, vapid
from ansinh.web.session_json import json_body, session_json, text

PAGE_SIZE = 20
SERVICE_WORKER = Path(__file__).resolve().parent / "static" / "notify" / "sw.js"


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/inbox.html",
        {"page": page, "unread": selectors.unread_count_for(request.user), "vapid_key": vapid.public_key()},
    )


def _back_to_inbox(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    url = reverse("notify:inbox")
    return redirect(f"{url}?page={page}" if page.isdigit() and page != "1" else url)


@login_required
@require_POST
def mark_read(request: HttpRequest, message_id: int) -> HttpResponse:
    try:
        services.message_mark_read(actor=request.user, message_id=message_id)
    except DomainError as exc:
        return render(request, "web/denied.html", {"error": exc}, status=exc.status)
    messages.success(request, _("The message is marked as read."))
    return _back_to_inbox(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.message_mark_all_read(actor=request.user)
    messages.success(request, _("All messages are marked as read."))
    return _back_to_inbox(request)


# --- web push switches (called by notify/static/notify/push.js) ---------------------------------------------


def _json_view(
    view: Callable[[HttpRequest, dict[str, Any]], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A session JSON endpoint whose view gets the parsed body (see `web.session_json`)."""

    @session_json
    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        return view(request, json_body(request))

    return wrapper


@require_POST
@_json_view
def push_subscribe(request: HttpRequest, body: dict[str, Any]) -> HttpResponse:
    raw_keys = body.get("keys")
    keys: dict[str, Any] = raw_keys if isinstance(raw_keys, dict) else {}
    subscription = services.push_subscribe(
        actor=request.user,
        endpoint=text(body.get("endpoint")),
        p256dh=text(keys.get("p256dh")),
        auth=text(keys.get("auth")),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return JsonResponse({"id": subscription.pk}, status=201)


@require_POST
@_json_view
def push_unsubscribe(request: HttpRequest, body: dict[str, Any]) -> HttpResponse:
    services.push_unsubscribe(actor=request.user, endpoint=text(body.get("endpoint")))
    return HttpResponse(status=204)


# --- the service worker ------------------------------------------------------------------------------------


@cache
def _service_worker_source() -> bytes:
    return SERVICE_WORKER.read_bytes()


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js: a worker controls only the pages under its own path, so it is served at the root (with
    `Service-Worker-Allowed: /` for browsers that check it) rather than from /static/notify/. Browsers
    look for a new version on each visit; `no-cache` lets them revalidate instead of waiting a day."""
    source = SERVICE_WORKER.read_bytes() if settings.DEBUG else _service_worker_source()
    response = HttpResponse(source, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
