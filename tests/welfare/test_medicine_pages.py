"""The regular-medicine pages: the person asks (clinics of their province, searchable), sees the day and
cancels; the clinic's staff see the queue and schedule, dispense or decline on the request's page."""

from datetime import time

import pytest
from django.conf import settings

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.core.models import AuditEntry
from ansinh.welfare.models import MedicineRegistration, MedicineStatus
from ansinh.welfare.services import medicine
from tests.welfare.medicine_world import make_world, request_body, working_day_ahead

pytestmark = pytest.mark.django_db
HOME = "/social/medicine/"
QUEUE = "/social/medicine/clinic/"


@pytest.fixture
def world(db):
    return make_world()


def sign_in(client, user):
    """Clinic staff read health data: their session carries the second factor (a citizen's flag is unused)."""
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_person_asks_for_medicine_on_the_page(client, world):
    sign_in(client, world.lan)
    page = client.get(HOME)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Trạm y tế phường Ba Đình" in text
    assert "Trạm y tế xã Nghi Lộc" not in text  # another province's clinic, until searched for
    assert 'value="+84912345678"' in text  # the phone of the record, ready to send
    searched = client.get(HOME, {"province": world.nghe_an.pk, "q": "nghi loc"}).content.decode()
    assert "Trạm y tế xã Nghi Lộc" in searched

    refused = client.post(HOME, request_body(world, mode="delivery", insurance_card_number="12"))
    assert refused.status_code == 422
    assert "15 characters" in refused.content.decode()
    assert "address where the medicine should be delivered" in refused.content.decode()
    assert not MedicineRegistration.objects.exists()

    sent = client.post(HOME, request_body(world), follow=True)
    assert sent.status_code == 200
    assert "Your request was sent to the clinic" in sent.content.decode()
    assert "Sent to the clinic" in sent.content.decode()
    again = client.post(HOME, request_body(world))
    assert again.status_code == 422
    assert "already have an open request" in again.content.decode()


def test_the_person_sees_the_window_and_cancels(client, world):
    registration = medicine.medicine_request(actor=world.lan, **request_body(world))
    day = working_day_ahead()
    medicine.medicine_schedule(
        actor=world.staff,
        registration_id=registration.pk,
        scheduled_on=day,
        window_start=time(8),
        window_end=time(9, 30),
        days_supplied=30,
    )
    sign_in(client, world.lan)
    text = client.get(HOME).content.decode()
    assert day.strftime("%d/%m/%Y") in text
    assert "08:00–09:30" in text
    assert "30 days of medicine" in text
    # Another person cannot cancel it; its owner can.
    sign_in(client, world.minh)
    assert client.post(f"{HOME}{registration.pk}/cancel/").status_code == 404
    sign_in(client, world.lan)
    done = client.post(f"{HOME}{registration.pk}/cancel/", follow=True)
    assert "Your request is cancelled." in done.content.decode()
    registration.refresh_from_db()
    assert registration.status == MedicineStatus.CANCELLED


def test_the_clinic_handles_its_queue(client, world):
    registration = medicine.medicine_request(actor=world.lan, **request_body(world))
    sign_in(client, world.staff)
    queue = client.get(QUEUE, {"view": "to_confirm"})
    assert queue.status_code == 200
    assert "Nguyễn Thị Lan" in queue.content.decode()
    detail = client.get(f"{QUEUE}{registration.pk}/")
    assert detail.status_code == 200
    assert "DN4791234567890" in detail.content.decode()
    assert AuditEntry.objects.filter(action="record.read", object_id=str(registration.pk)).exists()

    day = working_day_ahead().isoformat()
    bad = client.post(f"{QUEUE}{registration.pk}/schedule/", {"scheduled_on": day, "days_supplied": 30})
    assert bad.status_code == 422
    assert "A pick-up needs the time the window opens." in bad.content.decode()
    good = client.post(
        f"{QUEUE}{registration.pk}/schedule/",
        {"scheduled_on": day, "window_start": "08:00", "window_end": "09:00", "days_supplied": 30},
        follow=True,
    )
    assert "Scheduled. The person has been told." in good.content.decode()
    assert client.get(QUEUE, {"view": "scheduled"}).content.decode().count("Nguyễn Thị Lan") == 1
    handed = client.post(f"{QUEUE}{registration.pk}/dispense/", {"days_supplied": 30}, follow=True)
    assert "Recorded as handed over." in handed.content.decode()
    registration.refresh_from_db()
    assert registration.status == MedicineStatus.DISPENSED


def test_declining_on_the_page_needs_a_reason(client, world):
    registration = medicine.medicine_request(actor=world.lan, **request_body(world))
    sign_in(client, world.staff)
    assert client.post(f"{QUEUE}{registration.pk}/decline/", {"reason": ""}).status_code == 422
    done = client.post(f"{QUEUE}{registration.pk}/decline/", {"reason": "Thẻ đăng ký nơi khác"}, follow=True)
    assert "Declined." in done.content.decode()


def test_another_clinic_and_citizens_cannot_see_the_queue(client, world):
    registration = medicine.medicine_request(actor=world.lan, **request_body(world))
    sign_in(client, world.staff_b)
    assert "Nguyễn Thị Lan" not in client.get(QUEUE, {"view": "all"}).content.decode()
    assert client.get(f"{QUEUE}{registration.pk}/").status_code == 404
    sign_in(client, world.minh)
    assert client.get(QUEUE).status_code == 403
