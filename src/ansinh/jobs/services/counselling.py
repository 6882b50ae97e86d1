"""Counselling appointments: a person books one (or an officer books it for a walk-in); the officer records
the advice and marks it held, which records the service and sends its satisfaction survey, or marks it a
no-show or cancelled."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.jobs import centre_selectors as sel
from ansinh.jobs.errors import StatusChangeNotAllowed
from ansinh.jobs.models import AppointmentStatus, CounsellingAppointment, ServiceKind
from ansinh.jobs.services.service_records import person_for_service, service_delivered

CHANNELS = ("in_person", "phone", "video")
# A booking is for the coming months; an officer may record a walk-in that happened earlier today.
BOOK_AHEAD_DAYS = 120
OUTCOMES = (AppointmentStatus.DONE, AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED)


def _check(*, starts_at: Any, channel: str, topic: str, walk_in: bool) -> tuple[datetime, str, str]:
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if not isinstance(starts_at, datetime):
        errors["starts_at"] = [_("Choose the date and time.")]
    else:
        if timezone.is_naive(starts_at):
            starts_at = timezone.make_aware(starts_at)
        earliest = now - timedelta(hours=12) if walk_in else now
        if starts_at < earliest:
            errors["starts_at"] = [_("Choose a time that has not passed.")]
        elif starts_at > now + timedelta(days=BOOK_AHEAD_DAYS):
            errors["starts_at"] = [_("Choose a time within the next four months.")]
    if channel not in CHANNELS:
        errors["channel"] = [_("Choose how you would like to be counselled.")]
    topic = " ".join((topic or "").split())
    if not topic:
        errors["topic"] = [_("Say in a few words what you would like advice on.")]
    elif len(topic) > 300:
        errors["topic"] = [_("Keep it under 300 characters.")]
    if errors:
        raise ValidationFailed(errors)
    assert isinstance(starts_at, datetime)
    return starts_at, channel, topic


@transaction.atomic
def appointment_book(
    *, actor: Any, centre_id: int, starts_at: Any, channel: str, topic: str
) -> CounsellingAppointment:
    """A signed-in person books counselling for themselves at any active centre."""
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        raise ValidationFailed.single("person", _("Your account has no personal record to book with."))
    centre = sel.public_centre_get(centre_id)
    when, channel, topic = _check(starts_at=starts_at, channel=channel, topic=topic, walk_in=False)
    appointment = CounsellingAppointment.objects.create(
        centre=centre,
        person_id=person_id,
        starts_at=when,
        channel=channel,
        topic=topic,
        org_path=centre.path,
    )
    audit.record(actor=actor, action="jobs.appointment_book", obj=appointment)
    return appointment


@transaction.atomic
def appointment_cancel_own(*, actor: Any, appointment_id: int) -> CounsellingAppointment:
    """The person cancels their own booked appointment."""
    appointment = (
        CounsellingAppointment.objects.select_for_update()
        .filter(pk=appointment_id, person_id=getattr(actor, "person_id", None) or 0)
        .first()
    )
    if appointment is None:
        raise NotFound()
    if appointment.status != AppointmentStatus.BOOKED:
        raise StatusChangeNotAllowed()
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save(update_fields=["status"])
    audit.record(actor=actor, action="jobs.appointment_cancel", obj=appointment)
    return appointment


@transaction.atomic
def appointment_book_walk_in(
    *,
    actor: Any,
    centre_id: Any = None,
    personal_id: str,
    full_name: str = "",
    phone: str = "",
    starts_at: Any = None,
    channel: str = "in_person",
    topic: str,
) -> CounsellingAppointment:
    """An officer books counselling for a person at the desk (by the personal ID number; a person not yet
    on record is registered). Without a time, it is now."""
    centre = sel.centre_get_for(actor, centre_id)
    when, channel, topic = _check(
        starts_at=starts_at or timezone.now(), channel=channel, topic=topic, walk_in=True
    )
    person = person_for_service(personal_id=personal_id, full_name=full_name, phone=phone)
    appointment = CounsellingAppointment.objects.create(
        centre=centre,
        person=person,
        starts_at=when,
        channel=channel,
        topic=topic,
        counsellor=actor,
        org_path=centre.path,
    )
    audit.record(actor=actor, action="jobs.appointment_book_walk_in", obj=appointment)
    return appointment


@transaction.atomic
def appointment_record(
    *, actor: Any, appointment_id: int, status: str, advice: str = ""
) -> CounsellingAppointment:
    """The officer closes a booked appointment: held (with the record of advice: the service is recorded and
    the person gets a satisfaction survey), the person did not come, or cancelled."""
    found = sel.appointment_get_for(actor, appointment_id)
    appointment = CounsellingAppointment.objects.select_for_update().get(pk=found.pk)
    if status not in OUTCOMES:
        raise ValidationFailed.single("status", _("Choose what happened."))
    if appointment.status != AppointmentStatus.BOOKED:
        raise StatusChangeNotAllowed()
    advice = (advice or "").strip()
    if status == AppointmentStatus.DONE:
        if not advice:
            raise ValidationFailed.single("advice", _("Write down the advice given."))
        if appointment.starts_at > timezone.now() + timedelta(hours=1):
            raise ValidationFailed.single("status", _("An appointment cannot be held before its time."))
    if len(advice) > 5000:
        raise ValidationFailed.single("advice", _("Keep the record under 5,000 characters."))
    appointment.status = status
    appointment.advice = advice
    appointment.counsellor = actor
    appointment.save(update_fields=["status", "advice", "counsellor"])
    audit.record(actor=actor, action="jobs.appointment_record", obj=appointment, changes={"status": status})
    if status == AppointmentStatus.DONE:
        service_delivered(
            centre=found.centre,
            person=found.person,
            kind=ServiceKind.COUNSELLING,
            source_id=appointment.pk,
        )
    return appointment
