"""Pages of the workers-abroad service: the worker's app, a PWA under /sos/ (issue 4, items 3 to 5).

Server-rendered pages with small scripts (sos/static/sos/). The scripts talk to the same-origin JSON
endpoints under /sos/app/ with the session cookie and the X-CSRFToken header, like the inbox's push switches,
because the public API (/api/v1) takes bearer tokens only. Every write goes through
ansinh.sos.services.help_requests; these views only parse, call and render.

The support form also works without JavaScript: a plain POST whose idempotency key comes from a hidden field
made when the form was rendered, so sending the same form twice still makes one request."""

import mimetypes
import secrets
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ansinh.accounts.selectors import active_memberships
from ansinh.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from ansinh.sos import selectors
from ansinh.sos.models import Category, HelpRequest, RequestKind, RequestStatus
from ansinh.sos.services import help_requests
from ansinh.web.forms import error_text
from ansinh.web.session_json import json_body, session_json, text

HOME_NOTICES = 5
PAGE_SIZE = 20
JSON_LIST_SIZE = 50
APP_NAME = "ansinh – Hỗ trợ người lao động ở nước ngoài"
THEME_COLOR = "#b3261e"
# The steps a request goes through, as the worker sees them (a cancelled one stops after the first).
STEPS = [RequestStatus.RECEIVED, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED]


# --- who is asking ------------------------------------------------------------------------------------------


def _is_worker(user: Any) -> bool:
    try:
        help_requests.require_worker(user)
    except PermissionDenied:
        return False
    return True


def _not_for_you(request: HttpRequest, status: int = 200) -> HttpResponse:
    is_staff = bool(active_memberships(request.user)) or request.user.is_superuser
    return render(request, "sos/app/not_worker.html", {"is_staff": is_staff}, status=status)


