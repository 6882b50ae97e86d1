"""The monthly social allowance through the API: the rules in force and an estimate (public), the
person's own allowances with their schedule and change reports, and the commune's acts. The same
services and selectors as the pages."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from ansinh.accounts.selectors import require_permission
from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.core import audit
from ansinh.core.errors import ValidationFailed
from ansinh.welfare import allowance_rules as rules
from ansinh.welfare import allowance_selectors as selectors
from ansinh.welfare.allowance_schemas import (
    AllowanceAmountOut,
    AllowanceChangeAcceptIn,
    AllowanceChangeIn,
    AllowanceChangeOut,
    AllowanceChangeRejectIn,
    AllowanceDetailOut,
    AllowanceEndIn,
    AllowanceEstimateIn,
    AllowanceOut,
    AllowanceReasonIn,
    AllowanceRulesOut,
    AllowanceUncollectedOut,
)
from ansinh.welfare.models import AllowanceChange, SocialAllowance
from ansinh.welfare.permissions import ALLOWANCE_MANAGE
from ansinh.welfare.services import allowance_changes, allowances

router = Router(tags=["welfare"])
# Bounded query parameters (every operation is fuzzed).
ON_DAY = Query(None, ge=date(2021, 7, 1), le=date(2100, 12, 31))
STATUS = Query("", max_length=12)
QUEUE_STATUS = Query("reported", max_length=12)
ID_NUMBER = Query("", max_length=20)


def group_name(code: str) -> str:
    return " + ".join(
        rules.GROUPS_BY_CODE[c].name if c in rules.GROUPS_BY_CODE else c for c in rules.group_codes(code)
    )


def allowance_row(allowance: SocialAllowance) -> dict[str, Any]:
    return {
        "id": allowance.pk,
        "person_id": allowance.person_id,
        "person_name": allowance.person.full_name,
        "dossier_id": allowance.dossier_id,
        "group": allowance.group,
        "group_name": group_name(allowance.group),
        "coefficient": allowance.coefficient,
        "base_level": allowance.base_level,
        # This month's amount: the base level in force now × the coefficient (the decided amount is in the
        # decision; a new base level applies without a new decision).
        "monthly_amount": selectors.amount_in_month(
            allowance, selectors.allowance_month_now(allowance, timezone.localdate())
        ),
        "starts_on": allowance.starts_on,
        "ends_on": allowance.ends_on,
        "status": allowance.status,
        "payment_method": allowance.payment_method,
        "commune_id": allowance.commune_id,
        "commune_name": allowance.commune.display_name,
        "decided_at": allowance.decided_at,
        "end_reason": allowance.end_reason,
    }


def allowance_detail(allowance: SocialAllowance) -> dict[str, Any]:
    explained = selectors.allowance_explanation(allowance, timezone.localdate())
    document = selectors.decision_document(allowance)
    return {
        **allowance_row(allowance),
        "explanation": explained.explanation if explained else [],
        "explanation_confirmed": explained.confirmed if explained else None,
        "decision_short_code": document.short_code if document else None,
        "decision_url": reverse("dossiers:document", args=[allowance.dossier_id, document.pk])
        if document
        else None,
        "schedule": selectors.allowance_schedule(allowance, timezone.localdate()),
    }


class _Rows:
    """A queryset the paginator counts and slices, each row read into the API's shape."""

    def __init__(self, queryset: Any):
        self.queryset = queryset

    def count(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [allowance_row(a) for a in self.queryset[page]]


# --- public -------------------------------------------------------------------------------------------------


@router.get(
    "/allowances/rules",
    auth=None,
    response=AllowanceRulesOut,
    summary="The monthly social allowance in force: base level, groups, coefficients, legal sources",
)
def allowance_rules_in_force(request: HttpRequest, on: date | None = ON_DAY) -> dict[str, Any]:
    return selectors.rules_in_force(on or timezone.localdate())


@router.post(
    "/allowances/estimate",
    auth=None,
    response=AllowanceAmountOut,
    summary="What would I get (no login): the highest amount among the groups given, explained",
)
def allowance_estimate(request: HttpRequest, payload: AllowanceEstimateIn) -> rules.AllowanceAmount:
    try:
        return rules.highest_allowance(
            payload.groups, payload.birth_date, payload.on or timezone.localdate(), children=payload.children
        )
    except rules.NotApplicable as exc:
        raise ValidationFailed.single(exc.field, exc.message) from exc


# --- the beneficiary ----------------------------------------------------------------------------------------


@router.get("/allowances/mine", response=list[AllowanceDetailOut], summary="My allowances, with the schedule")
def my_allowances(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    return [allowance_detail(a) for a in selectors.my_allowances(user).select_related("person")]


@router.get("/allowances/changes/mine", response=list[AllowanceChangeOut], summary="My change reports")
@paginate(PageNumber)
def my_changes(request: HttpRequest) -> Any:
    return selectors.my_changes(current_user(request)).order_by("-reported_at", "-pk")


@router.post(
    "/allowances/{allowance_id}/changes",
    response={201: AllowanceChangeOut},
    summary="Report a change of circumstances on my allowance",
)
def change_report(
    request: HttpRequest, allowance_id: int, payload: AllowanceChangeIn
) -> Status[AllowanceChange]:
    change = allowance_changes.change_report(
        actor=current_user(request), allowance_id=allowance_id, **payload.model_dump()
    )
    return Status(201, change)


# --- the commune --------------------------------------------------------------------------------------------


def _manager(request: HttpRequest) -> Any:
    user = current_user(request)
    require_permission(user, ALLOWANCE_MANAGE)
    return user


@router.get("/allowances", response=list[AllowanceOut], summary="Allowances of the communes in scope")
@paginate(PageNumber)
def allowance_list(request: HttpRequest, status: str = STATUS, q: str = ID_NUMBER) -> Any:
    """Newest first; `q` is an exact personal ID number (never a name)."""
    return _Rows(selectors.allowances_filtered(_manager(request), status=status, search=q))


@router.get("/allowances/changes", response=list[AllowanceChangeOut], summary="The commune's change reports")
@paginate(PageNumber)
def change_list(request: HttpRequest, status: str = QUEUE_STATUS) -> Any:
    """Oldest first; `status` is reported (the queue), accepted, rejected, or empty for all."""
    return selectors.change_queue(_manager(request), status=status)


class _Uncollected:
    """The allowances not collected, each read into the API's shape (the paginator counts and slices)."""

    def __init__(self, rows: list[selectors.UncollectedAllowance]):
        self.rows = rows

    def count(self) -> int:
        return len(self.rows)

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [
            {
                "id": row.allowance.pk,
                "person_id": row.allowance.person_id,
                "person_name": row.allowance.person.full_name,
                "commune_id": row.allowance.commune_id,
                "starts_on": row.allowance.starts_on,
                "unpaid_months": row.unpaid_months,
                "consecutive_months": row.consecutive_months,
                "legal_basis": rules.UNCOLLECTED_SOURCE,
                "suggested_reason": rules.UNCOLLECTED_REASON,
            }
            for row in self.rows[page]
        ]


# Declared before "/allowances/{allowance_id}" so the path is never read as an allowance id.
@router.get(
    "/allowances/uncollected",
    response=list[AllowanceUncollectedOut],
    summary="Allowances not collected for 3 months or more (the commune may suspend them)",
)
@paginate(PageNumber)
def allowance_uncollected(request: HttpRequest) -> Any:
    """Paid in cash at a service point and not collected in any of the last 3 complete months (Circular
    02/2021/TT-BLĐTBXH Art 2.3.a); the longest run first. Suspending is the commune's decision:
    `POST /allowances/{id}/suspend` with `suggested_reason`."""
    return _Uncollected(selectors.uncollected_allowances(_manager(request), timezone.localdate()))


@router.get(
    "/allowances/{allowance_id}", response=AllowanceDetailOut, summary="One allowance (own or in scope)"
)
def allowance_get(request: HttpRequest, allowance_id: int) -> dict[str, Any]:
    user = current_user(request)
    allowance, as_staff = selectors.allowance_get_for(user, allowance_id)
    if as_staff:
        audit.record_read(actor=user, obj=allowance, reason="welfare.allowance")
    return allowance_detail(allowance)


@router.post("/allowances/{allowance_id}/suspend", response=AllowanceOut, summary="Suspend an allowance")
def allowance_suspend(request: HttpRequest, allowance_id: int, payload: AllowanceReasonIn) -> dict[str, Any]:
    allowance = allowances.allowance_suspend(
        actor=_manager(request), allowance_id=allowance_id, reason=payload.reason
    )
    return allowance_row(allowance)


@router.post(
    "/allowances/{allowance_id}/resume", response=AllowanceOut, summary="Resume a suspended allowance"
)
def allowance_resume(request: HttpRequest, allowance_id: int, payload: AllowanceReasonIn) -> dict[str, Any]:
    allowance = allowances.allowance_resume(
        actor=_manager(request), allowance_id=allowance_id, reason=payload.reason
    )
    return allowance_row(allowance)


@router.post("/allowances/{allowance_id}/end", response=AllowanceOut, summary="End an allowance")
def allowance_end(request: HttpRequest, allowance_id: int, payload: AllowanceEndIn) -> dict[str, Any]:
    allowance = allowances.allowance_end(
        actor=_manager(request),
        allowance_id=allowance_id,
        reason=payload.reason,
        last_month=payload.last_month,
    )
    return allowance_row(allowance)


@router.post(
    "/allowances/changes/{change_id}/accept", response=AllowanceChangeOut, summary="Accept a change report"
)
def change_accept(request: HttpRequest, change_id: int, payload: AllowanceChangeAcceptIn) -> AllowanceChange:
    return allowance_changes.change_accept(
        actor=_manager(request), change_id=change_id, **payload.model_dump()
    )


@router.post(
    "/allowances/changes/{change_id}/reject", response=AllowanceChangeOut, summary="Reject a change report"
)
def change_reject(request: HttpRequest, change_id: int, payload: AllowanceChangeRejectIn) -> AllowanceChange:
    return allowance_changes.change_reject(
        actor=_manager(request), change_id=change_id, outcome=payload.outcome
    )
