"""The pensioner's pension API through HTTP: the pensions with the arrangement in force, the detail with
history and calendar (and months paid at a service point), the service points, and a change."""

from datetime import date

import pytest
from django.utils import timezone

from ansinh.welfare import pension_calendar
from ansinh.welfare.models import BenefitKind, BenefitPayment
from tests.factories import PersonFactory, ProvinceFactory, UserFactory
from tests.welfare.pension_world import make_pensioner, make_service_point

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanoi(db):
    return ProvinceFactory(code="H1", name="Hà Nội")


@pytest.fixture
def lan(hanoi):
    return make_pensioner(province=hanoi, service_point=make_service_point(hanoi, name="Bưu điện Hàng Bông"))


def test_my_pensions_with_the_arrangement_in_force(api_client, lan):
    response = api_client.as_user(lan.user).get("welfare/pensions")
    assert response.status_code == 200
    (item,) = response.json()
    assert item["social_insurance_code"] == "0105501234"
    assert item["monthly_amount"] == 6_500_000
    assert item["arrangement"]["method"] == "post_office"
    assert item["arrangement"]["service_point"]["name"] == "Bưu điện Hàng Bông"
    assert item["next_arrangement"] is None


def test_no_pension_is_an_empty_list(api_client):
    user = UserFactory(person=PersonFactory())
    assert api_client.as_user(user).get("welfare/pensions").json() == []
    assert api_client.as_user(UserFactory()).get("welfare/pensions").json() == []


def test_detail_with_calendar_history_and_cash_payments(api_client, lan, hanoi):
    this_month = pension_calendar.month_start(timezone.localdate())
    cashier = UserFactory()
    BenefitPayment.objects.create(
        person=lan.person, kind=BenefitKind.PENSION, benefit_id=lan.pension.pk, period=this_month,
        amount=6_500_000, service_point=lan.arrangement.service_point, org_path="/1/", province=hanoi,
        recorded_by=cashier, receipt_number="BN-1",
    )  # fmt: skip
    response = api_client.as_user(lan.user).get(f"welfare/pensions/{lan.pension.pk}", months=3)
    assert response.status_code == 200
    data = response.json()
    assert [m["period"] for m in data["calendar"]] == [
        str(m) for m in pension_calendar.pension_months(this_month, date(this_month.year + 1, 1, 1))[:3]
    ]
    first = data["calendar"][0]
    assert first["paid_at_service_point"] is True
    assert first["method"] == "post_office"
    assert (first["opens"], first["closes"]) == tuple(
        str(d) for d in pension_calendar.payment_window(this_month, "post_office")
    )
    assert data["cash_payments"][0]["receipt_number"] == "BN-1"
    assert [h["id"] for h in data["history"]] == [lan.arrangement.pk]
    assert data["change_applies_from"] == str(pension_calendar.arrangement_takes_effect(timezone.localdate()))


def test_change_then_the_calendar_shows_it_from_its_month(api_client, lan, hanoi):
    api_client.as_user(lan.user)
    response = api_client.post(
        f"welfare/pensions/{lan.pension.pk}/arrangements",
        {
            "method": "bank",
            "province_id": hanoi.pk,
            "bank_name": "Vietcombank",
            "bank_account": "0011002345678",
            "account_holder": "Tran Thi Lan",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    starts = pension_calendar.arrangement_takes_effect(timezone.localdate())
    assert created["valid_from"] == str(starts)
    assert created["acknowledged_at"] is None
    detail = api_client.get(f"welfare/pensions/{lan.pension.pk}", months=4).json()
    assert detail["next_arrangement"]["id"] == created["id"]
    by_month = {m["period"]: m["method"] for m in detail["calendar"]}
    assert by_month[str(starts)] == "bank"
    again = api_client.post(
        f"welfare/pensions/{lan.pension.pk}/arrangements",
        {"method": "bank", "province_id": hanoi.pk, "bank_name": "Vietcombank",
         "bank_account": "0011002345678", "account_holder": "Tran Thi Lan"},
    )  # fmt: skip
    assert again.status_code == 409
    assert again.json()["code"] == "welfare.pension_arrangement_unchanged"


def test_bad_change_names_the_field(api_client, lan, hanoi):
    response = api_client.as_user(lan.user).post(
        f"welfare/pensions/{lan.pension.pk}/arrangements",
        {"method": "home_delivery", "province_id": hanoi.pk, "delivery_address": "12 Hàng Bông"},
    )
    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["delivery_reason"]


def test_service_points_of_a_province(api_client, lan, hanoi):
    other = ProvinceFactory(code="N2")
    make_service_point(other, name="Bưu điện Vinh")
    make_service_point(hanoi, name="Đã đóng", is_active=False)
    names = [
        p["name"]
        for p in api_client.as_user(lan.user)
        .get("welfare/pension-service-points", province_id=hanoi.pk)
        .json()
    ]
    assert names == ["Bưu điện Hàng Bông"]


def test_another_persons_pension_is_not_found(api_client, lan):
    stranger = UserFactory(person=PersonFactory())
    response = api_client.as_user(stranger).get(f"welfare/pensions/{lan.pension.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "welfare.pension_not_found"
