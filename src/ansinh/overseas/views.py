"""The overseas-labour pages: an enterprise registering itself; the enterprise's portal (its information,
licence, deposit, branches and what each was delegated, its contracts and its workers abroad); and the
department's pages (enterprises in scope, licences, the queue of contract registrations to reply to).

Thin: the same services and selectors as the API (`api.py`). Plain forms that work without JavaScript; a
refused POST is shown again with each problem beside its field, a successful one redirects (PRG)."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ansinh.accounts.models import Organisation, OrganisationKind
from ansinh.accounts.selectors import has_permission
from ansinh.core import audit
from ansinh.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from ansinh.core.middleware import client_ip
from ansinh.dossiers import selectors as dossier_selectors
from ansinh.overseas import permissions as perms
from ansinh.overseas import rules, selectors
from ansinh.overseas.errors import BreaksTheLaw
from ansinh.overseas.forms import (
    BranchForm,
    ContractForm,
    DecisionForm,
    EnterpriseInfoForm,
    EnterpriseRegisterForm,
    LicenceChangeForm,
    LicenceGrantForm,
    WorkerStepForm,
)
from ansinh.overseas.models import (
    Contract,
    ContractStatus,
    Enterprise,
    EnterpriseStatus,
    Licence,
    LicenceStatus,
    Worker,
    WorkerStatus,
)
from ansinh.overseas.procedures import LICENCE_APPLICATION
from ansinh.overseas.services import contracts, enterprises, signatures, workers
from ansinh.web.forms import error_text
from ansinh.web.pages import denied as _denied
from ansinh.web.pages import show_error, signed_in_page

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_response(content: bytes, filename: str) -> HttpResponse:
    """An Excel file to download, never cached (it may hold personal data)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _page(request: HttpRequest, queryset: Any) -> tuple[Any, str]:
    """One page of `queryset` and the query string of the filters, for web/_pager.html."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- an enterprise registers itself ------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Open to anyone. The one-time password is shown once, in the answer to the POST itself: it is never
    stored (not even in the session), and the page is not cached."""
    form = EnterpriseRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise, user, password = enterprises.enterprise_register(
                client=client_ip(request) or "", **form.cleaned_data
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            return render(
                request,
                "overseas/registered.html",
                {"enterprise": enterprise, "username": user.username, "password": password},
            )
    return render(request, "overseas/register.html", {"form": form})


# --- the enterprise's portal -------------------------------------------------------------------------------


def _acting(request: HttpRequest) -> tuple[Enterprise, Organisation]:
    return selectors.acting_enterprise(request.user, perms.READ)


def _acts_as_enterprise(user: Any, permission: str) -> bool:
    """Whether the user uses `permission` for the enterprise itself (not through a branch)."""
    try:
        _enterprise, organisation = selectors.acting_enterprise(user, permission)
    except DomainError:
        return False
    return organisation.kind == OrganisationKind.ENTERPRISE


def _licence_of(enterprise: Enterprise) -> Licence | None:
    """The licence in force (or suspended), else the latest one."""
    licences = list(enterprise.licences.prefetch_related("events"))
    current = [lic for lic in licences if lic.status != LicenceStatus.REVOKED]
    found = current or licences
    return found[0] if found else None


def _portal_context(
    request: HttpRequest, *, info_form: Any = None, branch_form: Any = None, failed_branch: int | None = None
) -> dict[str, Any]:
    enterprise, organisation = _acting(request)
    user = request.user
    can_manage = organisation.kind == OrganisationKind.ENTERPRISE and has_permission(
        user, perms.ENTERPRISE_MANAGE
    )
    context: dict[str, Any] = {
        "enterprise": enterprise,
        "organisation": organisation,
        "is_branch": organisation.kind == OrganisationKind.BRANCH,
        "can_manage": can_manage,
        "licence": _licence_of(enterprise),
        "licence_procedure": LICENCE_APPLICATION,
        "licence_dossiers": list(
            dossier_selectors.dossiers_for_applicant(user)
            .filter(procedure_code=LICENCE_APPLICATION, applicant_organisation=enterprise.organisation)
            .order_by("-created_at")[:5]
        ),
        "delegable": [(name, rules.DELEGABLE_FUNCTIONS.get(name, name)) for name in perms.DELEGABLE],
    }
    if organisation.kind == OrganisationKind.BRANCH:
        context["own_functions"] = [
            rules.DELEGABLE_FUNCTIONS.get(name, name)
            for name in enterprises.delegated_functions(organisation)
        ]
    if can_manage:
        context["deposit_balance"] = enterprises.deposit_balance(enterprise)
        context["branches"] = [
            (branch, set(enterprises.delegated_functions(branch)))
            for branch in selectors.branches_of(enterprise).select_related("province")
        ]
        context["failed_branch"] = failed_branch
        context["info_form"] = info_form or EnterpriseInfoForm(
            initial={
                "name": enterprise.organisation.name,
                "head_office": enterprise.head_office,
                "charter_capital": f"{enterprise.charter_capital:,}".replace(",", "."),
                "legal_representative": enterprise.legal_representative,
                "phone": enterprise.phone,
                "email": enterprise.email,
                "website": enterprise.website,
            }
        )
        context["branch_form"] = branch_form or BranchForm()
    return context


@require_safe
@signed_in_page(perms.READ)
def portal(request: HttpRequest) -> HttpResponse:
    return render(request, "overseas/portal.html", _portal_context(request))


@require_POST
@signed_in_page(perms.ENTERPRISE_MANAGE)
def portal_update(request: HttpRequest) -> HttpResponse:
    enterprise, _organisation = selectors.acting_enterprise(request.user, perms.ENTERPRISE_MANAGE)
    form = EnterpriseInfoForm(request.POST)
    if form.is_valid():
        try:
            enterprises.enterprise_update(
                actor=request.user, enterprise_id=enterprise.pk, **form.cleaned_data
            )
        except ValidationFailed as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The enterprise's information is saved."))
            return redirect("overseas:portal")
    return render(request, "overseas/portal.html", _portal_context(request, info_form=form))


@require_POST
@signed_in_page(perms.ENTERPRISE_MANAGE)
def branch_create(request: HttpRequest) -> HttpResponse:
    form = BranchForm(request.POST)
    if form.is_valid():
        try:
            branch, user, password = enterprises.branch_open(actor=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            show_error(form, exc)
        else:
            # The one-time password is shown once, in the answer to this POST (never stored).
            return render(
                request,
                "overseas/branch_opened.html",
                {"branch": branch, "username": user.username, "password": password},
            )
    return render(request, "overseas/portal.html", _portal_context(request, branch_form=form))


@require_POST
@signed_in_page(perms.ENTERPRISE_MANAGE)
def branch_delegate(request: HttpRequest, branch_id: int) -> HttpResponse:
    try:
        branch = enterprises.branch_delegate(
            actor=request.user, branch_id=branch_id, functions=request.POST.getlist("functions")
        )
    except ValidationFailed as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The functions of branch %(code)s are saved.") % {"code": branch.code})
    return redirect("overseas:portal")


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.READ)
def contract_list(request: HttpRequest) -> HttpResponse:
    enterprise, organisation = _acting(request)
    can_register = _acts_as_enterprise(request.user, perms.CONTRACT_REGISTER)
    form = ContractForm(request.POST or None) if can_register else None
    violations: list[dict[str, Any]] = []
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()  # a branch never registers contracts (Law 69/2020 Art 17)
        if form.is_valid():
            try:
                contract = contracts.contract_submit(actor=request.user, **form.terms())
            except BreaksTheLaw as exc:
                violations = list(exc.details.get("violations", []))
            except ValidationFailed as exc:
                show_error(form, exc, ContractForm.PARTY_FIELDS)
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                show_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Contract %(number)s is submitted; the reply is due by %(due)s.")
                    % {"number": contract.number, "due": contract.reply_due.strftime("%d/%m/%Y")},
                )
                return redirect("overseas:contracts")
    found = (
        selectors.contracts_in_scope(request.user)
        .select_related("country", "occupation", "foreign_party", "broker")
        .order_by("-submitted_at", "-pk")
    )
    page, query = _page(request, found)
    return render(
        request,
        "overseas/contracts.html",
        {
            "enterprise": enterprise,
            "organisation": organisation,
            "page": page,
            "query": query,
            "form": form,
            "can_sign": can_register,
            "violations": violations,
            "today": timezone.localdate(),
        },
    )


