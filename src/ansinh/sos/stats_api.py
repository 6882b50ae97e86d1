"""The desk's figures as JSON: the same numbers as the dashboard (`/staff/sos/dashboard/`)."""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from ansinh.api.auth import current_user
from ansinh.sos import stats

router = Router(tags=["sos"])


class StatsQuery(Schema):
    date_from: date | None = Field(
        None, description="First day (Vietnam time); default: 29 days before date_to"
    )
    date_to: date | None = Field(None, description="Last day, included; default: today. At most 366 days.")
    kind: str = Field("", max_length=10, description="sos or support; empty for both")
    country: str = Field("", max_length=2, description="ISO 3166 code of the country the request came from")


class DurationsOut(Schema):
    p50: float | None = Field(None, description="seconds")
    p90: float | None = Field(None, description="seconds")
    p99: float | None = Field(None, description="seconds")
    max: float | None = Field(None, description="seconds")


class KindOut(Schema):
    kind: str
    label: str
    limit_seconds: int = Field(..., description="the time allowed to acknowledge")
    requests: int = Field(..., description="created in the period, cancelled ones included")
    counted: int = Field(..., description="not cancelled: the requests the response times are about")
    acknowledged: int
    within_limit: int
    late: int = Field(..., description="acknowledged after the limit, or still waiting past it")
    late_not_acknowledged: int = Field(..., description="of the late ones: still not acknowledged")
    pending: int = Field(..., description="not acknowledged yet, still inside the limit")
    share_within_limit: float | None = Field(..., description="within_limit / (within_limit + late)")
    response_seconds: DurationsOut = Field(..., description="acknowledged_at - created_at")
    resolved: int
    resolve_seconds: DurationsOut = Field(..., description="resolved_at - created_at (p50, p90)")
    open_now: int = Field(..., description="open requests now, whatever their date")
    oldest_open_at: datetime | None


class DayOut(Schema):
    date: date
    total: int
    sos: int
    support: int


class ShareOut(Schema):
    code: str
    label: str
    count: int
    by_kind: dict[str, int]


class CountryOut(Schema):
    code: str = Field(..., description="ISO 3166 code; empty when not known")
    name_vi: str
    name_en: str
    count: int
    by_kind: dict[str, int]


class StatsOut(Schema):
    date_from: date
    date_to: date
    kind: str
    country: str
    timezone: str
    generated_at: datetime
    total: int
    flagged: int
    open_now: int
    days: list[DayOut]
    by_country: list[CountryOut]
    by_category: list[ShareOut]
    by_outcome: list[ShareOut]
    by_status: list[ShareOut]
    kinds: list[KindOut]


def _durations(d: stats.Durations) -> dict[str, float | None]:
    return {"p50": d.p50, "p90": d.p90, "p99": d.p99, "max": d.max}


def _share(s: stats.Share) -> dict[str, object]:
    return {"code": s.code, "label": str(s.label), "count": s.count, "by_kind": s.by_kind}


@router.get(
    "/stats",
    response=StatsOut,
    summary="The desk's figures for a period: requests by day, country, category, outcome and status; "
    "response-time percentiles; share acknowledged within the limit (operators and supervisors)",
)
def desk_stats(request: HttpRequest, filters: Query[StatsQuery]) -> dict[str, object]:
    actor = current_user(request)
    stats.require_dashboard(actor)
    period = stats.period_from(**filters.dict())
    figures = stats.dashboard_stats(actor, period)
    return {
        "date_from": period.date_from,
        "date_to": period.date_to,
        "kind": period.kind,
        "country": period.country,
        "timezone": str(timezone.get_default_timezone()),
        "generated_at": figures.generated_at,
        "total": figures.total,
        "flagged": figures.flagged,
        "open_now": figures.open_now,
        "days": [{"date": d.day, "total": d.total, "sos": d.sos, "support": d.support} for d in figures.days],
        "by_country": [
            {
                "code": c.code,
                "name_vi": c.name_vi,
                "name_en": c.name_en,
                "count": c.count,
                "by_kind": c.by_kind,
            }
            for c in figures.by_country
        ],
        "by_category": [_share(s) for s in figures.by_category],
        "by_outcome": [_share(s) for s in figures.by_outcome],
        "by_status": [_share(s) for s in figures.by_status],
        "kinds": [
            {
                "kind": k.kind,
                "label": k.label,
                "limit_seconds": k.limit_seconds,
                "requests": k.requests,
                "counted": k.timeliness.counted,
                "acknowledged": k.timeliness.acknowledged,
                "within_limit": k.timeliness.within_limit,
                "late": k.timeliness.late,
                "late_not_acknowledged": k.timeliness.late_waiting,
                "pending": k.timeliness.pending,
                "share_within_limit": k.timeliness.share_within_limit,
                "response_seconds": _durations(k.response),
                "resolved": k.resolved,
                "resolve_seconds": _durations(k.resolve),
                "open_now": k.open_now,
                "oldest_open_at": k.oldest_open_at,
            }
            for k in figures.kinds
        ],
    }
