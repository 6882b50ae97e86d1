"""The unemployment-insurance statistics page and its Excel download (staff with `ui_statistics.read`).

Thin: the figures come from `ansinh.unemployment.statistics`, the same read as
`GET /api/v1/unemployment/statistics`; this module lays them out: the totals in words ("2.238 người được
giải quyết, 26,1 tỷ đồng"), charts per month drawn here as inline SVG (no script), each with its data table,
the table by province, and the same tables as an Excel workbook (openpyxl, write-only).
"""

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import formats, numberformat, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from ansinh.core import charts
from ansinh.core.errors import DomainError, ValidationFailed
from ansinh.unemployment import statistics as stats

TEMPLATE = "unemployment/statistics.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BILLION = 1_000_000_000
MILLION = 1_000_000


# --- numbers in the reader's language ---------------------------------------------------------------------


def count_text(value: float) -> str:
    """12.345 in Vietnamese, 12,345 in English (Django's Vietnamese formats do not group digits)."""
    return numberformat.format(
        int(value),
        formats.get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def _decimal_text(value: float) -> str:
    """One decimal, grouped: 1.234,5 in Vietnamese, 1,234.5 in English; no ",0" on a whole number."""
    rounded = round(value, 1)
    places = 0 if rounded == int(rounded) else 1
    return numberformat.format(
        rounded,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=places,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def amount_words(amount: float) -> str:
    """An amount of đồng in words, as a report writes it: 26,1 tỷ đồng; 480 triệu đồng; 950.000 đồng."""
    if abs(amount) >= BILLION:
        return _("%(n)s billion VND") % {"n": _decimal_text(amount / BILLION)}
    if abs(amount) >= MILLION:
        return _("%(n)s million VND") % {"n": _decimal_text(amount / MILLION)}
    return _("%(n)s VND") % {"n": count_text(amount)}


def amount_short(amount: float) -> str:
    """Short for an axis or a bar's end: 26,1 tỷ; 480 tr."""
    if abs(amount) >= BILLION:
        return _("%(n)s bn") % {"n": _decimal_text(amount / BILLION)}
    if abs(amount) >= MILLION:
        return _("%(n)s m") % {"n": _decimal_text(amount / MILLION)}
    return count_text(amount)


def headline(figures: stats.Figures) -> str:
    """The sentence a centre reports: "2.238 người được giải quyết, 26,1 tỷ đồng"."""
    return ngettext(
        "%(people)s person settled, %(amount)s",
        "%(people)s people settled, %(amount)s",
        figures.decided,
    ) % {"people": count_text(figures.decided), "amount": amount_words(figures.amount_decided)}


def month_label(month: date) -> str:
    return month.strftime("%m/%Y")


# --- the columns of every table (page and workbook) --------------------------------------------------------


def columns() -> list[tuple[str, str, bool]]:
    """(figure, heading, is an amount of đồng), in the tables' order."""
    return [
        ("received", _("Claims received"), False),
        ("decided", _("Benefits decided (people settled)"), False),
        ("refused", _("Claims refused"), False),
        ("amount_decided", _("Amount decided (VND)"), True),
        ("months_notified", _("Months notified for payment"), False),
        ("amount_notified", _("Amount notified for payment (VND)"), True),
    ]


def _cells(figures: stats.Figures) -> list[str]:
    return [count_text(getattr(figures, name)) for name, _h, _money in columns()]


def _scope_text(scope: stats.Scope) -> str:
    if scope.nation:
        return _("Figures of the whole country.")
    if scope.org_paths:
        names = ", ".join(scope.organisations)
        if scope.province_ids:
            provinces = ", ".join(str(p) for p in scope.provinces if p.pk in scope.province_ids)
            return _("Figures of %(provinces)s and of %(organisations)s.") % {
                "provinces": provinces,
                "organisations": names,
            }
        return _("Figures of %(organisations)s.") % {"organisations": names}
    return _("Figures of %(provinces)s.") % {"provinces": ", ".join(str(p) for p in scope.provinces)}


def _counted_text(figures: stats.Statistics) -> str:
    moment = timezone.localtime(figures.generated_at, stats.local_zone())
    text = _("Counted from the records themselves at %(time)s (Vietnam time).") % {
        "time": moment.strftime("%H:%M %d/%m/%Y")
    }
    if figures.recounted_every:
        minutes = max(1, round(figures.recounted_every / 60))
        text += " " + ngettext(
            "The count is made again every minute.", "The count is made again every %(n)d minutes.", minutes
        ) % {"n": minutes}
    return text


# --- charts ----------------------------------------------------------------------------------------------


def _month_chart(figures: stats.Statistics) -> tuple[str, str]:
    months = figures.months
    total = figures.total
    caption = _("%(decided)s benefits decided and %(refused)s claims refused in %(year)d.") % {
        "decided": count_text(total.decided),
        "refused": count_text(total.refused),
        "year": figures.year,
    }
    busiest = max(months, key=lambda m: m.figures.decided)
    if busiest.figures.decided:
        caption += " " + _("The most decisions were in %(month)s: %(n)s.") % {
            "month": month_label(busiest.month),
            "n": count_text(busiest.figures.decided),
        }
    chart = charts.stacked_columns(
        [month_label(m.month) for m in months],
        [
            charts.Series(_("Benefit decided"), [m.figures.decided for m in months], charts.BLUE),
            charts.Series(_("Refused"), [m.figures.refused for m in months], charts.VERMILLION, hatched=True),
        ],
        title=_("Claims decided per month"),
        chart_id="chart-decisions",
        description=caption,
        tick_labels=[m.month.strftime("%m") for m in months],
        max_ticks=12,
        value_format=count_text,
    )
    return chart, caption


def _amount_chart(figures: stats.Statistics) -> tuple[str, str]:
    months = figures.months
    caption = _("%(decided)s decided and %(notified)s notified for payment in %(year)d.") % {
        "decided": amount_words(figures.total.amount_decided),
        "notified": amount_words(figures.total.amount_notified),
        "year": figures.year,
    }
    chart = charts.stacked_columns(
        [month_label(m.month) for m in months],
        [charts.Series(_("Amount decided"), [m.figures.amount_decided for m in months], charts.BLUISH_GREEN)],
        title=_("Amount decided per month"),
        chart_id="chart-amounts",
        description=caption,
        tick_labels=[m.month.strftime("%m") for m in months],
        max_ticks=12,
        value_format=amount_short,
    )
    return chart, caption


def _province_chart(figures: stats.Statistics) -> tuple[str, str]:
    items = sorted(((p.name, float(p.figures.decided)) for p in figures.provinces), key=lambda item: -item[1])
    caption = _("Benefits decided in %(year)d in %(k)d provinces; the table below lists every figure.") % {
        "year": figures.year,
        "k": len(items),
    }
    chart = charts.horizontal_bars(
        items,
        title=_("Benefits decided by province"),
        chart_id="chart-provinces",
        description=caption,
        value_format=count_text,
    )
    return chart, caption


# --- pages ------------------------------------------------------------------------------------------------


def _denied(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "web/denied.html", {"error": exc}, status=exc.status)


def _query(request: HttpRequest, scope: stats.Scope) -> stats.Query:
    return stats.query_from(
        scope, year=request.GET.get("year", "")[:6], province=request.GET.get("province", "")[:8]
    )


def _form_context(scope: stats.Scope, values: dict[str, str]) -> dict[str, Any]:
    return {
        "years": stats.years_for(),
        "provinces": [(p.code, str(p)) for p in scope.provinces],
        "values": values,
        "scope_text": _scope_text(scope),
    }


def _invalid(request: HttpRequest, scope: stats.Scope, exc: ValidationFailed) -> HttpResponse:
    """The form again, each message next to its field (the download's link carries the same fields)."""
    values = {"year": request.GET.get("year", "")[:6], "province": request.GET.get("province", "")[:8]}
    context = {**_form_context(scope, values), "errors": exc.details.get("fields", {}), "error": exc}
    return render(request, TEMPLATE, context, status=exc.status)


@login_required
@require_safe
def statistics_page(request: HttpRequest) -> HttpResponse:
    try:
        scope = stats.scope_for(request.user)
    except DomainError as exc:
        return _denied(request, exc)
    try:
        query = _query(request, scope)
    except ValidationFailed as exc:
        return _invalid(request, scope, exc)
    figures = stats.monthly_statistics(request.user, query, scope)
    params = query.as_params()
    decisions_chart, decisions_caption = _month_chart(figures)
    amounts_chart, amounts_caption = _amount_chart(figures)
    context: dict[str, Any] = {
        **_form_context(scope, {"year": str(query.year), "province": params.get("province", "")}),
        "figures": figures,
        "province_name": str(query.province) if query.province else "",
        "headline": headline(figures.total),
        "counted_text": _counted_text(figures),
        "kpis": [
            (_("Claims received"), count_text(figures.total.received)),
            (_("People settled (benefits decided)"), count_text(figures.total.decided)),
            (_("Claims refused"), count_text(figures.total.refused)),
            (_("Amount decided"), amount_words(figures.total.amount_decided)),
            (_("Amount notified for payment"), amount_words(figures.total.amount_notified)),
        ],
        "headings": [heading for _name, heading, _money in columns()],
        "decisions_chart": decisions_chart,
        "decisions_caption": decisions_caption,
        "amounts_chart": amounts_chart,
        "amounts_caption": amounts_caption,
        "month_rows": [(month_label(m.month), _cells(m.figures)) for m in figures.months],
        "province_rows": [(p.name, _cells(p.figures)) for p in figures.provinces],
        "total_cells": _cells(figures.total),
        "xlsx_query": urlencode(params),
    }
    if len(figures.provinces) > 1:
        context["provinces_chart"], context["provinces_caption"] = _province_chart(figures)
    return render(request, TEMPLATE, context)


@login_required
@require_safe
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        scope = stats.scope_for(request.user)
    except DomainError as exc:
        return _denied(request, exc)
    try:
        query = _query(request, scope)
    except ValidationFailed as exc:
        return _invalid(request, scope, exc)
    figures = stats.monthly_statistics(request.user, query, scope)
    response = HttpResponse(workbook(figures), content_type=XLSX)
    suffix = f"-{query.province.code}" if query.province else ""
    response["Content-Disposition"] = f'attachment; filename="thong-ke-bhtn-{query.year}{suffix}.xlsx"'
    return response


# --- the workbook -----------------------------------------------------------------------------------------


def workbook(figures: stats.Statistics) -> bytes:
    """Three sheets: by month, by province, and by province and month (one line each, for a pivot table).
    Figures are numbers (amounts in đồng, formatted #,##0), never text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    cols = columns()

    def heading_row(sheet: Any, first: Sequence[str]) -> list[Any]:
        cells = []
        for text in [*first, *(heading for _n, heading, _m in cols)]:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            cells.append(cell)
        return cells

    def figure_cells(sheet: Any, item: stats.Figures, *, strong: bool = False) -> list[Any]:
        cells = []
        for name, _heading, _money in cols:
            cell = WriteOnlyCell(sheet, value=getattr(item, name))
            cell.number_format = "#,##0"
            if strong:
                cell.font = bold
            cells.append(cell)
        return cells

    def month_cell(sheet: Any, month: date) -> Any:
        cell = WriteOnlyCell(sheet, value=month)
        cell.number_format = "mm/yyyy"
        return cell

    def label(sheet: Any, text: str, *, strong: bool = False) -> Any:
        cell = WriteOnlyCell(sheet, value=text)
        if strong:
            cell.font = bold
        return cell

    def preamble(sheet: Any) -> None:
        sheet.append(
            [
                label(
                    sheet,
                    _("Unemployment insurance statistics, %(year)d") % {"year": figures.year},
                    strong=True,
                )
            ]
        )
        if figures.query.province is not None:
            sheet.append([_("Province"), figures.query.province.code, str(figures.query.province)])
        sheet.append([_scope_text(figures.scope)])
        sheet.append([headline(figures.total)])
        sheet.append([_counted_text(figures)])
        sheet.append([])

    by_month = book.create_sheet(_("By month")[:31])
    preamble(by_month)
    by_month.append(heading_row(by_month, [_("Month")]))
    for m in figures.months:
        by_month.append([month_cell(by_month, m.month), *figure_cells(by_month, m.figures)])
    by_month.append(
        [label(by_month, _("Total"), strong=True), *figure_cells(by_month, figures.total, strong=True)]
    )

    by_province = book.create_sheet(_("By province")[:31])
    preamble(by_province)
    by_province.append(heading_row(by_province, [_("Province code"), _("Province")]))
    for p in figures.provinces:
        by_province.append([p.code, p.name, *figure_cells(by_province, p.figures)])
    by_province.append(
        [
            "",
            label(by_province, _("Total"), strong=True),
            *figure_cells(by_province, figures.total, strong=True),
        ]
    )

    detail = book.create_sheet(_("By province and month")[:31])
    detail.append(heading_row(detail, [_("Province code"), _("Province"), _("Month")]))
    for p in figures.provinces:
        for m, item in zip(figures.months, p.months, strict=True):
            detail.append([p.code, p.name, month_cell(detail, m.month), *figure_cells(detail, item)])

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


urlpatterns: list[URLPattern] = [
    path("staff/unemployment/statistics/", statistics_page, name="statistics"),
    path("staff/unemployment/statistics.xlsx", statistics_xlsx, name="statistics_xlsx"),
]
