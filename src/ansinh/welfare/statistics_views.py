"""The social-security figures page and its Excel download (staff with `welfare_statistics.read`). Thin:
the figures come from `ansinh.welfare.statistics`, the same read as `GET /api/v1/welfare/figures`."""

import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ansinh.core.errors import ValidationFailed
from ansinh.web.pages import signed_in_page
from ansinh.welfare import statistics as stats
from ansinh.welfare.permissions import STATISTICS_READ

TEMPLATE = "welfare/statistics/home.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _asked(request: HttpRequest) -> dict[str, str]:
    return {
        "year": request.GET.get("year", "")[:6] or str(stats.this_year()),
        "month": request.GET.get("month", "")[:4],
        "province_id": request.GET.get("province_id", "")[:12],
    }


def _form(scope: stats.FiguresScope, values: dict[str, str]) -> dict[str, Any]:
    last = max(stats.this_year(), int(values["year"]) if values["year"].isdigit() else 0)
    last = min(last, stats.LAST_YEAR)
    return {
        "years": [str(y) for y in range(last, max(stats.FIRST_YEAR, 2021) - 1, -1)],
        "months": [str(m) for m in range(1, 13)],
        "provinces": [(str(p.pk), str(p)) for p in scope.provinces] if len(scope.provinces) > 1 else [],
        "values": values,
        "scope_text": scope_text(scope),
    }


def scope_text(scope: stats.FiguresScope) -> str:
    if scope.nation:
        return _("Figures of the whole country.")
    places = [str(p) for p in scope.provinces] + list(scope.organisations)
    return _("Figures of %(places)s.") % {"places": ", ".join(places)}


def _figures(request: HttpRequest) -> tuple[stats.WelfareFigures | None, dict[str, Any], int]:
    scope = stats.figures_scope(stats.statistics_grant(request.user))
    values = _asked(request)
    context = _form(scope, values)
    try:
        found = stats.welfare_figures_for(
            request.user,
            year=values["year"],
            month=values["month"] or None,
            province_id=values["province_id"],
        )
    except ValidationFailed as exc:
        context.update(errors=exc.details.get("fields", {}), error=exc)
        return None, context, exc.status
    params = {k: v for k, v in values.items() if v}
    context.update(figures=found, xlsx_query=urlencode(params))
    return found, context, 200


@require_safe
@signed_in_page(STATISTICS_READ)
def figures_page(request: HttpRequest) -> HttpResponse:
    _found, context, status = _figures(request)
    return render(request, TEMPLATE, context, status=status)


@require_safe
@signed_in_page(STATISTICS_READ)
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    found, context, status = _figures(request)
    if found is None:
        return render(request, TEMPLATE, context, status=status)
    response = HttpResponse(workbook(found), content_type=XLSX)
    suffix = f"-{found.month:02d}" if found.month else ""
    response["Content-Disposition"] = f'attachment; filename="so-lieu-an-sinh-{found.year}{suffix}.xlsx"'
    return response


def workbook(found: stats.WelfareFigures) -> bytes:
    """One sheet per table; figures are numbers (amounts in đồng, #,##0), never text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    counted = timezone.localtime(found.generated_at).strftime("%H:%M %d/%m/%Y")

    def sheet(title: str, headings: list[str], rows: list[list[Any]]) -> None:
        page = book.create_sheet(title[:31])
        page.append([_("Social-security figures, %(year)d") % {"year": found.year}])
        page.append([scope_text(found.scope) + (f" {found.province}" if found.province else "")])
        page.append([_("Counted from the records at %(time)s (Vietnam time).") % {"time": counted}])
        page.append([])
        cells = []
        for text in headings:
            cell = WriteOnlyCell(page, value=text)
            cell.font = bold
            cells.append(cell)
        page.append(cells)
        for row in rows:
            out = []
            for value in row:
                cell = WriteOnlyCell(page, value=value)
                if isinstance(value, int):
                    cell.number_format = "#,##0"
                out.append(cell)
            page.append(out)

    def line_rows(lines: tuple[stats.Line, ...], total: stats.Line | None = None) -> list[list[Any]]:
        items = [*lines, total] if total else list(lines)
        return [[item.label, item.count, item.amount] for item in items]

    month = found.amounts_month.strftime("%m/%Y")
    amount_heading = _("Amount due for %(month)s (VND)") % {"month": month}
    sheet(
        _("Allowances by status"),
        [_("Status"), _("Allowances"), amount_heading],
        line_rows(found.allowances_by_status, found.allowances_total),
    )
    sheet(
        _("Allowances by group"),
        [_("Group"), _("Allowances"), amount_heading],
        line_rows(found.allowances_by_group, found.allowances_total),
    )
    kinds = [line.label for line in found.payments_by_kind]
    payments_word = _("payments")
    sheet(
        _("Payments by month"),
        [_("Month"), *[f"{k} ({payments_word})" for k in kinds], *[f"{k} (VND)" for k in kinds]],
        [
            [m.month.strftime("%m/%Y"), *[k.count for k in m.kinds], *[k.amount for k in m.kinds]]
            for m in found.payments_by_month
        ],
    )
    sheet(
        _("Payments by province"),
        [_("Province code"), _("Province"), _("Payments"), _("Amount paid (VND)")],
        [[p.code, p.name, p.count, p.amount] for p in found.payments_by_province],
    )
    cards, medicine, pensions = _("Cards"), _("Medicine requests"), _("Pensions")
    sheet(
        _("Cards, medicine, pensions"),
        [_("Figure"), _("Count"), _("Amount (VND)")],
        [[f"{cards}: {line.label}", line.count, None] for line in found.cards]
        + [[f"{medicine}: {line.label}", line.count, None] for line in found.medicine_by_status]
        + [[f"{pensions}: {line.label}", line.count, line.amount] for line in found.pensions_by_method]
        + [[_("Change reports waiting"), found.changes_waiting, None]],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
