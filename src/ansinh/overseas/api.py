"""The overseas-labour database through the API: enterprises and their branches, licences, contracts and
workers. Thin: the same services and selectors as the pages."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from ansinh.accounts.selectors import require_permission
from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.core import audit
from ansinh.core.errors import ValidationFailed
from ansinh.core.middleware import client_ip
from ansinh.overseas import permissions as perms
from ansinh.overseas import selectors
from ansinh.overseas import statistics as overseas_statistics
from ansinh.overseas.schemas import (
    BranchFunctionsIn,
    BranchIn,
    BranchOut,
    ContractDecisionIn,
    ContractIn,
    ContractOut,
    EnterpriseOut,
    EnterpriseRegisteredOut,
    EnterpriseRegisterIn,
    EnterpriseUpdateIn,
    LicenceChangeIn,
    LicenceGrantIn,
    LicenceOut,
    WorkerIn,
    WorkerOut,
    WorkersStatisticsOut,
    WorkerStepIn,
)
from ansinh.overseas.services import contracts, enterprises, signatures, workers

router = Router(tags=["overseas"])


@router.post(
    "/overseas/enterprises",
    auth=None,
    response={201: EnterpriseRegisteredOut},
    summary="Register an enterprise (before it applies for a licence)",
)
def enterprise_register(request: HttpRequest, payload: EnterpriseRegisterIn) -> Status[Any]:
    enterprise, user, password = enterprises.enterprise_register(
        client=client_ip(request) or "", **payload.dict()
    )
    return Status(
        201,
        {
            "id": enterprise.pk,
            "tax_code": enterprise.tax_code,
            "username": user.username,
            "one_time_password": password,
        },
    )


@router.get("/overseas/enterprises", response=list[EnterpriseOut], summary="Enterprises in scope")
@paginate(PageNumber)
def enterprise_list(request: HttpRequest, status: str = "") -> Any:
    user = current_user(request)
    require_permission(user, perms.READ)
    found = selectors.enterprises_in_scope(user).select_related("organisation", "province")
    if status:
        found = found.filter(status=status[:20])
    return found.order_by("pk")


@router.get("/overseas/enterprises/{enterprise_id}", response=EnterpriseOut, summary="One enterprise")
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> Any:
    return selectors.enterprise_get_for(current_user(request), enterprise_id)


@router.patch(
    "/overseas/enterprises/{enterprise_id}", response=EnterpriseOut, summary="Keep the information current"
)
def enterprise_update(request: HttpRequest, enterprise_id: int, payload: EnterpriseUpdateIn) -> Any:
    fields = {k: v for k, v in payload.dict().items() if v is not None}
    return enterprises.enterprise_update(actor=current_user(request), enterprise_id=enterprise_id, **fields)


@router.post(
    "/overseas/enterprises/{enterprise_id}/licences",
    response={201: LicenceOut},
    summary="Grant the licence (the department)",
)
def licence_grant(request: HttpRequest, enterprise_id: int, payload: LicenceGrantIn) -> Status[Any]:
    licence = enterprises.licence_grant(
        actor=current_user(request), enterprise_id=enterprise_id, **payload.dict()
    )
    return Status(201, licence)


@router.post(
    "/overseas/licences/{licence_id}/changes",
    response=LicenceOut,
    summary="Amend, suspend, lift a suspension or revoke a licence (the department)",
)
def licence_change(request: HttpRequest, licence_id: int, payload: LicenceChangeIn) -> Any:
    return enterprises.licence_change(actor=current_user(request), licence_id=licence_id, **payload.dict())


def _branch(branch: Any) -> dict[str, Any]:
    return {
        "id": branch.pk,
        "code": branch.code,
        "name": branch.name,
        "functions": enterprises.delegated_functions(branch),
    }


@router.post(
    "/overseas/branches", response={201: BranchOut}, summary="Open a branch and delegate functions to it"
)
def branch_create(request: HttpRequest, payload: BranchIn) -> Status[Any]:
    return Status(201, _branch(enterprises.branch_create(actor=current_user(request), **payload.dict())))


@router.put(
    "/overseas/branches/{branch_id}/functions",
    response=BranchOut,
    summary="Set the functions delegated to a branch (Law 69/2020 Art 17 limits them)",
)
def branch_delegate(request: HttpRequest, branch_id: int, payload: BranchFunctionsIn) -> Any:
    branch = enterprises.branch_delegate(
        actor=current_user(request), branch_id=branch_id, functions=payload.functions
    )
    return _branch(branch)


@router.post(
    "/overseas/contracts",
    response={201: ContractOut},
    summary="Register a contract; terms above the caps of the law are refused with the legal basis",
)
def contract_submit(request: HttpRequest, payload: ContractIn) -> Status[Any]:
    return Status(201, contracts.contract_submit(actor=current_user(request), **payload.dict()))


@router.get("/overseas/contracts", response=list[ContractOut], summary="Contracts in scope")
@paginate(PageNumber)
def contract_list(request: HttpRequest, status: str = "") -> Any:
    user = current_user(request)
    require_permission(user, perms.READ)
    found = selectors.contracts_in_scope(user).select_related(
        "country", "occupation", "foreign_party", "broker"
    )
    if status:
        found = found.filter(status=status[:20])
    return found.order_by("-pk")


@router.get("/overseas/contracts/{contract_id}", response=ContractOut, summary="One contract")
def contract_detail(request: HttpRequest, contract_id: int) -> Any:
    return selectors.contract_get_for(current_user(request), contract_id)


@router.post(
    "/overseas/contracts/{contract_id}/signature",
    response=ContractOut,
    summary="Sign the registration with the enterprise's organisation certificate",
)
def contract_sign(request: HttpRequest, contract_id: int) -> Any:
    return signatures.contract_sign(actor=current_user(request), contract_id=contract_id)


@router.post(
    "/overseas/contracts/{contract_id}/decision",
    response=ContractOut,
    summary="Register the contract or refuse it with the reasons (the registering body)",
)
def contract_decide(request: HttpRequest, contract_id: int, payload: ContractDecisionIn) -> Any:
    return contracts.contract_decide(actor=current_user(request), contract_id=contract_id, **payload.dict())


@router.post(
    "/overseas/workers", response={201: WorkerOut}, summary="Register a worker on a registered contract"
)
def worker_register(request: HttpRequest, payload: WorkerIn) -> Status[Any]:
    return Status(201, workers.worker_register(actor=current_user(request), **payload.dict()))


@router.get("/overseas/workers", response=list[WorkerOut], summary="Workers in scope")
@paginate(PageNumber)
def worker_list(request: HttpRequest, status: str = "", contract_id: int | None = None) -> Any:
    user = current_user(request)
    require_permission(user, perms.READ)
    found = selectors.workers_in_scope(user).select_related("person", "contract", "country")
    if status:
        found = found.filter(status=status[:20])
    if contract_id is not None:
        found = found.filter(contract_id=contract_id)
    return found.order_by("-pk")


@router.get("/overseas/workers/{int:worker_id}", response=WorkerOut, summary="One worker")
def worker_detail(request: HttpRequest, worker_id: int) -> Any:
    user = current_user(request)
    worker = selectors.worker_get_for(user, worker_id)
    audit.record_read(actor=user, obj=worker, reason="overseas.worker")
    return worker


@router.post(
    "/overseas/workers/{int:worker_id}/steps",
    response=WorkerOut,
    summary="Report the next step of the worker's time abroad (departure, return...)",
)
def worker_step(request: HttpRequest, worker_id: int, payload: WorkerStepIn) -> Any:
    return workers.worker_step(actor=current_user(request), worker_id=worker_id, **payload.dict())


@router.get(
    "/overseas/statistics",
    response=WorkersStatisticsOut,
    summary="Workers deployed, abroad now and returned early, in scope (by month, country, province, sex)",
)
def statistics(request: HttpRequest, year: int | None = None, country: str = "", province: str = "") -> Any:
    today = timezone.localdate()
    chosen = year or today.year
    if not 2000 <= chosen <= today.year + 1:
        raise ValidationFailed.single("year", _("Choose a year from 2000 to next year."))
    return overseas_statistics.workers_statistics(
        current_user(request), chosen, today=today, country=country[:2], province=province[:8]
    )
