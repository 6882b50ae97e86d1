"""Writes of support and SOS requests. A 201 means the row is committed; the same Idempotency-Key from the
same worker returns the same request, so a phone retrying after a lost answer never sends twice."""

import math
import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import filetype
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.selectors import active_memberships
from ansinh.core import audit
from ansinh.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationFailed
from ansinh.core.identifiers import normalise_phone
from ansinh.sos.models import (
    Category,
    HelpRequest,
    RequestKind,
    RequestMessage,
    RequestStatus,
    WorkerProfile,
)
from ansinh.sos.selectors import worker_phone
from ansinh.sos.services import desk
from ansinh.sos.services.events import desk_event

_KEY = re.compile(r"\A[A-Za-z0-9_\-]{8,64}\Z")
CANCEL_WINDOW = timedelta(seconds=60)
RATE_WINDOW = timedelta(hours=1)
RATE_LIMIT = 10


def require_worker(actor: Any) -> None:
    """A worker is a signed-in person acting for themselves, not for an organisation."""
    if not getattr(actor, "is_authenticated", False) or not actor.person_id or active_memberships(actor):
        raise PermissionDenied()


def _decimal(value: Any, field: str, low: int, high: int, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors[field] = [_("Enter a number.")]
        return None
    if not number.is_finite() or not low <= number <= high:
        errors[field] = [_("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}]
        return None
    return number.quantize(Decimal("0.000001"))


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    kind = fields.get("kind")
    if kind not in RequestKind.values:
        errors["kind"] = [_("Choose sos or support.")]
    try:
        phone = normalise_phone(str(fields.get("phone") or ""))
    except ValueError as exc:
        errors["phone"] = [str(exc)]
        phone = ""
    latitude = _decimal(fields.get("latitude"), "latitude", -90, 90, errors)
    longitude = _decimal(fields.get("longitude"), "longitude", -180, 180, errors)
    if (latitude is None) != (longitude is None) and "latitude" not in errors and "longitude" not in errors:
        errors["longitude" if latitude is not None else "latitude"] = [_("Give both latitude and longitude.")]
    location_text = str(fields.get("location_text") or "").strip()[:500]
    if (
        latitude is None
        and longitude is None
        and not location_text
        and not errors.keys() & {"latitude", "longitude"}
    ):
        errors["location_text"] = [
            _("Give your location: allow the phone's location, or type where you are.")
        ]
    accuracy = fields.get("accuracy_m")
    if accuracy is not None and (
        not isinstance(accuracy, int | float) or not math.isfinite(accuracy) or not 0 <= accuracy <= 1_000_000
    ):
        errors["accuracy_m"] = [_("Must be between %(low)s and %(high)s.") % {"low": 0, "high": 1_000_000}]
    message = str(fields.get("message") or "").strip()
    if kind == RequestKind.SUPPORT and not message:
        errors["message"] = [_("Say what help you need.")]
    if len(message) > 4000:
        errors["message"] = [_("At most %(n)d characters.") % {"n": 4000}]
    category = fields.get("category") or Category.OTHER
    if category not in Category.values:
        errors["category"] = [_("Choose one of the options.")]
    if errors:
        raise ValidationFailed(errors)
    return {
        "kind": kind,
        "phone": phone,
        "latitude": latitude,
        "longitude": longitude,
        "accuracy_m": int(accuracy) if accuracy is not None else None,
        "location_text": location_text,
        "message": message,
        "category": category,
    }


def request_submit(
    *, actor: Any, idempotency_key: str, client_created_at: datetime | None = None, **fields: Any
) -> tuple[HelpRequest, bool]:
    """Record a request (and say whether it is new). An SOS over the rate is accepted and flagged."""
    require_worker(actor)
    if not _KEY.match(idempotency_key or ""):
        raise ValidationFailed.single(
            "Idempotency-Key", _("Send an Idempotency-Key of 8 to 64 letters and digits.")
        )
    existing = HelpRequest.objects.filter(worker=actor, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    if not fields.get("phone"):
        # The app pre-fills the phone on the profile; a client that sends none gets the same.
        fields["phone"] = worker_phone(actor)
    cleaned = _clean(fields)
    cleaned["country"] = (
        WorkerProfile.objects.filter(person_id=actor.person_id).values_list("country", flat=True).first()
        or ""
    )
    now = timezone.now()
    recent = HelpRequest.objects.filter(worker=actor, created_at__gte=now - RATE_WINDOW).count()
    over_rate = recent >= RATE_LIMIT
    if over_rate and cleaned["kind"] == RequestKind.SUPPORT:
        raise RateLimited(_("Too many requests in the last hour. For an emergency, use SOS."))
    if client_created_at is not None and not now - timedelta(days=7) <= client_created_at <= now + timedelta(
        minutes=5
    ):
        client_created_at = None  # a phone clock far off is not evidence of anything
    try:
        with transaction.atomic():
            request = HelpRequest.objects.create(
                worker=actor,
                idempotency_key=idempotency_key,
                client_created_at=client_created_at,
                flagged=over_rate,
                created_at=now,
                **cleaned,
            )
            prefix = "SOS" if request.kind == RequestKind.SOS else "HT"
            request.reference = f"{prefix}-{timezone.localdate(now):%y%m%d}-{request.pk:06d}"
            request.save(update_fields=["reference"])
            audit.record(
                actor=actor, action=f"sos.{request.kind}", obj=request, changes={"flagged": over_rate}
            )
            desk_event(request, "created")
    except IntegrityError:
        # The same key raced in from a retry: the first one won.
        return HelpRequest.objects.get(worker=actor, idempotency_key=idempotency_key), False
    return request, True


_PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic"}


def request_attach_photo(*, actor: Any, request_id: int, upload: Any) -> HelpRequest:
    """One optional photo on the worker's own request, checked by its content, not its name."""
    require_worker(actor)
    if upload is None:
        raise ValidationFailed.single("photo", _("Choose a photo."))
    if upload.size > settings.SOS_PHOTO_MAX_BYTES:
        raise ValidationFailed.single(
            "photo",
            _("The photo is too large: at most %(mb)d MB.") % {"mb": settings.SOS_PHOTO_MAX_BYTES // 2**20},
        )
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in _PHOTO_TYPES:
        raise ValidationFailed.single("photo", _("Send a photo (JPEG, PNG, WebP or HEIC)."))
    with transaction.atomic():
        request = _own_open(actor, request_id)
        if request.photo:
            raise Conflict(_("This request already has a photo."))
        request.photo.save(f"{request.reference}.{kind.extension}", upload, save=False)
        request.save(update_fields=["photo"])
        audit.record(actor=actor, action="sos.photo", obj=request)
    return request


def _own_open(actor: Any, request_id: int) -> HelpRequest:
    request = HelpRequest.objects.select_for_update().filter(pk=request_id, worker=actor).first()
    if request is None:
        raise NotFound()
    return request


def cancel_seconds_left(request: HelpRequest) -> int:
    """How long the worker may still cancel: only while nobody took it up, within the window."""
    if request.status != RequestStatus.RECEIVED:
        return 0
    left = CANCEL_WINDOW - (timezone.now() - request.created_at)
    return max(0, int(left.total_seconds()))


def request_cancel(*, actor: Any, request_id: int) -> HelpRequest:
    """ "Sent by mistake": the worker may cancel within 60 seconds, before an operator took it up."""
    with transaction.atomic():
        request = _own_open(actor, request_id)
        if not cancel_seconds_left(request):
            raise Conflict(_("This request can no longer be cancelled; tell the operator in a message."))
        request.status = RequestStatus.CANCELLED
        request.cancelled_at = timezone.now()
        request.save(update_fields=["status", "cancelled_at"])
        audit.record(actor=actor, action="sos.cancel", obj=request)
        desk_event(request, "cancelled")
    return request


def request_message(*, actor: Any, request_id: int, body: str) -> RequestMessage:
    """A message on a request: from the worker who sent it, or (through the desk) from an operator."""
    text = (body or "").strip()
    if not text or len(text) > 4000:
        raise ValidationFailed.single("body", _("Write a message (at most 4000 characters)."))
    with transaction.atomic():
        request = HelpRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None:
            raise NotFound()
        if request.worker_id != actor.pk:
            return desk.operator_reply(actor=actor, request=request, body=text)
        message = RequestMessage.objects.create(request=request, author=actor, from_operator=False, body=text)
        audit.record(actor=actor, action="sos.message", obj=request)
        desk_event(request, "message")
    return message
