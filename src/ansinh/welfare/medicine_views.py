"""The regular-medicine pages. Thin: the same selectors and services as the API.

- `/social/medicine/`: the person's requests (status, the day and window or the delivery day), the form to
  ask a clinic, and cancelling an open request.
- `/social/medicine/clinic/`: the clinic's queue (today's hand-overs, requests to confirm, scheduled ones),
  and one request's page with the forms to schedule, dispense or decline it.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ansinh.core.errors import DomainError
from ansinh.web.forms import error_text
from ansinh.web.pages import page_of, show_error, signed_in_page
from ansinh.welfare import medicine_rules as rules
from ansinh.welfare import medicine_selectors as sel
from ansinh.welfare import permissions as perms
from ansinh.welfare.medicine_forms import (
    ClinicSearchForm,
    MedicineDeclineForm,
    MedicineDispenseForm,
    MedicineQueueFilterForm,
    MedicineRequestForm,
    MedicineScheduleForm,
)
from ansinh.welfare.models import OPEN_MEDICINE_STATUSES, MedicineMode, MedicineRegistration, MedicineStatus
from ansinh.welfare.services import medicine

MY_REQUESTS_SHOWN = 50


# --- the person --------------------------------------------------------------------------------------------


def _clinic_choice(request: HttpRequest, person: Any) -> tuple[ClinicSearchForm, Any]:
    """The clinics to choose from: the person's province by default, narrowed by the search form."""
    search = ClinicSearchForm(request.GET or None, initial={"province": person.province_id})
    province_id = person.province_id
    words = ""
    if search.is_bound and search.is_valid():
        chosen = search.cleaned_data["province"]
        province_id = chosen.pk if chosen is not None else None
        words = search.cleaned_data["q"]
    return search, sel.clinics_to_choose(province_id=province_id, search=words)


def _home(request: HttpRequest, form: MedicineRequestForm | None) -> HttpResponse:
    person = sel.person_of(request.user)
    context: dict[str, Any] = {"has_person": person is not None}
    if person is not None:
        search, clinics = _clinic_choice(request, person)
        if form is None:
            form = MedicineRequestForm(clinics=clinics, initial={"phone": person.phone})
        else:
            # The list shown again keeps the clinic already chosen, even from another province.
            raw = str(form.data.get("clinic_id", ""))
            chosen = int(raw) if raw.isdigit() and len(raw) < 10 else 0
            field = form.fields["clinic_id"]
            field.queryset = clinics | sel.clinics_to_choose().filter(pk=chosen)  # type: ignore[attr-defined]
        mine = _with_next_from(list(sel.requests_of(person)[:MY_REQUESTS_SHOWN]))
        context.update(
            search=search,
            form=form,
            requests=mine,
            open_statuses=[str(s) for s in OPEN_MEDICINE_STATUSES],
        )
    status = 422 if form is not None and form.errors else 200
    return render(request, "welfare/medicine/home.html", context, status=status)


def _with_next_from(requests: list[MedicineRegistration]) -> list[MedicineRegistration]:
    """Each dispensed request carries the day the next request may be sent (`next_from`)."""
    for r in requests:
        if r.status == MedicineStatus.DISPENSED and r.closed_at:
            r.next_from = rules.next_request_from(  # type: ignore[attr-defined]
                timezone.localdate(r.closed_at), r.days_supplied
            )
    return requests


