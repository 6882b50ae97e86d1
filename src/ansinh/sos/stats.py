"""Reads for the desk's dashboard and response-time report. Every figure comes from a query over the
requests themselves (no counter is kept by hand), for a period of whole days in Asia/Ho_Chi_Minh time.

Who: the desk's operators (`sos.handle`) and supervisors (`sos.supervise`). These are aggregates and
references, never a person's data, so reading them is not audited row by row.

Response time is `acknowledged_at - created_at`. A request counts as late when it was acknowledged after
its limit (settings SOS_ACK_LIMIT_SECONDS / SUPPORT_ACK_LIMIT_SECONDS) or when it is still not acknowledged
and has waited longer than the limit; one still inside its limit is neither on time nor late yet. Requests the
worker cancelled ("sent by mistake", always before anyone took them up) count in the volumes but not in the
response times. Percentiles are PostgreSQL's `percentile_cont` (linear interpolation), computed by the
database there and by the same rule in Python on SQLite (`grouped_figures`).

Cost: a dashboard is six queries, each one range scan of the `help_request_created` index (or a sequential
scan when the period covers most of the table), grouped in the database.
"""

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    When,
    Window,
)
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ansinh.accounts.selectors import has_permission
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.geo.selectors import country_list
from ansinh.sos.models import Category, HelpRequest, Outcome, RequestKind, RequestStatus
from ansinh.sos.permissions import SOS_HANDLE, SOS_SUPERVISE

DEFAULT_DAYS = 30
MAX_DAYS = 366
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)  # far from date.min/max, so day arithmetic is safe
OPEN = (RequestStatus.RECEIVED, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS)
KINDS = tuple(RequestKind.values)
_COUNTRY = re.compile(r"\A[A-Z]{2}\Z")
UNKNOWN_COUNTRY = gettext_lazy("Country not known")

ACK = ExpressionWrapper(F("acknowledged_at") - F("created_at"), output_field=DurationField())
RESOLVE = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())


def require_dashboard(actor: Any) -> None:
    """Operators and supervisors of the desk both see the dashboard and the report."""
    if not (has_permission(actor, SOS_SUPERVISE) or has_permission(actor, SOS_HANDLE)):
        raise PermissionDenied()


def can_see_dashboard(actor: Any) -> bool:
    return has_permission(actor, SOS_SUPERVISE) or has_permission(actor, SOS_HANDLE)


def ack_limits() -> dict[str, timedelta]:
    return {
        RequestKind.SOS.value: timedelta(seconds=settings.SOS_ACK_LIMIT_SECONDS),
        RequestKind.SUPPORT.value: timedelta(seconds=settings.SUPPORT_ACK_LIMIT_SECONDS),
    }


def local_zone() -> tzinfo:
    return timezone.get_default_timezone()  # Asia/Ho_Chi_Minh


# --- the period -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole local days from `date_from` to `date_to` (both included), optionally one kind, one country."""

    date_from: date
    date_to: date
    kind: str = ""
    country: str = ""

    @property
    def days(self) -> list[date]:
        return [self.date_from + timedelta(days=n) for n in range((self.date_to - self.date_from).days + 1)]

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind,) if self.kind else KINDS

    def bounds(self) -> tuple[datetime, datetime]:
        zone = local_zone()
        start = datetime.combine(self.date_from, time.min, tzinfo=zone)
        end = datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=zone)
        return start, end

    def query(self) -> dict[str, str]:
        """The period as the filter form's fields (for links between the pages)."""
        data = {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat()}
        if self.kind:
            data["kind"] = self.kind
        if self.country:
            data["country"] = self.country
        return data


def _day(value: date | str | None, name: str, errors: dict[str, list[str]]) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        parsed = parse_date(str(value).strip())
    except ValueError:
        parsed = None
    if parsed is None:
        errors[name] = [_("Enter a valid date (YYYY-MM-DD).")]
    return parsed


