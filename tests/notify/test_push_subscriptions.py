"""Registering browsers for web push: what is accepted, what moves, what is told, what is audited."""

import pytest
from django.core import mail

from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.core.models import AuditEntry
from ansinh.notify.models import Message, PushSubscription
from ansinh.notify.services import MAX_SUBSCRIPTIONS_PER_USER, push_subscribe, push_unsubscribe
from tests.factories import UserFactory
from tests.notify.support import Browser

pytestmark = pytest.mark.django_db

FCM = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bH"


def fields_of(excinfo) -> set[str]:
    return set(excinfo.value.details["fields"])


def test_a_browser_subscription_is_stored_and_the_new_device_announced(
    push_service, browser, django_capture_on_commit_callbacks
):
    user = UserFactory(email="lan@example.vn", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        subscription = push_subscribe(
            actor=user,
            endpoint=push_service.endpoint(),
            p256dh=browser.p256dh,
            auth=browser.auth,
            user_agent="Mozilla/5.0 (Linux; Android 14)",
        )
    assert (subscription.user, subscription.user_agent) == (user, "Mozilla/5.0 (Linux; Android 14)")
    [message] = Message.objects.filter(recipient_user=user)
    assert message.template == "notify.push_enabled"
    assert message.subject == "Notifications are on for a new device"
    assert browser.decrypt(push_service.requests[0].body)["title"] == message.subject
    assert mail.outbox[0].to == ["lan@example.vn"]
    entry = AuditEntry.objects.get(action="notify.push_subscribe")
    assert entry.changes == {"service": "127.0.0.1"}  # never the endpoint itself: it is a capability


def test_subscribing_again_updates_the_keys_and_tells_nobody(push_service):
    user = UserFactory()
    first, second = Browser(), Browser()
    push_subscribe(actor=user, endpoint=push_service.endpoint(), p256dh=first.p256dh, auth=first.auth)
    again = push_subscribe(
        actor=user, endpoint=push_service.endpoint(), p256dh=second.p256dh, auth=second.auth
    )
    assert (again.p256dh, again.auth) == (second.p256dh, second.auth)
    assert PushSubscription.objects.count() == 1
    assert Message.objects.filter(recipient_user=user).count() == 1


def test_a_browser_used_by_another_account_moves_to_the_one_signed_in(push_service, browser):
    before, now = UserFactory(), UserFactory()
    push_subscribe(actor=before, endpoint=push_service.endpoint(), p256dh=browser.p256dh, auth=browser.auth)
    moved = push_subscribe(
        actor=now, endpoint=push_service.endpoint(), p256dh=browser.p256dh, auth=browser.auth
    )
    assert moved.user == now
    assert not PushSubscription.objects.filter(user=before).exists()
    assert Message.objects.filter(recipient_user=now, template="notify.push_enabled").exists()


def test_only_the_newest_subscriptions_of_a_user_are_kept(push_service, browser):
    user = UserFactory()
    for n in range(MAX_SUBSCRIPTIONS_PER_USER + 2):
        push_subscribe(
            actor=user, endpoint=push_service.endpoint(f"d{n}"), p256dh=browser.p256dh, auth=browser.auth
        )
    kept = set(PushSubscription.objects.filter(user=user).values_list("endpoint", flat=True))
    assert len(kept) == MAX_SUBSCRIPTIONS_PER_USER
    assert push_service.endpoint("d0") not in kept
    assert push_service.endpoint(f"d{MAX_SUBSCRIPTIONS_PER_USER + 1}") in kept


def test_known_push_services_over_https_are_accepted(browser):
    user = UserFactory()
    for endpoint in [
        FCM,
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
        "https://web.push.apple.com/QGuQyavXutnMH",
        "https://wns2-sg2p.notify.windows.com/w/?token=BQYAAA",
    ]:
        assert push_subscribe(actor=user, endpoint=endpoint, p256dh=browser.p256dh, auth=browser.auth).pk


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/x",  # not https
        "https://push.example.com/x",  # not a browser push service
        "https://fcm.googleapis.com.evil.example/x",
        "https://user:pass@fcm.googleapis.com/x",
        "https://10.0.0.5/x",
        "http://127.0.0.1:8080/push",  # local: only with DEBUG or WEBPUSH_ALLOW_LOCAL_ENDPOINTS
        "https://localhost/push",
        "javascript:alert(1)",
        "https://fcm.googleapis.com:99999/x",
        "",
    ],
)
def test_other_endpoints_are_refused(browser, endpoint, settings):
    settings.DEBUG = False
    with pytest.raises(ValidationFailed) as excinfo:
        push_subscribe(actor=UserFactory(), endpoint=endpoint, p256dh=browser.p256dh, auth=browser.auth)
    assert fields_of(excinfo) == {"endpoint"}
    assert not PushSubscription.objects.exists()


def test_local_endpoints_are_accepted_with_debug(settings, browser):
    settings.DEBUG = True
    assert push_subscribe(
        actor=UserFactory(), endpoint="http://localhost:8080/push/1", p256dh=browser.p256dh, auth=browser.auth
    )


@pytest.mark.parametrize(
    ("p256dh", "auth", "bad"),
    [
        ("not base64!", "AAAAAAAAAAAAAAAAAAAAAA", {"p256dh"}),
        ("BAAA", "AAAAAAAAAAAAAAAAAAAAAA", {"p256dh"}),  # too short
        ("B" + "A" * 86, "AAAAAAAAAAAAAAAAAAAAAA", {"p256dh"}),  # 65 bytes, but not a point on the curve
        (None, "AAAA", {"auth"}),  # 3 bytes, not 16
        (None, "+/+/+/+/+/+/+/+/+/+/+w", {"auth"}),  # base64, not base64url
        ("", "", {"p256dh", "auth"}),
    ],
)
def test_browser_keys_are_checked_naming_the_field(browser, p256dh, auth, bad):
    with pytest.raises(ValidationFailed) as excinfo:
        push_subscribe(
            actor=UserFactory(), endpoint=FCM, p256dh=browser.p256dh if p256dh is None else p256dh, auth=auth
        )
    assert fields_of(excinfo) == bad


def test_every_bad_field_is_named_at_once():
    with pytest.raises(ValidationFailed) as excinfo:
        push_subscribe(actor=UserFactory(), endpoint="ftp://x", p256dh="x", auth="x")
    assert fields_of(excinfo) == {"endpoint", "p256dh", "auth"}


def test_padded_keys_are_accepted_and_stored_without_padding(browser):
    subscription = push_subscribe(
        actor=UserFactory(), endpoint=FCM, p256dh=browser.p256dh + "=", auth=browser.auth + "=="
    )
    assert (subscription.p256dh, subscription.auth) == (browser.p256dh, browser.auth)


def test_anonymous_cannot_subscribe(browser):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        push_subscribe(actor=AnonymousUser(), endpoint=FCM, p256dh=browser.p256dh, auth=browser.auth)


def test_unsubscribe_removes_only_ones_own(browser):
    owner, other = UserFactory(), UserFactory()
    push_subscribe(actor=owner, endpoint=FCM, p256dh=browser.p256dh, auth=browser.auth)
    assert push_unsubscribe(actor=other, endpoint=FCM) is False
    assert PushSubscription.objects.filter(user=owner).exists()
    assert push_unsubscribe(actor=owner, endpoint=FCM) is True
    assert not PushSubscription.objects.exists()
    assert AuditEntry.objects.filter(action="notify.push_unsubscribe").count() == 1
    assert push_unsubscribe(actor=owner, endpoint=FCM) is False
