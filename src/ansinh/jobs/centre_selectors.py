"""Reads of the employment service centres' work, each scoped by the actor.

A centre's rows carry the centre's `org_path` (and the centre its province): a centre's staff see their own
centre (`org_path` under their organisation), a province's department sees the centres of its province, the
ministry the whole country. A row outside the actor's scope is "not found", never "forbidden".
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from ansinh.accounts.models import Organisation, OrganisationKind
from ansinh.accounts.selectors import Grant, require_permission, scope_q
from ansinh.core.errors import NotFound
from ansinh.jobs import permissions as perms
from ansinh.jobs import rules
from ansinh.jobs.models import (
    CareerTalk,
    CentreTarget,
    CounsellingAppointment,
    CounterTicket,
    Placement,
    SatisfactionSurvey,
    ServiceRecord,
    TicketStatus,
)


def row_scope(grant: Grant) -> Q:
    """The filter of a centre's rows (those with `centre` and `org_path`) for a grant."""
    return scope_q(grant, province="centre__province_id", org_path="org_path")


def centres_for(actor: Any, code: str = perms.CENTRE_OPERATE) -> QuerySet[Organisation]:
    """The active employment service centres where the actor holds `code`."""
    grant = require_permission(actor, code)
    return (
        Organisation.objects.filter(kind=OrganisationKind.EMPLOYMENT_CENTRE, is_active=True)
        .filter(scope_q(grant, province="province_id", org_path="path"))
        .select_related("province")
        .order_by("path")
    )


def centre_get_for(actor: Any, centre_id: Any, code: str = perms.CENTRE_OPERATE) -> Organisation:
    """One centre in the actor's scope for `code`; without `centre_id`, the actor's first centre."""
    centres = centres_for(actor, code)
    if centre_id in (None, ""):
        centre = centres.first()
    else:
        try:
            centre = centres.filter(pk=int(centre_id)).first()
        except (TypeError, ValueError):
            centre = None
    if centre is None:
        raise NotFound()
    return centre


def public_centres() -> QuerySet[Organisation]:
    """Every active employment service centre (a person may book counselling at any of them)."""
    return (
        Organisation.objects.filter(kind=OrganisationKind.EMPLOYMENT_CENTRE, is_active=True)
        .select_related("province")
        .order_by("province__name", "name")
    )


def public_centre_get(centre_id: Any) -> Organisation:
    try:
        centre = public_centres().filter(pk=int(centre_id)).first()
    except (TypeError, ValueError):
        centre = None
    if centre is None:
        raise NotFound()
    return centre


# --- counselling -------------------------------------------------------------------------------------------


def appointment_list_for(actor: Any, *, centre: Organisation | None = None, status: str = "") -> QuerySet:
    grant = require_permission(actor, perms.CENTRE_OPERATE)
    qs = CounsellingAppointment.objects.filter(row_scope(grant)).select_related(
        "person", "centre", "counsellor"
    )
    if centre is not None:
        qs = qs.filter(centre=centre)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_at", "-id")


def appointment_get_for(actor: Any, appointment_id: int) -> CounsellingAppointment:
    appointment = appointment_list_for(actor).filter(pk=appointment_id).first()
    if appointment is None:
        raise NotFound()
    return appointment


def my_appointments(actor: Any) -> QuerySet[CounsellingAppointment]:
    """The signed-in person's own appointments."""
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        return CounsellingAppointment.objects.none()
    return (
        CounsellingAppointment.objects.filter(person_id=person_id)
        .select_related("centre")
        .order_by("-starts_at", "-id")
    )


# --- career talks ------------------------------------------------------------------------------------------


def talk_list_for(actor: Any, *, centre: Organisation | None = None, year: int | None = None) -> QuerySet:
    grant = require_permission(actor, perms.CENTRE_OPERATE)
    qs = CareerTalk.objects.filter(row_scope(grant)).select_related("centre", "ward")
    if centre is not None:
        qs = qs.filter(centre=centre)
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.order_by("-held_on", "-id")


# --- the counter -------------------------------------------------------------------------------------------


def queue_for(centre: Organisation, day: Any) -> QuerySet[CounterTicket]:
    """A centre's tickets of one day, in number order (the screen shows numbers and desks only)."""
    return CounterTicket.objects.filter(centre=centre, day=day).order_by("number")