def period_from(
    *,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    kind: str | None = "",
    country: str | None = "",
    today: date | None = None,
) -> Period:
    """Check a requested period. Without dates: the last 30 days, today (Vietnam time) included."""
    errors: dict[str, list[str]] = {}
    start = _day(date_from, "date_from", errors)
    end = _day(date_to, "date_to", errors)
    kind = (kind or "").strip().lower()
    if kind and kind not in KINDS:
        errors["kind"] = [_("Choose sos or support.")]
    country = (country or "").strip().upper()
    if country and not _COUNTRY.match(country):
        errors["country"] = [_("Give the two-letter country code, e.g. KR.")]
    for name, value in (("date_from", start), ("date_to", end)):
        if value is not None and not EARLIEST <= value <= LATEST:
            errors[name] = [
                _("Choose a date from %(first)s to %(last)s.") % {"first": EARLIEST, "last": LATEST}
            ]
    if errors:
        raise ValidationFailed(errors)
    today = today or timezone.localdate(timezone.now(), local_zone())
    if end is None:  # 30 days from the start, but not past today
        end = min(start + timedelta(days=DEFAULT_DAYS - 1), max(start, today)) if start else today
    if start is None:
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValidationFailed.single("date_to", _("The end of the period comes before its start."))
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationFailed.single(
            "date_from", _("Choose a period of at most %(n)d days.") % {"n": MAX_DAYS}
        )
    return Period(date_from=start, date_to=end, kind=kind, country=country)


# --- percentiles: one function, two backends --------------------------------------------------------------


