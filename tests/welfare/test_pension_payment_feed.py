"""The feed of pension months paid in cash at service points, through HTTP with a partner token: what each
agency sees (its provinces, a pensioner who moved reported to both), keyset paging, the settling delay, the
bounds of the query, who may call, and the acknowledgement (counts, idempotent, audited)."""

import json
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ansinh.core.models import AuditEntry
from ansinh.welfare.card_signing import card_qr_payload, initials_of
from ansinh.welfare.models import BenefitKind, BenefitPayment, Pension, PensionArrangement, SocialSecurityCard
from ansinh.welfare.pension_selectors import PAYMENT_FEED_SETTLE
from ansinh.welfare.services import card_payments, cards
from tests.dossiers.partner_support import make_partner
from tests.welfare.card_world import (
    PENSION_AMOUNT,
    CardWorld,
    build_card_world,
    give_allowance,
    give_pension,
    month_start,
)

pytestmark = pytest.mark.django_db

FEED = "/api/v1/partner/pension-payments"
ACK = "/api/v1/partner/pension-payments/acknowledge"
SETTLED = PAYMENT_FEED_SETTLE + timedelta(seconds=5)


@pytest.fixture(autouse=True)
def agency_setting(settings):
    # One system for the whole country, and one for each of the world's two provinces.
    settings.UNEMPLOYMENT_PAYER_PARTNERS = ["bhxh", "bhxh-a:CA", "bhxh-b:CB"]


@pytest.fixture
def world() -> CardWorld:
    return build_card_world()


@pytest.fixture
def tokens(db) -> dict[str, str]:
    return {code: make_partner(code=code)[1] for code in ("bhxh", "bhxh-a", "bhxh-b", "dvcqg")}


