"""Pages of the 24/7 desk: the live console (queue, map, clocks) and one request with the worker card,
the conversation, the desk's log and the operator's actions. Plain forms that work without JavaScript;
the console's script only keeps the page live."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ansinh.accounts.selectors import has_permission
from ansinh.core import audit
from ansinh.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from ansinh.sos import selectors
from ansinh.sos.forms import NoticeForm
from ansinh.sos.models import OPEN_STATUSES, ActionKind, HelpRequest, Outcome, RequestKind, RequestStatus
from ansinh.sos.permissions import SOS_HANDLE, SOS_SUPERVISE
from ansinh.sos.services import desk, help_requests, workers
from ansinh.sos.services import notices as notice_services
from ansinh.sos.services.events import last_sequence
from ansinh.web.forms import apply_domain_error

View = Callable[..., HttpResponse]


def desk_page(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_permission(request.user, SOS_HANDLE):
            return render(request, "web/denied.html", {"error": PermissionDenied()}, status=403)
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return render(request, "web/denied.html", {"error": exc}, status=exc.status)

    return wrapped


def _clock(request: HelpRequest, now: Any) -> dict[str, Any]:
    waited = int((now - request.created_at).total_seconds())
    limit = int(desk.ack_limit(request.kind).total_seconds())
    return {"waited": waited, "late": request.acknowledged_at is None and waited > limit, "limit": limit}


def _console_context(request: HttpRequest) -> dict[str, Any]:
    # The sequence first, then the queue: whatever happens in between is replayed by the socket (a row
    # applied twice is the same row), so the console never starts behind the table.
    sequence = last_sequence()
    rows = list(selectors.request_queue(request.user)[:200])
    # The rows show places and phones' positions: personal data, so who saw which requests is logged (one
    # entry per view, not one per row).
    audit.record(actor=request.user, action="sos.queue_read", changes={"requests": [r.pk for r in rows]})
    now = timezone.now()
    return {
        "sequence": sequence,
        "rows": [{"r": r, **_clock(r, now)} for r in rows],
        "tile_url": settings.SOS_MAP_TILE_URL,
        "tile_attribution": settings.SOS_MAP_ATTRIBUTION,
        "sos_limit": settings.SOS_ACK_LIMIT_SECONDS,
        "support_limit": settings.SUPPORT_ACK_LIMIT_SECONDS,
        "is_supervisor": has_permission(request.user, SOS_SUPERVISE),
        "labels": {"status": {k: str(v) for k, v in RequestStatus.choices}},
    }


@require_safe
@desk_page
def console(request: HttpRequest) -> HttpResponse:
    return render(request, "sos/desk/console.html", _console_context(request))


@require_safe
@desk_page
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = selectors.desk_request_get(request.user, request_id)
    now = timezone.now()
    return render(
        request,
        "sos/desk/request.html",
        {
            "r": help_request,
            "clock": _clock(help_request, now),
            "card": selectors.worker_card(help_request),
            "conversation": help_request.messages.select_related("author"),
            "actions": selectors.request_actions(help_request),
            "operators": selectors.desk_staff(SOS_HANDLE),
            "missions": selectors.missions_for(help_request.country)[:100],
            "outcomes": Outcome.choices,
            "open": help_request.status in OPEN_STATUSES,
            "is_sos": help_request.kind == RequestKind.SOS,
            "sequence": last_sequence(),
            "tile_url": settings.SOS_MAP_TILE_URL,
            "tile_attribution": settings.SOS_MAP_ATTRIBUTION,
        },
    )


def _int(value: str | None, field: str) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise ValidationFailed.single(field, _("Choose one of the options.")) from None


def _verify_caller(request: HttpRequest, request_id: int) -> None:
    """The operator asks the caller the worker's security question and types the answer they hear."""
    card = selectors.worker_card(selectors.desk_request_get(request.user, request_id))
    if card.profile_id is None:
        raise NotFound()
    if workers.security_answer_check(
        actor=request.user, worker_id=card.profile_id, answer=request.POST.get("answer", "")
    ):
        messages.success(request, _("The answer matches: the caller knows the worker's security answer."))
    else:
        messages.error(request, _("The answer does not match."))


