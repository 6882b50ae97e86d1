"""Reads of job fairs, each scoped by the actor.

- The public sees planned fairs, their booths, the vacancies presented and the free places of interview slots
  (never a slot's video-call link: only the seekers who booked it see that).
- A centre's officers (`jobs_centre.operate`) act on the fairs of their centre (`org_path` under it); the
  officials who read the centres' figures (`jobs_statistics.read`) see the fairs in their scope (a province's
  department its province's fairs, the ministry all).
- An employer's staff (`jobs_vacancy.manage`) act on their own employer's booths only.
- A seeker sees their own registrations and bookings.

A row outside the actor's scope is "not found", never "forbidden"."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ansinh.accounts.models import Organisation, OrganisationKind
from ansinh.accounts.selectors import grant_for, has_permission, require_permission, scope_q
from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.jobs import permissions as perms
from ansinh.jobs.models import (
    Application,
    ApplicationStatus,
    BookingStatus,
    Employer,
    EmployerStatus,
    FairBooth,
    FairRegistration,
    FairStatus,
    InterviewBooking,
    InterviewSlot,
    JobFair,
    Vacancy,
    VacancyStatus,
)


def _id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- the public --------------------------------------------------------------------------------------------


def fairs_public(*, province_id: Any = None, kind: str = "", past: bool = False) -> QuerySet[JobFair]:
    """Planned fairs that have not ended, soonest first (with `past`, fairs held, latest first)."""
    now = timezone.now()
    found = JobFair.objects.select_related("province", "ward", "centre").annotate(
        n_booths=Count("booths", distinct=True)
    )
    if past:
        found = found.filter(status=FairStatus.CLOSED).order_by("-starts_at", "-pk")
    else:
        found = found.filter(status=FairStatus.PLANNED, ends_at__gt=now).order_by("starts_at", "pk")
    if (pid := _id(province_id)) is not None:
        found = found.filter(province_id=pid)
    if kind:
        found = found.filter(kind=kind)
    return found


def fair_public_get(fair_id: Any) -> JobFair:
    """Any fair by its number (a cancelled or closed one too: its page says so)."""
    fair = JobFair.objects.select_related("province", "ward", "centre").filter(pk=_id(fair_id) or 0).first()
    if fair is None:
        raise NotFound()
    return fair


def open_vacancies_of(employer_id: int) -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(
        employer_id=employer_id, status=VacancyStatus.OPEN, deadline__gte=timezone.localdate()
    ).order_by("-published_at", "-pk")


def booths_public(fair: JobFair) -> list[FairBooth]:
    """The fair's booths with their open vacancies and interview slots (free places counted), in three
    queries whatever the number of booths."""
    vacancies = Vacancy.objects.filter(
        status=VacancyStatus.OPEN, deadline__gte=timezone.localdate()
    ).select_related("occupation", "province")
    return list(
        FairBooth.objects.filter(fair=fair, employer__status=EmployerStatus.VERIFIED)
        .select_related("employer__organisation", "employer__province")
        .prefetch_related(
            Prefetch("vacancies", queryset=vacancies.order_by("title", "pk")),
            Prefetch("slots", queryset=InterviewSlot.objects.order_by("starts_at", "pk")),
        )
        .order_by("employer__organisation__name", "pk")
    )


def employer_by_tax_code(tax_code: str) -> Employer | None:
    code = "".join(ch for ch in (tax_code or "") if ch.isalnum() or ch == "-")
    if not code:
        return None
    return Employer.objects.select_related("organisation").filter(tax_code=code).first()


# --- centres and officials ---------------------------------------------------------------------------------


def centre_for_officer(actor: Any, centre_id: Any = None) -> Organisation:
    """A centre where the actor runs the services (`centre_id`, or the first one)."""
    grant = require_permission(actor, perms.CENTRE_OPERATE)
    centres = Organisation.objects.filter(kind=OrganisationKind.EMPLOYMENT_CENTRE, is_active=True).filter(
        scope_q(grant, province="province_id", org_path="path")
    )
    if centre_id not in (None, ""):
        centres = centres.filter(pk=_id(centre_id) or 0)
    centre = centres.select_related("province").order_by("path").first()
    if centre is None:
        raise NotFound()
    return centre


def centres_of_officer(actor: Any) -> QuerySet[Organisation]:
    grant = require_permission(actor, perms.CENTRE_OPERATE)
    return (
        Organisation.objects.filter(kind=OrganisationKind.EMPLOYMENT_CENTRE, is_active=True)
        .filter(scope_q(grant, province="province_id", org_path="path"))
        .order_by("path")
    )


def _fair_q(grant: Any) -> Q:
    return scope_q(grant, province="province", org_path="org_path")


def staff_fair_scope(actor: Any) -> Q:
    """The fairs a centre's officer runs or an official reads the figures of."""
    operate, read = grant_for(actor, perms.CENTRE_OPERATE), grant_for(actor, perms.STATISTICS_READ)
    if operate.empty and read.empty:
        raise PermissionDenied()
    q = Q(pk__in=[])
    for grant in (operate, read):
        if not grant.empty:
            q |= _fair_q(grant)
    return q


