"""Who may use the monthly social allowance endpoints and pages (see tests/authz/matrix.py).

The world: the commune of Diễn Châu (receives, decides and manages its allowances) and the commune of Yên
Thành (`other`), a province department. `binh` receives an allowance decided by Diễn Châu (`allowance`)
and has reported a change (`change`).

The rules and the estimate are public. A beneficiary sees and reports on their own allowance only. The
commune's officer and chair (welfare_allowance.manage) see and act on their commune's allowances; the
other commune's officer does not see them (404). Anyone without the permission is refused (403).
"""

import pytest
from django.utils import timezone

from ansinh.accounts.models import OrganisationKind
from ansinh.welfare.services import allowance_changes
from tests.authz.matrix import World, cases, hides, run_case, shows
from tests.factories import OrganisationFactory
from tests.welfare.allowance_world import allowance_world, approved_allowance

pytestmark = pytest.mark.django_db

HOME = {
    "commune_officer": "commune",
    "commune_chair": "commune",
    "provincial_officer": "department",
    "service_point_cashier": "department",
}


@pytest.fixture
def world(db):
    base = allowance_world()
    department = OrganisationFactory(kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=base.province)
    allowance = approved_allowance(base)
    change = allowance_changes.change_report(
        actor=base.citizen,
        allowance_id=allowance.pk,
        kind="income",
        description="Thu nhập thay đổi.",
        happened_on=timezone.localdate(),
    )
    return World(
        orgs={"commune": base.commune, "other": base.other_commune, "department": department},
        home=HOME,
        objects={"binh": base.citizen, "allowance": allowance, "change": change},
        default_province=base.province,
    )


def _all(actors, method, url, expect, *extras):
    return [(actor, method, url, expect, *extras) for actor in actors]


AUTH, NOT_FOUND, DENIED = "auth.required", "not_found", "permission.denied"
COMMUNE = ["commune_officer", "commune_chair"]
OTHER = "commune_officer@other"
NO_MANAGE = ["citizen", "as:binh", "provincial_officer"]
BASE = "/api/v1/welfare/allowances"
ONE = BASE + "/{allowance}"
CHANGE = BASE + "/changes/{change}"
REASON = {"body": {"reason": "Không nhận trợ cấp 3 tháng liên tiếp."}}
REPORT = {"body": {"kind": "bank", "description": "Tài khoản mới.", "happened_on": "2026-01-02"}}
ESTIMATE = {"body": {"groups": ["disability_severe"], "birth_date": "1980-01-01"}}

API = [
    ("anonymous", "GET", BASE + "/rules", 200),
    ("anonymous", "POST", BASE + "/estimate", 200, ESTIMATE),
    ("anonymous", "GET", BASE + "/mine", 401, AUTH),
    *_all(["as:binh", "citizen"], "GET", BASE + "/mine", 200),
    ("as:binh", "GET", BASE + "/changes/mine", 200, shows("change")),
    ("citizen", "GET", BASE + "/changes/mine", 200, hides("change")),
    *_all(["as:binh", *COMMUNE], "GET", ONE, 200),
    *_all(["citizen", OTHER, "provincial_officer"], "GET", ONE, 404, NOT_FOUND),
    ("anonymous", "GET", ONE, 401, AUTH),
    ("as:binh", "POST", ONE + "/changes", 201, REPORT),
    *_all(["citizen", *COMMUNE], "POST", ONE + "/changes", 404, NOT_FOUND, REPORT),
    ("anonymous", "POST", ONE + "/changes", 401, AUTH, REPORT),
    *_all(COMMUNE, "GET", BASE, 200, shows("allowance")),
    (OTHER, "GET", BASE, 200, hides("allowance")),
    *_all(NO_MANAGE, "GET", BASE, 403, DENIED),
    ("anonymous", "GET", BASE, 401, AUTH),
    *_all(COMMUNE, "GET", BASE + "/changes", 200, shows("change")),
    (OTHER, "GET", BASE + "/changes", 200, hides("change")),
    *_all(NO_MANAGE, "GET", BASE + "/changes", 403, DENIED),
    *_all(COMMUNE, "POST", ONE + "/suspend", 200, REASON),
    (OTHER, "POST", ONE + "/suspend", 404, NOT_FOUND, REASON),
    *_all(NO_MANAGE, "POST", ONE + "/suspend", 403, DENIED, REASON),
    ("anonymous", "POST", ONE + "/suspend", 401, AUTH, REASON),
    ("commune_officer", "POST", ONE + "/resume", 409, "welfare.allowance_state", REASON),
    (OTHER, "POST", ONE + "/resume", 404, NOT_FOUND, REASON),
    ("as:binh", "POST", ONE + "/resume", 403, DENIED, REASON),
    *_all(COMMUNE, "POST", ONE + "/end", 200, REASON),
    (OTHER, "POST", ONE + "/end", 404, NOT_FOUND, REASON),
    *_all(NO_MANAGE, "POST", ONE + "/end", 403, DENIED, REASON),
    *_all(COMMUNE, "POST", CHANGE + "/accept", 200, {"body": {"outcome": "Đã xác minh."}}),
    (OTHER, "POST", CHANGE + "/accept", 404, NOT_FOUND, {"body": {"outcome": "x"}}),
    *_all(NO_MANAGE, "POST", CHANGE + "/accept", 403, DENIED, {"body": {"outcome": "x"}}),
    *_all(COMMUNE, "POST", CHANGE + "/reject", 200, {"body": {"outcome": "Chưa đủ căn cứ."}}),
    (OTHER, "POST", CHANGE + "/reject", 404, NOT_FOUND, {"body": {"outcome": "x"}}),
    *_all(NO_MANAGE, "POST", CHANGE + "/reject", 403, DENIED, {"body": {"outcome": "x"}}),
]

