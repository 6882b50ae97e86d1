"""The worker-list import in the enterprise's portal: upload an Excel list for a registered contract, follow
its check (a progress bar; the page refreshes itself while the check runs, no script needed), download the
errors in Vietnamese, and confirm a list with none. An enterprise, or a branch it delegated worker
registration to. Thin: the same services and selectors as the API (`imports_api.py`)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ansinh.core.errors import DomainError, NotFound
from ansinh.overseas import permissions as perms
from ansinh.overseas import selectors
from ansinh.overseas.forms import WorkerListUploadForm
from ansinh.overseas.models import ContractStatus, ImportStatus, WorkerImport
from ansinh.overseas.services import import_sheets, imports
from ansinh.overseas.views import show_error, signed_in_page, spreadsheet_response
from ansinh.web.forms import error_text

LISTED_IMPORTS = 20
SHOWN_ERRORS = 50
REFRESH_SECONDS = 2


def _contracts(request: HttpRequest) -> list[tuple[int, str]]:
    return list(
        selectors.contracts_in_scope(request.user)
        .filter(status=ContractStatus.REGISTERED)
        .order_by("number")
        .values_list("pk", "number")[:500]
    )


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.WORKER_REGISTER)
def import_list(request: HttpRequest) -> HttpResponse:
    enterprise, organisation = selectors.acting_enterprise(request.user, perms.WORKER_REGISTER)
    form = WorkerListUploadForm(request.POST or None, request.FILES or None, contracts=_contracts(request))
    if request.method == "POST" and form.is_valid():
        try:
            imported = imports.import_upload(
                actor=request.user,
                contract_id=form.cleaned_data["contract"],
                file=form.cleaned_data.get("file") or None,
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            show_error(form, exc, {"contract_id": "contract"})
        else:
            return redirect("overseas:import", imported.pk)
    return render(
        request,
        "overseas/imports.html",
        {
            "enterprise": enterprise,
            "organisation": organisation,
            "form": form,
            "lists": selectors.imports_in_scope(request.user)
            .select_related("contract")
            .defer("errors")
            .order_by("-created_at", "-pk")[:LISTED_IMPORTS],
        },
    )


def _percent(imported: WorkerImport) -> int:
    if imported.status != ImportStatus.CHECKING:
        return 100
    if not imported.rows_total:
        return 0
    return min(99, imported.rows_checked * 100 // imported.rows_total)


@require_safe
@signed_in_page(perms.WORKER_REGISTER)
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    imported = selectors.import_get_for(request.user, import_id)
    enterprise, organisation = selectors.acting_enterprise(request.user, perms.WORKER_REGISTER)
    checking = imported.status == ImportStatus.CHECKING
    return render(
        request,
        "overseas/import.html",
        {
            "enterprise": enterprise,
            "organisation": organisation,
            "imported": imported,
            "percent": _percent(imported),
            "refresh": REFRESH_SECONDS if checking else None,
            "errors": (imported.errors or [])[:SHOWN_ERRORS],
            "more_errors": max(0, imported.error_count - SHOWN_ERRORS),
        },
    )


@require_safe
@signed_in_page(perms.WORKER_REGISTER)
def import_errors(request: HttpRequest, import_id: int) -> HttpResponse:
    imported = selectors.import_get_for(request.user, import_id)
    return spreadsheet_response(import_sheets.error_report(imported), f"loi-danh-sach-{imported.pk}.xlsx")


@require_safe
@signed_in_page(perms.WORKER_REGISTER)
def import_template(request: HttpRequest) -> HttpResponse:
    return spreadsheet_response(import_sheets.import_template(), "mau-danh-sach-nguoi-lao-dong.xlsx")


@require_POST
@signed_in_page(perms.WORKER_REGISTER)
def import_confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    try:
        imported = imports.import_confirm(actor=request.user, import_id=import_id)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(count)s workers are registered under contract %(number)s.")
            % {"count": f"{imported.saved_count:,}".replace(",", "."), "number": imported.contract.number},
        )
    return redirect("overseas:import", import_id)


@require_safe
@signed_in_page(perms.WORKER_REGISTER)
def import_signed_pdf(request: HttpRequest, import_id: int) -> HttpResponse:
    """The saved list's signed attestation (a small PDF: read whole)."""
    imported = selectors.import_get_for(request.user, import_id)
    if not imported.signed_file:
        raise NotFound()
    with imported.signed_file.open("rb") as signed:
        response = HttpResponse(signed.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="danh-sach-{imported.pk}-da-ky.pdf"'
    response["Cache-Control"] = "no-store"
    return response
