"""The desk's dashboard and response-time report (operators and supervisors). Thin: the figures come from
`ansinh.sos.stats`, the same reads as `GET /api/v1/sos/stats`; this module only lays them out: charts as
inline SVG drawn here (no script), each with a caption and a data table; the downloads are
`ansinh.sos.report_exports`."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import formats, numberformat, timezone, translation
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ansinh.core import charts
from ansinh.core.errors import DomainError, ValidationFailed
from ansinh.core.text import normalise_search
from ansinh.sos import report_exports, stats
from ansinh.sos.models import RequestKind
from ansinh.sos.report_exports import console_link, kind_label

TOP_COUNTRIES = 10
LATE_PER_ROW = 10
KIND_COLOURS = {RequestKind.SOS: (charts.VERMILLION, True), RequestKind.SUPPORT: (charts.BLUE, False)}


# --- presentation helpers ---------------------------------------------------------------------------------


def duration_text(seconds: float | None) -> str:
    """45 s, 4 min 05 s, 3 h 20 min, 2 d 4 h."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    if whole < 60:
        return _("%(s)d s") % {"s": whole}
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return _("%(m)d min %(s)02d s") % {"m": minutes, "s": secs}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)d d %(h)d h") % {"d": days, "h": hours}


def count_text(value: float) -> str:
    """12.345 in Vietnamese, 12,345 in English (Django's Vietnamese formats do not group digits)."""
    return numberformat.format(
        int(value),
        formats.get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def percent_text(share: float | None) -> str:
    if share is None:
        return "—"
    return f"{formats.number_format(share * 100, decimal_pos=1)} %"


def _period(request: HttpRequest) -> stats.Period:
    return stats.period_from(
        date_from=request.GET.get("date_from", "")[:10],
        date_to=request.GET.get("date_to", "")[:10],
        kind=request.GET.get("kind", "")[:10],
        country=request.GET.get("country", "")[:2],
    )


def _filters_context(request: HttpRequest, period: stats.Period | None) -> dict[str, Any]:
    names = stats.country_names()
    english = translation.get_language().startswith("en")
    countries = sorted(
        ((code, en if english else vi) for code, (vi, en) in names.items()),
        key=lambda c: normalise_search(c[1]),  # "Đài Loan" among the D's
    )
    return {
        "countries": countries,
        "kind_choices": RequestKind.choices,
        "values": period.query() if period else request.GET,
        "period_help": _(
            "Whole days in Vietnam time (Asia/Ho_Chi_Minh), at most %(n)d days; "
            "without dates, the last 30 days."
        )
        % {"n": stats.MAX_DAYS},
    }


def _period_text(period: stats.Period) -> str:
    return _("Period: %(start)s – %(end)s") % {
        "start": period.date_from.strftime("%d/%m/%Y"),
        "end": period.date_to.strftime("%d/%m/%Y"),
    }


def _denied(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "web/denied.html", {"error": exc}, status=exc.status)


def _invalid(request: HttpRequest, template: str, exc: ValidationFailed) -> HttpResponse:
    context = {**_filters_context(request, None), "errors": exc.details.get("fields", {}), "error": exc}
    return render(request, template, context, status=exc.status)


# --- charts and their data tables ------------------------------------------------------------------------


def _table(rows: Iterable[tuple[str, Mapping[str, int]]], kinds: Sequence[str]) -> list[dict[str, Any]]:
    """Lines of a data table: a label, a count per kind, the total."""
    return [
        {
            "label": label,
            "cells": [count_text(by_kind.get(kind, 0)) for kind in kinds],
            "total": count_text(sum(by_kind.get(kind, 0) for kind in kinds)),
        }
        for label, by_kind in rows
    ]


def _bars(
    chart_id: str, title: str, items: Sequence[tuple[str, float]], colour: str = charts.BLUE
) -> tuple[SafeString, str]:
    total = sum(v for _label, v in items)
    caption = _("%(n)s requests in %(k)d groups; the table below lists every group.") % {
        "n": count_text(total),
        "k": len(items),
    }
    chart = charts.horizontal_bars(
        items, title=title, chart_id=chart_id, description=caption, colour=colour, value_format=count_text
    )
    return chart, caption


def _day_chart(figures: stats.Dashboard) -> tuple[SafeString, str]:
    period = figures.period
    series = []
    for kind in period.kinds:
        colour, hatched = KIND_COLOURS[RequestKind(kind)]
        series.append(
            charts.Series(
                label=kind_label(kind),
                values=[d.counts.get(kind, 0) for d in figures.days],
                colour=colour,
                hatched=hatched,
            )
        )
    busiest = max(figures.days, key=lambda d: d.total, default=None)
    caption = _("%(n)s requests from %(start)s to %(end)s.") % {
        "n": count_text(figures.total),
        "start": period.date_from.strftime("%d/%m/%Y"),
        "end": period.date_to.strftime("%d/%m/%Y"),
    }
    if busiest is not None and busiest.total:
        caption += " " + _("The busiest day was %(day)s with %(n)s.") % {
            "day": busiest.day.strftime("%d/%m/%Y"),
            "n": count_text(busiest.total),
        }
    chart = charts.stacked_columns(
        [d.day.strftime("%d/%m/%Y") for d in figures.days],
        series,
        title=_("Requests per day"),
        chart_id="chart-days",
        description=caption,
        tick_labels=[d.day.strftime("%d/%m") for d in figures.days],
        value_format=count_text,
    )
    return chart, caption


def _country_items(figures: stats.Dashboard) -> list[tuple[str, float]]:
    top = figures.by_country[:TOP_COUNTRIES]
    items: list[tuple[str, float]] = [(c.name, c.count) for c in top]
    rest = figures.by_country[TOP_COUNTRIES:]
    if rest:
        items.append((_("%(k)d other countries") % {"k": len(rest)}, sum(c.count for c in rest)))
    return items


def _charts(figures: stats.Dashboard) -> dict[str, Any]:
    kinds = figures.period.kinds
    day_chart, day_caption = _day_chart(figures)
    country_chart, country_caption = _bars(
        "chart-countries", _("Requests by country"), _country_items(figures)
    )
    category_chart, category_caption = _bars(
        "chart-categories", _("Requests by category"), [(str(s.label), s.count) for s in figures.by_category]
    )
    outcome_chart, outcome_caption = _bars(
        "chart-outcomes",
        _("Outcome of the resolved requests"),
        [(str(s.label), s.count) for s in figures.by_outcome],
        colour=charts.BLUISH_GREEN,
    )
    return {
        "day_chart": day_chart,
        "day_caption": day_caption,
        "day_table": _table(((d.day.strftime("%d/%m/%Y"), d.counts) for d in figures.days), kinds),
        "country_chart": country_chart,
        "country_caption": country_caption,
        "country_table": _table(((c.name, c.by_kind) for c in figures.by_country), kinds),
        "category_chart": category_chart,
        "category_caption": category_caption,
        "category_table": _table(((str(s.label), s.by_kind) for s in figures.by_category), kinds),
        "outcome_chart": outcome_chart,
        "outcome_caption": outcome_caption,
        "outcome_table": _table(((str(s.label), s.by_kind) for s in figures.by_outcome), kinds),
        "status_table": _table(((str(s.label), s.by_kind) for s in figures.by_status), kinds),
    }


def _response_rows(figures: stats.Dashboard) -> list[dict[str, Any]]:
    """The percentile table, one line per measure and a column per kind (it fits a phone's width)."""

    def line(label: str, value: Callable[[stats.KindFigures], str]) -> dict[str, Any]:
        return {"label": label, "values": [value(k) for k in figures.kinds]}

    return [
        line(_("Time limit to acknowledge"), lambda k: duration_text(k.limit_seconds)),
        line(_("Requests (not cancelled)"), lambda k: count_text(k.timeliness.counted)),
        line(_("Acknowledged within the limit"), lambda k: count_text(k.timeliness.within_limit)),
        line(_("Late"), lambda k: count_text(k.timeliness.late)),
        line(_("of which not acknowledged yet"), lambda k: count_text(k.timeliness.late_waiting)),
        line(_("Still inside the limit"), lambda k: count_text(k.timeliness.pending)),
        line(
            _("Share acknowledged within the limit"), lambda k: percent_text(k.timeliness.share_within_limit)
        ),
        line(_("Response time, median (p50)"), lambda k: duration_text(k.response.p50)),
        line(_("Response time, p90"), lambda k: duration_text(k.response.p90)),
        line(_("Response time, p99"), lambda k: duration_text(k.response.p99)),
        line(_("Longest response time"), lambda k: duration_text(k.response.max)),
        line(_("Resolved"), lambda k: count_text(k.resolved)),
        line(_("Time to resolve, median (p50)"), lambda k: duration_text(k.resolve.p50)),
        line(_("Time to resolve, p90"), lambda k: duration_text(k.resolve.p90)),
        line(_("Open now (any date)"), lambda k: count_text(k.open_now)),
    ]


# --- pages ------------------------------------------------------------------------------------------------


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        stats.require_dashboard(request.user)
    except DomainError as exc:
        return _denied(request, exc)
    template = "sos/dashboard/dashboard.html"
    try:
        period = _period(request)
    except ValidationFailed as exc:
        return _invalid(request, template, exc)
    figures = stats.dashboard_stats(request.user, period)
    context_filters = _filters_context(request, period)
    context = {
        **context_filters,
        "figures": figures,
        "period": period,
        "query": urlencode(period.query()),
        "kind_columns": [k.label for k in figures.kinds],
        "response_rows": _response_rows(figures),
        **_charts(figures),
        "total_text": count_text(figures.total),
        "open_text": count_text(figures.open_now),
        "flagged_text": count_text(figures.flagged),
        "kind_label": kind_label(period.kind) if period.kind else "",
        "country_label": dict(context_filters["countries"]).get(period.country, period.country),
        "period_text": _period_text(period),
        "counted_text": _("Counted from the requests themselves at %(time)s.")
        % {"time": timezone.localtime(figures.generated_at, stats.local_zone()).strftime("%H:%M %d/%m/%Y")},
        "headlines": [
            {
                "label": _("%(kind)s: acknowledged within %(limit)s")
                % {"kind": k.label, "limit": duration_text(k.limit_seconds)},
                "share": percent_text(k.timeliness.share_within_limit),
            }
            for k in figures.kinds
        ],
    }
    return render(request, template, context)


@login_required
@require_safe
def report(request: HttpRequest) -> HttpResponse:
    try:
        stats.require_dashboard(request.user)
    except DomainError as exc:
        return _denied(request, exc)
    template = "sos/dashboard/report.html"
    try:
        period = _period(request)
    except ValidationFailed as exc:
        return _invalid(request, template, exc)
    export = request.GET.get("format", "")
    if export in ("csv", "xlsx"):
        full = stats.response_report(request.user, period, late_per_row=None)
        if export == "csv":
            return report_exports.report_csv(full)
        return report_exports.report_xlsx(request, full)
    figures = stats.response_report(request.user, period, late_per_row=LATE_PER_ROW)
    query = urlencode(period.query())
    context = {
        **_filters_context(request, period),
        "report": figures,
        "period": period,
        "query": query,
        "period_text": _period_text(period),
        "limits": [
            _("%(kind)s: acknowledge within %(limit)s.")
            % {"kind": kind_label(kind), "limit": duration_text(seconds)}
            for kind, seconds in figures.limits.items()
            if kind in period.kinds
        ],
        "rows": [_row(r) for r in figures.rows],
        "labels": {
            "date": _("Date"),
            "kind": _("Kind"),
            "requests": _("Requests"),
            "within": _("Acknowledged within the limit"),
            "late": _("Late"),
            "p50": _("Response time, median (p50)"),
            "p90": _("Response time, p90"),
            "refs": _("Late requests"),
        },
        "csv_url": f"?{query}&format=csv",
        "xlsx_url": f"?{query}&format=xlsx",
    }
    return render(request, template, context)


def _row(row: stats.ReportRow) -> dict[str, Any]:
    return {
        "day": row.day,
        "kind": row.kind,
        "kind_label": row.kind_label,
        "requests": row.requests,
        "counted": row.timeliness.counted,
        "within": row.timeliness.within_limit,
        "late": row.timeliness.late,
        "late_waiting": row.timeliness.late_waiting,
        "share": percent_text(row.timeliness.share_within_limit),
        "p50": duration_text(row.p50),
        "p90": duration_text(row.p90),
        "late_requests": [
            {
                "reference": item.reference,
                "url": console_link(item.id),
                "waited": _("still waiting: %(time)s") % {"time": duration_text(item.waited_seconds)}
                if item.acknowledged_at is None
                else duration_text(item.waited_seconds),
            }
            for item in row.late_requests
        ],
        "more_text": _("and %(n)d more (in the downloads)") % {"n": row.late_not_listed}
        if row.late_not_listed
        else "",
    }


urlpatterns: list[URLPattern] = [
    path("staff/sos/dashboard/", dashboard, name="dashboard"),
    path("staff/sos/report/", report, name="report"),
]
