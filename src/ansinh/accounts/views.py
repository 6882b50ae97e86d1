"""Sign-in pages. Thin: each calls the same service as the API and shows its errors on the form."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ansinh.accounts import selectors, services
from ansinh.accounts.forms import LoginForm, OtpForm, PasswordChangeForm, ResetConfirmForm, ResetRequestForm
from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.core.errors import DomainError, ValidationFailed
from ansinh.web.forms import apply_domain_error

BACKEND = "ansinh.accounts.backends.LockoutAwareBackend"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    # Without `next=`: a citizen lands on My services, staff on the home page (settings.LOGIN_REDIRECT_URL).
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in(
                username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            status = exc.status if exc.status != 401 else 200
        else:
            login(request, user, backend=BACKEND)
            response = redirect(_next_url(request))
            if user.language:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    user.language,
                    max_age=365 * 24 * 3600,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=status)


@require_POST
def language_view(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice on a signed-in account."""
    from django.views.i18n import set_language

    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.account_set_language(user=request.user, language=language)
    return set_language(request)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("web:home")


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PasswordChangeForm(request.POST or None, ask_date_of_birth=user.asks_date_of_birth)  # type: ignore[union-attr]
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                date_of_birth=form.cleaned_data.get("date_of_birth"),
            )
        except ValidationFailed as exc:
            apply_domain_error(form, exc)
        except DomainError as exc:  # locked after too many wrong dates of birth
            form.add_error(None, str(exc.message))
            status = exc.status
        else:
            update_session_auth_hash(request, user)  # type: ignore[arg-type]
            messages.success(request, _("Your password has been changed."))
            return redirect(_next_url(request))
    if form.errors and status == 200:
        status = 422
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "forced": getattr(user, "must_change_password", False),
            "asks_date_of_birth": getattr(user, "asks_date_of_birth", False),
            "next": _next_url(request),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def reset_request_view(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_request(
                identifier=form.cleaned_data["identifier"], channel=form.cleaned_data["channel"]
            )
        except ValidationFailed as exc:
            apply_domain_error(form, exc)
        else:
            messages.info(request, _("If the account has this contact, a code has been sent to it."))
            return redirect(f"{_reset_confirm_url()}?identifier={form.cleaned_data['identifier']}")
    return render(request, "accounts/reset_request.html", {"form": form}, status=422 if form.errors else 200)


def _reset_confirm_url() -> str:
    from django.urls import reverse

    return reverse("accounts:reset_confirm")


@require_http_methods(["GET", "POST"])
def reset_confirm_view(request: HttpRequest) -> HttpResponse:
    form = ResetConfirmForm(request.POST or None, initial={"identifier": request.GET.get("identifier", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_confirm(
                identifier=form.cleaned_data["identifier"],
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Your password has been changed. Please sign in."))
            return redirect("accounts:login")
    return render(request, "accounts/reset_confirm.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Verifies the second factor, or enrols the authenticator app the first time."""
    user = request.user
    enrolled = services.has_confirmed_totp(user)  # type: ignore[arg-type]
    form = OtpForm(request.POST or None)
    device = None if enrolled else services.totp_begin(user=user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            if enrolled:
                services.totp_verify(user=user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
            else:
                services.totp_confirm(user=user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        except DomainError as exc:
            form.add_error("code", str(exc.message))
        else:
            request.session[SESSION_2FA_KEY] = True
            request.session.cycle_key()
            return redirect(_next_url(request))
    context: dict[str, object] = {
        "form": form,
        "enrolled": enrolled,
        "required": selectors.needs_two_factor(user),
    }
    if device is not None:
        uri = services.provisioning_uri(device)
        context["secret"] = device.secret
        context["qr_svg"] = segno.make(uri, error="m").svg_inline(scale=4, dark="#111")
    return render(request, "accounts/two_factor.html", context, status=422 if form.errors else 200)
