"""Employers on the job exchange: a domestic employer registers itself (an account with a one-time password)
and waits for the employment service centre of its province to verify it; a licensed overseas-labour
enterprise becomes an employer the first time its staff open the employer portal, verified by its licence.

Only a verified employer posts vacancies (`vacancies.py`)."""

import re
from typing import Any

from django.core.cache import cache
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ansinh.accounts.models import OrganisationKind, Role, User
from ansinh.accounts.selectors import active_memberships, membership_allows, require_permission, scope_q
from ansinh.accounts.services import account_issue, organisation_create
from ansinh.core import audit
from ansinh.core.errors import Conflict, NotFound, RateLimited, ValidationFailed
from ansinh.core.identifiers import normalise_phone
from ansinh.geo.models import Province, Ward
from ansinh.geo.names import search_terms
from ansinh.jobs import permissions as perms
from ansinh.jobs import selectors
from ansinh.jobs.centres import centre_for_province
from ansinh.jobs.errors import EmployerNotVerified
from ansinh.jobs.models import Employer, EmployerStatus
from ansinh.notify.services import notify_org
from ansinh.notify.templates import register_template
from ansinh.overseas.models import Enterprise, Licence, LicenceStatus

# A tax code is 10 digits; a dependent unit's adds "-" and 3 digits (Circular 105/2020/TT-BTC Art 5).
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
USERNAME = re.compile(r"^[a-z0-9._-]{3,40}$")

EMPLOYER_VERIFIED = "jobs.employer_verified"
EMPLOYER_REJECTED = "jobs.employer_rejected"

register_template(
    EMPLOYER_VERIFIED,
    gettext_lazy("Your employer account is verified"),
    gettext_lazy(
        "{centre} verified {employer} on the job exchange. You can now post vacancies and receive "
        "applications."
    ),
)
register_template(
    EMPLOYER_REJECTED,
    gettext_lazy("Your employer registration was not verified"),
    gettext_lazy(
        "{centre} could not verify {employer} on the job exchange. Reason: {reason}. Please contact the "
        "centre to put it right."
    ),
)

# Registering is open to anyone: a client may register a few employers an hour, not flood the register.
REGISTRATIONS_PER_CLIENT_HOUR = 5


def _registration_allowed(client: str) -> bool:
    key = f"jobs-employer-register:{client}"
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key) <= REGISTRATIONS_PER_CLIENT_HOUR
    except ValueError:  # expired between add and incr
        return True


_TEXT_LIMITS = {
    "name": 255,
    "address": 255,
    "contact_name": 150,
    "website": 200,
    "description": 5000,
}
_REQUIRED = ("name", "address", "contact_name")


def _text(value: Any) -> str:
    return str(value or "").strip()


def _clean_contact(
    fields: dict[str, Any], errors: dict[str, list[str]], *, partial: bool = False
) -> dict[str, Any]:
    """The employer's own information: name, address, contact person, phone, e-mail, website, about."""
    cleaned: dict[str, Any] = {}
    for name, limit in _TEXT_LIMITS.items():
        if name not in fields:
            if not partial and name in _REQUIRED:
                errors[name] = [_("This field is required.")]
            continue
        value = _text(fields[name])
        if name in _REQUIRED and not value:
            errors[name] = [_("This field is required.")]
        elif len(value) > limit:
            errors[name] = [_("Keep this under %(n)s characters.") % {"n": limit}]
        else:
            cleaned[name] = value
    if "phone" in fields or not partial:
        phone = _text(fields.get("phone"))
        if not phone:
            errors["phone"] = [_("Enter a phone number where candidates and the centre can reach you.")]
        else:
            try:
                cleaned["phone"] = normalise_phone(phone)
            except ValueError as exc:
                errors["phone"] = [str(exc)]
    if "email" in fields or not partial:
        email = _text(fields.get("email")).lower()
        try:
            validate_email(email)
        except Exception:
            errors["email"] = [_("Enter a valid e-mail address.")]
        else:
            cleaned["email"] = email
    return cleaned


def _place(province: Any, ward: Any, errors: dict[str, list[str]]) -> tuple[Province | None, Ward | None]:
    place = Province.objects.filter(code=_text(province)).first()
    if place is None:
        errors["province"] = [_("Choose the province where the employer has its seat.")]
        return None, None
    found = None
    if _text(ward):
        found = ward_in(place, _text(ward))
        if found is None:
            errors["ward"] = [_("Choose a ward or commune of the chosen province.")]
    return place, found


