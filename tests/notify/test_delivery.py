"""The delivery task: idempotent, bounded retries with back-off in a worker, a recorded failure (never an
exception in the caller) when eager."""

import smtplib

import pytest
from celery.exceptions import Retry
from django.core import mail

from ansinh.core import sms
from ansinh.notify.models import Delivery
from ansinh.notify.rules import MAX_ATTEMPTS, retry_delay
from ansinh.notify.services import notify_person
from ansinh.notify.tasks import deliver
from tests.factories import PersonFactory
from tests.notify.support import as_worker

pytestmark = pytest.mark.django_db

HELLO = {"subject": "Lịch hẹn", "body": "Mời anh đến Trung tâm lúc 8 giờ."}


class DisconnectingEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("gone")


class RefusingEmailBackend(DisconnectingEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"lan@example.vn": (550, b"no such user")})


class BrokenSmsBackend:
    def send(self, phone, text):
        raise TimeoutError("gateway timeout")


def one_delivery(channel: str, **person_fields) -> Delivery:
    message = notify_person(PersonFactory(**person_fields), "notify.generic", HELLO, channels=[channel])
    return Delivery.objects.get(message=message)


def test_running_the_task_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = Delivery.objects.get(
            message=notify_person(PersonFactory(email="lan@example.vn"), "notify.generic", HELLO)
        )
    assert deliver(delivery.pk) == "sent"
    assert deliver.delay(delivery.pk).get() == "sent"
    delivery.refresh_from_db()
    assert len(mail.outbox) == 1
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert delivery.sent_at is not None


def test_an_attempt_already_claimed_by_another_worker_is_not_sent_again(monkeypatch):
    delivery = one_delivery("email", email="lan@example.vn")
    # Another worker claimed attempt 1 between this worker's read and its claim.
    real_filter = Delivery.objects.filter
    claimed = {"done": False}

    def filter_and_race(*args, **kwargs):
        if "attempts" in kwargs and not claimed["done"]:
            claimed["done"] = True
            Delivery.objects.filter(pk=delivery.pk).update(attempts=1)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Delivery.objects, "filter", filter_and_race)
    assert deliver(delivery.pk) == "pending"
    assert mail.outbox == []


def test_eager_failure_is_recorded_not_raised(settings):
    settings.EMAIL_BACKEND = "tests.notify.test_delivery.DisconnectingEmailBackend"
    delivery = one_delivery("email", email="lan@example.vn")
    assert deliver.delay(delivery.pk).get() == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "SMTPServerDisconnected" in delivery.last_error


def test_refused_recipient_is_not_retried_even_in_a_worker(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.notify.test_delivery.RefusingEmailBackend"
    delivery = one_delivery("email", email="lan@example.vn")
    monkeypatch.setattr(deliver, "retry", lambda **kw: pytest.fail("must not retry"))
    assert as_worker(deliver, 0, delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.last_error == "recipient refused"


def test_sms_failure_is_retried_in_a_worker_with_exponential_back_off_then_failed(settings, monkeypatch):
    settings.SMS_BACKEND = "tests.notify.test_delivery.BrokenSmsBackend"
    delivery = one_delivery("sms", phone="+84912345678")
    countdowns: list[int] = []

    def retry(countdown: int, **kwargs):
        countdowns.append(countdown)
        return Retry("retry", when=countdown)

    monkeypatch.setattr(deliver, "retry", retry)
    for retries in range(MAX_ATTEMPTS - 1):
        with pytest.raises(Retry):
            as_worker(deliver, retries, delivery.pk)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("pending", retries + 1)
        assert "TimeoutError" in delivery.last_error
    assert as_worker(deliver, MAX_ATTEMPTS - 1, delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert countdowns == [60, 120, 240, 480, 960] == [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert sms.outbox == []


def test_retry_succeeds_when_the_channel_comes_back(settings, monkeypatch):
    settings.SMS_BACKEND = "tests.notify.test_delivery.BrokenSmsBackend"
    delivery = one_delivery("sms", phone="+84912345678")
    monkeypatch.setattr(deliver, "retry", lambda countdown, **kw: Retry("retry", when=countdown))
    with pytest.raises(Retry):
        as_worker(deliver, 0, delivery.pk)
    settings.SMS_BACKEND = "ansinh.core.sms.LocmemSmsBackend"
    assert as_worker(deliver, 1, delivery.pk) == "sent"
    assert len(sms.outbox) == 1


def test_a_deleted_delivery_is_nothing_to_do():
    assert deliver(10**9) == "missing"


def test_a_delivery_whose_task_was_lost_is_sent_by_the_sweep():
    from datetime import timedelta

    from django.utils import timezone

    from ansinh.notify.tasks import resend_stale_deliveries

    # Written without its task (no on_commit run): as if the broker had been down at that moment.
    lost = one_delivery("email", email="lan@example.vn")
    fresh = one_delivery("email", email="hoa@example.vn")
    Delivery.objects.filter(pk=lost.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert resend_stale_deliveries() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == "sent"
    assert fresh.status == "pending"  # recent: its own task may still be on the way
    assert [m.to for m in mail.outbox] == [["lan@example.vn"]]
    assert resend_stale_deliveries() == 0
