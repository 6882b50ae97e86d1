"""Reads of the benefit payments (Decree 374/2025 Art 16.2): the months a centre hands to the provincial
social-insurance agency for payment, the payment orders the agency reads back through the partner API,
and one day's hand-off as a list.

Scope:
- Staff see the months of the claims their centre *manages* (the claim's province or the centre's subtree).
  Unlike `selectors.claims_in_scope`, a claim moving to another province is not seen by the destination
  here: the centre that manages a month pays it, so a month cannot be handed off from two places.
- A partner system sees payment orders only when it is a payer: its code is listed in the setting
  `UNEMPLOYMENT_PAYER_PARTNERS`, as `code` (every province) or `code:<province code>` (one province; repeat
  the entry for more). Any other partner (the national portal filing dossiers) is refused.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.accounts.selectors import Grant, grant_for
from ansinh.core import audit, workdays
from ansinh.core.errors import PermissionDenied
from ansinh.dossiers.models import Partner
from ansinh.geo.models import Province
from ansinh.unemployment import permissions as perms
from ansinh.unemployment.models import BenefitMonth, MonthStatus

# Decree 374/2025 Art 16.2: the agency pays within 5 working days after the deadline to collect the
# decision (month 1: its notification window is the collection window) / the monthly notification deadline.
PAYMENT_WORKING_DAYS = 5
PAGE_SIZE = 100
PARTNER_PAGE_DEFAULT = 100
PARTNER_PAGE_MAX = 500
_ORDER_RELATED = ("claim", "claim__person", "claim__centre", "claim__province")


class NotAPayer(PermissionDenied):
    code = "unemployment.not_a_payer"
    default_message = _("This partner system does not receive unemployment benefit payment orders.")


# --- staff --------------------------------------------------------------------------------------------------


def _managed(grant: Grant, prefix: str = "claim__") -> Q | None:
    """The claims a grant manages, as a filter on `prefix` (None: nothing)."""
    if grant.nation:
        return Q()
    where = Q()
    found = False
    if grant.province_ids:
        where |= Q(**{f"{prefix}province_id__in": sorted(grant.province_ids)})
        found = True
    for path in sorted(grant.org_paths):
        where |= Q(**{f"{prefix}org_path__startswith": path})
        found = True
    return where if found else None


def months_managed_by(actor: Any, permission: str = perms.CLAIM_HANDLE) -> QuerySet[BenefitMonth]:
    where = _managed(grant_for(actor, permission))
    if where is None:
        return BenefitMonth.objects.none()
    return BenefitMonth.objects.filter(where)


def may_hand_off(actor: Any) -> bool:
    return not grant_for(actor, perms.CLAIM_HANDLE).empty


def payments_permission(actor: Any) -> str:
    """The permission whose scope the payments page shows: the hand-off scope for those who hand off,
    otherwise the reading scope. Nobody with neither may see it."""
    if may_hand_off(actor):
        return perms.CLAIM_HANDLE
    if not grant_for(actor, perms.CLAIM_READ).empty:
        return perms.CLAIM_READ
    raise PermissionDenied()


def payable_months_for(
    actor: Any, permission: str = perms.CLAIM_HANDLE, *, notified_until: datetime | None = None
) -> QuerySet[BenefitMonth]:
    """Months to hand off: notified (so paid; a month not notified never is), with an amount, not handed
    off yet; optionally only those notified by `notified_until` (what a page showed)."""
    months = months_managed_by(actor, permission).filter(
        status=MonthStatus.NOTIFIED, handed_off_at__isnull=True, amount__gt=0
    )
    if notified_until is not None:
        months = months.filter(Q(notified_at__lte=notified_until) | Q(notified_at__isnull=True))
    return months


@dataclass(frozen=True)
class Totals:
    months: int
    claims: int
    amount: int


def payable_totals(
    actor: Any, permission: str = perms.CLAIM_HANDLE, *, notified_until: datetime | None = None
) -> Totals:
    row = payable_months_for(actor, permission, notified_until=notified_until).aggregate(
        months=Count("id"), claims=Count("claim", distinct=True), amount=Sum("amount")
    )
    return Totals(months=row["months"] or 0, claims=row["claims"] or 0, amount=int(row["amount"] or 0))


def payable_page(
    actor: Any,
    permission: str = perms.CLAIM_HANDLE,
    *,
    after: int = 0,
    limit: int = PAGE_SIZE,
    notified_until: datetime | None = None,
) -> list[BenefitMonth]:
    """One page of the months to hand off, by id after `after` (keyset). The staff read of the claimants'
    names and ID numbers is audited."""
    rows = list(
        payable_months_for(actor, permission, notified_until=notified_until)
        .filter(pk__gt=after)
        .select_related(*_ORDER_RELATED)
        .order_by("pk")[: max(1, min(limit, PARTNER_PAGE_MAX))]
    )
    if rows:
        audit.record(
            actor=actor, action="unemployment.payments_read", changes={"months": [m.pk for m in rows]}
        )
    return rows


def _local_day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def handed_off_on(actor: Any, day: date, permission: str = perms.CLAIM_READ) -> QuerySet[BenefitMonth]:
    """The months handed off on `day` (Vietnam time) in scope, in the order of the list sent."""
    start, end = _local_day_bounds(day)
    return (
        months_managed_by(actor, permission)
        .filter(status=MonthStatus.NOTIFIED, handed_off_at__gte=start, handed_off_at__lt=end)
        .select_related(*_ORDER_RELATED)
        .order_by("claim__province__code", "claim__centre__code", "claim__decision_number", "number", "pk")
    )


def hand_off_export(actor: Any, day: date, permission: str = perms.CLAIM_READ) -> list[BenefitMonth]:
    """The day's hand-off for a download (names, ID numbers and bank accounts): the read is audited."""
    rows = list(handed_off_on(actor, day, permission))
    audit.record(
        actor=actor,
        action="unemployment.payments_export",
        changes={"day": day.isoformat(), "months": len(rows)},
    )
    return rows


