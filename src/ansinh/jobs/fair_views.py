"""The job fairs' pages: the public list and page of a fair; the seeker's registration (with the QR for the
door), bookings and "my fairs"; the employer's booths, vacancies, interview slots and attendance; the
centre's planning, door check-in (a text box a QR scanner fills: no camera script), walk-ins and results.

Thin: the same services and selectors as `fairs_api`. Plain forms that work without JavaScript; every
POST redirects (PRG)."""

from typing import Any

import segno
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ansinh.accounts.selectors import has_permission
from ansinh.core.errors import DomainError, NotFound
from ansinh.geo.models import Province
from ansinh.jobs import fair_selectors as sel
from ansinh.jobs import permissions as perms
from ansinh.jobs.fair_forms import (
    LOCAL_INPUT,
    AddBoothForm,
    BoothVacanciesForm,
    CheckInForm,
    FairForm,
    ResultsForm,
    SlotForm,
    WalkInForm,
)
from ansinh.jobs.models import BookingStatus, FairKind, FairStatus, InterviewSlot, JobFair, SeekerProfile
from ansinh.jobs.services import bookings, fairs
from ansinh.jobs.services.applications import seeker_of
from ansinh.web.forms import error_text
from ansinh.web.pages import page_of, show_error, signed_in_page


def qr_svg(code: str) -> SafeString:
    """The registration code as an inline SVG QR (made on the server: no external image, no script)."""
    svg = segno.make(code, error="m").svg_inline(scale=4, dark="#111", omitsize=True, title=code)
    return mark_safe(svg)  # noqa: S308 - segno's own markup of an alphanumeric code


def _refuse_or_message(request: HttpRequest, exc: DomainError) -> None:
    """Not found and not allowed are shown as such; any other refusal is a message on the next page."""
    if exc.status in (401, 403, 404):
        raise exc
    messages.error(request, error_text(exc))


def _seeker_or_none(request: HttpRequest) -> SeekerProfile | None:
    person_id = getattr(request.user, "person_id", None)
    return SeekerProfile.objects.filter(person_id=person_id).first() if person_id else None


# --- public ------------------------------------------------------------------------------------------------


@require_safe
def fair_list(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("past") == "1"
    kind = request.GET.get("kind", "") if request.GET.get("kind") in FairKind.values else ""
    province = request.GET.get("province", "")
    page, query = page_of(request, sel.fairs_public(province_id=province, kind=kind, past=past))
    return render(
        request,
        "jobs/fairs/list.html",
        {
            "page": page,
            "query": query,
            "past": past,
            "kind": kind,
            "province": province,
            "kinds": FairKind.choices,
            "provinces": Province.objects.order_by("name"),
        },
    )


@require_safe
def fair_detail(request: HttpRequest, fair_id: int) -> HttpResponse:
    try:
        fair = sel.fair_public_get(fair_id)
    except NotFound:
        raise Http404() from None
    seeker = _seeker_or_none(request) if request.user.is_authenticated else None
    booths = sel.booths_public(fair)
    now = timezone.now()
    for booth in booths:
        for slot in booth.slots.all():
            slot.free = max(0, slot.capacity - slot.booked)  # type: ignore[attr-defined]
            slot.started = slot.starts_at <= now  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "fair": fair,
        "booths": booths,
        "open": fair.status == FairStatus.PLANNED,
        "seeker": seeker,
        "registration": None,
        "booked": set(),
    }
    if seeker is not None:
        context["registration"] = sel.registrations_of(seeker.person_id).filter(fair=fair).first()
        context["booked"] = sel.booked_slot_ids(seeker.pk, fair)
    if request.user.is_authenticated and sel.is_employer(request.user):
        context["employer_booth"] = sel.employer_booths(request.user).filter(fair=fair).first()
    return render(request, "jobs/fairs/detail.html", context)


# --- seekers -----------------------------------------------------------------------------------------------


@require_POST
@signed_in_page()
def fair_register(request: HttpRequest, fair_id: int) -> HttpResponse:
    try:
        fairs.fair_register(actor=request.user, fair_id=fair_id)
    except DomainError as exc:
        _refuse_or_message(request, exc)
        return redirect("jobs_fair:detail", fair_id=fair_id)
    messages.success(request, _("You are registered. Show the QR code below at the door."))
    return redirect("jobs_fair:mine")


