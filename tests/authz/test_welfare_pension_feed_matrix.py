"""Who may read the pension months paid at service points and acknowledge them (see tests/authz/matrix.py).

The world (tests/welfare/card_world.py): provinces A and B with a service point each. `pay_a` is a month of
a pension paid in A that was paid in cash at B's service point; `pay_b` a month of a pension paid in B,
paid at A's service point. Partner systems: `bhxh` (the agency, every province), `bhxh-a` and `bhxh-b`
(its systems of one province), `dvcqg` (a partner that is not the agency), `bhxh-off` (the agency's
system, switched off). The scope is the province that pays the pension, never the service point's.

Users never get in: these endpoints take a partner token, and a user's token is not one (401 for every
user, the system administrator and the social-insurance officer included).
"""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ansinh.accounts.models import OrganisationKind
from ansinh.dossiers.models import Partner
from ansinh.welfare.models import BenefitKind, BenefitPayment, Pension, PensionArrangement
from ansinh.welfare.pension_selectors import PAYMENT_FEED_SETTLE
from tests.authz.matrix import World, cases, changed_tables, db_snapshot, run_case
from tests.dossiers.partner_support import make_partner
from tests.factories import OrganisationFactory
from tests.welfare.card_world import PENSION_AMOUNT, build_card_world, give_pension, month_start

pytestmark = pytest.mark.django_db

FEED = "/api/v1/partner/pension-payments"
ACK = "/api/v1/partner/pension-payments/acknowledge"
PARTNER = "partner.unauthenticated"
NOT_AGENCY = "welfare.not_the_pension_agency"


@pytest.fixture(autouse=True)
def agency_setting(settings):
    settings.UNEMPLOYMENT_PAYER_PARTNERS = ["bhxh", "bhxh-a:CA", "bhxh-b:CB", "bhxh-off"]


def _paid(pension, point, cashier):
    when = timezone.now() - PAYMENT_FEED_SETTLE - timedelta(seconds=5)
    return BenefitPayment.objects.create(
        person=pension.person, kind=BenefitKind.PENSION, benefit_id=pension.pk,
        period=month_start(timezone.localdate()), amount=PENSION_AMOUNT, service_point=point,
        org_path=point.path, province_id=point.province_id, recorded_by=cashier, recorded_at=when,
        receipt_number=f"ASC-{when:%Y%m%d}-MATRIX{pension.pk:02d}",
    )  # fmt: skip


@pytest.fixture
def world():
    cards = build_card_world()
    in_a = give_pension(cards)
    in_b = give_pension(cards, person=cards.minh)
    Pension.objects.filter(pk=in_b.pk).update(province=cards.province_b)
    PensionArrangement.objects.filter(pension=in_b).update(province=cards.province_b)
    pay_a = _paid(in_a, cards.point_b, cards.cashier_b)
    pay_b = _paid(in_b, cards.point_a, cards.cashier_a)
    bhxh = OrganisationFactory(
        name="BHXH tỉnh A", kind=OrganisationKind.SOCIAL_INSURANCE, province=cards.province_a
    )
    ministry = OrganisationFactory(code="BNV", name="Bộ Nội vụ", kind=OrganisationKind.MINISTRY)
    return World(
        orgs={"bhxh": bhxh, "ministry": ministry, "point_a": cards.point_a},
        home={
            "social_insurance_partner": "bhxh",
            "system_admin": "ministry",
            "ministry_officer": "ministry",
            "service_point_cashier": "point_a",
        },
        objects={"lan": cards.lan_user, "pay_a": pay_a, "pay_b": pay_b},
        default_province=cards.province_a,
    )


USERS = ["anonymous", "citizen", "as:lan", "social_insurance_partner", "service_point_cashier",
         "ministry_officer", "system_admin"]  # fmt: skip
ACK_BODY = {"body": {"ids": ["{pay_a}", "{pay_b}"]}}

USER_ROWS = [
    *[(user, "GET", FEED, 401, PARTNER) for user in USERS],
    *[(user, "POST", ACK, 401, PARTNER, ACK_BODY) for user in USERS],
]


@pytest.mark.parametrize("case", cases(USER_ROWS), ids=str)
def test_users(case, world, client):
    run_case(client, world, case)


# --- partner systems: (partner, method, url, expected status, what the answer holds) ----------------------

BOTH, ONLY_A, ONLY_B = ("pay_a", "pay_b"), ("pay_a",), ("pay_b",)
PARTNER_ROWS = [
    ("bhxh", "GET", FEED, 200, BOTH),
    ("bhxh-a", "GET", FEED, 200, ONLY_A),
    ("bhxh-b", "GET", FEED, 200, ONLY_B),
    ("dvcqg", "GET", FEED, 403, NOT_AGENCY),
    ("bhxh-off", "GET", FEED, 401, PARTNER),
    ("bhxh", "POST", ACK, 200, BOTH),
    ("bhxh-a", "POST", ACK, 200, ONLY_A),
    ("bhxh-b", "POST", ACK, 200, ONLY_B),
    ("dvcqg", "POST", ACK, 403, NOT_AGENCY),
    ("bhxh-off", "POST", ACK, 401, PARTNER),
]


def _token(code: str) -> str:
    _partner, token, _secret = make_partner(code=code)
    if code == "bhxh-off":
        Partner.objects.filter(code=code).update(is_active=False)
    return token


@pytest.mark.parametrize("row", PARTNER_ROWS, ids=lambda row: f"{row[0]} {row[1]} {row[2]} -> {row[3]}")
def test_partners(row, world, client: Client):
    code, method, url, expect, detail = row
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(code)}"}
    both = [world.pk("pay_a"), world.pk("pay_b")]
    before = db_snapshot()
    if method == "GET":
        response = client.get(url, **headers)
    else:
        response = client.post(url, json.dumps({"ids": both}), content_type="application/json", **headers)
    assert response.status_code == expect, response.content
    if expect >= 400:
        assert response.json()["code"] == detail
        assert not changed_tables(before, db_snapshot())
        return
    seen = sorted(world.pk(name) for name in detail)
    if method == "GET":
        assert [item["id"] for item in response.json()["items"]] == seen
    else:
        assert response.json() == {
            "acknowledged": len(seen), "already": 0, "not_found": [pk for pk in both if pk not in seen],
        }  # fmt: skip