class PercentileCont(Aggregate):
    """PostgreSQL's `percentile_cont(ARRAY[...]) WITHIN GROUP (ORDER BY x)`: every fraction from one sort.
    Over an interval it answers an array of intervals (NULL when the group has no value)."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = (
        "%(function)s(ARRAY[%(fractions)s]::double precision[]) WITHIN GROUP (ORDER BY %(expressions)s)"
    )

    def __init__(self, expression: Any, fractions: Sequence[float], **extra: Any):
        from django.contrib.postgres.fields import ArrayField  # only ever compiled on PostgreSQL

        literal = ", ".join(repr(float(f)) for f in fractions)
        super().__init__(expression, fractions=literal, output_field=ArrayField(DurationField()), **extra)


def percentile_cont(ordered: Sequence[timedelta], fraction: float) -> timedelta | None:
    """The value at `fraction` of the sorted values, interpolating linearly between the two nearest ones:
    exactly what PostgreSQL's percentile_cont does."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def grouped_figures(
    qs: QuerySet[Any],
    *,
    group: Sequence[str],
    counts: Mapping[str, Any],
    percentiles: Mapping[str, tuple[Any, Sequence[float]]],
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Aggregates of `qs` per value of the `group` fields: each of `counts` (aggregate expressions) and,
    for each of `percentiles` (a duration expression and fractions), a list of timedelta | None.

    PostgreSQL: one query, the percentiles by `percentile_cont` in the database. Other databases (SQLite):
    the counts in one query, then the durations themselves (one column each, not the rows) sorted and
    interpolated in Python by the same rule. Both give the same numbers (tests/sos/test_dashboard.py)."""
    postgres = connections[qs.db].vendor == "postgresql"
    aggregates = dict(counts)
    if postgres:
        aggregates |= {name: PercentileCont(expr, fr) for name, (expr, fr) in percentiles.items()}
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    if aggregates and not group:
        out[()] = qs.aggregate(**aggregates)  # one row, even when nothing matches
    elif aggregates:
        for row in qs.values(*group).annotate(**aggregates).order_by():
            key = tuple(row[g] for g in group)
            out[key] = {name: row[name] for name in aggregates}
    for name, (_expr, fractions) in percentiles.items():
        for figures in out.values():
            if figures.get(name) is None:
                figures[name] = [None] * len(fractions)
    if postgres or not percentiles:
        return out
    columns = {f"pc_{name}": expr for name, (expr, _fr) in percentiles.items()}
    values: dict[tuple[Any, ...], dict[str, list[timedelta]]] = defaultdict(lambda: defaultdict(list))
    not_all_null = Q()
    for name in percentiles:
        not_all_null |= Q(**{f"pc_{name}__isnull": False})
    rows = qs.annotate(**columns).filter(not_all_null).values_list(*group, *columns).order_by()
    for row in rows.iterator(chunk_size=5000):
        key = tuple(row[: len(group)])
        for name, value in zip(percentiles, row[len(group) :], strict=True):
            if value is not None:
                values[key][name].append(value)
    for key, by_name in values.items():
        figures = out.setdefault(key, dict.fromkeys(counts))
        for name, (_expr, fractions) in percentiles.items():
            ordered = sorted(by_name.get(name, []))
            figures[name] = [percentile_cont(ordered, f) for f in fractions]
    return out


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds(), 1)


# --- figures ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeliness:
    """Of the requests that count (not cancelled): acknowledged within the limit, late (acknowledged after
    it, or still waiting past it), and the rest, still inside their limit."""

    counted: int = 0
    acknowledged: int = 0
    within_limit: int = 0
    late_acknowledged: int = 0
    late_waiting: int = 0

    @property
    def late(self) -> int:
        return self.late_acknowledged + self.late_waiting

    @property
    def pending(self) -> int:
        return self.counted - self.within_limit - self.late

    @property
    def share_within_limit(self) -> float | None:
        """Acknowledged within the limit / (that + late); None when nothing is decided yet."""
        decided = self.within_limit + self.late
        return round(self.within_limit / decided, 4) if decided else None


@dataclass(frozen=True)
class Durations:
    """Seconds; None when there is no value."""

    p50: float | None = None
    p90: float | None = None
    p99: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class KindFigures:
    kind: str
    limit_seconds: int
    requests: int
    timeliness: Timeliness
    response: Durations
    resolved: int
    resolve: Durations
    open_now: int
    oldest_open_at: datetime | None

    @property
    def label(self) -> str:
        return str(RequestKind(self.kind).label)


@dataclass(frozen=True)
class DayCount:
    day: date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def sos(self) -> int:
        return self.counts.get(RequestKind.SOS, 0)

    @property
    def support(self) -> int:
        return self.counts.get(RequestKind.SUPPORT, 0)


@dataclass(frozen=True)
class Share:
    """One bar of a breakdown: a code, its label and how many requests."""

    code: str
    label: str | Promise
    count: int
    by_kind: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CountryShare:
    code: str
    name_vi: str
    name_en: str
    count: int
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        if not self.code:
            return str(UNKNOWN_COUNTRY)
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


@dataclass(frozen=True)
class Dashboard:
    period: Period
    generated_at: datetime
    total: int
    flagged: int
    days: list[DayCount]
    by_country: list[CountryShare]
    by_category: list[Share]
    by_outcome: list[Share]
    by_status: list[Share]
    kinds: list[KindFigures]

    @property
    def open_now(self) -> int:
        return sum(k.open_now for k in self.kinds)

    def kind(self, kind: str) -> KindFigures | None:
        return next((k for k in self.kinds if k.kind == kind), None)


def _in_period(period: Period) -> QuerySet[HelpRequest]:
    start, end = period.bounds()
    qs = HelpRequest.objects.filter(created_at__gte=start, created_at__lt=end)
    if period.kind:
        qs = qs.filter(kind=period.kind)
    if period.country:
        qs = qs.filter(country=period.country)
    return qs


def _conditions(now: datetime) -> dict[str, Q]:
    counted = ~Q(status=RequestStatus.CANCELLED)
    within, late_acknowledged, late_waiting = Q(), Q(), Q()
    for kind, limit in ack_limits().items():
        within |= Q(kind=kind, acknowledged_at__lte=F("created_at") + limit)
        late_acknowledged |= Q(kind=kind, acknowledged_at__gt=F("created_at") + limit)
        late_waiting |= Q(kind=kind, acknowledged_at__isnull=True, created_at__lt=now - limit)
    return {
        "counted": counted,
        "within": counted & within,
        "late_acknowledged": counted & late_acknowledged,
        "late_waiting": counted & late_waiting,
    }


def _timeliness_counts(now: datetime, only: Q | None = None, prefix: str = "") -> dict[str, Any]:
    """The counts behind `Timeliness`, of the rows matching `only` (all by default)."""
    c = _conditions(now)
    scope = only if only is not None else Q()
    return {
        f"{prefix}total": Count("id", filter=only) if only is not None else Count("id"),
        f"{prefix}counted": Count("id", filter=scope & c["counted"]),
        f"{prefix}acknowledged": Count("id", filter=scope & c["counted"] & Q(acknowledged_at__isnull=False)),
        f"{prefix}within": Count("id", filter=scope & c["within"]),
        f"{prefix}late_acknowledged": Count("id", filter=scope & c["late_acknowledged"]),
        f"{prefix}late_waiting": Count("id", filter=scope & c["late_waiting"]),
    }


def _timeliness(figures: Mapping[str, Any], prefix: str = "") -> Timeliness:
    return Timeliness(
        counted=figures.get(f"{prefix}counted") or 0,
        acknowledged=figures.get(f"{prefix}acknowledged") or 0,
        within_limit=figures.get(f"{prefix}within") or 0,
        late_acknowledged=figures.get(f"{prefix}late_acknowledged") or 0,
        late_waiting=figures.get(f"{prefix}late_waiting") or 0,
    )


def _by_day_and_kind(
    period: Period, now: datetime, *, detailed: bool
) -> dict[tuple[date, str], dict[str, Any]]:
    """Per local day and kind: the count (the dashboard), or every timeliness count and the p50 and p90 of
    the response time (the report)."""
    qs = _in_period(period).annotate(day=TruncDate("created_at", tzinfo=local_zone()))
    return grouped_figures(
        qs,
        group=["day", "kind"],
        counts=_timeliness_counts(now) if detailed else {"total": Count("id")},
        percentiles={"ack": (ACK, (0.5, 0.9))} if detailed else {},
    )


def _of_kind(kind: str, duration: Any) -> Case:
    return Case(When(kind=kind, then=duration), output_field=DurationField())


def _kind_figures(period: Period, now: datetime) -> list[KindFigures]:
    """Per kind, in one aggregate row: one filtered aggregate per kind rather than GROUP BY kind, so that
    PostgreSQL does not sort the whole period by kind before sorting each kind's durations."""
    counts: dict[str, Any] = {}
    percentiles: dict[str, tuple[Any, Sequence[float]]] = {}
    for kind in period.kinds:
        only = Q(kind=kind)
        counts |= _timeliness_counts(now, only, prefix=f"{kind}_")
        counts[f"{kind}_resolved"] = Count(
            "id", filter=only & Q(resolved_at__isnull=False) & ~Q(status=RequestStatus.CANCELLED)
        )
        counts[f"{kind}_ack_max"] = Max(_of_kind(kind, ACK))
        percentiles[f"{kind}_ack"] = (_of_kind(kind, ACK), (0.5, 0.9, 0.99))
        percentiles[f"{kind}_resolve"] = (_of_kind(kind, RESOLVE), (0.5, 0.9))
    figures = grouped_figures(_in_period(period), group=[], counts=counts, percentiles=percentiles)[()]
    open_qs = HelpRequest.objects.filter(status__in=OPEN)
    if period.kind:
        open_qs = open_qs.filter(kind=period.kind)
    if period.country:
        open_qs = open_qs.filter(country=period.country)
    open_now = {
        row["kind"]: (row["n"], row["oldest"])
        for row in open_qs.values("kind").annotate(n=Count("id"), oldest=Min("created_at")).order_by()
    }
    limits = ack_limits()
    kinds = []
    for kind in period.kinds:
        ack = figures.get(f"{kind}_ack") or [None, None, None]
        resolve = figures.get(f"{kind}_resolve") or [None, None]
        waiting, oldest = open_now.get(kind, (0, None))
        kinds.append(
            KindFigures(
                kind=kind,
                limit_seconds=int(limits[kind].total_seconds()),
                requests=figures.get(f"{kind}_total") or 0,
                timeliness=_timeliness(figures, prefix=f"{kind}_"),
                response=Durations(
                    p50=_seconds(ack[0]),
                    p90=_seconds(ack[1]),
                    p99=_seconds(ack[2]),
                    max=_seconds(figures.get(f"{kind}_ack_max")),
                ),
                resolved=figures.get(f"{kind}_resolved") or 0,
                resolve=Durations(p50=_seconds(resolve[0]), p90=_seconds(resolve[1])),
                open_now=waiting,
                oldest_open_at=oldest,
            )
        )
    return kinds


