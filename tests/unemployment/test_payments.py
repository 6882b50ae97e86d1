"""The hand-off of benefit payments to the social-insurance agency (Decree 374/2025 Art 16.2) on a real
database: claims decided through the real dossier flow, months notified through the real service; the
hand-off (scope, idempotency, concurrency), the agency's confirmation, the partner API through HTTP, the
staff page through Django's client and the Excel file read back with openpyxl.

Until the lead mounts them, the page and the partner router are served by this module's own URLconf
(`@pytest.mark.urls`), which adds only what the project's URLconf does not serve yet."""

import io
import json
import threading
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import Resolver404, include, path, resolve
from ninja import NinjaAPI

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.models import User
from ansinh.api.errors import install as install_error_handlers
from ansinh.config import urls as root_urls
from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.core.models import AuditEntry
from ansinh.dossiers.services import transitions
from ansinh.dossiers.services.partners import signature_for
from ansinh.unemployment import partner_api, payment_selectors, payment_views
from ansinh.unemployment import urls as unemployment_urls
from ansinh.unemployment.models import BenefitClaim, BenefitMonth, ClaimAction, ClaimEvent, MonthStatus
from ansinh.unemployment.payment_selectors import NotAPayer, Totals
from ansinh.unemployment.services import months, payments, terminations
from ansinh.unemployment.services.payments import PaymentAlreadyConfirmed, PaymentNotHandedOff
from tests.dossiers.partner_support import make_partner
from tests.unemployment.test_claims import CLAIM_FORM, FILED, file_claim

# --- this module's URLconf: the project's, plus the payment page and partner router if not mounted yet ----


def _served(url: str) -> bool:
    try:
        resolve(url, urlconf=root_urls)
    except Resolver404:
        return False
    return True


def _urlpatterns() -> list:
    extra: list = []
    if "payments" not in {getattr(p, "name", None) for p in unemployment_urls.urlpatterns}:
        pages = [
            *unemployment_urls.urlpatterns,
            path("staff/unemployment/payments/", payment_views.payments, name="payments"),
            path(
                "staff/unemployment/payments/hand-off/",
                payment_views.payments_hand_off,
                name="payments_hand_off",
            ),
            path("staff/unemployment/payments.xlsx", payment_views.payments_xlsx, name="payments_xlsx"),
        ]
        extra.append(path("", include((pages, "unemployment"))))
    if not _served("/api/v1/partner/unemployment/payments"):
        api = NinjaAPI(urls_namespace="unemployment-payments-test", docs_url=None, openapi_url=None)
        install_error_handlers(api)
        api.add_router("/partner", partner_api.router)
        extra.append(path("api/v1/", api.urls))
    return [*extra, *root_urls.urlpatterns]


urlpatterns = _urlpatterns()
URLS = "tests.unemployment.test_payments"
PAGE = "/staff/unemployment/payments/"
HAND_OFF = "/staff/unemployment/payments/hand-off/"
XLSX = "/staff/unemployment/payments.xlsx"
ORDERS = "/api/v1/partner/unemployment/payments"

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

AMOUNT = 4_800_000  # 60 % of 8,000,000 (tests/unemployment/test_claims.py)
BANK = "0071001234567 Vietcombank"
DECIDED = date(2026, 4, 10)
NOTIFIED = date(2026, 4, 13)
HANDED = date(2026, 4, 14)
QUERIES = 15  # 12 today: session, user, grants, totals, one page of rows, the audit row


@pytest.fixture(autouse=True)
def payer_setting(settings):
    settings.UNEMPLOYMENT_PAYER_PARTNERS = ["bhxh"]


def decided(world, frozen_today, **form) -> BenefitClaim:
    frozen_today(FILED)
    dossier = file_claim(world, {**CLAIM_FORM, "bank_account": BANK, **form})
    frozen_today(DECIDED)
    transitions.dossier_act(actor=world.decider, dossier_id=dossier.pk, action="approve")
    return BenefitClaim.objects.get(dossier=dossier)


