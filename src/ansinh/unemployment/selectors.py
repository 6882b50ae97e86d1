"""Reads of the unemployment app: the wage tables in force, the estimate any visitor can ask for, and the
benefits being paid, scoped to who asks."""

import threading
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from ansinh.accounts.models import Organisation, OrganisationKind
from ansinh.accounts.selectors import grant_for
from ansinh.core import workdays
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.core.reference_models import LegalParameter
from ansinh.dossiers.models import DocumentKindChoice, IssuedDocument
from ansinh.geo.models import Province
from ansinh.unemployment import permissions as perms
from ansinh.unemployment import rules
from ansinh.unemployment.models import (
    OPEN_CLAIM_STATUSES,
    BenefitClaim,
    BenefitMonth,
    ClaimStatus,
    ContributionMonth,
    MonthStatus,
    ProvinceDelegation,
)

_WAGE_CODES = ("min_wage_month", "base_salary")
_lock = threading.Lock()
_cached: tuple[tuple[object, ...], rules.WageTable] | None = None


def _signature() -> tuple[object, ...]:
    agg = LegalParameter.objects.filter(code__in=_WAGE_CODES).aggregate(
        n=Count("id"), top=Max("id"), total=Sum("value")
    )
    return (agg["n"], agg["top"], agg["total"])


def wage_table() -> rules.WageTable:
    """The legal wages as a `WageTable`, kept per process; one small query checks that no row changed
    (a new decree is a data change that every process sees on its next estimate)."""
    global _cached
    signature = _signature()
    with _lock:
        if _cached is not None and _cached[0] == signature:
            return _cached[1]
    rows = LegalParameter.objects.filter(code__in=_WAGE_CODES).values(
        "code", "region", "valid_from", "valid_to", "value", "source", "source_status"
    )
    table = rules.WageTable(_with_status(dict(row)) for row in rows)
    with _lock:
        _cached = (signature, table)
    return table


def _with_status(row: dict[str, object]) -> dict[str, object]:
    # A value read only in a secondary source is used, and the explanation says so (domain README legend).
    if row["source_status"] != "P":
        row = {**row, "source": f"{row['source']} [{row['source_status']}]"}
    return row


def benefit_estimate(claim: rules.Claim, *, today: date) -> rules.Estimate:
    """The estimate for `claim`; bad input is `ValidationFailed` naming the field."""
    try:
        return rules.estimate(claim, wage_table(), workdays.add_working_days, today)
    except rules.InvalidClaim as exc:
        raise ValidationFailed.single(exc.field, exc.message) from exc


# --- claims -------------------------------------------------------------------------------------------------


def claims_in_scope(actor: Any, permission: str = perms.CLAIM_READ) -> QuerySet[BenefitClaim]:
    """Benefits managed by the centres the actor's grant covers (the province, or the centre's subtree).
    A claim moving to another province is also seen by the destination, which must receive it."""
    grant = grant_for(actor, permission)
    if grant.nation:
        return BenefitClaim.objects.all()
    where = Q(pk__in=[])
    if grant.province_ids:
        where |= Q(province_id__in=grant.province_ids)
        where |= Q(transfer_to__province_id__in=grant.province_ids, status=ClaimStatus.TRANSFERRING)
    for path in grant.org_paths:
        where |= Q(org_path__startswith=path)
        where |= Q(transfer_to__path__startswith=path, status=ClaimStatus.TRANSFERRING)
    return BenefitClaim.objects.filter(where)


def claim_get_for_staff(actor: Any, claim_id: int, permission: str = perms.CLAIM_READ) -> BenefitClaim:
    claim = (
        claims_in_scope(actor, permission)
        .select_related("person", "centre", "province", "dossier", "transfer_to")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise NotFound()
    return claim


def claims_of_person(person_id: int | None) -> QuerySet[BenefitClaim]:
    if person_id is None:
        return BenefitClaim.objects.none()
    return BenefitClaim.objects.filter(person_id=person_id).select_related("centre", "dossier")


def current_claim_of(person_id: int | None) -> BenefitClaim | None:
    return claims_of_person(person_id).filter(status__in=OPEN_CLAIM_STATUSES).order_by("-decided_on").first()


def contributions_of(person_id: int) -> list[rules.Contribution]:
    rows = ContributionMonth.objects.filter(person_id=person_id).order_by("month")
    return [rules.Contribution(r.month, int(r.wage), r.region) for r in rows]


def state_pay_scale(person_id: int) -> bool:
    """Whether the most recent contribution month was on the State pay scale (caps by base salary)."""
    last = ContributionMonth.objects.filter(person_id=person_id).order_by("-month").first()
    return bool(last and last.state_pay_scale)


def previous_claim_of(person_id: int, before: date) -> rules.PreviousClaim | None:
    """The latest closed benefit before `before` that left months reserved."""
    claim = (
        BenefitClaim.objects.filter(person_id=person_id, termination_date__lt=before)
        .exclude(status__in=OPEN_CLAIM_STATUSES)
        .order_by("-termination_date")
        .first()
    )
    if claim is None:
        return None
    return rules.PreviousClaim(claim.termination_date, claim.reserved_months)


def month_open_on(claim: BenefitClaim, day: date) -> BenefitMonth | None:
    """The month whose notification window contains `day`."""
    return claim.months.filter(notify_from__lte=day, notify_until__gte=day).first()


def month_running_on(claim: BenefitClaim, day: date) -> BenefitMonth | None:
    return claim.months.filter(start__lte=day, end__gte=day).first()


def next_window(claim: BenefitClaim, day: date) -> BenefitMonth | None:
    return claim.months.filter(status=MonthStatus.WAITING, notify_until__gte=day).order_by("number").first()


def decider_kind(province_id: int | None) -> str:
    """The kind of body that decides benefit claims in the province (seed 003: the province delegates)."""
    delegation = (
        ProvinceDelegation.objects.filter(province_id=province_id).first()
        if province_id is not None
        else None
    )
    if delegation is not None and delegation.decider == ProvinceDelegation.Decider.CENTRE:
        return OrganisationKind.EMPLOYMENT_CENTRE
    return OrganisationKind.PROVINCIAL_DEPARTMENT


def decision_papers(claim: BenefitClaim) -> QuerySet[IssuedDocument]:
    """The signed decisions on the claim, newest first: the benefit decision and those that followed."""
    return IssuedDocument.objects.filter(
        dossier_id=claim.dossier_id,
        kind__in=[DocumentKindChoice.APPROVAL, DocumentKindChoice.CASE_DECISION],
        revoked_at__isnull=True,
    ).order_by("-issued_at", "-id")


def benefit_decider(claim: BenefitClaim) -> Organisation:
    """Who decides on the claim now: the managing centre where the province delegated the decisions,
    otherwise the province's department (a transferred claim is decided in its new province)."""
    if decider_kind(claim.province_id) == OrganisationKind.EMPLOYMENT_CENTRE:
        return claim.centre
    department = (
        Organisation.objects.filter(
            kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province_id=claim.province_id, is_active=True
        )
        .order_by("path")
        .first()
    )
    return department or claim.centre


def centre_of_province(province_id: int) -> Organisation | None:
    """The province's public employment service centre (the first one, when a province has several)."""
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.EMPLOYMENT_CENTRE, province_id=province_id, is_active=True
        )
        .order_by("path")
        .first()
    )


