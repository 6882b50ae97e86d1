"""Pages of the workers-abroad service: the worker's profile (/sos/profile/), and the centre's workers'
records with the Excel import (/staff/sos/workers/). Thin: the same services and selectors as the API."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ansinh.accounts.selectors import require_permission
from ansinh.core.errors import DomainError, NotFound, ValidationFailed
from ansinh.geo.selectors import country_list
from ansinh.sos import worker_selectors
from ansinh.sos.models import Programme
from ansinh.sos.permissions import WORKER_MANAGE
from ansinh.sos.selectors import worker_profile_of
from ansinh.sos.services import workers
from ansinh.sos.worker_forms import ImportForm, ProfileForm
from ansinh.web.forms import apply_domain_error

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _deny(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "web/denied.html", {"error": exc}, status=exc.status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    worker = worker_profile_of(request.user)
    if worker is None:
        return _deny(request, NotFound(_("This page is for workers abroad who sign in with their passport.")))
    person = worker.person
    form = ProfileForm(
        request.POST or None,
        current_question=worker.security_question,
        initial={
            "phone": person.phone,
            "security_question": worker.security_question,
            "language": getattr(request.user, "language", "vi"),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            workers.profile_update(actor=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            response = redirect("sos:profile")
            # The page language follows the choice at once (the account remembers it for the next phone).
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                form.cleaned_data["language"],
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    return render(
        request,
        "sos/workers/profile.html",
        {
            "worker": worker,
            "person": person,
            "programme": dict(Programme.choices).get(worker.programme, ""),
            "country": country_list().filter(iso2=worker.country).first() or worker.country,
            "form": form,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def worker_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    try:
        qs = worker_selectors.worker_list_for(request.user, search=q)
    except DomainError as exc:
        return _deny(request, exc)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"q": q, "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = workers.worker_import(actor=request.user, file=form.cleaned_data["file"])
        except ValidationFailed as exc:
            context["import_error"] = exc.message
            context["import_rows"] = exc.details.get("rows") or []
            context["import_messages"] = (
                [] if context["import_rows"] else exc.details["fields"].get("file", [])
            )
            status = 422
        except DomainError as exc:
            return _deny(request, exc)
        else:
            messages.success(
                request,
                _("Imported: %(created)d new workers, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("sos:workers")
    elif form.errors:
        status = 422
    context["page"] = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sos/workers/list.html", context, status=status)


@login_required
@require_safe
def import_template(request: HttpRequest) -> HttpResponse:
    try:
        require_permission(request.user, WORKER_MANAGE)
    except DomainError as exc:
        return _deny(request, exc)
    response = HttpResponse(workers.import_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-nguoi-lao-dong.xlsx"'
    return response


urlpatterns: list[URLPattern] = [
    path("sos/profile/", profile, name="profile"),
    path("staff/sos/workers/", worker_list, name="workers"),
    path("staff/sos/workers/template.xlsx", import_template, name="workers_template"),
]
