"""Bearer-token authentication for the mobile app and partner systems."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from ansinh.accounts import selectors, services
from ansinh.accounts.errors import AuthenticationRequired, OtpRequired, PasswordChangeRequired
from ansinh.accounts.models import User
from ansinh.core import audit


class BearerToken(HttpBearer):
    """Accepts a live token. A user who must change the password is refused everywhere except the
    routes that set `allow_password_change=True` (changing the password, revoking the token)."""

    def __init__(self, *, allow_password_change: bool = False):
        self.allow_password_change = allow_password_change
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> User:
        record = selectors.token_get_active(services.token_hash(token))
        now = timezone.now()
        if (
            record is None
            or record.revoked_at is not None
            or record.expires_at <= now
            or not record.user.is_active
        ):
            raise AuthenticationRequired(details={"reason": "invalid_or_expired_token"})
        user = record.user
        if not self.allow_password_change:
            if user.must_change_password:
                raise PasswordChangeRequired()
            if not record.two_factor_verified and selectors.needs_two_factor(user):
                raise OtpRequired(
                    _("Sign in again with the code from your authenticator app."),
                    details={"reason": "token_issued_without_second_factor"},
                )
        services.token_touch(record)
        membership = selectors.primary_membership(user)
        audit.bind_organisation(membership.organisation_id if membership else None)
        request.api_token = record  # type: ignore[attr-defined]
        request.user = user
        return user

    def __call__(self, request: HttpRequest) -> Any:
        result = super().__call__(request)
        if result is None:
            raise AuthenticationRequired()
        return result


bearer = BearerToken()
bearer_allowing_password_change = BearerToken(allow_password_change=True)


def current_user(request: HttpRequest) -> User:
    """The user the bearer token belongs to (set by `BearerToken.authenticate`)."""
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise AuthenticationRequired()
    return user
