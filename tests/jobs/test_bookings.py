"""Interview bookings: a place is taken by one conditional update and given back exactly once; the same
seeker cannot book the same time twice; a booking registers the seeker for the fair and links their
application; attendance at an online interview is a service on record; reminders go once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ansinh.jobs.errors import AlreadyBooked, NoSeekerProfile, SlotFull
from ansinh.jobs.models import (
    BookingStatus,
    FairKind,
    FairRegistration,
    InterviewBooking,
    ServiceKind,
    ServiceRecord,
)
from ansinh.jobs.services import applications, bookings
from ansinh.notify.models import Message
from tests.factories import UserFactory
from tests.jobs.test_fairs import make_booth, make_fair, make_slot, user_of
from tests.jobs.world import make_seeker

pytestmark = pytest.mark.django_db


def _seekers(world, n):
    return [
        user_of(
            make_seeker(
                full_name=f"Người tìm việc {i}",
                username=f"seeker-extra-{i}",
                province=world.hcm,
                headline="Kế toán",
                occupations=["241"],
            )
        )
        for i in range(n)
    ]


def test_a_slot_takes_its_capacity_and_no_more(world):
    slot = make_slot(world, make_booth(world, make_fair(world)), capacity=2)
    first, second, third = _seekers(world, 3)
    bookings.booking_create(actor=first, slot_id=slot.pk)
    bookings.booking_create(actor=second, slot_id=slot.pk)
    with pytest.raises(SlotFull):
        bookings.booking_create(actor=third, slot_id=slot.pk)
    slot.refresh_from_db()
    assert slot.booked == 2
    assert InterviewBooking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count() == 2


def test_the_same_time_twice_is_refused_and_cancel_frees_the_place_once(world):
    slot = make_slot(world, make_booth(world, make_fair(world)), capacity=1)
    lan, other = user_of(world.seeker_anonymous), user_of(world.seeker_full)
    booking = bookings.booking_create(actor=lan, slot_id=slot.pk)
    with pytest.raises(AlreadyBooked):
        bookings.booking_create(actor=lan, slot_id=slot.pk)
    with pytest.raises(NotFound):  # another seeker's booking
        bookings.booking_cancel(actor=other, booking_id=booking.pk)
    cancelled = bookings.booking_cancel(actor=lan, booking_id=booking.pk)
    assert cancelled.status == BookingStatus.CANCELLED
    bookings.booking_cancel(actor=lan, booking_id=booking.pk)  # again: nothing more is freed
    slot.refresh_from_db()
    assert slot.booked == 0
    bookings.booking_create(actor=other, slot_id=slot.pk)
    slot.refresh_from_db()
    assert slot.booked == 1
    # Booking again after cancelling is allowed (the cancelled row stays for the record).
    with pytest.raises(SlotFull):
        bookings.booking_create(actor=lan, slot_id=slot.pk)


def test_booking_registers_for_the_fair_links_the_application_and_tells_the_seeker(
    world, django_capture_on_commit_callbacks
):
    fair = make_fair(world)
    slot = make_slot(world, make_booth(world, fair))
    lan = user_of(world.seeker_anonymous)
    application = applications.application_submit(actor=lan, vacancy_id=world.vacancy_a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        booking = bookings.booking_create(actor=lan, slot_id=slot.pk)
    assert booking.application == application
    assert FairRegistration.objects.filter(fair=fair, person=world.seeker_anonymous.person).exists()
    message = Message.objects.get(
        recipient_person=world.seeker_anonymous.person, template="jobs.interview_booked"
    )
    assert message is not None
    # A seeker with no application to the booth's vacancies books without a link.
    other = bookings.booking_create(actor=user_of(world.seeker_full), slot_id=slot.pk)
    assert other.application is None


def test_who_cannot_book(world):
    fair = make_fair(world)
    slot = make_slot(world, make_booth(world, fair))
    with pytest.raises(NoSeekerProfile):
        bookings.booking_create(actor=UserFactory(), slot_id=slot.pk)
    with pytest.raises(NotFound):
        bookings.booking_create(actor=user_of(world.seeker_anonymous), slot_id=999_999)
    type(slot).objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5), ends_at=timezone.now() + timedelta(minutes=25)
    )
    with pytest.raises(bookings.SlotStarted):
        bookings.booking_create(actor=user_of(world.seeker_anonymous), slot_id=slot.pk)


def test_an_attended_online_interview_is_a_service_on_record_once(world, django_capture_on_commit_callbacks):
    fair = make_fair(world, FairKind.ONLINE)
    slot = make_slot(world, make_booth(world, fair))
    lan = user_of(world.seeker_anonymous)
    booking = bookings.booking_create(actor=lan, slot_id=slot.pk)
    with pytest.raises(NotFound):  # employer B does not mark A's interviews
        bookings.booking_mark(actor=world.admin_b, booking_id=booking.pk, status="attended")
    with pytest.raises(PermissionDenied):
        bookings.booking_mark(actor=user_of(world.seeker_full), booking_id=booking.pk, status="attended")
    with pytest.raises(ValidationFailed):
        bookings.booking_mark(actor=world.admin_a, booking_id=booking.pk, status="booked")
    with django_capture_on_commit_callbacks(execute=True):
        bookings.booking_mark(actor=world.admin_a, booking_id=booking.pk, status="attended")
    registration = FairRegistration.objects.get(fair=fair, person=world.seeker_anonymous.person)
    assert registration.checked_in_at is not None
    record = ServiceRecord.objects.get(kind=ServiceKind.FAIR, source_id=registration.pk)
    assert record.centre == world.centre_hcm
    assert Message.objects.filter(recipient_person=record.person, template="jobs.survey").count() == 1
    # The centre marks it again: still one service.
    bookings.booking_mark(actor=world.centre_officer, booking_id=booking.pk, status="attended")
    assert ServiceRecord.objects.filter(kind=ServiceKind.FAIR).count() == 1
    # A marked interview cannot be cancelled by the seeker any more.
    with pytest.raises(Conflict):
        bookings.booking_cancel(actor=lan, booking_id=booking.pk)


def test_reminders_go_once_a_day_ahead_with_the_time_and_the_link(world, django_capture_on_commit_callbacks):
    fair = make_fair(world)
    slot = make_slot(world, make_booth(world, fair))
    lan = user_of(world.seeker_anonymous)
    booking = bookings.booking_create(actor=lan, slot_id=slot.pk)
    cancelled = bookings.booking_create(actor=user_of(world.seeker_full), slot_id=slot.pk)
    bookings.booking_cancel(actor=user_of(world.seeker_full), booking_id=cancelled.pk)
    too_early = slot.starts_at - timedelta(hours=30)
    assert bookings.reminders_send(now=too_early) == 0
    now = slot.starts_at - timedelta(hours=20)
    with django_capture_on_commit_callbacks(execute=True):
        assert bookings.reminders_send(now=now) == 1
    assert bookings.reminders_send(now=now + timedelta(minutes=10)) == 0
    booking.refresh_from_db()
    assert booking.reminded_at == now
    message = Message.objects.get(
        recipient_person=world.seeker_anonymous.person, template="jobs.interview_reminder"
    )
    text = f"{message.subject} {message.body}"
    local = timezone.localtime(slot.starts_at, bookings.VIETNAM).strftime("%H:%M %d/%m/%Y")
    assert local in text
    assert slot.video_link in text
    assert not Message.objects.filter(
        recipient_person=world.seeker_full.person, template="jobs.interview_reminder"
    ).exists()


def test_the_reminder_task_calls_the_service(world):
    from ansinh.jobs.tasks import send_interview_reminders

    assert send_interview_reminders.delay().get() == 0
