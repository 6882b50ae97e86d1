"""The response-time report as files: CSV and Excel. References and figures only, never a name, a phone
number or a place, so a download carries no personal data."""

import csv
import io
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.sos import stats
from ansinh.sos.models import RequestKind

# The workbook lists late requests one per line up to this many (write-only openpyxl writes about 10,000
# lines a second); past it the sheet says how many more, and the day table still has their references.
LATE_SHEET_MAX = 20_000
XLSX_CELL_MAX = 32_767


def console_link(request_id: int) -> str:
    """The operators' console page of one request."""
    return reverse("sos:desk_request", args=[request_id])


def kind_label(kind: str) -> str:
    return str(RequestKind(kind).label)


# --- downloads: references and figures only, never a name or a phone number -----------------------------


def _header() -> list[str]:
    return [
        _("Date"),
        _("Kind"),
        _("Requests"),
        _("Requests (not cancelled)"),
        _("Acknowledged"),
        _("Acknowledged within the limit"),
        _("Late"),
        _("of which not acknowledged yet"),
        _("Share acknowledged within the limit"),
        _("Response time p50 (seconds)"),
        _("Response time p90 (seconds)"),
        _("Late requests (references)"),
    ]


def _cells(row: stats.ReportRow) -> list[Any]:
    t = row.timeliness
    return [
        row.day,
        row.kind_label,
        row.requests,
        t.counted,
        t.acknowledged,
        t.within_limit,
        t.late,
        t.late_waiting,
        t.share_within_limit,
        row.p50,
        row.p90,
        " ".join(item.reference for item in row.late_requests),
    ]


def _fit_cell(text: str) -> str:
    """Excel holds at most 32,767 characters in a cell: cut a long list of references at a reference."""
    if len(text) <= XLSX_CELL_MAX:
        return text
    cut = text[: XLSX_CELL_MAX - 40].rsplit(" ", 1)[0]
    return f"{cut} … (+{text.count(' ') - cut.count(' ')})"


def _filename(report: stats.Report, extension: str) -> str:
    period = report.period
    return f"sos-response-times-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.{extension}"


def report_csv(report: stats.Report) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    response.write("\ufeff")  # so spreadsheet programs read the Vietnamese text as UTF-8
    writer = csv.writer(response)
    writer.writerow(_header())
    for row in report.rows:
        cells = _cells(row)
        cells[0] = row.day.isoformat()
        cells[8] = "" if cells[8] is None else cells[8]
        writer.writerow(["" if c is None else c for c in cells])
    return response


def _local(value: datetime | None) -> datetime | None:
    # Excel has no time zones: the local time of Vietnam, as the page shows it.
    return timezone.localtime(value, stats.local_zone()).replace(tzinfo=None) if value else None


def report_xlsx(request: HttpRequest, report: stats.Report) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Response times")[:31])
    period = report.period
    sheet.append([_("Response times of the 24/7 desk")])
    sheet.append(
        [
            _("Period"),
            period.date_from,
            period.date_to,
            _("Days in Vietnam time (Asia/Ho_Chi_Minh)."),
        ]
    )
    for kind, seconds in report.limits.items():
        sheet.append([_("Time limit to acknowledge"), kind_label(kind), seconds, _("seconds")])
    sheet.append(
        [
            _(
                "Late: acknowledged after the limit, or not acknowledged yet and waiting longer than the "
                "limit. Cancelled requests are not counted."
            )
        ]
    )
    sheet.append([])
    sheet.append(_header())
    for row in report.rows:
        cells = _cells(row)
        cells[-1] = _fit_cell(cells[-1])
        sheet.append(cells)
    late = book.create_sheet(_("Late requests")[:31])
    late.append(
        [
            _("Reference"),
            _("Kind"),
            _("Received at"),
            _("Acknowledged at"),
            _("Waited (seconds)"),
            _("Console"),
        ]
    )
    site = request.build_absolute_uri("/").rstrip("/")
    listed = 0
    total = sum(len(row.late_requests) for row in report.rows)
    for row in report.rows:
        label = row.kind_label
        for item in row.late_requests[: max(0, LATE_SHEET_MAX - listed)]:
            late.append(
                [
                    item.reference,
                    label,
                    _local(item.created_at),
                    _local(item.acknowledged_at),
                    item.waited_seconds,
                    site + console_link(item.id),
                ]
            )
            listed += 1
    if total > listed:
        late.append(
            [
                _("and %(n)d more: choose a shorter period, or see the references by day.")
                % {"n": total - listed}
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response
