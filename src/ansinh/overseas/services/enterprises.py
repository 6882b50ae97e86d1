"""Enterprises, their branches and what they delegate to them, their deposit, and their licence.

An enterprise registers its own information (seed 002) and gets an administrator account with a one-time
password to change at first sign-in; it keeps the information current; it opens branches and delegates
functions of the system to each (a branch user can use only those, only for the branch's own records). The
department grants, suspends, reinstates and revokes licences, each step kept in the licence's history.
"""

import re
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.models import Organisation, OrganisationKind, Role, User
from ansinh.accounts.selectors import require_permission
from ansinh.accounts.services import account_issue, organisation_create
from ansinh.core import audit
from ansinh.core.errors import NotFound, RateLimited, ValidationFailed
from ansinh.geo.models import Province
from ansinh.overseas import permissions as perms
from ansinh.overseas import selectors
from ansinh.overseas.errors import LicenceStateInvalid
from ansinh.overseas.models import (
    DepositKind,
    DepositMovement,
    Enterprise,
    EnterpriseStatus,
    Licence,
    LicenceAction,
    LicenceEvent,
    LicenceStatus,
)

# A tax code is 10 digits; a dependent unit's adds "-" and 3 digits (Circular 105/2020/TT-BTC Art 5).
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
USERNAME = re.compile(r"^[a-z0-9._-]{3,40}$")

_ENTERPRISE_FIELDS = (
    "name",
    "head_office",
    "charter_capital",
    "legal_representative",
    "phone",
    "email",
    "website",
)


def _clean(fields: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name in _ENTERPRISE_FIELDS:
        if name not in fields:
            if not partial and name in ("name", "head_office", "charter_capital", "legal_representative"):
                errors[name] = [_("This field is required.")]
            continue
        value = fields[name]
        if name == "charter_capital":
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                errors[name] = [_("Enter the charter capital in đồng, a whole number above zero.")]
                continue
        else:
            value = str(value or "").strip()
            if name in ("name", "head_office", "legal_representative") and not value:
                errors[name] = [_("This field is required.")]
                continue
        cleaned[name] = value
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def _province(code: str) -> Province:
    province = Province.objects.filter(code=str(code or "").strip()).first()
    if province is None:
        raise ValidationFailed.single("province", _("Choose the province of the head office."))
    return province


# Registering is open to anyone: a client may register a few enterprises an hour, not flood the register.
REGISTRATIONS_PER_CLIENT_HOUR = 5


def _registration_allowed(client: str) -> bool:
    key = f"overseas-register:{client}"
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key) <= REGISTRATIONS_PER_CLIENT_HOUR
    except ValueError:  # expired between add and incr
        return True


