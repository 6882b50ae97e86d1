"""Job fairs through the API (mounted at /api/v1/jobs): the public list and pages of fairs; a centre plans,
changes and cancels fairs, checks people in at the door, registers walk-ins and records the results; an
employer takes a booth, chooses its vacancies and publishes interview slots; a seeker registers, books and
cancels interviews and sees their own. Thin: the services and selectors do the work."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.jobs import fair_selectors as sel
from ansinh.jobs.fair_schemas import (
    AttendanceIn,
    BookingOut,
    BoothBookingOut,
    BoothIn,
    BoothOut,
    CheckInIn,
    CheckInOut,
    FairDetailOut,
    FairIn,
    FairOut,
    FairPatch,
    FairWalkInIn,
    MyFairsOut,
    RegistrationOut,
    ResultsIn,
    ResultsOut,
    SlotIn,
    SlotOwnerOut,
    VacanciesIn,
)
from ansinh.jobs.models import FairBooth, FairRegistration, InterviewBooking, InterviewSlot, JobFair
from ansinh.jobs.services import bookings, fairs
from ansinh.jobs.services.applications import seeker_of

router = Router(tags=["jobs"])


class _Mapped:
    """A queryset whose page is serialised row by row (the pagination counts and slices it lazily)."""

    def __init__(self, queryset: Any, serialise: Callable[[Any], dict[str, Any]]):
        self.queryset, self.serialise = queryset, serialise

    def count(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [self.serialise(row) for row in self.queryset[window]]


def fair_out(fair: JobFair) -> dict[str, Any]:
    return {
        "id": fair.pk,
        "title": fair.title,
        "kind": fair.kind,
        "kind_label": str(fair.get_kind_display()),
        "status": fair.status,
        "description": fair.description,
        "starts_at": fair.starts_at,
        "ends_at": fair.ends_at,
        "province": fair.province.name,
        "ward": fair.ward.name if fair.ward else None,
        "venue": fair.venue,
        "online_url": fair.online_url,
        "centre": fair.centre.name,
    }


def _slot(slot: InterviewSlot, *, owner: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": slot.pk,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "capacity": slot.capacity,
        "free": max(0, slot.capacity - slot.booked),
    }
    if owner:
        out.update(booked=slot.booked, video_link=slot.video_link)
    return out


def _booth(booth: FairBooth, *, prefetched: bool = False) -> dict[str, Any]:
    vacancies = booth.vacancies.all() if prefetched else booth.vacancies.order_by("title", "pk")
    slots = booth.slots.all() if prefetched else booth.slots.order_by("starts_at", "pk")
    return {
        "id": booth.pk,
        "fair_id": booth.fair_id,
        "employer": booth.employer.organisation.name,
        "vacancies": [{"id": v.pk, "title": v.title} for v in vacancies],
        "slots": [_slot(s) for s in slots],
    }


def _registration(registration: FairRegistration) -> dict[str, Any]:
    return {
        "id": registration.pk,
        "fair_id": registration.fair_id,
        "fair_title": registration.fair.title,
        "code": registration.code,
        "checked_in_at": registration.checked_in_at,
    }


def _booking(booking: InterviewBooking) -> dict[str, Any]:
    slot = booking.slot
    return {
        "id": booking.pk,
        "status": booking.status,
        "fair_id": slot.booth.fair_id,
        "fair_title": slot.booth.fair.title,
        "employer": slot.booth.employer.organisation.name,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        # The link of the seeker's own booked (or held) interview only.
        "video_link": slot.video_link if booking.status != "cancelled" else "",
        "application_id": booking.application_id,
    }


def _booth_booking(booking: InterviewBooking) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "slot_id": booking.slot_id,
        "starts_at": booking.slot.starts_at,
        "status": booking.status,
        "seeker_name": booking.seeker.person.full_name,
        "application_id": booking.application_id,
    }


def _results(fair: JobFair) -> dict[str, Any]:
    totals = sel.fair_totals(fair)
    return {
        "fair_id": fair.pk,
        "status": fair.status,
        "registered": totals.registered,
        "attended": totals.attended,
        "interviews": totals.interviews,
        "offers": totals.offers,
        "hires": totals.hires,
        "booths": [
            {
                "booth_id": f.booth.pk,
                "employer": f.booth.employer.organisation.name,
                "booked": f.booked,
                "attended": f.attended,
                "interviews": f.interviews,
                "offers": f.offers,
                "hires": f.hires,
            }
            for f in sel.booth_figures(fair)
        ],
    }


# --- public ------------------------------------------------------------------------------------------------


@router.get(
    "/fairs", auth=None, response=list[FairOut], summary="Upcoming job fairs (or, with past=true, fairs held)"
)
@paginate(PageNumber)
def fair_list(
    request: HttpRequest, province_id: int | None = None, kind: str = "", past: bool = False
) -> Any:
    return _Mapped(sel.fairs_public(province_id=province_id, kind=kind, past=past), fair_out)


@router.get("/fairs/mine", response=MyFairsOut, summary="The signed-in seeker's registrations and bookings")
def my_fairs(request: HttpRequest) -> dict[str, Any]:
    seeker = seeker_of(current_user(request))
    return {
        "registrations": [_registration(r) for r in sel.registrations_of(seeker.person_id)[:100]],
        "bookings": [_booking(b) for b in sel.bookings_of(seeker.pk)[:100]],
    }


@router.get(
    "/fairs/{int:fair_id}",
    auth=None,
    response=FairDetailOut,
    summary="A job fair with its booths, the vacancies presented and the free places of interview slots",
)
def fair_detail(request: HttpRequest, fair_id: int) -> dict[str, Any]:
    fair = sel.fair_public_get(fair_id)
    return fair_out(fair) | {"booths": [_booth(b, prefetched=True) for b in sel.booths_public(fair)]}


# --- centres -----------------------------------------------------------------------------------------------


@router.post("/fairs", response={201: FairOut}, summary="Plan a job fair (a centre's officer)")
def fair_create(request: HttpRequest, payload: FairIn) -> Status[Any]:
    fair = fairs.fair_create(actor=current_user(request), **payload.dict())
    return Status(201, fair_out(sel.fair_public_get(fair.pk)))


@router.patch("/fairs/{int:fair_id}", response=FairOut, summary="Change a planned fair")
def fair_update(request: HttpRequest, fair_id: int, payload: FairPatch) -> dict[str, Any]:
    changes = payload.dict(exclude_unset=True)
    fair = fairs.fair_update(actor=current_user(request), fair_id=fair_id, **changes)
    return fair_out(sel.fair_public_get(fair.pk))


@router.post("/fairs/{int:fair_id}/cancel", response=FairOut, summary="Cancel a planned fair")
def fair_cancel(request: HttpRequest, fair_id: int) -> dict[str, Any]:
    fair = fairs.fair_cancel(actor=current_user(request), fair_id=fair_id)
    return fair_out(sel.fair_public_get(fair.pk))


@router.post(
    "/fairs/{int:fair_id}/check-in",
    response=CheckInOut,
    summary="Check a registered person in at the door by the code of their QR (once)",
)
def check_in(request: HttpRequest, fair_id: int, payload: CheckInIn) -> dict[str, Any]:
    registration, first = fairs.check_in(actor=current_user(request), fair_id=fair_id, code=payload.code)
    return {
        "registration_id": registration.pk,
        "person_name": registration.person.full_name,
        "first": first,
        "checked_in_at": registration.checked_in_at,
    }


@router.post(
    "/fairs/{int:fair_id}/walk-ins",
    response={201: CheckInOut},
    summary="Register and check in a person who came without registering",
)
def walk_in(request: HttpRequest, fair_id: int, payload: FairWalkInIn) -> Status[Any]:
    registration = fairs.walk_in(actor=current_user(request), fair_id=fair_id, **payload.dict())
    return Status(
        201,
        {
            "registration_id": registration.pk,
            "person_name": registration.person.full_name,
            "first": True,
            "checked_in_at": registration.checked_in_at,
        },
    )


@router.get("/fairs/{int:fair_id}/results", response=ResultsOut, summary="A fair's figures (staff in scope)")
def results(request: HttpRequest, fair_id: int) -> dict[str, Any]:
    return _results(sel.fair_get_for_staff(current_user(request), fair_id))


@router.put(
    "/fairs/{int:fair_id}/results",
    response=ResultsOut,
    summary="Record each booth's interviews, offers and hires; close the fair with close=true",
)
def results_record(request: HttpRequest, fair_id: int, payload: ResultsIn) -> dict[str, Any]:
    user = current_user(request)
    fair = fairs.results_record(
        actor=user,
        fair_id=fair_id,
        results={b.booth_id: b.dict(exclude={"booth_id"}) for b in payload.booths},
        close=payload.close,
    )
    return _results(sel.fair_get_for_staff(user, fair.pk))


# --- employers (and the centre for them) -------------------------------------------------------------------


@router.post(
    "/fairs/{int:fair_id}/booths",
    response={201: BoothOut},
    summary="Take a booth (an employer), or add one for an employer by its tax code (a centre)",
)
def booth_create(request: HttpRequest, fair_id: int, payload: BoothIn) -> Status[Any]:
    user = current_user(request)
    if payload.tax_code.strip():
        booth = fairs.booth_add(
            actor=user, fair_id=fair_id, tax_code=payload.tax_code, vacancy_ids=payload.vacancy_ids
        )
    else:
        booth = fairs.booth_take(actor=user, fair_id=fair_id, vacancy_ids=payload.vacancy_ids)
    return Status(201, _booth(booth))


@router.put(
    "/fairs/booths/{int:booth_id}/vacancies",
    response=BoothOut,
    summary="Choose the vacancies a booth presents",
)
def booth_vacancies(request: HttpRequest, booth_id: int, payload: VacanciesIn) -> dict[str, Any]:
    booth = fairs.booth_set_vacancies(
        actor=current_user(request), booth_id=booth_id, vacancy_ids=payload.vacancy_ids
    )
    return _booth(booth)


@router.get(
    "/fairs/booths/{int:booth_id}/slots",
    response=list[SlotOwnerOut],
    summary="A booth's interview slots with their video-call links (the booth's employer and centre)",
)
def booth_slots(request: HttpRequest, booth_id: int) -> list[dict[str, Any]]:
    booth = sel.booth_get_for_writer(current_user(request), booth_id)
    return [_slot(s, owner=True) for s in booth.slots.order_by("starts_at", "pk")]


@router.post(
    "/fairs/booths/{int:booth_id}/slots", response={201: SlotOwnerOut}, summary="Publish an interview slot"
)
def slot_add(request: HttpRequest, booth_id: int, payload: SlotIn) -> Status[Any]:
    slot = fairs.slot_add(actor=current_user(request), booth_id=booth_id, **payload.dict())
    return Status(201, _slot(slot, owner=True))


@router.delete("/fairs/slots/{int:slot_id}", response={204: None}, summary="Remove a slot nobody booked")
def slot_delete(request: HttpRequest, slot_id: int) -> Status[Any]:
    fairs.slot_delete(actor=current_user(request), slot_id=slot_id)
    return Status(204, None)


@router.get(
    "/fairs/booths/{int:booth_id}/bookings",
    response=list[BoothBookingOut],
    summary="Who booked the booth's interviews",
)
@paginate(PageNumber)
def booth_bookings(request: HttpRequest, booth_id: int) -> Any:
    booth = sel.booth_get_for_writer(current_user(request), booth_id)
    return _Mapped(sel.booth_bookings(booth), _booth_booking)


@router.post(
    "/fairs/bookings/{int:booking_id}/attendance",
    response=BoothBookingOut,
    summary="Record whether the seeker came to the interview (attended or no_show)",
)
def booking_attendance(request: HttpRequest, booking_id: int, payload: AttendanceIn) -> dict[str, Any]:
    booking = bookings.booking_mark(actor=current_user(request), booking_id=booking_id, status=payload.status)
    return _booth_booking(booking)


# --- seekers -----------------------------------------------------------------------------------------------


@router.post(
    "/fairs/{int:fair_id}/registrations",
    response={201: RegistrationOut},
    summary="Register for a fair (again: the same registration and code)",
)
def register(request: HttpRequest, fair_id: int) -> Status[Any]:
    registration = fairs.fair_register(actor=current_user(request), fair_id=fair_id)
    registration = FairRegistration.objects.select_related("fair").get(pk=registration.pk)
    return Status(201, _registration(registration))


def _my_booking(booking_id: int) -> dict[str, Any]:
    booking = InterviewBooking.objects.select_related(
        "slot__booth__fair", "slot__booth__employer__organisation"
    ).get(pk=booking_id)
    return _booking(booking)


@router.post(
    "/fairs/slots/{int:slot_id}/bookings",
    response={201: BookingOut},
    summary="Book a place at an interview slot (409 jobs.slot_full when none is left)",
)
def book(request: HttpRequest, slot_id: int) -> Status[Any]:
    booking = bookings.booking_create(actor=current_user(request), slot_id=slot_id)
    return Status(201, _my_booking(booking.pk))


@router.post(
    "/fairs/bookings/{int:booking_id}/cancel", response=BookingOut, summary="Cancel one's own booking"
)
def booking_cancel(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    booking = bookings.booking_cancel(actor=current_user(request), booking_id=booking_id)
    return _my_booking(booking.pk)
