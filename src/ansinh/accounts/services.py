"""Every write about people, accounts, organisations, roles and credentials. Each function is one
transaction and leaves an audit row."""

import contextlib
import hashlib
import re
import secrets
from datetime import date, datetime, timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import permissions as perms
from ansinh.accounts import rules
from ansinh.accounts.errors import (
    AccountLocked,
    InvalidCredentials,
    OtpInvalid,
    OtpRequired,
    OtpSetupRequired,
    ResetCodeInvalid,
)
from ansinh.accounts.models import (
    ApiToken,
    FirstLoginCheck,
    LoginThrottle,
    Membership,
    OneTimeCode,
    Organisation,
    Person,
    Role,
    TotpDevice,
    User,
)
from ansinh.accounts.selectors import needs_two_factor, organisation_get_for, require_permission, user_get_for
from ansinh.core import audit
from ansinh.core.errors import Conflict, PermissionDenied, ValidationFailed
from ansinh.core.identifiers import normalise_passport, normalise_phone, parse_personal_id
from ansinh.core.sms import send_sms
from ansinh.core.text import normalise_search, strip_diacritics

RESET_PURPOSE = "password_reset"
MAX_CODE_ATTEMPTS = 5


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _policy() -> rules.LockoutPolicy:
    return rules.LockoutPolicy(
        failure_limit=settings.LOCKOUT_FAILURE_LIMIT,
        lock_minutes=settings.LOCKOUT_MINUTES,
        window_minutes=settings.LOCKOUT_MINUTES,
    )


# --- people ------------------------------------------------------------------------------------------------


def _clean_person_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Normalise identifiers; collect every field error before refusing."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(fields)
    name = " ".join(str(cleaned.get("full_name", "")).split())
    if not name:
        errors["full_name"] = [_("Enter the full name.")]
    cleaned["full_name"] = name
    if cleaned.get("personal_id"):
        parsed = parse_personal_id(str(cleaned["personal_id"]))
        if not parsed.valid:
            errors["personal_id"] = [str(parsed.error)]
        else:
            cleaned["personal_id"] = parsed.number
    else:
        cleaned["personal_id"] = None
    if cleaned.get("passport_number"):
        try:
            cleaned["passport_number"] = normalise_passport(str(cleaned["passport_number"]))
        except ValueError as exc:
            errors["passport_number"] = [str(exc)]
    if cleaned.get("phone"):
        try:
            cleaned["phone"] = normalise_phone(str(cleaned["phone"]))
        except ValueError as exc:
            errors["phone"] = [str(exc)]
    dob = cleaned.get("date_of_birth")
    if isinstance(dob, date) and dob > timezone.localdate():
        errors["date_of_birth"] = [_("The date of birth cannot be in the future.")]
    ward = cleaned.get("ward")
    if (
        ward is not None
        and cleaned.get("province") is not None
        and ward.province_id != cleaned["province"].pk
    ):
        errors["ward"] = [_("The ward is not in the chosen province.")]
    if errors:
        raise ValidationFailed(errors)
    return cleaned


@transaction.atomic
def person_create(*, actor: Any, **fields: Any) -> Person:
    if actor is not None:
        require_permission(actor, perms.PERSON_MANAGE)
    cleaned = _clean_person_fields(fields)
    if cleaned["personal_id"] and Person.objects.filter(personal_id=cleaned["personal_id"]).exists():
        raise ValidationFailed.single("personal_id", _("A person with this ID number is already registered."))
    person = Person(**cleaned)
    person.name_search = normalise_search(person.full_name)
    person.save()
    audit.record(actor=actor, action="person.create", obj=person, changes={"fields": sorted(cleaned)})
    return person


