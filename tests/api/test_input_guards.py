import json

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_nul_in_a_json_field_is_refused_naming_the_field(client):
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "a\x00", "password": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation.invalid"
    assert list(body["details"]["fields"]) == ["username"]


def test_nul_in_a_query_parameter_is_refused(api_client):
    api_client.as_user(UserFactory(is_superuser=True))
    response = api_client.get("people", q="an\x00")
    assert response.status_code == 422
    assert "q" in response.json()["details"]["fields"]


def test_nul_on_a_page_is_a_bad_request(client):
    assert client.get("/staff/people/", {"q": "\x00"}).status_code == 400


@pytest.mark.parametrize("since", ["2026-03-22T15:56:35+23:50", "12345"])
def test_audit_date_filters_refuse_impossible_offsets_and_bare_numbers(api_client, since):
    api_client.as_user(UserFactory(is_superuser=True))
    response = api_client.get("audit/entries", since=since)
    assert response.status_code == 422
    assert "since" in response.json()["details"]["fields"]


def test_audit_date_filter_without_offset_is_vietnam_time(api_client):
    api_client.as_user(UserFactory(is_superuser=True))
    assert api_client.get("audit/entries", since="2026-11-26T07:00:00").status_code == 200
    assert api_client.get("audit/entries", since="2026-11-26T07:00:00+14:00").status_code == 200
