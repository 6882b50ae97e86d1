"""The job seeker's pages: signing up, the profile and CV, my applications (with their timeline and a
withdraw button), applying from a vacancy page, and saved searches.

Thin: the same services and selectors as the API (`seekers_api.py`). Plain forms that work without
JavaScript; a refused POST is shown again with each problem beside its field, a successful one
redirects (PRG)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ansinh.core.errors import DomainError
from ansinh.core.middleware import client_ip
from ansinh.jobs import seeker_selectors as selectors
from ansinh.jobs.rules import seeker_may_withdraw
from ansinh.jobs.seeker_forms import ApplyForm, ProfileForm, RegisterForm, SavedSearchNameForm, StartForm
from ansinh.jobs.services import applications, saved_searches, seekers
from ansinh.web.forms import error_text
from ansinh.web.pages import page_of, show_error, signed_in_page

BACKEND = "ansinh.accounts.backends.LockoutAwareBackend"


# --- signing up ---------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Open to anyone. A signed-in person goes to their profile (and starts one there if needed)."""
    if request.user.is_authenticated:
        return redirect("jobs_seeker:profile")
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user, _profile = seekers.seeker_register(
                client=client_ip(request) or "",
                language=translation.get_language() or "vi",
                **form.cleaned_data,
            )
        except DomainError as exc:
            if exc.details.get("fields"):
                show_error(form, exc)
            else:
                form.add_error(None, str(exc.message))
                status = exc.status
        else:
            login(request, user, backend=BACKEND)
            messages.success(
                request,
                _(
                    "Welcome! Your account is ready; you sign in with %(username)s. Now tell employers about "
                    "yourself."
                )
                % {"username": user.username},
            )
            return redirect("jobs_seeker:profile")
    return render(request, "jobs/seeker/register.html", {"form": form}, status=status)


# --- profile ------------------------------------------------------------------------------------------------


@signed_in_page()
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    found = selectors.seeker_profile_of(request.user)
    if found is None:
        return render(request, "jobs/seeker/start.html", {"form": StartForm()})
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                seekers.seeker_profile_update(actor=request.user, **data)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("jobs_seeker:profile")
    else:
        form = ProfileForm(initial=ProfileForm.initial_of(found))
    return render(request, "jobs/seeker/profile.html", {"form": form, "profile": found})


@signed_in_page()
@require_POST
def profile_start(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST)
    headline = form.cleaned_data["headline"] if form.is_valid() else ""
    seekers.seeker_profile_start(actor=request.user, headline=headline)
    messages.success(request, _("Your job seeker profile is started. Fill it in so employers find you."))
    return redirect("jobs_seeker:profile")


# --- applications -------------------------------------------------------------------------------------------


@signed_in_page()
@require_safe
def application_list(request: HttpRequest) -> HttpResponse:
    if not selectors.has_seeker_profile(request.user):
        return redirect("jobs_seeker:profile")
    page, query = page_of(request, selectors.applications_of(request.user), size=10)
    return render(
        request,
        "jobs/seeker/applications.html",
        {"page": page, "query": query, "withdrawable": _withdrawable(page.object_list)},
    )


def _withdrawable(found: Any) -> set[int]:
    return {a.pk for a in found if seeker_may_withdraw(a.status)}


@signed_in_page()
@require_POST
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.application_get_for_seeker(request.user, application_id)
    try:
        applications.application_withdraw(actor=request.user, application_id=application.pk)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _('You withdrew your application for "%(title)s".') % {"title": application.vacancy.title},
        )
    return redirect("jobs_seeker:applications")


@signed_in_page()
@require_POST
def apply(request: HttpRequest, vacancy_id: int) -> HttpResponseBase:
    """Applies from the vacancy page. Problems go back to the vacancy page as a message."""
    form = ApplyForm(request.POST)
    back = reverse("jobs_public:vacancy", args=[vacancy_id])
    if not selectors.has_seeker_profile(request.user):
        messages.error(request, _("Create your job seeker profile first, then apply."))
        return redirect("jobs_seeker:profile")
    if not form.is_valid():
        messages.error(request, error_text_of_form(form))
        return redirect(back)
    try:
        applications.application_submit(
            actor=request.user, vacancy_id=vacancy_id, cover_note=form.cleaned_data["cover_note"]
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, error_text(exc))
        return redirect(back)
    messages.success(request, _("Your application is sent. You can follow it here."))
    return redirect("jobs_seeker:applications")


def error_text_of_form(form: Any) -> str:
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)


# --- saved searches -----------------------------------------------------------------------------------------


@signed_in_page()
@require_http_methods(["GET", "HEAD", "POST"])
def saved_search_list(request: HttpRequest) -> HttpResponse:
    """The seeker's saved searches; a POST (from the search page) saves the search it carries."""
    if not selectors.has_seeker_profile(request.user):
        if request.method == "POST":
            messages.error(request, _("Create your job seeker profile first, then save searches."))
        return redirect("jobs_seeker:profile")
    if request.method == "POST":
        form = SavedSearchNameForm(request.POST)
        name = form.cleaned_data["name"] if form.is_valid() else ""
        try:
            saved_searches.saved_search_create(
                actor=request.user, query=request.POST.get("q", ""), filters=request.POST, name=name
            )
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, _("The search is saved. We will send you new vacancies that match it once a day.")
            )
        return redirect("jobs_seeker:saved_searches")
    found = list(selectors.saved_searches_of(request.user))
    rows = [(s, saved_searches.search_link(s.query, s.filters or {})) for s in found]
    return render(request, "jobs/seeker/saved_searches.html", {"rows": rows})


@signed_in_page()
@require_POST
def saved_search_delete(request: HttpRequest, saved_search_id: int) -> HttpResponse:
    selectors.saved_search_get_for(request.user, saved_search_id)
    saved_searches.saved_search_delete(actor=request.user, saved_search_id=saved_search_id)
    messages.success(request, _("The saved search is deleted."))
    return redirect("jobs_seeker:saved_searches")


@signed_in_page()
@require_POST
def saved_search_alert(request: HttpRequest, saved_search_id: int) -> HttpResponse:
    selectors.saved_search_get_for(request.user, saved_search_id)
    alert = request.POST.get("alert") == "on"
    saved_searches.saved_search_set_alert(actor=request.user, saved_search_id=saved_search_id, alert=alert)
    messages.success(
        request, _("Alerts are on for this search.") if alert else _("Alerts are off for this search.")
    )
    return redirect("jobs_seeker:saved_searches")
