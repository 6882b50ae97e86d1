"""The 24/7 desk's writes: take a request up, assign and hand over, log calls and notes, message the
worker, escalate to a mission or agency, resolve and reopen. Each write is audited, logged on the request,
numbered on the desk's event stream, and (when the worker should know) sent to the worker's inbox."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.models import User
from ansinh.accounts.selectors import has_permission, require_permission
from ansinh.core import audit
from ansinh.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ansinh.notify.services import notify_person, notify_user
from ansinh.sos import messages, selectors
from ansinh.sos.models import (
    OPEN_STATUSES,
    ActionKind,
    HelpRequest,
    Mission,
    Outcome,
    RequestAction,
    RequestKind,
    RequestMessage,
    RequestStatus,
)
from ansinh.sos.permissions import SOS_HANDLE, SOS_SUPERVISE
from ansinh.sos.services.events import desk_event

NOTE_MAX = 2000


def _locked(actor: Any, request_id: int, *, open_only: bool = True) -> HelpRequest:
    require_permission(actor, SOS_HANDLE)
    request = HelpRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise NotFound()
    if open_only and request.status not in OPEN_STATUSES:
        raise Conflict(_("This request is closed."))
    return request


def _note(text: str, field: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationFailed.single(field, _("This field is required."))
    if len(text) > NOTE_MAX:
        raise ValidationFailed.single(field, _("At most %(n)d characters.") % {"n": NOTE_MAX})
    return text


def _worker_link(request: HelpRequest) -> str:
    return reverse("sos:app_request", args=[request.pk])


def _tell_worker(request: HelpRequest, note: str = "") -> None:
    person = request.worker.person
    if person is None:
        return
    notify_person(
        person,
        messages.REQUEST_CHANGED,
        {"reference": request.reference, "status": request.get_status_display(), "note": note},
        link=_worker_link(request),
    )


def _take_up(request: HelpRequest, actor: Any) -> bool:
    """The first thing an operator does on a request acknowledges it. Says whether anything changed."""
    if request.acknowledged_at is not None and request.status == RequestStatus.IN_PROGRESS:
        return False
    request.acknowledged_at = request.acknowledged_at or timezone.now()
    request.assigned_to = request.assigned_to or actor
    request.status = RequestStatus.IN_PROGRESS
    request.save(update_fields=["acknowledged_at", "assigned_to", "status"])
    return True


def _log(request: HelpRequest, actor: Any, kind: str, body: str = "", **extra: Any) -> RequestAction:
    return RequestAction.objects.create(request=request, actor=actor, kind=kind, body=body, **extra)


def request_acknowledge(*, actor: Any, request_id: int) -> HelpRequest:
    """The operator takes the request up: acknowledged, assigned to them (unless assigned), in progress."""
    with transaction.atomic():
        request = _locked(actor, request_id)
        if _take_up(request, actor):
            _log(request, actor, ActionKind.ACKNOWLEDGE)
            audit.record(actor=actor, action="sos.acknowledge", obj=request)
            _tell_worker(request)
            desk_event(request, "acknowledged")
    return request


def _desk_member(user_id: int) -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not has_permission(user, SOS_HANDLE):
        raise ValidationFailed.single("assignee", _("Choose an operator of the desk."))
    return user


def request_assign(*, actor: Any, request_id: int, assignee_id: int, note: str = "") -> HelpRequest:
    """Assign, or hand over between shifts. Taking a request from another operator needs the supervisor's
    right, unless that operator is the one handing it over."""
    note = _note(note, "note", required=False)
    with transaction.atomic():
        request = _locked(actor, request_id)
        assignee = _desk_member(assignee_id)
        current = request.assigned_to_id
        if current not in (None, actor.pk) and not has_permission(actor, SOS_SUPERVISE):
            raise PermissionDenied(
                _("Only the assigned operator or a supervisor can hand this request over.")
            )
        if current == assignee.pk:
            return request
        request.assigned_to = assignee
        if request.status == RequestStatus.RECEIVED:
            request.status = RequestStatus.ASSIGNED
        request.save(update_fields=["assigned_to", "status"])
        kind = ActionKind.ASSIGN if current is None else ActionKind.HANDOVER
        _log(request, actor, kind, note, assignee=assignee)
        audit.record(actor=actor, action=f"sos.{kind}", obj=request, changes={"assignee": assignee.pk})
        desk_event(request, "assigned")
    return request


def request_record(*, actor: Any, request_id: int, kind: str, body: str) -> RequestAction:
    """A call made or received, or a note, in the request's log."""
    if kind not in (ActionKind.CALL, ActionKind.NOTE):
        raise ValidationFailed.single("kind", _("Choose call or note."))
    body = _note(body, "body", required=True)
    with transaction.atomic():
        request = _locked(actor, request_id, open_only=False)
        if request.status in OPEN_STATUSES:
            _take_up(request, actor)
        action = _log(request, actor, kind, body)
        audit.record(actor=actor, action=f"sos.{kind}", obj=request)
        desk_event(request, kind)
    return action


