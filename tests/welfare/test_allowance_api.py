"""The allowance API over HTTP: the public rules and estimate, my allowances with the schedule, change
reports and the commune's acts; errors are `{code, message, details}`, lists are paginated."""

import pytest
from django.utils import timezone

from tests.api_client import ApiClient
from tests.welfare.allowance_world import allowance_world, approved_allowance

pytestmark = pytest.mark.django_db
BASE = "welfare/allowances"


@pytest.fixture
def world(db):
    return allowance_world()


def test_the_rules_in_force_are_public_with_their_sources(client):
    api = ApiClient(client)
    body = api.get(f"{BASE}/rules", on="2025-01-15").json()
    assert body["base_level"] == 500_000
    assert body["base_level_confirmed"] is True
    assert body["base_level_source"].startswith("Decree 76/2024")
    assert [h["amount"] for h in body["history"]] == [360_000, 500_000, 540_000]
    severe = next(g for g in body["groups"] if g["code"] == "disability_severe")
    assert [b["amount"] for b in severe["bands"]] == [1_000_000, 750_000, 1_000_000]
    later = api.get(f"{BASE}/rules", on="2026-08-01").json()
    assert (later["base_level"], later["base_level_confirmed"]) == (540_000, False)
    assert {g["code"] for g in later["groups"]}.isdisjoint({"elderly_80", "elderly_75_remote"})
    assert api.get(f"{BASE}/rules", on="1999-01-01").status_code == 422


def test_the_estimate_explains_and_names_the_failing_field(client):
    api = ApiClient(client)
    body = api.post(
        f"{BASE}/estimate",
        {"groups": ["single_parent", "disability_severe"], "birth_date": "1990-05-01", "on": "2025-03-01",
         "children": 2},
    ).json()  # fmt: skip
    assert body["group"] == "single_parent+disability_severe"
    assert body["amount"] == 750_000 + 1_000_000
    assert body["confirmed"] is True
    assert any("Art 6.2" in line for line in body["explanation"])
    bad = api.post(
        f"{BASE}/estimate", {"groups": ["elderly_poor"], "birth_date": "1990-05-01"}, language="en"
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "validation.invalid"
    assert "group" in bad.json()["details"]["fields"]
    assert api.post(f"{BASE}/estimate", {"groups": []}).status_code == 422


def test_my_allowance_with_schedule_and_my_reports(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        allowance = approved_allowance(world)
    api = ApiClient(client).as_user(world.citizen)
    [mine] = api.get(f"{BASE}/mine").json()
    assert mine["id"] == allowance.pk
    assert mine["monthly_amount"] == allowance.monthly_amount
    assert mine["schedule"][0]["month"] == timezone.localdate().replace(day=1).isoformat()
    assert mine["schedule"][0]["paid"] is False
    assert mine["explanation"]
    assert mine["decision_url"].startswith(f"/dossiers/{allowance.dossier_id}/documents/")
    today = timezone.localdate().isoformat()
    created = api.post(
        f"{BASE}/{allowance.pk}/changes",
        {"kind": "moved", "description": "Chuyển nhà.", "happened_on": today},
    )
    assert created.status_code == 201
    assert created.json()["status"] == "reported"
    bad = api.post(
        f"{BASE}/{allowance.pk}/changes", {"kind": "nope", "description": "x", "happened_on": today}
    )
    assert bad.status_code == 422
    assert "kind" in bad.json()["details"]["fields"]
    page = api.get(f"{BASE}/changes/mine").json()
    assert (page["count"], page["page"]) == (1, 1)
    # The commune accepts the move: the allowance ends with this month.
    officer = ApiClient(client).as_user(world.officer)
    queue = officer.get(f"{BASE}/changes").json()
    assert [c["id"] for c in queue["items"]] == [created.json()["id"]]
    accepted = officer.post(f"{BASE}/changes/{created.json()['id']}/accept", {"outcome": "Đã chuyển đi."})
    assert accepted.json()["effect"]["status"] == ["active", "ended"]
    assert officer.get(f"{BASE}/{allowance.pk}").json()["status"] == "ended"
    again = officer.post(f"{BASE}/changes/{created.json()['id']}/reject", {"outcome": "x"})
    assert (again.status_code, again.json()["code"]) == (409, "welfare.allowance_change_handled")


def test_the_commune_lists_filters_and_acts(client, world):
    allowance = approved_allowance(world)
    officer = ApiClient(client).as_user(world.officer)
    listed = officer.get(BASE, status="active").json()
    assert listed["count"] == 1
    assert listed["items"][0]["person_name"] == world.person.full_name
    assert officer.get(BASE, q="000000000000").json()["count"] == 0
    assert officer.get(BASE, q=world.person.personal_id).json()["count"] == 1
    suspended = officer.post(f"{BASE}/{allowance.pk}/suspend", {"reason": "Không nhận 3 tháng."})
    assert suspended.json()["status"] == "suspended"
    assert officer.post(f"{BASE}/{allowance.pk}/suspend", {"reason": "x"}).status_code == 409
    assert officer.post(f"{BASE}/{allowance.pk}/resume", {"reason": ""}).status_code == 422
    assert (
        officer.post(f"{BASE}/{allowance.pk}/resume", {"reason": "Đã nhận lại."}).json()["status"] == "active"
    )
    ended = officer.post(f"{BASE}/{allowance.pk}/end", {"reason": "Không còn đủ điều kiện."}).json()
    assert ended["status"] == "ended"
    assert ended["ends_on"] == timezone.localdate().replace(day=1).isoformat()
