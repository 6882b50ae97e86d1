"""A job seeker's own reads (scope "own": through the signed-in user's person) and the public pages'
reads (no sign-in: open vacancies of verified employers, planned fairs).

Another seeker's application or saved search is "not found", never "forbidden"."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ansinh.core.errors import NotFound
from ansinh.geo.models import Occupation, Province
from ansinh.jobs.models import (
    Application,
    ApplicationEvent,
    EmployerStatus,
    FairStatus,
    JobFair,
    SavedSearch,
    SeekerProfile,
    Vacancy,
    VacancyStatus,
)
from ansinh.overseas.models import Licence, LicenceStatus

OCCUPATION_LEVEL = 3


def seeker_profile_of(actor: Any) -> SeekerProfile | None:
    """The signed-in person's seeker profile (None without one)."""
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        return None
    return (
        SeekerProfile.objects.select_related("person", "province")
        .prefetch_related("wanted_occupations__occupation", "wanted_provinces__province")
        .filter(person_id=person_id)
        .first()
    )


def has_seeker_profile(actor: Any) -> bool:
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        return False
    return SeekerProfile.objects.filter(person_id=person_id).exists()


def applications_of(actor: Any) -> QuerySet[Application]:
    """The seeker's own applications, newest first, each with its vacancy, employer and timeline."""
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        return Application.objects.none()
    return (
        Application.objects.filter(seeker__person_id=person_id)
        .select_related("vacancy__employer__organisation", "vacancy__province", "vacancy__country")
        .prefetch_related(Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "id")))
        .order_by("-created_at", "-id")
    )


def application_get_for_seeker(actor: Any, application_id: int) -> Application:
    application = applications_of(actor).filter(pk=application_id).first()
    if application is None:
        raise NotFound()
    return application


def applied_vacancy_ids(actor: Any, vacancy_ids: list[int]) -> set[int]:
    person_id = getattr(actor, "person_id", None)
    if not person_id or not vacancy_ids:
        return set()
    return set(
        Application.objects.filter(seeker__person_id=person_id, vacancy_id__in=vacancy_ids).values_list(
            "vacancy_id", flat=True
        )
    )


def saved_searches_of(actor: Any) -> QuerySet[SavedSearch]:
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(seeker__person_id=person_id).order_by("-created_at", "-id")


def saved_search_get_for(actor: Any, saved_search_id: int) -> SavedSearch:
    found = saved_searches_of(actor).filter(pk=saved_search_id).first()
    if found is None:
        raise NotFound()
    return found


# --- the public pages --------------------------------------------------------------------------------------


def open_vacancies() -> QuerySet[Vacancy]:
    """Vacancies anyone may see and apply to: open, before their deadline, of a verified employer."""
    return Vacancy.objects.filter(
        status=VacancyStatus.OPEN,
        deadline__gte=timezone.localdate(),
        employer__status=EmployerStatus.VERIFIED,
    )


def latest_vacancies(limit: int = 10) -> list[Vacancy]:
    return list(
        open_vacancies()
        .select_related("employer__organisation", "occupation", "province", "country")
        .order_by("-published_at", "-id")[:limit]
    )


def upcoming_fairs(limit: int = 5) -> list[JobFair]:
    return list(
        JobFair.objects.filter(status=FairStatus.PLANNED, starts_at__gte=timezone.now())
        .select_related("province", "ward", "centre")
        .order_by("starts_at", "id")[:limit]
    )


def vacancy_is_open(vacancy: Vacancy) -> bool:
    return (
        vacancy.status == VacancyStatus.OPEN
        and vacancy.deadline >= timezone.localdate()
        and vacancy.employer.status == EmployerStatus.VERIFIED
    )


def supply_contract_licence(vacancy: Vacancy) -> Licence | None:
    """The licence of the enterprise that registered an overseas vacancy's supply contract: the one in
    force (or suspended) first, else the latest."""
    contract = vacancy.supply_contract
    if contract is None:
        return None
    licences = list(
        Licence.objects.filter(enterprise_id=contract.enterprise_id).order_by("-issued_on", "-id")
    )
    current = [lic for lic in licences if lic.status != LicenceStatus.REVOKED]
    found = current or licences
    return found[0] if found else None


def occupation_choices() -> list[tuple[str, str]]:
    """ISCO-08 minor groups (3 digits): what a seeker wants and a search filters by."""
    return [
        (o.code, f"{o.code} {o.name}")
        for o in Occupation.objects.filter(level=OCCUPATION_LEVEL).order_by("code")
    ]


def province_choices() -> list[tuple[str, str]]:
    return [(p.code, str(p)) for p in Province.objects.order_by("name_search", "code")]
