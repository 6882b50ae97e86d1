"""The employer's pages: registering, the portal (its vacancies and their applicants), posting and editing a
vacancy, opening an application and moving it on; and the centres' page that verifies employers.

Thin: the same services and selectors as the API (`employers_api.py`). Plain forms that work without
JavaScript; a refused POST is shown again with each problem beside its field, a successful one redirects."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ansinh.core.errors import DomainError
from ansinh.core.middleware import client_ip
from ansinh.jobs import permissions as perms
from ansinh.jobs import rules, selectors
from ansinh.jobs.employer_forms import EmployerRegisterForm, StatusForm, VacancyForm, VerifyForm
from ansinh.jobs.errors import EmployerNotVerified
from ansinh.jobs.models import ApplicationStatus, Employer, EmployerStatus, Vacancy, VacancyStatus
from ansinh.jobs.services import applications, employers, vacancies
from ansinh.web.pages import page_of, show_error, signed_in_page

# --- an employer registers itself --------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Open to anyone. The one-time password is shown once, in the answer to the POST itself: it is never
    stored (not even in the session), and the page is not cached."""
    form = EmployerRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer, user, password = employers.employer_register(
                client=client_ip(request) or "", **form.cleaned_data
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            return render(
                request,
                "jobs/employer/registered.html",
                {"employer": employer, "username": user.username, "password": password},
            )
    return render(request, "jobs/employer/register.html", {"form": form})


# --- the employer's portal ---------------------------------------------------------------------------------


STATUS_COLUMNS = [
    ApplicationStatus.SENT,
    ApplicationStatus.VIEWED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFER,
    ApplicationStatus.HIRED,
    ApplicationStatus.REJECTED,
]


@signed_in_page(perms.VACANCY_MANAGE)
@require_http_methods(["GET", "HEAD"])
def portal(request: HttpRequest) -> HttpResponse:
    employer = employers.employer_current(actor=request.user)
    status = request.GET.get("status", "")
    page, query = page_of(request, selectors.vacancy_list_for_employer(request.user, status=status))
    rows = [(v, [getattr(v, f"n_{s.value}") for s in STATUS_COLUMNS]) for v in page]
    return render(
        request,
        "jobs/employer/portal.html",
        {
            "employer": employer,
            "can_post": employer.status == EmployerStatus.VERIFIED,
            "page": page,
            "rows": rows,
            "query": query,
            "status": status,
            "status_columns": [s.label for s in STATUS_COLUMNS],
            "vacancy_statuses": VacancyStatus.choices,
        },
    )


def _vacancy_form(request: HttpRequest, employer: Employer, **kwargs: Any) -> VacancyForm:
    contracts = selectors.supply_contracts_for(employer)
    return VacancyForm(request.POST or None, contracts=contracts, **kwargs)


def _initial(vacancy: Vacancy) -> dict[str, Any]:
    return {
        "title": vacancy.title,
        "occupation": vacancy.occupation.code,
        "description": vacancy.description,
        "requirements": vacancy.requirements,
        "is_remote": vacancy.is_remote,
        "province": vacancy.province.code if vacancy.province else "",
        "ward": vacancy.ward.name if vacancy.ward else "",
        "is_abroad": vacancy.is_abroad,
        "supply_contract": vacancy.supply_contract_id,
        "salary_min": vacancy.salary_min,
        "salary_max": vacancy.salary_max,
        "contract_type": vacancy.contract_type,
        "openings": vacancy.openings,
        "deadline": vacancy.deadline,
    }


@signed_in_page(perms.VACANCY_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def vacancy_new(request: HttpRequest) -> HttpResponse:
    employer = employers.employer_current(actor=request.user)
    if employer.status != EmployerStatus.VERIFIED:
        raise EmployerNotVerified()
    form = _vacancy_form(request, employer)
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = vacancies.vacancy_post(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The vacancy is published."))
            return redirect("jobs_employer:vacancy", vacancy_id=vacancy.pk)
    return render(request, "jobs/employer/vacancy_form.html", {"form": form, "employer": employer})


@signed_in_page(perms.VACANCY_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def vacancy_edit(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = selectors.vacancy_get_for_employer(request.user, vacancy_id)
    employer = vacancy.employer
    form = _vacancy_form(request, employer, initial=_initial(vacancy))
    if request.method == "POST" and form.is_valid():
        try:
            vacancies.vacancy_update(actor=request.user, vacancy_id=vacancy.pk, **form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The vacancy is saved."))
            return redirect("jobs_employer:vacancy", vacancy_id=vacancy.pk)
    return render(
        request, "jobs/employer/vacancy_form.html", {"form": form, "employer": employer, "vacancy": vacancy}
    )


@signed_in_page(perms.VACANCY_MANAGE)
@require_POST
def vacancy_close(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancies.vacancy_close(actor=request.user, vacancy_id=vacancy_id)
    messages.success(request, _("The vacancy is closed: it takes no more applications."))
    return redirect("jobs_employer:vacancy", vacancy_id=vacancy_id)


@signed_in_page(perms.VACANCY_MANAGE)
@require_http_methods(["GET", "HEAD"])
def vacancy_detail(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    """A vacancy and its applicants; names and contacts of those who applied (see `rules`)."""
    vacancy = selectors.vacancy_get_for_employer(request.user, vacancy_id)
    status = request.GET.get("status", "")
    page, query = page_of(
        request, selectors.applications_for_vacancy(request.user, vacancy.pk, status=status)
    )
    rows = [(a, selectors.contacts_shown(a)) for a in page]
    return render(
        request,
        "jobs/employer/vacancy.html",
        {
            "vacancy": vacancy,
            "page": page,
            "rows": rows,
            "query": query,
            "status": status,
            "statuses": ApplicationStatus.choices,
        },
    )


def _application_context(request: HttpRequest, application: Any, form: StatusForm) -> dict[str, Any]:
    return {
        "application": application,
        "vacancy": application.vacancy,
        "seeker": application.seeker,
        "person": application.seeker.person,
        "contacts": selectors.contacts_shown(application),
        "events": list(application.events.all()),
        "can_move": bool(rules.EMPLOYER_MOVES.get(application.status)),
        "form": form,
    }


@signed_in_page(perms.VACANCY_MANAGE)
@require_http_methods(["GET", "HEAD"])
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    """Opening a sent application tells the seeker it was viewed."""
    application = applications.application_mark_viewed(actor=request.user, application_id=application_id)
    application = applications.application_get_for_employer(request.user, application.pk)
    return render(
        request, "jobs/employer/application.html", _application_context(request, application, StatusForm())
    )


@signed_in_page(perms.VACANCY_MANAGE)
@require_POST
def application_status(request: HttpRequest, application_id: int) -> HttpResponse:
    application = applications.application_get_for_employer(request.user, application_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            applications.application_set_status(
                actor=request.user,
                application_id=application.pk,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The application is updated and the applicant is told."))
            return redirect("jobs_employer:application", application_id=application.pk)
    return render(
        request,
        "jobs/employer/application.html",
        _application_context(request, application, form),
        status=422,
    )


# --- the centres verify employers --------------------------------------------------------------------------


@signed_in_page(perms.EMPLOYER_VERIFY)
@require_http_methods(["GET", "HEAD"])
def verify_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", EmployerStatus.PENDING)
    page, query = page_of(request, selectors.employers_to_verify(request.user, status=status))
    return render(
        request,
        "jobs/employer/verify_list.html",
        {"page": page, "query": query, "status": status, "statuses": EmployerStatus.choices},
    )


@signed_in_page(perms.EMPLOYER_VERIFY)
@require_http_methods(["GET", "HEAD", "POST"])
def verify_detail(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = selectors.employer_get_for_verifier(request.user, employer_id)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employers.employer_verify(
                actor=request.user,
                employer_id=employer.pk,
                approve=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The decision is recorded and the employer is told."))
            return redirect("jobs_employer:verify_list")
    return render(
        request,
        "jobs/employer/verify_detail.html",
        {"employer": employer, "form": form, "can_decide": employer.status == EmployerStatus.PENDING},
    )
