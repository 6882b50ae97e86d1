"""Reads of the pensions and their arrangements.

- A pensioner reads their own pensions (scope "own": the pensions of the signed-in user's person).
- The social-insurance agency reads through the partner API: a partner listed in the setting
  `UNEMPLOYMENT_PAYER_PARTNERS` is the agency's system (the same agency pays pensions and unemployment
  benefit); `code` reads every province, `code:<province code>` only the arrangements in that province.
  A pensioner moving province is seen by the agency of the new province from the change on.
- Staff read the figures (`welfare_statistics.read`) within their grant's provinces.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.accounts.models import Organisation, OrganisationKind, Person
from ansinh.accounts.selectors import (
    grant_for,
    person_of,
)
from ansinh.dossiers.models import Partner
from ansinh.geo.models import Province
from ansinh.unemployment import payment_selectors
from ansinh.welfare import pension_calendar
from ansinh.welfare import permissions as perms
from ansinh.welfare.models import BenefitKind, BenefitPayment, Pension, PensionArrangement, PensionStatus
from ansinh.welfare.pension_errors import NoSuchPension, NotThePensionAgency

PARTNER_PAGE_DEFAULT = 100
PARTNER_PAGE_MAX = 500

# The kinds of monthly pension the agency sends (Law 41/2024: retirement, loss of working capacity,
# occupational accident or disease, survivors' monthly allowance). Another kind is refused.
PENSION_KINDS: dict[str, Any] = {
    "retirement": _("Retirement pension"),
    "work_capacity_loss": _("Allowance for loss of working capacity"),
    "occupational": _("Occupational accident or disease allowance"),
    "survivor": _("Monthly survivors' allowance"),
}


def pension_kind_label(kind: str) -> str:
    return str(PENSION_KINDS.get(kind, kind))


# --- the pensioner ----------------------------------------------------------------------------------------


def pensions_of(person: Person | None) -> QuerySet[Pension]:
    """A person's pensions, the one being paid first."""
    if person is None:
        return Pension.objects.none()
    return (
        Pension.objects.filter(person=person)
        .select_related("province")
        .order_by("status", "-starts_on", "-id")  # "active" sorts before "ended" and "suspended"
    )


def pension_get_for(actor: Any, pension_id: int) -> Pension:
    """The actor's own pension (another person's is "not found": its existence is not revealed)."""
    pension = pensions_of(person_of(actor)).filter(pk=pension_id).select_related("person").first()
    if pension is None:
        raise NoSuchPension()
    return pension


def arrangement_in_force(pension: Pension, period: date) -> PensionArrangement | None:
    """The arrangement that pays the month of `period`: the latest with `valid_from` on or before it (the
    latest recorded when two start the same month)."""
    return (
        pension.arrangements.filter(valid_from__lte=period)
        .select_related("province", "service_point")
        .order_by("-valid_from", "-id")
        .first()
    )


def arrangement_for_month(arrangements: list[PensionArrangement], period: date) -> PensionArrangement | None:
    """`arrangement_in_force` on a pension's arrangements already read: the latest with
    `valid_from` on or before the month (the rule of `PensionArrangement`), the newest row on a tie. Done
    on the rows in memory so that a list of months costs no query per month."""
    in_force = [a for a in arrangements if a.valid_from <= period]
    if not in_force:
        return None
    return max(in_force, key=lambda a: (a.valid_from, a.pk))


def arrangement_next(pension: Pension, period: date) -> PensionArrangement | None:
    """A change already made that starts after `period` (the one that will apply), if any."""
    return (
        pension.arrangements.filter(valid_from__gt=period)
        .select_related("province", "service_point")
        .order_by("-valid_from", "-id")
        .first()
    )


def arrangement_history(pension: Pension) -> QuerySet[PensionArrangement]:
    return pension.arrangements.select_related("province", "service_point").order_by("-valid_from", "-id")


def service_points_in(province: Province | int | None) -> QuerySet[Organisation]:
    """The active service points (post offices and the like) of a province, by name."""
    if province is None:
        return Organisation.objects.none()
    province_id = province if isinstance(province, int) else province.pk
    return Organisation.objects.filter(
        kind=OrganisationKind.SERVICE_POINT, is_active=True, province_id=province_id
    ).order_by("name", "pk")


def cash_payments_of(pension: Pension) -> QuerySet[BenefitPayment]:
    """The months of this pension paid in cash at a service point with the social-security card."""
    return (
        BenefitPayment.objects.filter(kind=BenefitKind.PENSION, benefit_id=pension.pk)
        .select_related("service_point", "province")
        .order_by("-period", "-id")
    )


# --- the social-insurance agency (partner API) -----------------------------------------------------------


def agency_provinces(partner: Partner) -> list[int] | None:
    """The provinces a partner reads (None: every province); `NotThePensionAgency` for any other partner."""
    try:
        scope = payment_selectors.payer_scope(partner)
    except payment_selectors.NotAPayer as exc:
        raise NotThePensionAgency() from exc
    if scope.nation:
        return None
    return list(Province.objects.filter(code__in=sorted(scope.province_codes)).values_list("pk", flat=True))


def arrangements_for_partner(
    partner: Partner,
    *,
    after: int = 0,
    limit: int = PARTNER_PAGE_DEFAULT,
    since: datetime | None = None,
    pending_only: bool = True,
) -> tuple[list[PensionArrangement], int | None]:
    """The arrangements the pensioners made for the agency to apply, by id after `after` (and made at or
    after `since`; only those not acknowledged yet with `pending_only`), with the `after` of the next page
    (None: no more now)."""
    provinces = agency_provinces(partner)
    limit = max(1, min(limit, PARTNER_PAGE_MAX))
    rows = PensionArrangement.objects.filter(pk__gt=after)
    if provinces is not None:
        rows = rows.filter(province_id__in=provinces)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    if pending_only:
        rows = rows.filter(acknowledged_at__isnull=True)
    found = list(
        rows.select_related("pension", "pension__person", "province", "service_point").order_by("pk")[
            : limit + 1
        ]
    )
    more = len(found) > limit
    found = found[:limit]
    return found, (found[-1].pk if more else None)


