"""The inbox page, its web-push switches and the service worker at /sw.js, through Django's client."""

import json
import re

import pytest
from django.test import Client

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


@pytest.fixture
def signed_in(citizen):
    """A browser with the session of `citizen` that, like a real one, must send the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    return client


def csrf_token(client: Client) -> str:
    html = client.get("/inbox/").content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/inbox/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_inbox_is_vietnamese_by_default_and_shows_only_own_messages(signed_in, citizen):
    notify_person(citizen.person, "notify.generic", hello("Hồ sơ đã được tiếp nhận"), link="/dossiers/1/")
    read = notify_user(citizen, "notify.generic", hello("Tin đã đọc"))
    Message.objects.filter(pk=read.pk).update(read_at="2026-03-21T03:00:00Z")
    notify_user(UserFactory(), "notify.generic", hello("Tin của người khác"))

    response = signed_in.get("/inbox/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "<h1>Hộp thư</h1>" in html
    assert "Tin nhắn chưa đọc: 1" in html
    assert "Hồ sơ đã được tiếp nhận" in html
    assert "Tin đã đọc" in html
    assert "Tin của người khác" not in html
    assert html.count('class="inbox__new"') == 1  # only the unread one is marked
    assert 'href="/dossiers/1/"' in html
    assert "Nhận thông báo trên thiết bị này" in html


def test_inbox_in_english_when_chosen(signed_in, citizen):
    signed_in.cookies["django_language"] = "en"
    html = signed_in.get("/inbox/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Inbox</h1>" in html
    assert "You have no messages yet." in html
    assert "Receive notifications on this device" in html


def test_page_scripts_come_from_this_site_and_are_never_inline(signed_in):
    response = signed_in.get("/inbox/")
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts, "the push switch needs its script"
    assert all('src="/static/' in attributes for attributes in scripts)
    assert 'src="/static/notify/push.js"' in html
    assert f'data-key="{vapid.public_key()}"' in html
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []


def test_mark_read_by_form_with_csrf(signed_in, citizen):
    message = notify_person(citizen.person, "notify.generic", hello("Một"))
    assert signed_in.post(f"/inbox/{message.pk}/read/").status_code == 403  # no CSRF token
    response = signed_in.post(
        f"/inbox/{message.pk}/read/", {"csrfmiddlewaretoken": csrf_token(signed_in), "page": "2"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/inbox/?page=2"
    message.refresh_from_db()
    assert message.read_at is not None
    assert "Đã đánh dấu tin nhắn là đã đọc." in signed_in.get("/inbox/").content.decode()


def test_someone_elses_message_cannot_be_marked_read(signed_in):
    theirs = notify_user(UserFactory(), "notify.generic", hello("Của người khác"))
    response = signed_in.post(f"/inbox/{theirs.pk}/read/", {"csrfmiddlewaretoken": csrf_token(signed_in)})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(signed_in, citizen):
    notify_person(citizen.person, "notify.generic", hello("Một"))
    notify_user(citizen, "notify.generic", hello("Hai"))
    other = notify_user(UserFactory(), "notify.generic", hello("Ba"))
    response = signed_in.post("/inbox/read-all/", {"csrfmiddlewaretoken": csrf_token(signed_in)})
    assert response.status_code == 302
    assert not Message.objects.filter(recipient_user=citizen, read_at__isnull=True).exists()
    assert not Message.objects.filter(recipient_person=citizen.person, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_inbox_page_query_count_does_not_grow_with_messages(
    signed_in, citizen, django_assert_max_num_queries
):
    for n in range(30):
        notify_person(citizen.person, "notify.generic", hello(f"Tin {n}"))
    with django_assert_max_num_queries(12):
        response = signed_in.get("/inbox/")
    assert response.content.decode().count('class="card inbox__item') == 20
    assert "?&amp;page=2" in response.content.decode()


def post_json(client: Client, url: str, body, token: str | None = None):
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_push_switch_subscribes_and_unsubscribes_with_the_session(signed_in, citizen, push_service, browser):
    token = csrf_token(signed_in)
    body = {"endpoint": push_service.endpoint(), "keys": {"p256dh": browser.p256dh, "auth": browser.auth}}
    assert post_json(signed_in, "/inbox/push/subscribe/", body).status_code == 403  # CSRF
    response = post_json(signed_in, "/inbox/push/subscribe/", body, token)
    assert response.status_code == 201, response.content
    assert PushSubscription.objects.get(user=citizen).pk == response.json()["id"]

    response = post_json(signed_in, "/inbox/push/unsubscribe/", {"endpoint": body["endpoint"]}, token)
    assert response.status_code == 204
    assert not PushSubscription.objects.exists()


def test_push_switch_errors_are_json(signed_in, client):
    token = csrf_token(signed_in)
    response = post_json(signed_in, "/inbox/push/subscribe/", {"endpoint": "http://x", "keys": "nope"}, token)
    assert response.status_code == 422
    assert set(response.json()["details"]["fields"]) == {"endpoint", "p256dh", "auth"}
    response = signed_in.post(
        "/inbox/push/subscribe/", "not json", content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 422
    response = post_json(client, "/inbox/push/subscribe/", {})
    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"


def test_service_worker_is_served_at_the_root_with_its_scope_allowed(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    assert 'addEventListener("push"' in source
    assert "showNotification" in source
    assert 'addEventListener("notificationclick"' in source
    assert "openWindow" in source
    assert client.post("/sw.js").status_code == 405
