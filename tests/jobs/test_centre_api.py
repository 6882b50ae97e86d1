"""The centres' work through the API (HTTP, bearer tokens): counselling, talks, the counter, placements
verified by a second officer, targets and the dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.jobs.models import ServiceKind, ServiceRecord
from tests.api_client import ApiClient
from tests.jobs.test_centre_services import PID

pytestmark = pytest.mark.django_db


def api(client, user):
    return ApiClient(client).as_user(user)


def test_counselling_through_the_api(world, client):
    lan = api(client, world.seeker_anonymous.person.user)
    when = (timezone.now() + timedelta(days=2)).isoformat()
    booked = lan.post(
        "jobs/counselling", {"centre_id": world.centre_hcm.pk, "starts_at": when, "topic": "Học nghề"}
    )
    assert booked.status_code == 201, booked.content
    assert lan.get("jobs/counselling/mine").json()["count"] == 1
    bad = lan.post("jobs/counselling", {"centre_id": world.centre_hcm.pk, "starts_at": when, "topic": " "})
    assert bad.status_code == 422
    assert "topic" in bad.json()["details"]["fields"]
    officer = ApiClient(client).as_user(world.centre_officer)
    listed = officer.get("jobs/centre/appointments").json()
    assert [a["id"] for a in listed["items"]] == [booked.json()["id"]]
    walk_in = officer.post(
        "jobs/centre/appointments", {"personal_id": PID, "full_name": "Tô Hoài", "topic": "Việc"}
    )
    assert walk_in.status_code == 201
    held = officer.post(
        f"jobs/centre/appointments/{walk_in.json()['id']}/record",
        {"status": "done", "advice": "Học tiếng Hàn."},
    )
    assert held.status_code == 200
    assert held.json()["status"] == "done"
    assert ServiceRecord.objects.filter(kind=ServiceKind.COUNSELLING).count() == 1
    other = ApiClient(client).as_user(world.other_centre_officer)
    assert other.get("jobs/centre/appointments").json()["count"] == 0


def test_counter_talks_placements_targets_dashboard(world, client):
    officer = api(client, world.centre_officer)
    centre = world.centre_hcm.pk
    assert officer.post(f"jobs/centre/{centre}/tickets", {"purpose": "Tìm việc"}).json()["number"] == 1
    ticket = officer.post(
        f"jobs/centre/{centre}/tickets", {"purpose": "BHTN", "personal_id": PID, "full_name": "Mai"}
    )
    called = officer.post(f"jobs/centre/{centre}/tickets/next", {"desk": "1"}).json()
    assert called["number"] == 1
    assert called["status"] == "called"
    assert officer.post(f"jobs/centre/tickets/{called['id']}/left").json()["status"] == "left"
    officer.post(f"jobs/centre/{centre}/tickets/next", {"desk": "1"})
    served = officer.post(f"jobs/centre/tickets/{ticket.json()['id']}/served", {})
    assert served.json()["status"] == "served"
    empty = officer.post(f"jobs/centre/{centre}/tickets/next", {"desk": "1"})
    assert empty.status_code == 409
    assert empty.json()["code"] == "jobs.queue_empty"
    queue = officer.get(f"jobs/centre/{centre}/queue").json()
    assert (queue["issued"], queue["served"], queue["left"]) == (2, 1, 1)

    talk = officer.post(
        "jobs/centre/talks",
        {"school": "THPT Bùi Thị Xuân", "held_on": timezone.localdate().isoformat(), "attendees": 180},
    )
    assert talk.status_code == 201
    assert officer.get("jobs/centre/talks").json()["count"] == 1

    placed = officer.post(
        "jobs/centre/placements", {"personal_id": PID, "employer_name": "Công ty Y", "job_title": "Thợ điện"}
    )
    assert placed.status_code == 201
    pid = placed.json()["id"]
    self_check = officer.post(f"jobs/centre/placements/{pid}/verify")
    assert self_check.status_code == 409
    assert self_check.json()["code"] == "jobs.placement_self_check"
    head = api(client, world.centre_head)
    assert head.post(f"jobs/centre/placements/{pid}/verify").json()["status"] == "verified"

    year = timezone.localdate().year
    set_targets = head.call(
        "PUT", f"/api/v1/jobs/centre/{centre}/targets", {"year": year, "targets": {"placements": 500}}
    )
    assert set_targets.status_code == 200
    lines = {line["indicator"]: line for line in set_targets.json()["lines"]}
    assert (lines["placements"]["target"], lines["placements"]["actual"]) == (500, 1)
    assert lines["talk_attendees"]["actual"] == 180
    refused = officer.call(
        "PUT", f"/api/v1/jobs/centre/{centre}/targets", {"year": year, "targets": {"fairs": 2}}
    )
    assert refused.status_code == 403
    board = api(client, world.provincial_officer).get("jobs/centre/dashboard").json()
    assert [row["centre_id"] for row in board] == [centre]
    assert board[0]["surveys_sent"] == 2  # the counter visit and the placement
