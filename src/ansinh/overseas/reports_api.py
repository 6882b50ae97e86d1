"""The annual report through the API (mounted at /api/v1/overseas): the figures of a year for the
enterprise (or a branch's own, where the enterprise delegated reports), as JSON, Excel or PDF; the signed
submission (the enterprise itself); the submitted reports in the reader's scope. Thin: `annual_report`
reads, `services.reports` writes."""

from datetime import date, datetime
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ansinh.accounts.selectors import require_permission
from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.core.errors import NotFound
from ansinh.overseas import annual_report
from ansinh.overseas import permissions as perms
from ansinh.overseas.models import AnnualReport
from ansinh.overseas.services import reports

router = Router(tags=["overseas"])


class SubmissionOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    year: int
    version: int = Field(description="1 for the first submission; a correction before the due date adds one")
    submitted_at: datetime
    submitted_by: str = Field(description="The user who submitted it")
    signed_by: str = Field(description="The signer the verified certificate names")
    signed_at: datetime
    signature_sha256: str
    days_late: int = Field(description="Days after the due date it was submitted; 0 when on time")
    signed_pdf_url: str


class ReportOut(Schema):
    year: int
    period_start: date
    period_end: date
    counted_to: date = Field(description="The period's end, or today while the period runs")
    due: date = Field(description="The last day on time (the report is due before 20 December)")
    complete: bool
    figures: dict[str, Any] = Field(
        description=(
            "The figures: workers sent in the period (deployed, by_country, by_sex, by_occupation, by_kind, "
            "by_unit), abroad at the end (abroad, abroad_by_country), steps, and for the enterprise "
            "contracts, fees and deposit (null in a branch's own report)"
        )
    )
    submission: SubmissionOut | None = None


def _submission(report: AnnualReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "enterprise_id": report.enterprise_id,
        "enterprise_name": report.enterprise.organisation.name,
        "year": report.year,
        "version": report.version,
        "submitted_at": report.submitted_at,
        "submitted_by": report.submitted_by.get_username() if report.submitted_by else "",
        "signed_by": report.signed_by,
        "signed_at": report.signed_at,
        "signature_sha256": report.signature_sha256,
        "days_late": reports.days_late(report),
        "signed_pdf_url": f"/api/v1/overseas/reports/submitted/{report.pk}.pdf",
    }


def _figures(request: HttpRequest, year: int) -> annual_report.AnnualFigures:
    user = current_user(request)
    require_permission(user, perms.REPORT_SUBMIT)
    return annual_report.report_for(user, year, today=timezone.localdate())


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get(
    "/reports/submitted",
    response=list[SubmissionOut],
    summary="Annual reports submitted, in the reader's scope",
)
@paginate(PageNumber)
def submitted_list(request: HttpRequest, year: int | None = None) -> Any:
    user = current_user(request)
    require_permission(user, perms.READ)
    found = annual_report.submitted_in_scope(user).select_related("enterprise__organisation", "submitted_by")
    if year is not None:
        found = found.filter(year=year)
    return _Page(found.order_by("-year", "enterprise__organisation__name", "pk"))


class _Page:
    """A queryset served through `_submission` one page at a time (the pagination slices it)."""

    def __init__(self, queryset: Any):
        self.queryset = queryset

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [_submission(r) for r in self.queryset[item]]


@router.get(
    "/reports/submitted/{int:report_id}.pdf", summary="A submitted report as the enterprise signed it"
)
def submitted_pdf(request: HttpRequest, report_id: int) -> FileResponse:
    user = current_user(request)
    require_permission(user, perms.READ)
    report = annual_report.submitted_get_for(user, report_id)
    if not report.signed_file:
        raise NotFound()
    return FileResponse(
        report.signed_file.open("rb"),
        as_attachment=True,
        filename=f"bao-cao-nam-{report.year}-{report.enterprise.tax_code}-ky-so.pdf",
        content_type="application/pdf",
    )


@router.get(
    "/reports/{int:year}",
    response=ReportOut,
    summary="The annual report's figures of a year (the enterprise's, or a branch's own records)",
)
def report_figures(request: HttpRequest, year: int) -> dict[str, Any]:
    figures = _figures(request, year)
    submitted = None
    if not figures.branch_code:
        submitted = (
            AnnualReport.objects.filter(enterprise_id=figures.enterprise_id, year=figures.year)
            .select_related("enterprise__organisation", "submitted_by")
            .first()
        )
    return {
        "year": figures.year,
        "period_start": figures.period_start,
        "period_end": figures.period_end,
        "counted_to": figures.counted_to,
        "due": figures.due,
        "complete": figures.complete,
        "figures": figures.as_json(),
        "submission": _submission(submitted) if submitted else None,
    }


@router.get("/reports/{int:year}.xlsx", summary="The annual report as an Excel file (in Vietnamese)")
def report_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    figures = _figures(request, year)
    return _attachment(
        annual_report.workbook(figures), annual_report.XLSX, f"{annual_report.file_stem(figures)}.xlsx"
    )


@router.get("/reports/{int:year}.pdf", summary="The annual report form as a PDF (unsigned, in Vietnamese)")
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    figures = _figures(request, year)
    return _attachment(
        annual_report.pdf(figures), "application/pdf", f"{annual_report.file_stem(figures)}.pdf"
    )


@router.post(
    "/reports/{int:year}/submit",
    response={201: SubmissionOut},
    summary=(
        "Submit the annual report of a year, signed with the enterprise's certificate (the enterprise "
        "itself; once the period has ended; a correction replaces it until the due date)"
    ),
)
def report_submit(request: HttpRequest, year: int) -> Status[Any]:
    user = current_user(request)
    require_permission(user, perms.REPORT_SUBMIT)
    report = reports.annual_report_submit(actor=user, year=year)
    return Status(201, _submission(report))