def call(client: Client, method: str, url: str, token: str | None, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method == "GET":
        return client.get(url, body or {}, **headers)
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def paid(
    world: CardWorld, benefit: Pension, period: date, *, point=None, kind: str = BenefitKind.PENSION
) -> BenefitPayment:
    """A month paid at a service point, written as `payment_record` leaves it, recorded long enough ago
    to be listed."""
    point = point or world.point_a
    when = timezone.now() - SETTLED
    return BenefitPayment.objects.create(
        person=benefit.person,
        kind=kind,
        benefit_id=benefit.pk,
        period=period,
        amount=PENSION_AMOUNT,
        service_point=point,
        org_path=point.path,
        province_id=point.province_id,
        recorded_by=world.cashier_a if point == world.point_a else world.cashier_b,
        recorded_at=when,
        receipt_number=f"ASC-{when:%Y%m%d}-{BenefitPayment.objects.count() + 1:08d}",
    )


def qr_of(card: SocialSecurityCard) -> str:
    return card_qr_payload(
        card.number,
        card.issue,
        timezone.localdate(card.issued_at),
        initials=initials_of(card.person.full_name),
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_a_month_paid_in_another_province_reaches_the_agency_that_pays_the_pension(
    client, world, tokens, django_capture_on_commit_callbacks
):
    pension = give_pension(world)  # paid in province A
    card, _ = cards.card_issue(actor=world.lan_user)
    this_month = month_start(timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        payment, _ = card_payments.payment_record(
            actor=world.cashier_b, qr=qr_of(card), kind=BenefitKind.PENSION, benefit_id=pension.pk,
            period=this_month, request_key="feed-test-0001",
        )  # fmt: skip
    # Just recorded: not listed until its id order is final.
    assert ids(call(client, "GET", FEED, tokens["bhxh-a"])) == []
    BenefitPayment.objects.filter(pk=payment.pk).update(recorded_at=timezone.now() - SETTLED)
    payment.refresh_from_db()

    page = call(client, "GET", FEED, tokens["bhxh-a"]).json()
    assert page["next_after"] is None
    assert page["items"] == [
        {
            "id": payment.pk,
            "social_insurance_code": pension.social_insurance_code,
            "personal_id": world.lan.personal_id,
            "month": f"{this_month:%Y-%m}",
            "amount": PENSION_AMOUNT,
            "receipt_number": payment.receipt_number,
            "service_point": {"code": world.point_b.code, "name": world.point_b.name},
            "province_code": "CB",
            "paid_at": page["items"][0]["paid_at"],
            "acknowledged_at": None,
        }
    ]
    paid_at = datetime.fromisoformat(page["items"][0]["paid_at"])
    assert paid_at.utcoffset() == timedelta(0)
    assert abs(paid_at - payment.recorded_at) < timedelta(milliseconds=1)  # JSON keeps milliseconds
    # The service point's province does not pay this pension; the nation's system sees everything.
    assert ids(call(client, "GET", FEED, tokens["bhxh-b"])) == []
    assert ids(call(client, "GET", FEED, tokens["bhxh"])) == [payment.pk]
    read = AuditEntry.objects.filter(action="welfare.pension_payments_read").order_by("seq")
    assert [entry.changes for entry in read] == [
        {"partner": "bhxh-a", "ids": [payment.pk]},
        {"partner": "bhxh", "ids": [payment.pk]},
    ]


def test_a_pensioner_who_moved_is_reported_to_both_provinces_and_no_other(client, world, tokens):
    this_month = month_start(timezone.localdate())
    moved = give_pension(world)
    in_b = give_pension(world, person=world.minh)
    Pension.objects.filter(pk=in_b.pk).update(province=world.province_b)
    PensionArrangement.objects.filter(pension=in_b).update(province=world.province_b)
    before_move = paid(world, moved, this_month)
    # The move to B takes effect later: this month is still A's to pay, but the pension is B's now.
    Pension.objects.filter(pk=moved.pk).update(province=world.province_b)
    PensionArrangement.objects.create(
        pension=moved, method="post_office", province=world.province_b, valid_from=date(2999, 1, 1)
    )
    of_b = paid(world, in_b, this_month, point=world.point_b)
    allowance = give_allowance(world)
    paid(world, allowance, this_month, kind=BenefitKind.SOCIAL_ALLOWANCE)  # not a pension: never listed

    assert ids(call(client, "GET", FEED, tokens["bhxh-a"])) == [before_move.pk]
    assert ids(call(client, "GET", FEED, tokens["bhxh-b"])) == [before_move.pk, of_b.pk]
    assert ids(call(client, "GET", FEED, tokens["bhxh"])) == [before_move.pk, of_b.pk]


def test_keyset_paging_and_the_month_filter(client, world, tokens):
    pension = give_pension(world)
    made = [paid(world, pension, date(2026, month, 1)) for month in range(1, 6)]
    first = call(client, "GET", FEED, tokens["bhxh-a"], {"limit": 2}).json()
    assert [i["id"] for i in first["items"]] == [made[0].pk, made[1].pk]
    assert first["next_after"] == made[1].pk
    second = call(client, "GET", FEED, tokens["bhxh-a"], {"limit": 2, "after": first["next_after"]}).json()
    assert [i["id"] for i in second["items"]] == [made[2].pk, made[3].pk]
    third = call(client, "GET", FEED, tokens["bhxh-a"], {"limit": 2, "after": second["next_after"]}).json()
    assert [i["id"] for i in third["items"]] == [made[4].pk]
    assert third["next_after"] is None
    # The cursor kept: a payment recorded later is read from where the agency stopped.
    later = paid(world, pension, date(2026, 6, 1))
    assert ids(call(client, "GET", FEED, tokens["bhxh-a"], {"after": made[4].pk})) == [later.pk]
    # Reconciling one month.
    assert ids(call(client, "GET", FEED, tokens["bhxh-a"], {"month": "2026-03"})) == [made[2].pk]
    assert ids(call(client, "GET", FEED, tokens["bhxh-a"], {"month": "2025-03"})) == []
    # Exactly `limit` left: no next page.
    assert call(client, "GET", FEED, tokens["bhxh-a"], {"limit": 6}).json()["next_after"] is None
    assert len(ids(call(client, "GET", FEED, tokens["bhxh-a"], {"limit": 1}))) == 1
    assert len(ids(call(client, "GET", FEED, tokens["bhxh-a"], {"limit": 500}))) == 6


@pytest.mark.parametrize(
    "query",
    [
        {"limit": 0},
        {"limit": 501},
        {"limit": "many"},
        {"after": -1},
        {"after": 2**62 + 1},
        {"month": "2026-13"},
        {"month": "0000-01"},
        {"month": "2026-3"},
        {"month": "March"},
    ],
)
def test_bounded_query_parameters(client, world, tokens, query):
    response = call(client, "GET", FEED, tokens["bhxh"], query)
    assert response.status_code == 422, query


@pytest.mark.parametrize("url", [FEED, ACK])
def test_without_a_token_or_with_another_partner(client, world, tokens, url):
    method, body = ("GET", None) if url == FEED else ("POST", {"ids": [1]})
    missing = call(client, method, url, None, body)
    assert missing.status_code == 401
    assert missing.json()["code"] == "partner.unauthenticated"
    assert call(client, method, url, "not-a-token", body).status_code == 401
    refused = call(client, method, url, tokens["dvcqg"], body)
    assert refused.status_code == 403
    assert refused.json()["code"] == "welfare.not_the_pension_agency"
    assert not AuditEntry.objects.filter(action__startswith="welfare.pension_payments").exists()


def test_acknowledge_counts_and_is_idempotent(client, world, tokens):
    this_month = month_start(timezone.localdate())
    ours = give_pension(world)
    theirs = give_pension(world, person=world.minh)
    Pension.objects.filter(pk=theirs.pk).update(province=world.province_b)
    PensionArrangement.objects.filter(pension=theirs).update(province=world.province_b)
    a1, a2 = paid(world, ours, this_month), paid(world, ours, date(2026, 1, 1))
    b1 = paid(world, theirs, this_month, point=world.point_b)
    allowance = paid(world, give_allowance(world), this_month, kind=BenefitKind.SOCIAL_ALLOWANCE)
    before = list(BenefitPayment.objects.order_by("pk").values())
    body = {"ids": [a2.pk, a1.pk, a1.pk, b1.pk, allowance.pk, 987654321, 2**70]}
    expected = {
        "acknowledged": 2,
        "already": 0,
        "not_found": sorted([b1.pk, allowance.pk, 987654321, 2**70]),
    }
    first = call(client, "POST", ACK, tokens["bhxh-a"], body)
    assert first.status_code == 200, first.content
    assert first.json() == expected
    again = call(client, "POST", ACK, tokens["bhxh-a"], body)
    assert again.json() == {**expected, "acknowledged": 0, "already": 2}
    after = {row["id"]: row for row in BenefitPayment.objects.order_by("pk").values()}
    assert [after[pk]["reported_at"] is not None for pk in (a1.pk, a2.pk, b1.pk, allowance.pk)] == [
        True, True, False, False,
    ]  # fmt: skip
    unchanged = [{**row, "reported_at": None} for row in after.values()]
    assert unchanged == before  # only the confirmation is written
    entries = AuditEntry.objects.filter(action="welfare.pension_payments_acknowledge").order_by("seq")
    assert [entry.changes for entry in entries] == [
        {"partner": "bhxh-a", "ids": sorted([a1.pk, a2.pk]), "not_found": expected["not_found"]}
    ]  # the second call confirmed nothing new
    # The listing keeps them (the agency keeps its cursor) and says when they were acknowledged;
    # `pending_only` leaves them out.
    listed = call(client, "GET", FEED, tokens["bhxh-a"]).json()["items"]
    assert [row["id"] for row in listed] == [a1.pk, a2.pk]
    assert all(row["acknowledged_at"] for row in listed)
    assert ids(call(client, "GET", FEED + "?pending_only=true", tokens["bhxh-a"])) == []
    assert call(client, "POST", ACK, tokens["bhxh-b"], {"ids": [b1.pk, a1.pk]}).json() == {
        "acknowledged": 1, "already": 0, "not_found": [a1.pk],
    }  # fmt: skip


def test_acknowledge_input_bounds(client, world, tokens):
    empty = call(client, "POST", ACK, tokens["bhxh"], {"ids": []})
    assert empty.json() == {"acknowledged": 0, "already": 0, "not_found": []}
    assert not AuditEntry.objects.filter(action="welfare.pension_payments_acknowledge").exists()
    for body in ({"ids": list(range(1, 502))}, {"ids": ["1"]}, {"ids": 1}, {}):
        response = call(client, "POST", ACK, tokens["bhxh"], body)
        assert response.status_code == 422, body
    assert call(client, "POST", ACK, tokens["bhxh"], {"ids": list(range(1, 501))}).status_code == 200


def test_documented_in_the_openapi(client):
    schema = client.get("/api/v1/openapi.json").json()
    listing = schema["paths"][FEED]["get"]
    acknowledge = schema["paths"][ACK]["post"]
    for operation in (listing, acknowledge):
        assert "partner" in operation["tags"]
        assert "Bearer" in operation["description"]
        assert "welfare.not_the_pension_agency" in operation["description"]
    assert {p["name"] for p in listing["parameters"]} == {"after", "limit", "month", "pending_only"}
