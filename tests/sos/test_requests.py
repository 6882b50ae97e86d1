"""Support and SOS requests through the API: idempotency, bad input, who sees what, the desk's queue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.core.models import AuditEntry
from ansinh.sos.models import HelpRequest
from tests.api_client import ApiClient
from tests.factories import PersonFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

SOS = {"kind": "sos", "phone": "+821012345678", "latitude": 37.5665, "longitude": 126.978, "accuracy_m": 25}
SUPPORT = {
    "kind": "support",
    "phone": "+81 90-1234-5678",
    "location_text": "Ký túc xá công ty, Osaka",
    "category": "wages",
    "message": "Công ty nợ lương 2 tháng.",
}


def worker(personal_id: str = "040095001111"):
    return UserFactory(person=PersonFactory(personal_id=personal_id, passport_number="C1234567"))


def send(client, user, body, key):
    api = ApiClient(client).as_user(user)
    return api.client.post(
        "/api/v1/sos/requests",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}", "Idempotency-Key": key},
    )


def test_the_same_key_gives_the_same_request_and_keys_are_per_worker(client):
    lan, hoa = worker(), worker("040095002222")
    first = send(client, lan, SOS, "phone-lan-0001")
    assert first.status_code == 201
    assert set(first.json()) == {"id", "reference", "kind", "status", "created_at"}
    assert first.json()["reference"].startswith("SOS-")
    assert first.json()["status"] == "received"
    again = send(client, lan, SOS, "phone-lan-0001")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    other = send(client, hoa, SOS, "phone-lan-0001")
    assert other.status_code == 201
    assert other.json()["id"] != first.json()["id"]
    assert HelpRequest.objects.count() == 2
    stored = HelpRequest.objects.get(pk=first.json()["id"])
    assert stored.phone == "+821012345678"
    assert str(stored.latitude) == "37.566500"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**SOS, "latitude": None, "longitude": None}, "location_text"),
        ({**SOS, "latitude": 91}, "latitude"),
        ({**SOS, "longitude": None}, "longitude"),
        ({**SUPPORT, "message": "  "}, "message"),
        ({**SUPPORT, "category": "weather"}, "category"),
        ({**SOS, "phone": "12"}, "phone"),
        ({**SOS, "kind": "panic"}, "kind"),
        ({**SOS, "accuracy_m": float("nan")}, "accuracy_m"),
        ({**SOS, "accuracy_m": float("inf")}, "accuracy_m"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(client, body, field):
    response = send(client, worker(), body, "bad-input-0001")
    assert response.status_code == 422
    assert field in response.json()["details"]["fields"]
    assert not HelpRequest.objects.exists()


def test_a_key_is_required(client):
    response = send(client, worker(), SOS, "")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["details"]["fields"]


def test_who_sees_what(client):
    lan, hoa = worker(), worker("040095002222")
    request_id = send(client, lan, SUPPORT, "support-lan-01").json()["id"]
    operator = make_staff("colab_operator")
    assert ApiClient(client).as_user(lan).get(f"sos/requests/{request_id}").status_code == 200
    assert ApiClient(client).as_user(hoa).get(f"sos/requests/{request_id}").status_code == 404
    assert (
        ApiClient(client)
        .as_user(make_staff("enterprise_staff"))
        .get(f"sos/requests/{request_id}")
        .status_code
        == 404
    )
    assert ApiClient(client).as_user(make_staff("enterprise_admin")).get("sos/queue").status_code == 403
    assert ApiClient(client).get(f"sos/requests/{request_id}").status_code == 401
    seen = ApiClient(client).as_user(operator).get(f"sos/requests/{request_id}")
    assert seen.status_code == 200
    assert seen.json()["message"] == SUPPORT["message"]
    assert AuditEntry.objects.filter(action="record.read", actor=operator, object_id=str(request_id)).exists()
    # Enterprise staff are not workers: they cannot send requests either.
    assert send(client, make_staff("enterprise_staff"), SOS, "enterprise-001").status_code == 403
    mine = ApiClient(client).as_user(hoa).get("sos/requests").json()
    assert mine["count"] == 0


def test_desk_queue_sos_first_then_oldest_and_the_conversation(client):
    lan, hoa = worker(), worker("040095002222")
    support_id = send(client, lan, SUPPORT, "support-lan-01").json()["id"]
    HelpRequest.objects.filter(pk=support_id).update(created_at=timezone.now() - timedelta(hours=2))
    sos_id = send(client, hoa, SOS, "sos-hoa-000001").json()["id"]
    operator = ApiClient(client).as_user(make_staff("colab_operator"))
    items = operator.get("sos/queue").json()["items"]
    assert [i["id"] for i in items] == [sos_id, support_id]
    assert items[1]["waiting_seconds"] >= 7200
    assert operator.post(f"sos/requests/{sos_id}/acknowledge").json()["status"] == "in_progress"
    reply = operator.post(f"sos/requests/{sos_id}/messages", {"body": "Chúng tôi đã nhận, đang liên hệ."})
    assert reply.status_code == 201
    assert reply.json()["from_operator"] is True
    seen_by_worker = ApiClient(client).as_user(hoa).get(f"sos/requests/{sos_id}").json()
    assert seen_by_worker["status"] == "in_progress"
    assert [m["body"] for m in seen_by_worker["messages"]] == ["Chúng tôi đã nhận, đang liên hệ."]
    no_outcome = operator.post(f"sos/requests/{sos_id}/resolve", {"outcome": " "})
    assert no_outcome.status_code == 422
    assert (
        operator.post(f"sos/requests/{sos_id}/resolve", {"outcome": "Đã đưa đến bệnh viện"}).status_code
        == 200
    )
    assert [i["id"] for i in operator.get("sos/queue").json()["items"]] == [support_id]


def test_cancel_only_within_a_minute_and_before_an_operator_took_it(client):
    lan = worker()
    api = ApiClient(client).as_user(lan)
    first = send(client, lan, SOS, "sos-mistake-01").json()["id"]
    assert api.post(f"sos/requests/{first}/cancel").json()["status"] == "cancelled"
    late = send(client, lan, SOS, "sos-late-00001").json()["id"]
    HelpRequest.objects.filter(pk=late).update(created_at=timezone.now() - timedelta(seconds=61))
    assert api.post(f"sos/requests/{late}/cancel").status_code == 409
    other = ApiClient(client).as_user(worker("040095002222"))
    assert other.post(f"sos/requests/{late}/cancel").status_code == 404


def test_an_sos_over_the_rate_is_accepted_and_flagged(client):
    lan = worker()
    for i in range(10):
        assert send(client, lan, SUPPORT, f"support-rate-{i:02d}").status_code == 201
    refused = send(client, lan, SUPPORT, "support-rate-99")
    assert refused.status_code == 429
    sos = send(client, lan, SOS, "sos-over-rate-1")
    assert sos.status_code == 201
    assert HelpRequest.objects.get(pk=sos.json()["id"]).flagged
