"""Reads of the overseas-labour database, each through the actor's grant: an enterprise sees what is under its
tree path (its branches' records included), a branch only its own, a province's officials their province
(the enterprise's seat, or the worker's province of origin), the department the whole country."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from ansinh.accounts.models import Organisation, OrganisationKind
from ansinh.accounts.selectors import active_memberships, grant_for, membership_allows, scope_q
from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.overseas import permissions as perms
from ansinh.overseas.models import (
    Contract,
    ContractStatus,
    Enterprise,
    ForeignParty,
    Worker,
    WorkerImport,
)


def enterprises_in_scope(actor: Any, permission: str = perms.READ) -> QuerySet[Enterprise]:
    grant = grant_for(actor, permission)
    return Enterprise.objects.filter(scope_q(grant, province="province_id", org_path="org_path"))


def contracts_in_scope(actor: Any, permission: str = perms.READ) -> QuerySet[Contract]:
    """A branch also sees its enterprise's contracts: it recruits and registers workers for them (the terms
    are the enterprise's business data, not a person's)."""
    grant = grant_for(actor, permission)
    q = scope_q(grant, province="province_id", org_path="org_path")
    parents = [
        m.organisation.parent_id
        for m in active_memberships(actor)
        if m.organisation.kind == OrganisationKind.BRANCH and membership_allows(m, permission)
    ]
    if parents:
        q |= Q(enterprise__organisation_id__in=parents)
    return Contract.objects.filter(q)


def foreign_parties_in_scope(actor: Any) -> QuerySet[ForeignParty]:
    """The foreign employers, receiving agencies and brokers named on the contracts the actor reads, each
    with how many of those contracts name it and the workers planned on them. A party is shared by every
    enterprise that names it; what one enterprise sees of it is only what its own contracts say."""
    contracts = contracts_in_scope(actor)
    named = Q(contracts__in=contracts) | Q(brokered_contracts__in=contracts)
    return (
        ForeignParty.objects.filter(pk__in=ForeignParty.objects.filter(named).values("pk"))
        .select_related("country")
        .annotate(
            contract_count=Count("contracts", filter=Q(contracts__in=contracts), distinct=True)
            + Count("brokered_contracts", filter=Q(brokered_contracts__in=contracts), distinct=True),
        )
        .order_by("kind", "country__name_vi", "name")
    )


def workers_in_scope(actor: Any, permission: str = perms.READ) -> QuerySet[Worker]:
    grant = grant_for(actor, permission)
    return Worker.objects.filter(scope_q(grant, province="province_id", org_path="org_path"))


def imports_in_scope(actor: Any, permission: str = perms.WORKER_REGISTER) -> QuerySet[WorkerImport]:
    grant = grant_for(actor, permission)
    return WorkerImport.objects.filter(scope_q(grant, org_path="org_path"))


def _get(queryset: QuerySet[Any], pk: int) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def enterprise_get_for(actor: Any, enterprise_id: int, permission: str = perms.READ) -> Enterprise:
    return _get(
        enterprises_in_scope(actor, permission).select_related("organisation", "province"), enterprise_id
    )


def contract_get_for(actor: Any, contract_id: int, permission: str = perms.READ) -> Contract:
    return _get(
        contracts_in_scope(actor, permission).select_related("enterprise", "foreign_party", "country"),
        contract_id,
    )


def worker_get_for(actor: Any, worker_id: int, permission: str = perms.READ) -> Worker:
    return _get(
        workers_in_scope(actor, permission).select_related("person", "enterprise__organisation", "contract"),
        worker_id,
    )


def import_get_for(actor: Any, import_id: int, permission: str = perms.WORKER_REGISTER) -> WorkerImport:
    return _get(imports_in_scope(actor, permission).select_related("contract", "enterprise"), import_id)


# --- acting for an enterprise ------------------------------------------------------------------------------


def acting_organisation(actor: Any, permission: str) -> Organisation:
    """The enterprise or branch through which the actor uses `permission`: its records are registered to
    it. Refused when the actor works for no enterprise with that permission (a branch: not delegated)."""
    for membership in active_memberships(actor):
        org = membership.organisation
        if org.kind in (OrganisationKind.ENTERPRISE, OrganisationKind.BRANCH) and membership_allows(
            membership, permission
        ):
            return org
    raise PermissionDenied()


def enterprise_of(organisation: Organisation) -> Enterprise:
    """The enterprise an enterprise's or a branch's organisation belongs to."""
    owner = organisation if organisation.kind == OrganisationKind.ENTERPRISE else organisation.parent
    enterprise = Enterprise.objects.filter(organisation=owner).select_related("organisation").first()
    if enterprise is None:
        raise NotFound()
    return enterprise


def acting_enterprise(actor: Any, permission: str) -> tuple[Enterprise, Organisation]:
    organisation = acting_organisation(actor, permission)
    return enterprise_of(organisation), organisation


def contracts_open_for_workers(actor: Any) -> QuerySet[Contract]:
    """The registered contracts the actor may register workers on: those of the enterprise they act for, a
    branch included (it recruits for its enterprise's contracts, Law 69/2020 Art 17)."""
    enterprise, _org = acting_enterprise(actor, perms.WORKER_REGISTER)
    return Contract.objects.filter(enterprise=enterprise, status=ContractStatus.REGISTERED)


def branches_of(enterprise: Enterprise) -> QuerySet[Organisation]:
    return Organisation.objects.filter(parent=enterprise.organisation, kind=OrganisationKind.BRANCH).order_by(
        "code"
    )


def contracts_to_decide(actor: Any) -> QuerySet[Contract]:
    """The contracts whose registration the actor's own body replies to (the ministry's department, or a
    province's department for a short internship): reading is by scope, deciding is the registrar's."""
    bodies = [
        m.organisation_id
        for m in active_memberships(actor)
        if membership_allows(m, perms.REGISTRATION_DECIDE)
    ]
    if getattr(actor, "is_superuser", False):
        return Contract.objects.all()
    return Contract.objects.filter(registrar_id__in=bodies)
