"""Reads of the monthly social allowance, scoped to who asks: the person's own, the commune's (by the
organisation path of the deciding commune), the province's; and the public rules in force."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from ansinh.accounts.selectors import grant_for, scope_q
from ansinh.core.errors import NotFound
from ansinh.dossiers.models import DocumentKindChoice, IssuedDocument
from ansinh.welfare import allowance_rules as rules
from ansinh.welfare.models import (
    AllowanceChange,
    AllowanceStatus,
    BenefitKind,
    BenefitPayment,
    ChangeStatus,
    SocialAllowance,
)
from ansinh.welfare.permissions import ALLOWANCE_MANAGE
from ansinh.welfare.procedures import BANK, SERVICE_POINT

# --- allowances ---------------------------------------------------------------------------------------------


def allowances_in_scope(actor: Any, permission: str = ALLOWANCE_MANAGE) -> QuerySet[SocialAllowance]:
    """Allowances decided by the communes the actor's grant covers (its commune, or the whole province)."""
    grant = grant_for(actor, permission)
    return SocialAllowance.objects.filter(scope_q(grant, province="province_id", org_path="org_path"))


def allowances_filtered(actor: Any, *, status: str = "", search: str = "") -> QuerySet[SocialAllowance]:
    """The commune's list: newest first; `search` is an exact personal ID number (never a name)."""
    rows = allowances_in_scope(actor).select_related("person", "commune").prefetch_related("changes")
    if status in AllowanceStatus.values:
        rows = rows.filter(status=status)
    if search:
        rows = rows.filter(person__personal_id=search.strip())
    return rows.order_by("-decided_at", "-pk")


def my_allowances(actor: Any) -> QuerySet[SocialAllowance]:
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return SocialAllowance.objects.none()
    return (
        SocialAllowance.objects.filter(person_id=person_id)
        .select_related("commune", "dossier")
        .prefetch_related("changes")
    )


def my_current_allowance(actor: Any) -> SocialAllowance | None:
    """The allowance being paid or suspended, else the latest ended one."""
    rows = list(my_allowances(actor).order_by("-starts_on", "-pk")[:5])
    live = [a for a in rows if a.status != AllowanceStatus.ENDED]
    found = live or rows
    return found[0] if found else None


def allowance_get_for(actor: Any, allowance_id: int) -> tuple[SocialAllowance, bool]:
    """An allowance the actor may read, and whether they read it as staff (then the read is audited by
    the caller). Own first; otherwise within the manage scope."""
    own = my_allowances(actor).filter(pk=allowance_id).first()
    if own is not None:
        return own, False
    staff = allowances_in_scope(actor).select_related("person", "commune", "dossier").filter(pk=allowance_id)
    found = staff.first()
    if found is None:
        raise NotFound()
    return found, True


def decision_document(allowance: SocialAllowance) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.filter(dossier_id=allowance.dossier_id, kind=DocumentKindChoice.APPROVAL)
        .order_by("-issued_at")
        .first()
    )


def last_paid_month(allowance: SocialAllowance) -> date | None:
    return BenefitPayment.objects.filter(
        kind=BenefitKind.SOCIAL_ALLOWANCE, benefit_id=allowance.pk
    ).aggregate(last=Max("period"))["last"]


# --- the payment schedule -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleMonth:
    month: date
    amount: int
    paid: bool
    paid_at: datetime | None = None
    paid_amount: int | None = None
    service_point: str = ""
    receipt_number: str = ""


def coefficient_steps(allowance: SocialAllowance) -> list[tuple[date, Decimal]]:
    """(from month, coefficient): the decision's coefficient, then each accepted change of group from its
    month. Reads `allowance.changes.all()`, so a caller that prefetched the changes pays no query."""
    accepted = sorted(
        (c for c in allowance.changes.all() if c.status == ChangeStatus.ACCEPTED),
        key=lambda c: (c.handled_at or c.reported_at, c.pk),
    )
    first = allowance.coefficient
    steps: list[tuple[date, Decimal]] = []
    for change in accepted:
        effect = change.effect or {}
        if "coefficient" in effect and "from" in effect:
            if not steps:
                first = Decimal(effect["coefficient"][0])
            steps.append((date.fromisoformat(effect["from"]), Decimal(effect["coefficient"][1])))
    return [(allowance.starts_on, first), *steps]


