"""The pension partner API through HTTP: the agency's token (and signature), the agency check, the batch
of pensioners, the arrangements to apply (paged) and their acknowledgement; the OpenAPI document."""

import json
import time

import pytest
from django.test import Client

from ansinh.dossiers.services.partners import signature_for
from ansinh.welfare.models import Pension, PensionArrangement
from ansinh.welfare.services import pensions
from tests.dossiers.partner_support import make_partner
from tests.factories import ProvinceFactory
from tests.welfare.pension_world import make_pensioner, make_service_point

pytestmark = pytest.mark.django_db

PENSIONS = "/api/v1/partner/pensions"
ARRANGEMENTS = "/api/v1/partner/pension-arrangements"
ACK = "/api/v1/partner/pension-arrangements/acknowledge"


@pytest.fixture(autouse=True)
def agency_setting(settings):
    settings.UNEMPLOYMENT_PAYER_PARTNERS = ["bhxh"]


@pytest.fixture
def hanoi(db):
    return ProvinceFactory(code="H1", name="Hà Nội")


@pytest.fixture
def agency(db):
    partner, token, secret = make_partner(code="bhxh")
    return partner, token, secret


def call(client: Client, method: str, url: str, token: str | None, body=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if method == "GET":
        return client.get(url, body or {}, **headers)
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def record(**overrides):
    return {
        "social_insurance_code": "0105501234",
        "id_number": "001055012345",
        "full_name": "Trần Thị Lan",
        "monthly_amount": 6_500_000,
        "starts_on": "2015-03-01",
        "province_code": "H1",
        "method": "post_office",
        **overrides,
    }


def test_send_pensioners_then_again(client, agency, hanoi):
    _partner, token, _secret = agency
    response = call(client, "POST", PENSIONS, token, {"records": [record()]})
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0, "persons_created": 1}
    again = call(client, "POST", PENSIONS, token, {"records": [record()]})
    assert again.json()["unchanged"] == 1
    assert Pension.objects.count() == 1


def test_a_signed_request_is_accepted_and_a_bad_signature_refused(client, agency, hanoi):
    _partner, token, secret = agency
    body = json.dumps({"records": [record()]}).encode()
    stamp = str(int(time.time()))
    good = client.post(
        PENSIONS, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_X_ANSINH_TIMESTAMP=stamp, HTTP_X_ANSINH_SIGNATURE=signature_for(secret, stamp, body),
    )  # fmt: skip
    assert good.status_code == 200
    bad = client.post(
        PENSIONS, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_X_ANSINH_TIMESTAMP=stamp, HTTP_X_ANSINH_SIGNATURE="sha256=" + "0" * 64,
    )  # fmt: skip
    assert bad.status_code == 401
    assert bad.json()["code"] == "partner.unauthenticated"


def test_bad_records_answer_422_naming_the_field(client, agency, hanoi):
    _partner, token, _secret = agency
    response = call(client, "POST", PENSIONS, token, {"records": [record(), record(monthly_amount=0)]})
    assert response.status_code == 422
    assert "records.1.monthly_amount" in response.json()["details"]["fields"]
    assert not Pension.objects.exists()


@pytest.mark.parametrize("url", [PENSIONS, ARRANGEMENTS, ACK])
def test_without_a_token_or_with_another_partner(client, url, hanoi):
    method = "GET" if url == ARRANGEMENTS else "POST"
    body = None if method == "GET" else {"records": []} if url == PENSIONS else {"ids": []}
    assert call(client, method, url, None, body).status_code == 401
    _portal, token, _secret = make_partner(code="dvcqg")
    refused = call(client, method, url, token, body)
    assert refused.status_code == 403
    assert refused.json()["code"] == "welfare.not_the_pension_agency"


def test_read_the_changes_page_by_page_and_acknowledge(client, agency, hanoi):
    _partner, token, _secret = agency
    point = make_service_point(hanoi)
    made = []
    for n in range(3):
        pensioner = make_pensioner(
            province=hanoi, full_name=f"Người {n}", personal_id=f"00105501000{n}",
            social_insurance_code=f"010550100{n}", service_point=point,
        )  # fmt: skip
        made.append(
            pensions.arrangement_change(
                actor=pensioner.user, pension_id=pensioner.pension.pk, method="home_delivery",
                province_id=hanoi.pk, delivery_address="12 Hàng Bông", delivery_reason="Aged 85",
            )
        )  # fmt: skip
    first = call(client, "GET", ARRANGEMENTS, token, {"limit": 2})
    assert first.status_code == 200
    page = first.json()
    assert [item["id"] for item in page["items"]] == [made[0].pk, made[1].pk]
    item = page["items"][0]
    assert item["method"] == "home_delivery"
    assert item["personal_id"] == "001055010000"
    assert item["province"] == {"code": "H1", "name": "Hà Nội"}
    assert item["acknowledged_at"] is None
    second = call(client, "GET", ARRANGEMENTS, token, {"limit": 2, "after": page["next_after"]}).json()
    assert [i["id"] for i in second["items"]] == [made[2].pk]
    assert second["next_after"] is None
    ack = call(client, "POST", ACK, token, {"ids": [made[0].pk, made[1].pk]})
    assert ack.status_code == 200
    assert ack.json() == {"acknowledged": 2, "already": 0, "not_found": []}
    pending = call(client, "GET", ARRANGEMENTS, token).json()
    assert [i["id"] for i in pending["items"]] == [made[2].pk]
    everything = call(client, "GET", ARRANGEMENTS, token, {"pending_only": "false"}).json()
    assert len(everything["items"]) == PensionArrangement.objects.count()  # the agency's first ones too
    assert call(client, "GET", ARRANGEMENTS, token, {"since": "2999-01-01T00:00:00Z"}).json()["items"] == []


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 501}, {"after": -1}, {"since": "yesterday"}])
def test_bounded_query_parameters(client, agency, query):
    _partner, token, _secret = agency
    assert call(client, "GET", ARRANGEMENTS, token, query).status_code == 422


def test_documented_in_the_openapi(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in (PENSIONS, ARRANGEMENTS, ACK):
        assert path in schema["paths"], path
    operation = schema["paths"][PENSIONS]["post"]
    assert "partner" in operation["tags"]
    assert "Bearer" in operation["description"]
