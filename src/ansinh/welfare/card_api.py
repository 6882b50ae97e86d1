"""The social-security card through the API (mounted at /api/v1/welfare): the citizen's card with its QR
text, getting it and reporting it lost; a service point scans a card and records a payment (send an
`Idempotency-Key` header, or `request_key`, to retry safely); an officer issues, revokes and re-issues; the
public keys for offline verifiers. Thin: the services and selectors do the work."""

from typing import Any

from django.http import HttpRequest
from ninja import Header, Router, Status

from ansinh.api.auth import current_user
from ansinh.welfare import card_selectors as sel
from ansinh.welfare.benefits_due import DueBenefit, benefits_due
from ansinh.welfare.card_schemas import (
    CardKeysOut,
    CardLostIn,
    CardOut,
    CardPaymentIn,
    CardPaymentOut,
    CardRevokeIn,
    CardScanIn,
    CardScanOut,
    MyCardOut,
)
from ansinh.welfare.card_selectors import qr_text
from ansinh.welfare.card_signing import display_number, public_jwks
from ansinh.welfare.models import BenefitPayment, CardStatus, SocialSecurityCard
from ansinh.welfare.services import card_payments, cards

router = Router(tags=["welfare"])


def card_out(card: SocialSecurityCard) -> dict[str, Any]:
    return {
        "id": card.pk,
        "number": card.number,
        "number_display": display_number(card.number),
        "issue": card.issue,
        "status": card.status,
        "issued_at": card.issued_at,
        "revoked_at": card.revoked_at,
        "revoke_reason": card.revoke_reason,
        "qr": qr_text(card) if card.status == CardStatus.ACTIVE else None,
    }


def due_out(item: DueBenefit) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "benefit_id": item.benefit_id,
        "period": item.period,
        "amount": item.amount,
        "label": item.label,
        "legal_note": item.legal_note,
    }


def payment_out(payment: BenefitPayment) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "receipt_number": payment.receipt_number,
        "kind": payment.kind,
        "benefit_id": payment.benefit_id,
        "period": payment.period,
        "amount": payment.amount,
        "service_point": payment.service_point.display_name,
        "province": payment.province.name,
        "recorded_at": payment.recorded_at,
    }


@router.get(
    "/cards/mine", response=MyCardOut, summary="My social-security card, the benefits due, the payments"
)
def my_card(request: HttpRequest) -> dict[str, Any]:
    person_id = current_user(request).person_id
    card = sel.active_card_of(person_id)
    return {
        "card": card_out(card) if card else None,
        "due": [due_out(item) for item in benefits_due(person_id)] if person_id else [],
        "payments": [payment_out(p) for p in sel.payments_of(person_id)[:50]] if person_id else [],
    }


@router.post(
    "/cards", response={200: CardOut, 201: CardOut}, summary="Get my card (the valid one if I have it)"
)
def card_get(request: HttpRequest) -> Status[dict[str, Any]]:
    card, created = cards.card_issue(actor=current_user(request))
    return Status(201 if created else 200, card_out(card))


@router.post(
    "/cards/mine/lost", response={201: CardOut}, summary="I lost my card: revoke it and issue a new one"
)
def card_lost(request: HttpRequest, payload: CardLostIn) -> Status[dict[str, Any]]:
    card = cards.card_reissue(actor=current_user(request), reason=payload.reason)
    return Status(201, card_out(card))


@router.post(
    "/cards/scan", response=CardScanOut, summary="Service point: check a card and see the benefits due"
)
def card_scan(request: HttpRequest, payload: CardScanIn) -> dict[str, Any]:
    scan = card_payments.card_scan(actor=current_user(request), qr=payload.qr)
    return {
        "card_number": scan.card.number,
        "card_issue": scan.card.issue,
        "holder_name": scan.holder_name,
        "initials": scan.initials,
        "birth_year": scan.birth_year,
        "id_last4": scan.id_last4,
        "due": [due_out(item) for item in scan.due],
    }


@router.post(
    "/cards/payments",
    response={200: CardPaymentOut, 201: CardPaymentOut},
    summary="Service point: record a benefit month paid (the same Idempotency-Key again returns the payment)",
)
def card_payment(
    request: HttpRequest, payload: CardPaymentIn, idempotency_key: Header[str] = ""
) -> Status[dict[str, Any]]:
    payment, created = card_payments.payment_record(
        actor=current_user(request),
        qr=payload.qr,
        kind=payload.kind,
        benefit_id=payload.benefit_id,
        period=payload.period,
        request_key=idempotency_key or payload.request_key,
    )
    return Status(201 if created else 200, payment_out(payment))


@router.post(
    "/cards/people/{person_id}",
    response={200: CardOut, 201: CardOut},
    summary="Officer: issue a person's card",
)
def card_issue_for(request: HttpRequest, person_id: int) -> Status[dict[str, Any]]:
    card, created = cards.card_issue(actor=current_user(request), person_id=person_id)
    return Status(201 if created else 200, card_out(card))


@router.post("/cards/{card_id}/revoke", response=CardOut, summary="Revoke a card (the holder or an officer)")
def card_revoke(request: HttpRequest, card_id: int, payload: CardRevokeIn) -> dict[str, Any]:
    return card_out(cards.card_revoke(actor=current_user(request), card_id=card_id, reason=payload.reason))


@router.post(
    "/cards/{card_id}/reissue", response={201: CardOut}, summary="Revoke a card and issue the next one"
)
def card_reissue(request: HttpRequest, card_id: int, payload: CardRevokeIn) -> Status[dict[str, Any]]:
    card = cards.card_reissue(actor=current_user(request), card_id=card_id, reason=payload.reason)
    return Status(201, card_out(card))


@router.get(
    "/cards/keys", response=CardKeysOut, auth=None, summary="The public keys that sign card QR codes (JWK)"
)
def card_keys(request: HttpRequest) -> dict[str, Any]:
    return public_jwks()
