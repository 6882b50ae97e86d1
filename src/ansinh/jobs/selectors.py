"""Employer-side reads of the job exchange, each scoped by the actor.

An employer's staff see only their own employer's vacancies and applications (`org_path` under their
organisation); a centre or a province's department sees the employers it verifies. A row outside the
actor's scope is "not found", never "forbidden", so its existence does not leak.
"""

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ansinh.accounts.models import OrganisationKind
from ansinh.accounts.selectors import active_memberships, membership_allows, require_permission, scope_q
from ansinh.core.errors import NotFound
from ansinh.jobs import permissions as perms
from ansinh.jobs import rules
from ansinh.jobs.models import (
    Application,
    ApplicationStatus,
    Employer,
    EmployerStatus,
    Vacancy,
    VacancyStatus,
)
from ansinh.overseas.models import Contract, ContractStatus

# The organisations whose staff act as an employer: a registered employer, a licensed enterprise.
EMPLOYER_KINDS = (OrganisationKind.EMPLOYER, OrganisationKind.ENTERPRISE)

# A closed or expired vacancy stays readable (marked closed) this long, so links shared on social media
# and search results do not break the day it closes.
RECENTLY_CLOSED_DAYS = 90


def vacancy_public_get(vacancy_id: int) -> Vacancy:
    """An open, or recently closed or expired, vacancy of a verified employer, for the public page.

    Raises NotFound otherwise (a vacancy withdrawn by a centre is gone)."""
    since = timezone.now() - timedelta(days=RECENTLY_CLOSED_DAYS)
    visible = Q(status=VacancyStatus.OPEN) | Q(
        status__in=[VacancyStatus.CLOSED, VacancyStatus.EXPIRED], updated_at__gte=since
    )
    vacancy = (
        Vacancy.objects.filter(visible, pk=vacancy_id, employer__status=EmployerStatus.VERIFIED)
        .select_related(
            "employer__organisation",
            "employer__province",
            "occupation",
            "province",
            "ward",
            "country",
            "supply_contract__country",
            "supply_contract__registrar",
            "supply_contract__foreign_party",
            "supply_contract__enterprise__organisation",
        )
        .first()
    )
    if vacancy is None:
        raise NotFound()
    return vacancy


# --- the employer's own records ----------------------------------------------------------------------------


def employer_get_for(actor: Any) -> Employer:
    """The employer the actor works for (their organisation's). Not found for anyone who works for none."""
    grant = require_permission(actor, perms.VACANCY_MANAGE)
    for membership in active_memberships(actor):
        if membership.organisation.kind in EMPLOYER_KINDS and membership_allows(
            membership, perms.VACANCY_MANAGE
        ):
            employer = (
                Employer.objects.filter(scope_q(grant, org_path="org_path"))
                .filter(organisation=membership.organisation)
                .select_related("organisation", "province", "centre")
                .first()
            )
            if employer is not None:
                return employer
    raise NotFound()


def _employer_scope(actor: Any) -> Q:
    grant = require_permission(actor, perms.VACANCY_MANAGE)
    return scope_q(grant, org_path="org_path")


def vacancy_list_for_employer(actor: Any, *, status: str = "") -> QuerySet[Vacancy]:
    """The employer's vacancies, newest first, each with its applicants counted by status
    (`n_<status>` and `n_total`), in one query."""
    employer = employer_get_for(actor)
    counts = {
        f"n_{value}": Count("applications", filter=Q(applications__status=value))
        for value in ApplicationStatus.values
    }
    found = (
        Vacancy.objects.filter(_employer_scope(actor), employer=employer)
        .select_related("occupation", "province", "ward", "country", "supply_contract__country")
        .annotate(n_total=Count("applications"), **counts)
        .order_by("-published_at", "-pk")
    )
    if status in VacancyStatus.values:
        found = found.filter(status=status)
    return found


def vacancy_get_for_employer(actor: Any, vacancy_id: int) -> Vacancy:
    """One of the employer's vacancies (not found for another employer's)."""
    employer = employer_get_for(actor)
    vacancy = (
        Vacancy.objects.filter(_employer_scope(actor), employer=employer, pk=vacancy_id)
        .select_related(
            "employer__organisation", "occupation", "province", "ward", "country", "supply_contract__country"
        )
        .first()
    )
    if vacancy is None:
        raise NotFound()
    return vacancy


def applications_for_vacancy(actor: Any, vacancy_id: int, *, status: str = "") -> QuerySet[Application]:
    """The applications to one of the employer's vacancies, newest first, with the seekers' people."""
    vacancy = vacancy_get_for_employer(actor, vacancy_id)
    found = (
        Application.objects.filter(_employer_scope(actor), vacancy=vacancy)
        .select_related("seeker__person", "vacancy")
        .order_by("-created_at", "-pk")
    )
    if status in ApplicationStatus.values:
        found = found.filter(status=status)
    return found


def contacts_shown(application: Application) -> bool:
    """Whether the employer sees the applicant's name and contacts: they applied (and have not withdrawn),
    or chose full visibility."""
    return rules.contacts_visible_to_employer(
        visibility=application.seeker.visibility,
        applied_to_employer=application.status != ApplicationStatus.WITHDRAWN,
    )


# --- verification by a centre ------------------------------------------------------------------------------


def _verify_scope(actor: Any) -> Q:
    grant = require_permission(actor, perms.EMPLOYER_VERIFY)
    return scope_q(grant, province="province", org_path="centre__path")


def employers_to_verify(actor: Any, *, status: str = EmployerStatus.PENDING) -> QuerySet[Employer]:
    """The employers the actor's centre or province verifies, those waiting first in order of arrival."""
    found = Employer.objects.filter(_verify_scope(actor)).select_related("organisation", "province", "centre")
    if status in EmployerStatus.values:
        found = found.filter(status=status)
    return found.order_by("created_at", "pk")


def employer_get_for_verifier(actor: Any, employer_id: int) -> Employer:
    employer = (
        Employer.objects.filter(_verify_scope(actor), pk=employer_id)
        .select_related("organisation", "province", "centre", "verified_by")
        .first()
    )
    if employer is None:
        raise NotFound()
    return employer


def supply_contracts_for(employer: Employer) -> QuerySet[Contract]:
    """The registered supply contracts an employer may offer work abroad on: its own enterprise's (none for
    a domestic employer)."""
    return (
        Contract.objects.filter(
            enterprise__organisation_id=employer.organisation_id, status=ContractStatus.REGISTERED
        )
        .select_related("country")
        .order_by("-decided_at", "-pk")
    )
