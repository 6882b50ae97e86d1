"""Regular medicine through the API, over HTTP with bearer tokens: the person finds the clinic, asks, is
refused a duplicate; the clinic reads its queue, schedules, dispenses; the person sees the day and the
next request; figures for statistics readers."""

import pytest
from django.test import Client

from ansinh.accounts.models import OrganisationKind
from tests.api_client import ApiClient
from tests.factories import OrganisationFactory, make_staff
from tests.welfare.medicine_world import make_world, request_body, working_day_ahead

pytestmark = pytest.mark.django_db
BASE = "/api/v1/welfare/medicine"


@pytest.fixture
def world(db):
    return make_world()


def api_as(user):
    return ApiClient(Client()).as_user(user)


def test_a_request_from_asking_to_dispensing(world):
    lan, clinic = api_as(world.lan), api_as(world.staff)
    found = lan.get(f"{BASE}/clinics", q="ba dinh")
    assert found.status_code == 200, found.content
    assert [c["id"] for c in found.json()["items"]] == [world.clinic.pk]
    other_province = lan.get(f"{BASE}/clinics", province_id=world.nghe_an.pk).json()["items"]
    assert [c["id"] for c in other_province] == [world.clinic_b.pk]

    bad = lan.post(f"{BASE}/requests", request_body(world, insurance_card_number="123", mode="delivery"))
    assert bad.status_code == 422
    assert set(bad.json()["details"]["fields"]) == {"insurance_card_number", "delivery_address"}

    created = lan.post(f"{BASE}/requests", request_body(world))
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    assert created.json()["status"] == "requested"
    duplicate = lan.post(f"{BASE}/requests", request_body(world), language="en")
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "welfare.medicine_duplicate"
    assert "open request" in duplicate.json()["message"]

    queue = clinic.get(f"{BASE}/queue", view="to_confirm")
    assert queue.status_code == 200
    assert [item["id"] for item in queue.json()["items"]] == [request_id]
    assert queue.json()["items"][0]["person_name"] == "Nguyễn Thị Lan"
    assert queue.json()["items"][0]["usual_card_form"] is True

    day = working_day_ahead()
    no_window = clinic.post(
        f"{BASE}/queue/{request_id}/schedule", {"scheduled_on": day.isoformat(), "days_supplied": 30}
    )
    assert no_window.status_code == 422
    assert "window_start" in no_window.json()["details"]["fields"]
    scheduled = clinic.post(
        f"{BASE}/queue/{request_id}/schedule",
        {
            "scheduled_on": day.isoformat(),
            "window_start": "08:00",
            "window_end": "10:30",
            "days_supplied": 30,
        },
    )
    assert scheduled.status_code == 200, scheduled.content
    mine = lan.get(f"{BASE}/requests/{request_id}").json()
    assert mine["status"] == "scheduled"
    assert mine["scheduled_on"] == day.isoformat()
    assert mine["window_start"].startswith("08:00")

    dispensed = clinic.post(f"{BASE}/queue/{request_id}/dispense", {})
    assert dispensed.status_code == 200
    assert dispensed.json()["status"] == "dispensed"
    listed = lan.get(f"{BASE}/requests").json()
    assert listed["count"] == 1
    assert listed["items"][0]["next_request_from"]
    too_early = lan.post(f"{BASE}/requests", request_body(world))
    assert too_early.status_code == 409
    assert too_early.json()["code"] == "welfare.medicine_too_early"


def test_decline_and_cancel(world):
    lan, clinic = api_as(world.lan), api_as(world.staff)
    first = lan.post(f"{BASE}/requests", request_body(world)).json()["id"]
    no_reason = clinic.post(f"{BASE}/queue/{first}/decline", {"reason": ""})
    assert no_reason.status_code == 422
    declined = clinic.post(f"{BASE}/queue/{first}/decline", {"reason": "Không đăng ký tại trạm"})
    assert declined.json()["status"] == "declined"
    assert lan.post(f"{BASE}/requests/{first}/cancel").status_code == 409
    second = lan.post(f"{BASE}/requests", request_body(world)).json()["id"]
    cancelled = lan.post(f"{BASE}/requests/{second}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"


def test_figures_count_without_personal_data(world):
    api_as(world.lan).post(f"{BASE}/requests", request_body(world))
    department = OrganisationFactory(kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=world.hanoi)
    officer = make_staff("provincial_officer", department)
    answer = api_as(officer).get(f"{BASE}/figures")
    assert answer.status_code == 200, answer.content
    assert answer.json()["by_status"]["requested"] == 1
    assert answer.json()["open"] == 1
    assert answer.json()["max_days_per_dispensing"] == 90
    assert "Lan" not in answer.content.decode()
    elsewhere = OrganisationFactory(kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=world.nghe_an)
    assert api_as(make_staff("provincial_officer", elsewhere)).get(f"{BASE}/figures").json()["total"] == 0
    assert api_as(world.lan).get(f"{BASE}/figures").status_code == 403
