"""The pensioner's pensions through the API: the arrangement in force, its history, the payment calendar,
and changing how and where the pension is paid. The same selectors and services as the pages."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status

from ansinh.api.auth import current_user
from ansinh.welfare import pension_calendar, pension_selectors
from ansinh.welfare.models import PaymentMethod, Pension, PensionArrangement, PensionStatus
from ansinh.welfare.pension_schemas import (
    PensionArrangementIn,
    PensionArrangementOut,
    PensionDetailOut,
    PensionOut,
    PensionServicePointOut,
)
from ansinh.welfare.services import pensions

router = Router(tags=["welfare"])

CALENDAR_MONTHS = 6


def _place(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "code": obj.code, "name": obj.name} if obj is not None else None


def arrangement_out(row: PensionArrangement | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "id": row.pk,
        "method": row.method,
        "method_label": str(PaymentMethod(row.method).label),
        "valid_from": row.valid_from,
        "province": _place(row.province),
        "bank_name": row.bank_name,
        "bank_account": row.bank_account,
        "account_holder": row.account_holder,
        "service_point": _place(row.service_point),
        "delivery_address": row.delivery_address,
        "delivery_reason": row.delivery_reason,
        "created_at": row.created_at,
        "acknowledged_at": row.acknowledged_at,
    }


def _pension(pension: Pension) -> dict[str, Any]:
    this_month = pension_calendar.month_start(timezone.localdate())
    return {
        "id": pension.pk,
        "social_insurance_code": pension.social_insurance_code,
        "pension_kind": pension.pension_kind,
        "pension_kind_label": pension_selectors.pension_kind_label(pension.pension_kind),
        "monthly_amount": pension.monthly_amount,
        "starts_on": pension.starts_on,
        "status": pension.status,
        "status_label": str(PensionStatus(pension.status).label),
        "province": _place(pension.province),
        "arrangement": arrangement_out(pension_selectors.arrangement_in_force(pension, this_month)),
        "next_arrangement": arrangement_out(pension_selectors.arrangement_next(pension, this_month)),
    }


def _detail(pension: Pension, count: int) -> dict[str, Any]:
    today = timezone.localdate()
    cash = list(pension_selectors.cash_payments_of(pension))
    paid = {payment.period for payment in cash}
    calendar = [
        {
            "period": month.period,
            "method": month.arrangement.method if month.arrangement else None,
            "opens": month.days.opens if month.days else None,
            "closes": month.days.closes if month.days else None,
            "fixed_points_until": month.days.fixed_points_until if month.days else None,
            "paid_at_service_point": month.period in paid,
        }
        for month in pension_selectors.payment_calendar(pension, pension_calendar.month_start(today), count)
    ]
    return {
        **_pension(pension),
        "history": [arrangement_out(row) for row in pension_selectors.arrangement_history(pension)],
        "calendar": calendar,
        "cash_payments": [
            {
                "period": p.period,
                "amount": p.amount,
                "service_point": p.service_point.name,
                "recorded_at": p.recorded_at,
                "receipt_number": p.receipt_number,
            }
            for p in cash
        ],
        "change_applies_from": pension_calendar.arrangement_takes_effect(today),
    }


@router.get("/pensions", response=list[PensionOut], summary="My pensions, each with how it is paid now")
def my_pensions(request: HttpRequest) -> list[dict[str, Any]]:
    person = pension_selectors.person_of(current_user(request))
    return [_pension(pension) for pension in pension_selectors.pensions_of(person)]


@router.get(
    "/pensions/{pension_id}",
    response=PensionDetailOut,
    summary="My pension: the arrangement in force, its history, the payment calendar",
    description=(
        "The calendar shows `months` pension months from this month (1 to 24), each by the arrangement "
        "in force that month."
    ),
)
def my_pension(
    request: HttpRequest,
    pension_id: int = Path(..., ge=1, le=2**62),
    months: int = Query(CALENDAR_MONTHS, ge=1, le=24),
) -> dict[str, Any]:
    return _detail(pension_selectors.pension_get_for(current_user(request), pension_id), months)


@router.post(
    "/pensions/{pension_id}/arrangements",
    response={201: PensionArrangementOut},
    summary="Change how and where my pension is paid",
    description=(
        "Bank: `bank_name`, `bank_account` (6 to 19 digits) and `account_holder` (your own name). "
        "Post office: `service_point_id`, an active service point of the province. "
        "Home delivery: `delivery_address` and `delivery_reason`. "
        "The change applies from the month in `valid_from` (a change after the cut-off "
        "day misses next month's payment list). 409 `welfare.pension_arrangement_unchanged`: already so; "
        "409 `welfare.pension_ended`: the pension has ended."
    ),
)
def my_arrangement_change(
    request: HttpRequest, payload: PensionArrangementIn, pension_id: int = Path(..., ge=1, le=2**62)
) -> Status[Any]:
    row = pensions.arrangement_change(
        actor=current_user(request), pension_id=pension_id, **payload.model_dump()
    )
    return Status(201, arrangement_out(row))


@router.get(
    "/pension-service-points",
    response=list[PensionServicePointOut],
    summary="The post offices and service points of a province where a pension can be collected",
)
def service_points(request: HttpRequest, province_id: int = Query(..., ge=1, le=2**31 - 1)) -> Any:
    current_user(request)
    return list(pension_selectors.service_points_in(province_id)[:500])
