"""The benefit paid: the centre hands the months to be paid to the provincial social-insurance agency, and
the agency says when it paid each one.

Decree 374/2025 Art 16.2: the agency pays within 5 working days after the deadline to collect the decision
(month 1) or the month's notification deadline; the decision is copied to it. A month is to be paid once
its job search is notified (its amount is then set); a month not notified is never paid, so it is never
handed off.

- `payments_hand_off` marks the payable months in the officer's scope as handed off: one claim event per
  claim, one audit row per batch. Running it twice hands nothing twice: the claims are locked, the months
  read again under the lock, and only months not handed off yet are marked. A very large hand-off (a whole
  country) runs in batches of claims, each batch all or nothing; after a failure, running it again hands
  off the rest.
- `payment_confirm` records the agency's payment (the partner API): the same call twice gives the same
  answer; another date for a month already paid is a conflict.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from operator import attrgetter
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ansinh.accounts.selectors import require_permission
from ansinh.core import audit
from ansinh.core.errors import Conflict, NotFound, ValidationFailed
from ansinh.dossiers.models import Partner
from ansinh.unemployment import payment_selectors
from ansinh.unemployment.models import BenefitClaim, BenefitMonth, ClaimAction, MonthStatus
from ansinh.unemployment.permissions import CLAIM_HANDLE
from ansinh.unemployment.services.claims import record_event

HAND_OFF_BATCH_CLAIMS = 500
MAX_MONTH_IDS = 10_000
MAX_REFERENCE = 100


class PaymentNotHandedOff(Conflict):
    code = "unemployment.payment_not_handed_off"
    default_message = gettext_lazy(
        "This month was not handed off to the social-insurance agency for payment."
    )


class PaymentAlreadyConfirmed(Conflict):
    code = "unemployment.payment_already_confirmed"
    default_message = gettext_lazy("This month was already confirmed paid, on another date.")


@dataclass(frozen=True)
class HandOff:
    """What one hand-off did: months and claims handed off, their total (VND), and when."""

    months: int
    claims: int
    amount: int
    at: datetime | None
    month_ids: tuple[int, ...]


@dataclass(frozen=True)
class PaymentConfirmation:
    month: BenefitMonth
    already_recorded: bool


def _checked_ids(month_ids: Sequence[int] | None) -> list[int] | None:
    if month_ids is None:
        return None
    if len(month_ids) > MAX_MONTH_IDS:
        raise ValidationFailed.single(
            "month_ids", _("Hand off at most %(n)d months at a time.") % {"n": MAX_MONTH_IDS}
        )
    wanted: set[int] = set()
    for value in month_ids:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationFailed.single("month_ids", _("Give the ids of the months to hand off."))
        wanted.add(value)
    return sorted(wanted)


def payments_hand_off(
    *,
    actor: Any,
    month_ids: Sequence[int] | None = None,
    notified_until: datetime | None = None,
) -> HandOff:
    """Hand off the payable months of the claims the actor manages (`ui_claim.handle`): all of them, or
    only `month_ids`, or only those notified by `notified_until` (the moment the officer's list was read,
    so nothing is handed off that the officer did not see). Months already handed off, not notified or
    out of scope are left alone."""
    require_permission(actor, CLAIM_HANDLE)
    now = timezone.now()
    if notified_until is not None:
        if timezone.is_naive(notified_until):
            raise ValidationFailed.single("notified_until", _("Give a time with its time zone."))
        notified_until = min(notified_until, now)
    wanted = _checked_ids(month_ids)
    if wanted == []:
        return HandOff(months=0, claims=0, amount=0, at=None, month_ids=())

    def candidates() -> QuerySet[BenefitMonth]:
        months = payment_selectors.payable_months_for(actor, CLAIM_HANDLE, notified_until=notified_until)
        return months.filter(pk__in=wanted) if wanted is not None else months

    claim_ids = sorted(set(candidates().values_list("claim_id", flat=True)))
    handed: list[int] = []
    claims = amount = 0
    for start in range(0, len(claim_ids), HAND_OFF_BATCH_CLAIMS):
        chunk = claim_ids[start : start + HAND_OFF_BATCH_CLAIMS]
        with transaction.atomic():
            ids, n_claims, total = _hand_off_batch(actor, chunk, candidates(), now)
        handed.extend(ids)
        claims += n_claims
        amount += total
    return HandOff(
        months=len(handed),
        claims=claims,
        amount=amount,
        at=now if handed else None,
        month_ids=tuple(handed),
    )


def _hand_off_batch(
    actor: Any, claim_ids: list[int], candidates: QuerySet[BenefitMonth], now: datetime
) -> tuple[list[int], int, int]:
    # The claims are locked first, in id order (as every writer of a claim's months locks the claim): a
    # concurrent hand-off waits here, then reads the months again below and finds them handed off.
    locked = {
        claim.pk: claim
        for claim in BenefitClaim.objects.select_for_update().filter(pk__in=claim_ids).order_by("pk")
    }
    months = list(
        candidates.filter(claim_id__in=list(locked))
        .select_for_update(of=("self",))
        .order_by("claim_id", "number")
    )
    if not months:
        return [], 0, 0
    ids = [month.pk for month in months]
    marked = BenefitMonth.objects.filter(
        pk__in=ids, status=MonthStatus.NOTIFIED, handed_off_at__isnull=True
    ).update(handed_off_at=now)
    if marked != len(ids):  # pragma: no cover - the locks above make this impossible
        raise Conflict(_("The list changed while it was handed off. Try again."))
    claims = 0
    for claim_id, group in groupby(months, key=attrgetter("claim_id")):
        numbers = [month.number for month in group]
        record_event(
            locked[claim_id],
            ClaimAction.HANDED_OFF,
            actor=actor,
            month=numbers[0] if len(numbers) == 1 else None,
            note="" if len(numbers) == 1 else ", ".join(str(n) for n in numbers),
        )
        claims += 1
    total = sum(month.amount for month in months)
    audit.record(
        actor=actor,
        action="unemployment.payments_hand_off",
        object_type="unemployment.benefitmonth",
        changes={"months": ids, "claims": claims, "amount": total},
    )
    return ids, claims, total


def payment_confirm(*, partner: Partner, month_id: int, paid_on: date, reference: str) -> PaymentConfirmation:
    """The social-insurance agency paid a month it was handed (`reference`: its own payment reference).
    The same confirmation again changes nothing (`already_recorded`); another date is a conflict."""
    reference = (reference or "").strip()
    errors: dict[str, list[str]] = {}
    if not reference or len(reference) > MAX_REFERENCE:
        errors["reference"] = [
            _("Give your payment reference (at most %(n)d characters).") % {"n": MAX_REFERENCE}
        ]
    if not isinstance(paid_on, date) or isinstance(paid_on, datetime):
        errors["paid_on"] = [_("Enter a valid date (YYYY-MM-DD).")]
    elif paid_on > timezone.localdate():
        errors["paid_on"] = [_("The payment date cannot be in the future.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        month = (
            payment_selectors.partner_months(partner)
            .select_for_update(of=("self",))
            .filter(pk=month_id)
            .first()
        )
        if month is None:
            raise NotFound()
        # Only what was handed off is paid. A month handed off that stopped being due since (the benefit
        # ended before it began) leaves the list of orders, but a payment made is still recorded: it is a
        # fact, and the money is then to be recovered.
        if month.handed_off_at is None:
            raise PaymentNotHandedOff()
        if month.paid_on is not None:
            if month.paid_on == paid_on:
                return PaymentConfirmation(month=month, already_recorded=True)
            raise PaymentAlreadyConfirmed(details={"paid_on": month.paid_on.isoformat()})
        handed_on = timezone.localdate(month.handed_off_at)
        if paid_on < handed_on:
            raise ValidationFailed.single(
                "paid_on",
                _("The payment date is before the month was handed off (%(day)s).")
                % {"day": handed_on.strftime("%d/%m/%Y")},
            )
        month.paid_on = paid_on
        month.payment_reference = reference
        month.save(update_fields=["paid_on", "payment_reference"])
        record_event(month.claim, ClaimAction.PAID, month=month.number, note=reference)
        audit.record(
            actor=None,
            action="unemployment.payment_confirm",
            obj=month,
            changes={
                "partner": partner.code,
                "claim": month.claim_id,
                "month": month.number,
                "amount": month.amount,
                "paid_on": paid_on.isoformat(),
                "reference": reference,
            },
        )
    return PaymentConfirmation(month=month, already_recorded=False)


def month_paid_at_service_point(*, month_id: int, paid_on: date, reference: str) -> BenefitMonth:
    """A notified month paid in cash at a service point against the social-security card (welfare's
    `payment_record`, in its transaction; `reference`: the receipt number). The month is also marked handed
    off, so the centre never hands it to the social-insurance agency afterwards (it would be paid twice).
    A month paid, not notified, or already handed off to the agency is refused: the agency pays those."""
    with transaction.atomic():
        month = BenefitMonth.objects.select_for_update().select_related("claim").filter(pk=month_id).first()
        if month is None:
            raise NotFound()
        if month.paid_on is not None:
            raise PaymentAlreadyConfirmed(details={"paid_on": month.paid_on.isoformat()})
        if month.status != MonthStatus.NOTIFIED or month.handed_off_at is not None:
            raise Conflict(_("This month is not to be paid at a service point."))
        month.paid_on = paid_on
        month.payment_reference = reference[:MAX_REFERENCE]
        month.handed_off_at = timezone.now()
        month.save(update_fields=["paid_on", "payment_reference", "handed_off_at"])
        record_event(month.claim, ClaimAction.PAID, month=month.number, note=reference[:MAX_REFERENCE])
    return month
