"""API of the workers-abroad service: workers. The worker's own profile; the centre's provisioning (one
worker, or an Excel file); the desk's check of a caller's security answer."""

from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.core.errors import NotFound
from ansinh.sos import worker_selectors
from ansinh.sos.models import WorkerProfile
from ansinh.sos.selectors import worker_profile_of
from ansinh.sos.services import workers
from ansinh.sos.worker_schemas import (
    AnswerIn,
    AnswerOut,
    ImportOut,
    ProfileIn,
    ProfileOut,
    WorkerIn,
    WorkerOut,
)

router = Router(tags=["sos"])


def _profile(profile: WorkerProfile) -> dict[str, Any]:
    person = profile.person
    user = getattr(person, "user", None)
    return {
        "passport_number": profile.passport_number,
        "full_name": person.full_name,
        "country": profile.country,
        "programme": profile.programme,
        "employer": profile.employer,
        "phone": person.phone,
        "security_question": profile.security_question,
        "has_security_answer": bool(profile.security_answer_hash),
        "language": user.language if user else "vi",
        "suggested_questions": [str(q) for q in workers.SECURITY_QUESTIONS],
    }


def _worker(profile: WorkerProfile) -> dict[str, Any]:
    person = profile.person
    user = getattr(person, "user", None)
    return {
        "id": profile.pk,
        "passport_number": profile.passport_number,
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth,
        "country": profile.country,
        "programme": profile.programme,
        "employer": profile.employer,
        "enterprise": profile.enterprise,
        "contract_number": profile.contract_number,
        "departure_date": profile.departure_date,
        "contract_end": profile.contract_end,
        "phone": person.phone,
        "source": profile.source,
        "must_change_password": bool(user and user.must_change_password),
    }


@router.get("/profile", response=ProfileOut, summary="The signed-in worker's profile")
def profile_get(request: HttpRequest) -> dict[str, Any]:
    profile = worker_profile_of(current_user(request))
    if profile is None:
        raise NotFound()
    return _profile(profile)


@router.put(
    "/profile",
    response=ProfileOut,
    summary="Change my phone, security question and answer (stored hashed) and language",
)
def profile_put(request: HttpRequest, payload: ProfileIn) -> dict[str, Any]:
    profile = workers.profile_update(actor=current_user(request), **payload.dict())
    return _profile(profile)


@router.get(
    "/workers", response=list[WorkerOut], summary="Workers abroad (the centre; search by passport or name)"
)
@paginate(PageNumber)
def worker_list(request: HttpRequest, q: str = Query("", max_length=100)) -> Any:
    return _Workers(worker_selectors.worker_list_for(current_user(request), search=q))


class _Workers:
    def __init__(self, qs: Any):
        self.qs = qs

    def count(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [_worker(p) for p in self.qs[item]]


@router.post(
    "/workers",
    response={200: WorkerOut, 201: WorkerOut},
    summary="Provision one worker; username and first password: the passport number (201 new, 200 updated)",
)
def worker_provision(request: HttpRequest, payload: WorkerIn) -> Status[Any]:
    profile, created = workers.worker_provision(actor=current_user(request), **payload.dict())
    return Status(201 if created else 200, _worker(profile))


@router.post(
    "/workers/import",
    response=ImportOut,
    summary="Import workers from an Excel file (.xlsx, header row; all rows or none, at most 20,000)",
)
def worker_import(request: HttpRequest, file: File[UploadedFile]) -> dict[str, int]:
    result = workers.worker_import(actor=current_user(request), file=file)
    return {"created": result.created, "updated": result.updated}


@router.post(
    "/workers/{worker_id}/check-answer",
    response=AnswerOut,
    summary="The desk checks a caller's answer to the worker's security question (5 wrong an hour at most)",
)
def worker_check_answer(request: HttpRequest, worker_id: int, payload: AnswerIn) -> dict[str, bool]:
    match = workers.security_answer_check(
        actor=current_user(request), worker_id=worker_id, answer=payload.answer
    )
    return {"match": match}