@require_POST
@signed_in_page()
def book(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = InterviewSlot.objects.filter(pk=slot_id).values("booth__fair_id").first()
    if slot is None:
        return redirect("jobs_fair:list")
    try:
        booking = bookings.booking_create(actor=request.user, slot_id=slot_id)
    except DomainError as exc:
        _refuse_or_message(request, exc)
        return redirect("jobs_fair:detail", fair_id=slot["booth__fair_id"])
    messages.success(request, _("Your interview is booked. We will remind you a day before."))
    return HttpResponseRedirect(f"{reverse('jobs_fair:mine')}?booked={booking.pk}")


@require_POST
@signed_in_page()
def booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    try:
        bookings.booking_cancel(actor=request.user, booking_id=booking_id)
    except DomainError as exc:
        _refuse_or_message(request, exc)
    else:
        messages.success(request, _("The booking is cancelled and the place is free for someone else."))
    return redirect("jobs_fair:mine")


@require_safe
@signed_in_page()
def my_fairs(request: HttpRequest) -> HttpResponse:
    seeker = seeker_of(request.user)
    registrations = list(sel.registrations_of(seeker.person_id)[:50])
    rows = [
        (
            r,
            qr_svg(r.code)
            if r.fair.kind != FairKind.ONLINE and r.fair.status == FairStatus.PLANNED
            else None,
        )
        for r in registrations
    ]
    return render(
        request,
        "jobs/fairs/mine.html",
        {
            "rows": rows,
            "bookings": list(sel.bookings_of(seeker.pk)[:100]),
            "just_booked": request.GET.get("booked", ""),
        },
    )


# --- employers (and the centre for them) -------------------------------------------------------------------


@require_safe
@signed_in_page(perms.VACANCY_MANAGE)
def employer_fairs(request: HttpRequest) -> HttpResponse:
    booths = list(sel.employer_booths(request.user)[:100])
    taken = {b.fair_id for b in booths}
    page, query = page_of(request, sel.fairs_taking_booths())
    return render(
        request, "jobs/fairs/employer.html", {"booths": booths, "page": page, "query": query, "taken": taken}
    )


@require_POST
@signed_in_page(perms.VACANCY_MANAGE)
def booth_take(request: HttpRequest, fair_id: int) -> HttpResponse:
    try:
        booth = fairs.booth_take(actor=request.user, fair_id=fair_id)
    except DomainError as exc:
        _refuse_or_message(request, exc)
        return redirect("jobs_fair:employer")
    messages.success(
        request, _("You have a booth at this fair: choose its vacancies and publish interview times.")
    )
    return redirect("jobs_fair:booth", booth_id=booth.pk)


def _booth_context(request: HttpRequest, booth: Any, **forms: Any) -> dict[str, Any]:
    vacancies = list(sel.open_vacancies_of(booth.employer_id)[:200])
    chosen = [str(pk) for pk in booth.vacancies.values_list("pk", flat=True)]
    fair = booth.fair
    default_start = timezone.localtime(fair.starts_at)
    return {
        "booth": booth,
        "fair": fair,
        "open": fair.status == FairStatus.PLANNED,
        "online": fair.kind in (FairKind.ONLINE, FairKind.HYBRID),
        "slots": list(booth.slots.order_by("starts_at", "pk")),
        "bookings": list(sel.booth_bookings(booth)[:500]),
        "vacancy_form": forms.get("vacancy_form")
        or BoothVacanciesForm(initial={"vacancy_ids": chosen}, vacancies=vacancies),
        "slot_form": forms.get("slot_form")
        or SlotForm(initial={"starts_at": default_start.strftime(LOCAL_INPUT), "capacity": 1}),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page()
def booth_page(request: HttpRequest, booth_id: int) -> HttpResponse:
    """The booth: its vacancies (POST changes them), slots with their links, and who booked."""
    booth = sel.booth_get_for_writer(request.user, booth_id)
    if request.method == "POST":
        vacancies = list(sel.open_vacancies_of(booth.employer_id)[:200])
        form = BoothVacanciesForm(request.POST, vacancies=vacancies)
        if form.is_valid():
            try:
                fairs.booth_set_vacancies(
                    actor=request.user, booth_id=booth.pk, vacancy_ids=form.cleaned_data["vacancy_ids"]
                )
            except DomainError as exc:
                if exc.status in (401, 403, 404):
                    raise
                show_error(form, exc)
            else:
                messages.success(request, _("The booth's vacancies are saved."))
                return redirect("jobs_fair:booth", booth_id=booth.pk)
        return render(
            request, "jobs/fairs/booth.html", _booth_context(request, booth, vacancy_form=form), status=400
        )
    return render(request, "jobs/fairs/booth.html", _booth_context(request, booth))


@require_POST
@signed_in_page()
def slot_add(request: HttpRequest, booth_id: int) -> HttpResponse:
    booth = sel.booth_get_for_writer(request.user, booth_id)
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            fairs.slot_add(actor=request.user, booth_id=booth.pk, **form.cleaned_data)
        except DomainError as exc:
            if exc.status in (401, 403, 404):
                raise
            show_error(form, exc)
        else:
            messages.success(request, _("The interview time is published."))
            return redirect("jobs_fair:booth", booth_id=booth.pk)
    return render(
        request, "jobs/fairs/booth.html", _booth_context(request, booth, slot_form=form), status=400
    )


@require_POST
@signed_in_page()
def slot_delete(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = sel.slot_get_for_writer(request.user, slot_id)
    try:
        fairs.slot_delete(actor=request.user, slot_id=slot.pk)
    except DomainError as exc:
        _refuse_or_message(request, exc)
    else:
        messages.success(request, _("The interview time is removed."))
    return redirect("jobs_fair:booth", booth_id=slot.booth_id)


@require_POST
@signed_in_page()
def booking_mark(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = sel.booking_get_for_booth_writer(request.user, booking_id)
    try:
        bookings.booking_mark(
            actor=request.user, booking_id=booking.pk, status=request.POST.get("status", "")
        )
    except DomainError as exc:
        _refuse_or_message(request, exc)
    else:
        messages.success(request, _("Attendance recorded."))
    return redirect("jobs_fair:booth", booth_id=booking.slot.booth_id)


# --- centres -----------------------------------------------------------------------------------------------


@require_safe
@signed_in_page()
def staff_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page, query = page_of(request, sel.fairs_for_staff(request.user, status=status))
    return render(
        request,
        "jobs/fairs/staff_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": FairStatus.choices,
            "can_plan": has_permission(request.user, perms.CENTRE_OPERATE),
        },
    )


def _fair_form_page(request: HttpRequest, *, fair: JobFair | None) -> HttpResponse:
    centre = fair.centre if fair else sel.centre_for_officer(request.user, request.GET.get("centre"))
    if request.method == "POST":
        form = FairForm(request.POST, province_id=centre.province_id)
        if form.is_valid():
            try:
                if fair is None:
                    saved = fairs.fair_create(
                        actor=request.user, centre_id=centre.pk, **form.service_fields()
                    )
                else:
                    saved = fairs.fair_update(actor=request.user, fair_id=fair.pk, **form.service_fields())
            except DomainError as exc:
                if exc.status in (401, 403, 404):
                    raise
                show_error(form, exc)
            else:
                messages.success(request, _("The fair is saved."))
                return redirect("jobs_fair:staff_detail", fair_id=saved.pk)
        status = 400
    else:
        initial = {}
        if fair is not None:
            initial = {
                "title": fair.title,
                "kind": fair.kind,
                "starts_at": fair.starts_at,
                "ends_at": fair.ends_at,
                "ward_id": fair.ward_id,
                "venue": fair.venue,
                "online_url": fair.online_url,
                "description": fair.description,
            }
        form = FairForm(initial=initial, province_id=centre.province_id)
        status = 200
    return render(
        request, "jobs/fairs/staff_form.html", {"form": form, "fair": fair, "centre": centre}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.CENTRE_OPERATE)
def staff_create(request: HttpRequest) -> HttpResponse:
    return _fair_form_page(request, fair=None)


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.CENTRE_OPERATE)
def staff_edit(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = sel.fair_get_for_operator(request.user, fair_id)
    return _fair_form_page(request, fair=fair)


@require_safe
@signed_in_page()
def staff_detail(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = sel.fair_get_for_staff(request.user, fair_id)
    return render(
        request,
        "jobs/fairs/staff_detail.html",
        {
            "fair": fair,
            "figures": sel.booth_figures(fair),
            "totals": sel.fair_totals(fair),
            "can_operate": sel.can_operate(request.user, fair),
            "add_booth_form": AddBoothForm(),
            "at_the_door": fair.kind != FairKind.ONLINE,
        },
    )


@require_POST
@signed_in_page(perms.CENTRE_OPERATE)
def staff_cancel(request: HttpRequest, fair_id: int) -> HttpResponse:
    try:
        fairs.fair_cancel(actor=request.user, fair_id=fair_id)
    except DomainError as exc:
        _refuse_or_message(request, exc)
    else:
        messages.success(request, _("The fair is cancelled; the people registered are told."))
    return redirect("jobs_fair:staff_detail", fair_id=fair_id)


@require_POST
@signed_in_page(perms.CENTRE_OPERATE)
def staff_add_booth(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = sel.fair_get_for_operator(request.user, fair_id)
    form = AddBoothForm(request.POST)
    if form.is_valid():
        try:
            booth = fairs.booth_add(
                actor=request.user, fair_id=fair.pk, tax_code=form.cleaned_data["tax_code"]
            )
        except DomainError as exc:
            _refuse_or_message(request, exc)
        else:
            messages.success(request, _("The booth is added."))
            return redirect("jobs_fair:booth", booth_id=booth.pk)
    else:
        messages.error(request, _("Enter the employer's tax code."))
    return redirect("jobs_fair:staff_detail", fair_id=fair.pk)


def _door_page(request: HttpRequest, fair: JobFair, status: int = 200, **forms: Any) -> HttpResponse:
    return render(
        request,
        "jobs/fairs/door.html",
        {
            "fair": fair,
            "totals": sel.fair_totals(fair),
            "check_in_form": forms.get("check_in_form") or CheckInForm(),
            "walk_in_form": forms.get("walk_in_form") or WalkInForm(),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.CENTRE_OPERATE)
def door(request: HttpRequest, fair_id: int) -> HttpResponse:
    """Check-in at the door: the code typed, or scanned into the box by a QR scanner."""
    fair = sel.fair_get_for_operator(request.user, fair_id)
    if request.method != "POST":
        return _door_page(request, fair)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            registration, first = fairs.check_in(
                actor=request.user, fair_id=fair.pk, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            if exc.status in (401, 403, 404):
                raise
            show_error(form, exc)
        else:
            name = registration.person.full_name
            if first:
                messages.success(request, _("Welcome, %(name)s: checked in.") % {"name": name})
            else:
                messages.info(request, _("%(name)s was already checked in.") % {"name": name})
            return redirect("jobs_fair:door", fair_id=fair.pk)
    return _door_page(request, fair, 400, check_in_form=form)


@require_POST
@signed_in_page(perms.CENTRE_OPERATE)
def walk_in(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = sel.fair_get_for_operator(request.user, fair_id)
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            registration = fairs.walk_in(actor=request.user, fair_id=fair.pk, **form.cleaned_data)
        except DomainError as exc:
            if exc.status in (401, 403, 404):
                raise
            show_error(form, exc)
        else:
            messages.success(
                request, _("%(name)s is registered and checked in.") % {"name": registration.person.full_name}
            )
            return redirect("jobs_fair:door", fair_id=fair.pk)
    return _door_page(request, fair, 400, walk_in_form=form)


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page()
def results(request: HttpRequest, fair_id: int) -> HttpResponse:
    """The fair's figures for whoever reads them; the form for its centre's officers."""
    fair = sel.fair_get_for_staff(request.user, fair_id)
    can_operate = sel.can_operate(request.user, fair)
    figures = sel.booth_figures(fair)
    form = ResultsForm(figures=figures) if can_operate else None
    status = 200
    if request.method == "POST":
        if not can_operate:
            fair = sel.fair_get_for_operator(request.user, fair_id)  # refuses
        form = ResultsForm(request.POST, figures=figures)
        if form.is_valid():
            try:
                fairs.results_record(
                    actor=request.user, fair_id=fair.pk, results=form.results(), close="close" in request.POST
                )
            except DomainError as exc:
                if exc.status in (401, 403, 404):
                    raise
                show_error(form, exc)
            else:
                messages.success(request, _("The results are saved."))
                return redirect("jobs_fair:results", fair_id=fair.pk)
        status = 400
    return render(
        request,
        "jobs/fairs/results.html",
        {
            "fair": fair,
            "figures": figures,
            "totals": sel.fair_totals(fair),
            "form": form,
            "can_operate": can_operate,
            "booking_statuses": BookingStatus,
        },
        status=status,
    )
