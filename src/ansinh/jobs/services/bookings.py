"""Interview bookings at a fair's booths.

No overbooking, whatever the number of concurrent requests: a booking raises the slot's `booked` by one
conditional UPDATE (`booked < capacity`), which the database applies row by row (PostgreSQL re-checks the
condition after waiting for a concurrent writer; SQLite runs one writer at a time), and the booking row is
written in the same transaction, so a failure after the UPDATE gives the place back. A check constraint
(`booked <= capacity`) guards the table too. Cancelling frees the place exactly once: only the request that
moves the booking out of "booked" gives the place back."""

from datetime import datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ansinh.core import audit
from ansinh.core.errors import Conflict, NotFound, ValidationFailed
from ansinh.jobs import fair_selectors as sel
from ansinh.jobs.errors import AlreadyBooked, SlotFull
from ansinh.jobs.models import (
    Application,
    ApplicationStatus,
    BookingStatus,
    FairRegistration,
    FairStatus,
    InterviewBooking,
    InterviewSlot,
    ServiceKind,
)
from ansinh.jobs.services.applications import seeker_of
from ansinh.jobs.services.fairs import registration_ensure
from ansinh.jobs.services.service_records import service_delivered
from ansinh.notify.services import notify_person
from ansinh.notify.templates import register_template

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
REMIND_AHEAD = timedelta(hours=24)

INTERVIEW_BOOKED = "jobs.interview_booked"
INTERVIEW_REMINDER = "jobs.interview_reminder"
register_template(
    INTERVIEW_BOOKED,
    gettext_lazy("Interview booked: {employer}, {time}"),
    gettext_lazy(
        'Your interview with {employer} at the job fair "{fair}" is booked for {time} (Vietnam time). '
        "Where: {where}"
    ),
)
register_template(
    INTERVIEW_REMINDER,
    gettext_lazy("Reminder: interview with {employer} at {time}"),
    gettext_lazy(
        'Your interview with {employer} at the job fair "{fair}" is at {time} (Vietnam time). '
        "Where: {where}. If you cannot come, please cancel the booking so someone else can take the place."
    ),
)


class SlotStarted(Conflict):
    code = "jobs.slot_started"
    default_message = gettext_lazy("This interview time has already started.")


def vietnam_time(moment: datetime) -> str:
    return timezone.localtime(moment, VIETNAM).strftime("%H:%M %d/%m/%Y")


def _where(slot: InterviewSlot) -> str:
    fair = slot.booth.fair
    if slot.video_link:
        return slot.video_link
    return fair.venue or fair.online_url or fair.title


def _context(slot: InterviewSlot) -> dict[str, str]:
    return {
        "employer": slot.booth.employer.organisation.name,
        "fair": slot.booth.fair.title,
        "time": vietnam_time(slot.starts_at),
        "where": _where(slot),
    }


def _link_application(booking: InterviewBooking, slot: InterviewSlot) -> None:
    """The seeker's application to a vacancy the booth presents, if any: linked to the booking, and the
    application marked as coming through the fair when it had no fair yet. Its status is the employer's."""
    application = (
        Application.objects.filter(seeker_id=booking.seeker_id, vacancy__booths=slot.booth_id)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .order_by("-created_at", "-pk")
        .first()
    )
    if application is None:
        return
    booking.application = application
    booking.save(update_fields=["application"])
    Application.objects.filter(pk=application.pk, fair__isnull=True).update(fair=slot.booth.fair_id)