def _shares(
    rows: Mapping[tuple[str, str], int], choices: Sequence[tuple[str, Any]], *, keep_all: bool
) -> list[Share]:
    """Bars in the order of the choices (stable colours and positions between periods), largest first when
    `keep_all` is False and empty choices dropped."""
    shares = []
    for code, label in choices:
        by_kind = {kind: n for (value, kind), n in rows.items() if value == code and n}
        total = sum(by_kind.values())
        if total or keep_all:
            shares.append(Share(code=code, label=label, count=total, by_kind=by_kind))
    return shares if keep_all else sorted(shares, key=lambda s: -s.count)


def country_names(codes: Sequence[str] | None = None) -> dict[str, tuple[str, str]]:
    """ISO code -> (Vietnamese name, English name), from the reference list (249 countries)."""
    qs = country_list()
    if codes is not None:
        qs = qs.filter(iso2__in=[c for c in codes if c])
    return {iso2: (vi, en) for iso2, vi, en in qs.values_list("iso2", "name_vi", "name_en")}


def dashboard_stats(actor: Any, period: Period, *, now: datetime | None = None) -> Dashboard:
    """Every figure of the dashboard, in six queries."""
    require_dashboard(actor)
    now = now or timezone.now()
    by_day = _by_day_and_kind(period, now, detailed=False)
    days = [
        DayCount(
            day=day, counts={kind: (by_day.get((day, kind)) or {}).get("total", 0) for kind in period.kinds}
        )
        for day in period.days
    ]
    breakdown = (
        _in_period(period)
        .values("kind", "category", "outcome_category", "status", "flagged")
        .annotate(n=Count("id"))
        .order_by()
    )
    category: dict[tuple[str, str], int] = defaultdict(int)
    outcome: dict[tuple[str, str], int] = defaultdict(int)
    status: dict[tuple[str, str], int] = defaultdict(int)
    flagged = total = 0
    for row in breakdown:
        category[(row["category"], row["kind"])] += row["n"]
        if row["outcome_category"]:
            outcome[(row["outcome_category"], row["kind"])] += row["n"]
        status[(row["status"], row["kind"])] += row["n"]
        flagged += row["n"] if row["flagged"] else 0
        total += row["n"]
    countries: dict[str, dict[str, int]] = defaultdict(dict)
    for place in _in_period(period).values("kind", "country").annotate(n=Count("id")).order_by():
        countries[place["country"]][place["kind"]] = place["n"]
    names = country_names(list(countries)) if countries else {}
    by_country = sorted(
        (
            CountryShare(
                code=code,
                name_vi=names.get(code, (code, code))[0],
                name_en=names.get(code, (code, code))[1],
                count=sum(by_kind.values()),
                by_kind=by_kind,
            )
            for code, by_kind in countries.items()
        ),
        key=lambda c: (-c.count, not c.code, c.name_vi),
    )
    return Dashboard(
        period=period,
        generated_at=now,
        total=total,
        flagged=flagged,
        days=days,
        by_country=by_country,
        by_category=_shares(category, Category.choices, keep_all=False),
        by_outcome=_shares(outcome, Outcome.choices, keep_all=False),
        by_status=_shares(status, RequestStatus.choices, keep_all=True),
        kinds=_kind_figures(period, now),
    )


