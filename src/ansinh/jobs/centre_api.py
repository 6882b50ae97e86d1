"""The employment service centres' work through the API: counselling, career talks, the counter, placements,
targets, the dashboard, the survey figures and the bulletin, and the satisfaction survey by its link's token.
Thin: the same services and selectors as the pages."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.geo.models import Province
from ansinh.jobs import bulletin as jobs_bulletin
from ansinh.jobs import centre_selectors as sel
from ansinh.jobs import dashboard as jobs_dashboard
from ansinh.jobs import permissions as perms
from ansinh.jobs.services import career_talks, counselling, counter, placements, service_records, targets

router = Router(tags=["jobs"])
# A year the records can hold (a year like -255 is no filter but an error in the date arithmetic).
YEAR = Query(None, ge=2000, le=2100)


# --- schemas -----------------------------------------------------------------------------------------------


class AppointmentBookIn(Schema):
    centre_id: int
    starts_at: datetime
    channel: str = "in_person"
    topic: str = Field(max_length=300)


class CounsellingWalkInIn(Schema):
    centre_id: int | None = None
    personal_id: str = Field(max_length=20)
    full_name: str = Field("", max_length=150)
    phone: str = Field("", max_length=20)
    starts_at: datetime | None = None
    channel: str = "in_person"
    topic: str = Field(max_length=300)


class AppointmentRecordIn(Schema):
    status: str
    advice: str = Field("", max_length=5000)


class AppointmentOut(Schema):
    id: int
    centre_id: int
    person_id: int
    starts_at: datetime
    channel: str
    topic: str
    status: str
    advice: str


class TalkIn(Schema):
    centre_id: int | None = None
    school: str = Field(max_length=255)
    ward_id: int | None = None
    held_on: date
    attendees: int
    notes: str = Field("", max_length=5000)


class TalkOut(Schema):
    id: int
    centre_id: int
    school: str
    ward_id: int | None
    held_on: date
    attendees: int
    notes: str


class TicketIn(Schema):
    purpose: str = Field(max_length=40)
    personal_id: str = Field("", max_length=20)
    full_name: str = Field("", max_length=150)


class CallIn(Schema):
    desk: str = Field(max_length=20)


class ServeIn(Schema):
    personal_id: str = Field("", max_length=20)
    full_name: str = Field("", max_length=150)


class TicketOut(Schema):
    id: int
    centre_id: int
    day: date
    number: int
    status: str
    desk: str
    purpose: str
    person_id: int | None


class CounterQueueOut(Schema):
    called: list[TicketOut]
    waiting: list[TicketOut]
    served: int
    left: int
    issued: int


class PlacementIn(Schema):
    centre_id: int | None = None
    personal_id: str = Field(max_length=20)
    full_name: str = Field("", max_length=150)
    employer_id: int | None = None
    employer_name: str = Field("", max_length=255)
    job_title: str = Field(max_length=200)
    started_on: date | None = None


class RejectIn(Schema):
    reason: str = Field(max_length=500)


class PlacementOut(Schema):
    id: int
    centre_id: int
    person_id: int
    employer_id: int | None
    employer_name: str
    application_id: int | None
    job_title: str
    started_on: date | None
    status: str
    reported_by_id: int | None
    verified_by_id: int | None
    verified_at: datetime | None


class TargetsIn(Schema):
    year: int
    targets: dict[str, int | None]


class LineOut(Schema):
    indicator: str
    label: str
    target: int | None
    actual: float
    percent: float | None


class CentreFiguresOut(Schema):
    centre_id: int
    centre: str
    year: int
    lines: list[LineOut]
    surveys_sent: int
    surveys_answered: int
    surveys_satisfied: int
    satisfied_percent: float | None


class BulletinRowOut(Schema):
    code: str
    name: str
    vacancies: int
    openings: int
    seekers: int


class BulletinOut(Schema):
    as_of: date
    province: str | None
    vacancies: int
    openings: int
    seekers: int
    by_major: list[BulletinRowOut]
    by_sub_major: list[BulletinRowOut]
    by_province: list[BulletinRowOut]


class SurveyOut(Schema):
    centre: str
    service: str
    delivered_at: datetime
    answered: bool


class SurveyAnswerIn(Schema):
    score: int
    comment: str = Field("", max_length=2000)


class SurveyAnswerOut(Schema):
    id: int
    service_id: int
    kind: str = Field(alias="service.kind")
    source_id: int = Field(alias="service.source_id")
    centre_id: int = Field(alias="service.centre_id")
    delivered_at: datetime = Field(alias="service.delivered_at")
    score: int
    comment: str
    answered_at: datetime


# --- counselling -------------------------------------------------------------------------------------------


@router.post("/counselling", response={201: AppointmentOut}, summary="Book counselling (the person)")
def appointment_book(request: HttpRequest, payload: AppointmentBookIn) -> Status[Any]:
    return Status(201, counselling.appointment_book(actor=current_user(request), **payload.dict()))


@router.get("/counselling/mine", response=list[AppointmentOut], summary="My counselling appointments")
@paginate(PageNumber)
def appointment_mine(request: HttpRequest) -> Any:
    return sel.my_appointments(current_user(request))


@router.get(
    "/centre/appointments", response=list[AppointmentOut], summary="Counselling appointments in scope"
)
@paginate(PageNumber)
def appointment_list(request: HttpRequest, status: str = "") -> Any:
    return sel.appointment_list_for(current_user(request), status=status[:20])


@router.post("/centre/appointments", response={201: AppointmentOut}, summary="Book counselling for a walk-in")
def appointment_walk_in(request: HttpRequest, payload: CounsellingWalkInIn) -> Status[Any]:
    return Status(201, counselling.appointment_book_walk_in(actor=current_user(request), **payload.dict()))


@router.post(
    "/centre/appointments/{appointment_id}/record",
    response=AppointmentOut,
    summary="Record the appointment: held (with the advice), no-show or cancelled",
)
def appointment_record(request: HttpRequest, appointment_id: int, payload: AppointmentRecordIn) -> Any:
    return counselling.appointment_record(
        actor=current_user(request), appointment_id=appointment_id, **payload.dict()
    )


# --- career talks ------------------------------------------------------------------------------------------


@router.get("/centre/talks", response=list[TalkOut], summary="Career talks in scope")
@paginate(PageNumber)
def talk_list(request: HttpRequest, year: int | None = YEAR) -> Any:
    return sel.talk_list_for(current_user(request), year=year)


@router.post("/centre/talks", response={201: TalkOut}, summary="Record a career talk at a school")
def talk_record(request: HttpRequest, payload: TalkIn) -> Status[Any]:
    return Status(201, career_talks.talk_record(actor=current_user(request), **payload.dict()))


# --- the counter -------------------------------------------------------------------------------------------


@router.get("/centre/{centre_id}/queue", response=CounterQueueOut, summary="Today's queue at the counter")
def queue(request: HttpRequest, centre_id: int) -> Any:
    centre = sel.centre_get_for(current_user(request), centre_id)
    return sel.queue_summary(centre, timezone.localdate())


@router.post("/centre/{centre_id}/tickets", response={201: TicketOut}, summary="Give the next number")
def ticket_issue(request: HttpRequest, centre_id: int, payload: TicketIn) -> Status[Any]:
    return Status(
        201, counter.ticket_issue(actor=current_user(request), centre_id=centre_id, **payload.dict())
    )


@router.post("/centre/{centre_id}/tickets/next", response=TicketOut, summary="Call the next number to a desk")
def ticket_call(request: HttpRequest, centre_id: int, payload: CallIn) -> Any:
    return counter.ticket_call_next(actor=current_user(request), centre_id=centre_id, desk=payload.desk)


@router.post("/centre/tickets/{ticket_id}/served", response=TicketOut, summary="The person was served")
def ticket_serve(request: HttpRequest, ticket_id: int, payload: ServeIn) -> Any:
    return counter.ticket_serve(actor=current_user(request), ticket_id=ticket_id, **payload.dict())


@router.post("/centre/tickets/{ticket_id}/left", response=TicketOut, summary="The person did not come")
def ticket_leave(request: HttpRequest, ticket_id: int) -> Any:
    return counter.ticket_leave(actor=current_user(request), ticket_id=ticket_id)


# --- placements --------------------------------------------------------------------------------------------


@router.get("/centre/placements", response=list[PlacementOut], summary="Placements in scope")
@paginate(PageNumber)
def placement_list(request: HttpRequest, status: str = "") -> Any:
    return sel.placement_list_for(current_user(request), status=status[:20])


@router.post("/centre/placements", response={201: PlacementOut}, summary="Report a placement")
def placement_report(request: HttpRequest, payload: PlacementIn) -> Status[Any]:
    return Status(201, placements.placement_report(actor=current_user(request), **payload.dict()))


@router.post(
    "/centre/placements/{placement_id}/verify",
    response=PlacementOut,
    summary="Verify a placement (another officer than the one who reported it)",
)
def placement_verify(request: HttpRequest, placement_id: int) -> Any:
    return placements.placement_verify(actor=current_user(request), placement_id=placement_id)


@router.post(
    "/centre/placements/{placement_id}/reject",
    response=PlacementOut,
    summary="The placement is not confirmed",
)
def placement_reject(request: HttpRequest, placement_id: int, payload: RejectIn) -> Any:
    return placements.placement_reject(
        actor=current_user(request), placement_id=placement_id, reason=payload.reason
    )


# --- targets, dashboard, surveys, bulletin -----------------------------------------------------------------


def _figures_out(figures: jobs_dashboard.CentreFigures) -> dict[str, Any]:
    return {
        "centre_id": figures.centre.pk,
        "centre": figures.centre.name,
        "year": figures.year,
        "lines": [line.__dict__ for line in figures.lines],
        "surveys_sent": figures.surveys.sent,
        "surveys_answered": figures.surveys.answered,
        "surveys_satisfied": figures.surveys.satisfied,
        "satisfied_percent": figures.surveys.percent,
    }


@router.put(
    "/centre/{centre_id}/targets", response=CentreFiguresOut, summary="Set a centre's targets of a year"
)
def targets_set(request: HttpRequest, centre_id: int, payload: TargetsIn) -> Any:
    user = current_user(request)
    targets.targets_set(actor=user, centre_id=centre_id, year=payload.year, targets=payload.targets)
    return _figures_out(jobs_dashboard.dashboard_for(user, year=payload.year, centre_id=centre_id)[0])


@router.get(
    "/centre/dashboard",
    response=list[CentreFiguresOut],
    summary="Targets against actual figures, per centre in scope (or one centre)",
)
def dashboard(request: HttpRequest, year: int | None = YEAR, centre_id: int | None = None) -> Any:
    rows = jobs_dashboard.dashboard_for(
        current_user(request), year=year or timezone.localdate().year, centre_id=centre_id
    )
    return [_figures_out(r) for r in rows]


@router.get("/centre/surveys", response=list[SurveyAnswerOut], summary="Answered surveys with their services")
@paginate(PageNumber)
def survey_answers(request: HttpRequest, year: int | None = YEAR, centre_id: int | None = None) -> Any:
    user = current_user(request)
    centre = sel.centre_get_for(user, centre_id, perms.STATISTICS_READ) if centre_id else None
    return sel.survey_answers_for(user, centre=centre, year=year)


@router.get("/bulletin", response=BulletinOut, auth=None, summary="The labour market bulletin (counts only)")
def bulletin(request: HttpRequest, province: str = "") -> Any:
    place = Province.objects.filter(code=province[:8]).first() if province else None
    figures = jobs_bulletin.bulletin(province=place)
    return {
        **{k: getattr(figures, k) for k in ("as_of", "vacancies", "openings", "seekers")},
        "province": place.code if place else None,
        "by_major": [r.__dict__ for r in figures.by_major],
        "by_sub_major": [r.__dict__ for r in figures.by_sub_major],
        "by_province": [r.__dict__ for r in figures.by_province],
    }


# --- the survey, by its token ------------------------------------------------------------------------------


@router.get("/surveys/{token}", response=SurveyOut, auth=None, summary="The survey a link opens")
def survey_get(request: HttpRequest, token: str) -> Any:
    found = service_records.survey_for_token(token[:100])
    return {
        "centre": found.service.centre.name,
        "service": found.service.get_kind_display(),
        "delivered_at": found.service.delivered_at,
        "answered": found.answered_at is not None,
    }


@router.post("/surveys/{token}", response=SurveyOut, auth=None, summary="Answer the survey, once")
def survey_post(request: HttpRequest, token: str, payload: SurveyAnswerIn) -> Any:
    service_records.survey_answer(token=token[:100], score=payload.score, comment=payload.comment)
    return survey_get(request, token)