def ticket_get_for(actor: Any, ticket_id: int) -> CounterTicket:
    grant = require_permission(actor, perms.CENTRE_OPERATE)
    ticket = (
        CounterTicket.objects.filter(row_scope(grant), pk=ticket_id)
        .select_related("centre", "person")
        .first()
    )
    if ticket is None:
        raise NotFound()
    return ticket


def queue_summary(centre: Organisation, day: Any) -> dict[str, Any]:
    """What the screen and the desk show: the tickets called (latest first), the waiting ones, counts."""
    tickets = list(queue_for(centre, day).select_related("person"))
    called = sorted(
        (t for t in tickets if t.status == TicketStatus.CALLED), key=lambda t: t.called_at or t.issued_at
    )
    called.reverse()
    return {
        "called": called,
        "waiting": [t for t in tickets if t.status == TicketStatus.WAITING],
        "served": sum(1 for t in tickets if t.status == TicketStatus.SERVED),
        "left": sum(1 for t in tickets if t.status == TicketStatus.LEFT),
        "issued": len(tickets),
    }


# --- placements --------------------------------------------------------------------------------------------


def placement_list_for(
    actor: Any, *, centre: Organisation | None = None, status: str = ""
) -> QuerySet[Placement]:
    grant = require_permission(actor, perms.CENTRE_OPERATE)
    qs = Placement.objects.filter(row_scope(grant)).select_related(
        "person", "centre", "reported_by", "verified_by"
    )
    if centre is not None:
        qs = qs.filter(centre=centre)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def placement_get_for(actor: Any, placement_id: int) -> Placement:
    placement = placement_list_for(actor).filter(pk=placement_id).first()
    if placement is None:
        raise NotFound()
    return placement


# --- targets -----------------------------------------------------------------------------------------------


def target_list_for(actor: Any, *, centre: Organisation, year: int) -> dict[str, int]:
    """The centre's targets of a year, by indicator (the centre already checked against the actor)."""
    return dict(CentreTarget.objects.filter(centre=centre, year=year).values_list("indicator", "target"))


# --- satisfaction surveys ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyFigures:
    """One centre's surveys of a year (by the year the survey was sent, i.e. the service was given)."""

    sent: int = 0
    answered: int = 0
    satisfied: int = 0

    @property
    def percent(self) -> float | None:
        """Satisfied people as a share of those who answered (None before any answer)."""
        return percent_of(self.satisfied, self.answered)


def percent_of(part: int, whole: int) -> float | None:
    return None if not whole else round(100 * part / whole, 1)


# The lowest satisfied score (rules.satisfied), as a database filter.
SATISFIED_MIN = next(score for score in range(1, 6) if rules.satisfied(score))


def survey_figures(centre_ids: list[int], year: int) -> dict[int, SurveyFigures]:
    """Sent, answered and satisfied surveys per centre, counted only from `SatisfactionSurvey` rows (each
    hangs on a `ServiceRecord`, a service really given). One query whatever the number of centres."""
    rows = (
        SatisfactionSurvey.objects.filter(service__centre_id__in=centre_ids, sent_at__year=year)
        .values("service__centre_id")
        .annotate(
            sent=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            satisfied=Count("id", filter=Q(answered_at__isnull=False, score__gte=SATISFIED_MIN)),
        )
    )
    return {
        row["service__centre_id"]: SurveyFigures(row["sent"], row["answered"], row["satisfied"])
        for row in rows
    }


def survey_answers_for(
    actor: Any, *, centre: Organisation | None = None, year: int | None = None, score: str = ""
) -> QuerySet[SatisfactionSurvey]:
    """The answered surveys, each with its service (kind, date, the row the service is about), for an
    audit of the satisfaction figure. The person's name is not shown: the answer is linked to a service, not
    displayed against a name."""
    grant = require_permission(actor, perms.STATISTICS_READ)
    qs = SatisfactionSurvey.objects.filter(
        scope_q(grant, province="service__centre__province_id", org_path="org_path"),
        answered_at__isnull=False,
    ).select_related("service__centre")
    if centre is not None:
        qs = qs.filter(service__centre=centre)
    if year:
        qs = qs.filter(sent_at__year=year)
    if score.isdigit():
        qs = qs.filter(score=int(score))
    return qs.order_by("-answered_at", "-id")


def service_for(kind: str, source_id: int) -> ServiceRecord | None:
    """The service recorded for a row (a held appointment, a verified placement), with its survey."""
    return ServiceRecord.objects.filter(kind=kind, source_id=source_id).select_related("survey").first()