# --- staff figures ----------------------------------------------------------------------------------------


def pension_figures_for(actor: Any) -> dict[str, int]:
    """Pensions by how they are paid now, in the provinces the actor reads statistics for (nation: all)."""
    grant = grant_for(actor, perms.STATISTICS_READ)
    if grant.empty:
        return {}
    pensions = Pension.objects.filter(status=PensionStatus.ACTIVE)
    if not grant.nation:
        pensions = pensions.filter(
            Q(province_id__in=sorted(grant.province_ids))
            | Q(
                province_id__in=Organisation.objects.filter(path__in=sorted(grant.org_paths)).values(
                    "province"
                )
            )
        )
    latest = PensionArrangement.objects.filter(pension=OuterRef("pk")).order_by("-valid_from", "-id")
    rows = (
        pensions.annotate(method=Subquery(latest.values("method")[:1]))
        .values("method")
        .annotate(n=Count("id"))
        .order_by("method")
    )
    return {str(row["method"]): int(row["n"]) for row in rows}


# --- the payment calendar ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarMonth:
    """A pension month, the arrangement that pays it and its payment days (none without an arrangement)."""

    period: date
    arrangement: PensionArrangement | None
    days: pension_calendar.PaymentDays | None


def payment_calendar(pension: Pension, first_month: date, count: int) -> list[CalendarMonth]:
    """The next `count` pension months from `first_month`, each by the arrangement in force that month (a
    change already made shows from its month on). Months before the pension starts are left out."""
    history = list(arrangement_history(pension))
    start = pension_calendar.month_start(max(first_month, pension.starts_on))
    months: list[CalendarMonth] = []
    period = start
    for _i in range(max(0, count)):
        arrangement = next((a for a in history if a.valid_from <= period), None)
        days = pension_calendar.payment_days(period, arrangement.method) if arrangement is not None else None
        months.append(CalendarMonth(period=period, arrangement=arrangement, days=days))
        period = pension_calendar.next_month(period)
    return months


# --- the pension months paid at service points, for the agency (partner API) ------------------------------

# A payment is shown to the agency only once it is this old. Ids are taken when a row is written, not when
# its transaction commits, so a payment still being committed can get a smaller id than one already shown;
# a reader keeping its `after` cursor would skip it for good. Recording a payment takes well under a second,
# and the agency pays monthly: two minutes cost it nothing.
PAYMENT_FEED_SETTLE = timedelta(minutes=2)


def _pension_payments_in(provinces: list[int] | None) -> QuerySet[BenefitPayment]:
    """The pension months paid in cash with the card that an agency of `provinces` (None: every province)
    must know about: those of pensions paid in its provinces now (`Pension.province`, which follows a move
    at once), and those of months its own payee list held (the province of the arrangement in force for
    the month paid). A pensioner who moves keeps collecting from the old province until the change takes
    effect, so a month paid in cash there must reach the old province's agency too, or it pays it again."""
    rows = BenefitPayment.objects.filter(kind=BenefitKind.PENSION)
    if provinces is None:
        return rows
    current = Pension.objects.filter(pk=OuterRef("benefit_id")).values("province_id")[:1]
    paying = (
        PensionArrangement.objects.filter(
            pension_id=OuterRef("benefit_id"), valid_from__lte=OuterRef("period")
        )
        .order_by("-valid_from", "-id")
        .values("province_id")[:1]
    )
    return rows.annotate(pension_province=Subquery(current), paying_province=Subquery(paying)).filter(
        Q(pension_province__in=provinces) | Q(paying_province__in=provinces)
    )


def pension_payments_for_partner(
    partner: Partner,
    *,
    after: int = 0,
    limit: int = PARTNER_PAGE_DEFAULT,
    month: date | None = None,
    now: datetime | None = None,
    pending_only: bool = False,
) -> tuple[list[BenefitPayment], dict[int, Pension], int | None]:
    """The pension months paid at service points that the agency must know about (see
    `_pension_payments_in`), by id after `after` (only the month `month` when given), recorded at least
    `PAYMENT_FEED_SETTLE` before `now`; with their pensions by id and the `after` of the next page (None:
    no more now)."""
    provinces = agency_provinces(partner)
    limit = max(1, min(limit, PARTNER_PAGE_MAX))
    settled_before = (now or timezone.now()) - PAYMENT_FEED_SETTLE
    rows = _pension_payments_in(provinces).filter(pk__gt=after, recorded_at__lte=settled_before)
    if month is not None:
        rows = rows.filter(period=pension_calendar.month_start(month))
    if pending_only:
        rows = rows.filter(reported_at__isnull=True)
    found = list(rows.select_related("person", "service_point", "province").order_by("pk")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    held = Pension.objects.filter(pk__in=sorted({row.benefit_id for row in found}))
    return found, {pension.pk: pension for pension in held}, (found[-1].pk if more else None)


def pension_payment_ids_for_partner(partner: Partner, ids: list[int]) -> list[int]:
    """Which of `ids` are pension payments the agency may read (any age: an id it holds was shown to it)."""
    rows = _pension_payments_in(agency_provinces(partner)).filter(pk__in=ids)
    return sorted(rows.values_list("pk", flat=True))
