"""The overseas-labour API through HTTP: bad input is refused naming the field, in the reader's language; a
contract over the caps is refused with every rule broken and its legal basis; nothing is half-written."""

import pytest

from ansinh.overseas.models import Contract, Enterprise, Worker
from tests.overseas.world import build_world, contract_terms, registered_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def _json(terms: dict) -> dict:
    return {**terms, "signed_on": terms["signed_on"].isoformat()}


def test_registering_an_enterprise_names_each_bad_field_and_answers_once_the_password(db, api_client):
    build_world()
    bad = api_client.post(
        "overseas/enterprises",
        {
            "tax_code": "12",
            "name": "",
            "head_office": "1 Lê Lợi",
            "province": "40",
            "charter_capital": 0,
            "legal_representative": "A",
            "admin_username": "X Y",
        },
    )
    assert bad.status_code == 422
    assert set(bad.json()["details"]["fields"]) == {"tax_code", "name", "charter_capital", "admin_username"}
    # In Vietnamese by default.
    assert bad.json()["details"]["fields"]["tax_code"] == [
        "Nhập mã số thuế: 10 chữ số (hoặc 10 chữ số, dấu gạch ngang và 3 chữ số)."
    ]
    good = api_client.post(
        "overseas/enterprises",
        {
            "tax_code": "0312222333",
            "name": "Công ty CP Hải Đăng",
            "head_office": "1 Lê Lợi",
            "province": "40",
            "charter_capital": 5_000_000_000,
            "legal_representative": "Ngô Văn Đức",
            "admin_username": "haidang",
        },
    )
    assert good.status_code == 201, good.content
    assert good.json()["username"] == "haidang"
    assert len(good.json()["one_time_password"]) >= 12
    assert Enterprise.objects.filter(tax_code="0312222333").count() == 1


def test_a_contract_over_the_caps_is_refused_with_the_legal_basis(world, api_client):
    api_client.as_user(world.staff_a)  # the administrator must first change the issued password
    over = _json(contract_terms(service_fee=120_000_001, worker_deposit=40_000_000))
    response = api_client.post("overseas/contracts", over)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "overseas.rule_violated"
    by_code = {v["code"]: v for v in body["details"]["violations"]}
    assert set(by_code) == {"overseas.service_fee_over_cap", "overseas.deposit_over_cap"}
    # In Vietnamese by default, with the figures, and the article of the law.
    assert "120.000.001 đồng" in by_code["overseas.service_fee_over_cap"]["message"]
    assert "Luật" in by_code["overseas.service_fee_over_cap"]["legal_basis"]
    english = api_client.post("overseas/contracts", over, language="en")
    assert "more than the cap" in english.json()["details"]["violations"][0]["message"]
    assert not Contract.objects.exists()
    # At the cap exactly (3 months of a 36-month contract; Korea's deposit cap): registered.
    at_cap = api_client.post(
        "overseas/contracts", _json(contract_terms(service_fee=120_000_000, worker_deposit=36_000_000))
    )
    assert at_cap.status_code == 201, at_cap.content
    assert at_cap.json()["status"] == "submitted"


def test_a_contract_with_bad_terms_names_the_fields(world, api_client):
    api_client.as_user(world.staff_a)  # the administrator must first change the issued password
    response = api_client.post(
        "overseas/contracts",
        _json(contract_terms(country="XX", occupation="9999", workers_planned=0, monthly_salary=-5)),
    )
    assert response.status_code == 422
    assert set(response.json()["details"]["fields"]) == {
        "country",
        "occupation",
        "workers_planned",
        "monthly_salary",
    }


def test_a_worker_with_bad_fields_is_refused_naming_them_and_nothing_is_written(world, api_client):
    contract = registered_contract(world)
    api_client.as_user(world.staff_a)  # the administrator must first change the issued password
    response = api_client.post(
        "overseas/workers",
        {
            "contract_id": contract.pk,
            "personal_id": "040095001234",
            "passport_number": "C1234567",
            "full_name": "Lê Thị Hoa",
            "date_of_birth": "1990-03-14",
            "sex": "X",
        },
    )
    assert response.status_code == 422
    # The year of birth disagrees with the personal ID number (1995), and the sex is unknown.
    assert set(response.json()["details"]["fields"]) == {"date_of_birth", "sex"}
    assert not Worker.objects.exists()


def test_a_worker_departs_then_returns_through_the_api(world, api_client):
    contract = registered_contract(world)
    api_client.as_user(world.staff_a)  # the administrator must first change the issued password
    created = api_client.post(
        "overseas/workers",
        {
            "contract_id": contract.pk,
            "personal_id": "040095001234",
            "passport_number": "C1234567",
            "full_name": "Lê Thị Hoa",
            "date_of_birth": "1995-03-14",
            "sex": "F",
        },
    )
    assert created.status_code == 201, created.content
    worker_id = created.json()["id"]
    wrong = api_client.post(f"overseas/workers/{worker_id}/steps", {"status": "returned", "on": "2026-11-20"})
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "overseas.worker_step"
    assert wrong.json()["details"]["allowed"] == ["departed", "liquidated", "trained"]
    departed = api_client.post(
        f"overseas/workers/{worker_id}/steps", {"status": "departed", "on": "2026-11-20"}
    )
    assert departed.json()["status"] == "departed"
    assert departed.json()["departure_date"] == "2026-11-20"
