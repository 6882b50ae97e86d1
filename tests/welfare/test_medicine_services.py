"""The regular-medicine services on the real database: a request (checks, one open per clinic, the
constraint behind it, the clinic told), scheduling (pick-up window, delivery day, the clinic's own queue
only), dispensing (and the next request too early), declining with a reason, cancelling by the person."""

from datetime import time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.core.models import AuditEntry
from ansinh.notify.models import Message
from ansinh.welfare import medicine_messages as msg
from ansinh.welfare import medicine_selectors as sel
from ansinh.welfare.medicine_errors import (
    MedicineAlreadyRequested,
    MedicineStatusConflict,
    MedicineTooEarly,
    NoPersonRecord,
    NoSuchClinic,
)
from ansinh.welfare.models import MedicineRegistration, MedicineStatus
from ansinh.welfare.services import medicine
from tests.factories import UserFactory
from tests.welfare.medicine_world import CARD, make_world, request_body, working_day_ahead

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_world()


def ask(world, user=None, **overrides):
    return medicine.medicine_request(actor=user or world.lan, **request_body(world, **overrides))


def schedule(world, registration, **overrides):
    values = {
        "scheduled_on": working_day_ahead(),
        "window_start": time(8),
        "window_end": time(10),
        "days_supplied": 30,
        "note": "Mang theo thẻ BHYT",
        **overrides,
    }
    return medicine.medicine_schedule(actor=world.staff, registration_id=registration.pk, **values)


