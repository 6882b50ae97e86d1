# ruff: noqa: E501 - the matrix is a table, one row a line
"""Who may use the social-security card's pages and endpoints (see tests/authz/matrix.py).

The world: tests/welfare/card_world.py (commune of province A and its officer, service points in A and B),
Lan with a card and an allowance, one month of it paid at B's service point; Minh without a card; another
commune elsewhere.

A citizen sees only their own card (another's is 404); only cashiers scan and pay (403 for others), in any
province; only the commune officer of the holder's area manages their card (404 elsewhere); the public keys
are public; refusals change nothing (the matrix checks the database)."""

import pytest
from django.utils import timezone

from ansinh.welfare.benefits_due import benefits_due
from ansinh.welfare.card_signing import card_qr_payload, initials_of
from ansinh.welfare.services import card_payments, cards
from tests.authz.matrix import World, cases, run_case
from tests.factories import OrganisationFactory
from tests.welfare.card_world import build_card_world, give_allowance

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_card_world()
    give_allowance(w)
    card, _ = cards.card_issue(actor=w.lan_user)
    qr = card_qr_payload(
        card.number, card.issue, timezone.localdate(card.issued_at), initials=initials_of(w.lan.full_name)
    )
    first, second = benefits_due(w.lan)[:2]
    payment, _ = card_payments.payment_record(
        actor=w.cashier_b,
        qr=qr,
        kind=first.kind,
        benefit_id=first.benefit_id,
        period=first.period,
        request_key="matrix-0001",
    )
    other_commune = OrganisationFactory(name="UBND xã Khác", kind="commune", province=w.province_b)
    return World(
        orgs={
            "commune": w.commune,
            "other_commune": other_commune,
            "point_a": w.point_a,
            "point_b": w.point_b,
        },
        home={"commune_officer": "commune", "service_point_cashier": "point_b"},
        objects={
            "lan": w.lan_user,
            "minh": w.minh_user,
            "lan_person": w.lan,
            "minh_person": w.minh,
            "card": card,
            "payment": payment,
            "qr": qr,
            "kind": second.kind,
            "benefit": second.benefit_id,
            "period": second.period.isoformat(),
        },
        default_province=w.province_a,
    )


C = "/api/v1/welfare/cards"
PAY = {
    "qr": "{qr}",
    "kind": "{kind}",
    "benefit_id": "{benefit}",
    "period": "{period}",
    "request_key": "matrix-0002",
}
SCAN = {"qr": "{qr}"}

API = [
    # actor                             method  url                            expect  extras
    ("anonymous",                       "GET",  C + "/mine",                   401,    "auth.required"),
    ("citizen",                         "GET",  C + "/mine",                   200),
    ("as:lan",                          "GET",  C + "/mine",                   200),
    ("anonymous",                       "POST", C,                             401,    "auth.required"),
    ("citizen",                         "POST", C,                             409,    "welfare.card_needs_personal_id"),
    ("as:lan",                          "POST", C,                             200),
    ("anonymous",                       "POST", C + "/mine/lost",              401,    {"body": {"reason": "lost"}}),
    ("as:minh",                         "POST", C + "/mine/lost",              409,    "welfare.no_card", {"body": {"reason": "lost"}}),
    ("as:lan",                          "POST", C + "/mine/lost",              201,    {"body": {"reason": "lost"}}),
    ("anonymous",                       "POST", C + "/scan",                   401,    {"body": SCAN}),
    ("citizen",                         "POST", C + "/scan",                   403,    "permission.denied", {"body": SCAN}),
    ("as:lan",                          "POST", C + "/scan",                   403,    "permission.denied", {"body": SCAN}),
    ("commune_officer",                 "POST", C + "/scan",                   403,    "permission.denied", {"body": SCAN}),
    ("service_point_cashier",           "POST", C + "/scan",                   200,    {"body": SCAN}),
    ("service_point_cashier@point_a",   "POST", C + "/scan",                   200,    {"body": SCAN}),
    ("anonymous",                       "POST", C + "/payments",               401,    {"body": PAY}),
    ("as:lan",                          "POST", C + "/payments",               403,    "permission.denied", {"body": PAY}),
    ("commune_officer",                 "POST", C + "/payments",               403,    "permission.denied", {"body": PAY}),
    ("superuser",                       "POST", C + "/payments",               403,    "welfare.not_at_service_point", {"body": PAY}),
    ("service_point_cashier@point_a",   "POST", C + "/payments",               201,    {"body": PAY}),
    ("citizen",                         "POST", C + "/people/{minh_person}",   403,    "permission.denied"),
    ("service_point_cashier",           "POST", C + "/people/{minh_person}",   403,    "permission.denied"),
    ("commune_officer@other_commune",   "POST", C + "/people/{minh_person}",   404,    "not_found"),
    ("commune_officer",                 "POST", C + "/people/{minh_person}",   201),
    ("as:minh",                         "POST", C + "/{card}/revoke",          404,    "not_found", {"body": {"reason": "lost"}}),
    ("service_point_cashier",           "POST", C + "/{card}/revoke",          404,    "not_found", {"body": {"reason": "lost"}}),
    ("commune_officer@other_commune",   "POST", C + "/{card}/revoke",          404,    "not_found", {"body": {"reason": "misuse"}}),
    ("as:lan",                          "POST", C + "/{card}/revoke",          200,    {"body": {"reason": "lost"}}),
    ("commune_officer",                 "POST", C + "/{card}/revoke",          200,    {"body": {"reason": "misuse"}}),
    ("as:minh",                         "POST", C + "/{card}/reissue",         404,    "not_found", {"body": {"reason": "lost"}}),
    ("commune_officer",                 "POST", C + "/{card}/reissue",         201,    {"body": {"reason": "damaged"}}),
    ("anonymous",                       "GET",  C + "/keys",                   200),
]  # fmt: skip

