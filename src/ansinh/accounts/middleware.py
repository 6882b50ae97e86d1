"""The security gate for pages: an issued password must be changed, and officials who read personal
data must pass two-factor sign-in, before any other page works. Also sets the audit context."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse

from ansinh.accounts.selectors import needs_two_factor, primary_membership
from ansinh.core.audit import audit_context
from ansinh.core.middleware import client_ip

SESSION_2FA_KEY = "ansinh_2fa_verified"

# Paths that stay open while the gate is closed: the gate's own pages, sign-out, language, assets, probes.
_OPEN_PREFIXES = (
    "/accounts/password/change/",
    "/accounts/logout/",
    "/accounts/2fa/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/readyz",
    "/api/",
    "/favicon.ico",
    "/sw.js",  # the browser updates the service worker on its own; a redirect would break it
)


def _with_next(url: str, request: HttpRequest) -> str:
    """The gate's page, told where the person was going (a page they asked for, not a form they posted, nor
    another sign-in page), so a worker who opened /sos/ lands back there."""
    target = request.get_full_path()
    if request.method not in ("GET", "HEAD") or target == "/" or request.path.startswith("/accounts/"):
        return url
    query = QueryDict(mutable=True)
    query["next"] = target
    return f"{url}?{query.urlencode(safe='/')}"


class SecurityGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        organisation_id = None
        if user.is_authenticated:
            gate = self._gate(request)
            if gate is not None:
                return gate
            membership = primary_membership(user)
            organisation_id = membership.organisation_id if membership else None
        with audit_context(ip=client_ip(request), organisation_id=organisation_id):
            return self.get_response(request)

    def _gate(self, request: HttpRequest) -> HttpResponse | None:
        if request.path.startswith(_OPEN_PREFIXES):
            return None
        user = request.user
        if getattr(user, "must_change_password", False):
            return redirect(_with_next(reverse("accounts:password_change"), request))
        if needs_two_factor(user) and not request.session.get(SESSION_2FA_KEY):
            return redirect("accounts:two_factor")
        return None
