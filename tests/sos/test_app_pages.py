"""The worker's app under /sos/ (a PWA): its pages for workers, visitors and staff, the same-origin JSON the
app's scripts use (session + CSRF), the support form without JavaScript, photos, the manifest and the
service worker's outbox replay."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from ansinh.sos.models import HelpRequest, Notice, NoticeRead, WorkerProfile
from ansinh.sos.services import desk, help_requests
from tests.factories import PersonFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

SUBMIT = "/sos/app/requests"
SOS = {
    "kind": "sos",
    "phone": "+821012345678",
    "latitude": 37.5665,
    "longitude": 126.978,
    "accuracy_m": 25,
    "message": "Tôi bị thương",
    "client_created_at": "2026-03-21T03:00:00+00:00",
}
FIELDS = {k: v for k, v in SOS.items() if k != "client_created_at"}  # for calling the service directly
SUPPORT = {
    "kind": "support",
    "phone": "+81 90-1234-5678",
    "location_text": "Ký túc xá công ty, Osaka",
    "category": "wages",
    "message": "Công ty nợ lương 2 tháng.",
}


def make_worker(personal_id: str = "040095001111", passport: str = "C1234567", country: str = "KR"):
    person = PersonFactory(personal_id=personal_id, passport_number=passport, phone="+821012345678")
    user = UserFactory(person=person)
    WorkerProfile.objects.create(person=person, passport_number=passport, country=country)
    return user


@pytest.fixture
def worker():
    return make_worker()


@pytest.fixture
def phone(worker):
    """The worker's phone browser: signed in and, like a real one, it must send the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    return client


def csrf_of(client: Client, path: str = "/sos/") -> str:
    html = client.get(path).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if found:
        return found.group(1)
    return client.cookies["csrftoken"].value