@transaction.atomic
def enterprise_register(
    *,
    tax_code: str,
    province: str,
    admin_username: str,
    admin_email: str = "",
    client: str = "",
    **fields: Any,
) -> tuple[Enterprise, User, str]:
    """An enterprise registers itself (no sign-in yet). Returns the enterprise, its administrator account
    and that account's one-time password, shown once."""
    if client and not _registration_allowed(client):
        raise RateLimited()
    tax_code = str(tax_code or "").strip()
    errors: dict[str, list[str]] = {}
    if not TAX_CODE.match(tax_code):
        errors["tax_code"] = [_("Enter the tax code: 10 digits (or 10 digits, a dash and 3 digits).")]
    elif Enterprise.objects.filter(tax_code=tax_code).exists():
        errors["tax_code"] = [_("An enterprise with this tax code is already registered.")]
    username = str(admin_username or "").strip().lower()
    if not USERNAME.match(username):
        errors["admin_username"] = [_("Use 3 to 40 lower-case letters, digits, dots, dashes or underscores.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["admin_username"] = [_("This username is taken.")]
    try:
        cleaned = _clean(fields)
    except ValidationFailed as exc:
        errors.update(exc.details["fields"])
    if errors:
        raise ValidationFailed(errors)
    place = _province(province)
    organisation = organisation_create(
        actor=None,
        code=f"DN-{tax_code}",
        name=cleaned.pop("name"),
        kind=OrganisationKind.ENTERPRISE,
        province=place,
    )
    enterprise = Enterprise.objects.create(
        organisation=organisation, tax_code=tax_code, province=place, org_path=organisation.path, **cleaned
    )
    user, password = account_issue(
        actor=None,
        username=username,
        organisation=organisation,
        role=Role.objects.get(code="enterprise_admin"),
        email=str(admin_email or "").strip(),
    )
    audit.record(
        actor=None, action="overseas.enterprise_register", obj=enterprise, changes={"tax_code": tax_code}
    )
    return enterprise, user, password


@transaction.atomic
def enterprise_update(*, actor: Any, enterprise_id: int, **fields: Any) -> Enterprise:
    require_permission(actor, perms.ENTERPRISE_MANAGE)
    enterprise = selectors.enterprise_get_for(actor, enterprise_id, perms.ENTERPRISE_MANAGE)
    cleaned = _clean(fields, partial=True)
    name = cleaned.pop("name", None)
    for key, value in cleaned.items():
        setattr(enterprise, key, value)
    enterprise.save()
    if name is not None:
        Organisation.objects.filter(pk=enterprise.organisation_id).update(name=name)
    audit.record(
        actor=actor, action="overseas.enterprise_update", obj=enterprise, changes={"fields": sorted(fields)}
    )
    return enterprise


# --- branches ----------------------------------------------------------------------------------------------


def _check_functions(functions: list[str]) -> list[str]:
    unknown = [f for f in functions if f not in perms.DELEGABLE]
    if unknown:
        # Signing or liquidating contracts and collecting fees are never a branch's (Law 69/2020 Art 17).
        raise ValidationFailed.single(
            "functions",
            _("A branch cannot be given: %(names)s (Law 69/2020 Art 17).") % {"names": ", ".join(unknown)},
        )
    return sorted(set(functions))


@transaction.atomic
def branch_create(
    *, actor: Any, name: str, province: str, functions: list[str] | None = None
) -> Organisation:
    enterprise, acting = selectors.acting_enterprise(actor, perms.ENTERPRISE_MANAGE)
    if acting.kind != OrganisationKind.ENTERPRISE:
        raise NotFound()
    name = str(name or "").strip()
    if not name:
        raise ValidationFailed.single("name", _("This field is required."))
    place = _province(province)
    codes = _check_functions(list(functions or []))
    count = selectors.branches_of(enterprise).count()
    branch = organisation_create(
        actor=None,
        code=f"{enterprise.organisation.code}-CN{count + 1:02d}",
        name=name,
        kind=OrganisationKind.BRANCH,
        parent=enterprise.organisation,
        province=place,
        delegated_permissions=[perms.DELEGABLE[f] for f in codes],
    )
    audit.record(actor=actor, action="overseas.branch_create", obj=branch, changes={"functions": codes})
    return branch


def _free_username(raw: str, field: str) -> str:
    username = str(raw or "").strip().lower()
    if not USERNAME.match(username):
        raise ValidationFailed.single(
            field, _("Use 3 to 40 lower-case letters, digits, dots, dashes or underscores.")
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed.single(field, _("This username is taken."))
    return username


@transaction.atomic
def branch_open(
    *,
    actor: Any,
    name: str,
    province: str,
    staff_username: str,
    staff_email: str = "",
    functions: list[str] | None = None,
) -> tuple[Organisation, User, str]:
    """A branch and the account of its first staff member (role `branch_staff`: it works only within the
    functions delegated to the branch), with a one-time password shown once. Both or neither."""
    username = _free_username(staff_username, "staff_username")
    branch = branch_create(actor=actor, name=name, province=province, functions=functions)
    user, password = _branch_account(actor, branch, username, staff_email)
    return branch, user, password


@transaction.atomic
def branch_account_issue(
    *, actor: Any, branch_id: int, staff_username: str, staff_email: str = ""
) -> tuple[User, str]:
    """One more staff account for a branch of the actor's enterprise."""
    enterprise, acting = selectors.acting_enterprise(actor, perms.ENTERPRISE_MANAGE)
    if acting.kind != OrganisationKind.ENTERPRISE:
        raise NotFound()
    branch = selectors.branches_of(enterprise).filter(pk=branch_id).first()
    if branch is None:
        raise NotFound()
    username = _free_username(staff_username, "staff_username")
    return _branch_account(actor, branch, username, staff_email)


def _branch_account(actor: Any, branch: Organisation, username: str, email: str) -> tuple[User, str]:
    # Issued by the platform on the enterprise's word (the enterprise's administrator holds no power over
    # accounts in general); the audit entry names who asked.
    user, password = account_issue(
        actor=None,
        username=username,
        organisation=branch,
        role=Role.objects.get(code="branch_staff"),
        email=str(email or "").strip(),
    )
    audit.record(
        actor=actor, action="overseas.branch_account_issue", obj=user, changes={"branch": branch.code}
    )
    return user, password


@transaction.atomic
def branch_delegate(*, actor: Any, branch_id: int, functions: list[str]) -> Organisation:
    """Set what the branch may do in the system: the delegated functions replace the earlier ones."""
    enterprise, acting = selectors.acting_enterprise(actor, perms.ENTERPRISE_MANAGE)
    if acting.kind != OrganisationKind.ENTERPRISE:
        raise NotFound()
    branch = selectors.branches_of(enterprise).select_for_update().filter(pk=branch_id).first()
    if branch is None:
        raise NotFound()
    codes = _check_functions(list(functions))
    before = list(branch.delegated_permissions or [])
    branch.delegated_permissions = [perms.DELEGABLE[f] for f in codes]
    branch.save(update_fields=["delegated_permissions"])
    audit.record(
        actor=actor,
        action="overseas.branch_delegate",
        obj=branch,
        changes={"before": before, "after": branch.delegated_permissions},
    )
    return branch


def delegated_functions(branch: Organisation) -> list[str]:
    granted = set(branch.delegated_permissions or [])
    return [name for name, code in perms.DELEGABLE.items() if code in granted]


# --- deposit -----------------------------------------------------------------------------------------------


@transaction.atomic
def deposit_record(
    *, actor: Any, enterprise_id: int, kind: str, amount: int, on: date, bank: str = "", note: str = ""
) -> DepositMovement:
    enterprise = selectors.enterprise_get_for(actor, enterprise_id, perms.ENTERPRISE_MANAGE)
    if kind not in DepositKind.values:
        raise ValidationFailed.single("kind", _("Choose what happened to the deposit."))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationFailed.single("amount", _("Enter the amount in đồng, a whole number above zero."))
    if on > timezone.localdate():
        raise ValidationFailed.single("on", _("The date cannot be in the future."))
    signed = -amount if kind in (DepositKind.USED, DepositKind.RELEASED) else amount
    movement = DepositMovement.objects.create(
        enterprise=enterprise,
        kind=kind,
        amount=signed,
        bank=bank.strip(),
        on=on,
        note=note.strip(),
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="overseas.deposit_record",
        obj=enterprise,
        changes={"kind": kind, "amount": signed},
    )
    return movement


def deposit_balance(enterprise: Enterprise) -> int:
    return sum(enterprise.deposit_movements.values_list("amount", flat=True))


# --- licence -----------------------------------------------------------------------------------------------

_STATUS_AFTER = {
    LicenceAction.SUSPENDED: (LicenceStatus.VALID, LicenceStatus.SUSPENDED, EnterpriseStatus.SUSPENDED),
    LicenceAction.REINSTATED: (LicenceStatus.SUSPENDED, LicenceStatus.VALID, EnterpriseStatus.LICENSED),
    LicenceAction.REVOKED: (None, LicenceStatus.REVOKED, EnterpriseStatus.REVOKED),
    LicenceAction.AMENDED: (LicenceStatus.VALID, LicenceStatus.VALID, EnterpriseStatus.LICENSED),
}


@transaction.atomic
def licence_grant(
    *, actor: Any, enterprise_id: int, number: str, issued_on: date, dossier: Any = None
) -> Licence:
    require_permission(actor, perms.LICENCE_MANAGE)
    enterprise = selectors.enterprise_get_for(actor, enterprise_id, perms.LICENCE_MANAGE)
    number = str(number or "").strip()
    if not number:
        raise ValidationFailed.single("number", _("Enter the licence number."))
    return grant_licence(
        actor=actor, enterprise=enterprise, number=number, issued_on=issued_on, dossier=dossier
    )


def grant_licence(
    *, actor: Any, enterprise: Enterprise, number: str, issued_on: date, dossier: Any = None
) -> Licence:
    """The grant itself: the department's direct decision, and an approved licence application."""
    if Licence.objects.filter(number=number).exists():
        raise ValidationFailed.single("number", _("A licence with this number already exists."))
    if enterprise.licences.exclude(status=LicenceStatus.REVOKED).exists():
        raise LicenceStateInvalid()
    licence = Licence.objects.create(
        enterprise=enterprise, number=number, issued_on=issued_on, dossier=dossier
    )
    LicenceEvent.objects.create(licence=licence, action=LicenceAction.GRANTED, on=issued_on, actor=actor)
    Enterprise.objects.filter(pk=enterprise.pk).update(status=EnterpriseStatus.LICENSED)
    audit.record(actor=actor, action="overseas.licence_grant", obj=enterprise, changes={"number": number})
    return licence


@transaction.atomic
def licence_change(
    *, actor: Any, licence_id: int, action: str, on: date, reason: str, decision_number: str = ""
) -> Licence:
    """Amend, suspend, lift a suspension or revoke (Law 69/2020 Art 14-16), with the ground."""
    require_permission(actor, perms.LICENCE_MANAGE)
    licence = (
        Licence.objects.select_for_update()
        .filter(pk=licence_id, enterprise__in=selectors.enterprises_in_scope(actor, perms.LICENCE_MANAGE))
        .first()
    )
    if licence is None:
        raise NotFound()
    if action not in _STATUS_AFTER:
        raise ValidationFailed.single("action", _("Choose what to do with the licence."))
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", _("Give the ground for the decision."))
    required, after, enterprise_status = _STATUS_AFTER[LicenceAction(action)]
    if licence.status == LicenceStatus.REVOKED or (required is not None and licence.status != required):
        raise LicenceStateInvalid()
    licence.status = after
    licence.save(update_fields=["status"])
    LicenceEvent.objects.create(
        licence=licence,
        action=action,
        on=on,
        reason=reason,
        decision_number=decision_number.strip(),
        actor=actor,
    )
    Enterprise.objects.filter(pk=licence.enterprise_id).update(status=enterprise_status)
    audit.record(
        actor=actor,
        action=f"overseas.licence_{action}",
        obj=licence.enterprise,
        changes={"licence": licence.number},
    )
    return licence
