"""`GET /api/v1/me/services` through HTTP: the same sections and next steps as the page, 401 without a token,
messages in the caller's language."""

import pytest

from tests.factories import UserFactory
from tests.welfare.test_overview import everything_for

pytestmark = pytest.mark.django_db

URL = "me/services"


def test_the_api_answers_the_same_as_the_page(api_client, reference_data):
    data = everything_for()
    body = api_client.as_user(data.user).get(URL, language="en").json()
    assert body["has_person"] is True
    assert body["person_name"] == data.person.full_name
    keys = [s["key"] for s in body["sections"]]
    assert {"unemployment", "allowance", "pension", "medicine", "card", "dossiers", "jobs", "inbox"} <= set(
        keys
    )
    claim = next(s for s in body["sections"] if s["key"] == "unemployment")
    assert claim["count"] == 1
    assert claim["items"][0]["amount"] == 4_800_000
    assert claim["next_step"]["url"] == "/unemployment/"
    assert claim["see_all_url"] == "/unemployment/"
    dated = [s["on"] for s in body["next_steps"] if s["on"]]
    assert dated == sorted(dated)
    assert any("ready to collect" in s["text"] for s in body["next_steps"])
    assert body["unread"] == 1
    assert "QĐ-0002" not in str(body)


def test_vietnamese_by_default(api_client, reference_data):
    data = everything_for()
    body = api_client.as_user(data.user).get(URL).json()
    medicine = next(s for s in body["sections"] if s["key"] == "medicine")
    assert medicine["next_step"]["on"]


def test_an_account_without_a_person(api_client, db):
    body = api_client.as_user(UserFactory()).get(URL, language="en").json()
    assert body["has_person"] is False
    assert body["sections"] == []
    assert [o["key"] for o in body["offers"]] == ["jobs", "unemployment"]


def test_without_a_token_401(api_client, db):
    response = api_client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"
