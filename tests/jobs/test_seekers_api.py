"""The job seeker's API through HTTP: signing up, the profile, applications with their timeline, withdraw,
saved searches; errors answer {code, message, details} naming the field."""

import pytest

from ansinh.jobs.models import ApplicationStatus, SavedSearch
from ansinh.jobs.services import applications
from tests.api_client import ApiClient
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "full_name": "Phan Văn Tài",
    "phone": "0977 000 111",
    "password": "song-Lam-xanh-bien-7",
    "province": "79",
}


@pytest.fixture
def api(client):
    return ApiClient(client)


def test_sign_up_then_sign_in_with_the_phone_number(world, api):
    response = api.post("jobs/seekers", SIGN_UP)
    assert response.status_code == 201, response.content
    assert response.json()["username"] == "+84977000111"
    api.login("+84977000111", SIGN_UP["password"])
    me = api.get("jobs/seekers/me")
    assert me.status_code == 200
    assert me.json()["full_name"] == "Phan Văn Tài"
    assert me.json()["province"] == "79"


def test_sign_up_errors_name_the_fields(world, api):
    response = api.post("jobs/seekers", {**SIGN_UP, "phone": "abc", "password": "123"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation.invalid"
    assert set(body["details"]["fields"]) == {"phone", "password"}
    missing = api.post("jobs/seekers", {"full_name": "X"})
    assert missing.status_code == 422


def test_the_profile_is_started_written_and_read(world, api):
    api.as_user(UserFactory(person=PersonFactory(full_name="Lý Thị Thu", phone="+84911222333")))
    assert api.get("jobs/seekers/me").status_code == 404
    started = api.post("jobs/seekers/me", {"headline": "Thợ may"})
    assert started.status_code == 201
    assert started.json()["headline"] == "Thợ may"
    body = {
        "headline": "Thợ may công nghiệp",
        "education": "lower_secondary",
        "skills": "May máy 1 kim, vắt sổ",
        "experience_years": 6,
        "occupations": ["753"],
        "provinces": ["79", "01"],
        "province": "79",
        "expected_salary": 9_000_000,
        "wants_abroad": True,
        "visibility": "private",
        "is_looking": True,
    }
    written = api.call("PUT", "jobs/seekers/me", body)
    assert written.status_code == 200, written.content
    data = written.json()
    assert data["occupations"] == ["753"]
    assert sorted(data["provinces"]) == ["01", "79"]
    assert data["visibility"] == "private"
    assert data["expected_salary"] == 9_000_000
    bad = api.call("PUT", "jobs/seekers/me", {**body, "occupations": ["7"], "visibility": "everyone"})
    assert bad.status_code == 422
    assert set(bad.json()["details"]["fields"]) == {"occupations", "visibility"}


def test_apply_follow_and_withdraw(world, api):
    api.as_user(world.seeker_anonymous.person.user)
    applied = api.post(
        "jobs/seekers/me/applications", {"vacancy_id": world.vacancy_a.pk, "cover_note": "Xin chào"}
    )
    assert applied.status_code == 201, applied.content
    application_id = applied.json()["id"]
    assert applied.json()["can_withdraw"] is True
    again = api.post("jobs/seekers/me/applications", {"vacancy_id": world.vacancy_a.pk})
    assert again.status_code == 409
    assert again.json()["code"] == "jobs.already_applied"
    applications.application_set_status(
        actor=world.admin_a,
        application_id=application_id,
        status=ApplicationStatus.OFFER,
        note="Lương 11 triệu",
    )
    listing = api.get("jobs/seekers/me/applications")
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    [item] = listing.json()["items"]
    assert [e["status"] for e in item["events"]] == ["sent", "offer"]
    assert item["events"][1]["note"] == "Lương 11 triệu"
    withdrawn = api.post(f"jobs/seekers/me/applications/{application_id}/withdraw")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["can_withdraw"] is False
    twice = api.post(f"jobs/seekers/me/applications/{application_id}/withdraw")
    assert twice.status_code == 409
    assert twice.json()["code"] == "jobs.status_change"


def test_saved_searches_through_the_api(world, api):
    api.as_user(world.seeker_full.person.user)
    created = api.post(
        "jobs/seekers/me/saved-searches", {"query": "tho han", "filters": {"province": "01", "abroad": False}}
    )
    assert created.status_code == 201, created.content
    saved_id = created.json()["id"]
    assert created.json()["filters"] == {"province": "01", "abroad": False}
    bad = api.post("jobs/seekers/me/saved-searches", {"filters": {"contract_type": "daily"}})
    assert bad.status_code == 422
    assert list(bad.json()["details"]["fields"]) == ["contract_type"]
    assert api.get("jobs/seekers/me/saved-searches").json()["count"] == 1
    switched = api.call("PATCH", f"jobs/seekers/me/saved-searches/{saved_id}", {"alert": False})
    assert switched.status_code == 200
    assert switched.json()["alert"] is False
    assert api.delete(f"jobs/seekers/me/saved-searches/{saved_id}").status_code == 204
    assert not SavedSearch.objects.filter(pk=saved_id).exists()
