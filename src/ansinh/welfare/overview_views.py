"""My services (`/my-services/`): the citizen's home after signing in. Thin: the page shows what
`overview.my_services` reads, the same as `GET /api/v1/me/services`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ansinh.accounts.selectors import primary_membership
from ansinh.web.pages import signed_in_page
from ansinh.welfare.overview import my_services


@require_safe
@signed_in_page()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "welfare/overview/home.html", {"services": my_services(request.user)})


@require_safe
@signed_in_page()
def after_login(request: HttpRequest) -> HttpResponse:
    """Where a sign-in without `next=` lands: a citizen on their services, staff (who act for an
    organisation) on the home page as before."""
    if request.user.is_superuser or primary_membership(request.user) is not None:
        return redirect("web:home")
    return redirect("welfare_overview:home")
