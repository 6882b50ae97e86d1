"""Sign-in, password and identity endpoints, and the scoped people and organisation lists."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from ninja.throttling import AnonRateThrottle, BaseThrottle

from ansinh.accounts import selectors, services
from ansinh.accounts.models import Organisation, Person
from ansinh.accounts.schemas import (
    MembershipOut,
    MeOut,
    MessageOut,
    OrganisationOut,
    PasswordChangeIn,
    PasswordReissueOut,
    PersonOut,
    ResetConfirmIn,
    ResetRequestIn,
    TokenIn,
    TokenOut,
)
from ansinh.api.auth import bearer_allowing_password_change, current_user
from ansinh.api.pagination import PageNumber


def _auth_throttle() -> list[BaseThrottle]:
    """Per client address, on every route that checks a password or a code."""
    return [AnonRateThrottle(f"{settings.AUTH_RATE_LIMIT_PER_MINUTE}/m")]


auth_router = Router(tags=["auth"])
router = Router(tags=["accounts"])


@auth_router.post(
    "/token",
    auth=None,
    response={200: TokenOut},
    throttle=_auth_throttle(),
    summary="Exchange username and password for a bearer token",
)
def token_create(request: HttpRequest, payload: TokenIn) -> dict[str, object]:
    user, token, raw = services.token_sign_in(
        username=payload.username, password=payload.password, otp=payload.otp, name=payload.name
    )
    return {
        "access_token": raw,
        "token_type": "bearer",
        "expires_at": token.expires_at,
        "must_change_password": user.must_change_password,
        "first_login_check": user.first_login_check if user.must_change_password else "",
    }


@auth_router.delete(
    "/token",
    auth=bearer_allowing_password_change,
    response={200: MessageOut},
    summary="Revoke the token used for this call",
)
def token_delete(request: HttpRequest) -> dict[str, str]:
    services.token_revoke(user=current_user(request), token=request.api_token)  # type: ignore[attr-defined]
    return {"code": "ok", "message": _("Signed out.")}


@auth_router.post(
    "/password",
    auth=bearer_allowing_password_change,
    response={200: MessageOut},
    throttle=_auth_throttle(),
    summary="Change the password",
)
def password_change(request: HttpRequest, payload: PasswordChangeIn) -> dict[str, str]:
    services.password_change(
        user=current_user(request),
        old_password=payload.old_password,
        new_password=payload.new_password,
        date_of_birth=payload.date_of_birth,
    )
    return {"code": "ok", "message": _("Your password has been changed.")}


@auth_router.post(
    "/password/reset",
    auth=None,
    response={202: MessageOut},
    throttle=_auth_throttle(),
    summary="Send a one-time code to the account's phone or e-mail",
)
def password_reset_request(request: HttpRequest, payload: ResetRequestIn) -> Status:
    services.password_reset_request(identifier=payload.identifier, channel=payload.channel)
    return Status(
        202, {"code": "ok", "message": _("If the account has this contact, a code has been sent to it.")}
    )


@auth_router.post(
    "/password/reset/confirm",
    auth=None,
    response={200: MessageOut},
    throttle=_auth_throttle(),
    summary="Set a new password with the one-time code",
)
def password_reset_confirm(request: HttpRequest, payload: ResetConfirmIn) -> dict[str, str]:
    services.password_reset_confirm(
        identifier=payload.identifier, code=payload.code, new_password=payload.new_password
    )
    return {"code": "ok", "message": _("Your password has been changed.")}


@router.get("/me", response=MeOut, summary="The signed-in user, their roles and permissions")
def me(request: HttpRequest) -> dict[str, object]:
    user = current_user(request)
    memberships = [
        MembershipOut(
            organisation_id=m.organisation_id,
            organisation_code=m.organisation.code,
            organisation_name=m.organisation.display_name,
            role=m.role.code,
            role_name=str(m.role),
            scope=m.role.scope,
        )
        for m in selectors.active_memberships(user)
    ]
    person = user.person
    return {
        "id": user.pk,
        "username": user.get_username(),
        "language": user.language,
        "must_change_password": user.must_change_password,
        "first_login_check": user.first_login_check if user.must_change_password else "",
        "two_factor_required": selectors.needs_two_factor(user),
        "person_id": person.pk if person else None,
        "full_name": person.full_name if person else None,
        "memberships": memberships,
        "permissions": sorted(selectors.permission_codes(user)),
    }


@router.get("/people", response=list[PersonOut], tags=["people"], summary="People in the caller's scope")
@paginate(PageNumber)
def people_list(request: HttpRequest, q: str = Query("", max_length=100)) -> QuerySet[Person]:
    return selectors.person_list_for(current_user(request), search=q)


@router.get(
    "/people/{person_id}",
    response=PersonOut,
    tags=["people"],
    summary="One person's record (staff reads are audited)",
)
def people_get(request: HttpRequest, person_id: int) -> Person:
    return selectors.person_get_for(current_user(request), person_id)


@router.get(
    "/organisations",
    response=list[OrganisationOut],
    tags=["organisations"],
    summary="Organisations in the caller's scope",
)
@paginate(PageNumber)
def organisations_list(request: HttpRequest) -> QuerySet[Organisation]:
    return selectors.organisation_list_for(current_user(request))


@router.post(
    "/users/{user_id}/password-reissue",
    response=PasswordReissueOut,
    tags=["accounts"],
    summary="Reissue a lost password (responsible agency); the person must change it at sign-in",
)
def password_reissue(request: HttpRequest, user_id: int) -> dict[str, object]:
    user, password = services.password_reissue(actor=current_user(request), user_id=user_id)
    return {"user_id": user.pk, "username": user.username, "one_time_password": password}
