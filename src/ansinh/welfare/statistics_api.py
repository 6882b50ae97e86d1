"""The social-security figures as JSON: the same read as the page `/staff/social/figures/`."""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from ansinh.api.auth import current_user
from ansinh.welfare import statistics as stats
from ansinh.welfare.statistics_schemas import WelfareFiguresOut

router = Router(tags=["welfare"])


def figures_body(found: stats.WelfareFigures) -> dict[str, Any]:
    def lines(items: tuple[stats.Line, ...]) -> list[dict[str, Any]]:
        return [asdict(item) for item in items]

    return {
        "year": found.year,
        "month": found.month,
        "province_id": found.province.pk if found.province else None,
        "generated_at": found.generated_at,
        "scope": {
            "nation": found.scope.nation,
            "province_ids": [p.pk for p in found.scope.provinces],
            "organisations": list(found.scope.organisations),
        },
        "allowances": {
            "amounts_month": found.amounts_month,
            "by_status": lines(found.allowances_by_status),
            "by_group": lines(found.allowances_by_group),
            "total": asdict(found.allowances_total),
            "changes_waiting": found.changes_waiting,
            "oldest_change_waiting": found.oldest_change_waiting,
        },
        "payments": {
            "by_month": [
                {"month": m.month.strftime("%Y-%m"), "kinds": lines(m.kinds), "total": asdict(m.total)}
                for m in found.payments_by_month
            ],
            "by_kind": lines(found.payments_by_kind),
            "total": asdict(found.payments_total),
            "by_province": [asdict(p) for p in found.payments_by_province],
        },
        "cards": lines(found.cards),
        "medicine": lines(found.medicine_by_status),
        "pensions": {"by_method": lines(found.pensions_by_method), "total": asdict(found.pensions_total)},
    }


@router.get(
    "/figures",
    response=WelfareFiguresOut,
    summary="Social-security figures of the caller's scope: allowances by status and group with the month's "
    "amounts, change reports waiting, card payments by kind, month and province, cards, medicine requests, "
    "pensions by arrangement (welfare_statistics.read)",
)
def figures(
    request: HttpRequest,
    year: int | None = Query(None, ge=stats.FIRST_YEAR, le=stats.LAST_YEAR, description="default: this year"),
    month: int | None = Query(None, ge=1, le=12, description="one month of the year; default: every month"),
    province_id: int | None = Query(None, ge=1, le=2**31 - 1, description="one province of the scope"),
) -> dict[str, Any]:
    found = stats.welfare_figures_for(
        current_user(request), year=year or stats.this_year(), month=month, province_id=province_id
    )
    return figures_body(found)
