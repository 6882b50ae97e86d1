"""What every page module needs: a permission guard that shows domain errors as the "not allowed" page,
the service's errors on a form, and one page of a list."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from ansinh.accounts.selectors import has_permission
from ansinh.core.errors import DomainError, PermissionDenied, ValidationFailed
from ansinh.web.forms import apply_domain_error

View = Callable[..., HttpResponseBase]
PAGE_SIZE = 20


def denied(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "web/denied.html", {"error": exc}, status=exc.status)


def signed_in_page(permission: str | None = None) -> Callable[[View], View]:
    """A page for signed-in users (holding `permission` somewhere, when given); a domain error the view lets
    through (not found, not allowed) is shown as the "not allowed" page with its status."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if permission is not None and not has_permission(request.user, permission):
                return denied(request, PermissionDenied())
            try:
                return view(request, *args, **kwargs)
            except DomainError as exc:
                return denied(request, exc)

        return wrapped

    return decorate


def show_error(form: forms.Form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """The service's error on the form, each field message beside its field (renamed by `aliases`)."""
    if aliases and isinstance(exc, ValidationFailed):
        fields = exc.details.get("fields", {})
        exc = ValidationFailed({aliases.get(name, name): problems for name, problems in fields.items()})
    apply_domain_error(form, exc)


def page_of(request: HttpRequest, queryset: Any, size: int = PAGE_SIZE) -> tuple[Page, str]:
    """One page of `queryset` and the query string of the filters, for web/_pager.html."""
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
