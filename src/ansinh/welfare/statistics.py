"""The social-security figures for officials holding `welfare_statistics.read`: a province's officers read
their province, the ministry the whole country, a commune's chair their commune. Counts and sums only, no
person is named.

Where a row counts (the grant is matched against the fields that place it):
- allowances and their change reports: the commune that decided the allowance (its province, its path);
- payments made with the card: the service point that paid (its province, its path), and also every payment
  of an allowance decided in the scope wherever it was collected, so a commune sees its beneficiaries who
  collect in another province, and the table by province shows where the money was paid out;
- cards and pensions (they carry no organisation): where the holder lives: the person's province, or for a
  commune the ward it serves;
- medicine requests: the clinic (`medicine_selectors.figures_for`).

Time: payments count by the month they were recorded (Vietnam time) in the chosen year, or the chosen month.
The allowance amounts are those due for one month (the chosen month; without one, this month in the current
year, December of a past year, January of a later year): the base level of that month × the coefficient
of that month, for allowances covering the month and not suspended now. Statuses and the other counts are
today's.

Each figure is one grouped query, so the number of queries does not grow with the rows (about ten).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ansinh.accounts.models import Organisation, OrganisationKind
from ansinh.accounts.selectors import Grant, grant_for, scope_q
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.geo.models import Province
from ansinh.welfare import allowance_rules as rules
from ansinh.welfare import medicine_selectors
from ansinh.welfare.allowance_selectors import amount_in_month
from ansinh.welfare.models import (
    AllowanceChange,
    AllowanceStatus,
    BenefitKind,
    BenefitPayment,
    CardStatus,
    ChangeStatus,
    MedicineStatus,
    PaymentMethod,
    Pension,
    PensionArrangement,
    PensionStatus,
    SocialAllowance,
    SocialSecurityCard,
)
from ansinh.welfare.permissions import STATISTICS_READ

FIRST_YEAR = 2000
LAST_YEAR = 2100
NO_ARRANGEMENT = "none"
NO_ARRANGEMENT_LABEL = gettext_lazy("No arrangement chosen yet")


# --- what comes out ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a table: a key (status, group, kind, method), its label, a count and an amount of đồng
    (None where no amount is meant, or when no base level is encoded for the month)."""

    key: str
    label: str
    count: int
    amount: int | None = None


@dataclass(frozen=True)
class PaymentMonth:
    month: date  # first day
    kinds: tuple[Line, ...]  # in BenefitKind order
    total: Line


@dataclass(frozen=True)
class ProvinceLine:
    province_id: int
    code: str
    name: str
    count: int
    amount: int


@dataclass(frozen=True)
class FiguresScope:
    nation: bool
    provinces: tuple[Province, ...]  # the provinces one may choose (several only for the nation or a few)
    organisations: tuple[str, ...]  # the organisations whose own records are counted (a commune)


@dataclass(frozen=True)
class WelfareFigures:
    year: int
    month: int | None
    amounts_month: date  # the month whose allowance amounts are given
    province: Province | None
    scope: FiguresScope
    generated_at: datetime
    allowances_by_status: tuple[Line, ...]
    allowances_by_group: tuple[Line, ...]
    allowances_total: Line
    changes_waiting: int
    oldest_change_waiting: datetime | None
    payments_by_month: tuple[PaymentMonth, ...]
    payments_by_kind: tuple[Line, ...]
    payments_total: Line
    payments_by_province: tuple[ProvinceLine, ...]
    cards: tuple[Line, ...]
    medicine: medicine_selectors.MedicineFigures
    medicine_by_status: tuple[Line, ...]
    pensions_by_method: tuple[Line, ...]
    pensions_total: Line


# --- who reads what ---------------------------------------------------------------------------------------


def statistics_grant(actor: Any) -> Grant:
    """The actor's grant of the figures; refused without one (a grant of one's "own" records is none)."""
    grant = grant_for(actor, STATISTICS_READ)
    if not (grant.nation or grant.province_ids or grant.org_paths):
        raise PermissionDenied()
    return grant