@require_http_methods(["GET", "POST"])
@signed_in_page()
def home(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _home(request, None)
    form = MedicineRequestForm(request.POST, clinics=sel.clinics_to_choose())
    if form.is_valid():
        data = form.cleaned_data
        try:
            medicine.medicine_request(
                actor=request.user,
                clinic_id=data["clinic_id"].pk,
                insurance_card_number=data["insurance_card_number"],
                condition=data["condition"],
                medicines=data["medicines"],
                mode=data["mode"],
                delivery_address=data["delivery_address"],
                phone=data["phone"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Your request was sent to the clinic. We will tell you the day."))
            return redirect("welfare_medicine:home")
    return _home(request, form)


@require_POST
@signed_in_page()
def cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    try:
        medicine.medicine_cancel(actor=request.user, registration_id=registration_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Your request is cancelled."))
    return redirect("welfare_medicine:home")


# --- the clinic --------------------------------------------------------------------------------------------


@require_safe
@signed_in_page(perms.MEDICINE_HANDLE)
def queue(request: HttpRequest) -> HttpResponse:
    clinics = sel.clinics_of_staff(request.user)
    today = timezone.localdate()
    filters = MedicineQueueFilterForm(request.GET or None, clinics=clinics)
    view, status, day, clinic = sel.QUEUE_TODAY, "", None, None
    if filters.is_bound and filters.is_valid():
        data = filters.cleaned_data
        view = data["view"] or sel.QUEUE_TODAY
        status, day, clinic = data["status"], data["day"], data["clinic"]
    found = sel.clinic_queue(
        request.user,
        view=view,
        clinic_id=clinic.pk if clinic else None,
        status=status,
        day=day,
        today=today,
    )
    page, query = page_of(request, found)
    context = {
        "filters": filters,
        "view": view,
        "views": [(key, label) for key, label in filters.fields["view"].choices],  # type: ignore[attr-defined]
        "counts": sel.queue_counts(request.user, today=today),
        "page": page,
        "query": query,
        "today": today,
        "several_clinics": clinics.count() > 1,
    }
    return render(request, "welfare/medicine/queue.html", context)


def _detail(request: HttpRequest, registration: MedicineRegistration, **forms: Any) -> HttpResponse:
    days = registration.days_supplied or rules.GENERAL_MAX_DAYS
    context = {
        "r": registration,
        "usual_card": rules.is_usual_card_form(registration.insurance_card_number),
        "is_pickup": registration.mode == MedicineMode.PICKUP,
        "schedule_form": forms.get("schedule_form")
        or MedicineScheduleForm(
            initial={
                "scheduled_on": registration.scheduled_on,
                "window_start": registration.window_start,
                "window_end": registration.window_end,
                "days_supplied": days,
                "note": registration.clinic_note if registration.status == MedicineStatus.SCHEDULED else "",
            }
        ),
        "dispense_form": forms.get("dispense_form") or MedicineDispenseForm(initial={"days_supplied": days}),
        "decline_form": forms.get("decline_form") or MedicineDeclineForm(),
        "opens": rules.OPENS,
        "closes": rules.CLOSES,
    }
    failed = any(form.errors for form in forms.values())
    return render(request, "welfare/medicine/detail.html", context, status=422 if failed else 200)


@require_safe
@signed_in_page(perms.MEDICINE_HANDLE)
def detail(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = sel.request_get_for_clinic(request.user, registration_id, audit_read=True)
    return _detail(request, registration)


@require_POST
@signed_in_page(perms.MEDICINE_HANDLE)
def schedule(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = sel.request_get_for_clinic(request.user, registration_id)
    form = MedicineScheduleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            medicine.medicine_schedule(
                actor=request.user,
                registration_id=registration.pk,
                scheduled_on=data["scheduled_on"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                days_supplied=data["days_supplied"],
                note=data["note"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Scheduled. The person has been told."))
            return redirect("welfare_medicine:clinic_detail", registration_id=registration.pk)
    return _detail(request, registration, schedule_form=form)


@require_POST
@signed_in_page(perms.MEDICINE_HANDLE)
def dispense(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = sel.request_get_for_clinic(request.user, registration_id)
    form = MedicineDispenseForm(request.POST)
    if form.is_valid():
        try:
            medicine.medicine_dispense(
                actor=request.user,
                registration_id=registration.pk,
                days_supplied=form.cleaned_data["days_supplied"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Recorded as handed over."))
            return redirect("welfare_medicine:clinic_detail", registration_id=registration.pk)
    return _detail(request, registration, dispense_form=form)


@require_POST
@signed_in_page(perms.MEDICINE_HANDLE)
def decline(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = sel.request_get_for_clinic(request.user, registration_id)
    form = MedicineDeclineForm(request.POST)
    if form.is_valid():
        try:
            medicine.medicine_decline(
                actor=request.user, registration_id=registration.pk, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Declined. The person has been told the reason."))
            return redirect("welfare_medicine:clinic_detail", registration_id=registration.pk)
    return _detail(request, registration, decline_form=form)