# --- organisations -----------------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *, actor: Any, code: str, name: str, kind: str, parent: Organisation | None = None, **extra: Any
) -> Organisation:
    if actor is not None:
        require_permission(actor, perms.ORGANISATION_MANAGE)
        if parent is not None:
            organisation_get_for(actor, parent.pk)
    code = code.strip().upper()
    if not code:
        raise ValidationFailed.single("code", _("Enter a code."))
    if Organisation.objects.filter(code=code).exists():
        raise ValidationFailed.single("code", _("An organisation with this code already exists."))
    org = Organisation(code=code, name=name.strip(), kind=kind, parent=parent, path="", **extra)
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    audit.record(actor=actor, action="organisation.create", obj=org, changes={"code": code, "kind": kind})
    return org


# --- accounts ----------------------------------------------------------------------------------------------


def _one_time_password() -> str:
    # Readable over the phone: no 0/O or 1/l confusion; long enough to pass the password rules.
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


@transaction.atomic
def account_issue(
    *,
    actor: Any,
    username: str,
    organisation: Organisation | None = None,
    role: Role | None = None,
    person: Person | None = None,
    email: str = "",
    phone: str = "",
) -> tuple[User, str]:
    """An administrator issues an account. It gets a one-time password that must be changed at first login."""
    if actor is not None:
        require_permission(actor, perms.ACCOUNT_MANAGE)
        if organisation is not None:
            organisation_get_for(actor, organisation.pk)
    username = username.strip()
    if not username:
        raise ValidationFailed.single("username", _("Enter a username."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed.single("username", _("This username is taken."))
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValueError as exc:
            raise ValidationFailed.single("phone", str(exc)) from exc
    password = _one_time_password()
    user = User(username=username, person=person, email=email, phone=phone, must_change_password=True)
    user.set_password(password)
    user.save()
    audit.record(actor=actor, action="account.issue", obj=user, changes={"username": username})
    if organisation is not None and role is not None:
        membership_grant(actor=actor, user=user, organisation=organisation, role=role)
    return user, password


@transaction.atomic
def password_reissue(*, actor: Any, user_id: int) -> tuple[User, str]:
    """The responsible agency reissues a lost password (seed 002, item 2) as a one-time password."""
    user = user_get_for(actor, user_id)
    password = _one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    _revoke_all_tokens(user)
    LoginThrottle.objects.filter(username_key=user.username.lower()).delete()
    audit.record(actor=actor, action="auth.password_reissue", obj=user)
    return user, password


def _validate_new_password(user: User, new_password: str, field: str = "new_password") -> None:
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed({field: [str(m) for m in exc.messages]}) from exc


def password_change(
    *, user: User, old_password: str, new_password: str, date_of_birth: date | None = None
) -> User:
    """Changes the password. An account whose first password is not a secret (`first_login_check`) must
    also give the date of birth on record; a wrong date counts as a failed sign-in on the same lockout as
    passwords, so it cannot be guessed either."""
    errors: dict[str, list[str]] = {}
    if user.asks_date_of_birth:
        seconds = lockout_seconds_left(user.username)
        if seconds:
            raise _locked_error(seconds)
        if date_of_birth is None:
            errors["date_of_birth"] = [_("Enter your date of birth.")]
        elif not _date_of_birth_matches(user, date_of_birth):
            locked_until = _count_failure(user.username, user=user, action="auth.first_login_check_failed")
            if locked_until:
                raise _locked_error(rules.seconds_left(locked_until, timezone.now()))
            errors["date_of_birth"] = [_("The date of birth does not match our records.")]
    if not user.check_password(old_password):
        errors["old_password"] = [_("The current password is not correct.")]
    if old_password and old_password == new_password:
        errors["new_password"] = [_("The new password must differ from the current one.")]
    if errors:
        raise ValidationFailed(errors)
    _validate_new_password(user, new_password)
    with transaction.atomic():
        passed_check = user.first_login_check
        user.set_password(new_password)
        user.must_change_password = False
        user.first_login_check = FirstLoginCheck.NONE
        user.password_changed_at = timezone.now()
        user.save(
            update_fields=["password", "must_change_password", "first_login_check", "password_changed_at"]
        )
        if passed_check:
            LoginThrottle.objects.filter(username_key=_throttle_key(user.username)).delete()
        audit.record(
            actor=user,
            action="auth.password_change",
            obj=user,
            changes={"first_login_check": passed_check} if passed_check else None,
        )
    return user


def _date_of_birth_matches(user: User, value: date) -> bool:
    person = user.person
    return person is not None and person.date_of_birth is not None and person.date_of_birth == value


def _known_password_hash(raw: str) -> str:
    """The hash of a first password that is not a secret (a passport number, stored in clear as the
    username beside it): the costly Argon2 parameters would protect nothing, and cost a tenth of a second per
    account when the centre provisions thousands. The lightest Argon2 parameters are used instead; Django
    re-hashes with the full ones at the first successful sign-in, and the password must be changed then."""
    if get_hasher().algorithm != "argon2":
        return make_password(raw)
    hasher = _LightArgon2PasswordHasher()
    return hasher.encode(raw, hasher.salt())


class _LightArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024  # KiB
    parallelism = 1


@transaction.atomic
def account_provision(
    *,
    actor: Any,
    username: str,
    person: Person,
    first_password: str,
    first_login_check: str = FirstLoginCheck.NONE,
    phone: str = "",
    audited: bool = True,
) -> tuple[User, bool]:
    """The account of a person provisioned from an authoritative register, whose first password is a value
    the person knows and others may know too (a worker abroad: the passport number). It must be changed at
    first sign-in, where `first_login_check` is asked as well. Provisioning the same person again returns the
    existing account untouched: a password the person has chosen is never reset.

    The caller's service checks the actor's right to provision (e.g. `worker.manage`); `actor` is recorded.
    `audited=False` only for a batch whose caller writes one audit row naming every account it made (a
    row per account would hold the audit chain's lock for the whole batch). Raises ValidationFailed on
    `username` if the name belongs to another person's account."""
    username = username.strip()
    existing = User.objects.filter(username__iexact=username).first()
    if existing is not None:
        if existing.person_id != person.pk:
            raise ValidationFailed.single("username", _("This username is taken."))
        return existing, False
    if User.objects.filter(person=person).exists():
        raise ValidationFailed.single("username", _("This person already has an account."))
    user = User(
        username=username,
        person=person,
        phone=phone,
        must_change_password=True,
        first_login_check=first_login_check,
    )
    user.password = _known_password_hash(first_password)
    user.save()
    if audited:
        audit.record(
            actor=actor,
            action="account.provision",
            obj=user,
            changes={"username": username, "first_login_check": first_login_check},
        )
    return user, True


@transaction.atomic
def account_set_language(*, user: User, language: str) -> User:
    """Remembers the page language on the account, so it follows the person to another phone."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed.single("language", _("Choose Vietnamese or English."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        audit.record(actor=user, action="account.language", obj=user, changes={"language": language})
    return user


@transaction.atomic
def account_set_phone(*, user: User, phone: str) -> User:
    """The person's own phone on their account (where a password-reset code is sent). Foreign numbers
    must start with + and the country code; an empty value removes it."""
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValueError as exc:
            raise ValidationFailed.single("phone", str(exc)) from exc
    if user.phone != phone:
        user.phone = phone
        user.save(update_fields=["phone"])
        audit.record(actor=user, action="account.phone", obj=user)
    return user


# --- sign-in and lockout -----------------------------------------------------------------------------------


def _throttle_key(username: str) -> str:
    return username.strip().lower()[:150]


def lockout_seconds_left(username: str) -> int:
    throttle = LoginThrottle.objects.filter(username_key=_throttle_key(username)).first()
    return rules.seconds_left(throttle.locked_until if throttle else None, timezone.now())


def _locked_error(seconds: int) -> AccountLocked:
    minutes = rules.minutes_left(seconds)
    return AccountLocked(
        _("Too many wrong passwords. Try again in %(minutes)d minutes or ask for a password reset.")
        % {"minutes": minutes},
        details={"retry_after_seconds": seconds},
    )


_PHONE_LIKE = re.compile(r"^\+?[\d][\d .()-]{7,}$")


def _sign_in_name(username: str) -> str:
    """A job seeker's username is their phone number in international form; "0912 345 678" typed at the
    sign-in page means "+84912345678" (a username that is itself written that way stays as typed)."""
    text = username.strip()
    if not _PHONE_LIKE.match(text) or User.objects.filter(username__iexact=text).exists():
        return text
    try:
        return normalise_phone(text)
    except ValueError:
        return text


def sign_in(*, username: str, password: str) -> User:
    """Checks a password with lockout. Each outcome is audited; the lock applies whether or not the
    username exists, so the answer reveals nothing about which accounts exist."""
    username = _sign_in_name(username)
    key = _throttle_key(username)
    now = timezone.now()
    with transaction.atomic():
        throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(username_key=key)
        seconds = rules.seconds_left(throttle.locked_until, now)
        if seconds:
            audit.record(
                actor=None,
                action="auth.login_refused_locked",
                object_type="accounts.user",
                changes={"username": key},
            )
    if seconds:
        raise _locked_error(seconds)
    with transaction.atomic():
        throttle = LoginThrottle.objects.select_for_update().get(username_key=key)
        user = User.objects.filter(username__iexact=username.strip()).select_related("person").first()
        ok = user is not None and user.is_active and user.check_password(password)
        if ok:
            assert user is not None
            if throttle.failures:
                throttle.failures, throttle.locked_until = 0, None
                throttle.save(update_fields=["failures", "locked_until"])
            user.last_login = now
            user.save(update_fields=["last_login"])
            audit.record(actor=user, action="auth.login", obj=user)
            return user
        locked_until = _register_failure(throttle, key=key, user=user, now=now, action="auth.login_failed")
    if locked_until:
        raise _locked_error(rules.seconds_left(locked_until, now))
    raise InvalidCredentials()


def _register_failure(
    throttle: LoginThrottle, *, key: str, user: User | None, now: datetime, action: str
) -> datetime | None:
    """One more failed attempt on the throttle (locked by the caller), audited; returns the lock's end if
    this attempt locked the account."""
    outcome = rules.register_failure(
        _policy(), failures=throttle.failures, last_failure_at=throttle.last_failure_at, now=now
    )
    throttle.failures, throttle.locked_until, throttle.last_failure_at = (
        outcome.failures,
        outcome.locked_until,
        now,
    )
    throttle.save()
    audit.record(
        actor=None,
        action=action,
        object_type="accounts.user",
        object_id=user.pk if user else "",
        changes={"username": key, "failures": outcome.failures},
    )
    if outcome.locked_until:
        audit.record(
            actor=None,
            action="auth.lockout",
            object_type="accounts.user",
            object_id=user.pk if user else "",
            changes={"username": key, "until": outcome.locked_until.isoformat()},
        )
    return outcome.locked_until


def _count_failure(username: str, *, user: User | None, action: str) -> datetime | None:
    """A failed check outside `sign_in` (the date of birth at first sign-in), committed at once on the
    same throttle as passwords, whatever the caller does next."""
    key = _throttle_key(username)
    with transaction.atomic():
        throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(username_key=key)
        return _register_failure(throttle, key=key, user=user, now=timezone.now(), action=action)


# --- API tokens --------------------------------------------------------------------------------------------


@transaction.atomic
def token_issue(*, user: User, name: str = "", two_factor_verified: bool = False) -> tuple[ApiToken, str]:
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash(raw),
        prefix=raw[:8],
        name=name[:100],
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_HOURS),
        two_factor_verified=two_factor_verified,
    )
    audit.record(
        actor=user, action="auth.token_issue", obj=token, changes={"two_factor": two_factor_verified}
    )
    return token, raw


def token_sign_in(
    *, username: str, password: str, otp: str | None, name: str = ""
) -> tuple[User, ApiToken, str]:
    """Password (with lockout), then the second factor when the account needs one. An account that must
    change its password gets a token good only for that; the second factor is asked at the next sign-in."""
    user = sign_in(username=username, password=password)
    verified = False
    if not user.must_change_password and needs_two_factor(user):
        if not has_confirmed_totp(user):
            raise OtpSetupRequired()
        if not otp:
            raise OtpRequired()
        totp_verify(user=user, code=otp)
        verified = True
    token, raw = token_issue(user=user, name=name, two_factor_verified=verified)
    return user, token, raw


def token_hash(raw: str) -> str:
    return _hash(raw)


def token_touch(token: ApiToken) -> None:
    """Records use at most once a minute, so a busy client does not write on every call."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


@transaction.atomic
def token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record(actor=user, action="auth.token_revoke", obj=token)


def _revoke_all_tokens(user: User) -> None:
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def credentials_purge_expired() -> int:
    """Deletes expired tokens and codes older than a day (nothing of value is left in them)."""
    cutoff = timezone.now() - timedelta(days=1)
    tokens, _t = ApiToken.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)).delete()
    codes, _c = OneTimeCode.objects.filter(expires_at__lt=cutoff).delete()
    return tokens + codes


