"""Regular medicine through the API (mounted at /api/v1/welfare): the person's own requests (list, send,
cancel) and the clinics to choose from; the clinic's queue (list, read, schedule, dispense, decline); the
figures for statistics readers. Thin: the services and selectors do the work."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.welfare import medicine_rules as rules
from ansinh.welfare import medicine_selectors as sel
from ansinh.welfare.medicine_errors import NoPersonRecord
from ansinh.welfare.medicine_schemas import (
    MedicineClinicOut,
    MedicineDeclineIn,
    MedicineDispenseIn,
    MedicineFiguresOut,
    MedicineQueueItemOut,
    MedicineRequestIn,
    MedicineRequestOut,
    MedicineScheduleIn,
)
from ansinh.welfare.models import MedicineRegistration, MedicineStatus
from ansinh.welfare.services import medicine

router = Router(tags=["welfare"])


class _Mapped:
    """A queryset whose page is serialised row by row (the pagination counts and slices it lazily)."""

    def __init__(self, queryset: Any, serialise: Any):
        self.queryset, self.serialise = queryset, serialise

    def count(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [self.serialise(row) for row in self.queryset[window]]


def request_out(r: MedicineRegistration) -> dict[str, Any]:
    next_from = None
    if r.status == MedicineStatus.DISPENSED and r.closed_at:
        next_from = rules.next_request_from(timezone.localdate(r.closed_at), r.days_supplied)
    return {
        "id": r.pk,
        "clinic_id": r.clinic_id,
        "clinic_name": r.clinic.name,
        "insurance_card_number": r.insurance_card_number,
        "condition": r.condition,
        "medicines": r.medicines,
        "mode": r.mode,
        "mode_label": str(r.get_mode_display()),
        "delivery_address": r.delivery_address,
        "phone": r.phone,
        "status": r.status,
        "status_label": str(r.get_status_display()),
        "scheduled_on": r.scheduled_on,
        "window_start": r.window_start,
        "window_end": r.window_end,
        "days_supplied": r.days_supplied,
        "clinic_note": r.clinic_note,
        "requested_at": r.requested_at,
        "scheduled_at": r.scheduled_at,
        "closed_at": r.closed_at,
        "next_request_from": next_from,
    }


def queue_item_out(r: MedicineRegistration) -> dict[str, Any]:
    return {
        **request_out(r),
        "person_id": r.person_id,
        "person_name": r.person.full_name,
        "usual_card_form": rules.is_usual_card_form(r.insurance_card_number),
    }


def _clinic_out(clinic: Any) -> dict[str, Any]:
    return {
        "id": clinic.pk,
        "name": clinic.name,
        "province_id": clinic.province_id,
        "province_name": clinic.province.name,
    }


# --- the person --------------------------------------------------------------------------------------------


@router.get(
    "/medicine/requests",
    response=list[MedicineRequestOut],
    summary="The signed-in person's regular-medicine requests, newest first",
)
@paginate(PageNumber)
def my_requests(request: HttpRequest) -> Any:
    return _Mapped(sel.requests_of(sel.person_of(current_user(request))), request_out)


@router.post(
    "/medicine/requests",
    response={201: MedicineRequestOut},
    summary="Ask a clinic for the regular medicine (one open request per clinic)",
)
def request_create(request: HttpRequest, payload: MedicineRequestIn) -> Status[Any]:
    registration = medicine.medicine_request(actor=current_user(request), **payload.dict())
    return Status(201, request_out(sel.request_get_for_person(current_user(request), registration.pk)))


@router.get(
    "/medicine/requests/{int:registration_id}",
    response=MedicineRequestOut,
    summary="One of the signed-in person's requests",
)
def my_request(request: HttpRequest, registration_id: int) -> dict[str, Any]:
    return request_out(sel.request_get_for_person(current_user(request), registration_id))


@router.post(
    "/medicine/requests/{int:registration_id}/cancel",
    response=MedicineRequestOut,
    summary="Cancel one's own open request",
)
def request_cancel(request: HttpRequest, registration_id: int) -> dict[str, Any]:
    user = current_user(request)
    medicine.medicine_cancel(actor=user, registration_id=registration_id)
    return request_out(sel.request_get_for_person(user, registration_id))


@router.get(
    "/medicine/clinics",
    response=list[MedicineClinicOut],
    summary="Clinics to choose from: the person's province by default, narrowed by a name search",
)
@paginate(PageNumber)
def clinics(
    request: HttpRequest,
    province_id: int | None = Query(None, ge=1, le=2**31 - 1),
    q: str = Query("", max_length=100),
) -> Any:
    person = sel.person_of(current_user(request))
    if person is None:
        raise NoPersonRecord()
    chosen = province_id or person.province_id
    return _Mapped(sel.clinics_to_choose(province_id=chosen, search=q), _clinic_out)


# --- the clinic --------------------------------------------------------------------------------------------


@router.get(
    "/medicine/queue",
    response=list[MedicineQueueItemOut],
    summary="The clinic's queue: view today, to_confirm, scheduled or all; narrowed by status and day",
)
@paginate(PageNumber)
def queue(
    request: HttpRequest,
    view: str = Query(sel.QUEUE_ALL, pattern="^(today|to_confirm|scheduled|all)$"),
    status: str = Query("", max_length=12),
    day: date | None = None,
    clinic_id: int | None = Query(None, ge=1, le=2**31 - 1),
) -> Any:
    found = sel.clinic_queue(current_user(request), view=view, clinic_id=clinic_id, status=status, day=day)
    return _Mapped(found, queue_item_out)


@router.get(
    "/medicine/queue/{int:registration_id}",
    response=MedicineQueueItemOut,
    summary="One request of the clinic (the read is audited)",
)
def queue_item(request: HttpRequest, registration_id: int) -> dict[str, Any]:
    return queue_item_out(sel.request_get_for_clinic(current_user(request), registration_id, audit_read=True))


def _after(request: HttpRequest, registration_id: int) -> dict[str, Any]:
    return queue_item_out(sel.request_get_for_clinic(current_user(request), registration_id))


@router.post(
    "/medicine/queue/{int:registration_id}/schedule",
    response=MedicineQueueItemOut,
    summary="Confirm and schedule a request (a pick-up window or a delivery day), or move it",
)
def schedule(request: HttpRequest, registration_id: int, payload: MedicineScheduleIn) -> dict[str, Any]:
    medicine.medicine_schedule(actor=current_user(request), registration_id=registration_id, **payload.dict())
    return _after(request, registration_id)


@router.post(
    "/medicine/queue/{int:registration_id}/dispense",
    response=MedicineQueueItemOut,
    summary="Record that the scheduled medicine was collected or delivered",
)
def dispense(request: HttpRequest, registration_id: int, payload: MedicineDispenseIn) -> dict[str, Any]:
    medicine.medicine_dispense(actor=current_user(request), registration_id=registration_id, **payload.dict())
    return _after(request, registration_id)


@router.post(
    "/medicine/queue/{int:registration_id}/decline",
    response=MedicineQueueItemOut,
    summary="Decline an open request, with the reason the person reads",
)
def decline(request: HttpRequest, registration_id: int, payload: MedicineDeclineIn) -> dict[str, Any]:
    medicine.medicine_decline(actor=current_user(request), registration_id=registration_id, **payload.dict())
    return _after(request, registration_id)


# --- figures -----------------------------------------------------------------------------------------------


@router.get(
    "/medicine/figures",
    response=MedicineFiguresOut,
    summary="Counts of the requests by status and mode in the provinces the caller reads figures of",
)
def figures(
    request: HttpRequest, province_id: int | None = Query(None, ge=1, le=2**31 - 1)
) -> dict[str, Any]:
    found = sel.figures_for(current_user(request), province_id=province_id)
    return {
        "by_status": found.by_status,
        "by_mode": found.by_mode,
        "open": found.open,
        "total": found.total,
        "max_days_per_dispensing": rules.max_days_per_dispensing(timezone.localdate()),
    }
