"""The job fairs through the API, over HTTP with bearer tokens: a centre plans an online fair, an employer
takes a booth and publishes a slot, seekers register and book until the slot is full, the link is only the
booker's, attendance records the service, the centre records the results."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ansinh.jobs.models import JobFair, ServiceRecord
from tests.api_client import ApiClient
from tests.jobs.test_fairs import soon, user_of

pytestmark = pytest.mark.django_db


def api_as(user):
    return ApiClient(Client()).as_user(user)


def test_an_online_fair_through_the_api(world):
    centre, employer = api_as(world.centre_officer), api_as(world.admin_a)
    lan, minh = api_as(user_of(world.seeker_anonymous)), api_as(user_of(world.seeker_full))
    insecure = {
        "title": "X",
        "kind": "online",
        "starts_at": soon(2).isoformat(),
        "ends_at": soon(2, 4).isoformat(),
        "online_url": "http://x.vn",
    }
    bad = centre.post("/api/v1/jobs/fairs", insecure)
    assert bad.status_code == 422
    assert bad.json()["code"] == "validation.invalid"
    assert "online_url" in bad.json()["details"]["fields"]
    created = centre.post(
        "/api/v1/jobs/fairs",
        {
            "title": "Ngày hội việc làm trực tuyến",
            "kind": "online",
            "starts_at": soon(2).isoformat(),
            "ends_at": soon(2, 6).isoformat(),
            "online_url": "https://www.facebook.com/vieclamhcm/live",
        },
    )
    assert created.status_code == 201, created.content
    fair_id = created.json()["id"]
    booth = employer.post(f"/api/v1/jobs/fairs/{fair_id}/booths", {"vacancy_ids": [world.vacancy_a.pk]})
    assert booth.status_code == 201, booth.content
    booth_id = booth.json()["id"]
    start = JobFair.objects.get(pk=fair_id).starts_at + timedelta(hours=1)
    slot = employer.post(
        f"/api/v1/jobs/fairs/booths/{booth_id}/slots",
        {
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(minutes=30)).isoformat(),
            "capacity": 1,
            "video_link": "https://meet.example.vn/room-1",
        },
    )
    assert slot.status_code == 201, slot.content
    slot_id = slot.json()["id"]
    public = ApiClient(Client()).get(f"/api/v1/jobs/fairs/{fair_id}").json()
    assert public["booths"][0]["slots"][0]["free"] == 1
    assert "room-1" not in str(public)
    assert ApiClient(Client()).get("/api/v1/jobs/fairs").json()["count"] == 1

    booked = lan.post(f"/api/v1/jobs/fairs/slots/{slot_id}/bookings")
    assert booked.status_code == 201, booked.content
    assert booked.json()["video_link"] == "https://meet.example.vn/room-1"
    full = minh.post(f"/api/v1/jobs/fairs/slots/{slot_id}/bookings")
    assert full.status_code == 409
    assert full.json()["code"] == "jobs.slot_full"
    again = lan.post(f"/api/v1/jobs/fairs/slots/{slot_id}/bookings")
    assert again.json()["code"] == "jobs.already_booked"
    mine = lan.get("/api/v1/jobs/fairs/mine").json()
    assert mine["registrations"][0]["fair_id"] == fair_id
    assert mine["bookings"][0]["video_link"].endswith("room-1")
    assert minh.get("/api/v1/jobs/fairs/mine").json()["bookings"] == []

    booking_id = booked.json()["id"]
    who = employer.get(f"/api/v1/jobs/fairs/booths/{booth_id}/bookings").json()
    assert who["items"][0]["seeker_name"] == world.seeker_anonymous.person.full_name
    marked = employer.post(f"/api/v1/jobs/fairs/bookings/{booking_id}/attendance", {"status": "attended"})
    assert marked.status_code == 200, marked.content
    assert ServiceRecord.objects.filter(kind="fair").count() == 1

    JobFair.objects.filter(pk=fair_id).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    results = centre.call(
        "PUT",
        f"/api/v1/jobs/fairs/{fair_id}/results",
        {"booths": [{"booth_id": booth_id, "interviews": 1, "offers": 1, "hires": 1}], "close": True},
    )
    assert results.status_code == 200, results.content
    body = results.json()
    assert (body["status"], body["registered"], body["attended"], body["hires"]) == ("closed", 1, 1, 1)
    readers = api_as(world.provincial_officer).get(f"/api/v1/jobs/fairs/{fair_id}/results")
    assert readers.status_code == 200
    assert api_as(world.other_centre_officer).get(f"/api/v1/jobs/fairs/{fair_id}/results").status_code == 404


def test_door_and_walk_in_through_the_api(world):
    centre = api_as(world.centre_officer)
    fair = centre.post(
        "/api/v1/jobs/fairs",
        {
            "title": "Phiên giao dịch việc làm lưu động",
            "kind": "in_person",
            "starts_at": soon(1).isoformat(),
            "ends_at": soon(1, 5).isoformat(),
            "venue": "UBND phường Bến Thành",
        },
    ).json()
    registration = api_as(user_of(world.seeker_anonymous)).post(
        f"/api/v1/jobs/fairs/{fair['id']}/registrations"
    )
    assert registration.status_code == 201
    code = registration.json()["code"]
    first = centre.post(f"/api/v1/jobs/fairs/{fair['id']}/check-in", {"code": code})
    assert first.json()["first"] is True
    second = centre.post(f"/api/v1/jobs/fairs/{fair['id']}/check-in", {"code": code})
    assert second.json()["first"] is False
    walk = centre.post(
        f"/api/v1/jobs/fairs/{fair['id']}/walk-ins", {"full_name": "Hồ Văn Tâm", "phone": "0912000111"}
    )
    assert walk.status_code == 201
    assert ServiceRecord.objects.filter(kind="fair").count() == 2
    patched = centre.call("PATCH", f"/api/v1/jobs/fairs/{fair['id']}", {"title": "Phiên giao dịch việc làm"})
    assert patched.json()["title"] == "Phiên giao dịch việc làm"
    cancelled = centre.post(f"/api/v1/jobs/fairs/{fair['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