def amount_in_month(allowance: SocialAllowance, month: date) -> int:
    """What the allowance pays in `month`: the base level of that month × the coefficient of that month."""
    return rules.amount_in_month(rules.coefficient_in_month(coefficient_steps(allowance), month), month)


def allowance_schedule(allowance: SocialAllowance, until: date) -> list[ScheduleMonth]:
    """Every month the allowance pays up to `until`'s month, newest first, with the payment where one was
    recorded against the social-security card."""
    months = rules.allowance_months(allowance.starts_on, allowance.ends_on, until)
    payments = {
        p.period: p
        for p in BenefitPayment.objects.filter(
            kind=BenefitKind.SOCIAL_ALLOWANCE, benefit_id=allowance.pk
        ).select_related("service_point")
    }
    steps = coefficient_steps(allowance)
    schedule = []
    for month in reversed(months):
        payment = payments.get(month)
        schedule.append(
            ScheduleMonth(
                month=month,
                amount=rules.amount_in_month(rules.coefficient_in_month(steps, month), month),
                paid=payment is not None,
                paid_at=payment.recorded_at if payment else None,
                paid_amount=payment.amount if payment else None,
                service_point=payment.service_point.display_name if payment else "",
                receipt_number=payment.receipt_number if payment else "",
            )
        )
    return schedule


def allowance_month_now(allowance: SocialAllowance, today: date) -> date:
    """The month whose amount the pages show: this month, within the months the allowance pays."""
    month = max(rules.month_start(today), allowance.starts_on)
    if allowance.ends_on is not None:
        month = min(month, rules.month_start(allowance.ends_on))
    return month


def allowance_explanation(allowance: SocialAllowance, today: date) -> rules.AllowanceAmount | None:
    """The rules' explanation of this month's amount; None when the rules no longer give the coefficient
    being paid (a group closed since, an age band passed: the page then shows the stored figures only)."""
    since = allowance_month_now(allowance, today)
    birth = allowance.person.date_of_birth
    codes = rules.group_codes(allowance.group)
    # A single parent's coefficient is 1 for each child raised (Art 6.1.d).
    children = max(1, int(allowance.coefficient)) if codes == [rules.SINGLE_PARENT] else 1
    try:
        result = rules.highest_allowance(codes, birth, since, children=children)
    except rules.NotApplicable:
        return None
    return result if result.coefficient == allowance.coefficient else None


# --- changes of circumstances -------------------------------------------------------------------------------


def my_changes(actor: Any) -> QuerySet[AllowanceChange]:
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return AllowanceChange.objects.none()
    return AllowanceChange.objects.filter(allowance__person_id=person_id).select_related("allowance")


def changes_in_scope(actor: Any) -> QuerySet[AllowanceChange]:
    grant = grant_for(actor, ALLOWANCE_MANAGE)
    return AllowanceChange.objects.filter(
        scope_q(grant, province="allowance__province_id", org_path="org_path")
    ).select_related("allowance", "allowance__person")


def change_queue(actor: Any, *, status: str = ChangeStatus.REPORTED) -> QuerySet[AllowanceChange]:
    """The commune's reports, oldest first (the queue is worked from the oldest)."""
    rows = changes_in_scope(actor)
    if status in ChangeStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("reported_at", "pk")


# --- the rules in force (public) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BandRow:
    ages: str
    coefficient: str
    amount: int
    point: str