P = "/social/card"
PAGES = [
    ("anonymous",                       "GET",  P + "/",                        302,    "/accounts/login/"),
    ("citizen",                         "GET",  P + "/",                        200),
    ("as:lan",                          "GET",  P + "/",                        200),
    ("as:lan",                          "GET",  P + "/pdf/",                    200),
    ("as:minh",                         "GET",  P + "/pdf/",                    302,    "/social/card/"),
    ("anonymous",                       "POST", P + "/get/",                    302,    "/accounts/login/"),
    ("anonymous",                       "GET",  P + "/keys.json",               200),
    ("anonymous",                       "GET",  P + "/scan/",                   302,    "/accounts/login/"),
    ("citizen",                         "GET",  P + "/scan/",                   403),
    ("commune_officer",                 "GET",  P + "/scan/",                   403),
    ("service_point_cashier",           "GET",  P + "/scan/",                   200),
    ("citizen",                         "POST", P + "/scan/",                   403,    {"body": SCAN}),
    ("service_point_cashier",           "POST", P + "/scan/",                   200,    {"body": SCAN}),
    ("citizen",                         "POST", P + "/scan/pay/",               403,    {"body": {"qr": "{qr}", "item": "x", "request_key": "matrix-0003"}}),
    ("citizen",                         "GET",  P + "/scan/receipts/{payment}/", 403),
    ("service_point_cashier@point_a",   "GET",  P + "/scan/receipts/{payment}/", 404),
    ("service_point_cashier",           "GET",  P + "/scan/receipts/{payment}/", 200),
    ("citizen",                         "GET",  P + "/manage/",                 403),
    ("service_point_cashier",           "GET",  P + "/manage/",                 403),
    ("commune_officer",                 "GET",  P + "/manage/",                 200),
    ("commune_officer",                 "GET",  P + "/manage/{lan_person}/",    200),
    ("commune_officer@other_commune",   "GET",  P + "/manage/{lan_person}/",    404),
    ("citizen",                         "GET",  P + "/manage/{lan_person}/",    403),
    ("commune_officer@other_commune",   "POST", P + "/manage/{minh_person}/issue/", 404),
    ("commune_officer@other_commune",   "POST", P + "/manage/{lan_person}/cards/{card}/revoke/", 404, {"body": {"reason": "misuse"}}),
    ("commune_officer",                 "POST", P + "/manage/{lan_person}/cards/{card}/revoke/", 302, {"body": {"reason": "misuse"}, "redirect_is_success": True}),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(API), ids=str)
def test_card_api(case, world, client):
    run_case(client, world, case)


@pytest.mark.parametrize("case", cases(PAGES), ids=str)
def test_card_pages(case, world, client):
    run_case(client, world, case)