def post_json(client: Client, path: str, body: dict, key: str | None = None, token: str | None = None):
    headers = {"X-CSRFToken": token if token is not None else csrf_of(client)}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (179, 38, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


# --- pages --------------------------------------------------------------------------------------------------


def test_anonymous_visitor_sees_public_notices_and_a_sign_in_link(client):
    Notice.objects.create(title="Lịch nghỉ Tết", body="Nghỉ từ ngày 28.")
    response = client.get("/sos/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Lịch nghỉ Tết" in html
    assert 'href="/accounts/login/?next=/sos/"' in html
    assert 'href="/sos/sos/"' not in html  # no SOS button before signing in
    for path in ("/sos/sos/", "/sos/support/", "/sos/requests/"):
        answer = client.get(path)
        assert answer.status_code == 302
        assert answer["Location"] == f"/accounts/login/?next={path}"


def test_worker_home_shows_their_notices_first_then_sos_support_and_requests(phone, worker):
    everyone = Notice.objects.create(title="Thông báo chung", body="…")
    urgent = Notice.objects.create(
        title="Bão lớn tại Hàn Quốc", body="…", urgent=True, audience="country", country="KR"
    )
    read_urgent = Notice.objects.create(title="Động đất đã qua", body="…", urgent=True)
    Notice.objects.create(title="Chỉ cho Nhật Bản", body="…", audience="country", country="JP")
    NoticeRead.objects.create(notice=read_urgent, user=worker)
    html = phone.get("/sos/").content.decode()
    assert "Thông báo chung" in html
    assert "Bão lớn tại Hàn Quốc" in html
    assert "Chỉ cho Nhật Bản" not in html
    # Notices come before the actions; unread urgent ones stand out, read ones do not.
    assert html.index('id="notices"') < html.index('href="/sos/sos/"')
    assert html.count("notice-item--urgent") == 1
    items = re.findall(r'<li class="notice-item([^"]*)">\s*<a href="/notices/(\d+)/"', html)
    assert ("notice-item--urgent" in {pk: cls for cls, pk in items}[str(urgent.pk)]) is True
    assert "notice-item--urgent" not in {pk: cls for cls, pk in items}[str(read_urgent.pk)]
    assert str(everyone.pk) in {pk: cls for cls, pk in items}
    assert 'href="/sos/support/"' in html
    assert 'href="/sos/requests/"' in html
    assert '<link rel="manifest" href="/sos/manifest.webmanifest">' in html


def test_worker_pages_render_in_vietnamese_and_english(phone):
    for path in ("/sos/", "/sos/sos/", "/sos/support/", "/sos/requests/"):
        response = phone.get(path)
        assert response.status_code == 200, path
        assert '<html lang="vi">' in response.content.decode()
    assert "<h1>Yêu cầu hỗ trợ</h1>" in phone.get("/sos/support/").content.decode()
    phone.cookies["django_language"] = "en"
    html = phone.get("/sos/support/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Support request</h1>" in html
    assert "Sent by mistake — cancel" in phone.get("/sos/sos/").content.decode()


def test_staff_get_a_plain_page_saying_the_app_is_for_workers(client):
    client.force_login(make_staff("colab_operator"))
    session = client.session
    session["ansinh_2fa_verified"] = True  # the desk's officials sign in with a second factor
    session.save()
    response = client.get("/sos/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/staff/"' in html
    assert 'href="/sos/sos/"' not in html
    assert client.get("/sos/sos/").status_code == 403
    assert client.get("/sos/requests/").status_code == 403
    response = post_json(client, SUBMIT, SOS, key="staff-key-0001", token=csrf_of(client, "/sos/"))
    assert response.status_code == 403
    assert response.json()["code"] == "permission.denied"


def test_sos_screen_has_the_button_the_live_region_and_prefilled_phone(phone):
    html = phone.get("/sos/sos/").content.decode()
    assert 'id="sos-button"' in html
    assert 'aria-live="assertive"' in html
    assert 'value="+821012345678"' in html
    assert '<label for="sos-place">' in html
    assert '<label for="sos-phone">' in html
    assert 'src="/static/sos/sos.js"' in html


def test_app_pages_use_no_inline_script_or_style(phone, worker):
    created, _ = help_requests.request_submit(actor=worker, idempotency_key="inline-check-01", **FIELDS)
    for path in ("/sos/", "/sos/sos/", "/sos/support/", "/sos/requests/", f"/sos/requests/{created.pk}/"):
        response = phone.get(path)
        html = response.content.decode()
        assert "script-src 'self'" in response["Content-Security-Policy"], path
        assert all('src="/static/' in attrs for attrs in re.findall(r"<script([^>]*)>", html)), path
        assert html.count('src="/static/sos/app.js"') == 1, path  # each script once
        assert " style=" not in html, path
        assert "<style" not in html, path
        assert "https://" not in html, path


# --- JSON: submit -------------------------------------------------------------------------------------------


def test_submit_creates_one_request_and_the_same_key_returns_it(phone, worker):
    first = post_json(phone, SUBMIT, SOS, key="b3f1c2d4e5f6a7b8c9d0e1f2a3b4c5d6")
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["reference"].startswith("SOS-")
    assert data["status"] == "received"
    assert 50 <= data["cancel_seconds_left"] <= 60
    assert data["urls"]["page"] == f"/sos/requests/{data['id']}/"
    again = post_json(phone, SUBMIT, SOS, key="b3f1c2d4e5f6a7b8c9d0e1f2a3b4c5d6")
    assert again.status_code == 200
    assert again.json()["id"] == data["id"]
    assert HelpRequest.objects.count() == 1
    stored = HelpRequest.objects.get()
    assert stored.worker == worker
    assert str(stored.latitude) == "37.566500"
    assert stored.accuracy_m == 25
    listed = phone.get(SUBMIT).json()["items"]
    assert [item["id"] for item in listed] == [data["id"]]


def test_the_phone_keeps_the_time_it_was_pressed(phone):
    pressed = (timezone.now() - timedelta(minutes=20)).replace(microsecond=0)
    body = {**SOS, "client_created_at": pressed.isoformat()}
    assert post_json(phone, SUBMIT, body, key="offline-pressed-01").status_code == 201
    assert HelpRequest.objects.get().client_created_at == pressed


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**SOS, "latitude": 91}, "latitude"),
        ({**SOS, "longitude": "east"}, "longitude"),
        ({**SOS, "latitude": None, "longitude": None}, "location_text"),
        ({**SUPPORT, "message": "  "}, "message"),
        ({**SUPPORT, "category": "weather"}, "category"),
        ({**SOS, "phone": "12"}, "phone"),
        ({**SOS, "client_created_at": "yesterday"}, "client_created_at"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(phone, body, field):
    response = post_json(phone, SUBMIT, body, key="bad-input-0001")
    assert response.status_code == 422
    assert response.json()["code"] == "validation.invalid"
    assert field in response.json()["details"]["fields"]
    assert not HelpRequest.objects.exists()


def test_a_key_is_required_and_the_body_must_be_json(phone):
    response = post_json(phone, SUBMIT, SOS)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["details"]["fields"]
    token = csrf_of(phone)
    for raw in (b"[1, 2]", b"not json", b'{"kind": "sos", "latitude": NaN}'):
        response = phone.post(
            SUBMIT,
            raw,
            content_type="application/json",
            headers={"X-CSRFToken": token, "Idempotency-Key": "k" * 10},
        )
        assert response.status_code == 422, raw
    assert not HelpRequest.objects.exists()


def test_an_entry_saved_by_another_account_is_not_sent_for_this_one(phone, worker):
    response = post_json(phone, SUBMIT, {**SOS, "worker": worker.pk + 1000}, key="someone-else-01")
    assert response.status_code == 409
    assert not HelpRequest.objects.exists()
    assert post_json(phone, SUBMIT, {**SOS, "worker": worker.pk}, key="my-own-entry-01").status_code == 201


def test_csrf_is_enforced_on_every_json_post(phone, worker):
    headers = {"Idempotency-Key": "no-csrf-0001"}
    assert (
        phone.post(SUBMIT, json.dumps(SOS), content_type="application/json", headers=headers).status_code
        == 403
    )
    created, _ = help_requests.request_submit(actor=worker, idempotency_key="csrf-check-01", **FIELDS)
    for suffix in ("cancel", "messages", "photo"):
        assert phone.post(f"/sos/app/requests/{created.pk}/{suffix}").status_code == 403, suffix
    assert HelpRequest.objects.count() == 1
    assert HelpRequest.objects.get().status == "received"


def test_anonymous_json_calls_get_401_not_a_redirect(client):
    assert client.get(SUBMIT).status_code == 401
    assert client.get("/sos/app/requests/1.json").status_code == 401


# --- JSON: one request --------------------------------------------------------------------------------------


def test_cancel_within_60_seconds_then_no_more(phone, worker):
    data = post_json(phone, SUBMIT, SOS, key="cancel-me-0001").json()
    response = post_json(phone, data["urls"]["cancel"], {})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_seconds_left"] == 0
    assert [step["status"] for step in response.json()["timeline"]] == ["received", "cancelled"]

    late = post_json(phone, SUBMIT, SOS, key="too-late-00001").json()
    HelpRequest.objects.filter(pk=late["id"]).update(created_at=timezone.now() - timedelta(seconds=61))
    assert phone.get(late["urls"]["json"]).json()["cancel_seconds_left"] == 0
    response = post_json(phone, late["urls"]["cancel"], {})
    assert response.status_code == 409
    assert HelpRequest.objects.get(pk=late["id"]).status == "received"


def test_another_worker_gets_404_on_someone_elses_request(phone, worker):
    data = post_json(phone, SUBMIT, SUPPORT, key="mine-only-0001").json()
    other = Client(enforce_csrf_checks=True)
    other.force_login(make_worker("040095002222", "C7654321"))
    assert other.get(data["urls"]["json"]).status_code == 404
    assert other.get(data["urls"]["page"]).status_code == 404
    token = csrf_of(other)
    assert post_json(other, data["urls"]["cancel"], {}, token=token).status_code == 404
    assert post_json(other, data["urls"]["messages"], {"body": "xin chào"}, token=token).status_code == 404
    assert other.get(SUBMIT).json()["items"] == []
    assert HelpRequest.objects.get().status == "received"
    assert not HelpRequest.objects.get().messages.exists()


def test_messages_both_ways_and_the_status_the_worker_sees(phone, worker):
    data = post_json(phone, SUBMIT, SOS, key="talk-to-desk-01").json()
    operator = make_staff("colab_operator")
    desk.request_acknowledge(actor=operator, request_id=data["id"])
    help_requests.request_message(actor=operator, request_id=data["id"], body="Chúng tôi đang gọi cho bạn.")
    reply = post_json(phone, data["urls"]["messages"], {"body": "Tôi ở cổng nhà máy."})
    assert reply.status_code == 201
    seen = phone.get(data["urls"]["json"]).json()
    assert seen["status"] == "in_progress"
    assert [(m["from_operator"], m["body"]) for m in seen["messages"]] == [
        (True, "Chúng tôi đang gọi cho bạn."),
        (False, "Tôi ở cổng nhà máy."),
    ]
    assert [s["done"] for s in seen["timeline"]] == [True, True, True, False]
    assert seen["timeline"][2]["current"] is True
    assert post_json(phone, data["urls"]["messages"], {"body": "   "}).status_code == 422
    html = phone.get(data["urls"]["page"]).content.decode()
    assert "Chúng tôi đang gọi cho bạn." in html
    assert 'aria-current="step"' in html
    assert 'id="request-cancel"' in html
    assert 'id="request-cancel" method="post"' in html


def test_polling_the_request_costs_a_bounded_number_of_queries(phone, worker):
    data = post_json(phone, SUBMIT, SOS, key="poll-me-000001").json()
    for n in range(5):
        help_requests.request_message(actor=worker, request_id=data["id"], body=f"tin {n}")
    with CaptureQueriesContext(connection) as queries:
        assert phone.get(data["urls"]["json"]).status_code == 200
    assert len(queries) <= 8, [q["sql"] for q in queries.captured_queries]


# --- photos -------------------------------------------------------------------------------------------------


def test_photo_is_checked_then_attached_and_shown_only_to_its_worker(phone, worker, settings):
    data = post_json(phone, SUBMIT, SUPPORT, key="photo-check-001").json()
    token = csrf_of(phone)
    url = data["urls"]["photo"]
    response = phone.post(
        url, {"photo": upload("note.png", b"just text", "image/png")}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 422
    assert "photo" in response.json()["details"]["fields"]
    settings.SOS_PHOTO_MAX_BYTES = 10
    response = phone.post(
        url, {"photo": upload("big.png", png_bytes(), "image/png")}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 422
    assert "photo" in response.json()["details"]["fields"]
    assert not HelpRequest.objects.get().photo
    settings.SOS_PHOTO_MAX_BYTES = 5 * 1024 * 1024
    response = phone.post(
        url, {"photo": upload("ok.png", png_bytes(), "image/png")}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert response.json()["has_photo"] is True
    shown = phone.get(f"/sos/requests/{data['id']}/photo/")
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content).startswith(b"\x89PNG")
    other = Client()
    other.force_login(make_worker("040095002222", "C7654321"))
    assert other.get(f"/sos/requests/{data['id']}/photo/").status_code == 404
    assert 'src="/sos/requests/' in phone.get(data["urls"]["page"]).content.decode()


# --- the support form without JavaScript --------------------------------------------------------------------


def test_support_form_works_without_javascript_and_never_sends_twice(phone, worker):
    html = phone.get("/sos/support/").content.decode()
    key = re.search(r'name="idempotency_key" value="([A-Za-z0-9_-]{8,64})"', html).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert 'value="+821012345678"' in html  # the phone is filled in
    form = {
        "csrfmiddlewaretoken": token,
        "idempotency_key": key,
        "phone": "+821012345678",
        "location_text": "Gimhae, Gyeongsangnam-do",
        "latitude": "",
        "longitude": "",
        "accuracy_m": "",
        "category": "contract",
        "message": "Chủ không trả hợp đồng cho tôi.",
        "photo": upload("contract.png", png_bytes(), "image/png"),
    }
    response = phone.post("/sos/support/", form)
    assert response.status_code == 302
    created = HelpRequest.objects.get()
    assert response["Location"] == f"/sos/requests/{created.pk}/"
    assert created.kind == "support"
    assert created.category == "contract"
    assert created.photo
    again = phone.post("/sos/support/", {**form, "photo": upload("contract.png", png_bytes(), "image/png")})
    assert again.status_code == 302
    assert HelpRequest.objects.count() == 1
    page = phone.get(response["Location"]).content.decode()
    assert created.reference in page


def test_support_form_without_javascript_shows_errors_by_field_and_stores_nothing(phone):
    html = phone.get("/sos/support/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = phone.post(
        "/sos/support/",
        {"csrfmiddlewaretoken": token, "idempotency_key": key, "phone": "+821012345678", "message": "",
         "location_text": "", "latitude": "95", "longitude": "10", "category": "wages"},
    )  # fmt: skip
    assert response.status_code == 422
    page = response.content.decode()
    assert page.count('role="alert"') >= 3
    assert 'aria-invalid="true"' in page
    assert f'value="{key}"' in page  # the same key, so sending again after fixing still makes one request
    assert not HelpRequest.objects.exists()


def test_a_photo_refused_after_the_form_was_sent_is_said_on_the_request_page(phone):
    html = phone.get("/sos/support/").content.decode()
    response = phone.post(
        "/sos/support/",
        {
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
            "idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1),
            "phone": "+821012345678",
            "location_text": "Busan",
            "category": "documents",
            "message": "Mất hộ chiếu.",
            "photo": upload("fake.jpg", b"not a picture at all", "image/jpeg"),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert HelpRequest.objects.count() == 1
    assert not HelpRequest.objects.get().photo
    page = response.content.decode()
    assert "msg--error" in page
    assert 'name="photo"' in page  # the request page offers to send the photo again


# --- the app around the pages -------------------------------------------------------------------------------


def test_manifest_describes_an_installable_app(client):
    response = client.get("/sos/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"] == "ansinh – Hỗ trợ người lao động ở nước ngoài"
    assert manifest["short_name"]
    assert manifest["start_url"] == "/sos/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_service_worker_keeps_push_and_adds_the_app_shell_and_the_outbox(client):
    source = client.get("/sw.js").content.decode()
    assert 'addEventListener("push"' in source
    assert "showNotification" in source
    assert 'addEventListener("sync"' in source
    assert 'importScripts("/static/sos/queue.js")' in source
    assert '"/sos/sos/"' in source
    for asset in re.findall(r'"(/static/[^"]+)"', source):
        assert finders.find(asset.removeprefix("/static/")), asset
    with open(finders.find("sos/queue.js"), encoding="utf-8") as source_file:
        queue = source_file.read()
    assert "Idempotency-Key" in queue
    assert "indexedDB" in queue
