"""The employers' side of the job exchange through the API: registering, the employer's vacancies and their
applicants, and the centres' verification of employers. Thin: the same services and selectors as the pages
(`employer_views.py`)."""

import math
from typing import Any

from django.http import HttpRequest
from ninja import Field as SchemaField
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from ansinh.api.auth import current_user
from ansinh.api.pagination import MAX_PAGE_SIZE, PageNumber
from ansinh.core.middleware import client_ip
from ansinh.jobs import selectors
from ansinh.jobs.employer_schemas import (
    ApplicantOut,
    ApplicantPageOut,
    EmployerOut,
    EmployerRegisteredOut,
    EmployerRegisterIn,
    StatusIn,
    VacancyIn,
    VacancyOut,
    VacancyUpdateIn,
    VerifyIn,
)
from ansinh.jobs.models import Application
from ansinh.jobs.services import applications, employers, vacancies

router = Router(tags=["jobs"])


class PageIn(Schema):
    page: int = SchemaField(1, ge=1, le=1_000_000)
    page_size: int = SchemaField(50, ge=1, le=MAX_PAGE_SIZE)
    status: str = SchemaField("", max_length=20)


@router.post(
    "/employers",
    auth=None,
    response={201: EmployerRegisteredOut},
    summary="Register a domestic employer (a centre verifies it before it posts vacancies)",
)
def employer_register(request: HttpRequest, payload: EmployerRegisterIn) -> Status[Any]:
    employer, user, password = employers.employer_register(client=client_ip(request) or "", **payload.dict())
    return Status(
        201,
        {
            "id": employer.pk,
            "tax_code": employer.tax_code,
            "status": employer.status,
            "username": user.username,
            "one_time_password": password,
        },
    )


@router.get("/employer", response=EmployerOut, summary="The employer the signed-in user works for")
def employer_me(request: HttpRequest) -> Any:
    return employers.employer_current(actor=current_user(request))


# --- the employer's vacancies ------------------------------------------------------------------------------


@router.get("/employer/vacancies", response=list[VacancyOut], summary="The employer's vacancies")
@paginate(PageNumber)
def vacancy_list(request: HttpRequest, status: str = "") -> Any:
    user = current_user(request)
    employers.employer_current(actor=user)
    return selectors.vacancy_list_for_employer(user, status=status[:20])


@router.post(
    "/employer/vacancies", response={201: VacancyOut}, summary="Post a vacancy (a verified employer)"
)
def vacancy_post(request: HttpRequest, payload: VacancyIn) -> Status[Any]:
    user = current_user(request)
    vacancy = vacancies.vacancy_post(actor=user, **payload.dict())
    return Status(201, selectors.vacancy_get_for_employer(user, vacancy.pk))


@router.get(
    "/employer/vacancies/{vacancy_id}", response=VacancyOut, summary="One of the employer's vacancies"
)
def vacancy_detail(request: HttpRequest, vacancy_id: int) -> Any:
    return selectors.vacancy_get_for_employer(current_user(request), vacancy_id)


@router.patch("/employer/vacancies/{vacancy_id}", response=VacancyOut, summary="Edit an open vacancy")
def vacancy_update(request: HttpRequest, vacancy_id: int, payload: VacancyUpdateIn) -> Any:
    user = current_user(request)
    vacancies.vacancy_update(actor=user, vacancy_id=vacancy_id, **payload.dict(exclude_unset=True))
    return selectors.vacancy_get_for_employer(user, vacancy_id)


@router.post("/employer/vacancies/{vacancy_id}/close", response=VacancyOut, summary="Close a vacancy")
def vacancy_close(request: HttpRequest, vacancy_id: int) -> Any:
    user = current_user(request)
    vacancies.vacancy_close(actor=user, vacancy_id=vacancy_id)
    return selectors.vacancy_get_for_employer(user, vacancy_id)


# --- applicants --------------------------------------------------------------------------------------------


def _applicant(application: Application) -> dict[str, Any]:
    seeker = application.seeker
    shown = selectors.contacts_shown(application)
    person = seeker.person
    return {
        "id": application.pk,
        "vacancy_id": application.vacancy_id,
        "status": application.status,
        "created_at": application.created_at,
        "status_changed_at": application.status_changed_at,
        "cover_note": application.cover_note,
        "headline": seeker.headline,
        "education": seeker.education,
        "skills": seeker.skills,
        "experience_years": seeker.experience_years,
        "expected_salary": seeker.expected_salary,
        "full_name": person.full_name if shown else None,
        "phone": (person.phone or None) if shown else None,
        "email": (person.email or None) if shown else None,
    }


@router.get(
    "/employer/vacancies/{vacancy_id}/applications",
    response=ApplicantPageOut,
    summary="The applicants for one of the employer's vacancies",
)
def applicant_list(request: HttpRequest, vacancy_id: int, query: Query[PageIn]) -> Any:
    found = selectors.applications_for_vacancy(current_user(request), vacancy_id, status=query.status)
    count = found.count()
    start = (query.page - 1) * query.page_size
    return {
        "items": [_applicant(a) for a in found[start : start + query.page_size]],
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": max(1, math.ceil(count / query.page_size)),
    }


@router.get(
    "/employer/applications/{application_id}",
    response=ApplicantOut,
    summary="Open an application (a sent one becomes viewed, and the seeker sees it)",
)
def applicant_detail(request: HttpRequest, application_id: int) -> Any:
    user = current_user(request)
    applications.application_mark_viewed(actor=user, application_id=application_id)
    return _applicant(applications.application_get_for_employer(user, application_id))


@router.post(
    "/employer/applications/{application_id}/status",
    response=ApplicantOut,
    summary="Move an application on: interview, offer, hired or rejected",
)
def applicant_status(request: HttpRequest, application_id: int, payload: StatusIn) -> Any:
    user = current_user(request)
    applications.application_set_status(
        actor=user, application_id=application_id, status=payload.status, note=payload.note
    )
    return _applicant(applications.application_get_for_employer(user, application_id))


# --- the centres verify employers --------------------------------------------------------------------------


@router.get("/employers", response=list[EmployerOut], summary="Employers to verify (a centre, a province)")
@paginate(PageNumber)
def employers_to_verify(request: HttpRequest, status: str = "pending") -> Any:
    return selectors.employers_to_verify(current_user(request), status=status[:20])


@router.get("/employers/{employer_id}", response=EmployerOut, summary="One employer (a centre, a province)")
def employer_detail(request: HttpRequest, employer_id: int) -> Any:
    return selectors.employer_get_for_verifier(current_user(request), employer_id)


@router.post(
    "/employers/{employer_id}/verification",
    response=EmployerOut,
    summary="Verify an employer, or refuse it with a reason",
)
def employer_verify(request: HttpRequest, employer_id: int, payload: VerifyIn) -> Any:
    user = current_user(request)
    employers.employer_verify(
        actor=user, employer_id=employer_id, approve=payload.approve, reason=payload.reason
    )
    return selectors.employer_get_for_verifier(user, employer_id)
