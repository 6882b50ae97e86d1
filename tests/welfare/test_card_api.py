"""The card API through HTTP: my card with its QR text, getting it, reporting it lost; a service point in
another province scans and pays once (Idempotency-Key); the public keys."""

import pytest
from django.test import Client

from ansinh.welfare.card_signing import card_qr_verify
from ansinh.welfare.models import BenefitPayment
from tests.api_client import ApiClient
from tests.welfare.card_world import ALLOWANCE_AMOUNT, build_card_world, give_allowance

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_card_world()
    give_allowance(world)
    return world


def _as(user):
    return ApiClient(Client()).as_user(user)


def test_citizen_gets_the_card_and_reports_it_lost(world):
    api = _as(world.lan_user)
    assert api.get("welfare/cards/mine").json()["card"] is None
    created = api.post("welfare/cards")
    assert created.status_code == 201
    card = created.json()
    assert card_qr_verify(card["qr"]).number == card["number"]
    assert api.post("welfare/cards").status_code == 200  # the same card again
    mine = api.get("welfare/cards/mine").json()
    assert mine["card"]["id"] == card["id"]
    assert [item["amount"] for item in mine["due"]] == [ALLOWANCE_AMOUNT] * 3
    lost = api.post("welfare/cards/mine/lost", {"reason": "lost"})
    assert lost.status_code == 201
    assert (lost.json()["number"], lost.json()["issue"]) == (card["number"], 2)
    bad = api.post("welfare/cards/mine/lost", {"reason": "misuse"})
    assert bad.status_code == 422
    assert "reason" in bad.json()["details"]["fields"]


def test_a_citizen_without_personal_id_is_told_why(world):
    response = _as(world.minh_user).post("welfare/cards")
    assert response.status_code == 409
    assert response.json()["code"] == "welfare.card_needs_personal_id"


def test_scan_and_pay_once_from_two_provinces(world):
    qr = _as(world.lan_user).post("welfare/cards").json()["qr"]
    point_b, point_a = _as(world.cashier_b), _as(world.cashier_a)
    scan = point_b.post("welfare/cards/scan", {"qr": qr})
    assert scan.status_code == 200
    body = scan.json()
    assert (body["holder_name"], body["id_last4"], body["birth_year"]) == ("Nguyễn Thị Lan", "2345", 1950)
    item = body["due"][0]
    pay = {"qr": qr, "kind": item["kind"], "benefit_id": item["benefit_id"], "period": item["period"]}
    headers = {"HTTP_IDEMPOTENCY_KEY": "c0ffee-0001"}
    first = point_b.client.post(
        "/api/v1/welfare/cards/payments", pay, content_type="application/json",
        headers={"Authorization": f"Bearer {point_b.token}"}, **headers,
    )  # fmt: skip
    assert first.status_code == 201, first.content
    assert first.json()["amount"] == ALLOWANCE_AMOUNT
    retry = point_b.client.post(
        "/api/v1/welfare/cards/payments", pay, content_type="application/json",
        headers={"Authorization": f"Bearer {point_b.token}"}, **headers,
    )  # fmt: skip
    assert retry.status_code == 200
    assert retry.json()["receipt_number"] == first.json()["receipt_number"]
    second = point_a.post("welfare/cards/payments", {**pay, "request_key": "other-point-01"})
    assert second.status_code == 409
    assert second.json()["code"] == "welfare.already_paid"
    assert "Bưu điện Trung tâm B" in second.json()["message"]
    assert BenefitPayment.objects.count() == 1


def test_forged_and_revoked_cards_are_refused(world):
    lan = _as(world.lan_user)
    qr = lan.post("welfare/cards").json()["qr"]
    cashier = _as(world.cashier_a)
    forged = cashier.post("welfare/cards/scan", {"qr": _tampered(qr)})
    assert forged.status_code == 422
    assert forged.json()["code"] == "welfare.card_forged"
    lan.post("welfare/cards/mine/lost", {"reason": "lost"})
    revoked = cashier.post("welfare/cards/scan", {"qr": qr})
    assert revoked.status_code == 409
    assert revoked.json()["code"] == "welfare.card_revoked"
    assert revoked.json()["details"]["reason"] == "lost"


def test_missing_idempotency_key_names_the_field(world):
    qr = _as(world.lan_user).post("welfare/cards").json()["qr"]
    response = _as(world.cashier_a).post(
        "welfare/cards/payments", {"qr": qr, "kind": "pension", "benefit_id": 1, "period": "2026-01-01"}
    )
    assert response.status_code == 422
    assert "request_key" in response.json()["details"]["fields"]


def test_officer_issues_revokes_reissues(world):
    officer = _as(world.commune_officer)
    issued = officer.post(f"welfare/cards/people/{world.minh.pk}")
    assert issued.status_code == 201
    card_id = issued.json()["id"]
    again = officer.post(f"welfare/cards/{card_id}/reissue", {"reason": "damaged"})
    assert again.status_code == 201
    assert again.json()["issue"] == 2
    revoked = officer.post(f"welfare/cards/{again.json()['id']}/revoke", {"reason": "misuse"})
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert revoked.json()["qr"] is None


def test_public_keys(client):
    response = client.get("/api/v1/welfare/cards/keys")
    assert response.status_code == 200
    assert response.json()["keys"][0]["crv"] == "P-256"
    page = client.get("/social/card/keys.json")
    assert page.status_code == 200
    assert page.json() == response.json()


def _tampered(qr: str) -> str:
    """One signature character changed (never a no-op)."""
    return qr[:-10] + ("B" if qr[-10] != "B" else "C") + qr[-9:]
