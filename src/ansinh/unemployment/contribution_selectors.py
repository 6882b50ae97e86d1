"""Reads of the contribution record the social-insurance agency sends: the new jobs its data show for a
benefit being paid ("termination by the data").

A contribution month received for a person whose benefit is being paid or is suspended, for a month after
the job the benefit follows from ended and not before the month the benefit began (nor after it ends), is
a new job reported by an employer: nobody pays contributions for a month without a job (an employee
contributes for a month in which they worked). Nothing is terminated automatically: the centre sees it on
the claim (`new_jobs_reported`) or in its list (`claims_with_new_job_for`), checks, and terminates with the
ground `new_job` (`services.terminations.claim_terminate`).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Case, DateField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ansinh.unemployment import permissions as perms
from ansinh.unemployment import rules, selectors
from ansinh.unemployment.models import BenefitClaim, ClaimStatus, ContributionMonth

# The benefits a new job can still end (Law 74/2025 Art 41.4): being paid or suspended. A benefit moving to
# another province shows it once the receiving centre has received it.
NEW_JOB_STATUSES = (ClaimStatus.PAYING, ClaimStatus.SUSPENDED)


@dataclass(frozen=True)
class NewJobReport:
    """One employer's months in the data since the benefit began: "New job reported by the social-insurance
    data: <employer_name>, from <from_month>". `suggested_on` is the day to offer for the termination (the
    first day of that month, not before the benefit began, not after today); the centre checks it."""

    employer_name: str
    from_month: date
    to_month: date
    months: int
    received_at: datetime
    suggested_on: date


def new_job_months(claim: BenefitClaim) -> QuerySet[ContributionMonth]:
    """The contribution months that show a new job for `claim` (none unless it is paying or suspended)."""
    if claim.status not in NEW_JOB_STATUSES:
        return ContributionMonth.objects.none()
    first = max(rules.month_of(claim.start_date), rules.add_months(rules.month_of(claim.termination_date), 1))
    return ContributionMonth.objects.filter(
        person_id=claim.person_id, month__gte=first, month__lte=claim.end_date
    )


def new_jobs_reported(claim: BenefitClaim, *, today: date | None = None) -> list[NewJobReport]:
    """The new jobs the data show for `claim`, one per employer, earliest first. The caller has the claim
    from a scoped read (`selectors.claim_get_for_staff`); one query on the (person, month) index."""
    today = today or timezone.localdate()
    rows = new_job_months(claim).order_by("month", "pk").values_list("employer_name", "month", "received_at")
    found: dict[str, list[Any]] = {}
    for employer, month, received_at in rows:
        entry = found.get(employer)
        if entry is None:
            found[employer] = [month, month, 1, received_at]
        else:
            entry[1] = month
            entry[2] += 1
            entry[3] = max(entry[3], received_at)
    return [
        NewJobReport(
            employer_name=employer,
            from_month=first,
            to_month=last,
            months=count,
            received_at=received_at,
            suggested_on=min(max(first, claim.start_date), today),
        )
        for employer, (first, last, count, received_at) in found.items()
    ]


def _month_of_outer(field: str) -> TruncMonth:
    # The outer claim's date, typed, so that it can be truncated inside the subquery.
    return TruncMonth(ExpressionWrapper(OuterRef(field), output_field=DateField()), output_field=DateField())


def with_new_job_reported(claims: QuerySet[BenefitClaim]) -> QuerySet[BenefitClaim]:
    """`claims` annotated with `new_job_from`: the first month the data show a new job (see the module's
    docstring), or None. One correlated subquery on the (person, month) index per claim."""
    months = ContributionMonth.objects.filter(
        person_id=OuterRef("person_id"),
        month__gte=_month_of_outer("start_date"),
        month__gt=_month_of_outer("termination_date"),
        month__lte=OuterRef("end_date"),
    ).order_by("month")
    return claims.annotate(
        new_job_from=Case(
            When(status__in=NEW_JOB_STATUSES, then=Subquery(months.values("month")[:1])),
            default=Value(None),
            output_field=DateField(),
        )
    )


def claims_with_new_job_for(actor: Any, permission: str = perms.CLAIM_READ) -> QuerySet[BenefitClaim]:
    """The centre's work list: the benefits in the actor's scope being paid or suspended whose person has a
    new job in the data, newest claim first (page by id)."""
    claims = selectors.claims_in_scope(actor, permission).filter(status__in=NEW_JOB_STATUSES)
    return (
        with_new_job_reported(claims)
        .filter(Q(new_job_from__isnull=False))
        .select_related("person", "centre")
        .order_by("-pk")
    )