# --- self-service password reset by one-time code ---------------------------------------------------------


def _find_user_by_contact(identifier: str) -> User | None:
    ident = identifier.strip()
    if not ident:
        return None
    q = Q(username__iexact=ident) | Q(email__iexact=ident)
    with contextlib.suppress(ValueError):
        q |= Q(phone=normalise_phone(ident))
    return User.objects.filter(q, is_active=True).first()


@transaction.atomic
def password_reset_request(*, identifier: str, channel: str) -> None:
    """Sends a code to the account's verified phone or e-mail. Answers the same whether or not the
    account exists, so it cannot be used to find accounts."""
    if channel not in OneTimeCode.Channel.values:
        raise ValidationFailed.single("channel", _("Choose SMS or e-mail."))
    user = _find_user_by_contact(identifier)
    destination = (user.phone if channel == "sms" else user.email) if user else ""
    if user is None or not destination:
        audit.record(actor=None, action="auth.reset_request_unmatched", changes={"channel": channel})
        return
    OneTimeCode.objects.filter(user=user, purpose=RESET_PURPOSE, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    OneTimeCode.objects.create(
        user=user,
        purpose=RESET_PURPOSE,
        channel=channel,
        code_hash=_hash(f"{user.pk}:{code}"),
        expires_at=timezone.now() + timedelta(minutes=settings.ONE_TIME_CODE_MINUTES),
    )
    text = _("ansinh: your password reset code is %(code)s. It expires in %(minutes)d minutes.") % {
        "code": code,
        "minutes": settings.ONE_TIME_CODE_MINUTES,
    }
    audit.record(actor=None, action="auth.reset_request", obj=user, changes={"channel": channel})

    def deliver() -> None:
        if channel == "sms":
            # Unaccented: an accented SMS is cut into 70-character segments and garbled on some phones.
            send_sms(destination, strip_diacritics(text))
        else:
            send_mail(_("Password reset code"), text, None, [destination])

    transaction.on_commit(deliver)


def password_reset_confirm(*, identifier: str, code: str, new_password: str) -> User:
    user = _find_user_by_contact(identifier)
    with transaction.atomic():
        otc = (
            OneTimeCode.objects.select_for_update()
            .filter(user=user, purpose=RESET_PURPOSE, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
            if user
            else None
        )
        if otc is None or otc.attempts >= MAX_CODE_ATTEMPTS:
            raise ResetCodeInvalid(details={"field": "code"})
        assert user is not None
        if not secrets.compare_digest(otc.code_hash, _hash(f"{user.pk}:{code.strip()}")):
            otc.attempts += 1
            otc.save(update_fields=["attempts"])
            audit.record(actor=None, action="auth.reset_code_failed", obj=user)
            failed = True
        else:
            failed = False
    if failed:
        raise ResetCodeInvalid(details={"field": "code"})
    with transaction.atomic():
        _validate_new_password(user, new_password)
        OneTimeCode.objects.filter(pk=otc.pk).update(used_at=timezone.now())
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        _revoke_all_tokens(user)
        LoginThrottle.objects.filter(username_key=_throttle_key(user.username)).delete()
        audit.record(actor=user, action="auth.password_reset", obj=user)
    return user


# --- roles -------------------------------------------------------------------------------------------------


@transaction.atomic
def membership_grant(*, actor: Any, user: User, organisation: Organisation, role: Role) -> Membership:
    if actor is not None:
        require_permission(actor, perms.ROLE_MANAGE)
        organisation_get_for(actor, organisation.pk)
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if not created and membership.is_active:
        raise Conflict(_("This person already has this role in this organisation."))
    membership.is_active = True
    membership.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="role.grant",
        obj=membership,
        changes={"user": user.pk, "organisation": organisation.code, "role": role.code},
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> None:
    require_permission(actor, perms.ROLE_MANAGE)
    organisation_get_for(actor, membership.organisation_id)
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    audit.record(
        actor=actor,
        action="role.revoke",
        obj=membership,
        changes={"user": membership.user_id, "role": membership.role.code},
    )


@transaction.atomic
def role_save(
    *, actor: Any, code: str, name: str, scope: str, permissions: list[str], name_en: str = ""
) -> Role:
    require_permission(actor, perms.ROLE_MANAGE)
    unknown = [c for c in permissions if not perms.is_known(c)]
    if unknown:
        raise ValidationFailed.single(
            "permissions", _("Unknown permission codes: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    role, created = Role.objects.update_or_create(
        code=code,
        defaults={"name": name, "name_en": name_en, "scope": scope, "permissions": sorted(permissions)},
    )
    audit.record(
        actor=actor,
        action="role.create" if created else "role.change",
        obj=role,
        changes={"scope": scope, "permissions": sorted(permissions)},
    )
    return role


# --- two-factor (TOTP) -------------------------------------------------------------------------------------


@transaction.atomic
def totp_begin(*, user: User) -> TotpDevice:
    """Starts (or restarts, if never confirmed) enrolment of an authenticator app."""
    device = TotpDevice.objects.filter(user=user).first()
    if device and device.confirmed_at:
        raise Conflict(_("Two-factor sign-in is already set up."))
    if device is None:
        device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32())
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name="ansinh")


def _check_totp(device: TotpDevice, code: str) -> bool:
    totp = pyotp.TOTP(device.secret)
    code = "".join(ch for ch in code if ch.isdigit())
    now = timezone.now().timestamp()
    for drift in (0, -1, 1):
        step = int(now // totp.interval) + drift
        if step > device.last_step and secrets.compare_digest(totp.at(step * totp.interval), code):
            device.last_step = step
            device.save(update_fields=["last_step"])
            return True
    return False


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> TotpDevice:
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None or not _check_totp(device, code):
        raise OtpInvalid(details={"field": "code"})
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    audit.record(actor=user, action="auth.2fa_enrol", obj=user)
    return device


def totp_verify(*, user: User, code: str) -> None:
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        ok = device is not None and _check_totp(device, code)
        audit.record(actor=user, action="auth.2fa_ok" if ok else "auth.2fa_failed", obj=user)
    if not ok:
        raise OtpInvalid(details={"field": "otp"})


def has_confirmed_totp(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