def ward_in(province: Province, text: str) -> Ward | None:
    """The ward or commune of `province` with this code, or this name ("Bến Nghé", "phuong ben nghe");
    None when there is no such ward, or the name fits several."""
    wards = Ward.objects.filter(province=province)
    found = wards.filter(code=text).first()
    if found is not None:
        return found
    needle, rest = search_terms(text)
    if not needle:
        return None
    matches = list(wards.filter(name_search=rest or needle)[:2])
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def employer_register(
    *,
    tax_code: str,
    province: str,
    admin_username: str,
    ward: str = "",
    client: str = "",
    **fields: Any,
) -> tuple[Employer, User, str]:
    """A domestic employer registers itself (no sign-in yet). Returns the employer (waiting for the centre
    of its province to verify it), its administrator account and that account's one-time password, shown
    once. Every problem is reported at once, each beside its field; nothing is written on a refusal."""
    if client and not _registration_allowed(client):
        raise RateLimited()
    errors: dict[str, list[str]] = {}
    tax_code = _text(tax_code)
    if not TAX_CODE.match(tax_code):
        errors["tax_code"] = [_("Enter the tax code: 10 digits (or 10 digits, a dash and 3 digits).")]
    elif Employer.objects.filter(tax_code=tax_code).exists():
        errors["tax_code"] = [_("An employer with this tax code is already registered.")]
    elif Enterprise.objects.filter(tax_code=tax_code).exists():
        errors["tax_code"] = [
            _(
                "This tax code belongs to an enterprise registered for sending workers abroad: its staff "
                "open the employer portal with their own accounts."
            )
        ]
    username = _text(admin_username).lower()
    if not USERNAME.match(username):
        errors["admin_username"] = [_("Use 3 to 40 lower-case letters, digits, dots, dashes or underscores.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["admin_username"] = [_("This username is taken.")]
    cleaned = _clean_contact(fields, errors)
    place, found_ward = _place(province, ward, errors)
    if errors or place is None:
        raise ValidationFailed(errors)
    address = cleaned.pop("address")
    if found_ward is not None and found_ward.name not in address:
        # The employer has no ward column: the ward is written into the address, as on a letter.
        address = f"{address}, {found_ward.name}"[:255]
    organisation = organisation_create(
        actor=None,
        code=f"NTD-{tax_code}",
        name=cleaned.pop("name"),
        kind=OrganisationKind.EMPLOYER,
        province=place,
    )
    try:
        with transaction.atomic():
            employer = Employer.objects.create(
                organisation=organisation,
                tax_code=tax_code,
                province=place,
                address=address,
                centre=centre_for_province(place.pk),
                org_path=organisation.path,
                **cleaned,
            )
    except IntegrityError:  # registered by a concurrent request a moment ago
        raise ValidationFailed.single(
            "tax_code", _("An employer with this tax code is already registered.")
        ) from None
    user, password = account_issue(
        actor=None,
        username=username,
        organisation=organisation,
        role=Role.objects.get(code="employer_admin"),
        email=employer.email,
    )
    audit.record(actor=None, action="jobs.employer_register", obj=employer, changes={"tax_code": tax_code})
    return employer, user, password


@transaction.atomic
def employer_update(*, actor: Any, **fields: Any) -> Employer:
    """The employer keeps its information current. A rejected employer that corrects it goes back to the
    centre's queue."""
    found = selectors.employer_get_for(actor)
    employer = Employer.objects.select_for_update().get(pk=found.pk)
    errors: dict[str, list[str]] = {}
    cleaned = _clean_contact(fields, errors, partial=True)
    if errors:
        raise ValidationFailed(errors)
    name = cleaned.pop("name", None)
    for key, value in cleaned.items():
        setattr(employer, key, value)
    if employer.status == EmployerStatus.REJECTED:
        employer.status = EmployerStatus.PENDING
    employer.save()
    if name is not None:
        employer.organisation.name = name
        employer.organisation.save(update_fields=["name"])
    audit.record(actor=actor, action="jobs.employer_update", obj=employer, changes={"fields": sorted(fields)})
    return employer


# --- verification by a centre ------------------------------------------------------------------------------


def _acting_centre(actor: Any) -> Any:
    """The employment service centre the actor verifies for, if they work at one."""
    for membership in active_memberships(actor):
        if membership.organisation.kind == OrganisationKind.EMPLOYMENT_CENTRE and membership_allows(
            membership, perms.EMPLOYER_VERIFY
        ):
            return membership.organisation
    return None


@transaction.atomic
def employer_verify(*, actor: Any, employer_id: int, approve: bool, reason: str = "") -> Employer:
    """A centre (or the province's department) verifies a registered employer, or refuses it with a
    reason. Only an employer waiting for verification, in the actor's province or centre, can be decided."""
    grant = require_permission(actor, perms.EMPLOYER_VERIFY)
    in_scope = Employer.objects.filter(
        scope_q(grant, province="province", org_path="centre__path"), pk=employer_id
    ).exists()
    # Locked by its key alone: the scope joins the (nullable) centre, which cannot be locked.
    employer = Employer.objects.select_for_update().filter(pk=employer_id).first() if in_scope else None
    if employer is None:
        raise NotFound()
    if employer.status != EmployerStatus.PENDING:
        raise Conflict(_("This employer has already been decided."))
    reason = _text(reason)
    if not approve and not reason:
        raise ValidationFailed.single("reason", _("Say why the employer cannot be verified."))
    if len(reason) > 500:
        raise ValidationFailed.single("reason", _("Keep this under %(n)s characters.") % {"n": 500})
    employer.status = EmployerStatus.VERIFIED if approve else EmployerStatus.REJECTED
    employer.verified_by = actor
    employer.verified_at = timezone.now()
    employer.decision_note = reason
    if employer.centre_id is None:
        employer.centre = _acting_centre(actor)
    employer.save()
    audit.record(
        actor=actor,
        action="jobs.employer_verify" if approve else "jobs.employer_reject",
        obj=employer,
        changes={"status": employer.status, "reason": reason},
    )
    organisation = employer.organisation
    centre = employer.centre.name if employer.centre is not None else _("The employment service centre")
    context = {"employer": organisation.name, "centre": centre, "reason": reason}
    template = EMPLOYER_VERIFIED if approve else EMPLOYER_REJECTED
    transaction.on_commit(lambda: notify_org(organisation, template, context))
    return employer


# --- licensed overseas-labour enterprises ------------------------------------------------------------------


def licence_in_force(enterprise: Enterprise) -> Licence | None:
    return enterprise.licences.filter(status=LicenceStatus.VALID).order_by("-issued_on", "-id").first()


def _acting_enterprise(actor: Any) -> Enterprise | None:
    """The enterprise the actor posts vacancies for (its head office's staff; not a branch)."""
    for membership in active_memberships(actor):
        if membership.organisation.kind == OrganisationKind.ENTERPRISE and membership_allows(
            membership, perms.VACANCY_MANAGE
        ):
            return (
                Enterprise.objects.filter(organisation=membership.organisation)
                .select_related("organisation")
                .first()
            )
    return None


@transaction.atomic
def employer_for_enterprise(*, actor: Any) -> Employer:
    """The employer of the licensed enterprise the actor works for, made the first time its staff open the
    employer portal: verified by its licence, with the enterprise's tax code. While the licence is not in
    force (suspended or revoked) the employer is suspended, and back when the licence is reinstated."""
    require_permission(actor, perms.VACANCY_MANAGE)
    enterprise = _acting_enterprise(actor)
    if enterprise is None:
        raise NotFound()
    licence = licence_in_force(enterprise)
    employer = Employer.objects.select_for_update().filter(organisation=enterprise.organisation).first()
    if employer is None:
        if licence is None:
            raise EmployerNotVerified(
                _("The enterprise needs a licence in force to post vacancies on the job exchange.")
            )
        if Employer.objects.filter(tax_code=enterprise.tax_code).exists():
            raise Conflict(
                _(
                    "Another employer is registered with this enterprise's tax code. "
                    "Please contact the centre."
                )
            )
        employer = Employer.objects.create(
            organisation=enterprise.organisation,
            tax_code=enterprise.tax_code,
            province=enterprise.province,
            address=enterprise.head_office,
            contact_name=enterprise.legal_representative,
            phone=enterprise.phone,
            email=enterprise.email,
            website=enterprise.website,
            status=EmployerStatus.VERIFIED,
            centre=centre_for_province(enterprise.province_id),
            verified_at=timezone.now(),
            decision_note=_("Verified by licence %(number)s") % {"number": licence.number},
            org_path=enterprise.organisation.path,
        )
        audit.record(
            actor=actor,
            action="jobs.employer_from_enterprise",
            obj=employer,
            changes={"licence": licence.number},
        )
        return employer
    wanted = employer.status
    if licence is None and employer.status == EmployerStatus.VERIFIED:
        wanted = EmployerStatus.SUSPENDED
    elif licence is not None and employer.status == EmployerStatus.SUSPENDED:
        wanted = EmployerStatus.VERIFIED
    if wanted != employer.status:
        employer.status = wanted
        employer.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor, action="jobs.employer_licence_follow", obj=employer, changes={"status": wanted}
        )
    return employer


def employer_current(*, actor: Any) -> Employer:
    """The employer the actor works for: a registered employer's, or a licensed enterprise's (made on first
    use). Not found for anyone else."""
    require_permission(actor, perms.VACANCY_MANAGE)
    if _acting_enterprise(actor) is not None:
        return employer_for_enterprise(actor=actor)
    return selectors.employer_get_for(actor)
