"""The national statistics of workers abroad under contract (staff with `ovl_statistics.read`): the page and
its Excel download.

Thin: the figures come from `ansinh.overseas.statistics.workers_statistics`, the same read as
`GET /api/v1/overseas/statistics`, in the reader's scope (the department: the whole country; a province's
officials: the workers from their province). This module lays them out: a year and two filters (destination
country, province of origin) in a plain GET form, charts drawn here as inline SVG (no script), each with its
data table, and the same tables as an Excel workbook (openpyxl, write-only), one sheet per breakdown.
"""

import io
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, numberformat, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ansinh.accounts.selectors import has_permission
from ansinh.core import charts
from ansinh.core.errors import DomainError, PermissionDenied, ValidationFailed
from ansinh.overseas import permissions as perms
from ansinh.overseas import statistics as stats

TEMPLATE = "overseas/staff/statistics.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2000
MONTHS = range(1, 13)
CHARTED = 4  # the first breakdowns (month, country, province, sex) have a chart beside their table
View = Callable[..., HttpResponse]


def count_text(value: float) -> str:
    """12.345 in Vietnamese, 12,345 in English."""
    return numberformat.format(
        int(value),
        formats.get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def _denied(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "web/denied.html", {"error": exc}, status=exc.status)


def statistics_reader(view: View) -> View:
    """Signed in (the security gate has asked staff for their second factor) and allowed to read the
    statistics; a 403 page otherwise."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_permission(request.user, perms.STATISTICS_READ):
            return _denied(request, PermissionDenied())
        return view(request, *args, **kwargs)

    return wrapped


# --- the question asked ------------------------------------------------------------------------------------


def _values(request: HttpRequest) -> dict[str, str]:
    return {
        "year": request.GET.get("year", "").strip()[:6],
        "country": request.GET.get("country", "").strip().upper()[:2],
        "province": request.GET.get("province", "").strip()[:8],
    }


def _years(today: date) -> list[int]:
    return list(range(today.year + 1, FIRST_YEAR - 1, -1))


def _figures(request: HttpRequest, values: dict[str, str], today: date) -> stats.Statistics:
    year = int(values["year"]) if values["year"].isdigit() else (today.year if not values["year"] else 0)
    if year not in _years(today):
        raise ValidationFailed.single("year", _("Choose a year from 2000 to next year."))
    return stats.workers_statistics(
        request.user, year, today=today, country=values["country"], province=values["province"]
    )


def _form_context(values: dict[str, str], today: date) -> dict[str, Any]:
    countries = stats.country_names()
    return {
        "years": _years(today),
        "countries": sorted(countries.items(), key=lambda item: item[1]),
        "provinces": list(stats.province_names().items()),
        "values": values,
    }


# --- labels ------------------------------------------------------------------------------------------------


class Names:
    """The names of the codes the figures are keyed by, in the reader's language."""

    def __init__(self, figures: stats.Statistics) -> None:
        codes = {*figures.by_country, *figures.abroad_now, *figures.early_returns}
        self.countries = stats.country_names(codes)
        self.provinces = stats.province_names()
        self.groups = stats.occupation_group_names()

    def country(self, code: str) -> str:
        return self.countries.get(code, code) if code else _("Not recorded")

    def province(self, code: str) -> str:
        return self.provinces.get(code, code) if code else _("Not recorded")

    def group(self, code: str) -> str:
        return f"{code} {self.groups[code]}" if code in self.groups else (code or _("Not recorded"))

    @staticmethod
    def sex(code: str) -> str:
        return {"M": _("Men"), "F": _("Women")}.get(code, _("Not recorded"))


def _month_label(year: int, month: int) -> str:
    return f"{month:02d}/{year}"


def breakdowns(figures: stats.Statistics, names: Names) -> list[dict[str, Any]]:
    """Every table of the page and the workbook: (key, title, first column's heading, rows of
    (code, label, workers)); the page draws a chart beside the first four."""
    year = figures.year
    return [
        {
            "key": "months",
            "title": _("Workers deployed by month"),
            "heading": _("Month"),
            "rows": [("", _month_label(year, m), figures.by_month[m - 1]) for m in MONTHS],
        },
        {
            "key": "countries",
            "title": _("Workers deployed by country"),
            "heading": _("Country"),
            "rows": [(c, names.country(c), n) for c, n in figures.by_country.items()],
        },
        {
            "key": "provinces",
            "title": _("Workers deployed by province of origin"),
            "heading": _("Province of origin"),
            "rows": [(p, names.province(p), n) for p, n in figures.by_province.items()],
        },
        {
            "key": "sex",
            "title": _("Workers deployed by sex"),
            "heading": _("Sex"),
            "rows": [(s, names.sex(s), n) for s, n in figures.by_sex.items()],
        },
        {
            "key": "occupations",
            "title": _("Workers deployed by occupation group (ISCO-08)"),
            "heading": _("Occupation group"),
            "rows": [(g, names.group(g), n) for g, n in figures.by_occupation.items()],
        },
        {
            "key": "abroad",
            "title": _("Workers abroad now by country"),
            "heading": _("Country"),
            "rows": [(c, names.country(c), n) for c, n in figures.abroad_now.items()],
        },
        {
            "key": "early",
            "title": _("Early returns by country"),
            "heading": _("Country"),
            "rows": [(c, names.country(c), n) for c, n in figures.early_returns.items()],
        },
        {
            "key": "enterprises",
            "title": _("Enterprises by workers deployed"),
            "heading": _("Enterprise"),
            "rows": [("", name, n) for name, n in figures.enterprises],
        },
    ]


def _chart(table: dict[str, Any], figures: stats.Statistics) -> str:
    rows = table["rows"]
    description = _("%(n)s workers deployed in %(year)d; the table beside lists every figure.") % {
        "n": count_text(figures.deployed),
        "year": figures.year,
    }
    if table["key"] == "months":
        return charts.stacked_columns(
            [label for _c, label, _n in rows],
            [charts.Series(_("Workers deployed"), [n for _c, _l, n in rows], charts.BLUE)],
            title=table["title"],
            chart_id="chart-months",
            description=description,
            tick_labels=[f"{m:02d}" for m in MONTHS],
            max_ticks=12,
            value_format=count_text,
        )
    colour = {"countries": charts.BLUE, "provinces": charts.BLUISH_GREEN, "sex": charts.VERMILLION}
    return charts.horizontal_bars(
        [(label, float(n)) for _c, label, n in rows[:15]],
        title=table["title"],
        chart_id=f"chart-{table['key']}",
        description=description,
        colour=colour[table["key"]],
        value_format=count_text,
    )


def _filters_text(figures: stats.Statistics, names: Names) -> str:
    parts = []
    if figures.country:
        parts.append(_("country: %(name)s") % {"name": names.country(figures.country)})
    if figures.province:
        parts.append(_("province of origin: %(name)s") % {"name": names.province(figures.province)})
    return "; ".join(parts)


def _query(figures: stats.Statistics) -> dict[str, str]:
    query = {"year": str(figures.year)}
    if figures.country:
        query["country"] = figures.country
    if figures.province:
        query["province"] = figures.province
    return query


# --- pages -------------------------------------------------------------------------------------------------


def _invalid(
    request: HttpRequest, values: dict[str, str], today: date, exc: ValidationFailed
) -> HttpResponse:
    context = {**_form_context(values, today), "errors": exc.details.get("fields", {}), "error": exc}
    return render(request, TEMPLATE, context, status=exc.status)


@require_safe
@statistics_reader
def statistics_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    values = _values(request)
    try:
        figures = _figures(request, values, today)
    except ValidationFailed as exc:
        return _invalid(request, values, today, exc)
    except DomainError as exc:
        return _denied(request, exc)
    names = Names(figures)
    tables = breakdowns(figures, names)
    for index, table in enumerate(tables):
        table["chart"] = _chart(table, figures) if index < CHARTED and table["rows"] else ""
        table["shown"] = [(label, count_text(n)) for _code, label, n in table["rows"]]
        table["total"] = count_text(sum(n for _c, _l, n in table["rows"]))
    women = figures.by_sex.get("F", 0)
    context = {
        **_form_context({**values, "year": str(figures.year)}, today),
        "figures": figures,
        "filters_text": _filters_text(figures, names),
        "kpis": [
            (_("Workers deployed in the year"), count_text(figures.deployed)),
            (_("Workers abroad now"), count_text(sum(figures.abroad_now.values()))),
            (_("Early returns in the year"), count_text(sum(figures.early_returns.values()))),
            (_("Women among those deployed"), count_text(women)),
        ],
        "tables": tables,
        "xlsx_query": urlencode(_query(figures)),
        "today": today,
    }
    return render(request, TEMPLATE, context)


@require_safe
@statistics_reader
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    values = _values(request)
    try:
        figures = _figures(request, values, today)
    except ValidationFailed as exc:
        return _invalid(request, values, today, exc)
    except DomainError as exc:
        return _denied(request, exc)
    response = HttpResponse(workbook(figures, today), content_type=XLSX)
    suffix = "".join(f"-{v}" for v in (figures.country, figures.province) if v)
    response["Content-Disposition"] = (
        f'attachment; filename="thong-ke-lao-dong-ngoai-nuoc-{figures.year}{suffix}.xlsx"'
    )
    return response


# --- the workbook ------------------------------------------------------------------------------------------


def workbook(figures: stats.Statistics, today: date) -> bytes:
    """One sheet per breakdown (write-only): a title, the filters, then code, name and workers per line
    and the total; figures are numbers, never text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    names = Names(figures)
    filters = _filters_text(figures, names)

    def strong(sheet: Any, value: Any) -> Any:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    def number(sheet: Any, value: int, *, emphasis: bool = False) -> Any:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0"
        if emphasis:
            cell.font = bold
        return cell

    for table in breakdowns(figures, names):
        sheet = book.create_sheet(table["title"][:31])
        sheet.append([strong(sheet, _("Workers abroad under contract, %(year)d") % {"year": figures.year})])
        sheet.append([table["title"]])
        if filters:
            sheet.append([_("Filters: %(filters)s") % {"filters": filters}])
        sheet.append([_("Counted on %(day)s.") % {"day": today.strftime("%d/%m/%Y")}])
        sheet.append([])
        sheet.append([strong(sheet, _("Code")), strong(sheet, table["heading"]), strong(sheet, _("Workers"))])
        for code, label, n in table["rows"]:
            sheet.append([code or None, label, number(sheet, n)])
        total = sum(n for _c, _l, n in table["rows"])
        sheet.append([None, strong(sheet, _("Total")), number(sheet, total, emphasis=True)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