def can_read_figures(actor: Any) -> bool:
    grant = grant_for(actor, STATISTICS_READ)
    return bool(grant.nation or grant.province_ids or grant.org_paths)


def figures_scope(grant: Grant) -> FiguresScope:
    if grant.nation:
        return FiguresScope(True, tuple(Province.objects.order_by("name")), ())
    provinces = tuple(Province.objects.filter(pk__in=sorted(grant.province_ids)).order_by("name"))
    names: tuple[str, ...] = ()
    if grant.org_paths:
        # A provincial department's own subtree adds nothing its province does not already give.
        names = tuple(
            str(o.display_name)
            for o in Organisation.objects.filter(path__in=sorted(grant.org_paths)).exclude(
                province_id__in=sorted(grant.province_ids)
            )
        )
    return FiguresScope(False, provinces, names)


def this_year() -> int:
    return timezone.localdate().year


def _checked(
    scope: FiguresScope, year: Any, month: Any, province_id: Any
) -> tuple[int, int | None, Province | None]:
    errors: dict[str, list[str]] = {}
    try:
        year = int(year)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = [
            _("Year: choose a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
    if month not in (None, ""):
        try:
            month = int(month)
            if not 1 <= month <= 12:
                raise ValueError
        except (TypeError, ValueError):
            errors["month"] = [_("Month: choose a month from 1 to 12, or every month.")]
    else:
        month = None
    province = None
    if province_id not in (None, ""):
        try:
            wanted = int(province_id)
        except (TypeError, ValueError):
            wanted = 0
        province = next((p for p in scope.provinces if p.pk == wanted), None)
        if province is None:
            errors["province_id"] = [_("Province: choose one of the provinces listed.")]
    if errors:
        raise ValidationFailed(errors)
    return year, month, province


def amounts_month_for(year: int, month: int | None, today: date) -> date:
    if month is not None:
        return date(year, month, 1)
    if year == today.year:
        return date(year, today.month, 1)
    return date(year, 12 if year < today.year else 1, 1)


def _period_bounds(year: int, month: int | None) -> tuple[datetime, datetime]:
    """[start, end) in Vietnam time: the year, or one month of it."""
    zone = timezone.get_default_timezone()
    if month is None:
        first, after = date(year, 1, 1), date(year + 1, 1, 1)
    else:
        first = date(year, month, 1)
        after = date(year + (month == 12), month % 12 + 1, 1)
    return datetime.combine(first, time.min, tzinfo=zone), datetime.combine(after, time.min, tzinfo=zone)


def _residence_q(grant: Grant, person: str) -> Q:
    """Rows placed by where their person lives: the province, or the wards of the communes in the grant."""
    if grant.nation:
        return Q(pk__isnull=False)
    where = Q(pk__in=[])
    if grant.province_ids:
        where |= Q(**{f"{person}__province_id__in": sorted(grant.province_ids)})
    for path in sorted(grant.org_paths):
        wards = Organisation.objects.filter(
            path__startswith=path, kind=OrganisationKind.COMMUNE, ward__isnull=False
        ).values("ward_id")
        where |= Q(**{f"{person}__ward_id__in": wards})
    return where


# --- the figures ------------------------------------------------------------------------------------------


def group_label(code: str) -> str:
    return " + ".join(
        rules.GROUPS_BY_CODE[c].name if c in rules.GROUPS_BY_CODE else c for c in rules.group_codes(code)
    )


def _allowance_figures(allowances: QuerySet[SocialAllowance], month: date) -> tuple[Any, Any, Line]:
    """By status and by group: how many, and what those paying in `month` are due for it.

    The amount of the many is the base level × the stored coefficient, counted per distinct coefficient
    in SQL. The stored coefficient is the one paid from the month after the last accepted change of group,
    so only an allowance with a change accepted in or after `month` may pay another coefficient in `month`:
    those few are worked out one by one from their history (`amount_in_month`). Before the first base
    level encoded (July 2021) no amount is given."""
    known = month >= rules.BASE_LEVELS[0].valid_from
    recent_change = AllowanceChange.objects.filter(
        allowance=OuterRef("pk"),
        status=ChangeStatus.ACCEPTED,
        handled_at__gte=datetime.combine(month, time.min, tzinfo=timezone.get_default_timezone()),
    )
    paying = (
        Q(starts_on__lte=month)
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=month))
        & ~Q(status=AllowanceStatus.SUSPENDED)
    )
    rows = (
        allowances.values("status", "group", "coefficient")
        .annotate(n=Count("pk"), paying=Count("pk", filter=paying & ~Q(Exists(recent_change))))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    amounts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        key = (row["status"], row["group"])
        counts[key] += row["n"]
        if row["paying"] and known:
            amounts[key] += rules.amount_in_month(Decimal(row["coefficient"]), month) * row["paying"]
    if known:
        for allowance in allowances.filter(paying, Exists(recent_change)).prefetch_related("changes"):
            amounts[(allowance.status, allowance.group)] += amount_in_month(allowance, month)

    def lines(values: list[str], label: Any, position: int) -> tuple[Line, ...]:
        result = []
        for value in values:
            mine = [k for k in counts if k[position] == value]
            amount = sum(amounts[k] for k in mine) if known else None
            result.append(Line(value, label(value), sum(counts[k] for k in mine), amount))
        return tuple(result)

    by_status = lines(list(AllowanceStatus.values), lambda v: str(AllowanceStatus(v).label), 0)
    by_group = lines(sorted({k[1] for k in counts}, key=group_label), group_label, 1)
    total = Line(
        "total", _("Total"), sum(counts.values()), sum(amounts[k] for k in counts) if known else None
    )
    return by_status, by_group, total


def _payments(
    payments: QuerySet[BenefitPayment], year: int, month: int | None
) -> tuple[tuple[PaymentMonth, ...], tuple[Line, ...], Line, tuple[ProvinceLine, ...]]:
    start, end = _period_bounds(year, month)
    in_period = payments.filter(recorded_at__gte=start, recorded_at__lt=end)
    zone = timezone.get_default_timezone()
    cells: dict[tuple[date, str], tuple[int, int]] = {}
    for row in (
        in_period.annotate(month=TruncMonth("recorded_at", tzinfo=zone))
        .values("month", "kind")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by()
    ):
        paid_month = row["month"]
        if isinstance(paid_month, datetime):
            paid_month = (
                timezone.localtime(paid_month, zone) if timezone.is_aware(paid_month) else paid_month
            ).date()
        cells[(paid_month.replace(day=1), row["kind"])] = (row["n"], int(row["total"] or 0))
    months = [date(year, m, 1) for m in ([month] if month else range(1, 13))]
    kinds = list(BenefitKind)
    by_month = []
    for first in months:
        lines = tuple(
            Line(kind.value, str(kind.label), *cells.get((first, kind.value), (0, 0))) for kind in kinds
        )
        by_month.append(
            PaymentMonth(
                first,
                lines,
                Line("total", _("Total"), sum(x.count for x in lines), sum(x.amount or 0 for x in lines)),
            )
        )
    by_kind = tuple(
        Line(
            kind.value,
            str(kind.label),
            sum(m.kinds[i].count for m in by_month),
            sum(m.kinds[i].amount or 0 for m in by_month),
        )
        for i, kind in enumerate(kinds)
    )
    total = Line("total", _("Total"), sum(k.count for k in by_kind), sum(k.amount or 0 for k in by_kind))
    provinces = tuple(
        ProvinceLine(
            row["province_id"],
            row["province__code"],
            str(Province(name=row["province__name"], name_en=row["province__name_en"])),
            row["n"],
            int(row["total"] or 0),
        )
        for row in in_period.values("province_id", "province__code", "province__name", "province__name_en")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by("province__name")
    )
    return tuple(by_month), by_kind, total, provinces


def _pensions(grant: Grant, month: date) -> tuple[tuple[Line, ...], Line]:
    """Pensions being paid, by the arrangement in force in `month` (the latest one starting by then)."""
    in_force = PensionArrangement.objects.filter(pension=OuterRef("pk"), valid_from__lte=month).order_by(
        "-valid_from", "-id"
    )
    rows = (
        Pension.objects.filter(_residence_q(grant, "person"), status=PensionStatus.ACTIVE)
        .annotate(method=Subquery(in_force.values("method")[:1]))
        .values("method")
        .annotate(n=Count("pk"), total=Sum("monthly_amount"))
        .order_by()
    )
    found = {row["method"] or NO_ARRANGEMENT: (row["n"], int(row["total"] or 0)) for row in rows}
    labels = [(m.value, str(m.label)) for m in PaymentMethod] + [(NO_ARRANGEMENT, str(NO_ARRANGEMENT_LABEL))]
    lines = tuple(Line(key, label, *found.get(key, (0, 0))) for key, label in labels)
    total = Line("total", _("Total"), sum(x.count for x in lines), sum(x.amount or 0 for x in lines))
    return lines, total


def welfare_figures_for(
    actor: Any,
    *,
    year: int | str,
    month: int | str | None = None,
    province_id: int | str | None = None,
    today: date | None = None,
) -> WelfareFigures:
    """The figures of the actor's scope (narrowed to one of its provinces with `province_id`). Refused
    (403) without `welfare_statistics.read`; a year, month or province out of range is a validation error
    naming the field."""
    grant = statistics_grant(actor)
    scope = figures_scope(grant)
    # A page passes the query string's text: checked and turned into numbers here, field by field.
    year_n, month_n, province = _checked(scope, year, month, province_id)
    if province is not None:
        grant = Grant(province_ids={province.pk})
    today = today or timezone.localdate()
    amounts_month = amounts_month_for(year_n, month_n, today)

    allowances = SocialAllowance.objects.filter(scope_q(grant, province="province_id", org_path="org_path"))
    by_status, by_group, allowances_total = _allowance_figures(allowances, amounts_month)

    waiting = AllowanceChange.objects.filter(
        scope_q(grant, province="allowance__province_id", org_path="org_path"), status=ChangeStatus.REPORTED
    ).aggregate(n=Count("pk"), oldest=Min("reported_at"))

    where_paid = scope_q(grant, province="province_id", org_path="org_path")
    if not grant.nation:
        where_paid |= Q(kind=BenefitKind.SOCIAL_ALLOWANCE, benefit_id__in=allowances.values("pk"))
    by_month, by_kind, payments_total, by_province = _payments(
        BenefitPayment.objects.filter(where_paid), year_n, month_n
    )

    card_counts = dict.fromkeys(CardStatus.values, 0)
    for row in (
        SocialSecurityCard.objects.filter(_residence_q(grant, "person"))
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        card_counts[row["status"]] = row["n"]
    cards = tuple(Line(s.value, str(s.label), card_counts[s.value]) for s in CardStatus)

    medicine = medicine_selectors.figures_for(actor, province_id=province.pk if province else None)
    medicine_lines = tuple(
        Line(s.value, str(s.label), medicine.by_status.get(s.value, 0)) for s in MedicineStatus
    )
    pensions, pensions_total = _pensions(grant, amounts_month)

    return WelfareFigures(
        year=year_n,
        month=month_n,
        amounts_month=amounts_month,
        province=province,
        scope=scope,
        generated_at=timezone.now(),
        allowances_by_status=by_status,
        allowances_by_group=by_group,
        allowances_total=allowances_total,
        changes_waiting=int(waiting["n"] or 0),
        oldest_change_waiting=waiting["oldest"],
        payments_by_month=by_month,
        payments_by_kind=by_kind,
        payments_total=payments_total,
        payments_by_province=by_province,
        cards=cards,
        medicine=medicine,
        medicine_by_status=medicine_lines,
        pensions_by_method=pensions,
        pensions_total=pensions_total,
    )
