"""The inbox and web-push endpoints through HTTP with a bearer token."""

import pytest

from ansinh.notify import vapid
from ansinh.notify.models import Message, PushSubscription
from ansinh.notify.services import notify_person, notify_user
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def hello(subject: str) -> dict[str, str]:
    return {"subject": subject, "body": f"{subject}: nội dung."}


@pytest.fixture
def citizen():
    return UserFactory(person=PersonFactory())


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "inbox"),
        ("GET", "inbox/unread-count"),
        ("POST", "inbox/1/read"),
        ("GET", "push/key"),
        ("POST", "push/subscriptions"),
        ("DELETE", "push/subscriptions"),
    ],
)
def test_anonymous_is_refused(api_client, method, path):
    response = api_client.call(method, path, {} if method != "GET" else None)
    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"


def test_inbox_lists_only_own_messages_newest_first_paginated(api_client, citizen):
    to_person = notify_person(citizen.person, "notify.generic", hello("Gửi hồ sơ"), link="/dossiers/1/")
    to_login = notify_user(citizen, "notify.generic", hello("Tài khoản"))
    notify_user(UserFactory(), "notify.generic", hello("Của người khác"))
    notify_person(PersonFactory(), "notify.generic", hello("Cũng của người khác"))

    response = api_client.as_user(citizen).get("inbox", page_size=1)
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["page"], data["page_size"], data["pages"]) == (2, 1, 1, 2)
    [item] = data["items"]
    assert item["id"] == to_login.pk
    assert item["unread"] is True
    assert item["read_at"] is None

    second = api_client.get("inbox", page=2, page_size=1).json()["items"][0]
    assert second == {
        "id": to_person.pk,
        "template": "notify.generic",
        "subject": "Gửi hồ sơ",
        "body": "Gửi hồ sơ: nội dung.",
        "link": "/dossiers/1/",
        "created_at": second["created_at"],
        "read_at": None,
        "unread": True,
    }


def test_mark_read_and_unread_filter_and_count(api_client, citizen):
    first = notify_person(citizen.person, "notify.generic", hello("Một"))
    notify_person(citizen.person, "notify.generic", hello("Hai"))
    api_client.as_user(citizen)
    assert api_client.get("inbox/unread-count").json() == {"unread": 2}

    response = api_client.post(f"inbox/{first.pk}/read")
    assert response.status_code == 200
    assert response.json()["unread"] is False
    assert response.json()["read_at"]

    assert api_client.get("inbox/unread-count").json() == {"unread": 1}
    assert [m["subject"] for m in api_client.get("inbox", unread="true").json()["items"]] == ["Hai"]
    assert api_client.get("inbox").json()["count"] == 2


def test_someone_elses_message_is_not_found(api_client, citizen):
    theirs = notify_user(UserFactory(), "notify.generic", hello("Của người khác"))
    response = api_client.as_user(citizen).post(f"inbox/{theirs.pk}/read")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Message.objects.get(pk=theirs.pk).read_at is None
    assert api_client.post("inbox/999999999/read").status_code == 404


def test_push_key_is_the_vapid_public_key(api_client, citizen):
    response = api_client.as_user(citizen).get("push/key")
    assert response.status_code == 200
    assert response.json() == {"public_key": vapid.public_key()}


def test_subscribe_with_the_browser_json_then_unsubscribe(api_client, citizen, push_service, browser):
    api_client.as_user(citizen)
    body = {
        "endpoint": push_service.endpoint(),
        "expirationTime": None,
        "keys": {"p256dh": browser.p256dh, "auth": browser.auth},
    }
    response = api_client.call("POST", "push/subscriptions", body, language="vi")
    assert response.status_code == 201, response.content
    subscription = PushSubscription.objects.get(user=citizen)
    assert response.json()["id"] == subscription.pk

    response = api_client.call("DELETE", "push/subscriptions", {"endpoint": push_service.endpoint()})
    assert response.status_code == 204
    assert not PushSubscription.objects.exists()


def test_subscribe_names_the_bad_fields(api_client, citizen):
    response = api_client.as_user(citizen).post(
        "push/subscriptions",
        {"endpoint": "http://example.com/push", "keys": {"p256dh": "x", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation.invalid"
    assert set(body["details"]["fields"]) == {"endpoint", "p256dh"}


def test_unsubscribing_someone_elses_browser_changes_nothing(api_client, citizen, browser):
    owner = UserFactory()
    endpoint = "https://fcm.googleapis.com/fcm/send/abc"
    PushSubscription.objects.create(user=owner, endpoint=endpoint, p256dh=browser.p256dh, auth=browser.auth)
    response = api_client.as_user(citizen).call("DELETE", "push/subscriptions", {"endpoint": endpoint})
    assert response.status_code == 204
    assert PushSubscription.objects.filter(user=owner).exists()