def test_a_person_asks_their_clinic(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = ask(world, insurance_card_number="dn 479 1234567890", phone="0912 345 678")
    registration.refresh_from_db()
    assert registration.status == MedicineStatus.REQUESTED
    assert registration.insurance_card_number == CARD
    assert registration.phone == "+84912345678"
    assert registration.org_path == world.clinic.path
    assert registration.province_id == world.hanoi.pk
    assert AuditEntry.objects.filter(
        action="welfare.medicine_request", object_id=str(registration.pk)
    ).exists()
    told = Message.objects.get(recipient_person=world.lan_person)
    assert told.template == msg.REQUEST_SENT
    assert told.link == "/social/medicine/"
    staff_message = Message.objects.get(recipient_user=world.staff)
    assert staff_message.template == msg.REQUEST_NEW
    assert "Tăng huyết áp" not in staff_message.body  # no health data in messages that leave the site
    assert not Message.objects.filter(recipient_user=world.staff_b).exists()


def test_the_phone_of_the_record_is_used_when_none_is_given(world):
    registration = ask(world, phone="")
    assert registration.phone == "+84912345678"


def test_a_delivery_needs_an_address_and_bad_fields_are_named(world):
    with pytest.raises(ValidationFailed) as raised:
        ask(world, mode="delivery", insurance_card_number="12345", condition=" ", phone="12")
    fields = raised.value.details["fields"]
    assert set(fields) == {"delivery_address", "insurance_card_number", "condition", "phone"}
    with pytest.raises(ValidationFailed) as raised:
        ask(world, mode="by drone")
    assert "mode" in raised.value.details["fields"]
    assert not MedicineRegistration.objects.exists()


def test_a_pickup_keeps_no_address(world):
    registration = ask(world, delivery_address="12 Phố Huế")
    assert registration.delivery_address == ""


def test_only_an_open_clinic_takes_requests(world):
    with pytest.raises(NoSuchClinic):
        ask(world, clinic_id=world.closed_clinic.pk)
    with pytest.raises(NoSuchClinic):
        ask(world, clinic_id=world.staff.memberships.first().organisation_id + 10_000)


def test_a_login_without_a_person_record_cannot_ask(world):
    with pytest.raises(NoPersonRecord):
        ask(world, user=UserFactory())


def test_one_open_request_per_person_and_clinic(world):
    first = ask(world)
    with pytest.raises(MedicineAlreadyRequested) as raised:
        ask(world)
    assert raised.value.code == "welfare.medicine_duplicate"
    # Another clinic, or another person, is not a duplicate.
    ask(world, clinic_id=world.clinic_b.pk)
    ask(world, user=world.minh)
    # Once the first is closed, a new request is accepted.
    medicine.medicine_cancel(actor=world.lan, registration_id=first.pk)
    ask(world)


def test_the_database_refuses_a_second_open_request_whatever_the_timing(world):
    first = ask(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        MedicineRegistration.objects.create(
            person=first.person,
            clinic=first.clinic,
            insurance_card_number=CARD,
            condition="x",
            mode="pickup",
            phone="+84912345678",
            org_path=first.org_path,
            province=first.province,
        )


def test_the_service_turns_a_lost_race_into_the_duplicate_error(world, monkeypatch):
    ask(world)
    # As if the check ran before the other request committed: only the constraint stops the second.
    monkeypatch.setattr("ansinh.welfare.services.medicine.OPEN_MEDICINE_STATUSES", ("none",))
    with pytest.raises(MedicineAlreadyRequested):
        ask(world)
    assert MedicineRegistration.objects.count() == 1


def test_the_clinic_schedules_a_pickup(world, django_capture_on_commit_callbacks):
    registration = ask(world)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(world, registration)
    registration.refresh_from_db()
    assert registration.status == MedicineStatus.SCHEDULED
    assert registration.window_start == time(8)
    assert registration.days_supplied == 30
    assert registration.handled_by == world.staff
    assert registration.scheduled_at
    told = Message.objects.filter(recipient_person=world.lan_person, template=msg.PICKUP_SCHEDULED).get()
    assert "08:00" in told.body
    assert "10:00" in told.body
    assert AuditEntry.objects.filter(action="welfare.medicine_schedule").exists()
    # Moving it is a reschedule, audited as such.
    schedule(world, registration, window_start=time(14), window_end=time(15))
    assert AuditEntry.objects.filter(action="welfare.medicine_reschedule").exists()


def test_a_pickup_needs_a_window_and_a_working_day(world):
    registration = ask(world)
    with pytest.raises(ValidationFailed) as raised:
        schedule(world, registration, window_start=None, window_end=None, days_supplied=120)
    assert set(raised.value.details["fields"]) == {"window_start", "window_end", "days_supplied"}
    sunday = working_day_ahead()
    while sunday.weekday() != 6:
        sunday += timedelta(days=1)
    with pytest.raises(ValidationFailed) as raised:
        schedule(world, registration, scheduled_on=sunday)
    assert "scheduled_on" in raised.value.details["fields"]
    registration.refresh_from_db()
    assert registration.status == MedicineStatus.REQUESTED


def test_a_delivery_needs_only_a_day(world, django_capture_on_commit_callbacks):
    registration = ask(world, mode="delivery", delivery_address="12 Phố Huế, Hà Nội")
    with django_capture_on_commit_callbacks(execute=True):
        schedule(world, registration, window_start=None, window_end=None)
    registration.refresh_from_db()
    assert registration.status == MedicineStatus.SCHEDULED
    told = Message.objects.get(recipient_person=world.lan_person, template=msg.DELIVERY_SCHEDULED)
    assert "12 Phố Huế" in told.body


def test_only_the_clinics_own_staff_handle_its_requests(world):
    registration = ask(world)
    with pytest.raises(NotFound):
        medicine.medicine_schedule(
            actor=world.staff_b,
            registration_id=registration.pk,
            scheduled_on=working_day_ahead(),
            window_start=time(8),
            window_end=time(9),
            days_supplied=30,
        )
    with pytest.raises(PermissionDenied):
        medicine.medicine_decline(actor=world.minh, registration_id=registration.pk, reason="x")
    assert list(sel.clinic_queue(world.staff_b)) == []
    assert list(sel.clinic_queue(world.staff)) == [registration]


def test_dispensing_closes_the_request_and_opens_the_next_a_few_days_before_it_runs_out(
    world, django_capture_on_commit_callbacks
):
    registration = ask(world)
    with pytest.raises(MedicineStatusConflict):
        medicine.medicine_dispense(actor=world.staff, registration_id=registration.pk)
    schedule(world, registration)
    with django_capture_on_commit_callbacks(execute=True):
        medicine.medicine_dispense(actor=world.staff, registration_id=registration.pk, days_supplied=28)
    registration.refresh_from_db()
    assert registration.status == MedicineStatus.DISPENSED
    assert registration.days_supplied == 28
    assert registration.closed_at
    assert Message.objects.filter(recipient_person=world.lan_person, template=msg.DISPENSED).exists()
    with pytest.raises(MedicineTooEarly) as raised:
        ask(world)
    expected = timezone.localdate() + timedelta(days=23)
    assert raised.value.details["next_request_from"] == expected.isoformat()
    # Another clinic is not held back, and a dispensed request cannot be dispensed again.
    ask(world, clinic_id=world.clinic_b.pk)
    with pytest.raises(MedicineStatusConflict):
        medicine.medicine_dispense(actor=world.staff, registration_id=registration.pk)


def test_once_the_supply_runs_low_the_person_may_ask_again(world):
    registration = ask(world)
    schedule(world, registration)
    medicine.medicine_dispense(actor=world.staff, registration_id=registration.pk, days_supplied=30)
    MedicineRegistration.objects.filter(pk=registration.pk).update(
        closed_at=timezone.now() - timedelta(days=26)
    )
    assert ask(world).status == MedicineStatus.REQUESTED


def test_declining_needs_a_reason_the_person_reads(world, django_capture_on_commit_callbacks):
    registration = ask(world)
    with pytest.raises(ValidationFailed) as raised:
        medicine.medicine_decline(actor=world.staff, registration_id=registration.pk, reason="  ")
    assert "reason" in raised.value.details["fields"]
    with django_capture_on_commit_callbacks(execute=True):
        medicine.medicine_decline(
            actor=world.staff, registration_id=registration.pk, reason="Thẻ BHYT không đăng ký tại trạm"
        )
    registration.refresh_from_db()
    assert registration.status == MedicineStatus.DECLINED
    assert registration.clinic_note == "Thẻ BHYT không đăng ký tại trạm"
    told = Message.objects.get(recipient_person=world.lan_person, template=msg.DECLINED)
    assert "không đăng ký" in told.body
    with pytest.raises(MedicineStatusConflict):
        medicine.medicine_cancel(actor=world.lan, registration_id=registration.pk)


def test_the_person_cancels_their_own_open_request(world, django_capture_on_commit_callbacks):
    registration = ask(world)
    schedule(world, registration)
    with pytest.raises(NotFound):
        medicine.medicine_cancel(actor=world.minh, registration_id=registration.pk)
    with django_capture_on_commit_callbacks(execute=True):
        medicine.medicine_cancel(actor=world.lan, registration_id=registration.pk)
    registration.refresh_from_db()
    assert registration.status == MedicineStatus.CANCELLED
    assert registration.closed_at
    assert Message.objects.filter(recipient_person=world.lan_person, template=msg.CANCELLED).exists()
    # The clinic had scheduled it: its staff are told not to prepare it.
    assert Message.objects.filter(recipient_user=world.staff, template=msg.CANCELLED_FOR_CLINIC).exists()
    with pytest.raises(MedicineStatusConflict):
        medicine.medicine_cancel(actor=world.lan, registration_id=registration.pk)
    with pytest.raises(MedicineStatusConflict):
        schedule(world, registration)


def test_the_queue_views_and_counts(world):
    waiting = ask(world)
    today_one = ask(world, user=world.minh)
    schedule(world, today_one)
    day = working_day_ahead()
    assert list(sel.clinic_queue(world.staff, view=sel.QUEUE_TO_CONFIRM)) == [waiting]
    assert list(sel.clinic_queue(world.staff, view=sel.QUEUE_SCHEDULED)) == [today_one]
    assert list(sel.clinic_queue(world.staff, view=sel.QUEUE_TODAY, today=day)) == [today_one]
    assert list(sel.clinic_queue(world.staff, view=sel.QUEUE_TODAY, today=timezone.localdate())) == []
    assert list(sel.clinic_queue(world.staff, day=day)) == [today_one]
    assert list(sel.clinic_queue(world.staff, status="requested")) == [waiting]
    assert sel.queue_counts(world.staff, today=day) == {"today": 1, "to_confirm": 1, "scheduled": 1}


def test_clinics_to_choose_by_province_and_words(world):
    assert list(sel.clinics_to_choose(province_id=world.hanoi.pk)) == [world.clinic]
    assert list(sel.clinics_to_choose(search="nghi loc")) == [world.clinic_b]
    assert list(sel.clinics_to_choose(province_id=world.hanoi.pk, search="nghi")) == []