def grant_covers_centre(actor: Any, centre: Organisation, permission: str = perms.CLAIM_HANDLE) -> bool:
    grant = grant_for(actor, permission)
    return (
        grant.nation
        or (centre.province_id is not None and centre.province_id in grant.province_ids)
        or any(centre.path.startswith(path) for path in grant.org_paths)
    )


def claims_page(
    actor: Any, *, status: str = "", search: str = "", before: int | None = None, size: int = 50
) -> list[BenefitClaim]:
    """One page of the claims in scope, newest first (keyset on id: every page costs what the first does).
    `search` is an exact decision number or personal ID number: the centre finds a claimant by the paper
    or card in hand, never by browsing names."""
    qs = claims_filtered(actor, status=status, search=search)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return list(qs.order_by("-pk")[:size])


def claims_filtered(actor: Any, *, status: str = "", search: str = "") -> QuerySet[BenefitClaim]:
    qs = claims_in_scope(actor).select_related("person", "centre", "transfer_to")
    if status:
        qs = qs.filter(status=status)
    search = search.strip()
    if search:
        qs = qs.filter(Q(decision_number=search) | Q(person__personal_id=search))
    return qs


def incoming_transfers(actor: Any) -> QuerySet[BenefitClaim]:
    """Claims moving to a centre the actor handles, waiting to be received."""
    grant = grant_for(actor, perms.CLAIM_HANDLE)
    qs = BenefitClaim.objects.filter(status=ClaimStatus.TRANSFERRING).select_related(
        "person", "centre", "transfer_to"
    )
    if grant.nation:
        return qs
    where = Q(pk__in=[])
    if grant.province_ids:
        where |= Q(transfer_to__province_id__in=grant.province_ids)
    for path in grant.org_paths:
        where |= Q(transfer_to__path__startswith=path)
    return qs.filter(where)


def own_estimate(person_id: int, termination_date: date, *, today: date) -> rules.Estimate:
    """The eligibility check a claimant runs on their own contribution record before filing."""
    claim = rules.Claim(
        termination_date=termination_date,
        contributions=contributions_of(person_id),
        pay_regime=rules.STATE if state_pay_scale(person_id) else rules.EMPLOYER,
        decided_on=today,
        filed_on=today,
        previous_claim=previous_claim_of(person_id, termination_date),
    )
    return benefit_estimate(claim, today=today)


def provinces_to_delegate(actor: Any) -> list[Province]:
    """The provinces whose deciding body the actor may set, with their current setting."""
    grant = grant_for(actor, perms.DELEGATION_MANAGE)
    provinces = Province.objects.order_by("code")
    if not grant.nation:
        provinces = provinces.filter(pk__in=grant.province_ids)
    return list(provinces)


def delegations_by_province(province_ids: list[int]) -> dict[int, ProvinceDelegation]:
    return {d.province_id: d for d in ProvinceDelegation.objects.filter(province_id__in=province_ids)}


def next_step(claim: BenefitClaim, today: date) -> dict[str, Any]:
    """What the claimant has to do now, in one sentence, and whether the notification form is shown."""
    if claim.status == ClaimStatus.SUSPENDED:
        return {"kind": "suspended", "form": True}
    if claim.status == ClaimStatus.TRANSFERRING:
        return {"kind": "transferring", "centre": claim.transfer_to}
    if not claim.is_open:
        return {"kind": "closed"}
    month = month_open_on(claim, today)
    if month is not None and month.status == MonthStatus.WAITING:
        return {"kind": "notify_now", "month": month, "form": True}
    upcoming = next_window(claim, today)
    if upcoming is not None:
        return {"kind": "wait", "month": upcoming}
    return {"kind": "last_month"}
