"""The cash benefit months due to a person and not paid yet: what a service point pays against the card.

Up to and including the current month, never a future one:
- **Social allowance** (Decree 20/2021/NĐ-CP as amended by Decree 76/2024/NĐ-CP): an allowance being paid
  (status active) in cash at a service point (`payment_method` "service_point"); every month from its first
  month (`allowance_rules.allowance_months`), each at the base level of that month × the coefficient of that
  month (a new base level applies without a new decision). A suspended allowance pays nothing until it is
  resumed.
- **Pension** (data from the social-insurance agency): a pension being paid whose arrangement in force for
  the month is cash (post office or home delivery); at most the last `PENSION_MONTHS_BACK` months (this one
  and the two before), and never a month before the platform received the pension (`received_at`). Why:
  months before that, or older ones, were (or were not) paid by the agency's own payment points outside
  the platform, and the platform cannot know which; paying them from here risks paying twice. An older
  month not collected is the agency's to settle (a pension not collected for 6 months is suspended:
  Law on Social Insurance 41/2024/QH15 [S]).
- **Unemployment benefit** (Decree 374/2025 Art 16.2): a month of the person's claims that is notified
  (so to be paid), not paid and not handed off to the social-insurance agency yet (a month handed off is
  the agency's to pay; a month paid at a service point is marked handed off, so the centre never hands it
  off afterwards). Its period is its first day.

A month already paid with the card (`BenefitPayment`, unique per kind, benefit and month) is left out.
Six queries whatever the number of benefits and months (tests assert it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ansinh.unemployment.models import BenefitMonth, MonthStatus
from ansinh.welfare import allowance_selectors, pension_calendar
from ansinh.welfare.allowance_rules import allowance_months
from ansinh.welfare.models import (
    AllowanceStatus,
    BenefitKind,
    BenefitPayment,
    PaymentMethod,
    Pension,
    PensionStatus,
    SocialAllowance,
)
from ansinh.welfare.pension_selectors import arrangement_for_month

PENSION_MONTHS_BACK = 3
CASH_PENSION_METHODS = (PaymentMethod.POST_OFFICE, PaymentMethod.HOME_DELIVERY)
SERVICE_POINT = "service_point"

LEGAL_NOTES: dict[str, Promise] = {
    BenefitKind.SOCIAL_ALLOWANCE: _(
        "Monthly social allowance: Decree 20/2021/ND-CP as amended by Decree 76/2024/ND-CP."
    ),
    BenefitKind.PENSION: _(
        "Pension: Law on Social Insurance 41/2024/QH15, paid by the arrangement you chose."
    ),
    BenefitKind.UNEMPLOYMENT: _(
        "Unemployment benefit: Decree 374/2025/ND-CP Art 16, after the month is notified."
    ),
}


@dataclass(frozen=True)
class DueBenefit:
    kind: str
    benefit_id: int
    period: date
    amount: int
    label: str
    legal_note: str

    @property
    def key(self) -> str:
        """One string naming the item (a form's value): "<kind>:<benefit id>:<yyyy-mm-dd>"."""
        return f"{self.kind}:{self.benefit_id}:{self.period.isoformat()}"


def benefits_due(person: Any, on: date | None = None) -> list[DueBenefit]:
    """The months due to `person` (a Person or its id) on the day `on` (today in Vietnam by default),
    oldest first, allowance before pension before unemployment within a month."""
    person_id: int = getattr(person, "pk", person)
    on = on or timezone.localdate()
    candidates = [
        *_allowance_months(person_id, on),
        *_pension_months(person_id, on),
        *_unemployment_months(person_id, on),
    ]
    if not candidates:
        return []
    paid = _paid(candidates)
    due = [item for item in candidates if (item.kind, item.benefit_id, item.period) not in paid]
    order = {kind: index for index, kind in enumerate(BenefitKind.values)}
    return sorted(due, key=lambda item: (item.period, order[item.kind], item.benefit_id))


def month_label(period: date) -> str:
    return _("month %(month)02d/%(year)d") % {"month": period.month, "year": period.year}


def _item(kind: str, benefit_id: int, period: date, amount: int, label: str) -> DueBenefit:
    return DueBenefit(
        kind=kind,
        benefit_id=benefit_id,
        period=period,
        amount=int(amount),
        label=label,
        legal_note=str(LEGAL_NOTES[kind]),
    )


def _allowance_months(person_id: int, on: date) -> Iterable[DueBenefit]:
    allowances = SocialAllowance.objects.filter(
        person_id=person_id, status=AllowanceStatus.ACTIVE, payment_method=SERVICE_POINT
    ).prefetch_related("changes")
    for allowance in allowances:
        for period in allowance_months(allowance.starts_on, allowance.ends_on, on):
            label = _("Social allowance, %(month)s") % {"month": month_label(period)}
            amount = allowance_selectors.amount_in_month(allowance, period)
            yield _item(BenefitKind.SOCIAL_ALLOWANCE, allowance.pk, period, amount, label)


def _pension_months(person_id: int, on: date) -> Iterable[DueBenefit]:
    pensions = Pension.objects.filter(person_id=person_id, status=PensionStatus.ACTIVE).prefetch_related(
        "arrangements"
    )
    this_month = on.replace(day=1)
    earliest = _months_before(this_month, PENSION_MONTHS_BACK - 1)
    for pension in pensions:
        received = timezone.localdate(pension.received_at).replace(day=1)
        start = max(pension.starts_on.replace(day=1), received, earliest)
        arrangements = list(pension.arrangements.all())
        for period in pension_calendar.pension_months(start, on):
            arrangement = arrangement_for_month(arrangements, period)
            if arrangement is None or arrangement.method not in CASH_PENSION_METHODS:
                continue
            label = _("Pension, %(month)s") % {"month": month_label(period)}
            yield _item(BenefitKind.PENSION, pension.pk, period, pension.monthly_amount, label)


def _unemployment_months(person_id: int, on: date) -> Iterable[DueBenefit]:
    months = BenefitMonth.objects.filter(
        claim__person_id=person_id,
        status=MonthStatus.NOTIFIED,
        paid_on__isnull=True,
        handed_off_at__isnull=True,
        amount__gt=0,
        start__lte=on,
    ).only("pk", "number", "start", "amount")
    for month in months:
        label = _("Unemployment benefit, month %(number)d (from %(start)s)") % {
            "number": month.number,
            "start": month.start.strftime("%d/%m/%Y"),
        }
        yield _item(BenefitKind.UNEMPLOYMENT, month.pk, month.start, month.amount, label)


def _paid(items: list[DueBenefit]) -> set[tuple[str, int, date]]:
    kinds = {item.kind for item in items}
    ids = {item.benefit_id for item in items}
    rows = BenefitPayment.objects.filter(kind__in=kinds, benefit_id__in=ids).values_list(
        "kind", "benefit_id", "period"
    )
    return set(rows)


def _months_before(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)