def pay_by(month: BenefitMonth) -> date:
    """The day the agency must have paid the month by (Decree 374 Art 16.2)."""
    return workdays.add_working_days(month.notify_until, PAYMENT_WORKING_DAYS)


def with_pay_by(months: Iterable[BenefitMonth]) -> Iterator[tuple[BenefitMonth, date]]:
    """Each month with its pay-by day (computed once per distinct deadline)."""
    seen: dict[date, date] = {}
    for month in months:
        if month.notify_until not in seen:
            seen[month.notify_until] = pay_by(month)
        yield month, seen[month.notify_until]


# --- the social-insurance agency (a partner system) ---------------------------------------------------------


@dataclass(frozen=True)
class PayerScope:
    nation: bool
    province_codes: frozenset[str]


def payer_scope(partner: Partner) -> PayerScope:
    """Where a partner system pays benefits (see the module's docstring); `NotAPayer` when nowhere."""
    nation = False
    codes: set[str] = set()
    for entry in getattr(settings, "UNEMPLOYMENT_PAYER_PARTNERS", ()) or ():
        code, _sep, province = str(entry).strip().partition(":")
        if code.strip().lower() != partner.code:
            continue
        if province.strip() in ("", "*"):
            nation = True
        else:
            codes.add(province.strip())
    if not partner.is_active or not (nation or codes):
        raise NotAPayer()
    return PayerScope(nation=nation, province_codes=frozenset(codes))


def partner_months(partner: Partner) -> QuerySet[BenefitMonth]:
    """Every month of the claims in the payer's provinces (handed off or not: the caller filters)."""
    scope = payer_scope(partner)
    if scope.nation:
        return BenefitMonth.objects.all()
    province_ids = list(
        Province.objects.filter(code__in=sorted(scope.province_codes)).values_list("pk", flat=True)
    )
    return BenefitMonth.objects.filter(claim__province_id__in=province_ids)


def payment_orders_for_partner(
    partner: Partner, *, after: int = 0, limit: int = PARTNER_PAGE_DEFAULT
) -> tuple[list[BenefitMonth], int | None]:
    """The payment orders waiting for the agency (handed off, not confirmed paid), by month id after
    `after`, and the `after` of the next page (None: none now). The partner's read is audited."""
    limit = max(1, min(limit, PARTNER_PAGE_MAX))
    rows = list(
        partner_months(partner)
        .filter(status=MonthStatus.NOTIFIED, handed_off_at__isnull=False, paid_on__isnull=True, pk__gt=after)
        .select_related(*_ORDER_RELATED)
        .order_by("pk")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    if rows:
        audit.record(
            actor=None,
            action="unemployment.payment_orders_read",
            changes={"partner": partner.code, "months": [m.pk for m in rows]},
        )
    return rows, (rows[-1].pk if more else None)