# --- the response-time report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LateRequest:
    """A late request, by its reference only (the report carries no personal data)."""

    id: int
    reference: str
    kind: str
    created_at: datetime
    acknowledged_at: datetime | None
    waited_seconds: float

    @property
    def day(self) -> date:
        return timezone.localtime(self.created_at, local_zone()).date()


@dataclass(frozen=True)
class ReportRow:
    day: date
    kind: str
    requests: int
    timeliness: Timeliness
    p50: float | None
    p90: float | None
    late_requests: list[LateRequest]

    @property
    def late_not_listed(self) -> int:
        return max(0, self.timeliness.late - len(self.late_requests))

    @property
    def kind_label(self) -> str:
        return str(RequestKind(self.kind).label)


@dataclass(frozen=True)
class Report:
    period: Period
    generated_at: datetime
    limits: dict[str, int]
    rows: list[ReportRow]


def late_requests(period: Period, now: datetime, *, per_row: int | None = None) -> list[LateRequest]:
    """The late requests of the period, oldest first; with `per_row`, at most that many per day and kind
    (a window function in the database, so a bad day does not load thousands of rows into a page)."""
    c = _conditions(now)
    qs = _in_period(period).filter(c["late_acknowledged"] | c["late_waiting"])
    if per_row is not None:
        qs = qs.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[TruncDate("created_at", tzinfo=local_zone()), F("kind")],
                order_by=[F("created_at").asc(), F("id").asc()],
            )
        ).filter(rank__lte=per_row)
    rows = qs.values_list("id", "reference", "kind", "created_at", "acknowledged_at").order_by(
        "created_at", "id"
    )
    return [
        LateRequest(
            id=pk,
            reference=reference or f"#{pk}",
            kind=kind,
            created_at=created_at,
            acknowledged_at=acknowledged_at,
            waited_seconds=round(((acknowledged_at or now) - created_at).total_seconds(), 1),
        )
        for pk, reference, kind, created_at, acknowledged_at in rows.iterator(chunk_size=2000)
    ]


