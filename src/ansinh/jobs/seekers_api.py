"""API of the job seeker: signing up, the profile and CV, my applications (apply, follow, withdraw) and
saved searches. Everything under `/jobs/seekers/me` is the signed-in person's own; another person's
application or saved search is "not found"."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.core.errors import NotFound
from ansinh.core.middleware import client_ip
from ansinh.jobs import rules
from ansinh.jobs import seeker_selectors as selectors
from ansinh.jobs.models import Application, SavedSearch, SeekerProfile
from ansinh.jobs.seeker_schemas import (
    ApplicationOut,
    ApplyIn,
    SavedSearchAlertIn,
    SavedSearchIn,
    SavedSearchOut,
    SeekerProfileIn,
    SeekerProfileOut,
    SignUpIn,
    SignUpOut,
    StartIn,
)
from ansinh.jobs.services import applications, saved_searches, seekers

router = Router(tags=["jobs"])


def _profile(profile: SeekerProfile) -> dict[str, Any]:
    person = profile.person
    return {
        "id": profile.pk,
        "full_name": person.full_name,
        "phone": person.phone,
        "headline": profile.headline,
        "education": profile.education,
        "skills": profile.skills,
        "experience": profile.experience,
        "experience_years": profile.experience_years,
        "occupations": [row.occupation.code for row in profile.wanted_occupations.all()],
        "provinces": [row.province.code for row in profile.wanted_provinces.all()],
        "province": profile.province.code if profile.province else None,
        "expected_salary": profile.expected_salary,
        "wants_abroad": profile.wants_abroad,
        "wants_remote": profile.wants_remote,
        "visibility": profile.visibility,
        "is_looking": profile.is_looking,
        "updated_at": profile.updated_at,
    }


def _own_profile(request: HttpRequest) -> dict[str, Any]:
    found = selectors.seeker_profile_of(current_user(request))
    if found is None:
        raise NotFound()
    return _profile(found)


def _application(application: Application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "vacancy_id": application.vacancy_id,
        "vacancy_title": application.vacancy.title,
        "employer": application.vacancy.employer.organisation.name,
        "status": application.status,
        "status_label": application.get_status_display(),
        "cover_note": application.cover_note,
        "created_at": application.created_at,
        "status_changed_at": application.status_changed_at,
        "can_withdraw": rules.seeker_may_withdraw(application.status),
        "events": [{"status": e.status, "note": e.note, "at": e.at} for e in application.events.all()],
    }


# --- signing up and the profile ----------------------------------------------------------------------------


@router.post(
    "/seekers",
    auth=None,
    response={201: SignUpOut},
    summary="Sign up as a job seeker (the phone number becomes the username)",
)
def seeker_sign_up(request: HttpRequest, payload: SignUpIn) -> Status[Any]:
    user, profile = seekers.seeker_register(client=client_ip(request) or "", **payload.dict())
    return Status(201, {"id": profile.pk, "username": user.username})


@router.get("/seekers/me", response=SeekerProfileOut, summary="My job seeker profile")
def profile_get(request: HttpRequest) -> dict[str, Any]:
    return _own_profile(request)


@router.post(
    "/seekers/me",
    response={201: SeekerProfileOut},
    summary="Start my job seeker profile (a person who already has an account)",
)
def profile_start(request: HttpRequest, payload: StartIn) -> Status[Any]:
    seekers.seeker_profile_start(actor=current_user(request), headline=payload.headline)
    return Status(201, _own_profile(request))


@router.put("/seekers/me", response=SeekerProfileOut, summary="Write my profile and CV")
def profile_update(request: HttpRequest, payload: SeekerProfileIn) -> dict[str, Any]:
    seekers.seeker_profile_update(actor=current_user(request), **payload.dict())
    return _own_profile(request)


# --- my applications ---------------------------------------------------------------------------------------


@router.get(
    "/seekers/me/applications", response=list[ApplicationOut], summary="My applications, newest first"
)
@paginate(PageNumber)
def application_list(request: HttpRequest) -> Any:
    return _Applications(selectors.applications_of(current_user(request)))


class _Applications:
    """A lazily serialised page of applications: the paginator slices, then each row is shaped."""

    def __init__(self, queryset: Any):
        self.queryset = queryset

    def count(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [_application(a) for a in self.queryset[item]]


@router.post("/seekers/me/applications", response={201: ApplicationOut}, summary="Apply for a vacancy")
def application_submit(request: HttpRequest, payload: ApplyIn) -> Status[Any]:
    user = current_user(request)
    created = applications.application_submit(
        actor=user, vacancy_id=payload.vacancy_id, cover_note=payload.cover_note
    )
    return Status(201, _application(selectors.application_get_for_seeker(user, created.pk)))


@router.get(
    "/seekers/me/applications/{application_id}",
    response=ApplicationOut,
    summary="One of my applications with its timeline",
)
def application_detail(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return _application(selectors.application_get_for_seeker(current_user(request), application_id))


@router.post(
    "/seekers/me/applications/{application_id}/withdraw",
    response=ApplicationOut,
    summary="Withdraw my application",
)
def application_withdraw(request: HttpRequest, application_id: int) -> dict[str, Any]:
    user = current_user(request)
    applications.application_withdraw(actor=user, application_id=application_id)
    return _application(selectors.application_get_for_seeker(user, application_id))


# --- saved searches ----------------------------------------------------------------------------------------


@router.get("/seekers/me/saved-searches", response=list[SavedSearchOut], summary="My saved searches")
@paginate(PageNumber)
def saved_search_list(request: HttpRequest) -> Any:
    return selectors.saved_searches_of(current_user(request))


@router.post(
    "/seekers/me/saved-searches",
    response={201: SavedSearchOut},
    summary="Save a search (words and filters); with alert on, new vacancies are sent once a day",
)
def saved_search_create(request: HttpRequest, payload: SavedSearchIn) -> Status[SavedSearch]:
    saved = saved_searches.saved_search_create(actor=current_user(request), **payload.dict())
    return Status(201, saved)


@router.patch(
    "/seekers/me/saved-searches/{saved_search_id}",
    response=SavedSearchOut,
    summary="Turn a saved search's alert on or off",
)
def saved_search_alert(request: HttpRequest, saved_search_id: int, payload: SavedSearchAlertIn) -> Any:
    return saved_searches.saved_search_set_alert(
        actor=current_user(request), saved_search_id=saved_search_id, alert=payload.alert
    )


@router.delete("/seekers/me/saved-searches/{saved_search_id}", response={204: None}, summary="Delete")
def saved_search_delete(request: HttpRequest, saved_search_id: int) -> Status[None]:
    saved_searches.saved_search_delete(actor=current_user(request), saved_search_id=saved_search_id)
    return Status(204, None)