@require_POST
@signed_in_page(perms.CONTRACT_REGISTER)
def contract_sign(request: HttpRequest, contract_id: int) -> HttpResponse:
    """The enterprise signs its submission with its organisation certificate; the department decides only a
    signed one."""
    try:
        contract = signatures.contract_sign(actor=request.user, contract_id=contract_id)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Contract %(number)s is signed.") % {"number": contract.number})
    return redirect("overseas:contracts")


@require_safe
@signed_in_page(perms.READ)
def partner_list(request: HttpRequest) -> HttpResponse:
    """The foreign employers, receiving agencies and brokers the enterprise works with, from its contracts."""
    enterprise, organisation = _acting(request)
    page, query = _page(request, selectors.foreign_parties_in_scope(request.user))
    return render(
        request,
        "overseas/partners.html",
        {"enterprise": enterprise, "organisation": organisation, "page": page, "query": query},
    )


@require_safe
@signed_in_page(perms.READ)
def worker_list(request: HttpRequest) -> HttpResponse:
    enterprise, organisation = _acting(request)
    status = request.GET.get("status", "")
    if status not in WorkerStatus.values:
        status = ""
    contract = request.GET.get("contract", "")
    found = (
        selectors.workers_in_scope(request.user)
        .select_related("person", "contract", "country")
        .order_by("-pk")
    )
    if status:
        found = found.filter(status=status)
    if contract.isdigit():
        found = found.filter(contract_id=int(contract))
    else:
        contract = ""
    page, query = _page(request, found)
    return render(
        request,
        "overseas/workers.html",
        {
            "enterprise": enterprise,
            "organisation": organisation,
            "page": page,
            "query": query,
            "status": status,
            "statuses": WorkerStatus.choices,
            "contract": contract,
            "contracts": list(
                selectors.contracts_in_scope(request.user)
                .filter(status=ContractStatus.REGISTERED)
                .order_by("number")
                .values_list("pk", "number")[:500]
            ),
        },
    )


