"""Paying benefits in cash at a service point against the social-security card.

- `card_scan`: a cashier (`welfare_payment.record`) of any service point in any province scans the card's
  QR. The signature is checked first, with the trusted public keys only (as an offline verifier would);
  then the card must be the valid issue in the database: a revoked card is refused with the day and the
  reason, a card the database does not know is treated as forged. The read of the holder's record is
  audited; the answer is the holder's name, hints to compare with their ID card (initials, year of birth,
  last 4 digits of the personal ID number; no photo is kept) and the benefits due.
- `payment_record`: the same checks again (the card may have been revoked since the scan), the item must be
  due for this card's holder, and the payment is inserted in one transaction. The database's unique
  constraint (kind, benefit, month) decides a race between two service points: the loser gets
  `welfare.already_paid` naming when and where the month was paid. The same `request_key` from the same
  service point returns the payment already made (a retried request, a double click) instead of an error.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.models import Organisation
from ansinh.accounts.selectors import require_permission
from ansinh.core import audit
from ansinh.core.errors import Conflict, DomainError, ValidationFailed
from ansinh.core.money import vnd
from ansinh.notify.services import notify_person
from ansinh.unemployment.services.payments import month_paid_at_service_point
from ansinh.welfare import card_messages, card_selectors
from ansinh.welfare.benefits_due import DueBenefit, benefits_due, month_label
from ansinh.welfare.card_errors import (
    AlreadyPaid,
    CardForged,
    CardRevoked,
    NotAtServicePoint,
    NotDue,
    RequestKeyReused,
)
from ansinh.welfare.card_signing import card_qr_verify, initials_of
from ansinh.welfare.models import BenefitKind, BenefitPayment, CardStatus, RevokeReason, SocialSecurityCard
from ansinh.welfare.permissions import PAYMENT_RECORD

_REQUEST_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
_RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U to misread


@dataclass(frozen=True)
class CardScan:
    card: SocialSecurityCard
    holder_name: str
    initials: str
    birth_year: int | None
    id_last4: str
    due: list[DueBenefit]


def card_scan(*, actor: Any, qr: str) -> CardScan:
    require_permission(actor, PAYMENT_RECORD)
    card = _checked_card(actor, qr)
    person = card.person
    audit.record_read(actor=actor, obj=person, reason="welfare.card_scan")

    return CardScan(
        card=card,
        holder_name=person.full_name,
        initials=initials_of(person.full_name),
        birth_year=person.date_of_birth.year if person.date_of_birth else None,
        id_last4=(person.personal_id or "")[-4:],
        due=benefits_due(person, timezone.localdate()),
    )


def payment_record(
    *, actor: Any, qr: str, kind: str, benefit_id: int, period: date, request_key: str
) -> tuple[BenefitPayment, bool]:
    """Records one benefit month paid in cash. Returns the payment and whether it was recorded now (False:
    the same request again, answered with the payment it made)."""
    require_permission(actor, PAYMENT_RECORD)
    point = card_selectors.service_point_of(actor)
    if point is None:
        raise NotAtServicePoint()
    _check_input(kind, benefit_id, period, request_key)
    if point.province_id is None:
        raise Conflict(
            _("This service point has no province in its record; ask the administrator to set it.")
        )
    earlier = card_selectors.payment_by_request_key(point.pk, request_key)
    if earlier is not None:
        return _replayed(earlier, kind, benefit_id, period), False
    card = _checked_card(actor, qr)
    item = next(
        (
            due
            for due in benefits_due(card.person, timezone.localdate())
            if (due.kind, due.benefit_id, due.period) == (kind, benefit_id, period)
        ),
        None,
    )
    if item is None:
        paid = card_selectors.payment_for_month(kind, benefit_id, period)
        if paid is not None:
            raise already_paid(paid)
        raise NotDue()
    try:
        with transaction.atomic():
            payment = _insert(actor, point, card, item, request_key)
    except IntegrityError:
        # Another service point (or this one, a second time) won the race for this month.
        earlier = card_selectors.payment_by_request_key(point.pk, request_key)
        if earlier is not None:
            return _replayed(earlier, kind, benefit_id, period), False
        paid = card_selectors.payment_for_month(kind, benefit_id, period)
        if paid is not None:
            raise already_paid(paid) from None
        raise
    _tell_paid(card, payment, point)
    return payment, True


def already_paid(payment: BenefitPayment) -> AlreadyPaid:
    when = timezone.localtime(payment.recorded_at)
    place = payment.service_point.display_name
    province = payment.province.name
    message = _(
        "%(month)s was already paid on %(day)s at %(time)s at %(place)s (%(province)s), receipt "
        "%(receipt)s. Do not pay it again."
    ) % {
        "month": _first_upper(_label_of(payment.kind, payment.period)),
        "day": when.strftime("%d/%m/%Y"),
        "time": when.strftime("%H:%M"),
        "place": place,
        "province": province,
        "receipt": payment.receipt_number,
    }
    return AlreadyPaid(
        message,
        details={
            "paid_at": when.isoformat(),
            "service_point": place,
            "province": province,
            "receipt_number": payment.receipt_number,
        },
    )


# --- helpers -----------------------------------------------------------------------------------------------


def _checked_card(actor: Any, qr: str) -> SocialSecurityCard:
    try:
        verified = card_qr_verify(qr)
        card = card_selectors.card_by_number_issue(verified.number, verified.issue)
        if card is None or timezone.localdate(card.issued_at) != verified.issued_on:
            # Well signed but not a card we issued (another deployment's key, a restored database): the
            # cashier must not pay on it.
            raise CardForged(details={"reason": "unknown_card"})
        if card.status != CardStatus.ACTIVE:
            raise _revoked(card)
    except DomainError as exc:
        # A refused card is worth a line in the audit log (repeated forgeries show up there); no personal
        # data in it beyond the card number when there is one.
        audit.record(
            actor=actor,
            action="welfare.card_refused",
            object_type="welfare.socialsecuritycard",
            changes={"code": exc.code, **{k: v for k, v in exc.details.items() if k in ("reason", "number")}},
        )
        raise
    return card


def _revoked(card: SocialSecurityCard) -> CardRevoked:
    revoked_at = timezone.localtime(card.revoked_at) if card.revoked_at else None
    reason = str(RevokeReason(card.revoke_reason).label).lower() if card.revoke_reason else ""
    message = _("This card was revoked on %(day)s (%(reason)s); ask the holder for the new card.") % {
        "day": revoked_at.strftime("%d/%m/%Y") if revoked_at else "?",
        "reason": reason,
    }
    return CardRevoked(
        message,
        details={
            "number": card.number,
            "issue": card.issue,
            "revoked_at": revoked_at.isoformat() if revoked_at else None,
            "reason": card.revoke_reason,
        },
    )


def _check_input(kind: str, benefit_id: int, period: date, request_key: str) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in BenefitKind.values:
        errors["kind"] = [_("Choose the kind of benefit.")]
    if isinstance(benefit_id, bool) or not isinstance(benefit_id, int) or benefit_id < 1:
        errors["benefit_id"] = [_("Give the benefit's id.")]
    if not isinstance(period, date):
        errors["period"] = [_("Give the month paid as a date (YYYY-MM-DD).")]
    if not _REQUEST_KEY.fullmatch(request_key or ""):
        errors["request_key"] = [_("Send a request key of 8 to 64 letters, digits, - or _.")]
    if errors:
        raise ValidationFailed(errors)


def _replayed(payment: BenefitPayment, kind: str, benefit_id: int, period: date) -> BenefitPayment:
    if (payment.kind, payment.benefit_id, payment.period) != (kind, benefit_id, period):
        raise RequestKeyReused()
    return payment


def _insert(
    actor: Any, point: Organisation, card: SocialSecurityCard, item: DueBenefit, request_key: str
) -> BenefitPayment:
    now = timezone.now()
    payment = BenefitPayment.objects.create(
        person_id=card.person_id,
        card=card,
        kind=item.kind,
        benefit_id=item.benefit_id,
        period=item.period,
        amount=item.amount,
        service_point=point,
        org_path=point.path,
        province_id=point.province_id or 0,  # checked before: a service point without one is refused
        recorded_by=actor,
        recorded_at=now,
        receipt_number=_receipt_number(now),
        request_key=request_key,
    )
    if item.kind == BenefitKind.UNEMPLOYMENT:
        month_paid_at_service_point(
            month_id=item.benefit_id, paid_on=timezone.localdate(now), reference=payment.receipt_number
        )
    audit.record(
        actor=actor,
        action="welfare.payment_record",
        obj=payment,
        organisation_id=point.pk,
        changes={
            "person": card.person_id,
            "card": f"{card.number}/{card.issue}",
            "kind": item.kind,
            "benefit_id": item.benefit_id,
            "period": item.period.isoformat(),
            "amount": item.amount,
            "receipt_number": payment.receipt_number,
        },
    )
    payment.service_point = point
    return payment


def _receipt_number(now: Any) -> str:
    token = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(8))
    return f"ASC-{timezone.localtime(now):%Y%m%d}-{token}"


def _label_of(kind: str, period: date) -> str:
    if kind == BenefitKind.UNEMPLOYMENT:
        return _("the unemployment benefit month from %(day)s") % {"day": period.strftime("%d/%m/%Y")}
    return _("%(benefit)s for %(month)s") % {
        "benefit": str(BenefitKind(kind).label).lower(),
        "month": month_label(period),
    }


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _tell_paid(card: SocialSecurityCard, payment: BenefitPayment, point: Organisation) -> None:
    when = timezone.localtime(payment.recorded_at)
    context = {
        "amount": vnd(payment.amount),
        "month": _label_of(payment.kind, payment.period),
        "place": point.name,
        "when": when.strftime("%d/%m/%Y %H:%M"),
        "receipt": payment.receipt_number,
    }
    person = card.person
    link = reverse("welfare_card:home")
    transaction.on_commit(lambda: notify_person(person, card_messages.PAYMENT_RECORDED, context, link=link))
