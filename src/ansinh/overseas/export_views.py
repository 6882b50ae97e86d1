"""The worker-list export pages: the enterprise's portal (`/overseas/enterprise/workers/export/`, an
enterprise or a branch that was delegated reading) and the officials' (`/staff/overseas/workers/export/`, a
province's officials and the department).

A plain form (no script needed): GET shows the filters and the purpose (a link may prefill the filters), POST
returns the .xlsx itself, streamed from its temporary file; a refused POST shows the form again with each
problem beside its field. Thin: `worker_exports.workers_export` reads the scope, checks, writes and logs.
"""

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ansinh.core.errors import ValidationFailed
from ansinh.overseas import permissions as perms
from ansinh.overseas import selectors, worker_exports
from ansinh.overseas import statistics as stats
from ansinh.overseas.export_forms import WorkerExportForm
from ansinh.overseas.models import ContractStatus
from ansinh.overseas.views import signed_in_page
from ansinh.web.forms import apply_domain_error

# The worker list's own query names, to prefill from its link.
LIST_ALIASES = {"contract": "contract_id"}
CONTRACT_CHOICES = 500


def _prefill(request: HttpRequest) -> dict[str, str]:
    initial = {}
    for name in request.GET:
        field, value = LIST_ALIASES.get(name, name), request.GET.get(name, "")
        if field in WorkerExportForm.FILTERS and value:
            initial[field] = value[:60]
    return initial


def _form(request: HttpRequest, contracts: list[tuple[int, str]] | None) -> WorkerExportForm:
    return WorkerExportForm(
        request.POST if request.method == "POST" else None,
        initial=_prefill(request) if request.method != "POST" else None,
        contracts=contracts,
        countries=sorted(stats.country_names().items(), key=lambda item: item[1]),
        provinces=list(stats.province_names().items()),
    )


def _spreadsheet(export: worker_exports.WorkerExport) -> FileResponse:
    response = FileResponse(
        export.file, as_attachment=True, filename=export.filename, content_type=worker_exports.XLSX
    )
    response["Cache-Control"] = "no-store"  # personal data: never kept by a cache on the way
    return response


def _export_page(
    request: HttpRequest, template: str, contracts: list[tuple[int, str]] | None, context: dict[str, Any]
) -> HttpResponseBase:
    form = _form(request, contracts)
    if request.method == "POST":
        if form.is_valid():
            try:
                export = worker_exports.workers_export(
                    actor=request.user,
                    purpose=form.cleaned_data["purpose"],
                    purpose_detail=form.cleaned_data["purpose_detail"],
                    filters=form.filters(),
                )
            except ValidationFailed as exc:
                apply_domain_error(form, exc)
            else:
                return _spreadsheet(export)
        else:
            # A filter typed wrong: say at once what the purpose lacks too, rather than after the next try.
            problems = worker_exports.purpose_problems(
                form.data.get("purpose", ""), form.data.get("purpose_detail", "")
            )
            apply_domain_error(
                form, ValidationFailed({k: v for k, v in problems.items() if k not in form.errors})
            )
    return render(request, template, {**context, "form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.READ)
def enterprise_export(request: HttpRequest) -> HttpResponseBase:
    """For the enterprise and its branches (the officials get the denied page: they act for no enterprise)."""
    enterprise, organisation = selectors.acting_enterprise(request.user, perms.READ)
    contracts = list(
        selectors.contracts_in_scope(request.user)
        .filter(status=ContractStatus.REGISTERED)  # workers are registered on these only
        .order_by("number", "pk")
        .values_list("pk", "number")[:CONTRACT_CHOICES]
    )
    context = {"enterprise": enterprise, "organisation": organisation}
    return _export_page(request, "overseas/exports/enterprise.html", contracts, context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.READ)
def staff_export(request: HttpRequest) -> HttpResponseBase:
    """For officials: the workers of their province of origin, or the whole country for the department."""
    return _export_page(request, "overseas/exports/staff.html", None, {})