def _can_step(user: Any, worker: Worker) -> bool:
    return selectors.workers_in_scope(user, perms.WORKER_UPDATE).filter(pk=worker.pk).exists()


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.READ)
def worker_detail(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = selectors.worker_get_for(request.user, worker_id)
    can_step = _can_step(request.user, worker)
    form = WorkerStepForm(request.POST or None, current=worker.status) if can_step else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            try:
                workers.worker_step(actor=request.user, worker_id=worker.pk, **form.cleaned_data)
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                show_error(form, exc)
            else:
                messages.success(request, _("The step is recorded."))
                return redirect("overseas:worker", worker.pk)
    # The page shows a person's identity and whereabouts: a read of personal data, logged.
    audit.record_read(actor=request.user, obj=worker, reason="overseas.worker")
    return render(
        request,
        "overseas/worker.html",
        {
            "worker": worker,
            "events": list(worker.events.select_related("actor").order_by("-on", "-at")[:100]),
            "form": form if form is not None and form.fields["status"].choices else None,  # type: ignore[attr-defined]
            "today": timezone.localdate(),
        },
    )


# --- the department's pages ---------------------------------------------------------------------------------


@require_safe
@signed_in_page(perms.READ)
def staff_enterprises(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in EnterpriseStatus.values:
        status = ""
    found = (
        selectors.enterprises_in_scope(request.user)
        .select_related("organisation", "province")
        .order_by("organisation__name", "pk")
    )
    if status:
        found = found.filter(status=status)
    page, query = _page(request, found)
    return render(
        request,
        "overseas/staff/enterprises.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": EnterpriseStatus.choices,
            "can_decide": has_permission(request.user, perms.REGISTRATION_DECIDE),
        },
    )


def _staff_enterprise_context(
    request: HttpRequest, enterprise_id: int, *, grant_form: Any = None, change_form: Any = None
) -> dict[str, Any]:
    enterprise = selectors.enterprise_get_for(request.user, enterprise_id)
    licence = _licence_of(enterprise)
    can_manage = has_permission(request.user, perms.LICENCE_MANAGE)
    can_grant = can_manage and (licence is None or licence.status == LicenceStatus.REVOKED)
    return {
        "enterprise": enterprise,
        "licence": licence,
        "licences": list(enterprise.licences.prefetch_related("events")),
        "deposit_balance": enterprises.deposit_balance(enterprise),
        "branches": list(selectors.branches_of(enterprise).select_related("province")),
        "contracts": list(
            enterprise.contracts.select_related("country").order_by("-submitted_at", "-pk")[:20]
        ),
        "grant_form": (grant_form or LicenceGrantForm()) if can_grant else None,
        "change_form": (change_form or LicenceChangeForm())
        if can_manage and licence is not None and licence.status != LicenceStatus.REVOKED
        else None,
    }


@require_safe
@signed_in_page(perms.READ)
def staff_enterprise(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    return render(
        request, "overseas/staff/enterprise.html", _staff_enterprise_context(request, enterprise_id)
    )


@require_POST
@signed_in_page(perms.LICENCE_MANAGE)
def licence_grant(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    form = LicenceGrantForm(request.POST)
    if form.is_valid():
        try:
            licence = enterprises.licence_grant(
                actor=request.user, enterprise_id=enterprise_id, **form.cleaned_data
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            show_error(form, exc)
        else:
            messages.success(request, _("Licence %(number)s is granted.") % {"number": licence.number})
            return redirect("overseas:staff_enterprise", enterprise_id)
    context = _staff_enterprise_context(request, enterprise_id, grant_form=form)
    return render(request, "overseas/staff/enterprise.html", context)


@require_POST
@signed_in_page(perms.LICENCE_MANAGE)
def licence_change(request: HttpRequest, licence_id: int) -> HttpResponse:
    licence = (
        Licence.objects.filter(
            pk=licence_id,
            enterprise__in=selectors.enterprises_in_scope(request.user, perms.LICENCE_MANAGE),
        )
        .only("pk", "enterprise_id")
        .first()
    )
    if licence is None:
        return _denied(request, NotFound())
    form = LicenceChangeForm(request.POST)
    if form.is_valid():
        try:
            enterprises.licence_change(actor=request.user, licence_id=licence.pk, **form.cleaned_data)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            show_error(form, exc)
        else:
            messages.success(request, _("The decision on the licence is recorded."))
            return redirect("overseas:staff_enterprise", licence.enterprise_id)
    context = _staff_enterprise_context(request, licence.enterprise_id, change_form=form)
    return render(request, "overseas/staff/enterprise.html", context)


@require_safe
@signed_in_page(perms.REGISTRATION_DECIDE)
def staff_queue(request: HttpRequest) -> HttpResponse:
    """The contracts the user's body replies to: those awaiting the reply first, the earliest due first."""
    show = request.GET.get("show", "")
    found = (
        selectors.contracts_to_decide(request.user)
        .select_related("enterprise__organisation", "country")
        .order_by("reply_due", "submitted_at", "pk")
    )
    if show != "all":
        show = ""
        found = found.filter(status=ContractStatus.SUBMITTED)
    page, query = _page(request, found)
    return render(
        request,
        "overseas/staff/queue.html",
        {"page": page, "query": query, "show": show, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.READ)
def staff_contract(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract: Contract = selectors.contract_get_for(request.user, contract_id)
    can_decide = (
        contract.status == ContractStatus.SUBMITTED
        and selectors.contracts_to_decide(request.user).filter(pk=contract.pk).exists()
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied()
        if form.is_valid():
            approve = request.POST.get("decision") == "approve"
            try:
                contracts.contract_decide(
                    actor=request.user,
                    contract_id=contract.pk,
                    approve=approve,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                show_error(form, exc)
            else:
                text = _("The contract is registered.") if approve else _("The registration is refused.")
                messages.success(request, text)
                return redirect("overseas:staff_queue")
    return render(
        request,
        "overseas/staff/contract.html",
        {
            "contract": contract,
            "form": form if can_decide else None,
            "today": timezone.localdate(),
        },
    )