def _worker_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed-in workers only: others are sent to sign in; staff get a page saying the app is for workers."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not _is_worker(request.user):
            return _not_for_you(request, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _app_context(request: HttpRequest) -> dict[str, Any]:
    return {"photo_max_bytes": settings.SOS_PHOTO_MAX_BYTES, "worker_id": request.user.pk}


# --- what the pages and the scripts show about a request ----------------------------------------------------


def _shown_time(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y H:i") if moment else ""


def _step(status: RequestStatus, *, done: bool, current: bool, at: datetime | None) -> dict[str, Any]:
    return {
        "status": status.value,
        "label": str(status.label),
        "done": done,
        "current": current,
        "at": _shown_time(at) if done else "",
    }


def _timeline(request: HelpRequest) -> list[dict[str, Any]]:
    if request.status == RequestStatus.CANCELLED:
        return [
            _step(RequestStatus.RECEIVED, done=True, current=False, at=request.created_at),
            _step(RequestStatus.CANCELLED, done=True, current=True, at=request.cancelled_at),
        ]
    reached = STEPS.index(RequestStatus(request.status)) if request.status in STEPS else 0
    times = [request.created_at, request.acknowledged_at, request.acknowledged_at, request.resolved_at]
    return [
        _step(step, done=index <= reached, current=index == reached, at=times[index])
        for index, step in enumerate(STEPS)
    ]


def _summary(request: HelpRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "reference": request.reference or "",
        "kind": request.kind,
        "kind_label": str(RequestKind(request.kind).label),
        "status": request.status,
        "status_label": str(RequestStatus(request.status).label),
        "created_at": request.created_at.isoformat(),
        "created_at_shown": _shown_time(request.created_at),
        "url": reverse("sos:app_request", args=[request.pk]),
    }


def _detail(request: HelpRequest) -> dict[str, Any]:
    return {
        **_summary(request),
        "category": request.category,
        "category_label": str(Category(request.category).label)
        if request.category in Category.values
        else "",
        "message": request.message,
        "client_created_at": request.client_created_at.isoformat() if request.client_created_at else None,
        "phone": request.phone,
        "location_text": request.location_text,
        "latitude": float(request.latitude) if request.latitude is not None else None,
        "longitude": float(request.longitude) if request.longitude is not None else None,
        "accuracy_m": request.accuracy_m,
        "cancel_seconds_left": help_requests.cancel_seconds_left(request),
        "has_photo": bool(request.photo),
        "timeline": _timeline(request),
        "messages": [
            {
                "id": m.pk,
                "from_operator": m.from_operator,
                "body": m.body,
                "created_at": m.created_at.isoformat(),
                "created_at_shown": _shown_time(m.created_at),
            }
            for m in request.messages.all()
        ],
        "urls": {
            "page": reverse("sos:app_request", args=[request.pk]),
            "json": reverse("sos:app_api_request", args=[request.pk]),
            "cancel": reverse("sos:app_api_cancel", args=[request.pk]),
            "messages": reverse("sos:app_api_messages", args=[request.pk]),
            "photo": reverse("sos:app_api_photo", args=[request.pk]),
        },
    }


def _own_request(request: HttpRequest, request_id: int) -> HelpRequest:
    """The worker's own request (an operator reading it goes through the desk's pages, not the app)."""
    found = selectors.request_get_for(request.user, request_id)
    if found.worker_id != request.user.pk:
        raise NotFound()
    return found


# --- pages --------------------------------------------------------------------------------------------------


@require_safe
def app_home(request: HttpRequest) -> HttpResponse:
    """The worker's notices first (unread urgent ones stand out), then SOS, support and my requests."""
    user = request.user
    if user.is_authenticated and not _is_worker(user):
        return _not_for_you(request)
    notices = list(selectors.notice_feed_for_worker(user)[:HOME_NOTICES])
    read = selectors.read_notice_ids(user, [n.pk for n in notices])
    context: dict[str, Any] = {"notices": notices, "read": read, "open_requests": []}
    if user.is_authenticated:
        context.update(_app_context(request))
        open_states = [s.value for s in STEPS[:-1]]
        context["open_requests"] = list(selectors.my_requests(user).filter(status__in=open_states)[:3])
    return render(request, "sos/app/home.html", context)


@_worker_page
@require_safe
def sos_screen(request: HttpRequest) -> HttpResponse:
    return render(
        request, "sos/app/sos.html", {**_app_context(request), "phone": selectors.worker_phone(request.user)}
    )


def _number(value: str) -> float | str | None:
    """A number typed in a form (the service checks ranges); text that is no number goes on as text."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


@_worker_page
@require_http_methods(["GET", "POST"])
def support(request: HttpRequest) -> HttpResponse:
    """The support form. Without JavaScript it is posted here; with it, the script sends the same fields to
    the JSON endpoint (through the phone's outbox) with the same idempotency key."""
    errors: dict[str, list[str]] = {}
    values = {
        "phone": selectors.worker_phone(request.user),
        "category": "",
        "location_text": "",
        "message": "",
    }
    key = secrets.token_urlsafe(24)
    status = 200
    if request.method == "POST":
        post = request.POST
        values = {
            name: post.get(name, "").strip() for name in ("phone", "category", "location_text", "message")
        }
        values.update({name: post.get(name, "") for name in ("latitude", "longitude", "accuracy_m")})
        key = post.get("idempotency_key", "") or key
        try:
            created, _is_new = help_requests.request_submit(
                actor=request.user,
                idempotency_key=key,
                kind=RequestKind.SUPPORT,
                phone=values["phone"],
                category=values["category"],
                location_text=values["location_text"],
                message=values["message"],
                latitude=_number(values["latitude"]),
                longitude=_number(values["longitude"]),
                accuracy_m=_number(values["accuracy_m"]),
            )
        except ValidationFailed as exc:
            errors = dict(exc.details.get("fields", {}))
            if "Idempotency-Key" in errors:  # a tampered form: start again with a fresh key
                errors["__all__"] = errors.pop("Idempotency-Key")
                key = secrets.token_urlsafe(24)
            status = 422
        except DomainError as exc:
            errors = {"__all__": [str(exc.message)]}
            status = exc.status
        else:
            messages.success(
                request, _("Your request %(reference)s was sent.") % {"reference": created.reference}
            )
            _attach_from_form(request, created)
            return redirect("sos:app_request", created.pk)
    general = [*errors.pop("__all__", []), *errors.pop("kind", [])]
    context = {
        **_app_context(request),
        "values": values,
        "errors": errors,
        "general_errors": general,
        "idempotency_key": key,
        "categories": Category.choices,
    }
    return render(request, "sos/app/support.html", context, status=status)


def _attach_from_form(request: HttpRequest, created: HelpRequest) -> None:
    upload = request.FILES.get("photo")
    if upload is None:
        return
    try:
        help_requests.request_attach_photo(actor=request.user, request_id=created.pk, upload=upload)
    except DomainError as exc:
        messages.error(request, _("The photo was not attached: %(reason)s") % {"reason": error_text(exc)})


@_worker_page
@require_safe
def my_requests(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_requests(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sos/app/requests.html", {**_app_context(request), "page": page})


@_worker_page
@require_safe
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    try:
        found = _own_request(request, request_id)
    except NotFound as exc:
        raise Http404 from exc
    context = {**_app_context(request), "item": found, "detail": _detail(found)}
    return render(request, "sos/app/request_detail.html", context)


@_worker_page
@require_POST
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    try:
        help_requests.request_cancel(actor=request.user, request_id=request_id)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The request is cancelled."))
    return redirect("sos:app_request", request_id)


@_worker_page
@require_POST
def request_reply(request: HttpRequest, request_id: int) -> HttpResponse:
    try:
        _own_request(request, request_id)
        help_requests.request_message(
            actor=request.user, request_id=request_id, body=request.POST.get("body", "")
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Your message was sent."))
    return redirect("sos:app_request", request_id)


@_worker_page
@require_http_methods(["GET", "HEAD", "POST"])
def request_photo(request: HttpRequest, request_id: int) -> HttpResponseBase:
    """GET: the photo of one's own request (stored files are never served directly). POST: attach one."""
    try:
        found = _own_request(request, request_id)
    except NotFound as exc:
        raise Http404 from exc
    if request.method == "POST":
        _attach_from_form_or_say(request, found)
        return redirect("sos:app_request", request_id)
    if not found.photo:
        raise Http404
    content_type = mimetypes.guess_type(found.photo.name or "")[0] or "application/octet-stream"
    response = FileResponse(found.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def _attach_from_form_or_say(request: HttpRequest, found: HelpRequest) -> None:
    try:
        help_requests.request_attach_photo(
            actor=request.user, request_id=found.pk, upload=request.FILES.get("photo")
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The photo is attached."))


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: the app opens at /sos/ on its own, without the browser's address bar."""
    data = {
        "id": "/sos/",
        "name": APP_NAME,
        "short_name": "ansinh SOS",
        "description": _("Notices, support requests and SOS for Vietnamese workers abroad."),
        "lang": "vi",
        "dir": "ltr",
        "start_url": "/sos/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": static("sos/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            {"src": static("sos/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("sos/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("sos/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- JSON for the app's scripts -----------------------------------------------------------------------------


def _client_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None or timezone.is_naive(moment):
        raise ValidationFailed.single("client_created_at", _("Enter a date and time with its time zone."))
    return moment


@require_http_methods(["GET", "POST"])
@session_json
def api_requests(request: HttpRequest) -> HttpResponse:
    """GET: my latest requests. POST: send one (Idempotency-Key header; 201 new, 200 the same key again)."""
    if request.method == "GET":
        items = selectors.my_requests(request.user)[:JSON_LIST_SIZE]
        return JsonResponse({"items": [_summary(r) for r in items]})
    body = json_body(request)
    # The phone's outbox names the account that saved the request: it is never sent for someone else.
    saved_by = body.get("worker")
    if saved_by is not None and saved_by != request.user.pk:
        raise Conflict(
            _("This request was saved on this phone by another account. Sign in as that account to send it.")
        )
    created, is_new = help_requests.request_submit(
        actor=request.user,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        client_created_at=_client_time(body.get("client_created_at")),
        kind=body.get("kind"),
        phone=text(body.get("phone")),
        latitude=body.get("latitude"),
        longitude=body.get("longitude"),
        accuracy_m=body.get("accuracy_m"),
        location_text=text(body.get("location_text")),
        category=text(body.get("category")),
        message=text(body.get("message")),
    )
    return JsonResponse(_detail(created), status=201 if is_new else 200)


@require_safe
@session_json
def api_request(request: HttpRequest, request_id: int) -> HttpResponse:
    response = JsonResponse(_detail(_own_request(request, request_id)))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@session_json
def api_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    return JsonResponse(_detail(help_requests.request_cancel(actor=request.user, request_id=request_id)))


@require_POST
@session_json
def api_messages(request: HttpRequest, request_id: int) -> HttpResponse:
    body = json_body(request)
    _own_request(request, request_id)
    help_requests.request_message(actor=request.user, request_id=request_id, body=text(body.get("body")))
    return JsonResponse(_detail(_own_request(request, request_id)), status=201)


@require_POST
@session_json
def api_photo(request: HttpRequest, request_id: int) -> HttpResponse:
    """multipart/form-data with one file field, `photo`."""
    found = help_requests.request_attach_photo(
        actor=request.user, request_id=request_id, upload=request.FILES.get("photo")
    )
    return JsonResponse(_detail(found))


urlpatterns: list[URLPattern] = [
    path("sos/", app_home, name="app"),
    path("sos/sos/", sos_screen, name="app_sos"),
    path("sos/support/", support, name="app_support"),
    path("sos/requests/", my_requests, name="app_requests"),
    path("sos/requests/<int:request_id>/", request_detail, name="app_request"),
    path("sos/requests/<int:request_id>/cancel/", request_cancel, name="app_request_cancel"),
    path("sos/requests/<int:request_id>/reply/", request_reply, name="app_request_reply"),
    path("sos/requests/<int:request_id>/photo/", request_photo, name="app_request_photo"),
    path("sos/manifest.webmanifest", manifest, name="app_manifest"),
    path("sos/app/requests", api_requests, name="app_api_requests"),
    path("sos/app/requests/<int:request_id>.json", api_request, name="app_api_request"),
    path("sos/app/requests/<int:request_id>/cancel", api_cancel, name="app_api_cancel"),
    path("sos/app/requests/<int:request_id>/messages", api_messages, name="app_api_messages"),
    path("sos/app/requests/<int:request_id>/photo", api_photo, name="app_api_photo"),
]
