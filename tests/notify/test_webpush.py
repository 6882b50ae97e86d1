"""Web push against a real HTTP push service on 127.0.0.1 (tests/notify/conftest.py): what is posted (VAPID
auth, aes128gcm encryption the browser can decrypt), and what each answer of the push service does."""

import json

import pytest
from celery.exceptions import Retry
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from ansinh.notify import vapid
from ansinh.notify.models import Delivery, PushSubscription
from ansinh.notify.rules import MAX_ATTEMPTS
from ansinh.notify.services import notify_person, notify_user
from ansinh.notify.tasks import deliver
from tests.factories import PersonFactory, UserFactory
from tests.notify.support import as_worker, b64url_decode

pytestmark = pytest.mark.django_db

HELLO = {"subject": "Hồ sơ đã được tiếp nhận", "body": "Hồ sơ 000.00.40.H40-260321-0001 đã được tiếp nhận."}


def subscribe(user, push_service, browser, name="device-1") -> PushSubscription:
    return PushSubscription.objects.create(
        user=user, endpoint=push_service.endpoint(name), p256dh=browser.p256dh, auth=browser.auth
    )


def vapid_token(authorization: str) -> tuple[dict, str, str]:
    """`vapid t=<jwt>, k=<key>` -> (claims, jwt, key)."""
    assert authorization.startswith("vapid ")
    parts = dict(part.strip().split("=", 1) for part in authorization[len("vapid ") :].split(","))
    _header, claims, _signature = parts["t"].split(".")
    return json.loads(b64url_decode(claims)), parts["t"], parts["k"]


def verify_es256(jwt: str, public_key_b64: str) -> None:
    signing_input, _, signature = jwt.rpartition(".")
    raw = b64url_decode(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(public_key_b64))
    key.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged


def test_push_is_an_encrypted_post_signed_with_the_vapid_key(
    push_service, browser, settings, django_capture_on_commit_callbacks
):
    person = PersonFactory()
    user = UserFactory(person=person)
    subscription = subscribe(user, push_service, browser)
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_person(person, "notify.generic", HELLO, link="/dossiers/7/")

    [request] = push_service.requests
    assert request.path == "/push/device-1"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["ttl"] == str(24 * 3600)
    claims, jwt, key = vapid_token(request.headers["authorization"])
    assert key == vapid.public_key()
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == settings.WEBPUSH_VAPID_SUBJECT
    verify_es256(jwt, key)
    assert HELLO["body"].encode() not in request.body  # encrypted on the wire
    assert browser.decrypt(request.body) == {
        "title": HELLO["subject"],
        "body": HELLO["body"],
        "url": "/dossiers/7/",
        "tag": f"ansinh-message-{message.pk}",
        "lang": "vi",
    }
    delivery = Delivery.objects.get(message=message, channel="push")
    assert (delivery.status, delivery.address) == ("sent", subscription.endpoint)
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None


def test_every_device_of_the_user_gets_it(push_service, browser, django_capture_on_commit_callbacks):
    user = UserFactory()
    subscribe(user, push_service, browser, "phone")
    subscribe(user, push_service, browser, "laptop")
    subscribe(UserFactory(), push_service, browser, "someone-else")
    with django_capture_on_commit_callbacks(execute=True):
        notify_user(user, "notify.generic", HELLO)
    assert sorted(r.path for r in push_service.requests) == ["/push/laptop", "/push/phone"]


@pytest.mark.parametrize("gone", [404, 410])
def test_a_subscription_the_push_service_no_longer_knows_is_removed(
    push_service, browser, gone, django_capture_on_commit_callbacks
):
    user = UserFactory()
    subscription = subscribe(user, push_service, browser)
    push_service.answer(gone)
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_user(user, "notify.generic", HELLO)
    assert not PushSubscription.objects.filter(pk=subscription.pk).exists()
    delivery = Delivery.objects.get(message=message)
    assert (delivery.status, delivery.last_error) == ("failed", f"push: {gone}")
    assert len(push_service.requests) == 1


