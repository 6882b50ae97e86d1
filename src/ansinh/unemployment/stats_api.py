"""The unemployment-insurance statistics as JSON: the same figures as the page
(`/staff/unemployment/statistics/`) and its Excel download."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ansinh.api.auth import current_user
from ansinh.unemployment import statistics as stats

router = Router(tags=["unemployment"])


class StatisticsQuery(Schema):
    year: int | None = Field(None, description="Calendar year (Vietnam time); default: this year")
    province: str = Field("", max_length=8, description="Province code; empty for every province in scope")


class FiguresOut(Schema):
    received: int = Field(..., description="claim dossiers submitted")
    decided: int = Field(..., description="benefits decided: people settled")
    refused: int = Field(..., description="claim dossiers refused")
    amount_decided: int = Field(..., description="VND: monthly benefit x months granted, summed")
    months_notified: int = Field(..., description="benefit months notified in time (to be paid)")
    amount_notified: int = Field(..., description="VND: the amounts of those months")


class MonthOut(FiguresOut):
    month: str = Field(..., description="YYYY-MM")


class ProvinceOut(FiguresOut):
    code: str = Field(..., description="province code; empty for records without a province")
    name_vi: str
    name_en: str
    months: list[MonthOut] = Field(..., description="January to December")


class ScopeOut(Schema):
    nation: bool
    provinces: list[str] = Field(..., description="codes of the provinces one may choose")
    organisations: list[str] = Field(..., description="organisations whose own records are counted")


class StatisticsOut(Schema):
    year: int
    province: str | None
    timezone: str
    generated_at: datetime = Field(..., description="when the figures were counted from the records")
    counted_every_seconds: int = Field(
        ..., description="the figures are a count made at most this long ago; 0: counted for this request"
    )
    scope: ScopeOut
    total: FiguresOut
    months: list[MonthOut]
    provinces: list[ProvinceOut]


def _figures(item: stats.Figures) -> dict[str, int]:
    return {
        "received": item.received,
        "decided": item.decided,
        "refused": item.refused,
        "amount_decided": item.amount_decided,
        "months_notified": item.months_notified,
        "amount_notified": item.amount_notified,
    }


@router.get(
    "/unemployment/statistics",
    response=StatisticsOut,
    summary="Unemployment-insurance statistics of a year, per month and per province: claims received, "
    "decided and refused, amounts decided and notified for payment (staff with ui_statistics.read)",
)
def statistics(request: HttpRequest, filters: Query[StatisticsQuery]) -> dict[str, object]:
    actor = current_user(request)
    scope = stats.scope_for(actor)
    query = stats.query_from(scope, year=filters.year, province=filters.province)
    figures = stats.monthly_statistics(actor, query, scope)
    months = [m.month for m in figures.months]
    return {
        "year": query.year,
        "province": query.province.code if query.province else None,
        "timezone": str(stats.local_zone()),
        "generated_at": figures.generated_at,
        "counted_every_seconds": figures.recounted_every,
        "scope": {
            "nation": scope.nation,
            "provinces": [p.code for p in scope.provinces],
            "organisations": list(scope.organisations),
        },
        "total": _figures(figures.total),
        "months": [{"month": f"{m.month:%Y-%m}", **_figures(m.figures)} for m in figures.months],
        "provinces": [
            {
                "code": p.code,
                "name_vi": p.name_vi,
                "name_en": p.name_en,
                **_figures(p.figures),
                "months": [
                    {"month": f"{month:%Y-%m}", **_figures(item)}
                    for month, item in zip(months, p.months, strict=True)
                ],
            }
            for p in figures.provinces
        ],
    }