def _field_labels() -> dict[str, str]:
    return {
        "assignee": _("Operator"),
        "body": _("Text"),
        "kind": _("Kind"),
        "mission_id": _("Mission or agency"),
        "agency": _("Agency"),
        "note": _("Note"),
        "outcome": _("Outcome note"),
        "outcome_category": _("Outcome"),
        "reason": _("Reason"),
        "answer": _("Answer"),
    }


@require_POST
@desk_page
def request_act(request: HttpRequest, request_id: int, verb: str) -> HttpResponse:
    """One operator action from the request page; domain errors come back as a message naming the field."""
    post = request.POST
    actor = request.user
    try:
        if verb == "acknowledge":
            desk.request_acknowledge(actor=actor, request_id=request_id)
        elif verb == "assign":
            desk.request_assign(
                actor=actor,
                request_id=request_id,
                assignee_id=_int(post.get("assignee"), "assignee"),
                note=post.get("note", ""),
            )
        elif verb in (ActionKind.CALL, ActionKind.NOTE):
            desk.request_record(actor=actor, request_id=request_id, kind=verb, body=post.get("body", ""))
        elif verb == "escalate":
            mission = post.get("mission") or None
            desk.request_escalate(
                actor=actor,
                request_id=request_id,
                mission_id=_int(mission, "mission_id") if mission else None,
                agency=post.get("agency", ""),
                note=post.get("note", ""),
            )
        elif verb == "message":
            help_requests.request_message(actor=actor, request_id=request_id, body=post.get("body", ""))
        elif verb == "resolve":
            desk.request_resolve(
                actor=actor,
                request_id=request_id,
                outcome_category=post.get("outcome_category", ""),
                outcome=post.get("outcome", ""),
            )
        elif verb == "verify":
            _verify_caller(request, request_id)
            return redirect("sos:desk_request", request_id=request_id)
        elif verb == "reopen":
            desk.request_reopen(actor=actor, request_id=request_id, reason=post.get("reason", ""))
        else:
            return render(request, "web/denied.html", {"error": PermissionDenied()}, status=404)
    except ValidationFailed as exc:
        labels = _field_labels()
        for field, errors in exc.details.get("fields", {}).items():
            messages.error(request, f"{labels.get(field, field)}: {' '.join(errors)}")
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("sos:desk_request", request_id=request_id)


@desk_page
def notices(request: HttpRequest) -> HttpResponse:
    """The centre's notices: publish (to everyone, a country, a programme or an employer) and withdraw."""
    form = NoticeForm(request.POST or None, initial={"audience": "everyone"})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            notice = notice_services.notice_publish(actor=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Published: %(title)s") % {"title": notice.title})
            return redirect("sos:desk_notices")
    if form.errors:
        status = 422
    return render(
        request,
        "sos/desk/notices.html",
        {"form": form, "notices": selectors.published_notices().order_by("-published_at", "-id")[:50]},
        status=status,
    )


@require_POST
@desk_page
def notice_withdraw(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice_services.notice_withdraw(actor=request.user, notice_id=notice_id)
    messages.success(request, _("The notice is withdrawn."))
    return redirect("sos:desk_notices")


urlpatterns: list[URLPattern] = [
    path("staff/sos/notices/", notices, name="desk_notices"),
    path("staff/sos/notices/<int:notice_id>/withdraw/", notice_withdraw, name="desk_notice_withdraw"),
    path("staff/sos/", console, name="desk"),
    path("staff/sos/requests/<int:request_id>/", request_detail, name="desk_request"),
    path("staff/sos/requests/<int:request_id>/<slug:verb>/", request_act, name="desk_act"),
]
