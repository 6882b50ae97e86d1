"""Staff pages about partner systems: the partners, and the log of the callbacks sent to them, where a
failed callback can be sent again. Only for holders of `partner.manage`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ansinh.core.errors import DomainError, PermissionDenied
from ansinh.dossiers import partner_selectors
from ansinh.dossiers.models import STATE_LABELS, CallbackStatus
from ansinh.dossiers.procedures import State
from ansinh.dossiers.services import partners

PAGE_SIZE = 50


def _deny(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "web/denied.html", {"error": exc}, status=exc.status)


def _state_label(state: str) -> str:
    try:
        return str(STATE_LABELS[State(state)])
    except (KeyError, ValueError):
        return state


def _require_manager(request: HttpRequest) -> None:
    if not partner_selectors.may_manage_partners(request.user):
        raise PermissionDenied()


@login_required
@require_safe
def partner_list(request: HttpRequest) -> HttpResponse:
    try:
        _require_manager(request)
    except DomainError as exc:
        return _deny(request, exc)
    page = Paginator(partner_selectors.partner_overview_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "dossiers/partners/list.html", {"page": page, "query": ""})


@login_required
@require_safe
def callback_list(request: HttpRequest) -> HttpResponse:
    try:
        _require_manager(request)
    except DomainError as exc:
        return _deny(request, exc)
    raw_partner = request.GET.get("partner", "")
    partner_id = int(raw_partner) if raw_partner.isdigit() and len(raw_partner) < 10 else None
    status = request.GET.get("status", "")
    status = status if status in partner_selectors.CALLBACK_STATUSES else ""
    callbacks = partner_selectors.callbacks_for(request.user, partner_id=partner_id, status=status)
    page = Paginator(callbacks, PAGE_SIZE).get_page(request.GET.get("page"))
    for callback in page.object_list:
        state = callback.payload.get("state", "") if isinstance(callback.payload, dict) else ""
        callback.state_label = _state_label(str(state))  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dossiers/partners/callbacks.html",
        {
            "page": page,
            "query": query.urlencode(),
            "partners": partner_selectors.partner_overview_for(request.user),
            "partner_id": partner_id,
            "status": status,
            "statuses": CallbackStatus.choices,
            "failed": CallbackStatus.FAILED,
            "back": request.get_full_path(),
        },
    )


@login_required
@require_POST
def callback_retry(request: HttpRequest, callback_id: int) -> HttpResponseBase:
    try:
        partners.callback_retry(actor=request.user, callback_id=callback_id)
    except DomainError as exc:
        if exc.status != 409:
            return _deny(request, exc)
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The callback will be sent again."))
    back = request.POST.get("next", "")
    callbacks_url = reverse("partners:callbacks")
    if not (
        back.startswith(callbacks_url)
        and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False)
    ):
        back = callbacks_url
    return redirect(back)
