"""The catalogue of permission codes. Roles (data) hold lists of these codes; each app adds its own here
with `register`, so a role can never carry a code that nothing checks."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PermissionCode:
    code: str
    label: str | Promise
    # Holding a sensitive permission (reading personal data) makes two-factor sign-in mandatory.
    sensitive: bool = False


CATALOGUE: dict[str, PermissionCode] = {}


def register(code: str, label: str | Promise, *, sensitive: bool = False) -> None:
    CATALOGUE[code] = PermissionCode(code, label, sensitive)


PERSON_READ = "person.read"
PERSON_MANAGE = "person.manage"
ACCOUNT_MANAGE = "account.manage"
ROLE_MANAGE = "role.manage"
ORGANISATION_MANAGE = "organisation.manage"
AUDIT_READ = "audit.read"
REFERENCE_MANAGE = "reference.manage"

register(PERSON_READ, _("Read people's personal records"), sensitive=True)
register(PERSON_MANAGE, _("Create and correct people's personal records"), sensitive=True)
register(ACCOUNT_MANAGE, _("Issue accounts and reissue passwords"), sensitive=True)
register(ROLE_MANAGE, _("Grant and revoke roles"))
register(ORGANISATION_MANAGE, _("Create and change organisations"))
register(AUDIT_READ, _("Search and export the audit log"), sensitive=True)
register(REFERENCE_MANAGE, _("Maintain reference data and legal parameters"))


def is_known(code: str) -> bool:
    return code in CATALOGUE


def is_sensitive(code: str) -> bool:
    entry = CATALOGUE.get(code)
    return bool(entry and entry.sensitive)