def request_escalate(
    *, actor: Any, request_id: int, mission_id: int | None = None, agency: str = "", note: str = ""
) -> RequestAction:
    """Hand the case to an organisation that can act where the worker is: a mission from the directory,
    or an agency named by the operator (the sending enterprise, a hospital...). Logged on the request."""
    agency = _note(agency, "agency", required=False)[:200]
    note = _note(note, "note", required=False)
    mission = None
    if mission_id is not None:
        mission = Mission.objects.filter(pk=mission_id, active=True).first()
        if mission is None:
            raise ValidationFailed.single("mission_id", _("Choose a mission from the directory."))
    elif not agency:
        raise ValidationFailed.single("mission_id", _("Choose a mission, or name the agency."))
    with transaction.atomic():
        request = _locked(actor, request_id)
        _take_up(request, actor)
        body = "\n".join(part for part in (agency, note) if part)
        action = _log(request, actor, ActionKind.ESCALATE, body, mission=mission)
        audit.record(
            actor=actor,
            action="sos.escalate",
            obj=request,
            changes={"mission": mission.pk if mission else None, "agency": agency},
        )
        desk_event(request, "escalated")
    return action


def operator_reply(*, actor: Any, request: HelpRequest, body: str) -> RequestMessage:
    """A message from the desk to the worker (called inside the caller's transaction, row locked)."""
    require_permission(actor, SOS_HANDLE)
    if request.status in OPEN_STATUSES:
        _take_up(request, actor)
    message = RequestMessage.objects.create(request=request, author=actor, from_operator=True, body=body)
    audit.record(actor=actor, action="sos.message", obj=request)
    person = request.worker.person
    if person is not None:
        notify_person(
            person,
            messages.OPERATOR_REPLIED,
            {"reference": request.reference, "body": body[:500]},
            link=_worker_link(request),
        )
    desk_event(request, "message")
    return message


def request_resolve(
    *, actor: Any, request_id: int, outcome: str = "", outcome_category: str = ""
) -> HelpRequest:
    category = outcome_category or Outcome.OTHER
    if category not in Outcome.values:
        raise ValidationFailed.single("outcome_category", _("Choose one of the options."))
    note = _note(outcome, "outcome", required=category == Outcome.OTHER)[:500]
    with transaction.atomic():
        request = _locked(actor, request_id)
        now = timezone.now()
        request.acknowledged_at = request.acknowledged_at or now
        request.assigned_to = request.assigned_to or actor
        request.status = RequestStatus.RESOLVED
        request.resolved_at = now
        request.outcome_category = category
        request.outcome = note
        request.save(
            update_fields=[
                "acknowledged_at",
                "assigned_to",
                "status",
                "resolved_at",
                "outcome_category",
                "outcome",
            ]
        )
        _log(request, actor, ActionKind.RESOLVE, note)
        audit.record(actor=actor, action="sos.resolve", obj=request, changes={"outcome": category})
        _tell_worker(request, note)
        desk_event(request, "resolved")
    return request


def request_reopen(*, actor: Any, request_id: int, reason: str) -> HelpRequest:
    reason = _note(reason, "reason", required=True)
    with transaction.atomic():
        request = _locked(actor, request_id, open_only=False)
        if request.status != RequestStatus.RESOLVED:
            raise Conflict(_("Only a resolved request can be reopened."))
        request.status = RequestStatus.IN_PROGRESS
        request.reopened_at = timezone.now()
        request.resolved_at = None
        request.assigned_to = request.assigned_to or actor
        request.save(update_fields=["status", "reopened_at", "resolved_at", "assigned_to"])
        _log(request, actor, ActionKind.REOPEN, reason)
        audit.record(actor=actor, action="sos.reopen", obj=request)
        _tell_worker(request, reason)
        desk_event(request, "reopened")
    return request


def ack_limit(kind: str) -> timedelta:
    seconds = (
        settings.SOS_ACK_LIMIT_SECONDS if kind == RequestKind.SOS else settings.SUPPORT_ACK_LIMIT_SECONDS
    )
    return timedelta(seconds=seconds)


def overdue_sweep(*, batch: int = 200) -> int:
    """Requests nobody acknowledged within their limit: tell the desk's supervisors, once per request."""
    now = timezone.now()
    supervisors = selectors.desk_staff(SOS_SUPERVISE)
    told = 0
    for kind in RequestKind.values:
        due = HelpRequest.objects.filter(
            kind=kind,
            status__in=OPEN_STATUSES,
            acknowledged_at__isnull=True,
            overdue_alerted_at__isnull=True,
            created_at__lte=now - ack_limit(kind),
        ).values_list("pk", flat=True)[:batch]
        for request_id in list(due):
            with transaction.atomic():
                request = (
                    HelpRequest.objects.select_for_update()
                    .filter(pk=request_id, acknowledged_at__isnull=True, overdue_alerted_at__isnull=True)
                    .first()
                )
                if request is None:  # taken up meanwhile
                    continue
                request.overdue_alerted_at = now
                request.save(update_fields=["overdue_alerted_at"])
                _log(request, None, ActionKind.OVERDUE)
                minutes = int((now - request.created_at).total_seconds() // 60)
                context = {
                    "kind": request.get_kind_display(),
                    "reference": request.reference,
                    "country": request.country or "-",
                    "minutes": minutes,
                }
                link = reverse("sos:desk_request", args=[request.pk])
                for supervisor in supervisors:
                    notify_user(supervisor, messages.REQUEST_OVERDUE, context, link=link)
                audit.record(actor=None, action="sos.overdue", obj=request, changes={"minutes": minutes})
                desk_event(request, "overdue")
                told += 1
    return told