def test_a_server_error_is_retried_in_a_worker_then_failed(push_service, browser, monkeypatch):
    user = UserFactory()
    subscription = subscribe(user, push_service, browser)
    delivery = Delivery.objects.get(message=notify_user(user, "notify.generic", HELLO))
    push_service.answer(*[500] * MAX_ATTEMPTS)
    countdowns = []
    monkeypatch.setattr(deliver, "retry", lambda countdown, **kw: countdowns.append(countdown) or Retry())

    for retries in range(MAX_ATTEMPTS - 1):
        with pytest.raises(Retry):
            as_worker(deliver, retries, delivery.pk)
    assert as_worker(deliver, MAX_ATTEMPTS - 1, delivery.pk) == "failed"

    assert len(push_service.requests) == MAX_ATTEMPTS
    assert countdowns == [60, 120, 240, 480, 960]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", MAX_ATTEMPTS, "push: 500")
    subscription.refresh_from_db()
    assert subscription.failures == MAX_ATTEMPTS  # kept: a server error says nothing about the subscription


def test_a_server_error_when_eager_fails_once_without_raising(
    push_service, browser, django_capture_on_commit_callbacks
):
    user = UserFactory()
    subscribe(user, push_service, browser)
    push_service.answer(500)
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_user(user, "notify.generic", HELLO)
    assert len(push_service.requests) == 1
    assert Delivery.objects.get(message=message).status == "failed"


def test_a_push_service_that_recovers_gets_the_message_on_the_retry(push_service, browser, monkeypatch):
    user = UserFactory()
    subscription = subscribe(user, push_service, browser)
    delivery = Delivery.objects.get(message=notify_user(user, "notify.generic", HELLO))
    push_service.answer(503, 201)
    monkeypatch.setattr(deliver, "retry", lambda countdown, **kw: Retry())
    with pytest.raises(Retry):
        as_worker(deliver, 0, delivery.pk)
    assert as_worker(deliver, 1, delivery.pk) == "sent"
    assert as_worker(deliver, 2, delivery.pk) == "sent"  # a duplicate task sends nothing more
    assert len(push_service.requests) == 2
    subscription.refresh_from_db()
    assert (subscription.failures, subscription.last_success_at is not None) == (0, True)


def test_a_device_that_unsubscribed_before_sending_is_skipped(push_service, browser):
    user = UserFactory()
    subscription = subscribe(user, push_service, browser)
    delivery = Delivery.objects.get(message=notify_user(user, "notify.generic", HELLO))
    subscription.delete()
    assert deliver(delivery.pk) == "skipped"
    assert push_service.requests == []


def test_a_device_now_used_by_another_account_does_not_get_the_message(push_service, browser):
    user, next_user = UserFactory(), UserFactory()
    subscription = subscribe(user, push_service, browser)
    delivery = Delivery.objects.get(message=notify_user(user, "notify.generic", HELLO))
    PushSubscription.objects.filter(pk=subscription.pk).update(
        user=next_user
    )  # signed in on the same browser
    assert deliver(delivery.pk) == "skipped"
    assert push_service.requests == []


def test_a_person_message_goes_to_the_devices_of_the_person_account(push_service, browser):
    person = PersonFactory()
    subscribe(UserFactory(person=person), push_service, browser)
    delivery = Delivery.objects.get(message=notify_person(person, "notify.generic", HELLO), channel="push")
    assert deliver(delivery.pk) == "sent"
    assert len(push_service.requests) == 1


def test_an_unreachable_push_service_is_a_recorded_failure(browser, settings):
    settings.WEBPUSH_ALLOW_LOCAL_ENDPOINTS = True
    user = UserFactory()
    PushSubscription.objects.create(
        user=user, endpoint="http://127.0.0.1:9/push/nobody", p256dh=browser.p256dh, auth=browser.auth
    )
    delivery = Delivery.objects.get(message=notify_user(user, "notify.generic", HELLO))
    assert deliver(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.last_error == "push: ConnectionError"
