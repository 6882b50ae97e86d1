"""The staff area: a shell showing the official's organisation and role, and the foundation's own
staff pages (people, audit log, password reissue). Every read goes through a scoped selector."""

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST, require_safe

from ansinh.accounts import permissions as perms
from ansinh.accounts import selectors, services
from ansinh.core.errors import DomainError, PermissionDenied
from ansinh.core.exports import stream_audit_csv
from ansinh.core.selectors import AuditFilter, audit_entries_for
from ansinh.dossiers.permissions import DOSSIER_READ
from ansinh.overseas.permissions import READ as OVERSEAS_READ

PAGE_SIZE = 50


def _staff_only(request: HttpRequest) -> None:
    if not (selectors.active_memberships(request.user) or request.user.is_superuser):
        raise PermissionDenied()


def _deny(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "web/denied.html", {"error": exc}, status=exc.status)


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        _staff_only(request)
    except DomainError as exc:
        return _deny(request, exc)
    return render(
        request,
        "web/staff/dashboard.html",
        {
            "can_read_people": selectors.has_permission(request.user, perms.PERSON_READ),
            "can_read_dossiers": selectors.has_permission(request.user, DOSSIER_READ),
            "can_read_overseas": selectors.has_permission(request.user, OVERSEAS_READ),
            "can_read_audit": request.user.has_nation_permission(perms.AUDIT_READ),  # type: ignore[union-attr]
        },
    )


@login_required
@require_safe
def people(request: HttpRequest) -> HttpResponse:
    try:
        selectors.require_permission(request.user, perms.PERSON_READ)
    except DomainError as exc:
        return _deny(request, exc)
    q = request.GET.get("q", "")[:100]
    page = Paginator(selectors.person_list_for(request.user, search=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "web/staff/people.html", {"page": page, "q": q})


@login_required
@require_safe
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person = selectors.person_get_for(request.user, person_id)
    except DomainError as exc:
        return _deny(request, exc)
    can_reissue = selectors.has_permission(request.user, perms.ACCOUNT_MANAGE)
    return render(
        request,
        "web/staff/person_detail.html",
        {"person": person, "can_reissue": can_reissue, "account": getattr(person, "user", None)},
    )


@login_required
@require_POST
def password_reissue(request: HttpRequest, user_id: int) -> HttpResponse:
    try:
        user, password = services.password_reissue(actor=request.user, user_id=user_id)
    except DomainError as exc:
        return _deny(request, exc)
    return render(request, "web/staff/password_reissued.html", {"account": user, "password": password})


def _audit_filter(request: HttpRequest) -> AuditFilter:
    def day(name: str) -> datetime | None:
        value = parse_date(request.GET.get(name, "") or "")
        return datetime.combine(value, datetime.min.time()).astimezone() if value else None

    actor = request.GET.get("actor_id", "")
    return AuditFilter(
        action=request.GET.get("action", "")[:80],
        actor_id=int(actor) if actor.isdigit() else None,
        object_type=request.GET.get("object_type", "")[:80],
        object_id=request.GET.get("object_id", "")[:64],
        since=day("since"),
        until=day("until"),
    )


@login_required
@require_safe
def audit_search(request: HttpRequest) -> HttpResponse:
    try:
        entries = audit_entries_for(request.user, _audit_filter(request))
    except DomainError as exc:
        return _deny(request, exc)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "web/staff/audit.html", {"page": page, "filters": request.GET, "query": query.urlencode()}
    )


@login_required
@require_safe
def audit_export(request: HttpRequest) -> HttpResponseBase:
    try:
        entries = audit_entries_for(request.user, _audit_filter(request), export=True)
    except DomainError as exc:
        return _deny(request, exc)
    return stream_audit_csv(entries)