def response_report(
    actor: Any, period: Period, *, now: datetime | None = None, late_per_row: int | None = 10
) -> Report:
    """One row per day and kind (every day of the period, zeros included): requests, acknowledged within
    the limit, late, p50 and p90 of the response time, and the late ones by reference (`late_per_row` of
    them per row on the page; None lists all, for the downloads)."""
    require_dashboard(actor)
    now = now or timezone.now()
    figures = _by_day_and_kind(period, now, detailed=True)
    late: dict[tuple[date, str], list[LateRequest]] = defaultdict(list)
    for item in late_requests(period, now, per_row=late_per_row):
        late[(item.day, item.kind)].append(item)
    rows = []
    for day in period.days:
        for kind in period.kinds:
            f = figures.get((day, kind), {})
            ack = f.get("ack") or [None, None]
            rows.append(
                ReportRow(
                    day=day,
                    kind=kind,
                    requests=f.get("total") or 0,
                    timeliness=_timeliness(f),
                    p50=_seconds(ack[0]),
                    p90=_seconds(ack[1]),
                    late_requests=late.get((day, kind), []),
                )
            )
    limits = {kind: int(limit.total_seconds()) for kind, limit in ack_limits().items()}
    return Report(period=period, generated_at=now, limits=limits, rows=rows)