def rules_in_force(day: date) -> dict[str, Any]:
    """The base level and the groups with their amounts on `day`, for the public page and API."""
    base = rules.base_level_on(day)
    coefficients_confirmed = day <= rules.COEFFICIENTS_CONFIRMED_UNTIL
    groups = []
    for group in rules.groups_in_force(day):
        bands = [
            {
                "min_age": band.min_age,
                "below_age": band.below_age,
                "coefficient": band.coefficient,
                "amount": int(base.amount * band.coefficient),
                "article": f"{rules.DECREE_20} {band.point}",
                "age_source": band.age_source,
            }
            for band in group.bands
        ]
        groups.append(
            {
                "code": group.code,
                "name": group.name,
                "name_vi": group.name_vi,
                "name_en": str(group.name_en),
                "article": f"{rules.DECREE_20} {group.article}",
                "age_rule": str(group.age_rule),
                "per_child": group.per_child,
                "confirmed": group.confirmed and coefficients_confirmed,
                "bands": bands,
            }
        )
    return {
        "on": day,
        "base_level": base.amount,
        "base_level_from": base.valid_from,
        "base_level_source": base.source,
        "base_level_confirmed": base.confirmed,
        "coefficients_confirmed": coefficients_confirmed,
        "history": [
            {"valid_from": b.valid_from, "amount": b.amount, "source": b.source, "confirmed": b.confirmed}
            for b in rules.BASE_LEVELS
        ],
        "groups": groups,
        "processing_days": rules.PROCESSING_WORKING_DAYS,
        "processing_source": rules.PROCESSING_SOURCE,
    }


# --- allowances not collected (Circular 02/2021/TT-BLĐTBXH Art 2.3.a) ---------------------------------------


@dataclass(frozen=True)
class UncollectedAllowance:
    allowance: SocialAllowance
    unpaid_months: list[date]  # the complete months not collected in a row, oldest first
    consecutive_months: int


def uncollected_allowances(
    actor: Any, today: date, *, allowance_id: int | None = None
) -> list[UncollectedAllowance]:
    """Allowances in the actor's scope, being paid in cash at a service point, not collected in any of the
    last `SUSPEND_AFTER_UNCOLLECTED_MONTHS` complete months: the commune chairman may suspend them. The
    longest run first. Two queries whatever the number: the candidates (with the day each last switched
    from a bank transfer to cash, since bank months leave no payment here), then their last month collected
    before this month. `allowance_id` asks about that one allowance only."""
    this_month = rules.month_start(today)
    window_start = this_month
    for _ in range(rules.SUSPEND_AFTER_UNCOLLECTED_MONTHS):
        window_start = rules.previous_month(window_start)
    switched_to_cash = (
        AllowanceChange.objects.filter(
            allowance=OuterRef("pk"), status=ChangeStatus.ACCEPTED, effect__payment_method__0=BANK
        )
        .order_by("-handled_at")
        .values("handled_at")[:1]
    )
    rows = allowances_in_scope(actor).filter(
        status=AllowanceStatus.ACTIVE, payment_method=SERVICE_POINT, starts_on__lte=window_start
    )
    if allowance_id is not None:
        rows = rows.filter(pk=allowance_id)
    candidates = list(rows.select_related("person").annotate(switched_to_cash_at=Subquery(switched_to_cash)))
    if not candidates:
        return []
    last_collected = dict(
        BenefitPayment.objects.filter(
            kind=BenefitKind.SOCIAL_ALLOWANCE,
            benefit_id__in=[a.pk for a in candidates],
            period__lt=this_month,
        )
        .values("benefit_id")
        .annotate(last=Max("period"))
        .values_list("benefit_id", "last")
    )
    found = []
    for allowance in candidates:
        switched_at = allowance.switched_to_cash_at
        # A switch during a month may come after that month's transfer: cash counts from the month after.
        cash_from = (
            rules.next_month(rules.month_start(timezone.localdate(switched_at))) if switched_at else None
        )
        months = rules.uncollected_months(
            allowance.starts_on,
            allowance.ends_on,
            last_collected=last_collected.get(allowance.pk),
            collectable_from=cash_from,
            today=today,
        )
        if rules.suspension_due(months):
            found.append(UncollectedAllowance(allowance, months, len(months)))
    found.sort(key=lambda u: (-u.consecutive_months, u.allowance.person.full_name, u.allowance.pk))
    return found