@transaction.atomic
def booking_create(*, actor: Any, slot_id: int) -> InterviewBooking:
    """The signed-in seeker books a place at an interview time (and is registered for the fair)."""
    seeker = seeker_of(actor)
    slot = (
        InterviewSlot.objects.select_related("booth__fair__centre", "booth__employer__organisation")
        .filter(pk=slot_id, booth__fair__status=FairStatus.PLANNED)
        .first()
    )
    if slot is None:
        raise NotFound()
    if slot.starts_at <= timezone.now():
        raise SlotStarted()
    if InterviewBooking.objects.filter(slot=slot, seeker=seeker, status=BookingStatus.BOOKED).exists():
        raise AlreadyBooked()
    taken = InterviewSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if taken == 0:
        raise SlotFull()
    try:
        with transaction.atomic():
            booking = InterviewBooking.objects.create(slot=slot, seeker=seeker)
    except IntegrityError:  # the same seeker, concurrently: the outer transaction gives the place back
        raise AlreadyBooked() from None
    registration_ensure(slot.booth.fair, seeker.person)
    _link_application(booking, slot)
    audit.record(actor=actor, action="jobs.booking_create", obj=booking, changes={"slot": slot.pk})
    person, context = seeker.person, _context(slot)
    transaction.on_commit(lambda: notify_person(person, INTERVIEW_BOOKED, context))
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking_id: int) -> InterviewBooking:
    """The seeker cancels their booking; the place is freed once (a repeated cancel changes nothing)."""
    seeker = seeker_of(actor)
    booking = InterviewBooking.objects.filter(pk=booking_id, seeker=seeker).first()
    if booking is None:
        raise NotFound()
    moved = InterviewBooking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
        status=BookingStatus.CANCELLED
    )
    booking.refresh_from_db()  # as it is now (a concurrent cancel may have moved it meanwhile)
    if moved:
        InterviewSlot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)
        audit.record(actor=actor, action="jobs.booking_cancel", obj=booking)
    elif booking.status != BookingStatus.CANCELLED:
        raise Conflict(_("This interview has already taken place."))
    return booking


@transaction.atomic
def booking_mark(*, actor: Any, booking_id: int, status: str) -> InterviewBooking:
    """The booth's employer or the fair's centre records whether the seeker came to the interview. A seeker
    who came received the fair's service: it is on record (once per registration) with its survey."""
    if status not in (BookingStatus.ATTENDED, BookingStatus.NO_SHOW):
        raise ValidationFailed.single("status", _("Choose whether the seeker came."))
    booking = sel.booking_get_for_booth_writer(actor, booking_id)
    if booking.status == BookingStatus.CANCELLED:
        raise Conflict(_("This booking was cancelled."))
    slot = booking.slot
    fair = slot.booth.fair
    if fair.status == FairStatus.CANCELLED:
        raise Conflict(_("This job fair was cancelled."))
    if booking.status != status:
        booking.status = status
        booking.save(update_fields=["status"])
        audit.record(actor=actor, action="jobs.booking_mark", obj=booking, changes={"status": status})
    if status == BookingStatus.ATTENDED:
        # Whoever came to an interview attended the fair (an online fair has no door to check in at).
        registration, _made = registration_ensure(fair, booking.seeker.person)
        FairRegistration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
            checked_in_at=timezone.now(), checked_in_by=actor
        )
        service_delivered(
            centre=fair.centre, person=booking.seeker.person, kind=ServiceKind.FAIR, source_id=registration.pk
        )
    return booking


def reminders_send(*, now: datetime) -> int:
    """Each booked interview starting within the next 24 hours is reminded once (time in Vietnam time, and
    the video-call link or the venue). Safe to run again: a booking already reminded is skipped."""
    due = (
        InterviewBooking.objects.filter(
            status=BookingStatus.BOOKED,
            reminded_at__isnull=True,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + REMIND_AHEAD,
            slot__booth__fair__status=FairStatus.PLANNED,
        )
        .select_related("seeker__person", "slot__booth__fair", "slot__booth__employer__organisation")
        .order_by("slot__starts_at", "pk")
    )
    sent = 0
    for booking in due.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = InterviewBooking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            transaction.on_commit(
                partial(notify_person, booking.seeker.person, INTERVIEW_REMINDER, _context(booking.slot))
            )
            sent += 1
    return sent
