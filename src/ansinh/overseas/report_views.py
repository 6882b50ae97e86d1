"""The annual report's pages: the enterprise's (choose the year, see the figures, download them as Excel or
PDF, submit the report signed with the enterprise's certificate) and the department's and provinces' (the
reports submitted in scope, the enterprises whose report is missing or overdue, the signed files).

Thin: the figures are `annual_report.report_for` (the same read as `GET /api/v1/overseas/reports/{year}`),
the submission `services.reports.annual_report_submit`. Plain forms that work without JavaScript; the
submission is a POST that redirects back to the year's page (PRG)."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ansinh.core.errors import DomainError, NotFound, ValidationFailed
from ansinh.overseas import annual_report, rules
from ansinh.overseas import permissions as perms
from ansinh.overseas.models import AnnualReport, Enterprise
from ansinh.overseas.services import reports
from ansinh.overseas.views import signed_in_page
from ansinh.web.forms import error_text

PAGE_SIZE = 50
MISSING_SHOWN = 200
PDF = "application/pdf"


def _year_asked(request: HttpRequest, default: int) -> str:
    return request.GET.get("year", "").strip()[:6] or str(default)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _invalid(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    return render(request, "web/denied.html", {"error": exc}, status=exc.status)


# --- the enterprise ----------------------------------------------------------------------------------------


@require_safe
@signed_in_page(perms.REPORT_SUBMIT)
def enterprise_reports(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    enterprise, branch = annual_report.acting_unit(request.user)
    asked = _year_asked(request, annual_report.current_year(today))
    context: dict[str, Any] = {
        "enterprise": enterprise,
        "branch": branch,
        "years": annual_report.years(today),
        "asked": asked,
        "today": today,
    }
    try:
        figures = annual_report.report_for(request.user, asked, today=today)
    except ValidationFailed as exc:
        context["errors"] = exc.details.get("fields", {})
        return render(request, "overseas/reports/enterprise.html", context, status=exc.status)
    submitted = (
        AnnualReport.objects.filter(enterprise=enterprise, year=figures.year)
        .select_related("submitted_by")
        .first()
        if branch is None
        else None
    )
    period_ended = today > figures.period_end
    context.update(
        {
            "figures": figures,
            "sections": annual_report.sections(figures),
            "period_text": annual_report.period_text(figures),
            "submitted": submitted,
            "days_late": reports.days_late(submitted) if submitted else 0,
            "period_ended": period_ended,
            "overdue_days": (today - figures.due).days if today > figures.due else 0,
            # The enterprise submits (never a branch); a submitted report is replaced only until it is due.
            "can_submit": branch is None and period_ended and (submitted is None or today <= figures.due),
        }
    )
    return render(request, "overseas/reports/enterprise.html", context)


def _figures_or_error(request: HttpRequest, year: int) -> Any:
    return annual_report.report_for(request.user, year, today=timezone.localdate())


@require_safe
@signed_in_page(perms.REPORT_SUBMIT)
def enterprise_report_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    try:
        figures = _figures_or_error(request, year)
    except ValidationFailed as exc:
        return _invalid(request, exc)
    stem = annual_report.file_stem(figures)
    return _attachment(annual_report.workbook(figures), annual_report.XLSX, f"{stem}.xlsx")


@require_safe
@signed_in_page(perms.REPORT_SUBMIT)
def enterprise_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    try:
        figures = _figures_or_error(request, year)
    except ValidationFailed as exc:
        return _invalid(request, exc)
    return _attachment(annual_report.pdf(figures), PDF, f"{annual_report.file_stem(figures)}.pdf")


@require_POST
@signed_in_page(perms.REPORT_SUBMIT)
def enterprise_report_submit(request: HttpRequest, year: int) -> HttpResponse:
    try:
        report = reports.annual_report_submit(actor=request.user, year=year)
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("The report of %(year)d is submitted, signed by %(signer)s.")
            % {"year": report.year, "signer": report.signed_by},
        )
    return redirect(f"{reverse('overseas_reports:enterprise')}?{urlencode({'year': year})}")


@require_safe
@signed_in_page(perms.READ)
def signed_pdf(request: HttpRequest, report_id: int) -> Any:
    """The report as the enterprise signed it, for whoever may read it (the enterprise, the province of
    its seat, the department)."""
    report = annual_report.submitted_get_for(request.user, report_id)
    if not report.signed_file:
        raise NotFound()
    response = FileResponse(
        report.signed_file.open("rb"),
        as_attachment=True,
        filename=f"bao-cao-nam-{report.year}-{report.enterprise.tax_code}-ky-so.pdf",
        content_type=PDF,
    )
    response["Cache-Control"] = "no-store"
    return response


# --- the department and the provinces ----------------------------------------------------------------------


@require_safe
@signed_in_page(perms.READ)
def staff_reports(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    asked = _year_asked(request, annual_report.last_closed_year(today))
    context: dict[str, Any] = {"years": annual_report.years(today), "asked": asked, "today": today}
    try:
        year = annual_report.check_year(asked, today)
    except ValidationFailed as exc:
        context["errors"] = exc.details.get("fields", {})
        return render(request, "overseas/reports/staff.html", context, status=exc.status)
    due = rules.annual_report_due(year)
    submitted = (
        annual_report.submitted_in_scope(request.user)
        .filter(year=year)
        .select_related("enterprise__organisation", "province", "submitted_by")
        .order_by("enterprise__organisation__name", "pk")
    )
    page = Paginator(submitted, PAGE_SIZE).get_page(request.GET.get("page"))
    missing: Any = annual_report.missing_in_scope(request.user, year)
    missing_count = missing.count()
    missing_rows: list[Enterprise] = list(
        missing.select_related("organisation", "province").order_by("organisation__name", "pk")[
            :MISSING_SHOWN
        ]
    )
    context.update(
        {
            "year": year,
            "due": due,
            "overdue_days": (today - due).days if today > due else 0,
            "page": page,
            "query": urlencode({"year": year}),
            "rows": [(r, reports.days_late(r)) for r in page],
            "missing": missing_rows,
            "missing_count": missing_count,
            "missing_more": max(0, missing_count - len(missing_rows)),
        }
    )
    return render(request, "overseas/reports/staff.html", context)