PAGE = "/social/allowance/commune/{allowance}/"
PAGE_CHANGE = "/social/allowance/commune/changes/{change}/"
PAGES = [
    ("anonymous", "GET", "/social/allowance/", 200),
    *_all(["as:binh", "citizen", "commune_officer"], "GET", "/social/allowance/", 200),
    ("anonymous", "GET", "/social/allowance/commune/", 302, "/accounts/login/"),
    *_all([*COMMUNE, OTHER], "GET", "/social/allowance/commune/", 200),
    ("commune_officer+no2fa", "GET", "/social/allowance/commune/", 302, "/accounts/2fa/"),
    *_all(NO_MANAGE, "GET", "/social/allowance/commune/", 403),
    *_all(COMMUNE, "GET", PAGE, 200),
    (OTHER, "GET", PAGE, 404),
    *_all(NO_MANAGE, "GET", PAGE, 403),
    (
        "commune_officer",
        "POST",
        PAGE + "suspend/",
        302,
        "/social/allowance/commune/",
        {"body": {"reason": "Không nhận 3 tháng."}, "redirect_is_success": True},
    ),
    (OTHER, "POST", PAGE + "suspend/", 404, {"body": {"reason": "x"}}),
    *_all(NO_MANAGE, "POST", PAGE + "suspend/", 403, {"body": {"reason": "x"}}),
    ("anonymous", "POST", PAGE + "end/", 302, "/accounts/login/", {"body": {"reason": "x"}}),
    (
        "commune_chair",
        "POST",
        PAGE_CHANGE + "reject/",
        302,
        "/social/allowance/commune/",
        {"body": {"outcome": "Không đủ căn cứ."}, "redirect_is_success": True},
    ),
    (OTHER, "POST", PAGE_CHANGE + "accept/", 404, {"body": {"outcome": "x"}}),
    *_all(NO_MANAGE, "POST", PAGE_CHANGE + "accept/", 403, {"body": {"outcome": "x"}}),
    (
        "as:binh",
        "POST",
        "/social/allowance/{allowance}/changes/",
        302,
        "/social/allowance/",
        {
            "body": {"kind": "other", "description": "x", "happened_on": "2026-01-02"},
            "redirect_is_success": True,
        },
    ),
    (
        "citizen",
        "POST",
        "/social/allowance/{allowance}/changes/",
        404,
        {"body": {"kind": "other", "description": "x", "happened_on": "2026-01-02"}},
    ),
    ("anonymous", "POST", "/social/allowance/{allowance}/changes/", 302, "/accounts/login/"),
]


@pytest.mark.parametrize("case", cases(API), ids=str)
def test_api(case, world, client):
    run_case(client, world, case)


@pytest.mark.parametrize("case", cases(PAGES), ids=str)
def test_pages(case, world, client):
    run_case(client, world, case)
