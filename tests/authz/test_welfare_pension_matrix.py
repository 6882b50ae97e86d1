"""Who may use the pension endpoints and pages (see tests/authz/matrix.py).

The world: `lan` is a pensioner in Hà Nội whose pension (`pension`) is paid at a post office; `binh` is a
citizen with no pension. A pension is its pensioner's own: anyone else (another citizen, any officer,
even the system administrator) gets "not found", never another person's pension. The partner endpoints
take the social-insurance agency's partner token, never a user's token (401 for every user).
"""

import pytest

from ansinh.accounts.models import OrganisationKind
from tests.authz.matrix import World, cases, run_case
from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.welfare.pension_world import make_pensioner, make_service_point

pytestmark = pytest.mark.django_db

HOME = {
    "provincial_officer": "department",
    "ministry_officer": "ministry",
    "system_admin": "ministry",
    "social_insurance_partner": "bhxh",
    "service_point_cashier": "point",
}


@pytest.fixture
def world(reference_data):
    K = OrganisationKind
    hanoi = reference_data.province("01")
    ministry = OrganisationFactory(code="BNV", name="Bộ Nội vụ", kind=K.MINISTRY)
    department = OrganisationFactory(name="Sở Nội vụ Hà Nội", kind=K.PROVINCIAL_DEPARTMENT, province=hanoi)
    bhxh = OrganisationFactory(name="BHXH Hà Nội", kind=K.SOCIAL_INSURANCE, province=hanoi)
    point = make_service_point(hanoi, name="Bưu điện Hàng Bông")
    lan = make_pensioner(province=hanoi, service_point=point)
    binh = UserFactory(person=PersonFactory(province=hanoi, personal_id="001060006666"))
    return World(
        orgs={"ministry": ministry, "department": department, "bhxh": bhxh, "point": point},
        home=HOME,
        objects={"lan": lan.user, "binh": binh, "pension": lan.pension, "hanoi": hanoi},
        default_province=hanoi,
    )


def _lists(expected: bool):
    """The answer (a plain list) holds the pension, or not."""

    def check(response, world, actor):
        ids = {item["id"] for item in response.json()}
        assert (world.get("pension").pk in ids) is expected, ids

    return check


def _all(actors, method, url, expect, *extras):
    return [(actor, method, url, expect, *extras) for actor in actors]


AUTH, NOT_FOUND, PARTNER = "auth.required", "welfare.pension_not_found", "partner.unauthenticated"
OTHERS = ["citizen", "as:binh", "provincial_officer", "ministry_officer", "system_admin",
          "social_insurance_partner", "service_point_cashier"]  # fmt: skip
PENSION = "/api/v1/welfare/pensions/{pension}"
CHANGE = {
    "body": {
        "method": "home_delivery",
        "province_id": "{hanoi}",
        "delivery_address": "12 Hàng Bông",
        "delivery_reason": "Aged 86",
    }
}
PAGE_CHANGE = {**CHANGE, "redirect_is_success": True}
USERS = ["citizen", "as:lan", "social_insurance_partner", "system_admin"]

API = [
    ("anonymous", "GET", "/api/v1/welfare/pensions", 401, AUTH),
    ("as:lan", "GET", "/api/v1/welfare/pensions", 200, _lists(True)),
    *_all(OTHERS, "GET", "/api/v1/welfare/pensions", 200, _lists(False)),
    ("anonymous", "GET", PENSION, 401, AUTH),
    ("as:lan", "GET", PENSION, 200),
    *_all(OTHERS, "GET", PENSION, 404, NOT_FOUND),
    ("anonymous", "POST", f"{PENSION}/arrangements", 401, AUTH, CHANGE),
    ("as:lan", "POST", f"{PENSION}/arrangements", 201, CHANGE),
    *_all(OTHERS, "POST", f"{PENSION}/arrangements", 404, NOT_FOUND, CHANGE),
    ("anonymous", "GET", "/api/v1/welfare/pension-service-points?province_id={hanoi}", 401, AUTH),
    ("as:binh", "GET", "/api/v1/welfare/pension-service-points?province_id={hanoi}", 200),
    # A user's token is not a partner token, whoever the user is.
    *_all(["anonymous", *USERS], "POST", "/api/v1/partner/pensions", 401, PARTNER,
          {"body": {"records": []}}),
    *_all(["anonymous", *USERS], "GET", "/api/v1/partner/pension-arrangements", 401, PARTNER),
    *_all(["anonymous", *USERS], "POST", "/api/v1/partner/pension-arrangements/acknowledge", 401,
          PARTNER, {"body": {"ids": []}}),
]  # fmt: skip

PAGES = [
    ("anonymous", "GET", "/social/pension/", 302, "/accounts/login/"),
    ("as:lan", "GET", "/social/pension/", 200),
    *_all(OTHERS, "GET", "/social/pension/", 200),  # their own page: "no pension"
    ("anonymous", "POST", "/social/pension/{pension}/arrangement/", 302, "/accounts/login/", PAGE_CHANGE),
    ("as:lan", "POST", "/social/pension/{pension}/arrangement/", 302, "/social/pension/", PAGE_CHANGE),
    *_all(OTHERS, "POST", "/social/pension/{pension}/arrangement/", 404, PAGE_CHANGE),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(API), ids=str)
def test_api(case, world, client):
    run_case(client, world, case)


@pytest.mark.parametrize("case", cases(PAGES), ids=str)
def test_pages(case, world, client):
    response = run_case(client, world, case)
    if case.actor != "as:lan" and case.method == "GET" and response.status_code == 200:
        assert "Trần Thị Lan" not in response.content.decode()