def notified(world, frozen_today, day: date = NOTIFIED) -> BenefitMonth:
    frozen_today(day)
    return months.notification_record(actor=world.citizen, activities="Nộp hồ sơ 2 công ty", today=day)


def handed_off_claim(world, frozen_today) -> tuple[BenefitClaim, BenefitMonth]:
    claim = decided(world, frozen_today)
    month = notified(world, frozen_today)
    frozen_today(HANDED)
    payments.payments_hand_off(actor=world.officer)
    month.refresh_from_db()
    return claim, month


def audits(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# --- the hand-off ----------------------------------------------------------------------------------------


def test_hand_off_marks_the_notified_months_once_with_one_event_per_claim(world, frozen_today, run_on_commit):
    claim = decided(world, frozen_today)
    assert payment_selectors.payable_totals(world.officer) == Totals(months=0, claims=0, amount=0)
    month = notified(world, frozen_today)
    assert payment_selectors.payable_totals(world.officer) == Totals(months=1, claims=1, amount=AMOUNT)
    frozen_today(HANDED)

    done = payments.payments_hand_off(actor=world.officer)

    assert (done.months, done.claims, done.amount, done.month_ids) == (1, 1, AMOUNT, (month.pk,))
    month.refresh_from_db()
    assert month.handed_off_at == done.at
    assert month.handed_off_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date() == HANDED
    # The months still waiting for their notification are not handed off.
    assert claim.months.filter(handed_off_at__isnull=False).count() == 1
    event = ClaimEvent.objects.get(claim=claim, action=ClaimAction.HANDED_OFF)
    assert (event.month_number, event.actor, event.centre) == (1, world.officer, world.centre)
    assert audits("unemployment.payments_hand_off") == 1
    entry = AuditEntry.objects.get(action="unemployment.payments_hand_off")
    assert entry.changes["months"] == [month.pk]
    assert entry.changes["amount"] == AMOUNT
    assert payment_selectors.payable_totals(world.officer).months == 0

    # Running it again hands nothing twice: no event, no audit row, the time stays.
    frozen_today(date(2026, 4, 15))
    again = payments.payments_hand_off(actor=world.officer)
    assert (again.months, again.claims, again.amount, again.at) == (0, 0, 0, None)
    assert payments.payments_hand_off(actor=world.officer, month_ids=[month.pk]).months == 0
    assert ClaimEvent.objects.filter(action=ClaimAction.HANDED_OFF).count() == 1
    assert audits("unemployment.payments_hand_off") == 1
    assert BenefitMonth.objects.get(pk=month.pk).handed_off_at == done.at


def test_a_month_not_notified_is_never_handed_off(world, frozen_today, run_on_commit):
    claim = decided(world, frozen_today)
    first = claim.months.get(number=1)
    # The first window closes without a notification: the month is missed (not paid).
    months.sweep_benefit_months(date(2026, 4, 16))
    first.refresh_from_db()
    assert first.status == MonthStatus.MISSED
    frozen_today(date(2026, 4, 16))
    ids = list(claim.months.values_list("pk", flat=True))
    assert payments.payments_hand_off(actor=world.officer, month_ids=ids).months == 0
    assert payments.payments_hand_off(actor=world.officer).months == 0
    assert not BenefitMonth.objects.filter(handed_off_at__isnull=False).exists()
    assert not ClaimEvent.objects.filter(action=ClaimAction.HANDED_OFF).exists()


def test_only_the_managing_centre_hands_off(world, frozen_today, run_on_commit):
    decided(world, frozen_today)
    month = notified(world, frozen_today)
    frozen_today(HANDED)
    # Another province's centre sees nothing to hand off; it cannot hand off this month by its id.
    assert payment_selectors.payable_totals(world.outsider_officer).months == 0
    assert payments.payments_hand_off(actor=world.outsider_officer, month_ids=[month.pk]).months == 0
    # The provincial department reads the benefits but does not hand off; a citizen does neither.
    for actor in (world.decider, world.citizen, world.stranger):
        with pytest.raises(PermissionDenied):
            payments.payments_hand_off(actor=actor)
    month.refresh_from_db()
    assert month.handed_off_at is None
    # The head of the centre may.
    assert payments.payments_hand_off(actor=world.head).months == 1


def test_only_what_the_officer_saw_is_handed_off(world, frozen_today, run_on_commit):
    claim = decided(world, frozen_today)
    seen_at = datetime(2026, 4, 13, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    month = notified(world, frozen_today)  # notified at 09:00, after the list was read
    frozen_today(HANDED)
    assert payments.payments_hand_off(actor=world.officer, notified_until=seen_at).months == 0
    assert claim.months.get(pk=month.pk).handed_off_at is None
    later = datetime(2026, 4, 13, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert payments.payments_hand_off(actor=world.officer, notified_until=later).months == 1


def test_bad_month_ids_name_the_field(world):
    for bad in (["1"], [0], [True]):
        with pytest.raises(ValidationFailed) as raised:
            payments.payments_hand_off(actor=world.officer, month_ids=bad)
        assert list(raised.value.details["fields"]) == ["month_ids"]
    assert payments.payments_hand_off(actor=world.officer, month_ids=[]).months == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_hand_offs_and_confirmations_never_double(world, frozen_today):
    """Four officers' clicks at once (threads, each with its own connection to the file database) hand the
    month off once; four confirmations at once record the payment once."""
    decided(world, frozen_today)
    month = notified(world, frozen_today)
    frozen_today(HANDED)
    partner, _token, _secret = make_partner(code="bhxh")
    results: list[object] = []
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(job())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def hand_off():
        return payments.payments_hand_off(actor=User.objects.get(pk=world.officer.pk)).months

    barrier = threading.Barrier(4)
    threads = [threading.Thread(target=run, args=(hand_off,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(results) == [0, 0, 0, 1]
    assert ClaimEvent.objects.filter(action=ClaimAction.HANDED_OFF).count() == 1
    assert audits("unemployment.payments_hand_off") == 1

    results.clear()
    frozen_today(date(2026, 4, 17))

    def confirm(day: date):
        def job():
            done = payments.payment_confirm(
                partner=partner, month_id=month.pk, paid_on=day, reference="UNC-1"
            )
            return (day, done.already_recorded)

        return job

    barrier = threading.Barrier(4)
    days = [date(2026, 4, 16), date(2026, 4, 16), date(2026, 4, 17), date(2026, 4, 17)]
    threads = [threading.Thread(target=run, args=(confirm(day),)) for day in days]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # One date won: it was recorded once, its twin was told so, the other date was refused twice.
    paid_on = BenefitMonth.objects.get(pk=month.pk).paid_on
    assert sorted(results) == [(paid_on, False), (paid_on, True)]
    assert len(errors) == 2
    assert all(isinstance(e, PaymentAlreadyConfirmed) for e in errors)
    assert audits("unemployment.payment_confirm") == 1


# --- the agency's confirmation (service) ----------------------------------------------------------------


def test_confirmation_is_idempotent_and_refuses_another_date(world, frozen_today, run_on_commit):
    claim, month = handed_off_claim(world, frozen_today)
    partner, _token, _secret = make_partner(code="bhxh")
    frozen_today(date(2026, 4, 20))

    done = payments.payment_confirm(
        partner=partner, month_id=month.pk, paid_on=date(2026, 4, 17), reference="A1"
    )
    assert (done.already_recorded, done.month.paid_on) == (False, date(2026, 4, 17))
    entry = AuditEntry.objects.get(action="unemployment.payment_confirm")
    assert entry.changes["reference"] == "A1"
    assert entry.changes["partner"] == "bhxh"

    again = payments.payment_confirm(
        partner=partner, month_id=month.pk, paid_on=date(2026, 4, 17), reference="A1"
    )
    assert (again.already_recorded, again.month.paid_on) == (True, date(2026, 4, 17))
    assert audits("unemployment.payment_confirm") == 1

    with pytest.raises(PaymentAlreadyConfirmed) as conflict:
        payments.payment_confirm(
            partner=partner, month_id=month.pk, paid_on=date(2026, 4, 18), reference="A1"
        )
    assert conflict.value.code == "unemployment.payment_already_confirmed"
    assert conflict.value.status == 409
    assert conflict.value.details == {"paid_on": "2026-04-17"}
    assert BenefitMonth.objects.get(pk=month.pk).paid_on == date(2026, 4, 17)

    # A month not handed off (still waiting for its notification) cannot be confirmed.
    waiting = claim.months.get(number=2)
    with pytest.raises(PaymentNotHandedOff) as not_handed:
        payments.payment_confirm(
            partner=partner, month_id=waiting.pk, paid_on=date(2026, 4, 17), reference="A2"
        )
    assert not_handed.value.code == "unemployment.payment_not_handed_off"
    with pytest.raises(NotFound):
        payments.payment_confirm(partner=partner, month_id=10**9, paid_on=date(2026, 4, 17), reference="A3")


def test_a_month_no_longer_due_leaves_the_orders_but_a_payment_made_is_recorded(
    world, frozen_today, run_on_commit
):
    claim, month = handed_off_claim(world, frozen_today)
    partner, _token, _secret = make_partner(code="bhxh")
    assert [m.pk for m in payment_selectors.payment_orders_for_partner(partner)[0]] == [month.pk]
    # The claimant found a job before month 1 began: every month is no longer due.
    terminations.claim_terminate(actor=world.officer, claim_id=claim.pk, ground="new_job", on=HANDED)
    month.refresh_from_db()
    assert month.status == MonthStatus.NOT_DUE
    assert payment_selectors.payment_orders_for_partner(partner)[0] == []
    done = payments.payment_confirm(partner=partner, month_id=month.pk, paid_on=HANDED, reference="B1")
    assert (done.already_recorded, done.month.paid_on) == (False, HANDED)


def test_confirmation_dates_and_references_are_checked(world, frozen_today, run_on_commit):
    _claim, month = handed_off_claim(world, frozen_today)
    partner, _token, _secret = make_partner(code="bhxh")
    frozen_today(date(2026, 4, 20))
    cases = [
        (date(2026, 4, 21), "R1", "paid_on"),  # in the future
        (date(2026, 4, 13), "R1", "paid_on"),  # before the hand-off
        (date(2026, 4, 17), "  ", "reference"),
    ]
    for paid_on, reference, field in cases:
        with pytest.raises(ValidationFailed) as raised:
            payments.payment_confirm(partner=partner, month_id=month.pk, paid_on=paid_on, reference=reference)
        assert list(raised.value.details["fields"]) == [field]
    assert BenefitMonth.objects.get(pk=month.pk).paid_on is None
    assert audits("unemployment.payment_confirm") == 0


def test_only_a_payer_partner_of_the_province_sees_the_orders(world, frozen_today, run_on_commit, settings):
    _claim, month = handed_off_claim(world, frozen_today)
    portal, _t, _s = make_partner(code="dvcqg")
    national, _t, _s = make_partner(code="bhxh")
    other, _t, _s = make_partner(code="bhxh-ht")
    local, _t, _s = make_partner(code="bhxh-na")
    settings.UNEMPLOYMENT_PAYER_PARTNERS = ["bhxh", "bhxh-ht:42", "bhxh-na:40"]
    with pytest.raises(NotAPayer):
        payment_selectors.payment_orders_for_partner(portal)
    assert [m.pk for m in payment_selectors.payment_orders_for_partner(national)[0]] == [month.pk]
    assert [m.pk for m in payment_selectors.payment_orders_for_partner(local)[0]] == [month.pk]
    assert payment_selectors.payment_orders_for_partner(other)[0] == []
    with pytest.raises(NotFound):
        payments.payment_confirm(partner=other, month_id=month.pk, paid_on=HANDED, reference="X")
    # Deactivated: nothing, even when listed.
    national.is_active = False
    with pytest.raises(NotAPayer):
        payment_selectors.payment_orders_for_partner(national)


# --- the partner API through HTTP ---------------------------------------------------------------------


def get(client: Client, token: str | None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.get(ORDERS, params, headers=headers)


def post_paid(client: Client, token: str | None, month_id: int, body: dict):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(
        f"{ORDERS}/{month_id}/paid", json.dumps(body), content_type="application/json", headers=headers
    )


def test_partner_api_authentication(client, world, frozen_today, run_on_commit):
    _claim, month = handed_off_claim(world, frozen_today)
    _partner, token, secret = make_partner(code="bhxh")
    for response in (
        get(client, None),
        get(client, "wrong-token"),
        post_paid(client, "wrong-token", month.pk, {"paid_on": "bad"}),  # refused before the body is read
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "partner.unauthenticated"
        assert set(response.json()) == {"code", "message", "details"}
    # A signed request: right signature accepted, tampered refused.
    stamp = str(int(time.time()))
    body = json.dumps({"paid_on": "2026-04-14", "reference": "S-1"}).encode()
    frozen_today(HANDED)
    signed = {
        "Authorization": f"Bearer {token}",
        "X-Ansinh-Timestamp": stamp,
        "X-Ansinh-Signature": signature_for(secret, stamp, body),
    }
    url = f"{ORDERS}/{month.pk}/paid"
    tampered = client.post(url, body + b" ", content_type="application/json", headers=signed)
    assert tampered.status_code == 401
    assert tampered.json()["details"]["reason"] == "invalid_signature"
    accepted = client.post(url, body, content_type="application/json", headers=signed)
    assert accepted.status_code == 200, accepted.content
    # A partner that is not the social-insurance agency: 403 with a stable code.
    _portal, portal_token, _s = make_partner(code="dvcqg")
    refused = get(client, portal_token)
    assert refused.status_code == 403
    assert refused.json()["code"] == "unemployment.not_a_payer"


def test_partner_api_lists_orders_by_keyset_and_confirms(client, world, frozen_today, run_on_commit):
    claim = decided(world, frozen_today)
    first = notified(world, frozen_today)
    second_window = claim.months.get(number=2).notify_from
    second = notified(world, frozen_today, second_window)
    frozen_today(second_window)
    assert payments.payments_hand_off(actor=world.officer).months == 2
    _partner, token, _secret = make_partner(code="bhxh")

    page = get(client, token, limit=1)
    assert page.status_code == 200, page.content
    data = page.json()
    assert data["next_after"] == first.pk
    [order] = data["items"]
    assert order["month_id"] == first.pk
    assert (order["month_number"], order["amount"]) == (1, AMOUNT)
    assert (order["period_start"], order["period_end"]) == (first.start.isoformat(), first.end.isoformat())
    assert order["bank_account"] == BANK
    assert order["person"] == {
        "full_name": "Nguyễn Văn An",
        "personal_id": "040090001234",
        "date_of_birth": world.person.date_of_birth.isoformat() if world.person.date_of_birth else None,
    }
    assert order["decision"]["decision_number"] == claim.decision_number
    assert order["decision"]["monthly_benefit"] == AMOUNT
    assert order["decision"]["decided_on"] == DECIDED.isoformat()
    assert order["centre"] == {"code": world.centre.code, "name": world.centre.name}
    assert order["province"]["code"] == "40"
    assert order["pay_by"] == "2026-04-22"  # 5 working days after Wed 15 April
    rest = get(client, token, after=data["next_after"], limit=1).json()
    assert [o["month_id"] for o in rest["items"]] == [second.pk]
    assert rest["next_after"] is None

    # Bad paging: 422 naming the parameter.
    for params, field in (({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"after": -1}, "after")):
        bad = get(client, token, **params)
        assert bad.status_code == 422
        assert bad.json()["code"] == "validation.invalid"
        assert field in bad.json()["details"]["fields"]

    # Confirm: bad body names the fields; then paid, repeated, and a conflicting date (both months were
    # handed off on 21 May).
    frozen_today(date(2026, 5, 25))
    bad = post_paid(client, token, first.pk, {"paid_on": "22/04/2026", "reference": ""})
    assert bad.status_code == 422
    assert set(bad.json()["details"]["fields"]) == {"paid_on", "reference"}
    missing = post_paid(client, token, first.pk, {})
    assert set(missing.json()["details"]["fields"]) == {"paid_on", "reference"}
    future = post_paid(client, token, first.pk, {"paid_on": "2026-12-01", "reference": "UNC-1"})
    assert future.status_code == 422
    assert list(future.json()["details"]["fields"]) == ["paid_on"]
    paid = post_paid(client, token, first.pk, {"paid_on": "2026-05-22", "reference": "UNC-1"})
    assert paid.status_code == 200
    assert paid.json()["already_recorded"] is False
    assert paid.json()["paid_on"] == "2026-05-22"
    repeat = post_paid(client, token, first.pk, {"paid_on": "2026-05-22", "reference": "UNC-1"})
    assert (repeat.status_code, repeat.json()["already_recorded"]) == (200, True)
    conflict = post_paid(client, token, first.pk, {"paid_on": "2026-05-23", "reference": "UNC-1"})
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "unemployment.payment_already_confirmed"
    assert conflict.json()["details"] == {"paid_on": "2026-05-22"}
    waiting = claim.months.get(number=3)
    not_handed = post_paid(client, token, waiting.pk, {"paid_on": "2026-05-22", "reference": "UNC-2"})
    assert (not_handed.status_code, not_handed.json()["code"]) == (409, "unemployment.payment_not_handed_off")
    assert post_paid(client, token, 10**9, {"paid_on": "2026-05-22", "reference": "X"}).status_code == 404
    # A confirmed order leaves the list.
    assert [o["month_id"] for o in get(client, token).json()["items"]] == [second.pk]
    # The partner's reads of personal data are audited.
    assert audits("unemployment.payment_orders_read") >= 3


# --- the staff page ----------------------------------------------------------------------------------


def sign_in(client: Client, user) -> Client:
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "vi"
    return client


def test_the_page_lists_the_totals_and_hands_off_with_csrf(
    world, frozen_today, run_on_commit, django_assert_max_num_queries
):
    claim = decided(world, frozen_today)
    month = notified(world, frozen_today)
    frozen_today(HANDED)
    browser = sign_in(Client(enforce_csrf_checks=True), world.officer)

    # The rows come with their claim, person, centre and province: the count does not grow with them.
    with django_assert_max_num_queries(QUERIES):
        page = browser.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="vi"' in html
    assert claim.decision_number in html
    assert "040090001234" in html
    assert f'id="month-{month.pk}"' in html
    assert '<dd id="total-months">1</dd>' in html
    assert "4.800.000\u00a0đ" in html
    assert 'id="hand-off"' in html
    assert "csrfmiddlewaretoken" in html
    as_of = page.context["as_of"]

    # Without the CSRF token: refused, nothing handed off.
    assert browser.post(HAND_OFF, {"as_of": as_of}).status_code == 403
    assert BenefitMonth.objects.get(pk=month.pk).handed_off_at is None

    token = browser.cookies[django_settings.CSRF_COOKIE_NAME].value
    done = browser.post(HAND_OFF, {"as_of": as_of, "csrfmiddlewaretoken": token})
    assert done.status_code == 302
    assert done["Location"] == PAGE
    assert BenefitMonth.objects.get(pk=month.pk).handed_off_at is not None
    after = browser.get(PAGE)
    assert '<dd id="total-months">0</dd>' in after.content.decode()
    assert 'id="hand-off"' not in after.content.decode()
    assert [str(m) for m in after.context["messages"]]  # the success message is shown once

    # The button again (a second tab): nothing is handed off twice.
    browser.post(HAND_OFF, {"as_of": as_of, "csrfmiddlewaretoken": token})
    assert ClaimEvent.objects.filter(action=ClaimAction.HANDED_OFF).count() == 1
    # A form without the page's time is refused with a message, not handed off.
    assert browser.post(HAND_OFF, {"csrfmiddlewaretoken": token}).status_code == 302


def test_the_page_is_for_the_centres_in_scope(client, world, frozen_today, run_on_commit):
    decided(world, frozen_today)
    month = notified(world, frozen_today)
    frozen_today(HANDED)
    anonymous = client.get(PAGE)
    assert anonymous.status_code == 302
    assert "/accounts/" in anonymous["Location"]
    assert sign_in(Client(), world.citizen).get(PAGE).status_code == 403
    # The other province's centre: the page, but not this month.
    other = sign_in(Client(), world.outsider_officer).get(PAGE)
    assert other.status_code == 200
    assert f'id="month-{month.pk}"' not in other.content.decode()
    # The provincial department reads, but has no button and may not hand off.
    reader = sign_in(Client(), world.decider)
    page = reader.get(PAGE)
    assert page.status_code == 200
    assert f'id="month-{month.pk}"' in page.content.decode()
    assert 'id="hand-off"' not in page.content.decode()
    assert reader.post(HAND_OFF, {"as_of": page.context["as_of"]}).status_code == 403
    assert BenefitMonth.objects.get(pk=month.pk).handed_off_at is None


def test_the_excel_file_lists_what_was_handed_off_that_day(world, frozen_today, run_on_commit):
    from openpyxl import load_workbook

    claim, month = handed_off_claim(world, frozen_today)
    browser = sign_in(Client(), world.officer)
    response = browser.get(XLSX, {"date": HANDED.isoformat()})
    assert response.status_code == 200
    assert response["Content-Type"] == payment_views.XLSX_TYPE
    assert 'filename="unemployment-payments-20260414.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    # Headers are translated (the .po files are filled later): the line is found by its decision number.
    at = next(i for i, r in enumerate(rows) if r and r[0] == claim.decision_number)
    assert len(rows[at - 1]) == 14  # the header: 14 columns
    line = rows[at]
    assert line[:6] == [
        claim.decision_number,
        datetime(2026, 4, 10),
        "Nguyễn Văn An",
        "040090001234",
        BANK,
        1,
    ]
    assert (line[6], line[7]) == (
        datetime.combine(month.start, datetime.min.time()),
        datetime.combine(month.end, datetime.min.time()),
    )
    assert line[8] == AMOUNT
    assert (line[9], line[10]) == (world.centre.name, "Tỉnh Nghệ An")
    assert line[11] == datetime(2026, 4, 14, 9, 0)  # Vietnam time, as on the page
    assert line[12] == datetime(2026, 4, 22)
    assert line[13:] in ([], [None])  # not paid yet
    total = rows[at + 1]
    assert (total[5], total[8]) == (1, AMOUNT)
    assert audits("unemployment.payments_export") == 1

    # Another day: the header and a zero total; a bad date goes back to the page with a message.
    empty = load_workbook(io.BytesIO(browser.get(XLSX, {"date": "2026-04-15"}).content), read_only=True)
    empty_rows = [list(r) for r in empty.worksheets[0].iter_rows(values_only=True)]
    assert empty_rows[-1][5] == 0
    assert browser.get(XLSX, {"date": "15/04/2026"}).status_code == 302
    # Out of scope: the other province's centre gets an empty list; a citizen nothing.
    other = sign_in(Client(), world.outsider_officer).get(XLSX, {"date": HANDED.isoformat()})
    other_rows = list(
        load_workbook(io.BytesIO(other.content), read_only=True).worksheets[0].iter_rows(values_only=True)
    )
    assert other_rows[-1][5] == 0
    assert sign_in(Client(), world.citizen).get(XLSX).status_code == 403