def fairs_for_staff(actor: Any, *, status: str = "") -> QuerySet[JobFair]:
    found = (
        JobFair.objects.filter(staff_fair_scope(actor))
        .select_related("province", "ward", "centre")
        .annotate(
            n_booths=Count("booths", distinct=True),
            n_registered=Count("registrations", distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )
    if status in FairStatus.values:
        found = found.filter(status=status)
    return found


def fair_get_for_staff(actor: Any, fair_id: Any) -> JobFair:
    fair = (
        JobFair.objects.filter(staff_fair_scope(actor), pk=_id(fair_id) or 0)
        .select_related("province", "ward", "centre")
        .first()
    )
    if fair is None:
        raise NotFound()
    return fair


def fair_get_for_operator(actor: Any, fair_id: Any, *, lock: bool = False) -> JobFair:
    """A fair of the actor's centre, for a change (locked for the transaction with `lock`)."""
    grant = require_permission(actor, perms.CENTRE_OPERATE)
    found = JobFair.objects.filter(_fair_q(grant), pk=_id(fair_id) or 0)
    if lock:
        found = found.select_for_update()
    fair = found.select_related("centre", "province", "ward").first() if not lock else found.first()
    if fair is None:
        raise NotFound()
    return fair


def can_operate(actor: Any, fair: JobFair) -> bool:
    grant = grant_for(actor, perms.CENTRE_OPERATE)
    return not grant.empty and JobFair.objects.filter(_fair_q(grant), pk=fair.pk).exists()


# --- booths: their employer or the fair's centre -----------------------------------------------------------


def _booth_writer_q(actor: Any, prefix: str = "") -> Q:
    """Booth rows (`prefix` leads from the model to the booth) the actor may change: their employer's
    staff, or the officers of the fair's centre."""
    employer, centre = grant_for(actor, perms.VACANCY_MANAGE), grant_for(actor, perms.CENTRE_OPERATE)
    if employer.empty and centre.empty:
        raise PermissionDenied()
    q = Q(pk__in=[])
    if not employer.empty:
        q |= scope_q(employer, org_path=f"{prefix}org_path")
    if not centre.empty:
        q |= scope_q(centre, province=f"{prefix}fair__province", org_path=f"{prefix}fair__org_path")
    return q


def booth_get_for_writer(actor: Any, booth_id: Any) -> FairBooth:
    booth = (
        FairBooth.objects.filter(_booth_writer_q(actor), pk=_id(booth_id) or 0)
        .select_related("fair__centre", "employer__organisation")
        .first()
    )
    if booth is None:
        raise NotFound()
    return booth


def slot_get_for_writer(actor: Any, slot_id: Any) -> InterviewSlot:
    slot = (
        InterviewSlot.objects.filter(_booth_writer_q(actor, "booth__"), pk=_id(slot_id) or 0)
        .select_related("booth__fair")
        .first()
    )
    if slot is None:
        raise NotFound()
    return slot


def booking_get_for_booth_writer(actor: Any, booking_id: Any) -> InterviewBooking:
    booking = (
        InterviewBooking.objects.filter(_booth_writer_q(actor, "slot__booth__"), pk=_id(booking_id) or 0)
        .select_related("slot__booth__fair__centre", "seeker__person")
        .first()
    )
    if booking is None:
        raise NotFound()
    return booking


def booth_bookings(booth: FairBooth) -> QuerySet[InterviewBooking]:
    """The bookings of a booth's slots (cancelled ones left out), by time. The caller has checked access."""
    return (
        InterviewBooking.objects.filter(slot__booth=booth)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("slot", "seeker__person", "application__vacancy")
        .order_by("slot__starts_at", "slot_id", "pk")
    )


def employer_booths(actor: Any) -> QuerySet[FairBooth]:
    """The actor's employer's booths, latest fair first."""
    grant = require_permission(actor, perms.VACANCY_MANAGE)
    return (
        FairBooth.objects.filter(scope_q(grant, org_path="org_path"))
        .select_related("fair__province", "employer__organisation")
        .annotate(n_slots=Count("slots", distinct=True))
        .order_by("-fair__starts_at", "-pk")
    )


def fairs_taking_booths() -> QuerySet[JobFair]:
    """Planned fairs that have not started: an employer may take a booth there."""
    return (
        JobFair.objects.filter(status=FairStatus.PLANNED, starts_at__gt=timezone.now())
        .select_related("province", "ward")
        .order_by("starts_at", "pk")
    )


# --- seekers -----------------------------------------------------------------------------------------------


def registrations_of(person_id: int | None) -> QuerySet[FairRegistration]:
    return (
        FairRegistration.objects.filter(person_id=person_id or 0)
        .select_related("fair__province", "fair__ward")
        .order_by("-fair__starts_at", "-pk")
    )


def bookings_of(seeker_id: int) -> QuerySet[InterviewBooking]:
    return (
        InterviewBooking.objects.filter(seeker_id=seeker_id)
        .select_related("slot__booth__fair", "slot__booth__employer__organisation", "application__vacancy")
        .order_by("-slot__starts_at", "-pk")
    )


def booked_slot_ids(seeker_id: int, fair: JobFair) -> set[int]:
    return set(
        InterviewBooking.objects.filter(
            seeker_id=seeker_id, slot__booth__fair=fair, status=BookingStatus.BOOKED
        ).values_list("slot_id", flat=True)
    )


# --- results -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoothFigures:
    booth: FairBooth
    booked: int
    attended: int
    # Prefilled for the centre's form: interviews held = bookings attended; offers and hires from the
    # statuses of the applications that came through the fair.
    interviews: int
    offers: int
    hires: int


@dataclass(frozen=True)
class FairTotals:
    registered: int
    attended: int
    interviews: int
    offers: int
    hires: int
    booths: int


def booth_figures(fair: JobFair) -> list[BoothFigures]:
    """Per booth, what the records say (a handful of grouped queries, whatever the number of booths)."""
    booths = list(
        FairBooth.objects.filter(fair=fair)
        .select_related("employer__organisation")
        .order_by("employer__organisation__name", "pk")
    )
    bookings = (
        InterviewBooking.objects.filter(slot__booth__fair=fair)
        .exclude(status=BookingStatus.CANCELLED)
        .values("slot__booth_id")
        .annotate(
            n=Count("pk"),
            attended=Count("pk", filter=Q(status=BookingStatus.ATTENDED)),
        )
    )
    by_booth: dict[int, dict[str, Any]] = {row["slot__booth_id"]: dict(row) for row in bookings}
    applications = (
        Application.objects.filter(fair=fair)
        .values("vacancy__employer_id")
        .annotate(
            offers=Count("pk", filter=Q(status__in=[ApplicationStatus.OFFER, ApplicationStatus.HIRED])),
            hires=Count("pk", filter=Q(status=ApplicationStatus.HIRED)),
        )
    )
    by_employer: dict[int, dict[str, Any]] = {row["vacancy__employer_id"]: dict(row) for row in applications}
    figures = []
    for booth in booths:
        booked: dict[str, Any] = by_booth.get(booth.pk, {})
        applied: dict[str, Any] = by_employer.get(booth.employer_id, {})
        recorded = booth.interviews or booth.offers or booth.hires
        figures.append(
            BoothFigures(
                booth=booth,
                booked=booked.get("n", 0),
                attended=booked.get("attended", 0),
                interviews=booth.interviews if recorded else booked.get("attended", 0),
                offers=booth.offers if recorded else applied.get("offers", 0),
                hires=booth.hires if recorded else applied.get("hires", 0),
            )
        )
    return figures


def fair_totals(fair: JobFair) -> FairTotals:
    registrations = FairRegistration.objects.filter(fair=fair).aggregate(
        registered=Count("pk"), attended=Count("pk", filter=Q(checked_in_at__isnull=False))
    )
    booths = booth_figures(fair)
    return FairTotals(
        registered=registrations["registered"],
        attended=registrations["attended"],
        interviews=sum(b.interviews for b in booths),
        offers=sum(b.offers for b in booths),
        hires=sum(b.hires for b in booths),
        booths=len(booths),
    )


def is_employer(actor: Any) -> bool:
    return has_permission(actor, perms.VACANCY_MANAGE)
