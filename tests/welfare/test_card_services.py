"""Cards and card payments on the real database: issue, revoke, re-issue; scanning at a service point in
another province; recording a payment once (idempotent retries, refusals with when and where)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.core.models import AuditEntry
from ansinh.notify.models import Message
from ansinh.unemployment.models import BenefitMonth, MonthStatus
from ansinh.welfare.benefits_due import PENSION_MONTHS_BACK, benefits_due
from ansinh.welfare.card_errors import (
    AlreadyPaid,
    CardForged,
    CardNotActive,
    CardRevoked,
    NeedsPersonalId,
    NotAtServicePoint,
    NotDue,
    RequestKeyReused,
)
from ansinh.welfare.card_signing import card_number_for, card_qr_payload, initials_of, luhn_valid
from ansinh.welfare.models import BenefitKind, BenefitPayment, CardStatus, RevokeReason, SocialSecurityCard
from ansinh.welfare.services import card_payments, cards
from tests.factories import PersonFactory, make_staff
from tests.welfare.card_world import (
    ALLOWANCE_AMOUNT,
    PENSION_AMOUNT,
    UNEMPLOYMENT_AMOUNT,
    build_card_world,
    give_allowance,
    give_pension,
    give_unemployment_month,
    months_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_card_world()


def qr_of(card: SocialSecurityCard) -> str:
    return card_qr_payload(
        card.number,
        card.issue,
        timezone.localdate(card.issued_at),
        initials=initials_of(card.person.full_name),
    )


def issued(world, django_capture_on_commit_callbacks=None) -> SocialSecurityCard:
    card, _ = cards.card_issue(actor=world.lan_user)
    return card


# --- issue, revoke, re-issue -------------------------------------------------------------------------------


def test_a_citizen_gets_their_card_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        card, created = cards.card_issue(actor=world.lan_user)
    assert created
    assert card.person == world.lan
    assert card.issue == 1
    assert card.status == CardStatus.ACTIVE
    assert card.number == card_number_for(world.lan.pk)
    assert luhn_valid(card.number)
    assert card.number != world.lan.personal_id
    assert AuditEntry.objects.filter(action="welfare.card_issue", object_id=str(card.pk)).exists()
    assert Message.objects.filter(recipient_person=world.lan, template="welfare.card_issued").count() == 1
    again, created = cards.card_issue(actor=world.lan_user)
    assert (again, created) == (card, False)
    assert SocialSecurityCard.objects.filter(person=world.lan).count() == 1


def test_a_citizen_needs_a_personal_id_number(world):
    with pytest.raises(NeedsPersonalId):
        cards.card_issue(actor=world.minh_user)
    assert not SocialSecurityCard.objects.exists()


def test_an_officer_issues_for_people_of_the_commune_only(world):
    card, created = cards.card_issue(actor=world.commune_officer, person_id=world.minh.pk)
    assert created
    assert card.person == world.minh
    assert card.issued_by == world.commune_officer
    # A staff read of a person's record is audited.
    assert AuditEntry.objects.filter(action="person.read", object_id=str(world.minh.pk)).exists()
    elsewhere = PersonFactory(province=world.province_b)
    with pytest.raises(NotFound):
        cards.card_issue(actor=world.commune_officer, person_id=elsewhere.pk)
    with pytest.raises(PermissionDenied):
        cards.card_issue(actor=world.cashier_a, person_id=world.minh.pk)
    with pytest.raises(PermissionDenied):
        cards.card_issue(actor=world.lan_user, person_id=world.minh.pk)


def test_the_commune_also_manages_people_whose_allowance_it_decided(world):
    moved = PersonFactory(province=world.province_b, full_name="Lê Văn Tám")
    give_allowance(world, moved)
    card, _ = cards.card_issue(actor=world.commune_officer, person_id=moved.pk)
    assert card.person == moved


def test_lost_card_is_revoked_and_reissued_with_the_same_number(world, django_capture_on_commit_callbacks):
    first = issued(world)
    old_qr = qr_of(first)
    with django_capture_on_commit_callbacks(execute=True):
        second = cards.card_reissue(actor=world.lan_user)
    first.refresh_from_db()
    assert first.status == CardStatus.REVOKED
    assert first.revoke_reason == RevokeReason.LOST
    assert first.revoked_by == world.lan_user
    assert first.revoked_at is not None
    assert (second.number, second.issue, second.status) == (first.number, 2, CardStatus.ACTIVE)
    templates = set(Message.objects.filter(recipient_person=world.lan).values_list("template", flat=True))
    assert {"welfare.card_revoked", "welfare.card_issued"} <= templates
    # The old QR is still genuinely signed, but the service point refuses it.
    with translation.override("en"):
        with pytest.raises(CardRevoked) as caught:
            card_payments.card_scan(actor=world.cashier_b, qr=old_qr)
        assert "revoked on" in str(caught.value.message)
        assert "lost or stolen" in str(caught.value.message)
    assert card_payments.card_scan(actor=world.cashier_b, qr=qr_of(second)).card == second


def test_revoke_then_issue_gives_the_next_issue(world):
    first = issued(world)
    cards.card_revoke(actor=world.lan_user, card_id=first.pk, reason=RevokeReason.DAMAGED)
    with pytest.raises(CardNotActive):
        cards.card_revoke(actor=world.lan_user, card_id=first.pk, reason=RevokeReason.LOST)
    card, created = cards.card_issue(actor=world.lan_user)
    assert created
    assert (card.number, card.issue) == (first.number, 2)


def test_reasons_and_access_for_revoking(world):
    card = issued(world)
    with pytest.raises(ValidationFailed) as caught:
        cards.card_revoke(actor=world.lan_user, card_id=card.pk, reason=RevokeReason.MISUSE)
    assert "reason" in caught.value.details["fields"]
    with pytest.raises(NotFound):
        cards.card_revoke(actor=world.minh_user, card_id=card.pk, reason=RevokeReason.LOST)
    with pytest.raises(NotFound):
        cards.card_reissue(actor=world.minh_user, card_id=card.pk)
    other_commune = make_staff("commune_officer")
    with pytest.raises(NotFound):
        cards.card_revoke(actor=other_commune, card_id=card.pk, reason=RevokeReason.MISUSE)
    cards.card_revoke(actor=world.commune_officer, card_id=card.pk, reason=RevokeReason.MISUSE)
    card.refresh_from_db()
    assert card.status == CardStatus.REVOKED
    assert card.revoke_reason == RevokeReason.MISUSE


def test_reissue_without_any_card_is_refused(world):
    from ansinh.welfare.card_errors import NoCard

    with pytest.raises(NoCard):
        cards.card_reissue(actor=world.lan_user)


# --- benefits due ------------------------------------------------------------------------------------------


def test_benefits_due_lists_cash_months_only(world, django_assert_max_num_queries):
    allowance = give_allowance(world)
    pension = give_pension(world)
    month = give_unemployment_month(world)
    give_allowance(world, world.minh, method="bank")  # a transfer: not the card's business
    give_pension(world, world.minh, method="bank")
    with django_assert_max_num_queries(6):
        due = benefits_due(world.lan)
    kinds = [(item.kind, item.benefit_id) for item in due]
    assert kinds.count((BenefitKind.SOCIAL_ALLOWANCE, allowance.pk)) == 3
    assert kinds.count((BenefitKind.PENSION, pension.pk)) == PENSION_MONTHS_BACK
    assert kinds.count((BenefitKind.UNEMPLOYMENT, month.pk)) == 1
    assert {item.amount for item in due} == {ALLOWANCE_AMOUNT, PENSION_AMOUNT, UNEMPLOYMENT_AMOUNT}
    assert all(item.period <= timezone.localdate() for item in due)
    assert [item.period for item in due] == sorted(item.period for item in due)
    assert benefits_due(world.minh) == []
    assert due[0].label
    assert due[0].legal_note


def test_queries_do_not_grow_with_the_benefits(world, django_assert_max_num_queries):
    for _ in range(4):
        give_unemployment_month(world)
    give_allowance(world, starts_on=months_ago(10))
    give_pension(world)
    give_pension(world)
    with django_assert_max_num_queries(6):
        assert len(benefits_due(world.lan.pk)) == 4 + 11 + 2 * PENSION_MONTHS_BACK


def test_pension_months_start_when_the_platform_received_the_pension(world):
    give_pension(world, received_months_ago=0)
    assert [item.period for item in benefits_due(world.lan)] == [timezone.localdate().replace(day=1)]


def test_pension_month_follows_the_arrangement_in_force(world):
    from ansinh.welfare.models import PensionArrangement

    pension = give_pension(world)
    this_month = timezone.localdate().replace(day=1)
    PensionArrangement.objects.create(
        pension=pension, method="bank", province=world.province_a, valid_from=this_month
    )
    periods = [item.period for item in benefits_due(world.lan)]
    assert this_month not in periods
    assert len(periods) == PENSION_MONTHS_BACK - 1


def test_unemployment_months_handed_off_or_not_notified_are_not_due(world):
    give_unemployment_month(world, handed_off_at=timezone.now())
    give_unemployment_month(world, status=MonthStatus.WAITING)
    give_unemployment_month(world, start=timezone.localdate() + timedelta(days=3))
    assert benefits_due(world.lan) == []


# --- scan and pay ------------------------------------------------------------------------------------------


def test_a_service_point_in_another_province_scans_the_card(world):
    give_allowance(world)
    card = issued(world)
    scan = card_payments.card_scan(actor=world.cashier_b, qr=qr_of(card))
    assert scan.card == card
    assert (scan.holder_name, scan.initials, scan.birth_year, scan.id_last4) == (
        "Nguyễn Thị Lan",
        "NTL",
        1950,
        "2345",
    )
    assert len(scan.due) == 3
    read = AuditEntry.objects.filter(action="person.read", object_id=str(world.lan.pk), actor=world.cashier_b)
    assert read.exists()


def test_a_forged_qr_is_refused_and_audited(world):
    card = issued(world)
    forged = _tampered(qr_of(card))
    with pytest.raises(CardForged):
        card_payments.card_scan(actor=world.cashier_b, qr=forged)
    assert AuditEntry.objects.filter(action="welfare.card_refused", actor=world.cashier_b).exists()
    with pytest.raises(CardForged):
        card_payments.card_scan(actor=world.cashier_b, qr="not a card")


def test_a_genuine_signature_for_a_card_we_never_issued_is_refused(world):
    qr = card_qr_payload(card_number_for(999_999), 1, date(2026, 1, 2), initials="AB")
    with pytest.raises(CardForged) as caught:
        card_payments.card_scan(actor=world.cashier_a, qr=qr)
    assert caught.value.details["reason"] == "unknown_card"


def test_only_cashiers_scan(world):
    card = issued(world)
    for actor in (world.lan_user, world.commune_officer):
        with pytest.raises(PermissionDenied):
            card_payments.card_scan(actor=actor, qr=qr_of(card))


def _pay(world, cashier, card, item, key="key-0000001"):
    return card_payments.payment_record(
        actor=cashier,
        qr=qr_of(card),
        kind=item.kind,
        benefit_id=item.benefit_id,
        period=item.period,
        request_key=key,
    )


def test_a_month_is_paid_once(world, django_capture_on_commit_callbacks):
    give_allowance(world)
    card = issued(world)
    item = benefits_due(world.lan)[0]
    with django_capture_on_commit_callbacks(execute=True):
        payment, created = _pay(world, world.cashier_b, card, item)
    assert created
    assert (payment.kind, payment.period, payment.amount) == (item.kind, item.period, ALLOWANCE_AMOUNT)
    assert payment.service_point == world.point_b
    assert payment.province == world.province_b
    assert payment.org_path == world.point_b.path
    assert payment.card == card
    assert payment.person == world.lan
    assert payment.receipt_number.startswith("ASC-")
    assert AuditEntry.objects.filter(action="welfare.payment_record", object_id=str(payment.pk)).exists()
    told = Message.objects.get(recipient_person=world.lan, template="welfare.payment_recorded")
    assert payment.receipt_number in told.body
    assert item not in benefits_due(world.lan)

    # The same request again (a retry, a double click) gives the same payment.
    again, created = _pay(world, world.cashier_b, card, item)
    assert (again, created) == (payment, False)
    # Another service point, or the same with a new request: refused, saying when and where.
    for cashier, key in ((world.cashier_a, "key-0000002"), (world.cashier_b, "key-0000003")):
        with pytest.raises(AlreadyPaid) as caught:
            _pay(world, cashier, card, item, key=key)
        assert caught.value.code == "welfare.already_paid"
        assert "Bưu điện Trung tâm B" in str(caught.value.message)
        assert caught.value.details["receipt_number"] == payment.receipt_number
    assert BenefitPayment.objects.count() == 1


def test_a_request_key_is_for_one_payment(world):
    give_allowance(world)
    card = issued(world)
    first, second = benefits_due(world.lan)[:2]
    _pay(world, world.cashier_a, card, first)
    with pytest.raises(RequestKeyReused):
        _pay(world, world.cashier_a, card, second)
    # The same key from another service point is another request.
    _payment, created = _pay(world, world.cashier_b, card, second)
    assert created


def test_not_due_and_bad_input(world):
    give_allowance(world)
    card = issued(world)
    item = benefits_due(world.lan)[0]
    with pytest.raises(NotDue):
        card_payments.payment_record(
            actor=world.cashier_a,
            qr=qr_of(card),
            kind=item.kind,
            benefit_id=item.benefit_id,
            period=timezone.localdate().replace(day=1) + timedelta(days=40),
            request_key="key-0000009",
        )
    with pytest.raises(ValidationFailed) as caught:
        card_payments.payment_record(
            actor=world.cashier_a,
            qr=qr_of(card),
            kind="lottery",
            benefit_id=0,
            period=item.period,
            request_key="x",
        )
    assert set(caught.value.details["fields"]) == {"kind", "benefit_id", "request_key"}
    assert not BenefitPayment.objects.exists()


def test_a_revoked_card_pays_nothing(world):
    give_allowance(world)
    card = issued(world)
    item = benefits_due(world.lan)[0]
    qr = qr_of(card)
    cards.card_revoke(actor=world.lan_user, card_id=card.pk, reason=RevokeReason.LOST)
    with pytest.raises(CardRevoked):
        card_payments.payment_record(
            actor=world.cashier_a, qr=qr, kind=item.kind, benefit_id=item.benefit_id, period=item.period,
            request_key="key-0000005",
        )  # fmt: skip
    assert not BenefitPayment.objects.exists()


def test_a_superuser_without_a_service_point_cannot_record(world):
    from tests.factories import UserFactory

    give_allowance(world)
    card = issued(world)
    item = benefits_due(world.lan)[0]
    admin = UserFactory(is_superuser=True)
    card_payments.card_scan(actor=admin, qr=qr_of(card))  # may look
    with pytest.raises(NotAtServicePoint):
        _pay(world, admin, card, item)


def test_an_unemployment_month_paid_at_a_service_point(world):
    month = give_unemployment_month(world)
    card = issued(world)
    item = benefits_due(world.lan)[0]
    payment, _ = _pay(world, world.cashier_b, card, item)
    month = BenefitMonth.objects.get(pk=month.pk)
    assert month.paid_on == timezone.localdate()
    assert month.payment_reference == payment.receipt_number
    # Marked handed off, so the centre never hands it to the agency afterwards.
    assert month.handed_off_at is not None
    assert month.claim.events.filter(action="paid").exists()
    assert benefits_due(world.lan) == []


def _tampered(qr: str) -> str:
    """One signature character changed (never a no-op)."""
    return qr[:-10] + ("B" if qr[-10] != "B" else "C") + qr[-9:]
